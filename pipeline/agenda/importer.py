"""Draft an agenda YAML from a programme (Word, PDF, Markdown or plain text) in en, fr or es."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.agenda.blocks import Block, Document
from pipeline.agenda.dates import find_date, is_date_line
from pipeline.agenda.draft import Recognised, write_draft
from pipeline.agenda.language import detect_language
from pipeline.agenda.layout import TABLE, Found, find_items
from pipeline.agenda.read_text import shouted, text_blocks
from pipeline.agenda.readers import read_programme
from pipeline.agenda.regions import PROGRAMME, programme_blocks, section_kind
from pipeline.agenda.schedule import Schedule, settle
from pipeline.agenda.times import format_clock, match_time_span
from pipeline.errors import AgendaError

MIN_ITEMS = 2
MEETING = re.compile(
    r"\b(hearing|seminar|workshop|meeting|briefing|conference|forum|dialogue|panel|webinar"
    r"|consultation|session|round ?table|side event|symposium|summit|training|audition|séminaire"
    r"|atelier|réunion|conférence|débat|séance|table ronde|colloque|formation|taller|reunión"
    r"|conferencia|foro|diálogo|sesión|mesa redonda|seminario|jornada|encuentro|debate|cumbre)",
    re.I)


def import_programme(path: str | Path, day: int = 1) -> str:
    """The draft agenda YAML for the programme at ``path`` (day ``day`` of a longer one)."""
    return draft_agenda(read_programme(Path(path)), day=day)


def import_text(text: str, source: str = "the programme", markdown: bool = True) -> str:
    """The draft agenda YAML for a programme given as Markdown or plain text."""
    document = Document(blocks=tuple(text_blocks(text)), source=source,
                        kind="Markdown" if markdown else "plain text")
    return draft_agenda(document)


def draft_agenda(document: Document, day: int = 1) -> str:
    """The draft agenda YAML for a programme already read; AgendaError when it has too few
    timed items to make one (nothing is written then)."""
    kept, asides = programme_blocks(document.blocks)
    language, _ = detect_language(" ".join(block.text for _, block in kept))
    found = find_items(kept, language)
    schedule = settle(found, document.source, day)
    if len(schedule.entries) < MIN_ITEMS:
        raise AgendaError(too_few(document.source, schedule))
    date = schedule.date or _first_date(kept)
    recognised = Recognised(
        source=document.source, kind=_kind(document.kind), layouts=_layouts(found, schedule),
        language=language, date=date, entries=tuple(schedule.entries),
        unread=tuple(schedule.unread), asides=tuple(f'"{a.heading}" ({a.where})' for a in asides),
        hours=tuple(_hours(e) for e in schedule.hours), zones=tuple(dict.fromkeys(found.zones)),
        notes=document.notes + _notes(schedule))
    return write_draft(main_title(document.blocks) or "Meeting", recognised)


def too_few(source: str, schedule: Schedule) -> str:
    """One sentence: what was found, and what to do."""
    entries = schedule.entries
    if not entries:
        found = "no timed items (such as '15:00-15:10 Opening' or '3 p.m. Closing remarks')"
    else:
        found = (f"only one timed item ({format_clock(entries[0].start)[:5]} "
                 f"{entries[0].title!r}), and an agenda needs at least two")
    unread = f" ({len(schedule.unread)} more looked like items but had no time or title it " \
             "could read)" if schedule.unread else ""
    return (f"{source} has {found}{unread}; nothing was written: check that the programme gives "
            "each item a start time, or write the agenda YAML by hand.")


def main_title(blocks: tuple[Block, ...]) -> str | None:
    """The meeting's title: its most prominent heading before the schedule; else the last line
    naming a kind of meeting before the date; else its first line."""
    before = []
    for block in blocks:
        if block.is_row or match_time_span(block.text):
            if before:
                break
            continue
        before.append(block)
    candidates = [b for b in before if _could_be_title(b.text) and not section_kind(b)]
    ranked = [b for b in candidates if b.rank is not None and b.rank <= 3]
    if ranked:
        return min(ranked, key=lambda b: b.rank).text
    dated = next((i for i, b in enumerate(before) if is_date_line(b.text)), len(before))
    calm = [b for b in candidates[:dated + 1] if b in before[:dated] and not shouted(b.text)]
    named = [b for b in calm if MEETING.search(b.text)]
    chosen = named[-1] if named else (calm or candidates or [None])[0]
    if chosen is None:
        return None
    following = before[before.index(chosen) + 1:before.index(chosen) + 2]
    if chosen.text.endswith(":") and following and following[0] in calm:
        return f"{chosen.text} {following[0].text}"        # a title set on two lines
    return chosen.text


def _could_be_title(text: str) -> bool:
    short_programme = PROGRAMME.search(text) and len(text.split()) <= 3
    sentence = text.endswith(".") and len(text.split()) > 12
    return bool(text) and len(text) <= 250 and not short_programme and not sentence \
        and not is_date_line(text)


def _first_date(kept: list[tuple[int, Block]]) -> str | None:
    for _, block in kept:
        if is_date_line(block.text):
            return find_date(block.text)
    for _, block in kept:
        found = find_date(block.text)
        if found:
            return found
    return None


def _kind(kind: str) -> str:
    return {"Word document": "a Word document", "PDF": "a PDF"}.get(kind, kind)


def _layouts(found: Found, schedule: Schedule) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for entry in schedule.entries:
        counts[entry.layout] = counts.get(entry.layout, 0) + 1
    names = []
    for layout, count in sorted(counts.items(), key=lambda pair: -pair[1]):
        if layout == TABLE and found.tables:
            layout = f"a table ({'; '.join(dict.fromkeys(found.tables))})"
        names.append(f"{layout} ({count} items)")
    return tuple(names)


def _hours(entry) -> str:
    span = f"{format_clock(entry.start)[:5]}-{format_clock(entry.end)[:5]}"
    return f"{span} {entry.zone}" if entry.zone else span


def _notes(schedule: Schedule) -> tuple[str, ...]:
    notes = [f"afternoon time without p.m.: {n}" for n in schedule.afternoon]
    if len(schedule.days) > 1:
        notes.append(f"the programme covers {len(schedule.days)} days ({', '.join(schedule.days)});"
                     f" this draft is day {schedule.day}: import the others with --day N")
    return tuple(notes)
