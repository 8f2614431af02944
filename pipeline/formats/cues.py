"""Subtitle cues from sentences: split at punctuation or pauses, time, and break into lines.

A cue never spans two sentences. With word timings (the English transcript) a cue takes its
times from its words; without them (translations) a sentence's time is shared between its
cues in proportion to their characters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from pipeline.formats.transcript import Sentence, Transcript, Word

# Where a cut or line break is good (punctuation ending the left side) ...
_PUNCTUATION = {".": 4.0, "?": 4.0, "!": 4.0, "…": 3.5, ";": 3.0, ":": 3.0, "—": 2.5,
                "–": 2.5, ",": 2.0}
# ... words that start a clause (a cut before them is good), in English, French and Spanish ...
CLAUSE_WORDS = frozenset("""
    and but or so because although though while whereas which who where when that if unless
    et mais ou donc car parce puisque lorsque quand qui que dont où si alors tandis
    y e pero o u porque pues cuando mientras aunque que quien donde si sino
""".split())
# ... and words that should not end a line (they belong with the next word).
WEAK_ENDINGS = frozenset("""
    a an the of to in on at for by with from and or my our your their its his her this that
    le la les l' un une des du de d' à au aux en et ou sur pour par dans ce cette ces son sa
    el los las un una unos unas del al con por para y o su sus este esta estos estas
""".split())
_CLOSING = set("!?:;»)]}…%")      # a token made only of these belongs to the word before
_OPENING = set("«([{¿¡\"")          # a token made only of these belongs to the word after
_TRAILING = "\"'”’»)]}"
_EPSILON = 0.001
_PIECE_COST = 2.5       # what one more cue costs, against the strength of the cuts it allows


@dataclass(frozen=True)
class CueOptions:
    """Subtitle limits; the only place these defaults live."""

    max_line_chars: int = 42
    max_lines: int = 2
    max_cps: float = 17.0           # reading speed: characters per second
    min_duration_s: float = 1.0
    max_duration_s: float = 7.0
    min_gap_s: float = 0.08         # kept clear before the next cue when a cue is extended

    def __post_init__(self) -> None:
        if self.max_line_chars < 1 or self.max_lines < 1:
            raise ValueError("max_line_chars and max_lines must be at least 1.")
        if self.max_cps <= 0 or self.min_duration_s < 0 or self.min_gap_s < 0:
            raise ValueError("max_cps must be positive; min_duration_s and min_gap_s not negative.")
        if self.max_duration_s < self.min_duration_s:
            raise ValueError("max_duration_s must not be shorter than min_duration_s.")


@dataclass(frozen=True)
class Cue:
    """One subtitle: its time, its lines, and the sentence it comes from."""

    start: float
    end: float
    lines: tuple[str, ...]
    sentence_id: int

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class _Unit:
    """An unbreakable piece of text (a word with its attached punctuation) and its time."""

    text: str
    start: float
    end: float


def build_cues(transcript: Transcript, options: CueOptions = CueOptions(), *,
               lead_ins: Mapping[int, str] | None = None) -> list[Cue]:
    """Cues for every sentence of ``transcript``, in order, timed and line-broken.

    ``lead_ins``: sentence id → words shown before the sentence's first word (a speaker's
    name where a turn begins), broken into lines and fitted like the sentence's own words.
    """
    cues: list[Cue] = []
    for sentence in transcript.sentences:
        units = _units(sentence)
        if not units:
            continue
        lead = (lead_ins or {}).get(sentence.id)
        if lead:            # never a cue of its own: it goes with the first word
            units = [_Unit(f"{lead} {units[0].text}", units[0].start, units[0].end)] + units[1:]
        for piece in _split(units, options):
            lines = break_lines([u.text for u in piece], options.max_line_chars, options.max_lines)
            cues.append(Cue(piece[0].start, piece[-1].end, lines, sentence.id))
    return _extend(_no_overlaps(cues), options)


# -- units -------------------------------------------------------------------------------
def _units(sentence: Sentence) -> list[_Unit]:
    """Word units timed by the words when they match the text, else by character share."""
    from_words = _word_units(sentence)
    if from_words and [t for u in from_words for t in u.text.split()] == sentence.text.split():
        return from_words
    return _text_units(sentence)


def _word_units(sentence: Sentence) -> list[_Unit]:
    units: list[_Unit] = []
    for word in sentence.words:
        glued = bool(units) and word.text[:1] not in ("", " ") and not word.text[0].isspace()
        if glued or (units and _only(word.text.strip(), _CLOSING)):
            last = units[-1]
            units[-1] = _Unit((last.text + word.text).strip(), last.start, max(last.end, word.end))
        elif word.text.strip():
            units.extend(_spread(word))
    return _attach_openings(units)


def _spread(word: Word) -> list[_Unit]:
    """A recognised "word" holding several words (a glossary term) shares its time by length."""
    parts = word.text.split()
    total = sum(len(p) + 1 for p in parts)
    duration = max(0.0, word.end - word.start)
    units, offset = [], 0
    for part in parts:
        start = word.start + duration * offset / total
        offset += len(part) + 1
        units.append(_Unit(part, start, word.start + duration * offset / total))
    return units


def _text_units(sentence: Sentence) -> list[_Unit]:
    tokens: list[str] = []
    for token in sentence.text.split():
        if tokens and _only(token, _CLOSING):
            tokens[-1] = f"{tokens[-1]} {token}"
        else:
            tokens.append(token)
    tokens = [u.text for u in _attach_openings([_Unit(t, 0.0, 0.0) for t in tokens])]
    weights = [len(t) + 1 for t in tokens]
    total = sum(weights) or 1
    duration = max(0.0, sentence.end - sentence.start)
    units, offset = [], 0
    for token, weight in zip(tokens, weights):
        start = sentence.start + duration * offset / total
        offset += weight
        units.append(_Unit(token, start, sentence.start + duration * offset / total))
    return units


def _attach_openings(units: list[_Unit]) -> list[_Unit]:
    """Join a lone opening mark (« or ¿) to the word after it."""
    out: list[_Unit] = []
    pending: _Unit | None = None
    for unit in units:
        if pending is not None:
            unit = _Unit(f"{pending.text} {unit.text}", pending.start, unit.end)
            pending = None
        if _only(unit.text, _OPENING):
            pending = unit
        else:
            out.append(unit)
    if pending is not None:
        out.append(pending)
    return out


def _only(token: str, marks: set[str]) -> bool:
    return bool(token) and all(ch in marks for ch in token)


# -- splitting a sentence into cues ------------------------------------------------------
def _split(units: list[_Unit], options: CueOptions) -> list[list[_Unit]]:
    """The fewest, best-cut pieces that each fit one cue (dynamic programme over cuts).

    A piece fits when its text breaks into ``max_lines`` lines and it lasts at most
    ``max_duration_s``; every extra piece costs more than a plain cut gains, so cuts fall
    at punctuation, pauses and clause words only when they do not add cues needlessly.
    """
    n = len(units)
    strength = [0.0] + [boundary_strength(units[i - 1], units[i]) for i in range(1, n)]
    short = options.max_lines * options.max_line_chars * 0.4
    best: list[tuple[float, int]] = [(0.0, 0)] + [(math.inf, 0)] * n
    for i in range(n):
        if best[i][0] == math.inf:
            continue
        for j in range(i + 1, n + 1):
            if j - i > 1 and not _fits(units[i:j], options):
                break           # a longer piece cannot fit either
            chars = len(_joined(units[i:j]))
            cost = best[i][0] + _PIECE_COST - strength[i] + 2.0 * max(0.0, 1 - chars / short)
            if cost < best[j][0]:
                best[j] = (cost, i)
    pieces, j = [], n
    while j > 0:
        i = best[j][1]
        pieces.append(units[i:j])
        j = i
    return pieces[::-1]


def _fits(units: Sequence[_Unit], options: CueOptions) -> bool:
    lines = _greedy_lines([u.text for u in units], options.max_line_chars)
    return (len(lines) <= options.max_lines
            and units[-1].end - units[0].start <= options.max_duration_s)


def boundary_strength(left: _Unit, right: _Unit) -> float:
    """How good a cut between two units is: punctuation, a clause word, a pause."""
    token = left.text.rstrip(_TRAILING)
    strength = 0.5 if _abbreviation(token) else _PUNCTUATION.get(token[-1:], 0.0)
    if right.text.lower().strip("«¿¡\"'") in CLAUSE_WORDS:
        strength += 1.0
    if left.text.lower() in WEAK_ENDINGS:
        strength -= 1.5
    if right.text.lower() in WEAK_ENDINGS:
        strength += 0.75    # before an article or preposition: a phrase starts there
    if strength == 0:
        # Inside a phrase, worse still inside a name ("Nations Unies") or a quantity.
        name = left.text[:1].isupper() and right.text[:1].isupper()
        strength -= 2.0 if name or left.text[-1:].isdigit() else 1.0
    return strength + min(max(0.0, right.start - left.end), 1.5) * 2.0


def _abbreviation(token: str) -> bool:
    """A full stop that likely ends an abbreviation (Dr. U.N. e.g. Sra.), not a clause."""
    return token.endswith(".") and ("." in token[:-1] or (len(token) <= 4 and token[:1].isupper()))


# -- lines -------------------------------------------------------------------------------
def break_lines(tokens: Sequence[str], max_chars: int, max_lines: int) -> tuple[str, ...]:
    """Break tokens into at most ``max_lines`` balanced lines of at most ``max_chars``.

    Prefers breaking after punctuation, never leaves a lone short word on a line when it
    can help it, and avoids ending a line on an article or preposition. Only a single
    token longer than ``max_chars`` (or text that cannot fit at all) overflows.
    """
    tokens = [t for t in tokens if t]
    text = " ".join(tokens)
    if len(text) <= max_chars or len(tokens) < 2:
        return (text,) if text else ()
    greedy = _greedy_lines(tokens, max_chars)
    if len(greedy) > max_lines:
        return tuple(greedy)
    best = _balanced(tokens, max_chars, max(2, len(greedy)))
    return best if best is not None else tuple(greedy)


def _greedy_lines(tokens: Sequence[str], max_chars: int) -> list[str]:
    lines: list[str] = []
    for token in tokens:
        if lines and len(lines[-1]) + 1 + len(token) <= max_chars:
            lines[-1] = f"{lines[-1]} {token}"
        else:
            lines.append(token)
    return lines


def _balanced(tokens: Sequence[str], max_chars: int, count: int) -> tuple[str, ...] | None:
    """Dynamic programme over break positions minimising imbalance and bad breaks."""
    n = len(tokens)
    target = len(" ".join(tokens)) / count
    inf = float("inf")
    # best[k][j]: cost of the first j tokens in k lines, with the break positions used.
    best: list[list[tuple[float, tuple[int, ...]]]] = [[(inf, ())] * (n + 1) for _ in range(count + 1)]
    best[0][0] = (0.0, ())
    for k in range(1, count + 1):
        for j in range(k, n + 1):
            for i in range(k - 1, j):
                prior, cuts = best[k - 1][i]
                if prior == inf:
                    continue
                cost = _line_cost(tokens, i, j, target, max_chars, last=(j == n))
                if prior + cost < best[k][j][0]:
                    best[k][j] = (prior + cost, cuts + (j,))
    cost, cuts = best[count][n]
    if cost == inf:
        return None
    bounds = (0,) + cuts
    return tuple(" ".join(tokens[a:b]) for a, b in zip(bounds, bounds[1:]))


def _line_cost(tokens: Sequence[str], i: int, j: int, target: float, max_chars: int,
               last: bool) -> float:
    line = " ".join(tokens[i:j])
    if len(line) > max_chars:
        return float("inf")
    cost = (len(line) - target) ** 2 / max_chars
    if j - i == 1 and len(line) <= 4:
        cost += 10.0            # a lone short word on its own line
    if not last:
        end, after = tokens[j - 1], tokens[j]
        if not _abbreviation(end.rstrip(_TRAILING)):
            cost -= _PUNCTUATION.get(end.rstrip(_TRAILING)[-1:], 0.0) * 2.0
        if after.lower().strip("«¿¡\"'") in CLAUSE_WORDS:
            cost -= 1.0
        if end.lower() in WEAK_ENDINGS:
            cost += 3.0
        if end[-1:].isdigit() or (end[:1].isupper() and after[:1].isupper()):
            cost += 1.5     # keep "3.5 million" and "Amina Mohammed" on one line
    return cost


def _joined(units: Sequence[_Unit]) -> str:
    return " ".join(u.text for u in units)


# -- timing ------------------------------------------------------------------------------
def _no_overlaps(cues: list[Cue]) -> list[Cue]:
    """Make cues disjoint and of positive length (recogniser word times can overlap or be
    empty), moving a start or end by the least amount, a millisecond at a time."""
    out: list[Cue] = []
    for cue in cues:
        start = max(cue.start, out[-1].end) if out else max(0.0, cue.start)
        out.append(replace(cue, start=start, end=max(cue.end, start + _EPSILON)))
    return out


def _extend(cues: list[Cue], options: CueOptions) -> list[Cue]:
    """Lengthen short or fast cues toward the minimum duration and reading speed.

    A cue grows only into free time, stops ``min_gap_s`` before the next cue and never
    beyond ``max_duration_s``; a cue that ends too close to the next one is trimmed to
    leave the gap when it can spare it.
    """
    out: list[Cue] = []
    for index, cue in enumerate(cues):
        nxt = cues[index + 1].start if index + 1 < len(cues) else math.inf
        wanted = max(options.min_duration_s, len(cue.text) / options.max_cps)
        wanted = min(wanted, options.max_duration_s)
        end = cue.end
        if end - cue.start < wanted:
            end = max(end, min(cue.start + wanted, nxt - options.min_gap_s))
        if nxt - end < options.min_gap_s and nxt - options.min_gap_s > cue.start + _EPSILON:
            end = nxt - options.min_gap_s
        out.append(replace(cue, end=min(end, nxt)))
    return out
