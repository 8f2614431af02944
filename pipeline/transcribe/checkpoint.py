"""The transcription checkpoint: every word recognised so far, so a killed run resumes."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.formats.transcript import Word
from pipeline.fsio import atomic_write_text

log = logging.getLogger(__name__)

SCHEMA = "session-pipeline/transcribe-checkpoint/2"

EVERY_S = 60.0
"""Seconds of audio recognised between two saves: a killed run loses at most about this much."""


@dataclass
class Checkpoint:
    """Progress of one run: the window being recognised, how many of its clips are done, and
    every word before that point (with the window's log probability so far, for the language
    check of an English-only model)."""

    fingerprint: str
    next_index: int = 0
    next_start_s: float = 0.0
    next_clip: int = 0
    words: list[Word] = field(default_factory=list)
    window_logprob: tuple[float, float] = (0.0, 0.0)   # sum and weight over the window so far
    language: dict | None = None          # the language check, once done
    windows: list[dict] = field(default_factory=list)
    seconds: float = 0.0                  # recognition time spent so far (all runs)

    def to_json(self) -> str:
        body = {
            "schema": SCHEMA, "fingerprint": self.fingerprint, "next_index": self.next_index,
            "next_start_s": self.next_start_s, "next_clip": self.next_clip,
            "window_logprob": list(self.window_logprob), "language": self.language,
            "windows": self.windows, "seconds": round(self.seconds, 3),
            "words": [[w.start, w.end, w.text, w.probability] for w in self.words]}
        return json.dumps({**body, "sha256": _digest(body)}, ensure_ascii=False)


def _digest(body: dict) -> str:
    """Checksum of a checkpoint's content, so a damaged one is never trusted."""
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def save(path: Path, checkpoint: Checkpoint) -> None:
    atomic_write_text(path, checkpoint.to_json())


def load(path: Path, fingerprint: str) -> Checkpoint | None:
    """The checkpoint at ``path`` if it belongs to this very run (same inputs and options)."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") != SCHEMA or data.get("fingerprint") != fingerprint:
            log.info("Ignoring a checkpoint from another recording or other options.")
            return None
        body = {key: value for key, value in data.items() if key != "sha256"}
        if data.get("sha256") != _digest(body):
            raise ValueError("its checksum does not match its content")
        words = [Word(float(s), float(e), str(t), float(p)) for s, e, t, p in data["words"]]
        logprob, weight = (float(v) for v in data["window_logprob"])
        return Checkpoint(fingerprint=fingerprint, next_index=int(data["next_index"]),
                          next_start_s=float(data["next_start_s"]),
                          next_clip=int(data["next_clip"]), window_logprob=(logprob, weight),
                          words=words,
                          language=data.get("language"), windows=list(data.get("windows") or []),
                          seconds=float(data.get("seconds") or 0.0))
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("Ignoring an unreadable checkpoint %s (%s).", path, exc)
        return None


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
