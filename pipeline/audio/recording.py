"""The recording a session is made from: checked once, with its checksum, for every stage."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.probe import ChannelSelection, check_channel, check_file, probe
from pipeline.errors import InputError
from pipeline.fsio import sha256_file


@dataclass(frozen=True)
class Recording:
    """A checked recording: where it is, its SHA-256, how long it lasts, how it is encoded."""

    path: Path
    sha256: str
    duration_s: float
    channels: int
    sample_rate: int

    def to_record(self) -> dict:
        """What the manifest keeps about the recording."""
        return {"path": str(self.path.resolve()), "name": self.path.name, "sha256": self.sha256,
                "duration_s": round(self.duration_s, 3), "channels": self.channels,
                "sample_rate": self.sample_rate}


def inspect_recording(path: str | Path, channel: ChannelSelection = None) -> Recording:
    """Check a recording up front: it exists, is audio, has sound and the asked channel."""
    path = Path(path)
    check_file(path)
    info = probe(path)
    if not info.duration_s or info.duration_s <= 0:
        raise InputError(f"The recording {path} holds no audio (zero length).")
    check_channel(channel, info.channels, path)
    return Recording(path=path, sha256=sha256_file(path), duration_s=float(info.duration_s),
                     channels=int(info.channels), sample_rate=int(info.sample_rate))


def recorded_recording(manifest: dict, channel: ChannelSelection = None) -> Recording:
    """The recording a session was transcribed from (its manifest's ``input``), checked again:
    one that moved or changed since is reported, never searched for."""
    source = manifest.get("input") or {}
    if not source.get("path"):
        raise InputError("This session records no recording yet; run 'session-pipeline "
                         "transcribe' first.")
    path = Path(source["path"])
    if not path.exists():
        raise InputError(f"The recording {path} this session was made from is no longer there; "
                         "put it back (the session records its checksum) and try again.")
    found = inspect_recording(path, channel)
    if source.get("sha256") and found.sha256 != source["sha256"]:
        raise InputError(f"The recording {path} has changed since this session was transcribed "
                         "(its checksum differs); transcribe it again into a new session folder.")
    return found
