"""Choose the passages that cover an item's most distinct salient units per word, within a budget."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from pipeline.formats.transcript import Sentence
from pipeline.glossary import Glossary
from pipeline.summarise.interventions import Intervention, Passage, interventions, passages, word_count
from pipeline.summarise.options import SummariseOptions
from pipeline.text.names import ABBREVIATIONS
from pipeline.text.phrases import is_procedural
from pipeline.text.words import STOPWORDS, TfIdf, normalise_rows, stem, tokens

_NUMBER = re.compile(r"(?<![\w.])\$?\d[\d,.]*(?<![.,])\s*%?(?:-\d+)?|\b\d+(?:st|nd|rd|th)\b")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}[a-z]?\b")
_CAPITAL = re.compile(r"[A-Z][\w'’-]*")
_WORD = re.compile(r"[\w'’-]+|[^\w\s]")
_NAME_LINKS = {"of", "de", "for", "the", "and", "on", "del", "la", "da", "van", "von"}
_NOT_NAMES = {"i", "thank", "thanks", "madam", "madame", "chair", "mr", "ms", "mrs", "dr", "yes",
              "so", "and", "but", "the", "this", "that", "we", "our", "it", "in", "on", "let",
              "please", "first", "second", "third", "finally", "today", "last", "next", "my",
              "excellencies", "distinguished", "colleagues", "ladies", "gentlemen"}
_SCALE = {"thousand", "million", "billion", "trillion", "percent", "per", "cent", "dollars",
          "euros", "francs", "pounds"}


def key_units(text: str, glossary: Glossary, proper: frozenset[str] | None = None) -> set[str]:
    """What a précis-writer keeps from a sentence: figures, acronyms, names, glossary terms.

    ``proper``: words seen capitalised inside sentences elsewhere in the meeting; a lone
    capitalised word opening a sentence is a name only if it is one of them ("Colombia
    hosts", not "Few parliaments"). None: take every capitalised word.
    """
    lowered = text.lower()
    glossed = {t.lower() for t in [t.source for t in glossary.terms] + list(glossary.keep)
               if t.lower() in lowered}
    units = {"G:" + term for term in glossed}
    units |= {f"#{_figure(m.group(0))}" for m in _NUMBER.finditer(text)}
    units |= {f"A:{m.group(0)}" for m in _ACRONYM.finditer(text)
              if m.group(0).lower() not in _NOT_NAMES | glossed}
    units |= {f"N:{name}" for name in _names(text, proper) if name not in glossed}
    return units


def proper_words(sentences: list[Sentence]) -> frozenset[str]:
    """Words written with a capital inside a sentence somewhere in the meeting, lower case."""
    found = set()
    for sentence in sentences:
        words = _WORD.findall(sentence.text)
        for index, word in enumerate(words[1:], start=1):
            if _CAPITAL.fullmatch(word) and not _sentence_start(words, index):
                found.add(word.lower())
    return frozenset(found)


def _figure(raw: str) -> str:
    return raw.replace("$", "").replace(" ", "").rstrip(".,")


def _sentence_start(words: list[str], index: int) -> bool:
    if index == 0:
        return True
    return words[index - 1] in ".!?:;" and (index < 2 or words[index - 2].lower() not in ABBREVIATIONS)


def _names(text: str, proper: frozenset[str] | None) -> list[str]:
    """Runs of capitalised words ("Temporary Protection Statute", "Ana Ruiz"), lower case."""
    words = _WORD.findall(text)
    names, run, pending, opened = [], [], [], False

    def close():
        if run and not (opened and len(run) == 1 and proper is not None and run[0] not in proper):
            names.append(" ".join(run))

    for index, word in enumerate(words):
        low = word.lower().strip("'’")
        capital = bool(_CAPITAL.fullmatch(word)) and not word.isupper()
        if capital and low not in _NOT_NAMES:
            if not run:
                opened = _sentence_start(words, index)
            run += pending + [low]
            pending = []
        elif run and low in _NAME_LINKS and not pending:
            pending = [low]
        else:
            close()
            run, pending = [], []
    close()
    return names


@dataclass(frozen=True)
class Draft:
    """What one item's draft keeps: per intervention with something chosen, its passages."""

    chosen: tuple[tuple[Intervention, tuple[Passage, ...]], ...]
    words: int                  # words of the item's sentences
    budget: int                 # the most words of them the draft may keep

    @property
    def ids(self) -> list[int]:
        return [i for _, kept in self.chosen for p in kept for i in p.ids]


def select(sentences: list[Sentence], context: list[Sentence], topic: str, glossary: Glossary,
           options: SummariseOptions) -> Draft:
    """One item's draft: the passages that carry its facts, within the length budget, each
    under its intervention, all in the order they were said.

    ``context`` (the whole session) tells ordinary words from rare ones and lower-case words
    from names; ``topic`` (the item's title, description and speakers) marks what the item
    is about.
    """
    words = sum(word_count(s.text) for s in sentences)
    limit = options.budget.words_for(words)
    groups = interventions(sentences, options.interruption_words)
    pool = [p for group in groups for p in passages(group) if carries_content(p, options)]
    if not pool:
        return Draft((), words, limit)
    weights = unit_weights([p.text for p in pool], context, topic, glossary, options)
    relevance = _relevance([p.text for p in pool], context, topic)
    picked = _greedy(pool, weights, relevance, limit, options)
    kept = sorted((pool[i] for i in picked), key=lambda p: p.ids[0])
    chosen = tuple((g, tuple(p for p in kept if p.intervention == g.index)) for g in groups
                   if any(p.intervention == g.index for p in kept))
    return Draft(chosen, words, limit)


def carries_content(passage: Passage, options: SummariseOptions) -> bool:
    """Whether a passage may say something: long enough, and not a short sentence that only
    runs the meeting (thanks, "you have the floor", moving to an item)."""
    if passage.words < options.min_words:
        return False
    return not (passage.words <= options.procedural_words
                and all(is_procedural(s.text) for s in passage.sentences))


def unit_weights(texts: list[str], context: list[Sentence], topic: str,
                 glossary: Glossary, options: SummariseOptions) -> list[dict[str, float]]:
    """Per text: its salient units and the weight of each.

    Names, figures, acronyms and glossary terms weigh 1; a content word, or a pair of adjacent
    content words said more than once in the meeting, weighs by how rare it is in the meeting
    (``content_weight`` at most). Either weighs ``1 + topic_bonus`` times more when the item's
    title, description or speakers name it.
    """
    proper = proper_words(context)
    documents = [set(_content(s.text)) for s in context]
    frequency = Counter(term for doc in documents for term in doc)
    total = max(1, len(documents))
    topical = set(_content(topic))
    topic_words = set(re.findall(r"[\w'-]+", topic.lower()))
    result = []
    for text in texts:
        units = {u: 1.0 + options.topic_bonus * _in_topic(u, topic_words)
                 for u in key_units(text, glossary, proper)}
        named = {stem(w) for u in units if u[:2] in ("N:", "A:", "G:") for w in u[2:].lower().split()}
        for term in set(_content(text)) - named:
            if named & set(term.split()):
                continue
            if " " in term and frequency[term] < 2:
                continue                  # a word pair said once is no notion of the meeting
            rarity = math.log(total / max(1, frequency[term])) / math.log(total + 1)
            weight = options.content_weight * rarity * (1.0 + options.topic_bonus * (term in topical))
            if weight > 0.05:
                units[f"W:{term}"] = max(units.get(f"W:{term}", 0.0), weight)
        result.append(units)
    return result


def _in_topic(unit: str, topic_words: set[str]) -> bool:
    """Whether a name or acronym is one the item's title, description or speakers give."""
    words = unit[2:].lower().split()
    return unit[:2] in ("N:", "A:", "G:") and any(w in topic_words for w in words
                                                   if w not in _NAME_LINKS)


def _content(text: str) -> list[str]:
    """Content-word stems and pairs of adjacent content words ("heat stress")."""
    out, previous = [], None
    for raw in re.findall(r"[\w'’-]+|[^\w\s]", text):
        word = raw.lower().strip("'’-")
        if not re.fullmatch(r"[a-zà-ÿ][a-zà-ÿ'-]*", word) or word in STOPWORDS or len(word) < 3 \
                or word in _SCALE:
            previous = None
            continue
        term = stem(word)
        out.append(term)
        if previous:
            out.append(f"{previous} {term}")
        previous = term
    return out


def _relevance(texts: list[str], context: list[Sentence], topic: str) -> np.ndarray:
    """How central each text is to the item, and how close to its topic (0 to about 1)."""
    words = [tokens(t) for t in texts]
    tfidf = TfIdf([tokens(s.text) for s in context] + [tokens(topic)])
    rows = tfidf.matrix(words)
    centre = normalise_rows(rows.sum(axis=0, keepdims=True))[0]
    return rows @ centre + 0.5 * (rows @ tfidf.matrix([tokens(topic)])[0])


def _greedy(pool: list[Passage], weights: list[dict[str, float]], relevance: np.ndarray,
            limit: int, options: SummariseOptions) -> list[int]:
    """Budgeted coverage: each step takes the passage that fits in what is left of ``limit``
    and adds the most uncovered weight per word (a speaker not yet in the draft adds
    ``speaker_bonus``; a longer procedural sentence counts ``procedural_factor``); a passage
    adding nothing new is never taken. An item whose passages are all longer than the limit
    keeps its best one of at most ``floor_words`` words, so no item with speech is left empty."""
    alike = _alike({u for units in weights for u in units})
    discount = [options.procedural_factor if any(is_procedural(s.text) for s in p.sentences)
                else 1.0 for p in pool]
    chosen: list[int] = []
    covered: set[str] = set()
    seen_text: set[str] = set()
    left = limit
    while True:
        heard = {pool[i].intervention for i in chosen}
        best, best_score = None, 0.0
        for i, passage in enumerate(pool):
            fits = passage.words <= left or (not chosen and passage.words <= options.floor_words)
            if i in chosen or not fits or _plain(passage.text) in seen_text:
                continue
            gain = sum(w for u, w in weights[i].items() if u not in covered) * discount[i]
            if gain <= 0:
                continue
            bonus = options.speaker_bonus if passage.intervention not in heard else 0.0
            score = (gain + bonus + options.relevance_weight * relevance[i]) \
                / passage.words ** options.length_exponent
            if score > best_score:
                best, best_score = i, score
        if best is None:
            return chosen
        chosen.append(best)
        left -= pool[best].words
        seen_text.add(_plain(pool[best].text))
        for unit in weights[best]:
            covered |= alike.get(unit, {unit})


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _alike(units: set[str]) -> dict[str, set[str]]:
    """Names and acronyms spelt alike ("Mensah", "Mensa"; "ILO", "IELO"): covering one covers
    the others, as speech recognition spells a name differently from one turn to the next."""
    from rapidfuzz import fuzz

    names = sorted(u for u in units if u[:2] in ("N:", "A:"))
    groups = {u: {u} for u in names}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if a[:2] == b[:2] and fuzz.ratio(a[2:].lower(), b[2:].lower()) >= 75:
                groups[a].add(b)
                groups[b].add(a)
    return groups
