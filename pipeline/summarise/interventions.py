"""An item's interventions (who spoke, in turns) and passages (sentences the recogniser cut)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from pipeline.formats.transcript import Sentence

_FINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_FIRST_LETTER = re.compile(r"[^\W\d_]")
_FIRST_PERSON = frozenset("i i'm i've i'd i'll me my mine myself we we're we've we'd we'll us "
                          "our ours ourselves".split())
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


@dataclass(frozen=True)
class Intervention:
    """One speaker's turn in an item, or consecutive turns of one speaker around a short
    interruption; ``speaker`` is the voice's label, None when voices are not known."""

    index: int
    speaker: str | None
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Passage:
    """Sentences that stand together: one, or a sentence the recogniser cut mid-thought with
    the sentences that finish it. The unit a draft keeps or leaves out."""

    intervention: int
    sentences: tuple[Sentence, ...]

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(s.id for s in self.sentences)

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.sentences)

    @property
    def words(self) -> int:
        return sum(word_count(s.text) for s in self.sentences)


def word_count(text: str) -> int:
    return len(text.split())


def interventions(sentences: Sequence[Sentence], interruption_words: int) -> list[Intervention]:
    """The item's sentences as interventions, in the order they were said.

    A turn of at most ``interruption_words`` words between two turns of one speaker ("Please
    go on.") is an interruption: the two turns are one intervention, the interruption is left
    out. Without voices (no sentence has a label) the whole item is one intervention.
    """
    merged: list[list[Sentence]] = []
    for turn in _turns(sentences):
        if (len(merged) >= 2 and merged[-2][0].speaker == turn[0].speaker is not None
                and sum(word_count(s.text) for s in merged[-1]) <= interruption_words):
            merged.pop()
            merged[-1].extend(turn)
        else:
            merged.append(list(turn))
    return [Intervention(k, run[0].speaker, tuple(run)) for k, run in enumerate(merged)]


def passages(intervention: Intervention) -> list[Passage]:
    """The intervention's sentences as passages: a sentence with no final punctuation is
    joined to the next, and a sentence that opens in lower case to the one before."""
    out: list[list[Sentence]] = []
    for sentence in intervention.sentences:
        if out and (is_cut(out[-1][-1]) or continues(sentence)):
            out[-1].append(sentence)
        else:
            out.append([sentence])
    return [Passage(intervention.index, tuple(run)) for run in out]


def is_cut(sentence: Sentence) -> bool:
    """The recogniser ended the sentence mid-thought: no final punctuation."""
    return not _FINAL.search(sentence.text.strip())


def continues(sentence: Sentence) -> bool:
    """The sentence goes on from the one before: it opens with a lower-case letter."""
    first = _FIRST_LETTER.search(sentence.text)
    return bool(first) and first.group(0).islower()


def first_person(text: str) -> bool:
    """Whether an English sentence speaks in the first person ("I", "we", "our"...); "US"
    in capitals is the country, not "us"."""
    for word in _WORD.findall(text):
        low = word.lower().replace("’", "'")
        if low not in _FIRST_PERSON:
            continue
        if low == "i" or low.startswith("i'"):
            if word.startswith("I"):
                return True
        elif not (word.isupper() and len(word) > 1):
            return True
    return False


def _turns(sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    """Runs of consecutive sentences of one voice (all of them when no voice is known)."""
    runs: list[list[Sentence]] = []
    for sentence in sentences:
        if runs and runs[-1][-1].speaker == sentence.speaker:
            runs[-1].append(sentence)
        else:
            runs.append([sentence])
    return runs
