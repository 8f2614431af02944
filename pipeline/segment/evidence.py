"""What is said at an item boundary: meeting phrases, names, the title, pauses, turns of voices."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from pipeline.agenda import AgendaItem
from pipeline.formats.transcript import Sentence
from pipeline.segment.options import SegmentOptions
from pipeline.segment.voices import Voices
from pipeline.text.names import HONORIFICS, ROLES
from pipeline.text.phrases import (
    ADJOURNED,
    CLOSING,
    CONCLUDING,
    ITEM_END,
    OPENING,
    RESPONSE,
    THANKS,
    TRANSITION,
    TURN,
    WHOLE_MEETING,
    is_preview,
)
from pipeline.text.words import STOPWORDS, tokens

_NOT_NAMES = HONORIFICS | ROLES
ITEM_ENDED = "item ended before"
"""The reason given where an item was said to end just before a sentence."""
CLOSING_TITLE = re.compile(r"\b(clos(e|ing|ure)|conclu(de|ding|sion|sions)|adjourn(ment)?|"
                           r"wrap(ping)?[- ]up|final (remarks|words))\b", re.I)
OPENING_TITLE = re.compile(r"\b(opening|welcom(e|ing)|introduction by the (chair|president))\b",
                           re.I)


@dataclass(frozen=True)
class Evidence:
    """Evidence for an item starting at a sentence: a score and the reasons that fired;
    ``closing``: what a closing item gets on top (the concluding words of the meeting);
    ``opening``: what only an opening item gets (the chair greeting, welcoming, opening the
    meeting), left out of ``score``."""

    score: float
    reasons: tuple[str, ...]
    closing: float = 0.0
    opening: float = 0.0


def overviews(sentences: list[Sentence], items: tuple[AgendaItem, ...]) -> list[bool]:
    """Sentences that go through the programme rather than move to one item: those that name
    three or more items' titles (by words no other title has: "this opening, the panel
    presentations, an interactive dialogue and the conclusions"), and previews of what comes
    later ("the controller will first present the liquidity", "we will close with
    questions"; not when the sentence also gives the floor or moves on now)."""
    words = [set(tokens(item.title_in("en"))) for item in items]
    titles = [w - set().union(*(o for o in words if o is not w)) for w in words]   # distinctive
    need = min(3, len(items))
    flags = []
    for sentence in sentences:
        words = set(tokens(sentence.text))
        named = sum(1 for title in titles if title and len(title & words) / len(title) >= 0.5)
        flags.append(named >= need or is_preview(sentence.text))
    return flags


def sentence_cues(sentences: list[Sentence], options: SegmentOptions,
                  overview: list[bool] | None = None,
                  found: Voices | None = None) -> list[Evidence]:
    """Item-independent evidence that a new item starts at each sentence (``overview``:
    sentences going through the programme, whose transition phrases do not count; ``found``:
    the sentences' voices, where the speaker stage ran)."""
    overview = overview or [False] * len(sentences)
    found = found if found is not None and found.known else None
    gaps = _gaps(sentences)
    typical = float(np.median(gaps[1:])) if len(gaps) > 1 else 0.0
    spread = float(np.percentile(gaps[1:], 90)) - typical if len(gaps) > 1 else 0.0
    cues = []
    for j in range(len(sentences)):
        opening, kind = _opening(sentences, gaps, j, options, overview, found)
        around = _phrases_around(sentences, j, options, found)
        # A chair often ends one item and opens the next in one turn: no penalty for going on.
        ended = any(label.startswith(ITEM_ENDED) for _, label in around)
        voice = None if ended and found and found.same_turn(j) else _voice(found, j, options)
        parts = [opening, *around, _pause(gaps, j, typical, spread, options), voice]
        parts = [p for p in parts if p is not None]
        closing = first = 0.0
        if kind == "concluding":   # the closing part begins: a start of a closing item only
            first = opening[0]
            closing = opening[0] * (1.0 + options.concluding_weight / options.transition_weight)
        if kind == "concluding, moving on":   # and moves to an item: a start of any item
            closing = opening[0] * options.concluding_weight / options.transition_weight
        if kind == "meeting end":   # the closing item's own words: it has begun by now
            closing = options.end_weight + options.concluding_weight
        if kind == "opening":
            first = opening[0]
        cues.append(Evidence(sum(p[0] for p in parts) - first, tuple(p[1] for p in parts),
                             closing, first if kind == "opening" else 0.0))
    return cues


def closing_items(items: tuple[AgendaItem, ...]) -> list[bool]:
    """The items that close the meeting: the last one, and any whose title says so."""
    return [k == len(items) - 1 or bool(CLOSING_TITLE.search(item.title_in("en")))
            for k, item in enumerate(items)]


def opening_items(items: tuple[AgendaItem, ...]) -> list[bool]:
    """The items that open the meeting: the first one, and any whose title says so."""
    return [k == 0 or bool(OPENING_TITLE.search(item.title_in("en")))
            for k, item in enumerate(items)]


def _opening(sentences: list[Sentence], gaps: np.ndarray, j: int, options: SegmentOptions,
             overview: list[bool], found: Voices | None,
             ) -> tuple[tuple[float, str] | None, str | None]:
    """What the turn that sentence ``j`` opens says first: moving to an item or concluding the
    meeting (a start: the concluding words count as a transition, and more for a closing
    item), opening the meeting (a start of an opening item only), or ending an item or the
    meeting (not a start; the next item starts after it).

    The turn runs on while no pause is as long as the one before ``j`` (at least a second),
    in the same voice, for a few seconds. A phrase in ``j`` itself counts fully; one after a
    short lead-in ("Thank you, Mr. Gutierrez. We will now open the floor") a little more, as
    the chair thanked the previous speaker first; one after longer talk, much less; one said
    by another voice than the chair's, less. Returns the score and its reason, and the kind
    of phrase ("transition", "concluding", "opening", "end", "meeting end": the end of the
    meeting, which a closing item holds; None and None when the turn says none).
    """
    short = True
    for k in _turn(sentences, gaps, j, options, found):
        said = _said(sentences[k].text, overview[k])
        if said is None:
            short = short and (len(sentences[k].text.split()) <= 6
                               or bool(THANKS.match(sentences[k].text)))
            continue
        kind, words = said
        if kind in ("end", "meeting end"):
            return (-options.end_weight, f"ends, not a start: '{words}'"), kind
        weight, label = options.transition_weight, kind
        if _said_by(found, k, options) != 1.0:
            weight, label = weight * options.not_chair_factor, f"{kind} (not the chair)"
        if k == j:
            return (weight, f"{label}: '{words}'"), kind
        weight *= 1.1 if short else 0.5 ** (k - j)
        return (weight, f"{label} after a lead-in: '{words}'"), kind
    return None, None


def _turn(sentences: list[Sentence], gaps: np.ndarray, j: int, options: SegmentOptions,
          found: Voices | None) -> list[int]:
    """The first sentences of the turn that sentence ``j`` opens (at most three)."""
    turn = [j]
    for k in range(j + 1, min(len(sentences), j + 3)):
        if (sentences[k].start - sentences[j].start > options.turn_window_s
                or gaps[k] >= max(gaps[j], 1.0) or (found and not found.same_turn(k))):
            break
        turn.append(k)
    return turn


def _said(text: str, overview: bool) -> tuple[str, str] | None:
    """The kind of meeting phrase a sentence says, and its words: "concluding" (the closing
    part begins: "Before we adjourn"; "concluding, moving on" where the sentence also moves
    to an item: "We are almost out of time, so let us move on to ...") or "transition"
    (moving to an item), whichever comes first (concluding on a tie); else "opening" (the chair greets, welcomes, opens the
    meeting: "Good morning", "I welcome you to this briefing"); else "meeting end" (the
    meeting ends: "The meeting is adjourned", "That brings this hearing to a close") or "end"
    (an item ends: "That concludes our discussion"); None when it
    says none (or goes through the programme, an ``overview``)."""
    if overview:
        return None
    matches = [(kind, pattern.search(text))
               for kind, pattern in (("concluding", CONCLUDING), ("transition", TRANSITION))]
    starts = [(m.start(), kind, m.group(0)) for kind, m in matches if m]
    if starts:
        _, kind, words = min(starts)
        concluding = matches[0][1]
        if kind == "concluding" and TRANSITION.search(
                text[:concluding.start()] + " " + text[concluding.end():]):
            return "concluding, moving on", words   # "Before we close, let us turn to ..."
        return kind, words
    match = OPENING.search(text)
    if match:
        return "opening", match.group(0)
    match = ADJOURNED.search(text)
    if match:
        return "meeting end", match.group(0)
    match = ITEM_END.search(text)
    if match:
        ends_meeting = re.search(r"\b" + WHOLE_MEETING + r"\b", match.group(0), re.I)
        return ("meeting end" if ends_meeting else "end"), match.group(0)
    return None


def _phrases_around(sentences: list[Sentence], j: int, options: SegmentOptions,
                    found: Voices | None) -> list[tuple[float, str]]:
    """Phrases in or next to sentence ``j``: the floor given in it, an item or a speech ending
    just before it, a reply to the chair just after it. Where the voices are known, the floor
    given and the reply count for the turn (the first sentence of the turn that gives the
    floor, the first two of the next turn if another voice's and it comes soon), and a speech
    ending only before a turn."""
    if found and found.same_turn(j):
        places = {TURN: (), CLOSING: (), RESPONSE: (), ITEM_END: (-1, -2)}
    elif found:
        after = found.turn_end(j)
        replied = after < len(sentences) and found.changes(after) and (
            sentences[after].start - sentences[j].start <= options.reply_window_s)
        reply = (after - j, after + 1 - j) if replied else ()
        places = {TURN: tuple(range(after - j)), CLOSING: (-1, -2), ITEM_END: (-1, -2),
                  RESPONSE: reply}
    else:
        places = {TURN: (0,), CLOSING: (-1, -2), ITEM_END: (-1, -2), RESPONSE: (1, 2)}
    out = []
    for pattern, weight, label in (
            (TURN, options.turn_weight, "turn-taking"),
            (ITEM_END, options.item_end_weight, ITEM_ENDED),
            (CLOSING, options.closing_weight, "closing before"),
            (RESPONSE, options.response_weight, "reply to the chair after")):
        for rank, offset in enumerate(places[pattern]):
            k = j + offset
            text = sentences[k].text if 0 <= k < len(sentences) else ""
            match = pattern.search(text)
            if match and not (pattern is CLOSING and CONCLUDING.search(text)):
                decay = 1.0 if pattern is TURN else 0.6 ** rank
                out.append((weight * decay, f"{label}: '{match.group(0)}'"))
                break
    return out


def _pause(gaps: np.ndarray, j: int, typical: float, spread: float,
           options: SegmentOptions) -> tuple[float, str] | None:
    """A pause before sentence ``j`` longer than the meeting's usual ones."""
    pause = (gaps[j] - typical) / (spread + 0.3)
    if pause <= 0.2:
        return None
    return options.pause_weight * min(options.pause_cap, pause), f"pause {gaps[j]:.1f} s"


def _voice(found: Voices | None, j: int, options: SegmentOptions) -> tuple[float, str] | None:
    """A turn of another voice opens here (more so the chair's), or the same voice goes on."""
    if found is None:
        return None
    chair = found.labels[j] == found.chair
    if found.changes(j):
        if chair:
            return options.voice_weight + options.chair_weight, "the chair's turn opens"
        return options.voice_weight, "another voice's turn opens"
    if found.opens_turn(j):
        return (options.chair_weight, "the chair's turn opens") if chair else None
    if found.same_turn(j):
        return -options.mid_turn_penalty, "in the middle of a turn"
    return None


def item_cues(sentences: list[Sentence], items: tuple[AgendaItem, ...], options: SegmentOptions,
              overview: list[bool] | None = None,
              found: Voices | None = None) -> list[list[Evidence]]:
    """Per item and sentence: the item's title spoken (its words, the rarer ones counting
    more, less those the previous item's title has too; not in an overview of the programme), one of its speakers named (one that no
    earlier item lists: a person who spoke before may be named at any time; the first one
    listed counts more, as agendas list speakers in the order they speak); said by another
    voice than the chair's, either counts less."""
    overview = overview or [False] * len(sentences)
    words = [set() if flag else set(tokens(s.text)) for s, flag in zip(sentences, overview)]
    rarity = _rarity(sentences)
    factor = [_said_by(found, j, options) for j in range(len(sentences))]
    result = []
    for k, item in enumerate(items):
        earlier = {name for other in items[:k] for name in _names(other.people)}
        people = [[n for n in _names([person]) if n not in earlier] for person in item.people]
        people = [names for names in people if names]
        first = set(people[0]) if people else set()
        names = [name for group in people for name in group]
        title = set(tokens(item.title_in("en")))
        if k:   # words the previous title has too do not tell the two items apart
            title = (title - set(tokens(items[k - 1].title_in("en")))) or title
        row = []
        for j in range(len(sentences)):
            score, reasons = 0.0, []
            near = words[j] | (words[j + 1] if j + 1 < len(sentences) else set())
            if title:
                share = sum(rarity(w) for w in title & near) / sum(rarity(w) for w in title)
                if share >= 0.5:
                    score += options.title_weight * share * factor[j]
                    reasons.append(f"title words {share:.0%}")
            named = _named(names, sentences[j:j + 2])
            if named:
                later = 1.0 if named[0] in first else options.later_speaker_factor
                score += options.name_weight * factor[j + named[1]] * later
                reasons.append(f"speaker named: {named[0]}")
            row.append(Evidence(score, tuple(reasons)))
        result.append(row)
    return result


def _said_by(found: Voices | None, j: int, options: SegmentOptions) -> float:
    """1, or ``not_chair_factor`` where sentence ``j`` is known to be said by another voice
    than the chair's."""
    if found is None or not found.known or not found.chair:
        return 1.0
    return options.not_chair_factor if found.labels[j] not in (found.chair, None) else 1.0


def _rarity(sentences: list[Sentence]):
    """How rare a word is in the meeting (inverse document frequency over its sentences): a
    title word said everywhere ("delegation") tells less than one said rarely ("replies")."""
    counts = Counter(word for s in sentences for word in set(tokens(s.text)))
    total = len(sentences)
    return lambda word: math.log((1 + total) / (1 + counts[word])) + 1


def _gaps(sentences: list[Sentence]) -> np.ndarray:
    """The silence before each sentence; before the first, from the recording's start."""
    first = [max(0.0, sentences[0].start)] if sentences else []
    gaps = first + [max(0.0, b.start - a.end) for a, b in zip(sentences, sentences[1:])]
    return np.array(gaps)


def _names(people) -> list[str]:
    """Distinctive words of people's names (surnames) and the acronyms of their roles
    (institutions: "IPU", "OHCHR"), lower case."""
    names = []
    for person in people:
        role = " ".join(person.roles.values())
        words = re.findall(r"[A-Za-zÀ-ÿ'-]+", person.name)
        words += [w for w in re.findall(r"[A-Za-z]+", role) if len(w) >= 2 and w.isupper()]
        for word in words:
            low = word.lower()
            if len(low) >= 3 and low not in _NOT_NAMES and low not in STOPWORDS and (
                    word[0].isupper() or word.isupper()):
                names.append(low)
    return list(dict.fromkeys(names))


def _named(names: list[str], sentences: list[Sentence]) -> tuple[str, int] | None:
    """The first of ``names`` said in ``sentences``, and the sentence (0, 1 …) that says it."""
    for offset, sentence in enumerate(sentences):
        for word in re.findall(r"[A-Za-zÀ-ÿ'-]+", sentence.text):
            low = word.lower()
            for name in names:
                if low == name or (len(name) >= 5 and len(low) >= 4 and fuzz.ratio(low, name) >= 80):
                    return name, offset
    return None
