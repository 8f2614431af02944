"""Stream a recording as float32 mono blocks at 16 kHz, in bounded memory, from any start time."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from math import gcd
from pathlib import Path

import av
import numpy as np

from pipeline.audio.probe import (
    ChannelSelection,
    check_channel,
    first_frames,
    open_recording,
)
from pipeline.errors import InputError
from pipeline.formats.timestamps import format_timestamp

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
"""The rate every consumer (Silero VAD, Whisper) expects."""

TAIL_TOLERANCE_S = 1.0
"""Undecodable data followed by at most this much audio is a truncated tail: warn and stop.
Undecodable data followed by more is corruption in the middle: raise :class:`InputError`."""

GAP_TOLERANCE_S = 0.05
"""A jump in timestamps longer than this means lost data (a dropped page or frame)."""

SEEK_PREROLL_S = 1.0
"""Seek this far before ``start_s`` so decoder and resampler have settled by ``start_s``."""

_FAILED = object()  # marks a packet that could not be decoded


def stream(path: str | os.PathLike, *, channel: ChannelSelection = None,
           sample_rate: int = SAMPLE_RATE, block_s: float = 30.0,
           start_s: float = 0.0) -> Iterator[np.ndarray]:
    """Yield the recording from ``start_s`` as float32 mono blocks of ``block_s`` seconds.

    Every block but the last has exactly ``round(block_s * sample_rate)`` samples, values in
    [-1, 1]. ``channel`` is ``None``/``"mix"`` (average of all channels) or a 0-based
    index. Block ``k`` starts at sample ``round(start_s * sample_rate) + k * block`` of the
    recording: seeking gives the samples that decoding from the start would give there
    (the container is seeked a little earlier and the surplus trimmed exactly). Errors in
    the file raise :class:`InputError` while iterating.
    """
    if block_s <= 0:
        raise ValueError(f"block_s must be positive, not {block_s}.")
    return _rechunk(samples(path, channel=channel, sample_rate=sample_rate, start_s=start_s),
                    max(1, round(block_s * sample_rate)))


def read(path: str | os.PathLike, *, channel: ChannelSelection = None,
         sample_rate: int = SAMPLE_RATE, start_s: float = 0.0,
         end_s: float | None = None) -> np.ndarray:
    """The samples from ``start_s`` to ``end_s`` (or the end) as one float32 mono array.

    Holds the whole range in memory: meant for short excerpts, not whole meetings.
    """
    wanted = None if end_s is None else max(0, round(end_s * sample_rate)
                                            - round(start_s * sample_rate))
    parts, have = [], 0
    for chunk in samples(path, channel=channel, sample_rate=sample_rate, start_s=start_s):
        if wanted is not None and have + len(chunk) >= wanted:
            parts.append(chunk[:wanted - have])
            break
        parts.append(chunk)
        have += len(chunk)
    return np.concatenate(parts) if parts else np.zeros(0, np.float32)


def samples(path: str | os.PathLike, *, channel: ChannelSelection = None,
            sample_rate: int = SAMPLE_RATE, start_s: float = 0.0) -> Iterator[np.ndarray]:
    """Yield float32 mono chunks (of whatever size the decoder gives) from ``start_s`` on."""
    if start_s < 0:
        raise ValueError(f"start_s must not be negative, not {start_s}.")
    if sample_rate <= 0:
        raise ValueError(f"sample_rate must be positive, not {sample_rate}.")
    path = Path(path)
    start_out = round(start_s * sample_rate)
    if start_s > SEEK_PREROLL_S:
        seeked = _seeked_chunks(path, channel, sample_rate, start_out)
        first = next(seeked, None)
        if first is not _UNSEEKABLE:
            if first is not None:
                yield first
                yield from seeked
            return
        log.info("%s: cannot seek precisely; decoding from the start up to %.1f s", path, start_s)
    yield from _chunks(path, channel, sample_rate, start_out, seek_s=None)


_UNSEEKABLE = np.zeros(0, np.float32)


def _seeked_chunks(path, channel, sample_rate, start_out) -> Iterator[np.ndarray]:
    """Like :func:`_chunks` with a seek; yields ``_UNSEEKABLE`` first if the seek cannot be exact."""
    seek_s = max(0.0, start_out / sample_rate - SEEK_PREROLL_S)
    try:
        yield from _chunks(path, channel, sample_rate, start_out, seek_s=seek_s)
    except _SeekMissed:
        yield _UNSEEKABLE


class _SeekMissed(Exception):
    """The container could not seek to a known place before the start."""


def _chunks(path: Path, channel, sample_rate, start_out, seek_s) -> Iterator[np.ndarray]:
    with open_recording(path) as (container, astream):
        index = check_channel(channel, astream.codec_context.channels, path)
        in_rate = astream.codec_context.sample_rate
        if seek_s is None:
            timeline = _timeline(_frames(container, astream, path), path, in_rate, None)
        else:
            grid = _Grid.of(container, astream, path)
            try:
                container.seek(grid.ref_pts + int(seek_s / astream.time_base), stream=astream,
                               backward=True)
            except av.FFmpegError as exc:
                raise _SeekMissed from exc
            astream.codec_context.flush_buffers()
            timeline = _timeline(_frames(container, astream, path), path, in_rate, grid)
            timeline = _check_seek(timeline, (start_out / sample_rate - 0.1) * in_rate)
        mono = ((pos, _select(frame, index, path)) for pos, frame in timeline)
        yield from _resampled(_joined(mono, in_rate), in_rate, sample_rate, start_out)


def _joined(mono: Iterable[tuple[int | None, np.ndarray]], size: int
            ) -> Iterator[tuple[int | None, np.ndarray]]:
    """Consecutive frames' samples joined into chunks of ``size`` or more, each with its
    first sample's position: codecs' frames are a few milliseconds long, and resampling and
    copying them one by one costs more than decoding them."""
    parts: list[np.ndarray] = []
    first: int | None = None
    held = 0
    for pos, chunk in mono:
        if not parts:
            first = pos
        parts.append(chunk)
        held += len(chunk)
        if held >= size:
            yield first, parts[0] if len(parts) == 1 else np.concatenate(parts)
            parts, held = [], 0
    if parts:
        yield first, parts[0] if len(parts) == 1 else np.concatenate(parts)


def _check_seek(timeline, latest_in: float):
    """Pass the timeline through after checking that it begins at or before ``latest_in``."""
    first = next(timeline, None)
    if first is None:
        return
    if first[0] is None or first[0] > latest_in:
        raise _SeekMissed
    yield first
    yield from timeline


def _frames(container, astream, path: Path) -> Iterator[object]:
    """Every decoded frame in order; ``_FAILED`` where a packet could not be decoded."""
    codec = astream.codec_context
    try:
        for packet in container.demux(astream):
            try:
                frames = codec.decode(packet)
            except av.FFmpegError:
                yield _FAILED
                continue
            yield from frames
    except av.FFmpegError as exc:
        raise InputError(f"The recording {path} is corrupt: it cannot be read to the end "
                         f"({exc.strerror or exc}); re-export or repair it.") from exc


@dataclass(frozen=True)
class _Grid:
    """Where decoded frames lie: time 0's pts, and the sizes of the first and later frames."""

    ref_pts: int
    first: int
    size: int

    @classmethod
    def of(cls, container, astream, path: Path) -> _Grid:
        found = first_frames(container, astream, path, 2)
        size = found[1][1] if len(found) > 1 else found[0][1]
        return cls(found[0][0], found[0][1], size)

    def position(self, frame: av.AudioFrame, in_rate: int) -> int | None:
        """The index of the frame's first sample, from its pts.

        Where timestamps are coarser than a sample (Matroska and WebM count milliseconds),
        the estimate is snapped to the codec's frame grid when one lies within the
        timestamps' precision; otherwise it is exact to that precision.
        """
        if frame.pts is None:
            return None
        estimate = float((frame.pts - self.ref_pts) * frame.time_base) * in_rate
        slack = float(frame.time_base) * in_rate / 2
        if slack <= 0.5 or frame.samples != self.size or estimate < self.first:
            return round(estimate)
        snapped = self.first + round((estimate - self.first) / self.size) * self.size
        return snapped if abs(snapped - estimate) <= slack + 1 else round(estimate)


def _timeline(frames: Iterable[object], path: Path, in_rate: int,
              grid: _Grid | None) -> Iterator[tuple[int | None, av.AudioFrame]]:
    """Pair each good frame with its first sample's index on the recording's timeline.

    From the start (``grid`` None) the index counts samples. After a seek it comes from
    the first frame's timestamp (see :meth:`_Grid.position`), then counts samples.
    Undecodable packets and timestamp gaps are failures: see :data:`TAIL_TOLERANCE_S`.
    """
    pos: int | None = None
    expected_s: float | None = None
    failed_at: float | None = None
    after_failure = 0
    for frame in frames:
        if frame is _FAILED or (pos is not None and _gap_s(frame, expected_s) > GAP_TOLERANCE_S):
            if pos is not None and failed_at is None:
                failed_at = pos / in_rate
            if frame is _FAILED:
                continue
        if not frame.samples:
            continue
        if failed_at is not None:
            after_failure += frame.samples
            if after_failure > TAIL_TOLERANCE_S * in_rate:
                raise InputError(f"The recording {path} is corrupt at "
                                 f"{format_timestamp(failed_at, 'vtt')}: decoding failed there; "
                                 "re-export or repair the file.")
            continue
        if pos is None:
            pos = 0 if grid is None else grid.position(frame, in_rate)
        yield pos, frame
        if pos is not None:
            pos += frame.samples
        if frame.pts is not None:
            expected_s = float(frame.pts * frame.time_base) + frame.samples / in_rate
    if pos is None and grid is None:
        raise InputError(f"The recording {path} holds no decodable audio; check that it was "
                         "saved completely, or re-export it.")
    if failed_at is not None:
        log.warning("%s: the audio after %s cannot be decoded (the file seems truncated); "
                    "the recording is taken to end there", path,
                    format_timestamp(failed_at, "vtt"))


def _gap_s(frame, expected_s: float | None) -> float:
    if frame is _FAILED or expected_s is None or frame.pts is None:
        return 0.0
    return float(frame.pts * frame.time_base) - expected_s


def _select(frame: av.AudioFrame, index: int | None, path: Path) -> np.ndarray:
    """The frame as float32 mono: one channel, or the mean of all of them."""
    data = frame.to_ndarray()
    channels = len(frame.layout.channels)
    if not frame.format.is_planar:
        data = data.reshape(-1, channels).T
    if index is not None and index >= data.shape[0]:
        raise InputError(f"The recording {path} changes to {data.shape[0]} channels part way "
                         f"through, so channel {index} is missing there; choose another channel.")
    data = data[index:index + 1] if index is not None else data
    data = _to_float(data)
    return data[0] if data.shape[0] == 1 else data.mean(axis=0, dtype=np.float32)


def _to_float(data: np.ndarray) -> np.ndarray:
    if data.dtype == np.float32:
        return data
    if data.dtype.kind == "f":
        return data.astype(np.float32)
    if data.dtype == np.uint8:
        return (data.astype(np.float32) - 128.0) / 128.0
    return (data.astype(np.float32) / float(2 ** (8 * data.dtype.itemsize - 1)))


def _resampled(mono: Iterable[tuple[int | None, np.ndarray]], in_rate: int, out_rate: int,
               start_out: int) -> Iterator[np.ndarray]:
    """Resample to ``out_rate`` and drop what lies before output sample ``start_out``.

    The first input sample fed lies on the grid where input and output samples coincide
    (multiples of in_rate/gcd), so the output grid is the same whether decoding began at
    the start or after a seek.
    """
    step = gcd(in_rate, out_rate)
    p_in, p_out = in_rate // step, out_rate // step
    resampler = None if in_rate == out_rate else av.AudioResampler(
        format="flt", layout="mono", rate=out_rate)
    out_pos: int | None = None
    for pos, chunk in mono:
        if out_pos is None:
            if pos is None:
                raise _SeekMissed
            aligned = -(-pos // p_in) * p_in
            if aligned - pos >= len(chunk):
                continue
            chunk = chunk[aligned - pos:]
            out_pos = aligned // p_in * p_out
        for out in _resample(resampler, chunk, in_rate):
            out_pos, out = _trim(out, out_pos, start_out)
            if len(out):
                yield np.clip(out, -1.0, 1.0, out=out)
    if resampler is not None and out_pos is not None:
        for out in _resample(resampler, None, in_rate):
            out_pos, out = _trim(out, out_pos, start_out)
            if len(out):
                yield np.clip(out, -1.0, 1.0, out=out)


def _resample(resampler, chunk: np.ndarray | None, in_rate: int) -> Iterator[np.ndarray]:
    if resampler is None:
        if chunk is not None:
            yield np.array(chunk, dtype=np.float32)
        return
    frame = None
    if chunk is not None:
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk).reshape(1, -1),
                                           format="flt", layout="mono")
        frame.sample_rate = in_rate
    for out in resampler.resample(frame):
        yield out.to_ndarray().reshape(-1).astype(np.float32, copy=True)


def _trim(out: np.ndarray, out_pos: int, start_out: int) -> tuple[int, np.ndarray]:
    """Advance the output position past ``out``; return the part at or after ``start_out``."""
    end = out_pos + len(out)
    if end <= start_out:
        return end, out[:0]
    return end, out[max(0, start_out - out_pos):]


def _rechunk(chunks: Iterable[np.ndarray], size: int) -> Iterator[np.ndarray]:
    """Regroup chunks into arrays of exactly ``size`` samples (the last may be shorter)."""
    block = np.empty(size, np.float32)
    filled = 0
    for chunk in chunks:
        while len(chunk):
            take = min(size - filled, len(chunk))
            block[filled:filled + take] = chunk[:take]
            filled += take
            chunk = chunk[take:]
            if filled == size:
                yield block
                block = np.empty(size, np.float32)
                filled = 0
    if filled:
        yield block[:filled].copy()
