"""What is said at an item boundary: transition phrases, names, the title, long pauses."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from pipeline.agenda import AgendaItem
from pipeline.formats.transcript import Sentence
from pipeline.segment.options import SegmentOptions
from pipeline.text.names import HONORIFICS, ROLES
from pipeline.text.phrases import CLOSING, RESPONSE, THANKS, TRANSITION, TURN
from pipeline.text.words import STOPWORDS, tokens

_NOT_NAMES = HONORIFICS | ROLES


@dataclass(frozen=True)
class Evidence:
    """Evidence for an item starting at a sentence: a score and the reasons that fired."""

    score: float
    reasons: tuple[str, ...]


def overviews(sentences: list[Sentence], items: tuple[AgendaItem, ...]) -> list[bool]:
    """Sentences that name three or more items' titles (by words no other title has): the
    chair going through the programme
    ("this opening, the panel presentations, an interactive dialogue and the conclusions"),
    not moving to one item."""
    words = [set(tokens(item.title_in("en"))) for item in items]
    titles = [w - set().union(*(o for o in words if o is not w)) for w in words]   # distinctive
    need = min(3, len(items))
    flags = []
    for sentence in sentences:
        words = set(tokens(sentence.text))
        named = sum(1 for title in titles if title and len(title & words) / len(title) >= 0.5)
        flags.append(named >= need)
    return flags


def sentence_cues(sentences: list[Sentence], options: SegmentOptions,
                  overview: list[bool] | None = None) -> list[Evidence]:
    """Item-independent evidence that a new item starts at each sentence (``overview``:
    sentences going through the programme, whose transition phrases do not count)."""
    overview = overview or [False] * len(sentences)
    gaps = _gaps(sentences)
    typical = float(np.median(gaps[1:])) if len(gaps) > 1 else 0.0
    spread = float(np.percentile(gaps[1:], 90)) - typical if len(gaps) > 1 else 0.0
    cues = []
    for j, sentence in enumerate(sentences):
        score, reasons = 0.0, []
        lead = _lead_in_transition(sentences, gaps, j, options, overview)
        if lead is not None:
            score += lead[0]
            reasons.append(lead[1])
        for pattern, weight, label, offsets in (
                (TURN, options.turn_weight, "turn-taking", (0,)),
                (CLOSING, options.closing_weight, "closing before", (-1, -2)),
                (RESPONSE, options.response_weight, "reply to the chair after", (1, 2))):
            for rank, offset in enumerate(offsets):
                k = j + offset
                match = pattern.search(sentences[k].text) if 0 <= k < len(sentences) else None
                if match:
                    score += weight * (0.6 ** rank)
                    reasons.append(f"{label}: '{match.group(0)}'")
                    break
        pause = (gaps[j] - typical) / (spread + 0.3) if j else 0.0
        if pause > 0.2:
            score += options.pause_weight * min(1.5, pause)
            reasons.append(f"pause {gaps[j]:.1f} s")
        cues.append(Evidence(score, tuple(reasons)))
    return cues


def _lead_in_transition(sentences: list[Sentence], gaps: np.ndarray, j: int,
                        options: SegmentOptions, overview: list[bool]) -> tuple[float, str] | None:
    """A transition phrase said in the turn that sentence ``j`` opens, and its weight.

    The turn runs on while no pause is as long as the one before ``j`` (at least a second),
    for a few seconds. A transition in ``j`` itself counts fully; one after a short lead-in
    ("Thank you, Mr. Gutierrez. We will now open the floor") a little more, as the chair
    thanked the previous speaker first; one after longer talk, much less.
    """
    short = True
    for k in range(j, min(len(sentences), j + 3)):
        if k > j and (sentences[k].start - sentences[j].start > options.turn_window_s
                      or gaps[k] >= max(gaps[j], 1.0)):
            return None
        match = None if overview[k] else TRANSITION.search(sentences[k].text)
        if match:
            if k == j:
                return options.transition_weight, f"transition: '{match.group(0)}'"
            weight = options.transition_weight * (1.1 if short else 0.5 ** (k - j))
            return weight, f"transition after a lead-in: '{match.group(0)}'"
        short = short and (len(sentences[k].text.split()) <= 6 or bool(THANKS.match(sentences[k].text)))
    return None


def item_cues(sentences: list[Sentence], items: tuple[AgendaItem, ...],
              options: SegmentOptions, overview: list[bool] | None = None) -> list[list[Evidence]]:
    """Per item and sentence: the item's title spoken (not in an overview of the programme),
    one of its own speakers named."""
    overview = overview or [False] * len(sentences)
    words = [set() if flag else set(tokens(s.text)) for s, flag in zip(sentences, overview)]
    result = []
    for k, item in enumerate(items):
        others = set(items[k - 1].speakers) if k else set()
        names = _names([s for s in item.speakers if s not in others])
        title = set(tokens(item.title_in("en")))
        row = []
        for j in range(len(sentences)):
            score, reasons = 0.0, []
            near = words[j] | (words[j + 1] if j + 1 < len(sentences) else set())
            if title:
                found = len(title & near) / len(title)
                if found >= 0.5:
                    score += options.title_weight * found
                    reasons.append(f"title words {found:.0%}")
            named = _named(names, sentences[j:j + 2])
            if named:
                score += options.name_weight
                reasons.append(f"speaker named: {named}")
            row.append(Evidence(score, tuple(reasons)))
        result.append(row)
    return result


def _gaps(sentences: list[Sentence]) -> np.ndarray:
    gaps = [0.0] + [max(0.0, b.start - a.end) for a, b in zip(sentences, sentences[1:])]
    return np.array(gaps)


def _names(speakers: list[str]) -> list[str]:
    """Distinctive words of speakers' names (surnames, institutions), lower case."""
    names = []
    for speaker in speakers:
        for word in re.findall(r"[A-Za-zÀ-ÿ'-]+", speaker):
            low = word.lower()
            if len(low) >= 3 and low not in _NOT_NAMES and low not in STOPWORDS and (
                    word[0].isupper() or word.isupper()):
                names.append(low)
    return list(dict.fromkeys(names))


def _named(names: list[str], sentences: list[Sentence]) -> str | None:
    for sentence in sentences:
        for word in re.findall(r"[A-Za-zÀ-ÿ'-]+", sentence.text):
            low = word.lower()
            for name in names:
                if low == name or (len(name) >= 5 and len(low) >= 4 and fuzz.ratio(low, name) >= 80):
                    return name
    return None
