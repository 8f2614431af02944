"""Which parts of a programme hold its schedule: background, annexes and references are left out."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.agenda.blocks import WEAK_RANK, Block
from pipeline.agenda.dates import is_date_line
from pipeline.agenda.times import match_time_span

# Sections that describe the meeting: skipped until the next heading of the same rank.
ASIDE = re.compile(
    r"^(?:[IVX\d]{1,4}[.)]?\s+|[A-H][.)]\s+)?(background|context|contexte|contexto|antecedentes|objectives?|objectifs?|objetivos?"
    r"|purpose|rationale|justification|justificación|expected (outcomes?|results?)|outcomes?"
    r"|résultats attendus|resultados esperados|format|modalités|modalidades"
    r"|practical information|informations pratiques|información práctica"
    r"|logistics|logistique|logística|interpretation|interprétation|interpretación"
    r"|registration|inscriptions?|inscripción|guiding questions|questions directrices"
    r"|preguntas orientativas|about|à propos|acerca)\b", re.I)
# Sections after which nothing is programme: annexes, references, links.
END = re.compile(
    r"^(?:[IVX\d]{1,4}[.)]?\s+|[A-H][.)]\s+)?(annex(es)?|annexes?|anexos?|appendix|appendices|apéndice|references?|références?"
    r"|referencias?|reference documents|background documents|documents de référence"
    r"|documents de base|documentos de referencia|further reading|lectures complémentaires"
    r"|resources|ressources|recursos|useful links|liens utiles|enlaces( útiles)?|links"
    r"|contacts?|bibliograph\w+)\b", re.I)
PROGRAMME = re.compile(r"\b(programme|program|programa|agenda|ordre du jour|orden del d[ií]a"
                       r"|schedule|horaire|calendario|déroulement)\b", re.I)


@dataclass(frozen=True)
class Aside:
    """A section left out of the schedule: its heading and where it starts."""

    heading: str
    where: str


def programme_blocks(blocks: tuple[Block, ...]) -> tuple[list[tuple[int, Block]], list[Aside]]:
    """(index, block) of the blocks that may hold the schedule, and the sections left out.

    A bold line right after a time alone on its line is that item's title, never a section.
    """
    kept: list[tuple[int, Block]] = []
    asides: list[Aside] = []
    skip: tuple[int, bool] | None = None          # (rank of the heading, an end section)
    after_time = False
    for index, block in enumerate(blocks):
        if skip is not None and not skip[1] and _time_led(block):
            skip = None                           # a schedule line ends a section about the meeting
        title_of_time = after_time and block.rank == WEAK_RANK
        if block.rank is None and _plain_heading(block):
            block = replace(block, rank=WEAK_RANK)
        if block.rank is not None and not block.is_row and not title_of_time:
            if skip is not None and _ends_skip(block, *skip):
                skip = None
            kind = section_kind(block)
            if kind and skip is None:
                skip = (block.rank, kind == "end")
                asides.append(Aside(heading=block.text, where=block.where))
        if skip is None:
            kept.append((index, block))
        after_time = skip is None and not block.is_row and _time_only(block.text)
    return kept, asides


def _plain_heading(block: Block) -> bool:
    """A short plain line that names a section ("Links", "Purpose of the briefing")."""
    text = block.text.strip()
    return (not block.is_row and not block.bullet and len(text.split()) <= 4
            and not text.endswith((".", ",", ";")) and section_kind(block) is not None)


def _time_led(block: Block) -> bool:
    span = match_time_span(" ".join(block.cells[0]) if block.cells else "")
    return span is not None and not span.before


def _time_only(text: str) -> bool:
    span = match_time_span(text)
    return span is not None and not span.after.strip(" .,;:-–—|")


def section_kind(block: Block) -> str | None:
    """"end" for an annex or references heading, "aside" for background and the like."""
    text = block.text.strip()
    if len(text) > 80 or PROGRAMME.search(text) or match_time_span(text) or is_date_line(text):
        return None
    if END.match(text):
        return "end"
    if ASIDE.match(text):
        return "aside"
    return None


def _ends_skip(block: Block, rank: int, end: bool) -> bool:
    """Whether ``block``, a heading, ends a left-out section that began with a heading of ``rank``."""
    text = block.text
    if section_kind(block):
        return False
    if PROGRAMME.search(text) and len(text) <= 80:
        return block.rank <= rank or rank == WEAK_RANK or not end
    if end:
        return rank != WEAK_RANK and block.rank < WEAK_RANK and block.rank <= rank
    return block.rank <= rank
