"""Recognised words to sentences: split at final punctuation, long pauses, or over-long runs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Sequence

from pipeline.formats.transcript import Sentence, Word

# Tokens that end in a full stop without ending a sentence (compared lower-case, without
# surrounding quotes or brackets).
ABBREVIATIONS = frozenset("""
    mr. mrs. ms. mx. dr. prof. st. sr. jr. mt. ft. gen. gov. sen. rep. hon. rev. col. capt.
    lt. sgt. maj. cmdr. adm. pres. amb. messrs. mme. mlle. sra. sr. srta. dra.
    e.g. i.e. etc. vs. v. cf. viz. al. approx. ca. inc. ltd. co. corp. dept. univ. assn. jan. feb. mar. apr. jun. jul. aug. sep.
    sept. oct. nov. dec. a.m. p.m.
""".split())

# Abbreviations only when a number follows ("No. 5", "para. 3"); "No." alone is an answer.
NUMBER_ABBREVIATIONS = frozenset("no. nos. vol. art. arts. para. paras. fig. p. pp. ch. sec.".split())

CONJUNCTIONS = frozenset("""
    and but or so because although though while whereas which who whom whose where when
    that if unless until since however therefore then yet nor
""".split())

_FINAL = ".?!…"
_TRAILING = "\"'”’»)]}"
_LEADING = "\"'“‘«([{¿¡"
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")        # U.N. U.S.A. a.m.
_INITIAL = re.compile(r"^[B-HJ-Z]\.$")                  # J. (as in J. Smith); not "I." or "A."
_NUMBERED = re.compile(r"^\d+\.$")                      # 3. (a list number or "3.5" split)
_CLAUSE = {";": 3.0, ":": 2.5, "—": 2.5, "–": 2.0, ",": 2.0}


@dataclass(frozen=True)
class SentenceOptions:
    """How words are grouped into sentences; the only place these defaults live."""

    max_chars: int = 250            # a longer sentence is split at its best clause boundary
    max_duration_s: float = 20.0    # ... and so is a longer-lasting one
    pause_split_s: float = 1.5      # a silence this long ends a sentence, punctuation or not
    min_words: int = 3              # a forced split leaves at least this many words each side

    def __post_init__(self) -> None:
        if self.max_chars < 1 or self.max_duration_s <= 0 or self.pause_split_s <= 0:
            raise ValueError("max_chars, max_duration_s and pause_split_s must be positive.")
        if self.min_words < 1:
            raise ValueError("min_words must be at least 1.")


def sentences_from_words(words: Sequence[Word], options: SentenceOptions = SentenceOptions(),
                         first_id: int = 1) -> list[Sentence]:
    """Group words (in time order) into sentences with consecutive ids from ``first_id``."""
    groups: list[list[Word]] = []
    for run in _natural_runs(list(words), options):
        groups.extend(_split_long(run, options))
    return [_sentence(first_id + index, group) for index, group in enumerate(groups)]


def ends_sentence(word: Word, following: Word | None) -> bool:
    """True when ``word`` closes a sentence, judged from its text and the word after it."""
    token = word.text.strip().rstrip(_TRAILING)
    if not token or token[-1] not in _FINAL:
        return False
    if following is not None and not _can_cut_before(following):
        return False        # the next word is glued on ("3." + "5"): one written word
    if token[-1] in "?!":
        return True
    nxt = following.text.strip().lstrip(_LEADING) if following is not None else ""
    if nxt[:1].islower():
        return False        # "etc. and so on", "and then ... we": a lower-case word continues
    if token.endswith(("..", "…")):
        return True
    bare = token.lstrip(_LEADING).lower()
    if bare in ABBREVIATIONS or _ACRONYM.match(bare) or _INITIAL.match(token.lstrip(_LEADING)):
        return False
    numbered = _NUMBERED.match(bare) or bare in NUMBER_ABBREVIATIONS
    return not (numbered and nxt[:1].isdigit())


def _natural_runs(words: list[Word], options: SentenceOptions) -> list[list[Word]]:
    runs: list[list[Word]] = []
    current: list[Word] = []
    for index, word in enumerate(words):
        current.append(word)
        following = words[index + 1] if index + 1 < len(words) else None
        pause = following is not None and following.start - word.end >= options.pause_split_s
        if following is None or pause or ends_sentence(word, following):
            runs.append(current)
            current = []
    return [run for run in runs if _text(run)]


def _split_long(words: list[Word], options: SentenceOptions) -> list[list[Word]]:
    """Split a run that is too long or lasts too long, recursively, at its best boundary."""
    too_long = len(_text(words)) > options.max_chars
    too_slow = words[-1].end - words[0].start > options.max_duration_s
    if len(words) < 2 or not (too_long or too_slow):
        return [words]
    cut = _best_cut(words, options)
    return _split_long(words[:cut], options) + _split_long(words[cut:], options)


def _best_cut(words: list[Word], options: SentenceOptions) -> int:
    """The index that starts the second part: the strongest boundary, near the middle."""
    prefix = [0, *accumulate(len(w.text) for w in words)]
    total = prefix[-1] or 1
    margin = max(1, min(options.min_words, len(words) // 2))
    candidates = [i for i in range(margin, len(words) - margin + 1)
                  if _can_cut_before(words[i])] or list(range(1, len(words)))

    def score(i: int) -> float:
        balance = abs(2 * prefix[i] - total) / total       # 0 in the middle, 1 at an end
        return boundary_strength(words[i - 1], words[i]) - 2.5 * balance

    return max(candidates, key=score)


def boundary_strength(left: Word, right: Word) -> float:
    """How good a place to split between two words: punctuation, a conjunction, a pause."""
    token = left.text.strip().rstrip(_TRAILING)
    strength = _CLAUSE.get(token[-1:], 0.0) if token else 0.0
    if token[-1:] in _FINAL and ends_sentence(left, right):
        strength = max(strength, 3.5)
    if right.text.strip().lower().strip(",;:") in CONJUNCTIONS:
        strength += 1.0
    gap = max(0.0, right.start - left.end)
    return strength + min(gap, 2.0) * 2.0


def _can_cut_before(word: Word) -> bool:
    """Whisper words start with a space; one without it is glued to the word before."""
    return not word.text or word.text[0].isspace()


def _text(words: Sequence[Word]) -> str:
    return "".join(w.text for w in words).strip()


def _sentence(ident: int, words: list[Word]) -> Sentence:
    start = words[0].start
    return Sentence(id=ident, start=start, end=max(words[-1].end, start), text=_text(words),
                    words=tuple(words))
