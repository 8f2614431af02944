"""Choose the sentences that best represent an item: central, informative, not repetitive."""

from __future__ import annotations

import re

import numpy as np

from pipeline.glossary import Glossary
from pipeline.segment.text import TfIdf, normalise_rows, tokens
from pipeline.summarise.options import SummariseOptions
from pipeline.transcript import Sentence

_NUMBER = re.compile(r"\b\d[\d,.]*\s*%?|\b\d+(st|nd|rd|th)\b")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}[a-z]?\b")
_NAME = re.compile(r"(?<!^)\b([A-Z][a-zà-ÿ'-]+(?:\s+(?:of|de|for|the|and)?\s*[A-Z][a-zà-ÿ'-]+)*)")
_FILLER = re.compile(r"^\W*(thank you|thanks|good (morning|afternoon|evening)|you have the floor|"
                     r"yes|okay|please)\b", re.I)
_NOT_NAMES = {"I", "Thank", "Madam", "Chair", "Mr", "Ms", "Mrs", "Dr", "Yes", "So", "And", "But",
              "The", "This", "That", "We", "Our", "It", "In", "On", "Let", "Please"}


def key_units(text: str, glossary: Glossary) -> set[str]:
    """What a précis-writer keeps from a sentence: figures, acronyms, names, glossary terms."""
    units = {f"#{m.group(0).strip().rstrip('.,')}" for m in _NUMBER.finditer(text)}
    units |= {f"A:{m.group(0)}" for m in _ACRONYM.finditer(text)}
    for match in _NAME.finditer(text):
        words = [w for w in match.group(1).split() if w not in _NOT_NAMES]
        if words:
            units.add("N:" + " ".join(words).lower())
    lowered = text.lower()
    for term in [t.source for t in glossary.terms] + list(glossary.keep):
        if term.lower() in lowered:
            units.add("G:" + term.lower())
    return units


def budget(count: int, options: SummariseOptions) -> int:
    """How many sentences an item of ``count`` sentences gets."""
    wanted = round(options.ratio * count)
    return min(count, max(options.min_sentences, min(options.max_sentences, wanted)))


def select(sentences: list[Sentence], context: list[Sentence], topic: str, glossary: Glossary,
           options: SummariseOptions) -> list[int]:
    """Ids of the chosen sentences of one item, in the order they were said.

    ``context`` (the whole session) gives word weights; ``topic`` (the item's title and
    description) tilts the choice toward what the item is about.
    """
    if not sentences:
        return []
    words = [tokens(s.text) for s in sentences]
    tfidf = TfIdf([tokens(s.text) for s in context] + [tokens(topic)])
    rows = tfidf.matrix(words)
    centre = normalise_rows(rows.sum(axis=0, keepdims=True))[0]
    topic_row = tfidf.matrix([tokens(topic)])[0]
    relevance = rows @ centre + 0.5 * (rows @ topic_row)
    units = [key_units(s.text, glossary) for s in sentences]
    eligible = [i for i, s in enumerate(sentences) if _informative(s, words[i], options)]
    pool = eligible or list(range(len(sentences)))
    count = min(len(pool), budget(len(sentences), options))
    chosen = _greedy(rows, relevance, units, pool, count, options)
    return [sentences[i].id for i in sorted(chosen)]


def _informative(sentence: Sentence, words: list[str], options: SummariseOptions) -> bool:
    count = len(sentence.text.split())
    if count < options.min_words:
        return False
    return not (_FILLER.match(sentence.text) and len(words) < 4)


def _greedy(rows: np.ndarray, relevance: np.ndarray, units: list[set[str]], pool: list[int],
            count: int, options: SummariseOptions) -> list[int]:
    """Maximal marginal relevance, with a gain for key terms not yet covered."""
    chosen: list[int] = []
    covered: set[str] = set()
    while len(chosen) < count:
        best, best_score = None, -np.inf
        for i in pool:
            if i in chosen:
                continue
            overlap = max((float(rows[i] @ rows[j]) for j in chosen), default=0.0)
            fresh = len(units[i] - covered)
            score = relevance[i] + options.key_term_weight * fresh - options.redundancy * overlap
            if score > best_score:
                best, best_score = i, score
        if best is None:
            break
        chosen.append(best)
        covered |= units[best]
    return chosen
