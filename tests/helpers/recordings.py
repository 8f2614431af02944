"""Short recordings and agendas for tests: cut from the bundled sample, or spoken by espeak-ng."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "session.ogg"

# Two items that fit any cut of 30 seconds or more.
SHORT_AGENDA = """\
title: Test panel
date: '2024-05-14'
recording_start: '15:00:00'
items:
- id: opening
  start: '15:00:00'
  title: Opening
- id: presentations
  start: '15:00:25'
  title: Presentations
"""


def cut(out: Path, start_s: float, seconds: float) -> Path:
    """``seconds`` of the sample from ``start_s``, as Ogg/Opus at ``out``."""
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", str(start_s), "-i",
                    str(SAMPLE), "-t", str(seconds), "-c:a", "libopus", "-b:a", "24k", str(out)],
                   check=True)
    return out


def spoken(out: Path, text: str, voice: str, *options: str) -> Path:
    """``text`` said by espeak-ng in ``voice`` (``"fr"``, ``"en-us"``), as WAV at ``out``; the
    test is skipped where espeak-ng is not installed."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    subprocess.run(["espeak-ng", "-v", voice, *options, "-w", str(out), text], check=True)
    return out


def silence(out: Path, seconds: float) -> Path:
    """A recording that holds only silence."""
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "anullsrc=r=16000:cl=mono", "-t", str(seconds), "-c:a", "libopus", str(out)],
                   check=True)
    return out


def garbage(out: Path) -> Path:
    """A file named like a recording that holds no audio."""
    out.write_bytes(bytes(range(256)) * 20)
    return out


def short_agenda(out: Path) -> Path:
    out.write_text(SHORT_AGENDA, encoding="utf-8")
    return out
