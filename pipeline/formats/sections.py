"""``sections.json``: agenda items resolved to time ranges, and the sentence-to-item rule."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from pipeline.errors import SessionError
from pipeline.formats.transcript import Sentence, Transcript

SCHEMA = "session-pipeline/sections/1"
SECTIONS_FILE = "sections.json"
METHODS = ("pinned", "aligned", "scheduled")


@dataclass(frozen=True)
class Section:
    """One agenda item's place in the recording (seconds) and how its start was found."""

    id: str
    titles: dict[str, str]
    start: float
    end: float
    scheduled_start: float
    pinned_start: float | None
    method: str
    score: float | None = None
    evidence: tuple[str, ...] = ()
    first_sentence: int | None = None
    last_sentence: int | None = None
    sentences: int = 0
    description: str = ""
    speakers: tuple[str, ...] = field(default_factory=tuple)

    def title_in(self, language: str) -> str:
        return self.titles.get(language) or self.titles.get("en") or self.id


def section_of(sentence: Sentence, sections: list[Section]) -> str | None:
    """The section whose start is the last one at or before the sentence's middle."""
    middle = (sentence.start + sentence.end) / 2
    found = None
    for section in sections:
        if section.start <= middle + 1e-6:
            found = section.id
    return found


def tag(transcript: Transcript, sections: list[Section]) -> Transcript:
    """The transcript with every sentence tagged with its section (same rule in every language)."""
    return transcript.with_sections({s.id: section_of(s, sections) for s in transcript.sentences})


def dumps(sections: list[Section], agenda_record: dict, duration_s: float) -> str:
    data = {"schema": SCHEMA, "agenda": agenda_record, "duration": round(duration_s, 3),
            "sections": [_to_dict(s) for s in sections]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _to_dict(section: Section) -> dict:
    data = asdict(section)
    for key in ("start", "end", "scheduled_start", "pinned_start"):
        if data[key] is not None:
            data[key] = round(data[key], 3)
    data["evidence"] = list(section.evidence)
    data["speakers"] = list(section.speakers)
    return data


def loads(text: str, source: str = SECTIONS_FILE) -> list[Section]:
    """The sections in ``text``; SessionError when it is not a sections file this version reads."""
    try:
        data = json.loads(text)
        if data.get("schema") != SCHEMA:
            raise ValueError(f"schema {data.get('schema')!r}")
        return [Section(**{**item, "evidence": tuple(item.get("evidence", ())),
                           "speakers": tuple(item.get("speakers", ()))})
                for item in data["sections"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SessionError(f"{source} is not a sections file this version can read ({exc}); "
                           "run 'session-pipeline segment' again.") from None
