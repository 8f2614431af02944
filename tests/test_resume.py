"""A transcription killed at 60% of its work loses at most about a minute of audio.

The recording is built here: the sample's three minutes of speech four times over, each
followed by ten seconds of quiet room noise (12.9 minutes). ``session-pipeline transcribe``
with tiny.en runs in its own process three times: once uninterrupted, once killed with
SIGKILL when it has done 60% of the uninterrupted run's work, and once more to resume. The
resumed run must finish with at most 75% of the uninterrupted run's work (it redoes only
what came after the last checkpoint, plus loading the model and decoding the audio up to
it), and its transcript must be the uninterrupted one, byte for byte. Work is measured in
CPU seconds of the process, which other load on the machine hardly changes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import av
import numpy as np
import psutil
import pytest

from pipeline.audio import read

pytestmark = pytest.mark.slow

REPEATS = 4
GAP_S = 10


def _build(path, speech: np.ndarray) -> float:
    """FLAC at 16 kHz: the speech then quiet noise, ``REPEATS`` times; returns its length."""
    rng = np.random.default_rng(3)
    container = av.open(str(path), "w")
    stream = container.add_stream("flac", rate=16000, layout="mono")
    total = 0
    for _ in range(REPEATS):
        quiet = (rng.standard_normal(GAP_S * 16000) * 1e-3).astype(np.float32)
        for part in (speech, quiet):
            pcm = (np.clip(part, -1, 1) * 32767).astype(np.int16)
            total += len(pcm)
            frame = av.AudioFrame.from_ndarray(pcm[None, :], format="s16", layout="mono")
            frame.sample_rate = 16000
            for packet in stream.encode(frame):
                container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)
    container.close()
    return total / 16000


def _command(recording, out, model) -> list[str]:
    return [sys.executable, "-m", "pipeline", "transcribe", str(recording), "--out", str(out),
            "--asr-model", str(model), "-q"]


def _work(command) -> float:
    """CPU seconds (user and system) the command took."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, child.stderr.read().decode()
    return usage.ru_utime + usage.ru_stime


def _kill_after(command, cpu_s: float) -> None:
    """Start the command and SIGKILL it once it has used ``cpu_s`` CPU seconds."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    process = psutil.Process(child.pid)
    while sum(process.cpu_times()[:2]) < cpu_s:
        assert child.poll() is None, "the run finished before it could be killed"
        time.sleep(0.1)
    child.send_signal(signal.SIGKILL)
    child.wait()


def test_a_run_killed_at_sixty_percent_resumes_in_three_quarters_of_the_time(
        tmp_path, samples_dir, tiny_model_dir):
    recording = tmp_path / "meeting.flac"
    duration = _build(recording, read(samples_dir / "session.ogg"))
    assert 12 * 60 < duration < 14 * 60

    clean = _work(_command(recording, tmp_path / "clean", tiny_model_dir))

    out = tmp_path / "killed"
    _kill_after(_command(recording, out, tiny_model_dir), 0.6 * clean)
    saved = json.loads((out / ".work" / "transcribe" / "checkpoint.json").read_text())
    done_s = max(w[1] for w in saved["words"])

    resumed = _work(_command(recording, out, tiny_model_dir))
    print(f"clean run {clean:.1f} CPU s; killed at {0.6 * clean:.1f} CPU s with {done_s:.0f} s "
          f"of {duration:.0f} s of audio in the checkpoint; resumed in {resumed:.1f} CPU s "
          f"({resumed / clean:.0%})")
    # The checkpoint kept the work done, up to its last save: saves come about every
    # minute, at the end of a clip (a clip spans more than its speech where long pauses
    # are shortened in it); loading the model and finding the speech come first, so 60%
    # of the CPU time is well under 60% of the audio.
    assert done_s > 0.3 * duration
    assert resumed <= 0.75 * clean
    assert (out / "en" / "transcript.json").read_bytes() == \
        (tmp_path / "clean" / "en" / "transcript.json").read_bytes()
    assert not (out / ".work" / "transcribe" / "checkpoint.json").exists()
