"""Settle the items found: one day, the meeting's hours apart, afternoon times, order kept."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.agenda.layout import Entry, Found, Unread
from pipeline.agenda.times import format_clock
from pipeline.errors import AgendaError

HALF_DAY = 12 * 3600
NIGHT_END = 7 * 3600     # "1.10" to "6.59" left without a.m. or p.m.: not a meeting's time
EARLIEST = 8 * 3600      # "1.30" to "7.59" after a later time: the afternoon; "9.15": out of order


@dataclass
class Schedule:
    """The items to write, and what was set aside on the way (each with its reason)."""

    entries: list[Entry]
    unread: list[Unread]
    hours: list[Entry] = field(default_factory=list)
    afternoon: list[str] = field(default_factory=list)
    date: str | None = None
    days: list[str] = field(default_factory=list)
    day: int = 1


def settle(found: Found, source: str, day: int = 1) -> Schedule:
    """The items of day ``day`` (1-based) in a valid order; AgendaError for a day not there."""
    days = [iso for iso, _ in found.days]
    if day < 1 or day > max(len(days), 1):
        raise AgendaError(f"{source} covers {max(len(days), 1)} day(s); --day {day} is not one of "
                          "them.")
    entries = [e for e in found.entries if e.day == day - 1 or len(days) <= 1]
    unread = list(found.unread)
    hours = [e for e in entries if _spans_others(e, entries)]
    entries = [e for e in entries if e not in hours]
    for entry in [e for e in entries if not e.title]:
        unread.append(Unread(entry.where, _clock(entry), "has a time but no title"))
    entries = [e for e in entries if e.title]
    afternoon = _afternoon(entries)
    entries = _daytime(entries, unread)
    kept = _in_order(entries, unread)
    return Schedule(entries=kept, unread=unread, hours=hours, afternoon=afternoon,
                    date=days[day - 1] if days else None, days=days, day=day)


def _spans_others(entry: Entry, entries: list[Entry]) -> bool:
    """A range holding two or more other items' starts: the meeting's (or a session's) hours."""
    if entry.end is None or entry.end <= entry.start:
        return False
    inside = [o for o in entries if o is not entry and entry.start <= o.start < entry.end]
    return len(inside) >= 2


def _afternoon(entries: list[Entry]) -> list[str]:
    """Read "2.00" after "12.30" as 14:00: a time before 8 o'clock without a.m./p.m. that would
    go back is taken in the afternoon. Returns a note per time so read."""
    notes, previous = [], None
    for entry in entries:
        if previous is not None and entry.twelve_hour and entry.start < EARLIEST \
                and entry.start < previous <= entry.start + HALF_DAY:
            written = format_clock(entry.start)[:5]
            entry.start += HALF_DAY
            if entry.end is not None and entry.end < HALF_DAY:
                entry.end += HALF_DAY
            notes.append(f"{written} read as {format_clock(entry.start)[:5]} ({entry.where})")
        previous = entry.start
    return notes


def _daytime(entries: list[Entry], unread: list[Unread]) -> list[Entry]:
    """Leave out "1.10" and the like still before 7 o'clock: a section number more likely than a
    meeting's time (a time in the small hours is written "01:10" or with a.m.)."""
    kept = []
    for entry in entries:
        if entry.twelve_hour and entry.start < NIGHT_END:
            unread.append(Unread(entry.where, f"{_clock(entry)} {entry.title}",
                                 "is not a time a meeting is held (write 1.10 p.m. or 13:10 if "
                                 "it is one)"))
        else:
            kept.append(entry)
    return kept


def _in_order(entries: list[Entry], unread: list[Unread]) -> list[Entry]:
    kept: list[Entry] = []
    for entry in entries:
        if kept and entry.start < kept[-1].start:
            unread.append(Unread(entry.where, f"{_clock(entry)} {entry.title}",
                                 f"starts before the item above it ({_clock(kept[-1])})"))
        else:
            kept.append(entry)
    return kept


def _clock(entry: Entry) -> str:
    return format_clock(entry.start)[:5]
