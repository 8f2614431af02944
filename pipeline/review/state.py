"""A session as the workspace shows it: transcripts with the corrections laid over, and versions.

Every thing the page can change carries a version, a checksum of what the page was shown;
a save names the version it started from and is refused when the thing changed since.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Iterable

from pipeline.formats import edits as edits_io
from pipeline.formats.edits import Edits, SentenceEdit
from pipeline.formats.sections import SECTIONS_FILE, Section
from pipeline.formats.speakers import Speaker
from pipeline.formats.transcript import Sentence, Transcript
from pipeline.session import Session


@dataclass(frozen=True)
class SessionState:
    """What the workspace reads of a session folder, read afresh for every request."""

    session: Session
    edits: Edits
    transcripts: dict[str, Transcript]        # with the editors' corrections laid over
    orphans: tuple[SentenceEdit, ...]         # corrections that no longer fit a sentence
    sections: list[Section]
    speakers: list[Speaker]                   # with the editors' names laid over

    @classmethod
    def load(cls, session: Session) -> "SessionState":
        edits = session.read_edits()
        transcripts, orphans = {}, []
        for language in session.languages():
            applied = edits_io.apply(session.read_transcript(language), edits)
            transcripts[language] = applied.transcript
            orphans += applied.orphans
        sections = (session.read_sections() if session.path(SECTIONS_FILE).exists() else [])
        return cls(session, edits, transcripts, tuple(orphans), sections,
                   session.named_speakers())

    @property
    def languages(self) -> list[str]:
        return list(self.transcripts)

    def sentence(self, language: str, ident: int) -> Sentence | None:
        transcript = self.transcripts.get(language)
        if transcript is None:
            return None
        return next((s for s in transcript.sentences if s.id == ident), None)

    def section(self, item: str) -> Section | None:
        return next((s for s in self.sections if s.id == item), None)

    def speaker(self, label: str) -> Speaker | None:
        return next((s for s in self.speakers if s.label == label), None)

    def outdated(self, language: str, ident: int) -> bool:
        """Whether the ``language`` sentence is a translation of the English before an editor
        corrected it (and has been neither translated again nor corrected since)."""
        english = self.edits.sentence("en", ident)
        if language == "en" or english is None or language not in english.outdated:
            return False
        sentence = self.sentence(language, ident)
        return sentence is not None and sentence.text == english.outdated[language]

    def outdated_counts(self) -> dict[str, int]:
        """Per language, how many of its sentences are out of date."""
        counts = {}
        for language in self.languages:
            if language == "en":
                continue
            count = sum(1 for e in self.edits.of_language("en").values()
                        if self.outdated(language, e.id))
            if count:
                counts[language] = count
        return counts


def version_of(*values) -> str:
    """A short checksum of ``values`` (what the page was shown of one thing)."""
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def sentence_version(language: str, sentence: Sentence) -> str:
    return version_of("sentence", language, sentence.id, sentence.text)


def voices_version(sentences: Iterable[Sentence]) -> str:
    return version_of("voices", [(s.id, s.speaker) for s in sentences])


def speaker_version(speaker: Speaker) -> str:
    return version_of("speaker", speaker.label, speaker.name, speaker.role)


def boundary_version(section: Section) -> str:
    return version_of("boundary", section.id, round(section.start, 3))


def summary_version(language: str, item: str, body: str | None) -> str:
    return version_of("summary", language, item, body)
