"""Write the draft agenda YAML, with a header saying what was recognised and what was not."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from pipeline.agenda.layout import Entry, Unread
from pipeline.agenda.model import Speaker
from pipeline.agenda.times import format_clock

DESCRIPTION_LIMIT = 240


@dataclass(frozen=True)
class Recognised:
    """What the import found, for the draft's header."""

    source: str
    kind: str
    layouts: tuple[str, ...]
    language: str
    date: str | None
    entries: tuple[Entry, ...]
    unread: tuple[Unread, ...] = ()
    asides: tuple[str, ...] = ()
    hours: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())


def write_draft(title: str, recognised: Recognised) -> str:
    """The draft agenda: a header of comments, then the YAML the loader reads."""
    entries = recognised.entries
    agenda: dict = {"title": title}
    if recognised.date:
        agenda["date"] = recognised.date
    agenda["recording_start"] = _clock(entries[0].start)
    agenda["items"] = [_item(entry, recognised.language) for entry in entries]
    body = yaml.dump(agenda, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header(recognised) + body


def header(recognised: Recognised) -> str:
    """The comment lines at the top of a draft agenda."""
    entries = recognised.entries
    speakers = sum(len(e.speakers) for e in entries)
    lines = [
        f"Draft agenda imported from {recognised.source} ({recognised.kind}) by "
        "'session-pipeline agenda import'.",
        "Check every time, title and speaker against the programme, then add the titles in the",
        "other languages (en, fr, es). 'recording_start' is the first item's time: set it to the",
        "wall-clock time at the start of the recording.",
        "",
        "Recognised:",
        f"  layout: {'; '.join(recognised.layouts)}",
        f"  language: {recognised.language} (titles are under '{recognised.language}')",
        f"  date: {recognised.date or 'none found'}",
        f"  items: {len(entries)}, from {_clock(entries[0].start)} to {_clock(entries[-1].start)}",
        f"  speakers: {speakers}, under {sum(1 for e in entries if e.speakers)} item(s)",
    ]
    lines += [f"  meeting hours (not an item): {h}" for h in recognised.hours]
    if recognised.zones:
        lines.append(f"  time zone: {', '.join(recognised.zones)} (times are kept as written)")
    lines += [f"  note: {note}" for note in recognised.notes]
    lines += _not_recognised(recognised)
    return "".join(f"# {line}".rstrip() + "\n" for line in lines)


def _not_recognised(recognised: Recognised) -> list[str]:
    lines = ["", "Not recognised:"]
    if not recognised.unread:
        lines.append("  nothing that looks like an item was left out")
    else:
        lines.append("  these look like items but were not imported; add them by hand if they are:")
        lines += [f"  - {u.where}: {_quote(u.text)} {u.reason}" for u in recognised.unread]
    if recognised.asides:
        lines.append(f"Left out as not part of the schedule: {', '.join(recognised.asides)}")
    return lines


def _item(entry: Entry, language: str) -> dict:
    item: dict = {"start": _clock(entry.start), "title": {language: entry.title}}
    description = _short(" ".join(([entry.zone] if entry.zone else []) + entry.description))
    if description:
        item["description"] = description
    if entry.speakers:
        item["speakers"] = [_speaker(s) for s in entry.speakers]
    return item


def _speaker(speaker: Speaker) -> dict:
    entry: dict = {}
    if speaker.name:
        entry["name"] = speaker.name
    if speaker.roles:
        entry["role"] = dict(speaker.roles)
    return entry


class _Clock(str):
    """A wall-clock time, always written in quotes ("09:30")."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Clock, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"'))


def _clock(seconds: float) -> str:
    return _Clock(format_clock(seconds)[:5])


def _quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[:limit - 1] + "…"}"'


def _short(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    sentence_end = text.rfind(". ", 0, limit)
    if sentence_end > 60:
        return text[:sentence_end + 1]
    return text[:limit].rsplit(" ", 1)[0] + " …"
