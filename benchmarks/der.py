"""Diarization error rate (collar, overlap counted) and the shares of speech time on the right voice and name.

DER follows the usual NIST definition: reference and hypothesis are lists of speaker turns;
time within ``collar`` seconds of any reference turn's start or end is not scored; in every
other stretch, ``n_ref`` reference speakers talk and the hypothesis says ``n_hyp`` did, of
whom ``n_ok`` are mapped to one of those reference speakers. Missed speech is
``max(0, n_ref - n_hyp)``, false alarm ``max(0, n_hyp - n_ref)``, confusion
``min(n_ref, n_hyp) - n_ok``, each weighted by the stretch's length; the DER is their sum
over the scored reference speech time. Overlapping reference turns count once per speaker.
The mapping from hypothesis labels to reference speakers is one to one and maximises the
time they share (Hungarian algorithm).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

COLLAR_S = 0.25
"""The usual no-score zone around each reference boundary, on each side."""


@dataclass(frozen=True)
class Turn:
    """Someone speaking from ``start`` to ``end`` (seconds)."""

    speaker: str
    start: float
    end: float


@dataclass(frozen=True)
class Der:
    """Scored seconds of each kind of error, and the label mapping used."""

    reference_s: float
    missed_s: float
    false_alarm_s: float
    confusion_s: float
    mapping: dict[str, str] = field(default_factory=dict)

    @property
    def der(self) -> float:
        if self.reference_s <= 0:
            raise ValueError("The reference has no scored speech.")
        return (self.missed_s + self.false_alarm_s + self.confusion_s) / self.reference_s


def der(reference: Sequence[Turn], hypothesis: Sequence[Turn], collar: float = COLLAR_S) -> Der:
    """The diarization error of ``hypothesis`` against ``reference`` (module docstring)."""
    excluded = _merge((t - collar, t + collar) for turn in reference for t in (turn.start, turn.end))
    pieces = list(_pieces(reference, hypothesis, excluded if collar > 0 else []))
    mapping = _best_mapping(pieces)
    ref_s = missed = alarm = confusion = 0.0
    for length, refs, hyps in pieces:
        ok = sum(1 for h in hyps if mapping.get(h) in refs)
        ref_s += length * len(refs)
        missed += length * max(0, len(refs) - len(hyps))
        alarm += length * max(0, len(hyps) - len(refs))
        confusion += length * (min(len(refs), len(hyps)) - ok)
    return Der(ref_s, missed, alarm, confusion, mapping)


def right_voice_share(reference: Sequence[Turn], hypothesis: Sequence[Turn]) -> float:
    """Share of the reference speech time whose hypothesis label maps to its speaker
    (the same one-to-one mapping as :func:`der`, no collar)."""
    pieces = list(_pieces(reference, hypothesis, []))
    mapping = _best_mapping(pieces)
    return _share(pieces, lambda ref, hyps: any(mapping.get(h) == ref for h in hyps))


def name_shares(reference: Sequence[Turn], hypothesis: Sequence[Turn]) -> tuple[float, float]:
    """(right, wrong): shares of the reference speech time whose hypothesis speaker has the
    reference speaker's name, and a different name. Names are compared by :func:`name_key`
    (titles, parentheses and roles after a comma ignored); an unnamed hypothesis label
    (empty, or "Speaker N") is neither right nor wrong."""
    pieces = list(_pieces(reference, hypothesis, []))
    named = [(length, refs, [h for h in hyps if name_key(h)]) for length, refs, hyps in pieces]

    def right(ref, hyps):
        return any(name_key(h) == name_key(ref) for h in hyps)

    def wrong(ref, hyps):
        return bool(hyps) and not right(ref, hyps)

    return _share(named, right), _share(named, wrong)


TITLES = frozenset("""mr mrs ms miss mister dr doctor prof professor ambassador excellency he h e
    his her honourable honorable hon senator madam madame sir chair chairperson chairman
    chairwoman""".split())


def name_key(name: str) -> str:
    """The words of a person's name, lower case: "Ambassador Ingrid Solberg (Norway), Chair"
    gives "ingrid solberg"; an unnamed label ("", "Speaker 3") gives ""."""
    if not name or re.fullmatch(r"\s*speaker\s*\d*\s*", name, re.I):
        return ""
    core = re.sub(r"\([^)]*\)", " ", name.split(",")[0])
    words = [w for w in re.findall(r"[^\W\d_]+", core.lower()) if w not in TITLES]
    return " ".join(words)


def _share(pieces, hit: Callable[[str, list[str]], bool]) -> float:
    total = good = 0.0
    for length, refs, hyps in pieces:
        for ref in refs:
            total += length
            good += length if hit(ref, hyps) else 0.0
    if total <= 0:
        raise ValueError("The reference has no speech.")
    return good / total


def _merge(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _pieces(reference: Sequence[Turn], hypothesis: Sequence[Turn],
            excluded: list[tuple[float, float]]):
    """(length, reference speakers, hypothesis speakers) of every stretch between two
    boundaries that lies outside ``excluded`` and where anyone speaks."""
    points = sorted({t for turn in (*reference, *hypothesis) for t in (turn.start, turn.end)}
                    | {t for span in excluded for t in span})
    for a, b in zip(points, points[1:]):
        if b <= a:
            continue
        mid = (a + b) / 2
        if any(lo <= mid < hi for lo, hi in excluded):
            continue
        refs = sorted({t.speaker for t in reference if t.start <= mid < t.end})
        hyps = sorted({t.speaker for t in hypothesis if t.start <= mid < t.end})
        if refs or hyps:
            yield b - a, refs, hyps


def _best_mapping(pieces) -> dict[str, str]:
    """Hypothesis label -> reference speaker, one to one, most shared time."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    refs = sorted({r for _, rs, _ in pieces for r in rs})
    hyps = sorted({h for _, _, hs in pieces for h in hs})
    if not refs or not hyps:
        return {}
    shared = np.zeros((len(hyps), len(refs)))
    for length, rs, hs in pieces:
        for h in hs:
            for r in rs:
                shared[hyps.index(h), refs.index(r)] += length
    rows, cols = linear_sum_assignment(-shared)
    return {hyps[i]: refs[j] for i, j in zip(rows, cols) if shared[i, j] > 0}
