"""Atomic file writes and checksums: a reader never sees a half-written file."""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from pathlib import Path

from pipeline.errors import InputError, SessionError

_CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    The previous file, if any, stays intact until the new one is complete and synced.
    Disk-full and permission errors become a :class:`SessionError` with one clear sentence.
    """
    target = Path(path)
    tmp_name = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_dir(target.parent)
    except OSError as exc:
        raise SessionError(describe_os_error(exc, target)) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def describe_os_error(exc: OSError, path: Path) -> str:
    """One sentence for an OS error met while writing ``path``."""
    if exc.errno == errno.ENOSPC:
        return (f"The disk is full while writing {path}; free some space and run the command "
                "again: finished work is kept and the run resumes.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Cannot write {path}: permission denied; choose a folder you can write to."
    return f"Cannot write {path}: {exc.strerror or exc}."


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_input_text(path: str | os.PathLike, what: str, error: type[Exception] | None = None) -> str:
    """The UTF-8 text of an input file, or one sentence (``error``) saying why it cannot be read.

    ``what`` names the file for the user ("the agenda", "the glossary").
    """
    error = error or InputError
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{what.capitalize()} {path} does not exist.") from None
    except IsADirectoryError:
        raise error(f"{what.capitalize()} {path} is a folder, not a file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"Cannot read {what} {path}: {exc}.") from None
