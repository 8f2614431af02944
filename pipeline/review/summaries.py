"""An agenda item's part of ``<lang>/summary.md``: found under its ``##`` heading, replaced in place."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.errors import InputError
from pipeline.formats.sections import Section

_HEADING = re.compile(r"^##\s")
_FORBIDDEN = re.compile(r"^#{1,2}\s", re.M)


@dataclass(frozen=True)
class Part:
    """One ``##`` heading of a summary and the lines under it (up to the next heading)."""

    title: str
    first: int          # index of the heading line
    last: int           # index after the part's last line


def parts(text: str) -> list[Part]:
    lines = text.split("\n")
    heads = [i for i, line in enumerate(lines) if _HEADING.match(line)]
    return [Part(lines[i][3:].strip(), i, heads[k + 1] if k + 1 < len(heads) else len(lines))
            for k, i in enumerate(heads)]


def item_parts(text: str, sections: list[Section], language: str) -> dict[str, Part]:
    """Agenda item id → its part: in order when there is one heading per item (as the summary
    stage writes them), else by the item's title in the language."""
    found = parts(text)
    if len(found) == len(sections):
        return {s.id: p for s, p in zip(sections, found)}
    by_title = {p.title: p for p in found}
    return {s.id: by_title[s.title_in(language)] for s in sections
            if s.title_in(language) in by_title}


def body(text: str, part: Part) -> str:
    """What is written under the heading, without the blank lines around it."""
    return "\n".join(text.split("\n")[part.first + 1:part.last]).strip("\n")


def replaced(text: str, part: Part, new_body: str) -> str:
    """``text`` with the lines under ``part``'s heading replaced by ``new_body``."""
    check_body(new_body)
    lines = text.split("\n")
    tail = lines[part.last:]
    middle = [""] + new_body.strip("\n").split("\n") + ([""] if tail else [])
    out = lines[:part.first + 1] + (middle if new_body.strip() else [""]) + tail
    return "\n".join(out).rstrip("\n") + "\n"


def check_body(new_body: str) -> None:
    """A summary text may not start a new item: no ``#`` or ``##`` heading lines."""
    if _FORBIDDEN.search(new_body):
        raise InputError("A summary text cannot hold a '#' or '##' heading line, which would "
                         "start another item; use '###' or plain text.")
