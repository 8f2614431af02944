"""Where the transcription stage's time goes on one recording, against plain faster-whisper.

Runs in this process, with faster-whisper's own steps timed where they are called (every
call, on every worker thread): model load, voice activity detection, the language check,
encoder passes, decoder passes (first decodings, one-pass clip decodings without the encoder
they call, doubtful text decoded again), word alignment; and, for the stage, how long its
workers had no clip to decode (from the start, so the model load and the first window's
decoding count; idle time, not busy).
Busy seconds are summed over threads, so with two workers they add up to about twice the
wall time; the shares are what matters. Plain faster-whisper
(``WhisperModel.transcribe`` with its defaults, sequential, no VAD) is profiled the same way.

Usage:
  .venv/bin/python benchmarks/profile_asr.py RECORDING [--model base] [--plain]
      [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from records import write_json  # noqa: E402


class Timer:
    """Busy seconds and call counts per step, from every thread."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()
        self.local = threading.local()

    @contextmanager
    def step(self, name: str):
        """Time a step; a step called inside another counts as its own, not the outer's."""
        stack = self.local.__dict__.setdefault("stack", [])
        stack.append(0.0)                   # seconds spent in steps nested in this one
        began = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - began
            nested = stack.pop()
            if stack:
                stack[-1] += spent
            with self.lock:
                self.seconds[name] += spent - nested
                self.calls[name] += 1

    def wrap(self, owner, attribute: str, name, counter=None) -> None:
        """Time every call of ``owner.attribute`` as step ``name`` (or ``name(args)``)."""
        original = getattr(owner, attribute)
        timer = self

        def timed(*args, **kwargs):
            with timer.step(name(args) if callable(name) else name):
                result = original(*args, **kwargs)
            if counter is not None:
                counter(timer, args, kwargs, result)
            return result

        setattr(owner, attribute, timed)


def _count_temperatures(timer: Timer, args, kwargs, result) -> None:
    """generate_with_fallback returns (result, avg_logprob, temperature, compression_ratio)."""
    with timer.lock:
        timer.calls[f"final temperature {result[2]:.1f}"] += 1


def _decoding(args) -> str:
    """A first decoding, or doubtful text decoded again (the stage's retry forbids repeats)."""
    options = args[4]
    return "decoder (again)" if options.no_repeat_ngram_size else "decoder"


def instrument(timer: Timer) -> None:
    """Time faster-whisper's steps wherever they are called from."""
    import faster_whisper.transcribe as fw
    import faster_whisper.vad as vad

    timer.wrap(fw.WhisperModel, "__init__", "model load")
    timer.wrap(fw.WhisperModel, "encode", "encoder")
    timer.wrap(fw.BatchedInferencePipeline, "generate_segment_batched", "decoder (one pass)")
    timer.wrap(fw.WhisperModel, "generate_with_fallback", _decoding, _count_temperatures)
    timer.wrap(fw.WhisperModel, "add_word_timestamps", "word alignment")
    timer.wrap(fw.WhisperModel, "detect_language", "language detection")
    timer.wrap(vad, "get_speech_timestamps", "voice activity detection")
    timer.wrap(fw, "get_speech_timestamps", "voice activity detection (plain)")


def profile_stage(recording: Path, model: str, timer: Timer) -> dict:
    """The stage's own path as transcribe_session runs it: the model loading in the
    background, each window's speech found and its clips queued ahead, the language check
    beside the first clips; and how long the workers had nothing to do."""
    import pipeline.transcribe.engine as engine_module
    from pipeline.audio import inspect_recording
    from pipeline.audio.windows import prefetched, windows
    from pipeline.transcribe import TranscribeOptions, resolve_asr_model
    from pipeline.transcribe.engine import AsrEngine

    timer.wrap(engine_module, "speech_clips", "voice activity detection")
    options = TranscribeOptions(asr_model=model)
    source = inspect_recording(recording)
    clock = time.perf_counter()
    engine = AsrEngine(resolve_asr_model(options.asr_model), options)
    jobs: list[float] = []               # seconds each clip took on its worker
    submit = engine._pool.submit

    def timed_submit(fn, *args):
        def job():
            began = time.perf_counter()
            try:
                return fn(*args)
            finally:
                jobs.append(time.perf_counter() - began)
        return submit(job)

    engine._pool.submit = timed_submit

    plans, words, language = [], 0, None

    def prepare(window):                 # as the stage does (pipeline/transcribe/stage.py)
        plan = engine.plan(window.samples, options)
        listen = language is None and engine.hears_language(plan, options)
        return window, plan, listen, engine.recognise(window.samples, window.start_s, plan,
                                                      options, listen=listen)

    with engine:
        for window, plan, listen, clips in prefetched(
                windows(source.path, **options.window_cuts()), prepare=prepare):
            if language is None and not listen:
                language = engine.detect_language(window.samples, plan)
            plans.append(plan)
            for clip in clips:
                if language is None and listen:
                    listen = False
                    language = clip.language or engine.detect_language(window.samples, plan)
                words += len(clip.words)
    wall = time.perf_counter() - clock
    with timer.lock:
        timer.seconds["workers idle (not busy)"] = max(0.0, engine.workers * wall - sum(jobs))
        timer.calls["workers idle (not busy)"] = engine.workers
    clips = [c for p in plans for c in p.clips]
    return {"wall_s": round(wall, 2), "audio_s": round(source.duration_s, 1),
            "clips": len(clips), "speech_s": round(sum(p.speech_s for p in plans), 1),
            "clip_s": _spread([c.length for c in clips]),
            "words": words, "workers": engine.workers}


def profile_plain(recording: Path, model: str, timer: Timer) -> dict:
    """Plain faster-whisper with its defaults, every segment consumed."""
    from faster_whisper import WhisperModel

    from pipeline.transcribe import resolve_asr_model

    clock = time.perf_counter()
    whisper = WhisperModel(str(resolve_asr_model(model).path), device="cpu",
                           compute_type="int8")
    segments, info = whisper.transcribe(str(recording))
    words = sum(len(s.text.split()) for s in segments)
    return {"wall_s": round(time.perf_counter() - clock, 2), "audio_s": round(info.duration, 1),
            "words": words}


def _spread(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {}
    return {"count": len(values), "mean": round(sum(values) / len(values), 2),
            "median": round(values[len(values) // 2], 2), "under_5s": sum(v < 5 for v in values),
            "over_20s": sum(v > 20 for v in values)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording", type=Path)
    parser.add_argument("--model", default="base")
    parser.add_argument("--plain", action="store_true", help="profile plain faster-whisper")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    timer = Timer()
    instrument(timer)
    load = os.getloadavg()[0]
    run = (profile_plain if args.plain else profile_stage)(args.recording, args.model, timer)
    busy = sum(seconds for name, seconds in timer.seconds.items() if "not busy" not in name)
    steps = {name: {"busy_s": round(seconds, 2), "calls": timer.calls[name],
                    "share": round(seconds / busy, 3) if busy and "not busy" not in name
                    else None}
             for name, seconds in sorted(timer.seconds.items(), key=lambda kv: -kv[1])}
    counts = {k: v for k, v in timer.calls.items() if k.startswith("final temperature")}
    result = {"recording": str(args.recording), "model": args.model,
              "path": "plain" if args.plain else "stage", "load_average": round(load, 2),
              **run, "steps": steps, "decodings": counts}
    print(json.dumps(result, indent=1))
    if args.json:
        write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
