"""What speaker attribution produces: sentences with a voice label, turns, and speakers with names."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.formats.transcript import Sentence


@dataclass(frozen=True)
class SpokenSentence:
    """A sentence said by one voice. ``split_from`` is the id of the recognised sentence it
    was cut from where a change of voice fell inside that sentence (None otherwise)."""

    sentence: Sentence
    speaker: str
    split_from: int | None = None


@dataclass(frozen=True)
class Turn:
    """Consecutive sentences of one voice: ``sentences`` are their ids, in order."""

    speaker: str
    start: float
    end: float
    sentences: tuple[int, ...]


@dataclass(frozen=True)
class Evidence:
    """Why a voice got a name: what kind of clue, the sentence that said it, and its words."""

    kind: str                  # agenda, self-introduction, floor-given, thanked, role, editor
    name: str                  # the person it points to, as the agenda (or speaker) spells it
    text: str                  # the words that gave it
    sentence: int | None = None
    weight: float = 1.0

    def to_record(self) -> dict:
        return {"kind": self.kind, "name": self.name, "text": self.text,
                "sentence": self.sentence, "weight": self.weight}


@dataclass(frozen=True)
class Speaker:
    """A voice: its ``label`` (S1, S2 … in order of first speech), the name and role the
    evidence gave (None without evidence), how long and how often it spoke."""

    label: str
    name: str | None = None
    role: str | None = None
    talk_s: float = 0.0
    turns: int = 0
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    @property
    def display(self) -> str:
        """The name, else "Speaker N" (never a guessed name)."""
        return self.name or f"Speaker {self.label.lstrip('S')}"

    def to_record(self) -> dict:
        return {"label": self.label, "name": self.name, "role": self.role,
                "talk_s": round(self.talk_s, 3), "turns": self.turns,
                "evidence": [e.to_record() for e in self.evidence]}
