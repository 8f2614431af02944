"""Who speaks at each sentence: turns, the chair's voice and the voices an agenda item lists."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from pipeline.agenda import AgendaItem
from pipeline.formats.speakers import Speaker
from pipeline.formats.transcript import Sentence
from pipeline.text.names import CHAIR_WORDS


@dataclass(frozen=True)
class Voices:
    """The voice of each sentence (None where unknown), the chair's voice, and per item the
    voices of the speakers the agenda lists for it (``own``: by name, through speakers.json;
    not the chair's, who speaks in every item) and of those it lists first (``listed``: not
    listed by an earlier item)."""

    labels: tuple[str | None, ...]
    chair: str | None
    listed: tuple[frozenset[str], ...]
    own: tuple[frozenset[str], ...]
    unclaimed: tuple[frozenset[str], ...]
    """Per item, the voices that may be a speaker it lists whom no voice is named for: those
    (not the chair's) whose name, if any, is no one's on the agenda; none where every speaker
    the item lists has a voice."""
    paused: tuple[bool, ...] = ()          # a pause of a turn's length before the sentence

    @property
    def known(self) -> bool:
        return any(self.labels)

    def changes(self, j: int) -> bool:
        """Another voice spoke the sentence before ``j``."""
        return j > 0 and self.labels[j] is not None and self.labels[j] != self.labels[j - 1]

    def opens_turn(self, j: int) -> bool:
        """Sentence ``j`` opens a turn: the first sentence, another voice's, or after a pause."""
        return j == 0 or self.changes(j) or (bool(self.paused) and self.paused[j])

    def same_turn(self, j: int) -> bool:
        """Sentence ``j`` goes on in the voice of the sentence before it, without a pause."""
        return self.labels[j] is not None and not self.opens_turn(j)

    def turn_end(self, j: int) -> int:
        """The first sentence after ``j`` that opens a turn (``len(labels)``: none)."""
        return next((k for k in range(j + 1, len(self.labels)) if self.opens_turn(k)),
                    len(self.labels))


def voices(sentences: list[Sentence], items: tuple[AgendaItem, ...],
           speakers: tuple[Speaker, ...] | list[Speaker] = (), turn_gap_s: float = 1.0) -> Voices:
    """The voices of ``sentences`` as the speaker stage labelled them; a pause of
    ``turn_gap_s`` or more in one voice opens a new turn."""
    labels = tuple(s.speaker for s in sentences)
    chair = chair_voice(labels, speakers)
    paused = tuple(j > 0 and s.start - sentences[j - 1].end >= turn_gap_s
                   for j, s in enumerate(sentences))
    listed, owned, unclaimed, earlier = [], [], [], {chair}
    nameless = _nameless(labels, chair, items, speakers)
    voiced = {_surname(s.name) for s in speakers if s.name}
    for item in items:
        own = _listed(item, speakers)
        listed.append(frozenset(own - earlier))
        owned.append(frozenset(own - {chair}))
        earlier |= own
        missing = any(_surname(person.name) not in voiced for person in item.people
                      if person.name)
        unclaimed.append(nameless if missing else frozenset())
    return Voices(labels=labels, chair=chair, paused=paused, listed=tuple(listed),
                  own=tuple(owned), unclaimed=tuple(unclaimed))


def chair_voice(labels: tuple[str | None, ...], speakers=()) -> str | None:
    """The voice speakers.json names as the chair (or moderator, president …); else the voice
    that takes the most turns, between the others' (the first heard on a tie)."""
    heard = [label for label in labels if label]
    for speaker in speakers:
        words = set(re.findall(r"[\w-]+", (speaker.role or "").lower()))
        if words & CHAIR_WORDS and speaker.label in heard:
            return speaker.label
    turns = [label for k, label in enumerate(labels)
             if label and (k == 0 or labels[k - 1] != label)]
    if not turns:
        return None
    order = list(dict.fromkeys(turns))
    return max(order, key=lambda label: (turns.count(label), -order.index(label)))


def voice_share(sentences: list[Sentence], found: Voices, groups: list[frozenset[str]],
                context_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence and group of voices: the share of speech time in the ``context_s``
    seconds after (and before) the sentence's start that the group holds (the chair's
    speech, in every item, left out)."""
    n = len(sentences)
    starts = np.array([s.start for s in sentences])
    length = np.array([max(0.0, s.end - s.start) * (s.speaker != found.chair) for s in sentences])
    member = np.array([[label in group for group in groups] for label in found.labels],
                      dtype=float).reshape(n, len(groups))
    after = (starts[None, :] >= starts[:, None]) & (starts[None, :] < starts[:, None] + context_s)
    before = (starts[None, :] < starts[:, None]) & (starts[None, :] >= starts[:, None] - context_s)
    shares = []
    for window in (after, before):
        talk = window.astype(float) * length[None, :]
        total = talk.sum(axis=1, keepdims=True)
        shares.append((talk @ member) / np.maximum(total, 1e-9))
    return shares[0], shares[1]


def _listed(item: AgendaItem, speakers) -> set[str]:
    """The voices whose names (by surname) are among the item's listed speakers."""
    surnames = {_surname(person.name) for person in item.people if person.name}
    surnames.discard("")
    return {s.label for s in speakers if s.name and _surname(s.name) in surnames}


def _nameless(labels, chair: str | None, items, speakers) -> frozenset[str]:
    """The voices heard, other than the chair's, whose name (if any) is no one's on the
    agenda."""
    everyone = {_surname(person.name) for item in items for person in item.people
                if person.name}
    names = {s.label: s.name for s in speakers if s.name}
    return frozenset(label for label in labels if label and label != chair
                     and _surname(names.get(label, "")) not in everyone)


def _surname(name: str) -> str:
    words = re.findall(r"[^\W\d_][\w'’-]*", name)
    if not words:
        return ""
    text = unicodedata.normalize("NFKD", words[-1])
    return "".join(c for c in text if not unicodedata.combining(c)).lower()
