"""Agenda dataclasses: the meeting and its items, times in seconds into the recording."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.glossary import Glossary


@dataclass(frozen=True)
class Speaker:
    """A person listed under an item: a name, a role, or both.

    ``roles`` maps a language code to the role in that language; the key "" holds a role
    whose language the agenda does not say (``role: Chair``, or "Name, role" as a string).
    """

    name: str = ""
    roles: dict[str, str] = field(default_factory=dict)

    def role_in(self, language: str) -> str:
        """The role in ``language``, else as written, else in English, else the first given."""
        return (self.roles.get(language) or self.roles.get("") or self.roles.get("en")
                or next(iter(self.roles.values()), ""))

    def text(self, language: str = "en") -> str:
        """"Name, role" (or whichever of them is given), as a line of text."""
        return ", ".join(part for part in (self.name, self.role_in(language)) if part)


@dataclass(frozen=True)
class AgendaItem:
    """One agenda item: ``start`` is the scheduled start, in seconds into the recording.

    ``speakers`` are the speakers as lines of text (as written, or "Name, role");
    ``people`` the same speakers with names and roles apart.
    """

    id: str
    start: float
    title: dict[str, str]
    description: str = ""
    speakers: tuple[str, ...] = ()
    people: tuple[Speaker, ...] = ()
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
