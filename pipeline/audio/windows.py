"""Cut a long recording into windows of about ten minutes, each cut at the quietest moment."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from pipeline.audio.decode import SAMPLE_RATE, stream
from pipeline.audio.probe import ChannelSelection

T = TypeVar("T")
U = TypeVar("U")

FRAME_S = 0.4
"""Loudness is measured over frames this long, centred on each candidate cut."""

HOP_S = 0.1
"""Candidate cuts lie on a grid of this step, counted from the start of the recording."""

LEVEL_STEP_DB = 0.5
"""Levels are compared in steps this coarse, so tiny decoding differences cannot move a cut;
among equally quiet candidates the one nearest the target wins, then the earlier one."""

BLOCK_S = 10.0
"""Decoded audio arrives in blocks this long."""


@dataclass(frozen=True)
class Window:
    """A stretch of the recording: ``samples`` (float32 mono, 16 kHz) from ``start_s`` to ``end_s``."""

    index: int
    start_s: float
    end_s: float
    samples: np.ndarray = field(repr=False, compare=False)


def windows(path: str | os.PathLike, *, target_s: float, search_s: float,
            channel: ChannelSelection = None, start_index: int = 0,
            start_s: float = 0.0, sample_rate: int = SAMPLE_RATE,
            first_s: float | None = None) -> Iterator[Window]:
    """Yield consecutive windows of about ``target_s`` seconds covering the recording.

    Each cut lies at the quietest point (lowest level over ``FRAME_S``) within
    ``target_s ± search_s`` of the window's start, on a fixed grid, so it depends only on
    the audio from that start on: resuming with ``start_s`` and ``start_index`` of a window
    yielded before gives that window and every later one again, cut identically. The first
    window (index 0) may be shorter, about ``first_s`` seconds (more than ``search_s`` plus a
    frame), so that its work can start while the next one is decoded. The last
    window takes whatever remains (up to ``target_s + search_s``). Memory: one window plus
    the search margin and one decoding block, whatever the recording's length; a caller
    that drops each window before asking for the next keeps the peak at that (about
    40 MiB for ten-minute windows), one that holds it meanwhile doubles it.
    """
    first_s = target_s if first_s is None else min(first_s, target_s)
    if not 0 <= search_s < min(target_s, first_s) - FRAME_S:
        raise ValueError(f"search_s must be at least 0 and less than target_s - {FRAME_S} "
                         f"(got target_s={target_s}, first_s={first_s}, search_s={search_s}).")
    cutters = (_Cutter(sample_rate, first_s, search_s), _Cutter(sample_rate, target_s, search_s))
    first, index = round(start_s * sample_rate), start_index
    cutter = cutters[min(index, 1)]
    size = cutters[1].need + round(BLOCK_S * sample_rate)
    buf, filled = np.empty(size, np.float32), 0
    blocks = stream(path, channel=channel, sample_rate=sample_rate, block_s=BLOCK_S)
    for block in _skip(blocks, first):
        buf[filled:filled + len(block)] = block
        filled += len(block)
        while filled >= cutter.need:
            cut = cutter.cut(buf, first)
            rest = buf[cut:filled].copy()
            window = Window(index, first / sample_rate, (first + cut) / sample_rate, buf[:cut])
            del buf  # the window now owns the buffer: never two full buffers here
            yield window
            del window
            buf = np.empty(size, np.float32)
            buf[:len(rest)] = rest
            filled, first, index = len(rest), first + cut, index + 1
            cutter = cutters[1]
    if filled:
        yield Window(index, first / sample_rate, (first + filled) / sample_rate, buf[:filled])


def _skip(blocks: Iterator[np.ndarray], count: int) -> Iterator[np.ndarray]:
    """Drop the first ``count`` samples of a stream decoded from the very start.

    A resumed run decodes from the start rather than seeking: decoding is cheap next to
    recognition, and only then are the samples bit-identical to an uninterrupted run's, so
    the resumed transcript equals the uninterrupted one.
    """
    for block in blocks:
        if count >= len(block):
            count -= len(block)
            continue
        yield block[count:] if count else block
        count = 0


class _Cutter:
    """Finds the quietest grid point near the target; all positions in samples."""

    def __init__(self, sample_rate: int, target_s: float, search_s: float) -> None:
        self.target = round(target_s * sample_rate)
        self.search = round(search_s * sample_rate)
        self.frame = round(FRAME_S * sample_rate)
        self.hop = max(1, round(HOP_S * sample_rate))
        self.need = self.target + self.search + self.frame // 2 + 1

    def cut(self, buf: np.ndarray, first: int) -> int:
        """Offset from ``first`` (the window's start) of the cut; ``buf[0]`` is at ``first``."""
        target = first + self.target
        lo = -(-(target - self.search) // self.hop) * self.hop
        cands = np.arange(lo, target + self.search + 1, self.hop, dtype=np.int64)
        if not len(cands):
            return self.target
        half = self.frame // 2
        base = int(cands[0]) - first - half
        seg = buf[base:int(cands[-1]) - first - half + self.frame].astype(np.float64)
        sums = np.concatenate(([0.0], np.cumsum(seg * seg)))
        offs = cands - cands[0]
        power = (sums[offs + self.frame] - sums[offs]) / self.frame
        level = np.round(10 * np.log10(np.maximum(power, 1e-12)) / LEVEL_STEP_DB)
        order = np.lexsort((cands, np.abs(cands - target), level))
        return int(cands[order[0]]) - first


def prefetched(items: Iterator[T], prepare: Callable[[T], U] | None = None) -> Iterator[U]:
    """The same items (or ``prepare(item)`` of each), the next one made in a background
    thread meanwhile.

    Decoding a window takes a few seconds; recognising it much longer, so overlapping the
    two hides the decoding (and ``prepare``, e.g. finding its speech). Only the next item
    is made ahead, and only once the current one has been handed over: at most two are
    alive at a time, so memory stays bounded whatever the length of the recording. Errors
    of the decoder or of ``prepare`` are raised here, in the consumer, in order.
    """
    from concurrent.futures import ThreadPoolExecutor

    source = iter(items)
    done = object()

    def make():
        item = next(source, done)
        return item if item is done or prepare is None else prepare(item)

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="window-decoder")
    try:
        ahead = pool.submit(make)
        while True:
            item = ahead.result()
            if item is done:
                return
            ahead = pool.submit(make)
            yield item
            item = None                     # not kept alive while the next one is awaited
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
