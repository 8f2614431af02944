"""Choose the best ordered set of item starts over sentence boundaries (dynamic programming)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pipeline.agenda import Agenda, AgendaItem
from pipeline.formats.speakers import Speaker
from pipeline.formats.transcript import Sentence
from pipeline.segment.evidence import (
    Evidence,
    closing_items,
    item_cues,
    opening_items,
    overviews,
    sentence_cues,
)
from pipeline.segment.options import SegmentOptions
from pipeline.segment.voices import Voices, voice_share, voices
from pipeline.text.words import TfIdf, normalise_rows, tokens

NEG = -1e12


@dataclass(frozen=True)
class Boundary:
    """Where one item starts: sentence ``index`` (``len(sentences)``: after the last one)."""

    index: int
    score: float
    evidence: tuple[str, ...]
    prior_index: int


def pinned_index(sentences: list[Sentence], pinned: float) -> int:
    """The first sentence whose middle lies at or after ``pinned``."""
    for j, s in enumerate(sentences):
        if (s.start + s.end) / 2 >= pinned:
            return j
    return len(sentences)


def find_boundaries(sentences: list[Sentence], agenda: Agenda, options: SegmentOptions,
                    speakers: tuple[Speaker, ...] | list[Speaker] = ()) -> list[Boundary]:
    """One boundary per agenda item, in order (``speakers``: who each voice is, from
    speakers.json, where the speaker stage ran)."""
    items = agenda.items
    overview = overviews(sentences, items)
    found = voices(sentences, items, speakers, options.turn_gap_s)
    cues = sentence_cues(sentences, options, overview, found)
    own = item_cues(sentences, items, options, overview, found)
    own = _with_contrast(own, _contrast(sentences, agenda, options), "the item's words after it")
    own = _with_contrast(own, _voice_contrast(sentences, found, options),
                         "the item's voices after it")
    unary = _unary(sentences, items, cues, own, options) - _unheard(sentences, found, options)
    path = _best_path(unary, items, options, _times(sentences))
    return [_boundary(sentences, items[k], index, cues, own[k], unary[k])
            for k, index in enumerate(path)]


def _times(sentences) -> np.ndarray:
    """Where an item may start: each sentence's start, and the end of the last one."""
    return np.array([s.start for s in sentences] + [sentences[-1].end if sentences else 0.0])


def _sigma(item: AgendaItem, options: SegmentOptions) -> float:
    return options.prior_sigma_s + options.prior_sigma_growth * item.start


def _unary(sentences, items, cues: list[Evidence], own: list[list[Evidence]], options) -> np.ndarray:
    """Score of each item starting at each sentence (last column: after the last sentence)."""
    n = len(sentences)
    times = _times(sentences)
    evidence = np.array([c.score for c in cues] + [0.0])
    concluding = np.array([c.closing for c in cues] + [0.0])
    greeting = np.array([c.opening for c in cues] + [0.0])
    unary = np.full((len(items), n + 1), NEG)
    for k, (item, closing, opening) in enumerate(zip(items, closing_items(items),
                                                     opening_items(items))):
        if item.pinned_start is not None:
            unary[k, pinned_index(sentences, item.pinned_start)] = 0.0
            continue
        prior = -0.5 * ((times - item.start) / _sigma(item, options)) ** 2
        named = np.array([c.score for c in own[k]] + [0.0])
        unary[k] = (prior + evidence + named + (concluding if closing else 0.0)
                    + (greeting if opening else 0.0))
    return unary


def _unheard(sentences, found: Voices, options) -> np.ndarray:
    """Per item and sentence: ``unheard_weight`` for each voice an earlier item lists that
    has not yet spoken (a sentence of ``heard_min_s`` or more) before the sentence: the
    presentations are not over before every presenter has spoken."""
    n, count = len(sentences), len(found.listed)
    out = np.zeros((count, n + 1))
    if not n or not found.known:
        return out
    first: dict[str, int] = {}
    for j, (s, label) in enumerate(zip(sentences, found.labels)):
        if label is not None and label not in first and s.end - s.start >= options.heard_min_s:
            first[label] = j
    indices = np.arange(n + 1)
    waiting: set[str] = set()
    for k in range(1, count):
        waiting |= {v for v in found.listed[k - 1] if v in first}
        for voice in waiting:
            out[k] += options.unheard_weight * (indices <= first[voice])
    return out


def _contrast(sentences, agenda: Agenda, options) -> np.ndarray:
    """Per item and sentence: does the talk after the sentence match the item's words better
    than the previous item's, more than the talk before it does?"""
    n, items = len(sentences), agenda.items
    if not n:
        return np.zeros((len(items), 0))
    sentence_tokens = [tokens(s.text) for s in sentences]
    item_tokens = [tokens(_item_text(item, agenda)) for item in items]
    tfidf = TfIdf(sentence_tokens + item_tokens)
    rows, profiles = tfidf.matrix(sentence_tokens), tfidf.matrix(item_tokens)
    starts = np.array([s.start for s in sentences])
    after = (starts[None, :] >= starts[:, None]) & (starts[None, :] < starts[:, None] + options.context_s)
    before = (starts[None, :] < starts[:, None]) & (starts[None, :] >= starts[:, None] - options.context_s)
    sims_after = normalise_rows(after.astype(float) @ rows) @ profiles.T
    sims_before = normalise_rows(before.astype(float) @ rows) @ profiles.T
    out = np.zeros((len(items), n))
    for k in range(1, len(items)):
        gain_after = sims_after[:, k] - sims_after[:, k - 1]
        gain_before = sims_before[:, k] - sims_before[:, k - 1]
        out[k] = options.affinity_weight * (gain_after - gain_before)
    return out


def _voice_contrast(sentences, found: Voices, options) -> np.ndarray:
    """Per item and sentence: do the voices the agenda lists first for the item speak more
    after the sentence than before it, and those it lists first for the previous item less?
    A voice both items list is in neither group: a discussion that lists the people who
    have just presented has no contrast of voices with their presentations. Where the item
    lists someone whom no voice is named for, a voice with no listed name may be theirs and
    counts with the item's (a debate opened by a member no one named)."""
    own = found.own
    n, count = len(sentences), len(found.listed)
    out = np.zeros((count, n))
    if not n or not found.known or not any(own):
        return out
    pairs = [((found.listed[k] | found.unclaimed[k]) - own[k - 1], found.listed[k - 1] - own[k])
             for k in range(1, count)]
    after, before = voice_share(sentences, found, [g for pair in pairs for g in pair],
                                options.context_s)
    for k, (new, gone) in enumerate(pairs, start=1):
        if not new and not gone:
            continue
        i, o = 2 * (k - 1), 2 * (k - 1) + 1
        gain = (after[:, i] - after[:, o]) - (before[:, i] - before[:, o])
        out[k] = options.voice_affinity_weight * gain
    return out


def _with_contrast(own: list[list[Evidence]], contrast: np.ndarray, label: str,
                   shown: float = 0.5) -> list[list[Evidence]]:
    """The item cues plus a contrast's score; its reason is given where it adds ``shown``
    or more."""
    return [[Evidence(e.score + float(c),
                      e.reasons + ((f"{label} (+{c:.1f})",) if c >= shown else ()))
             for e, c in zip(row, values)] for row, values in zip(own, contrast)]


def _item_text(item: AgendaItem, agenda: Agenda) -> str:
    text = " ".join([item.title_in("en")] * 2 + [item.description, " ".join(item.speakers)])
    lowered = text.lower()
    extra = [t.source for t in agenda.glossary.terms if t.source.lower() in lowered]
    extra += [k for k in agenda.glossary.keep if k.lower() in lowered]
    return " ".join([text] + extra)


def _best_path(unary: np.ndarray, items, options, times: np.ndarray) -> list[int]:
    """Monotonic item starts maximising the boundary evidence (Viterbi over sentences).

    State 0 is talk before the first item (allowed only when the first item starts late);
    states 1..K are the items. Skipping a state leaves that item empty, at a cost. An item
    that is not empty lasts at least its shortest length (``_shortest``): the next item is
    entered from where the path stood that long before.
    """
    n, count = unary.shape[1] - 1, len(items)
    pre = items[0].start >= options.pre_meeting_s or (items[0].pinned_start or 0) > 0
    lags = _lags(times, _shortest(items, options))
    score = np.full(count + 1, NEG)
    score[0] = 0.0 if pre else NEG
    score, origin = _entry(score, unary[:, 0], options.empty_penalty, fresh=True, pre=pre)
    history, back = [score], [(origin, np.full(count + 1, -1))]
    for j in range(1, n + 1):
        lagged = np.array([history[i][m] if i >= 0 else NEG for m, i in enumerate(lags[j])])
        best, origin = _entry(lagged, unary[:, j], options.empty_penalty)
        if j == n:
            final = [score[k] + _tail(unary[:, n], k, options.empty_penalty) for k in range(count + 1)]
            return _trace(back, int(np.argmax(final)), n, count)
        stay = score >= best
        states = np.arange(count + 1)
        back.append((np.where(stay, states, origin), np.where(stay, j - 1, lags[j][origin])))
        score = np.where(stay, score, best)
        history.append(score)
    return _trace(back, int(np.argmax(score)), n, count) if n else [0] * count


def _shortest(items, options) -> np.ndarray:
    """Per state, the shortest an item may last (seconds): ``min_item_s``, or less for an item
    scheduled for less than ``min_item_s / min_item_share``; none for the talk before."""
    starts = [item.start for item in items]
    planned = [b - a for a, b in zip(starts, starts[1:])] + [math.inf]
    return np.array([0.0] + [min(options.min_item_s, options.min_item_share * max(0.0, p))
                             for p in planned])


def _lags(times: np.ndarray, shortest: np.ndarray) -> np.ndarray:
    """``[j, m]``: the last sentence before ``j`` that starts ``shortest[m]`` or more before it
    (-1 where none does)."""
    limits = times[:, None] - shortest[None, :]
    lags = np.searchsorted(times, limits, side="right") - 1
    return np.minimum(lags, np.arange(len(times))[:, None] - 1)


def _entry(score, unary_j, penalty: float, fresh: bool = False, pre: bool = False):
    """Best score of entering each state at a sentence, and the state it came from."""
    count = len(unary_j)
    best, origin = np.full(count + 1, NEG), np.arange(count + 1)
    if fresh:                                   # the first sentence: earlier items are empty
        best[0] = 0.0 if pre else NEG
        running = 0.0
        for k in range(1, count + 1):
            running += unary_j[k - 1]
            best[k] = running - penalty * (k - 1)
            origin[k] = -1
        return best, origin
    for k in range(1, count + 1):
        entered = 0.0
        for m in range(k - 1, -1, -1):          # from state m; items m+1..k-1 start here, empty
            entered += unary_j[m]
            value = score[m] + entered - penalty * (k - m - 1)
            if value > best[k]:
                best[k], origin[k] = value, m
    return best, origin


def _tail(unary_n, state: int, penalty: float) -> float:
    """Items after ``state`` start after the last sentence: each is empty."""
    rest = unary_n[state:]
    return float(rest.sum() - penalty * len(rest)) if len(rest) else 0.0


def _trace(back: list[tuple[np.ndarray, np.ndarray]], state: int, n: int, count: int) -> list[int]:
    """Start index of every item from the back-pointers (per sentence and state: the state
    and the sentence it came from; empty items share an index)."""
    starts = [n] * count
    j = len(back) - 1
    while j >= 0:
        came, where = int(back[j][0][state]), int(back[j][1][state])
        if came == state:                       # stayed in the state
            j -= 1
            continue
        for k in range(max(came, 0) + 1, state + 1):
            starts[k - 1] = j
        if came < 0:
            break
        state, j = came, where
    return starts


def _boundary(sentences, item: AgendaItem, index: int, cues: list[Evidence], own: list[Evidence],
              unary: np.ndarray) -> Boundary:
    times = [s.start for s in sentences]
    prior_index = int(np.argmin([abs(t - item.start) for t in times])) if times else 0
    reasons: tuple[str, ...] = ()
    if index < len(sentences):
        reasons = cues[index].reasons + own[index].reasons
    value = float(unary[index]) if unary[index] > NEG / 2 else -math.inf
    return Boundary(index=index, score=round(value, 3), evidence=reasons, prior_index=prior_index)
