"""Voice vectors of overlapping windows inside each sentence, read from the recording in bounded memory."""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from pipeline.audio import SAMPLE_RATE, stream
from pipeline.audio.probe import ChannelSelection
from pipeline.audio.windows import prefetched
from pipeline.formats.transcript import Sentence
from pipeline.speakers.encoder import FRAME_S, VoiceEncoder
from pipeline.speakers.options import SpeakerOptions

log = logging.getLogger(__name__)

BATCH = 256
"""Windows embedded at once: large enough to keep the encoder busy, small in memory (7 MB)."""


@dataclass(frozen=True)
class Span:
    """A window of speech to embed: seconds in the recording, and the sentence it belongs to."""

    sentence: int
    start: float
    end: float


@dataclass(frozen=True)
class VoiceWindows:
    """Voice vectors of windows of speech, in time order; ``sentence`` indexes the sentences."""

    sentence: np.ndarray                       # int, one per window
    starts: np.ndarray                         # seconds
    ends: np.ndarray
    vectors: np.ndarray = field(repr=False)    # (windows, dimensions) unit vectors

    def __len__(self) -> int:
        return len(self.sentence)

    @property
    def centres(self) -> np.ndarray:
        return (self.starts + self.ends) / 2


def sentence_span(sentence: Sentence) -> tuple[float, float]:
    """Where a sentence is heard: from its first word's start to its last word's end."""
    if sentence.words:
        return sentence.words[0].start, max(w.end for w in sentence.words)
    return sentence.start, sentence.end


def plan(sentences: Sequence[Sentence], options: SpeakerOptions) -> list[Span]:
    """The windows to embed: each sentence covered by windows of ``window_s`` every ``hop_s``
    (evenly spread from its start to its end); a sentence shorter than one window gets one
    window over itself, or over ``min_window_s`` centred on it when it is shorter still."""
    spans: list[Span] = []
    for index, sentence in enumerate(sentences):
        start, end = sentence_span(sentence)
        length = end - start
        if length <= options.window_s:
            if length < options.min_window_s:
                middle = (start + end) / 2
                start = max(0.0, middle - options.min_window_s / 2)
                end = start + options.min_window_s
            spans.append(Span(index, start, end))
            continue
        # At least two windows (one at each end), even when the sentence is longer than a
        # window by less than the rounding allowance.
        count = max(2, math.ceil((length - options.window_s) / options.hop_s - 1e-9) + 1)
        step = (length - options.window_s) / (count - 1)
        spans.extend(Span(index, start + k * step, start + k * step + options.window_s)
                     for k in range(count))
    return sorted(spans, key=lambda s: (s.start, s.sentence))


def embed_sentences(path: str | os.PathLike, sentences: Sequence[Sentence],
                    encoder: VoiceEncoder, options: SpeakerOptions = SpeakerOptions(),
                    channel: ChannelSelection = None) -> VoiceWindows:
    """Voice vectors of :func:`plan`'s windows, decoding the recording once, front to back
    (the next block in a background thread while the current one is embedded)."""
    blocks = prefetched(stream(path, channel=channel, block_s=options.block_s))
    return embed_blocks(blocks, sentences, encoder, options)


def embed_blocks(blocks: Iterable[np.ndarray], sentences: Sequence[Sentence],
                 encoder: VoiceEncoder, options: SpeakerOptions = SpeakerOptions()
                 ) -> VoiceWindows:
    """Voice vectors of :func:`plan`'s windows from ``blocks``: the recording as consecutive
    16 kHz mono float32 arrays from its start (decoding blocks, or the windows another stage
    already decoded).

    Only the audio from the earliest window still to embed to the latest one needed is held
    (a sentence's worth plus one block), and features wait in batches of :data:`BATCH`
    windows: memory does not depend on the length of the recording.
    """
    spans = plan(sentences, options)
    vectors = np.zeros((len(spans), encoder.dimensions), np.float32)
    pending: list[tuple[int, np.ndarray]] = []
    for index, features in _features(iter(blocks), spans, encoder, options):
        pending.append((index, features))
        if len(pending) >= BATCH:
            _flush(pending, encoder, vectors)
    _flush(pending, encoder, vectors)
    return VoiceWindows(sentence=np.array([s.sentence for s in spans], dtype=np.int64),
                        starts=np.array([s.start for s in spans]),
                        ends=np.array([s.end for s in spans]), vectors=vectors)


def _flush(pending: list[tuple[int, np.ndarray]], encoder: VoiceEncoder,
           vectors: np.ndarray) -> None:
    if pending:
        vectors[[i for i, _ in pending]] = encoder.embed([f for _, f in pending])
        pending.clear()


def _features(blocks: Iterator[np.ndarray], spans: list[Span], encoder: VoiceEncoder,
              options: SpeakerOptions) -> Iterator[tuple[int, np.ndarray]]:
    """(window index, encoder features) for every span, grouped by sentence."""
    audio = _Rolling(blocks)
    groups: dict[int, list[int]] = {}
    for index, span in enumerate(spans):
        groups.setdefault(span.sentence, []).append(index)
    for indices in sorted(groups.values(), key=lambda ix: spans[ix[0]].start):
        first = min(spans[i].start for i in indices)
        last = max(spans[i].end for i in indices)
        samples = audio.take(first, last)
        if samples.size < round(options.min_window_s * SAMPLE_RATE / 2):
            log.debug("No audio at %.1f-%.1f s (past the end of the recording)", first, last)
            samples = np.zeros(round((last - first) * SAMPLE_RATE), np.float32)
        mel = encoder.mel(samples)
        for i in indices:
            lo = int(round((spans[i].start - first) / FRAME_S))
            size = max(1, int(round((spans[i].end - spans[i].start) / FRAME_S)))
            piece = mel[lo:lo + size]
            if len(piece) < size:            # the recording ends inside the window
                piece = np.pad(piece, ((0, size - len(piece)), (0, 0)))
            yield i, piece


class _Rolling:
    """The decoded recording as a sliding buffer: ``take`` reads ahead, ``forget_before`` drops."""

    def __init__(self, blocks: Iterator[np.ndarray]):
        self.blocks = blocks
        self.buffer = np.zeros(0, np.float32)
        self.offset = 0                       # sample index of buffer[0]
        self.exhausted = False

    def take(self, start_s: float, end_s: float) -> np.ndarray:
        """The samples from ``start_s`` to ``end_s``; audio before ``start_s`` is dropped
        first, so a long silence is never held."""
        self.forget_before(start_s)
        start, end = max(0, round(start_s * SAMPLE_RATE)), round(end_s * SAMPLE_RATE)
        while not self.exhausted and self.offset + len(self.buffer) < end:
            block = next(self.blocks, None)
            if block is None:
                self.exhausted = True
                continue
            self.buffer = np.concatenate((self.buffer, block))
            self.forget_before(start_s)
        lo = max(0, start - self.offset)
        return self.buffer[lo:max(lo, end - self.offset)]

    def forget_before(self, start_s: float) -> None:
        drop = min(len(self.buffer), max(0, round(start_s * SAMPLE_RATE) - self.offset))
        if drop:
            self.buffer = self.buffer[drop:].copy()
            self.offset += drop
