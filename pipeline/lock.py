"""One run at a time per session folder: an advisory lock that dies with its process.

The lock is ``.work/lock``, held with ``flock`` while a run works and holding the run's
process id, host and command. The kernel releases it when the process ends however it
ends, so a lock left by a killed run is recognised as stale and taken over safely.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
from pathlib import Path

from pipeline.errors import SessionError, SessionLockedError
from pipeline.session import WORK_DIR, now

log = logging.getLogger(__name__)


class SessionLock:
    """``with SessionLock(folder, "transcribe"):`` holds the folder for this process."""

    def __init__(self, root: str | Path, command: str):
        self.path = Path(root) / WORK_DIR / "lock"
        self.command = command
        self._fd: int | None = None

    def __enter__(self) -> "SessionLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise SessionError(f"Cannot lock the session folder {self.path.parent.parent}: "
                               f"{exc.strerror or exc}; choose a folder you can write to.") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _describe(_read(fd))
            os.close(fd)
            raise SessionLockedError(
                f"The session folder {self.path.parent.parent} is in use by another run "
                f"({holder}); wait for it to finish or stop it, then try again.") from None
        previous = _read(fd)
        if previous:
            log.warning("Taking over a stale lock left by a run that ended (%s).", _describe(previous))
            _remove_temporaries(self.path.parent.parent)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
                "started": now()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None


def _remove_temporaries(root: Path) -> None:
    """Delete the temporary files (``.NAME.XXXX.tmp``) a killed run left half-written.

    Safe only while holding the lock: no other run can be writing them.
    """
    for path in root.rglob(".*.tmp"):
        try:
            if path.is_file():
                path.unlink()
                log.info("Removed %s, left by a run that ended while writing it.", path)
        except OSError:
            pass


def _read(fd: int) -> dict:
    try:
        data = os.pread(fd, 4096, 0)
        return json.loads(data) if data.strip() else {}
    except (OSError, ValueError):
        return {}


def _describe(info: dict) -> str:
    if not info:
        return "process unknown"
    return (f"process {info.get('pid')} on {info.get('host')}, "
            f"'{info.get('command')}' started {info.get('started')}")
