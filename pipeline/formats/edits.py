"""``edits.json``: the editors' corrections (sentence text, voice, item starts) that every run keeps.

Editors correct what the machine drafted in the review workspace; their corrections are
kept here, apart from the files the stages rewrite, and laid over every transcript a stage
writes (:func:`apply`), so a later run never undoes them::

    {"schema": "session-pipeline/edits/1",
     "sentences": {
       "en": {"12": {"start": 41.2, "end": 44.0, "text": "Ms. Okafor spoke.", "was": "Miss Okafor spoke.",
                     "speaker": "S3", "by": "Ana", "at": "2024-05-14T15:02:11+00:00",
                     "outdated": {"fr": "Mlle Okafor a parlé."}}},
       "fr": {"12": {"start": 41.2, "end": 44.0, "text": "Mme Okafor a parlé.", "was": "...",
                     "by": "", "at": "..."}}},
     "boundaries": {"questions": {"start": 95.21, "sentence": 31, "by": "", "at": "..."}}}

A sentence's correction holds its ``text`` and/or its voice's ``speaker`` label, the
sentence's ``start`` and ``end`` (a correction applies only to the sentence it was made on:
same id, same times), the text before it was first corrected (``was``), who (``by``, may be
empty) and when (``at``). A voice is the same in every language, so ``speaker`` is kept in
the English entry and applies to all. ``outdated`` (English only) holds, per language, the
translation made from the English before its correction, until it is translated again.
A boundary pins an agenda item's start to a time (the start of the sentence it names).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Mapping

from pipeline.errors import InputError
from pipeline.formats.transcript import Sentence, Transcript

SCHEMA = "session-pipeline/edits/1"
EDITS_FILE = "edits.json"
TOLERANCE_S = 0.05
"""How far a sentence's times may lie from those a correction recorded and still be its sentence."""


@dataclass(frozen=True)
class SentenceEdit:
    """An editor's correction of one sentence in one language."""

    language: str
    id: int
    start: float
    end: float
    text: str | None = None            # the corrected text (None: the text is not corrected)
    speaker: str | None = None         # the corrected voice label (English entries only)
    was: str | None = None             # the text before the first correction
    by: str = ""
    at: str = ""
    outdated: Mapping[str, str] = field(default_factory=dict)

    def fits(self, sentence: Sentence) -> bool:
        """Whether ``sentence`` is the one this correction was made on (same id and times)."""
        return (sentence.id == self.id and abs(sentence.start - self.start) <= TOLERANCE_S
                and abs(sentence.end - self.end) <= TOLERANCE_S)


@dataclass(frozen=True)
class BoundaryEdit:
    """An editor's start of an agenda item: a time in the recording (a sentence's start)."""

    item: str
    start: float
    sentence: int | None = None
    by: str = ""
    at: str = ""


@dataclass(frozen=True)
class Edits:
    """Every correction of a session; empty when the editors made none."""

    sentences: tuple[SentenceEdit, ...] = ()
    boundaries: tuple[BoundaryEdit, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.sentences or self.boundaries)

    def sentence(self, language: str, ident: int) -> SentenceEdit | None:
        return next((e for e in self.sentences if (e.language, e.id) == (language, ident)), None)

    def of_language(self, language: str) -> dict[int, SentenceEdit]:
        return {e.id: e for e in self.sentences if e.language == language}

    def boundary(self, item: str) -> BoundaryEdit | None:
        return next((b for b in self.boundaries if b.item == item), None)

    def pins(self) -> dict[str, float]:
        """Agenda item id → the start an editor gave it."""
        return {b.item: b.start for b in self.boundaries}

    def with_sentence(self, edit: SentenceEdit) -> "Edits":
        """These edits with ``edit`` in place of the one for the same language and sentence."""
        others = tuple(e for e in self.sentences if (e.language, e.id) != (edit.language, edit.id))
        ordered = sorted(others + (edit,), key=lambda e: (e.language != "en", e.language, e.id))
        return replace(self, sentences=tuple(ordered))

    def with_boundary(self, edit: BoundaryEdit) -> "Edits":
        return replace(self, boundaries=tuple(b for b in self.boundaries if b.item != edit.item)
                       + (edit,))

    def without_boundary(self, item: str) -> "Edits":
        return replace(self, boundaries=tuple(b for b in self.boundaries if b.item != item))


@dataclass(frozen=True)
class Applied:
    """A transcript with the corrections laid over it, and the corrections that found no
    sentence (the sentence is gone, or its times changed: it was recognised again)."""

    transcript: Transcript
    corrected: tuple[int, ...] = ()
    orphans: tuple[SentenceEdit, ...] = ()


def apply(transcript: Transcript, edits: Edits) -> Applied:
    """``transcript`` with its language's text corrections and every voice correction applied."""
    texts = edits.of_language(transcript.language)
    voices = {i: e for i, e in edits.of_language("en").items() if e.speaker is not None}
    wanted = {i for i, e in texts.items() if e.text is not None} | set(voices)
    sentences, corrected = [], []
    for sentence in transcript.sentences:
        text_edit, voice_edit = texts.get(sentence.id), voices.get(sentence.id)
        changes: dict = {}
        if text_edit is not None and text_edit.text is not None and text_edit.fits(sentence):
            changes["text"] = text_edit.text
        if voice_edit is not None and voice_edit.fits(sentence):
            changes["speaker"] = voice_edit.speaker
        if changes:
            corrected.append(sentence.id)
            sentence = replace(sentence, **changes)
        sentences.append(sentence)
    found = set(corrected)
    orphans = tuple((texts.get(i) or voices[i]) for i in sorted(wanted - found))
    return Applied(replace(transcript, sentences=tuple(sentences)), tuple(corrected), orphans)


def dumps(edits: Edits) -> str:
    sentences: dict[str, dict[str, dict]] = {}
    for edit in edits.sentences:
        sentences.setdefault(edit.language, {})[str(edit.id)] = _sentence_record(edit)
    boundaries = {b.item: {"start": round(b.start, 3), "sentence": b.sentence, "by": b.by,
                           "at": b.at} for b in edits.boundaries}
    data = {"schema": SCHEMA, "sentences": sentences, "boundaries": boundaries}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _sentence_record(edit: SentenceEdit) -> dict:
    record: dict = {"start": round(edit.start, 3), "end": round(edit.end, 3)}
    for key in ("text", "was", "speaker"):
        if getattr(edit, key) is not None:
            record[key] = getattr(edit, key)
    record.update(by=edit.by, at=edit.at)
    if edit.outdated:
        record["outdated"] = dict(edit.outdated)
    return record


def loads(text: str, source: str = EDITS_FILE) -> Edits:
    """The corrections in ``text``; InputError naming the file when it cannot be read."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source} is not valid JSON (line {exc.lineno}: {exc.msg}); correct it "
                         "there or restore it from a backup.") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else None
        raise InputError(f"{source} has schema {found!r}, which this version cannot read "
                         f"(expected {SCHEMA!r}).")
    try:
        sentences = tuple(_sentence(lang, ident, record)
                          for lang, by_id in (data.get("sentences") or {}).items()
                          for ident, record in by_id.items())
        boundaries = tuple(_boundary(item, record)
                           for item, record in (data.get("boundaries") or {}).items())
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{source} holds a correction this version cannot read ({exc}); "
                         "correct it there or restore it from a backup.") from None
    return Edits(sentences=sentences, boundaries=boundaries)


def _sentence(language: str, ident: str, record: dict) -> SentenceEdit:
    text, speaker = record.get("text"), record.get("speaker")
    if not isinstance(text, (str, type(None))) or not isinstance(speaker, (str, type(None))):
        raise ValueError(f"sentence {ident} of {language}: 'text' and 'speaker' must be strings")
    return SentenceEdit(language=str(language), id=int(ident), start=float(record["start"]),
                        end=float(record["end"]), text=text, speaker=speaker,
                        was=record.get("was"), by=str(record.get("by") or ""),
                        at=str(record.get("at") or ""),
                        outdated={str(k): str(v) for k, v in (record.get("outdated") or {}).items()})


def _boundary(item: str, record: dict) -> BoundaryEdit:
    sentence = record.get("sentence")
    return BoundaryEdit(item=str(item), start=float(record["start"]),
                        sentence=int(sentence) if sentence is not None else None,
                        by=str(record.get("by") or ""), at=str(record.get("at") or ""))
