"""What speaker attribution produces: sentences with a voice label and the turns they make.

The speakers themselves (label, name, role, evidence) are a file format:
:mod:`pipeline.formats.speakers`.
"""

from __future__ import annotations

from dataclasses import dataclass

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
