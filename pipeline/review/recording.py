"""The recording a session was made from: where the manifest says, and unchanged, or not played."""

from __future__ import annotations

import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path

from pipeline.fsio import sha256_file

MEDIA_TYPES = {".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg",
               ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".wav": "audio/wav",
               ".flac": "audio/flac", ".webm": "audio/webm", ".mp4": "video/mp4"}


@dataclass(frozen=True)
class RecordingStatus:
    """Whether the recording can be played, and if not, the sentence the page shows."""

    name: str
    path: str | None
    playable: bool
    problem: str | None = None
    media_type: str = "application/octet-stream"


class RecordingCheck:
    """Checks the manifest's recording against its checksum, once per file state (size and
    modification time), so a 3-hour file is read once, not on every request."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()

    def status(self, record: dict | None) -> RecordingStatus:
        record = record or {}
        path, expected = record.get("path"), record.get("sha256")
        name = record.get("name") or (Path(path).name if path else "")
        if not path:
            return RecordingStatus(name, None, False, (
                "The manifest names no recording (this session was not transcribed from one), "
                "so there is nothing to play."))
        target = Path(path)
        if not target.is_file():
            return RecordingStatus(name, path, False, (
                f"The recording {path} named in the manifest is not there (moved or deleted): "
                "put it back at that path to hear the sentences; it is not searched for "
                "elsewhere."))
        if expected and self._sha256(target) != expected:
            return RecordingStatus(name, path, False, (
                f"The recording {path} has changed since this session was transcribed (its "
                "SHA-256 differs from the manifest's), so its times would not match the "
                "sentences: put the original recording back at that path."))
        return RecordingStatus(name, path, True, None, media_type(target))

    def _sha256(self, target: Path) -> str:
        stat = target.stat()
        key = (str(target), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if key not in self._known:
                self._known[key] = sha256_file(target)
            return self._known[key]


def media_type(path: Path) -> str:
    """The type a browser needs to play ``path``."""
    return (MEDIA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
            or "application/octet-stream")
