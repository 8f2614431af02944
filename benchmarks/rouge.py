"""ROUGE-1, ROUGE-2 and ROUGE-L (precision, recall, F1) of a summary against a reference.

As Lin (2004) defines them, on lower-case alphanumeric tokens, without stemming or stop-word
removal: ROUGE-N counts the n-grams the two texts share (each at most as often as it occurs
in the reference), ROUGE-L the longest common subsequence of the two token sequences (the
texts taken whole, not sentence by sentence).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def record(self) -> dict:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f1": round(self.f1, 4)}


def tokens(text: str) -> list[str]:
    """Lower-case runs of letters and digits ("4.9%" gives "4" and "9")."""
    return _TOKEN.findall(text.lower())


def rouge_n(summary: str, reference: str, n: int) -> Score:
    """Shared n-grams over the summary's (precision) and the reference's (recall)."""
    ours, theirs = _grams(tokens(summary), n), _grams(tokens(reference), n)
    overlap = sum((ours & theirs).values())
    return _score(overlap, sum(ours.values()), sum(theirs.values()))


def rouge_l(summary: str, reference: str) -> Score:
    """The longest common subsequence over the summary's and the reference's lengths."""
    ours, theirs = tokens(summary), tokens(reference)
    return _score(lcs(ours, theirs), len(ours), len(theirs))


def rouge(summary: str, reference: str) -> dict[str, Score]:
    return {"rouge1": rouge_n(summary, reference, 1), "rouge2": rouge_n(summary, reference, 2),
            "rougeL": rouge_l(summary, reference)}


def lcs(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (dynamic programming, one row at a time)."""
    previous = [0] * (len(b) + 1)
    for x in a:
        row = [0]
        for j, y in enumerate(b, start=1):
            row.append(previous[j - 1] + 1 if x == y else max(previous[j], row[j - 1]))
        previous = row
    return previous[-1]


def _grams(words: list[str], n: int) -> Counter:
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def _score(overlap: int, ours: int, theirs: int) -> Score:
    return Score(overlap / ours if ours else 0.0, overlap / theirs if theirs else 0.0)
