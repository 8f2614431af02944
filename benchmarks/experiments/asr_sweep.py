"""Sweep of faster-whisper settings against plain sequential decoding, one run, one machine.

A record of the measurements behind the transcription stage's defaults. Each
setting runs in its own child process (so peak memory is honest) on the same audio with the
same model and compute type; the parent scores WER against the reference and prints a table.

Usage:
  .venv/bin/python benchmarks/experiments/asr_sweep.py AUDIO REFERENCE [--model base]
      [--configs plain,seq5,batched8] [--json out.json]
  .venv/bin/python benchmarks/experiments/asr_sweep.py --list
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from records import write_json  # noqa: E402
from wer import proper_noun_recall, wer  # noqa: E402

# The stage's anti-hallucination settings, as pipeline/transcribe/engine.py passes them.
STAGE_KW = dict(language="en", word_timestamps=True, condition_on_previous_text=False,
                temperature=[0.0, 0.2, 0.4, 0.6, 0.8, 1.0], compression_ratio_threshold=2.4,
                log_prob_threshold=-1.0, no_speech_threshold=0.6)
VAD_STAGE = dict(threshold=0.5, min_speech_duration_ms=250, max_speech_duration_s=28.0,
                 min_silence_duration_ms=1000, speech_pad_ms=300)

# name: (mode, transcribe kwargs, own-clip settings or None)
CONFIGS: dict[str, tuple[str, dict, dict | None]] = {
    "plain": ("plain", {}, None),
    "seq5": ("seq", dict(beam_size=5, vad_filter=True, vad_parameters=VAD_STAGE,
                         hallucination_silence_threshold=2.0), None),
    "seq1": ("seq", dict(beam_size=1, vad_filter=True, vad_parameters=VAD_STAGE,
                         hallucination_silence_threshold=2.0), None),
    # Batched with faster-whisper's own chunking (speech concatenated into 30 s chunks).
    "b8": ("batched", dict(beam_size=5, batch_size=8, vad_filter=True,
                           vad_parameters=VAD_STAGE), None),
    "b8g": ("batched", dict(beam_size=1, batch_size=8, vad_filter=True,
                            vad_parameters=VAD_STAGE), None),
    "b16": ("batched", dict(beam_size=5, batch_size=16, vad_filter=True,
                            vad_parameters=VAD_STAGE), None),
    "b8b2": ("batched", dict(beam_size=2, batch_size=8, vad_filter=True,
                             vad_parameters=VAD_STAGE), None),
    "b16b2": ("batched", dict(beam_size=2, batch_size=16, vad_filter=True,
                              vad_parameters=VAD_STAGE), None),
    "b16g": ("batched", dict(beam_size=1, batch_size=16, vad_filter=True,
                             vad_parameters=VAD_STAGE), None),
    "b8p500": ("batched", dict(beam_size=5, batch_size=8, vad_filter=True,
                               vad_parameters=dict(VAD_STAGE, speech_pad_ms=500)), None),
    # faster-whisper's batched VAD defaults (160 ms silences, 400 ms pad, 30 s chunks).
    "b8fw": ("batched", dict(beam_size=5, batch_size=8, vad_filter=True), None),
    "b8fwg": ("batched", dict(beam_size=1, batch_size=8, vad_filter=True), None),
    "b8ts": ("batched", dict(beam_size=5, batch_size=8, vad_filter=True, vad_parameters=VAD_STAGE,
                             without_timestamps=False), None),
    "b8fwts": ("batched", dict(beam_size=5, batch_size=8, vad_filter=True,
                               without_timestamps=False), None),
    "b8s500": ("batched", dict(beam_size=5, batch_size=8, vad_filter=True,
                               vad_parameters=dict(VAD_STAGE, min_silence_duration_ms=500)), None),
    # Batched over our own clips: VAD segments joined while the span (silence kept) fits.
    "c8": ("batched", dict(beam_size=5, batch_size=8), dict(VAD_STAGE, span_s=28.0)),
    # Each VAD segment its own clip: no two utterances lumped together across a pause.
    "c8n": ("batched", dict(beam_size=5, batch_size=8), dict(VAD_STAGE, span_s=0.0)),
    "c8ng": ("batched", dict(beam_size=1, batch_size=8), dict(VAD_STAGE, span_s=0.0)),
    "c8nb2": ("batched", dict(beam_size=2, batch_size=8), dict(VAD_STAGE, span_s=0.0)),
    "c8nnw": ("batched", dict(beam_size=5, batch_size=8, word_timestamps=False),
              dict(VAD_STAGE, span_s=0.0)),
    "c8nt1": ("batched", dict(beam_size=5, batch_size=8), dict(VAD_STAGE, span_s=0.0)),
    "c8g": ("batched", dict(beam_size=1, batch_size=8), dict(VAD_STAGE, span_s=28.0)),
    "c4": ("batched", dict(beam_size=5, batch_size=4), dict(VAD_STAGE, span_s=28.0)),
    "c16": ("batched", dict(beam_size=5, batch_size=16), dict(VAD_STAGE, span_s=28.0)),
    "c8s500": ("batched", dict(beam_size=5, batch_size=8),
               dict(VAD_STAGE, min_silence_duration_ms=500, span_s=28.0)),
    "c8s20": ("batched", dict(beam_size=5, batch_size=8), dict(VAD_STAGE, span_s=20.0)),
    "c8p500": ("batched", dict(beam_size=5, batch_size=8),
               dict(VAD_STAGE, speech_pad_ms=500, span_s=28.0)),
    "c8ts": ("batched", dict(beam_size=5, batch_size=8, without_timestamps=False),
             dict(VAD_STAGE, span_s=28.0)),
}


def own_clips(audio, settings: dict) -> list[dict]:
    """Speech spans in seconds: VAD segments joined while start-to-end fits ``span_s``."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    span = settings["span_s"]
    vad = {k: v for k, v in settings.items() if k != "span_s"}
    if span:
        vad["max_speech_duration_s"] = min(vad.get("max_speech_duration_s", span), span)
    clips: list[dict] = []
    for seg in get_speech_timestamps(audio, VadOptions(**vad)):
        start, end = seg["start"] / 16000, seg["end"] / 16000
        if clips and end - clips[-1]["start"] <= span:
            clips[-1]["end"] = end
        else:
            clips.append({"start": start, "end": end})
    return clips


def child(name: str, audio_path: str, model_path: str, threads: int) -> None:
    from faster_whisper import BatchedInferencePipeline, WhisperModel, decode_audio

    mode, kwargs, clip_settings = CONFIGS[name]
    began = time.perf_counter()
    if name.endswith("t1"):
        threads = 1
    model = WhisperModel(model_path, device="cpu", compute_type="int8", cpu_threads=threads)
    loaded = time.perf_counter()
    audio = decode_audio(audio_path)
    if mode == "plain":
        segments, _ = model.transcribe(audio)
    elif mode == "seq":
        segments, _ = model.transcribe(audio, **STAGE_KW, **kwargs)
    else:
        extra = {}
        if clip_settings is not None:
            extra["clip_timestamps"] = own_clips(audio, clip_settings)
        kw = dict(STAGE_KW, **kwargs)
        if "vad_parameters" in kw:  # as the engine passes it: max_speech_duration_s is kept
            from faster_whisper.vad import VadOptions

            kw["vad_parameters"] = VadOptions(**kw["vad_parameters"])
        kw.setdefault("without_timestamps", True)
        segments, _ = BatchedInferencePipeline(model).transcribe(audio, **kw, **extra)
    text = " ".join(s.text.strip() for s in segments)
    done = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"name": name, "load_s": loaded - began, "wall_s": done - loaded,
                      "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
                      "audio_s": len(audio) / 16000, "text": text}))


def run_one(name: str, audio: str, model: str, threads: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", name, audio, "--model", model,
                          "--threads", str(threads)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("audio", nargs="?")
    parser.add_argument("reference", nargs="?")
    parser.add_argument("--model", default="base")
    parser.add_argument("--configs", default="plain,seq5,b8,c8")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--vocabulary", default=None)
    parser.add_argument("--json", default=None)
    parser.add_argument("--child", default=None)
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if args.list:
        for name, spec in CONFIGS.items():
            print(name, spec)
        return 0
    if args.child:
        # In the child, --model is already a folder; the "reference" slot holds the audio.
        child(args.child, args.audio, args.model, args.threads)
        return 0
    from pipeline.transcribe.models import resolve_asr_model

    model = str(resolve_asr_model(args.model).path)
    reference = Path(args.reference).read_text(encoding="utf-8")
    terms = Path(args.vocabulary).read_text(encoding="utf-8").splitlines() if args.vocabulary else []
    rows = []
    for name in args.configs.split(","):
        row = run_one(name, args.audio, model, args.threads)
        row["wer"] = wer(reference, row["text"])
        if terms:
            row["recall"] = proper_noun_recall(row["text"], terms, reference).recall
        rows.append(row)
        base = rows[0]
        print(f"{name:8s} wall {row['wall_s']:7.1f}s cpu {row['cpu_s']:7.1f}s "
              f"rss {row['peak_rss_mb']:6.0f}MB WER {100 * row['wer']:5.2f}% "
              f"x{base['wall_s'] / row['wall_s']:.2f} wall x{base['cpu_s'] / row['cpu_s']:.2f} cpu "
              f"dWER {100 * (row['wer'] - base['wer']):+.2f}"
              + (f" recall {100 * row['recall']:.0f}%" if terms else ""), flush=True)
        if args.json:
            write_json(Path(args.json), rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
