"""Agenda dataclasses: the meeting and its items, times in seconds into the recording."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.glossary import Glossary


@dataclass(frozen=True)
class AgendaItem:
    """One agenda item: ``start`` is the scheduled start, in seconds into the recording."""

    id: str
    start: float
    title: dict[str, str]
    description: str = ""
    speakers: tuple[str, ...] = ()
    pinned_start: float | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def title_in(self, language: str) -> str:
        """The title in ``language``, else the English title, else the first one given."""
        return (self.title.get(language) or self.title.get("en")
                or next(iter(self.title.values()), self.id))

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.lines.get("item", 0))


@dataclass(frozen=True)
class Agenda:
    """A meeting's agenda: ``recording_start`` is the wall-clock time at 00:00 of the recording."""

    title: str
    date: str | None
    recording_start: str
    items: tuple[AgendaItem, ...]
    glossary: Glossary = field(default_factory=Glossary)
    source: Path | None = None
