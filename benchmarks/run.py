"""Speed benchmark (``make bench``): the pipeline against plain faster-whisper, in one run.

On one recording, on this machine, with the same model and compute type (int8 on CPU):

(a) plain ``faster_whisper.WhisperModel(path, device="cpu", compute_type="int8")
    .transcribe(audio)`` with its default settings (sequential, beam 5, no VAD);
(b) the pipeline's transcription stage with default options (``session-pipeline transcribe``);
(c) translation throughput of both engines (benchmarks/translation.py);
(d) the whole ``session-pipeline run``, English only and with the opus-mt-sized random model.

Each measured thing runs in its own child process, so its peak memory (max RSS) is its own.
Wall time counts everything the child does (imports, model load, decoding the audio, writing
files); CPU time (user + system) is reported too, since it is less disturbed by other work
on a shared machine. Writes benchmarks/results/latest.json and latest.md.

``--long`` measures instead the peak memory of the transcription stage on long recordings
built by repeating the sample (memory must not grow with length).

Usage:
  .venv/bin/python benchmarks/run.py [--recording F --reference F [--vocabulary F]
      [--agenda F]] [--model base] [--skip-translation] [--quick]
  .venv/bin/python benchmarks/run.py --long [--long-minutes 30,180] [--model base]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
CACHE = RESULTS / "cache"
SAMPLE = ROOT / "samples"
CLI = Path(sys.executable).with_name("session-pipeline")
sys.path.insert(0, str(HERE))

from records import cpu_model, write_json, write_text  # noqa: E402
from wer import proper_noun_recall, wer  # noqa: E402

# ---------------------------------------------------------------- recordings

def repeated_recording(minutes: float, *, codec: str = "libopus") -> tuple[Path, Path]:
    """The bundled sample repeated to about ``minutes`` long, and its reference, cached."""
    duration = _duration(SAMPLE / "session.ogg")
    copies = max(1, round(minutes * 60 / duration))
    CACHE.mkdir(parents=True, exist_ok=True)
    audio = CACHE / f"sample-x{copies}.ogg"
    reference = CACHE / f"sample-x{copies}.txt"
    if not audio.exists():
        partial = audio.with_suffix(".part.ogg")
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-stream_loop", str(copies - 1),
                        "-i", str(SAMPLE / "session.ogg"), "-ac", "1", "-ar", "16000",
                        "-c:a", codec, "-b:a", "24k", str(partial)], check=True)
        partial.replace(audio)
    text = (SAMPLE / "reference.txt").read_text(encoding="utf-8").strip()
    reference.write_text("\n".join([text] * copies) + "\n", encoding="utf-8")
    return audio, reference


def _duration(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                          "default=nw=1:nk=1", str(path)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


# ---------------------------------------------------------------- children

def measure(command: list[str], env: dict | None = None) -> dict:
    """Run ``command``; its wall time, CPU time, peak RSS (its own), exit status and stdout."""
    clock = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - clock
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    result = {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
              "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "exit": code, "stdout": stdout}
    if code != 0:
        result["error"] = (stderr.strip().splitlines() or ["(no message)"])[-1]
    return result


def plain_child(audio: str, model: str) -> None:
    """Child (a): faster-whisper exactly as its README shows it, every segment consumed."""
    from faster_whisper import WhisperModel

    clock = time.perf_counter()
    whisper = WhisperModel(model, device="cpu", compute_type="int8")
    segments, info = whisper.transcribe(audio)
    text = " ".join(segment.text.strip() for segment in segments)
    print(json.dumps({"text": text, "inner_s": time.perf_counter() - clock,
                      "duration_s": info.duration}))


def plain(audio: Path, model_dir: Path) -> dict:
    result = measure([sys.executable, __file__, "--plain-child", str(audio), str(model_dir)])
    if result["exit"] == 0:
        result.update(json.loads(result.pop("stdout").strip().splitlines()[-1]))
    return result


def stage(audio: Path, model: str, out: Path, vocabulary: Path | None = None,
          env: dict | None = None) -> dict:
    """Child (b): ``session-pipeline transcribe`` with no tuning options (the defaults)."""
    shutil.rmtree(out, ignore_errors=True)
    hints = ["--vocabulary", str(vocabulary)] if vocabulary else []
    result = measure([str(CLI), "transcribe", str(audio), "--out", str(out), "--asr-model", model,
                      "--quiet", "--force", *hints], env=env)
    result.pop("stdout", None)
    if result["exit"] == 0:
        from pipeline.formats import transcript as transcript_io

        result["text"] = transcript_io.load(out / "en" / "transcript.json").text
        manifest = json.loads((out / "session.json").read_text(encoding="utf-8"))
        record = manifest["stages"]["transcribe"]
        result["inner_s"] = record.get("timings", {}).get("recognition_s")
        result["options"] = {k: record["options"].get(k) for k in
                             ("beam_size", "batch_size", "workers", "cpu_threads", "vad",
                              "vad_settings",
                              "word_timestamps", "condition_on_previous_text")}
    return result


# ---------------------------------------------------------------- parts

def transcription(args, audio: Path, reference: str, terms: list[str], duration: float) -> dict:
    from pipeline.transcribe.models import resolve_asr_model

    model_dir = resolve_asr_model(args.model).path
    rows = {"plain": [], "stage": []}
    vocabulary = getattr(args, "vocabulary_file", None)
    if vocabulary:
        rows["stage_vocabulary"] = []
    # Where the stage asks CTranslate2 for AVX-512 (pipeline/cpu.py), it is also measured
    # with CTranslate2's own choice, to show what that part of the speed-up brings.
    from pipeline.cpu import AVX512_FLAGS, ISA_VARIABLE, cpu_flags

    own_isa = None
    if ISA_VARIABLE not in os.environ and AVX512_FLAGS <= cpu_flags():
        own_isa = {**os.environ, ISA_VARIABLE: "AVX2"}
        rows["stage_own_isa"] = []
    for _ in range(args.repeat):             # interleaved, so drifting load hits both alike
        rows["plain"].append(plain(audio, model_dir))
        rows["stage"].append(stage(audio, args.model, RESULTS / "work" / "stage"))
        if vocabulary:
            rows["stage_vocabulary"].append(stage(audio, args.model, RESULTS / "work" / "stage",
                                                  vocabulary))
        if own_isa:
            rows["stage_own_isa"].append(stage(audio, args.model, RESULTS / "work" / "stage",
                                               env=own_isa))
    data = {name: _best(runs) for name, runs in rows.items()}
    for name, row in data.items():
        _say(f"  {name}: {row.get('wall_s')} s wall, {row.get('error', 'ok')}")
        if "text" in row:
            row["wer"] = round(wer(reference, row["text"]), 4)
            row["rtf"] = round(row["wall_s"] / duration, 4)
            if terms:
                row["proper_noun_recall"] = round(
                    proper_noun_recall(row["text"], terms, reference).recall, 4)
            (RESULTS / "work").mkdir(parents=True, exist_ok=True)
            (RESULTS / "work" / f"{name}.txt").write_text(row.pop("text") + "\n", encoding="utf-8")
    p, s = data["plain"], data["stage"]
    if "wer" in p and "wer" in s:
        data["speedup_wall"] = round(p["wall_s"] / s["wall_s"], 2)
        data["speedup_cpu"] = round(p["cpu_s"] / s["cpu_s"], 2)
        data["wer_difference_points"] = round(100 * (s["wer"] - p["wer"]), 2)
    data["model"] = {"name": args.model, "path": str(model_dir), "compute_type": "int8",
                     "device": "cpu"}
    return data


def _best(runs: list[dict]) -> dict:
    ok = [r for r in runs if r["exit"] == 0]
    best = dict(min(ok, key=lambda r: r["wall_s"]) if ok else runs[0])
    if len(runs) > 1:
        best["all_wall_s"] = [r["wall_s"] for r in runs]
    return best


def translation(args) -> dict:
    script = HERE / "translation.py"
    if not script.exists():
        return {"note": "benchmarks/translation.py is missing; translation was not measured."}
    out = RESULTS / "translation.json"
    command = [sys.executable, str(script), "--out", str(out)]
    if args.quick:
        command += ["--sentences", "32"]
    result = measure(command)
    if result["exit"] != 0:
        return {"note": f"benchmarks/translation.py failed: {result.get('error')}"}
    return json.loads(out.read_text(encoding="utf-8"))


def end_to_end(args, audio: Path, agenda: Path | None) -> dict:
    if agenda is None:
        return {"note": "no agenda for this recording; pass --agenda FILE to measure `run`."}
    runs = {}
    base = [str(CLI), "run", str(audio), "--agenda", str(agenda), "--asr-model", args.model,
            "--quiet", "--force"]
    out = RESULTS / "work" / "run-en"
    shutil.rmtree(out, ignore_errors=True)
    runs["english_only"] = _run_row(measure(base + ["--out", str(out), "--to", "none"]))
    if not args.skip_translation:
        mt = _random_mt_model()
        if mt is None:
            runs["note"] = "benchmarks/translation.py offers no model builder; English only."
        for engine in ([] if mt is None else args.e2e_engines.split(",")):
            out = RESULTS / "work" / f"run-{engine}"
            shutil.rmtree(out, ignore_errors=True)
            runs[f"fr_es_{engine}"] = _run_row(measure(
                base + ["--out", str(out), "--to", "fr,es", "--mt-model", f"fr={mt}",
                        "--mt-model", f"es={_retarget(mt, 'es')}", "--mt-engine", engine]), out)
    return runs


def _run_row(result: dict, out: Path | None = None) -> dict:
    result.pop("stdout", None)
    if out is not None and result["exit"] == 0:
        manifest = json.loads((out / "session.json").read_text(encoding="utf-8"))
        result["stage_seconds"] = {name: _seconds(record) for name, record in
                                   manifest.get("stages", {}).items()}
    return result


def _seconds(record: dict) -> float:
    """A stage's seconds; a stage that worked per language, the sum of its languages'."""
    languages = record.get("languages") or {}
    if languages:
        return round(sum(r.get("seconds") or 0.0 for r in languages.values()), 2)
    return record.get("seconds") or 0.0


def _random_mt_model() -> Path | None:
    try:
        import translation as bench_translation
    except ImportError:
        return None
    builder = getattr(bench_translation, "build_model", None)
    work = getattr(bench_translation, "WORK", None)
    return None if builder is None or work is None else Path(builder(work))


def _retarget(folder: Path, language: str) -> Path:
    """The same random model declared as en->``language`` (links to its files, new config)."""
    target = folder.with_name(f"{folder.name}-{language}")
    target.mkdir(exist_ok=True)
    for item in folder.iterdir():
        link = target / item.name
        if item.name != "tokenizer_config.json" and not link.exists():
            link.symlink_to(item.resolve())
    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    config["target_lang"] = language
    (target / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    return target


def long_memory(args) -> dict:
    """Peak RSS of the stage on long recordings: it must not grow with the length."""
    rows = []
    for spec in args.long_minutes.split(","):
        minutes, _, model = spec.partition(":")
        model = model or args.model
        audio, _ = repeated_recording(float(minutes))
        duration = _duration(audio)
        _say(f"memory: {duration / 60:.0f} min with {model} ...")
        result = stage(audio, model, RESULTS / "work" / "long")
        result.pop("text", None)
        rows.append({"minutes": round(duration / 60, 1), "model": model, **result,
                     "rtf": round(result["wall_s"] / duration, 4)})
        _say(f"  peak {result['peak_rss_mb']} MB, {result['wall_s']} s, {result.get('error', 'ok')}")
        (RESULTS / "long-memory.partial.json").write_text(json.dumps(rows, indent=1),
                                                          encoding="utf-8")
    return {"long_memory": rows}


def whole_run(args) -> dict:
    """The whole ``session-pipeline run`` of a long recording into French and Spanish, with the
    default engines and opus-mt-sized random Marian models: wall time per stage and peak
    memory, to plan a day of sessions."""
    audio, _ = repeated_recording(args.day_minutes)
    duration = _duration(audio)
    agenda = _long_agenda(audio.with_suffix(".agenda.yaml"), duration)
    mt = _random_mt_model()
    out = RESULTS / "work" / "day"
    shutil.rmtree(out, ignore_errors=True)
    _say(f"whole run: {duration / 60:.0f} min into French and Spanish ...")
    result = _run_row(measure([str(CLI), "run", str(audio), "--agenda", str(agenda), "--out",
                               str(out), "--asr-model", args.model, "--to", "fr,es",
                               "--mt-model", f"fr={mt}", "--mt-model",
                               f"es={_retarget(mt, 'es')}", "--quiet"]), out)
    counts = json.loads((out / "session.json").read_text(encoding="utf-8"))["stages"]
    result["sentences"] = counts["transcribe"]["counts"]["sentences"]
    return {"whole_run": {"minutes": round(duration / 60, 1), "model": args.model, **result}}


def _long_agenda(path: Path, duration: float) -> Path:
    """An agenda for the repeated sample: an item every quarter of an hour."""
    items = []
    for k, start in enumerate(range(0, int(duration) - 60, 900)):
        clock = dt.timedelta(hours=9, seconds=start)
        items.append({"id": f"item-{k + 1}", "start": str(clock)[:-3].zfill(5),
                      "title": f"Item {k + 1}: parliaments and migration governance"})
    import yaml

    path.write_text(yaml.safe_dump({"title": "A day of the sample", "recording_start": "09:00",
                                    "items": items}, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- report

def machine() -> dict:
    import psutil

    cpu = cpu_model()
    return {"cpu": cpu, "logical_cores": os.cpu_count(),
            "physical_cores": psutil.cpu_count(logical=False),
            "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "platform": platform.platform(), "python": platform.python_version(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("session-pipeline", "faster-whisper", "ctranslate2", "transformers", "torch",
                 "onnxruntime", "av"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found


def markdown(data: dict) -> str:
    m, lines = data["machine"], []
    lines.append(f"Measured {data['date']} on {m['cpu']}, {m['logical_cores']} logical cores, "
                 f"{m['ram_gb']} GB RAM (load average {m['load_average_at_start'][0]} at start); "
                 f"faster-whisper {data['versions'].get('faster-whisper')}, CTranslate2 "
                 f"{data['versions'].get('ctranslate2')}.")
    if "transcription" in data:
        t, rec = data["transcription"], data["recording"]
        lines += ["", f"Transcription of {rec['name']} ({rec['duration_s'] / 60:.1f} min), Whisper "
                  f"{t['model']['name']}, int8 on CPU:", "",
                  "| | wall s | real-time factor | CPU s | peak RSS MB | WER % |"
                  + (" proper nouns % |" if "proper_noun_recall" in t["plain"] else ""),
                  "|---|---:|---:|---:|---:|---:|"
                  + ("---:|" if "proper_noun_recall" in t["plain"] else "")]
        for name, label in (("plain", "plain faster-whisper (defaults, sequential)"),
                            ("stage", "pipeline transcription stage (defaults)"),
                            ("stage_vocabulary", "pipeline stage with --vocabulary"),
                            ("stage_own_isa", "pipeline stage, CT2_FORCE_CPU_ISA=AVX2")):
            if name not in t:
                continue
            r = t[name]
            if "wer" not in r:
                lines.append(f"| {label} | failed: {r.get('error')} |")
                continue
            lines.append(f"| {label} | {r['wall_s']:.1f} | {r['rtf']:.3f} | {r['cpu_s']:.1f} | "
                         f"{r['peak_rss_mb']:.0f} | {100 * r['wer']:.2f} |"
                         + (f" {100 * r['proper_noun_recall']:.0f} |" if "proper_noun_recall" in r
                            else ""))
        if "speedup_wall" in t:
            lines += ["", f"Stage vs plain: **{t['speedup_wall']}x** faster (wall), "
                      f"{t['speedup_cpu']}x less CPU time, WER difference "
                      f"{t['wer_difference_points']:+.2f} points."]
    tr = data.get("translation")
    if tr and "results" in tr:
        lines += ["", f"Translation ({tr['model']}; beam {tr['beam_size']}, batch "
                  f"{tr['batch_size']}):", "", "| engine | threads | sentences/s | peak RSS MB |",
                  "|---|---|---:|---:|"]
        for r in tr["results"]:
            lines.append(f"| {r['engine']} | {r.get('threads_label', r.get('threads', 1))} | "
                         f"{r['sentences_per_second']:.2f} | "
                         f"{r['peak_rss_mb']:.0f} |")
        speedups = tr.get("speedups") or {"": tr["speedup_ctranslate2_over_transformers"]}
        lines += [""] + [f"CTranslate2 / transformers{', ' + k if k else ''}: **{v}x**."
                         for k, v in speedups.items()]
    elif tr:
        lines += ["", f"Translation: {tr.get('note')}"]
    e2e = data.get("end_to_end")
    if e2e:
        lines += ["", "Whole `session-pipeline run` on the same recording:", "",
                  "| run | wall s | CPU s | peak RSS MB |", "|---|---:|---:|---:|"]
        for name, r in e2e.items():
            if isinstance(r, dict):
                cell = (f"{r['wall_s']:.1f} | {r['cpu_s']:.1f} | {r['peak_rss_mb']:.0f}"
                        if r.get("exit") == 0 else f"failed: {r.get('error')} | |")
                lines.append(f"| {name} | {cell} |")
        if "note" in e2e:
            lines += ["", e2e["note"]]
    if "long_memory" in data:
        lines += ["", "Peak memory of the transcription stage on long recordings (the sample "
                  "repeated):", "", "| length min | model | peak RSS MB | wall s | real-time factor |",
                  "|---:|---|---:|---:|---:|"]
        rows = [r for r in data["long_memory"] if r.get("exit") == 0]
        for r in data["long_memory"]:
            lines.append(f"| {r['minutes']} | {r['model']} | {r['peak_rss_mb']:.0f} | "
                         f"{r['wall_s']:.0f} | {r['rtf']:.3f} |")
        same_model = [r for r in rows if r["model"] == rows[0]["model"]] if rows else []
        if len(same_model) > 1:
            short, long = min(same_model, key=lambda r: r["minutes"]), max(
                same_model, key=lambda r: r["minutes"])
            lines += ["", f"Peak at {long['minutes']} min / peak at {short['minutes']} min: "
                      f"**{long['peak_rss_mb'] / short['peak_rss_mb']:.2f}**."]
    day = data.get("whole_run")
    if day:
        lines += ["", f"Whole `session-pipeline run` of {day['minutes']} minutes (the sample "
                  f"repeated, {day.get('sentences')} sentences) into French and Spanish, Whisper "
                  f"{day['model']}, random opus-mt-sized Marian models, default engines:", "",
                  "| stage | wall s |", "|---|---:|"]
        for name, seconds in (day.get("stage_seconds") or {}).items():
            lines.append(f"| {name} | {seconds:.0f} |")
        lines += [f"| whole process | {day['wall_s']:.0f} |", "",
                  f"Peak memory {day['peak_rss_mb']:.0f} MB; CPU {day['cpu_s']:.0f} s."]
    return "\n".join(lines) + "\n"


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recording", type=Path, help="audio to measure (default: the sample "
                        "repeated to about 10 minutes)")
    parser.add_argument("--reference", type=Path, help="its reference text (for WER)")
    parser.add_argument("--vocabulary", type=Path, help="proper nouns, one a line (for recall)")
    parser.add_argument("--agenda", type=Path, help="its agenda, for the end-to-end run")
    parser.add_argument("--model", default="base", help="Whisper model (default base, the "
                        "pipeline default)")
    parser.add_argument("--skip-translation", action="store_true")
    parser.add_argument("--quick", action="store_true", help="fewer sentences, one end-to-end "
                        "run with translation")
    parser.add_argument("--repeat", type=int, default=1, help="runs of (a) and (b), interleaved; "
                        "the fastest counts")
    parser.add_argument("--e2e-engines", default="ctranslate2,transformers")
    parser.add_argument("--long", action="store_true", help="memory check on long recordings")
    parser.add_argument("--long-minutes", default="30,180",
                        help="lengths in minutes, each optionally :MODEL")
    parser.add_argument("--day", action="store_true", help="the whole run of a long recording "
                        "into French and Spanish: time per stage and peak memory")
    parser.add_argument("--day-minutes", type=float, default=180)
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    parser.add_argument("--plain-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain_child:
        plain_child(*args.plain_child)
        return 0
    if args.quick:
        args.e2e_engines = args.e2e_engines.split(",")[0]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    data = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine(), "versions": versions()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.long:
        data.update(long_memory(args))
        out = args.out if args.out != RESULTS / "latest.json" else RESULTS / "long-memory.json"
    elif args.day:
        data.update(whole_run(args))
        out = args.out if args.out != RESULTS / "latest.json" else RESULTS / "whole-run.json"
    else:
        if args.recording:
            if not args.reference:
                parser.error("--recording needs --reference (the text spoken, for WER).")
            audio, reference = args.recording, args.reference
            agenda = args.agenda or (audio.parent / "agenda.yaml"
                                     if (audio.parent / "agenda.yaml").exists() else None)
            vocabulary = args.vocabulary or (audio.parent / "vocabulary.txt"
                                             if (audio.parent / "vocabulary.txt").exists() else None)
        else:
            audio, reference = repeated_recording(10)
            agenda, vocabulary = args.agenda or SAMPLE / "agenda.yaml", SAMPLE / "vocabulary.txt"
        duration = _duration(audio)
        terms = vocabulary.read_text(encoding="utf-8").splitlines() if vocabulary else []
        args.vocabulary_file = vocabulary
        data["recording"] = {"name": audio.name, "path": str(audio), "duration_s": round(duration, 2),
                             "reference": str(reference)}
        _say(f"(a)+(b) transcription of {audio.name} ({duration / 60:.1f} min) ...")
        data["transcription"] = transcription(args, audio, reference.read_text(encoding="utf-8"),
                                              terms, duration)
        if not args.skip_translation:
            _say("(c) translation engines ...")
            data["translation"] = translation(args)
        _say("(d) session-pipeline run ...")
        data["end_to_end"] = end_to_end(args, audio, agenda)
        out = args.out
    data["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    write_json(out, data)
    table = markdown(data)
    write_text(out.with_suffix(".md"), table)
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
