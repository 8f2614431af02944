"""Content words for matching: tokens, light stemming and TF-IDF vectors (no model needed)."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just let me more most my myself no nor not now of off on once only or other our
ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
us very much many well thank thanks yes okay ok oh so going go get got make like one two
really think know see say said may might must shall today also its it's i'm we're let's
""".split())
_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9'’-]*")


def stem(word: str) -> str:
    """A light English stem: enough to match "migrants" with "migrant", "policies" with "policy"."""
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: len(word) - len(suffix)] + repl
    return word


def tokens(text: str) -> list[str]:
    """Content-word stems of ``text``, in order."""
    out = []
    for raw in _WORD.findall(text):
        word = raw.lower().replace("’", "'").strip("'-")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) < 2 or word in STOPWORDS:
            continue
        out.append(stem(word))
    return out


class TfIdf:
    """TF-IDF vectors over a fixed set of documents (sentences plus item texts)."""

    def __init__(self, documents: list[list[str]]):
        counts = Counter(term for doc in documents for term in set(doc))
        total = max(1, len(documents))
        self.index = {term: i for i, term in enumerate(sorted(counts))}
        self.idf = np.array([math.log((1 + total) / (1 + counts[t])) + 1 for t in sorted(counts)])

    def matrix(self, documents: list[list[str]]) -> np.ndarray:
        """One L2-normalised row per document."""
        rows = np.zeros((len(documents), len(self.index)))
        for r, doc in enumerate(documents):
            for term, n in Counter(doc).items():
                col = self.index.get(term)
                if col is not None:
                    rows[r, col] = (1 + math.log(n)) * self.idf[col]
        return normalise_rows(rows)


def normalise_rows(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)
