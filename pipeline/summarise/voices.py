"""Who an intervention's voice is, as a lead-in says it: the name and role in a language."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from pipeline.agenda.model import Agenda
from pipeline.agenda.model import Speaker as Listed
from pipeline.formats.speakers import Speaker
from pipeline.formats.writers import UNNAMED
from pipeline.text.names import HONORIFICS


@dataclass(frozen=True)
class Voices:
    """The session's voices (``speakers.json``) and the people the agenda lists, whose roles
    may be given per language."""

    speakers: Mapping[str, Speaker] = field(default_factory=dict)
    listed: tuple[Listed, ...] = ()

    @classmethod
    def of(cls, speakers: Sequence[Speaker], agenda: Agenda | None) -> "Voices":
        listed = tuple(p for item in agenda.items for p in item.people if p.name) if agenda else ()
        return cls({s.label: s for s in speakers}, listed)

    def lead_in(self, label: str, language: str) -> str:
        """"Name (role)" in ``language``: the name from speakers.json (else "Speaker N" in
        the language), the role as speakers.json or the agenda gives it in the language,
        else as written, else none."""
        speaker = self.speakers.get(label) or Speaker(label=label)
        name = speaker.name or f"{UNNAMED.get(language, UNNAMED['en'])} {label.lstrip('S')}"
        role = self.role(speaker, language)
        return f"{name} ({role})" if role else name

    def role(self, speaker: Speaker, language: str) -> str | None:
        """The role in ``language``: speakers.json's for the language, the agenda's for the
        language (the same person, titles aside), then speakers.json's as written, then the
        agenda's as written."""
        if speaker.roles.get(language):
            return speaker.roles[language]
        person = self.person(speaker.name) if speaker.name else None
        if person is not None and person.roles.get(language):
            return person.roles[language]
        return speaker.role or (person.role_in(language) if person else None) or None

    def person(self, name: str) -> Listed | None:
        """The agenda's entry for ``name`` (compared without titles, case or accents)."""
        key = name_key(name)
        return next((p for p in self.listed if key and name_key(p.name) == key), None)


def name_key(name: str) -> tuple[str, ...]:
    """A name's words, folded, without titles of address: how two spellings are compared."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return tuple(w for w in re.findall(r"[a-z]+", text) if w not in HONORIFICS)
