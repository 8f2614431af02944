"""Start the driver in a subprocess and SIGKILL it when the session folder shows a given state."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
POLL_S = 0.005


@dataclass(frozen=True)
class Models:
    asr: Path
    fr: Path
    es: Path


@dataclass
class Launch:
    """One run of the driver: its process, where its stderr goes, and how it ended."""

    proc: subprocess.Popen
    log_path: Path
    started: float
    killed_at: float | None = None   # seconds after the start, when it was killed

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def start(recording: Path, agenda: Path, out: Path, models: Models, log_path: Path) -> Launch:
    cmd = [sys.executable, str(ROOT / "tests" / "faults" / "driver.py"), str(recording), str(agenda), str(out),
           str(models.asr), str(models.fr), str(models.es)]
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    handle = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    handle.close()
    return Launch(proc, log_path, time.monotonic())


def kill_when(launch: Launch, reached: Callable[[], bool], timeout_s: float = 600) -> bool:
    """SIGKILL the run as soon as ``reached()`` is true; False if it ended before that."""
    deadline = time.monotonic() + timeout_s
    while launch.proc.poll() is None:
        if reached():
            return kill(launch)
        if time.monotonic() > deadline:
            kill(launch)
            raise TimeoutError(f"the run did not reach the kill point in {timeout_s} s")
        time.sleep(POLL_S)
    return False


def kill_after(launch: Launch, delay_s: float) -> bool:
    """SIGKILL the run ``delay_s`` seconds after its start; False if it ended before that."""
    while launch.proc.poll() is None:
        if time.monotonic() - launch.started >= delay_s:
            return kill(launch)
        time.sleep(POLL_S)
    return False


def kill(launch: Launch) -> bool:
    try:
        os.kill(launch.proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    launch.proc.wait()
    if launch.proc.returncode != -signal.SIGKILL:
        return False
    launch.killed_at = time.monotonic() - launch.started
    return True


def finish(launch: Launch, timeout_s: float = 600) -> float:
    """Wait for the run to end by itself; its duration in seconds. Fails with its log if not 0."""
    launch.proc.wait(timeout=timeout_s)
    assert launch.proc.returncode == 0, launch.log[-4000:]
    return time.monotonic() - launch.started
