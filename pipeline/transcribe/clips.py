"""Speech clips: the voice-activity detector's speech parts grouped into one encoder pass each.

Whisper's encoder always reads 30 seconds, so a clip of 5 seconds pays for 30. Neighbouring
speech parts therefore share a clip up to ``max_s`` seconds; where the pause between two of
them is longer than ``keep_gap_s``, only its first ``keep_gap_s`` seconds go into the clip
(the room after the words, as a natural pause), so long pauses do not fill the encoder's
window with silence. Clips are as few as whole parts allow, and among the groupings with that
fewest number the clips end where the speaker paused (:func:`group_clips`); a part too long
for what is left of a clip may instead be cut where it is quietest (:class:`Fill`). A clip is thus made of stretches
(:class:`Piece`) of the window, laid end to end; :meth:`Clip.to_window` maps a time in the
clip back to the window.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Piece:
    """A stretch of the window (``start`` to ``end``, seconds) placed at ``at`` in the clip."""

    start: float
    end: float
    at: float


@dataclass(frozen=True)
class Clip:
    """Speech parts decoded in one pass: the parts (window seconds) and the clip's pieces."""

    parts: tuple[dict, ...]
    pieces: tuple[Piece, ...]

    @property
    def start(self) -> float:
        return self.parts[0]["start"]

    @property
    def end(self) -> float:
        return self.parts[-1]["end"]

    @property
    def length(self) -> float:
        last = self.pieces[-1]
        return last.at + last.end - last.start

    def to_window(self, t: float) -> float:
        """The window time of clip time ``t`` (times past a piece stay at its end)."""
        index = max(0, bisect_right([p.at for p in self.pieces], t) - 1)
        piece = self.pieces[index]
        return min(piece.start + max(0.0, t - piece.at), piece.end)

    def span_to_window(self, start: float, end: float) -> tuple[float, float]:
        """The window times of a word said from clip time ``start`` to ``end``. A word that
        the alignment stretched over the joint of two pieces (where a pause was shortened)
        was said in one of them: it keeps the piece holding more of it, its times clamped
        to that piece, so it never spans the pause that was cut out."""
        ats = [p.at for p in self.pieces]
        first = max(0, bisect_right(ats, start) - 1)
        last = max(first, bisect_right(ats, end) - 1)
        if first == last:
            return self.to_window(start), self.to_window(end)
        overlap = [min(end, p.at + p.end - p.start) - max(start, p.at)
                   for p in self.pieces[first:last + 1]]
        piece = self.pieces[first + int(np.argmax(overlap))]

        def within(t: float) -> float:
            return piece.start + min(max(t - piece.at, 0.0), piece.end - piece.start)

        return within(start), within(end)

    def samples(self, window: np.ndarray, rate: int) -> np.ndarray:
        """The clip's audio: its pieces of ``window`` end to end."""
        return np.concatenate([window[int(p.start * rate):int(p.end * rate)]
                               for p in self.pieces])


def group_clips(parts: list[dict], max_s: float, max_gap_s: float,
                keep_gap_s: float | None = None, fill: Fill | None = None) -> list[Clip]:
    """Neighbouring speech parts grouped into clips of at most ``max_s`` seconds of audio.

    ``keep_gap_s`` of None keeps every pause whole, and a pause longer than ``max_gap_s``
    starts a new clip; a number shortens every longer pause to that many seconds instead.
    The clips are as few as whole parts allow; of the groupings with that number, the one
    whose clips end at the speaker's pauses rather than where the voice-activity detector
    split a long run of speech, often inside a sentence (see :func:`_fewest`): a clip that
    starts inside a sentence is decoded worse.
    ``fill``: parts are grouped in order instead, and a part that does not fit in what is
    left of a clip is cut at its quietest moment there, its first piece ending the clip
    (see :class:`Fill`).
    """
    if fill is not None:
        groups = _filled(parts, max_s, max_gap_s, keep_gap_s, fill)
    else:
        groups = _fewest(parts, max_s, max_gap_s, keep_gap_s)
    return [Clip(tuple(group), _pieces(group, keep_gap_s)) for group in groups]


#: Seconds of floating-point rounding below which a clip still fits (sums of the same
#: times in another order differ in their last bits).
ROUNDING_S = 1e-6

#: How clips are grouped, for the stage's fingerprint: a checkpoint of clips grouped
#: otherwise would resume at the wrong clip.
GROUPING = "fewest clips, ending at pauses"

#: A pause this long (seconds) is a good place for a clip to end: the voice-activity
#: detector's own shortest silence between speech segments, most often between sentences.
#: Shorter ones are where it split a long run of speech (at 98 ms or more), often inside one.
GOOD_PAUSE_S = 1.0


def _fewest(parts: list[dict], max_s: float, max_gap_s: float,
            keep_gap_s: float | None) -> list[list[dict]]:
    """The grouping with the fewest clips; of those, the one whose clips end at pauses of
    :data:`GOOD_PAUSE_S` or more (the seconds below it summed), then at the longest pauses
    (each counted up to ``max_gap_s``). A part's pause is its ``"pause"`` (the silence the
    detector heard before it, before padding) or else the gap to the part before. A
    shortest path over where each clip ends, from the last part back."""
    count = len(parts)
    gaps = [after["start"] - before["end"] for before, after in zip(parts, parts[1:])]
    pauses = [after.get("pause", gap) for after, gap in zip(parts[1:], gaps)]
    best: list[tuple[int, float, float]] = [(0, 0.0, 0.0)] * (count + 1)
    ends = [count] * (count + 1)
    for first in range(count - 1, -1, -1):
        choice = None
        for end in range(first + 1, count + 1):          # the clip holds parts[first:end]
            if end > first + 1 and (
                    (keep_gap_s is None and gaps[end - 2] > max_gap_s)
                    or _length(parts[first:end], keep_gap_s) > max_s + ROUNDING_S):
                break
            clips, short, pause = best[end]
            if end < count:
                short += max(0.0, GOOD_PAUSE_S - pauses[end - 1])
                pause -= min(pauses[end - 1], max_gap_s)
            candidate = (clips + 1, round(short, 6), round(pause, 6))
            if choice is None or candidate < choice:
                choice, ends[first] = candidate, end
        best[first] = choice
    groups, first = [], 0
    while first < count:
        groups.append(parts[first:ends[first]])
        first = ends[first]
    return groups


def _filled(parts: list[dict], max_s: float, max_gap_s: float, keep_gap_s: float | None,
            fill: Fill) -> list[list[dict]]:
    """Parts grouped in order, each clip filled by cutting the part that does not fit."""
    groups: list[list[dict]] = []
    queue = list(parts)
    while queue:
        part = queue.pop(0)
        last = groups[-1] if groups else None
        near = last and (keep_gap_s is not None or part["start"] - last[-1]["end"] <= max_gap_s)
        if near and _length(last + [part], keep_gap_s) <= max_s + ROUNDING_S:
            last.append(part)
            continue
        room = max_s - _length(last + [{**part, "end": part["start"]}], keep_gap_s) if near else 0
        cut = fill.cut(part, room) if near else None
        if cut is None:
            groups.append([part])
            continue
        last.append({**part, "end": cut})
        queue.insert(0, {**part, "start": cut})
    return groups


@dataclass(frozen=True)
class Fill:
    """Where to cut a speech part so that it fills the end of a clip: at the quietest
    ``quiet_s`` of the audio (lowest energy, so between words) that leaves at least
    ``min_piece_s`` of speech on either side; none when less than ``min_room_s`` of the clip
    is left."""

    samples: np.ndarray
    rate: int
    min_room_s: float = 4.0
    min_piece_s: float = 2.0
    quiet_s: float = 0.2

    def cut(self, part: dict, room: float) -> float | None:
        """The window time to cut ``part`` at, to end a clip with ``room`` seconds left."""
        start, end = part["start"] + self.min_piece_s, min(part["start"] + room,
                                                           part["end"] - self.min_piece_s)
        if room < self.min_room_s or end - start < self.quiet_s:
            return None
        first, last = int(start * self.rate), int(end * self.rate)
        width = max(1, int(self.quiet_s * self.rate))
        audio = self.samples[first:last].astype(np.float64)
        if audio.size < width:
            return None
        total = np.concatenate([[0.0], np.cumsum(audio ** 2)])
        energy = total[width:] - total[:-width]          # of each stretch of quiet_s
        return (first + int(np.argmin(energy)) + width // 2) / self.rate


def _pieces(parts: list[dict], keep_gap_s: float | None) -> tuple[Piece, ...]:
    """Stretches of the window from the first part's start to the last part's end, each long
    pause cut to its first ``keep_gap_s`` seconds."""
    pieces: list[Piece] = []
    start, at = parts[0]["start"], 0.0
    for before, after in zip(parts, parts[1:]):
        if keep_gap_s is not None and after["start"] - before["end"] > keep_gap_s:
            end = before["end"] + keep_gap_s
            pieces.append(Piece(start, end, at))
            at += end - start
            start = after["start"]
    pieces.append(Piece(start, parts[-1]["end"], at))
    return tuple(pieces)


def _length(parts: list[dict], keep_gap_s: float | None) -> float:
    return sum(p.end - p.start for p in _pieces(parts, keep_gap_s))
