"""The transcript: sentences with times, the unit every stage reads and writes.

A sentence keeps the same ``id``, ``start``, ``end``, ``section`` and ``speaker`` in every
language, so the English, French and Spanish transcripts of one session stay aligned.
Version 2 of the format added ``speaker``; version 1 files still load (no speakers).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.errors import InputError

SCHEMA = "session-pipeline/transcript/2"
READABLE = ("session-pipeline/transcript/1", SCHEMA)


@dataclass(frozen=True)
class Word:
    """A recognised word with its time in the recording (seconds)."""

    start: float
    end: float
    text: str
    probability: float = 1.0


@dataclass(frozen=True)
class Sentence:
    """One sentence: the unit of translation, alignment and summarising."""

    id: int
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    section: str | None = None
    speaker: str | None = None        # the voice's label in speakers.json ("S2"), if known


@dataclass(frozen=True)
class Transcript:
    """A transcript in one language."""

    language: str
    sentences: tuple[Sentence, ...] = field(default_factory=tuple)

    def with_sections(self, section_of: dict[int, str | None]) -> "Transcript":
        return replace(self, sentences=tuple(
            replace(s, section=section_of.get(s.id, s.section)) for s in self.sentences))

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


def to_dict(transcript: Transcript) -> dict:
    segments = []
    for s in transcript.sentences:
        item: dict = {"id": s.id, "start": round(s.start, 3), "end": round(s.end, 3),
                      "text": s.text, "section": s.section, "speaker": s.speaker}
        if s.words:
            item["words"] = [[round(w.start, 3), round(w.end, 3), w.text, round(w.probability, 3)]
                             for w in s.words]
        segments.append(item)
    return {"schema": SCHEMA, "language": transcript.language, "segments": segments}


def dumps(transcript: Transcript) -> str:
    return json.dumps(to_dict(transcript), ensure_ascii=False, indent=1) + "\n"


def from_dict(data: object, source: str = "transcript") -> Transcript:
    """Build a transcript from parsed JSON, checking the schema and every field."""
    if not isinstance(data, dict):
        raise InputError(f"{source} is not a transcript: expected a JSON object.")
    schema = data.get("schema")
    if schema not in READABLE:
        raise InputError(f"{source} has schema {schema!r}, which this version cannot read "
                         f"(expected {SCHEMA!r}).")
    language = data.get("language")
    segments = data.get("segments")
    if not isinstance(language, str) or not isinstance(segments, list):
        raise InputError(f"{source} needs a 'language' string and a 'segments' list.")
    sentences = []
    seen: set[int] = set()
    for index, item in enumerate(segments):
        sentence = _sentence_from_dict(item, f"{source}, segment {index + 1}")
        if sentence.id in seen:
            raise InputError(f"{source}, segment {index + 1}: id {sentence.id} is used twice.")
        seen.add(sentence.id)
        sentences.append(sentence)
    return Transcript(language=language, sentences=tuple(sentences))


def _sentence_from_dict(item: object, where: str) -> Sentence:
    if not isinstance(item, dict):
        raise InputError(f"{where} is not an object.")
    try:
        ident, start, end, text = item["id"], item["start"], item["end"], item["text"]
    except KeyError as exc:
        raise InputError(f"{where} has no {exc.args[0]!r} field.") from None
    if not isinstance(ident, int) or isinstance(ident, bool):
        raise InputError(f"{where}: 'id' must be a whole number.")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, end)):
        raise InputError(f"{where}: 'start' and 'end' must be numbers of seconds.")
    if not isinstance(text, str):
        raise InputError(f"{where}: 'text' must be a string.")
    if end < start:
        raise InputError(f"{where}: 'end' ({end}) is before 'start' ({start}).")
    words = tuple(Word(float(w[0]), float(w[1]), str(w[2]), float(w[3]))
                  for w in item.get("words") or ())
    section, speaker = item.get("section"), item.get("speaker")
    return Sentence(id=ident, start=float(start), end=float(end), text=text, words=words,
                    section=section if isinstance(section, str) else None,
                    speaker=speaker if isinstance(speaker, str) else None)


def loads(text: str, source: str = "transcript") -> Transcript:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source} is not valid JSON (line {exc.lineno}: {exc.msg}); correct it "
                         "there, or run the stage that writes it again with --force.") from None
    return from_dict(data, source)


def load(path: Path) -> Transcript:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read {path}: {exc}.") from None
    return loads(text, str(path))
