"""Open a recording with PyAV and describe it: container, codec, channels, trustworthy duration."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import av

from pipeline.errors import InputError
from pipeline.formats.timestamps import format_timestamp
from pipeline.fsio import sha256_file

log = logging.getLogger(__name__)

ChannelSelection = Union[int, str, None]
"""``None`` or ``"mix"``: average all channels; an int: that channel alone (0-based)."""

HEADER_TOLERANCE_S = 0.1
"""The container's own duration is used when the packets agree with it within this margin."""

SUPPORTED = "WAV, FLAC, MP3, Ogg/Opus, M4A/AAC, or a video (MP4, MKV, WebM) with an audio track"


@dataclass(frozen=True)
class AudioInfo:
    """What a recording is: where, how long, how many channels, and how it is encoded."""

    path: Path
    duration_s: float
    channels: int
    sample_rate: int
    codec: str
    container: str
    size_bytes: int


def probe(path: str | os.PathLike) -> AudioInfo:
    """Describe the recording at ``path``, or raise :class:`InputError` saying what is wrong.

    The duration comes from the packets actually present in the file (a fast scan that
    reads no audio samples), so a truncated file or a container without a duration
    header still reports how long its audio really is.
    """
    with open_recording(path) as (container, stream):
        first_pts = first_frame_pts(container, stream, Path(path))
        scanned = _scan_end_s(container, stream, Path(path), first_pts)
        duration = _choose_duration(Path(path), stream, container, scanned)
        if duration == scanned and scanned > 0:
            duration = _decoded_end_s(container, stream, first_pts, scanned) or scanned
            _warn_if_truncated(Path(path), _header_duration_s(stream, container), duration)
        return AudioInfo(
            path=Path(path),
            duration_s=duration,
            channels=stream.codec_context.channels,
            sample_rate=stream.codec_context.sample_rate,
            codec=stream.codec_context.name,
            container=container.format.name,
            size_bytes=Path(path).stat().st_size,
        )


def sha256(path: str | os.PathLike) -> str:
    """Checksum of the recording file, read in blocks (the recording never sits in memory)."""
    check_file(Path(path))
    return sha256_file(path)


def check_channel(channel: ChannelSelection, channels: int, path: Path) -> int | None:
    """Validate a channel selection; return the index, or ``None`` for the mix of all channels."""
    if channel is None or channel == "mix":
        return None
    if isinstance(channel, str) and channel.strip().isdigit():
        channel = int(channel)
    if isinstance(channel, bool) or not isinstance(channel, int):
        raise InputError(f"Channel {channel!r} is not valid for {path}; give 'mix' or a channel "
                         f"number from 0 to {channels - 1}.")
    if not 0 <= channel < channels:
        raise InputError(f"Channel {channel} does not exist in {path}, which has {channels} "
                         f"channel{'s' if channels != 1 else ''}; give a channel from 0 to "
                         f"{channels - 1}, or 'mix'.")
    return channel


def check_file(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` is an existing, readable regular file."""
    if not path.exists():
        raise InputError(f"The recording {path} does not exist; check the path.")
    if path.is_dir():
        raise InputError(f"The recording {path} is a folder, not a file; give the path of an "
                         "audio or video file.")
    if not os.access(path, os.R_OK):
        raise InputError(f"Cannot read the recording {path}: permission denied.")
    if path.stat().st_size == 0:
        raise InputError(f"The recording {path} is empty (0 bytes); check that it was saved "
                         "completely.")


@contextmanager
def open_recording(path: str | os.PathLike) -> Iterator[tuple[av.container.InputContainer,
                                                             av.audio.stream.AudioStream]]:
    """Open ``path`` and yield its container and first audio stream; always closes it."""
    path = Path(path)
    check_file(path)
    try:
        container = av.open(str(path), mode="r")
    except (av.FFmpegError, EOFError, OSError) as exc:
        raise InputError(f"{path} is not a readable audio or video file ({_reason(exc)}); "
                         f"give a {SUPPORTED}.") from exc
    try:
        if not container.streams.audio:
            raise InputError(f"{path} has no audio track; give a recording with sound.")
        stream = container.streams.audio[0]
        if not stream.codec_context.sample_rate or not stream.codec_context.channels:
            raise InputError(f"The audio track of {path} has no sample rate or channels; "
                             "the file is corrupt: re-export or repair it.")
        yield container, stream
    finally:
        container.close()


def first_frame_pts(container, stream, path: Path) -> int:
    """Decode from the start until the first audio frame; return its pts (0 when unknown).

    This is time 0 of the recording. Raises :class:`InputError` for a file whose audio
    cannot be decoded at all or that holds no audio.
    """
    return first_frames(container, stream, path, 1)[0][0]


def first_frames(container, stream, path: Path, count: int) -> list[tuple[int, int]]:
    """``(pts, samples)`` of the first ``count`` decoded frames (fewer if the audio is short)."""
    packets, found = 0, []
    try:
        for packet in container.demux(stream):
            packets += packet.size > 0
            for frame in _decode_quietly(stream, packet):
                if frame.samples:
                    found.append((frame.pts if frame.pts is not None else 0, frame.samples))
            if len(found) >= count:
                return found[:count]
        if found:
            return found
    except av.FFmpegError as exc:
        raise InputError(f"The recording {path} is corrupt: its audio cannot be read "
                         f"({_reason(exc)}); re-export or repair it.") from exc
    if packets:
        raise InputError(f"The recording {path} is corrupt: none of its audio can be decoded; "
                         "re-export or repair it.")
    raise InputError(f"The recording {path} holds no audio (zero length); check that the "
                     "recording was saved completely.")


def _decode_quietly(stream, packet) -> list:
    """Decode one packet, treating undecodable data as no frames (the caller judges)."""
    try:
        return stream.codec_context.decode(packet)
    except av.FFmpegError:
        return []


def _scan_end_s(container, stream, path: Path, first_pts: int) -> float:
    """Seconds from the first frame to the end of the last packet, reading packets only."""
    end = first_pts
    try:
        for packet in container.demux(stream):
            if packet.pts is not None:
                end = max(end, packet.pts + (packet.duration or 0))
    except av.FFmpegError as exc:
        at = float((end - first_pts) * stream.time_base)
        raise InputError(f"The recording {path} is corrupt: it cannot be read past "
                         f"{format_timestamp(at, 'vtt')} ({_reason(exc)}); re-export or repair it.") from exc
    return max(0.0, float((end - first_pts) * stream.time_base))


def _decoded_end_s(container, stream, first_pts: int, scanned: float) -> float | None:
    """Where decoding of the last seconds really ends (a truncated tail may not decode).

    Used when the container's duration is missing or wrong; ``None`` if that cannot be told.
    """
    rate, base = stream.codec_context.sample_rate, stream.time_base
    try:
        container.seek(first_pts + int(max(0.0, scanned - 3.0) / base), stream=stream,
                       backward=True)
        stream.codec_context.flush_buffers()
    except av.FFmpegError:
        return None
    end = None
    try:
        for packet in container.demux(stream):
            try:
                frames = stream.codec_context.decode(packet)
            except av.FFmpegError:
                if end is not None:
                    break
                continue
            for frame in frames:
                if frame.samples and frame.pts is not None:
                    end = float((frame.pts - first_pts) * base) + frame.samples / rate
    except av.FFmpegError:
        pass
    return end if end is not None and scanned - 3.5 <= end <= scanned + 0.1 else None


def _choose_duration(path: Path, stream, container, scanned: float) -> float:
    """Prefer the container's exact duration when the packets confirm it; else the scan."""
    header = _header_duration_s(stream, container)
    if scanned <= 0:
        raise InputError(f"The recording {path} holds no audio (zero length); check that the "
                         "recording was saved completely.")
    if header is not None and abs(header - scanned) <= HEADER_TOLERANCE_S:
        return header
    return scanned


def _warn_if_truncated(path: Path, header: float | None, duration: float) -> None:
    if header is not None and header > duration + HEADER_TOLERANCE_S:
        log.warning("%s: the header says %.2f s but %.2f s of audio is present (the file seems "
                    "truncated, or its header only estimates); using %.2f s",
                    path, header, duration, duration)


def _header_duration_s(stream, container) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.rstrip(".").lower()
