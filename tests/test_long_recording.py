"""A long recording is transcribed in memory that does not grow with its length.

Two recordings are built from the sample: one of 20 minutes and one of 60 minutes, each
ten-minute stretch holding the sample's three minutes of speech followed by quiet room
noise. Both go through the real transcription stage (tiny.en, greedy: the fastest
settings) in a child process that reports its peak resident memory. Both span several
ten-minute windows, so both reach the stage's steady state; the 60-minute run decodes
three times as much audio (230 MB as 16 kHz floats) yet must peak within a small margin of
the 20-minute run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import av
import numpy as np
import pytest

from pipeline.audio import read

pytestmark = pytest.mark.slow

STRETCH_S = 600
CHILD = textwrap.dedent("""
    import json, resource, sys
    from pipeline.audio import inspect_recording
    from pipeline.session import Session
    from pipeline.transcribe import TranscribeOptions, resolve_asr_model, transcribe_session
    options = TranscribeOptions(asr_model=sys.argv[3], beam_size=1, batch_size=0,
                                temperatures=(0.0,))
    session = Session.open(sys.argv[2])
    transcribe_session(session, inspect_recording(sys.argv[1]), resolve_asr_model(sys.argv[3]),
                       options=options)
    transcript = session.read_transcript("en")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_mib": peak_kib / 1024, "sentences": len(transcript.sentences),
                      "end": transcript.sentences[-1].end}))
""")


def _build(path, speech: np.ndarray, stretches: int) -> None:
    """FLAC at 16 kHz: per stretch, the sample's speech then quiet noise up to 10 minutes."""
    rng = np.random.default_rng(5)
    container = av.open(str(path), "w")
    stream = container.add_stream("flac", rate=16000, layout="mono")
    for _ in range(stretches):
        quiet = (rng.standard_normal(STRETCH_S * 16000 - len(speech)) * 1e-3).astype(np.float32)
        for part in (speech, quiet):
            pcm = (np.clip(part, -1, 1) * 32767).astype(np.int16)
            for start in range(0, len(pcm), 16000 * 10):
                chunk = pcm[start:start + 16000 * 10]
                frame = av.AudioFrame.from_ndarray(chunk[None, :], format="s16", layout="mono")
                frame.sample_rate = 16000
                for packet in stream.encode(frame):
                    container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)
    container.close()


def _transcribe(recording, out, model) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(recording), str(out), str(model)],
                          capture_output=True, text=True, check=True, timeout=1200)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_hour_needs_no_more_memory_than_twenty_minutes(tmp_path, samples_dir, tiny_model_dir):
    speech = read(samples_dir / "session.ogg")
    short, long = tmp_path / "20min.flac", tmp_path / "60min.flac"
    _build(short, speech, 2)
    _build(long, speech, 6)
    first = _transcribe(short, tmp_path / "short", tiny_model_dir)
    second = _transcribe(long, tmp_path / "long", tiny_model_dir)
    print(f"peak RSS: 20 min {first['peak_mib']:.0f} MiB, 60 min {second['peak_mib']:.0f} MiB")
    # Speech was found in every stretch, so the whole length really was processed.
    assert second["sentences"] >= 3 * first["sentences"] - 6
    assert second["end"] > 5 * STRETCH_S
    # Three times the audio, within 80 MiB of the same peak (held in memory, the 40 more
    # minutes alone would add 154 MB as 16 kHz floats, and more as features; where a
    # ten-minute window's decoding meets the one before, the peak moves by up to 55 MB from
    # run to run).
    assert second["peak_mib"] < first["peak_mib"] + 80
