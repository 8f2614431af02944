"""The transcription stage against plain faster-whisper on several recordings, one run each.

For every recording, in this order and each in its own process (the whole process timed:
imports, model load, audio decoding, recognition, files): (a) plain faster-whisper with its
defaults (``WhisperModel(path, device="cpu", compute_type="int8").transcribe(audio)``:
sequential, beam 5, no VAD, every segment consumed), then (b) the transcription stage with
its defaults (``session-pipeline transcribe``), and any further stage settings asked for
with ``--variant NAME:key=value,key=value`` (TranscribeOptions fields; a sweep). Reported:
wall and CPU seconds, peak memory, WER and proper-noun recall against the recording's
reference, and the ratio of (a) to (b). Recordings are named as in benchmarks/recordings
(``committee``, ``roundtable``, ``briefing``, ``hearing``, ``forum``, ``assembly``,
``plenary``, ``council``, ``agm``, ``consultations``) or ``panel``; each is marked as part of
the tuning set (defaults chosen on it), looked at (held out once, since read) or held out.

Each row keeps its recognised text, so that a run can be scored again with a mended scorer
(``--rescore``, which decodes nothing): plain decoding samples when in doubt, so a second
run would move its words as well as the scorer's figures.

Usage:
  .venv/bin/python benchmarks/speed.py [RECORDING ...] (default: all of them)
      [--model base] [--variant keep1:clip_keep_gap_s=1.0] [--no-plain | --plain-runs N]
      [--json out.json]
  .venv/bin/python benchmarks/speed.py --rescore RUN.json [--json out.json]
      (default out: RUN-rescored.json)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from records import cpu_model, write_json, write_text  # noqa: E402
from wer import proper_noun_recall, wer  # noqa: E402

TUNING = ("panel", "committee")
HELD_OUT = ("roundtable", "briefing", "hearing", "forum", "assembly", "plenary", "council", "agm",
            "consultations")
# Held out once, since looked at for speed (their words or clips read, settings tried on
# them: benchmarks/recordings/README.md): their figures no longer count as held out.
LOOKED_AT = ("briefing", "forum", "plenary")
RESULTS = ROOT / "benchmarks" / "results"


def build_folder(name: str) -> Path:
    """Where a recording's generated files are (see benchmarks/recordings/README.md)."""
    if name == "panel":
        return ROOT / "benchmarks" / "panel" / "build"
    return ROOT / "benchmarks" / "recordings" / name / "build"


def audio_of(folder: Path) -> Path:
    found = sorted(folder.glob("*.ogg")) + sorted(folder.glob("*.wav"))
    if not found:
        raise SystemExit(f"No recording in {folder}: generate it first "
                         "(benchmarks/recordings/generate.py, benchmarks/panel/generate.py).")
    return found[0]


def check_inputs(name: str) -> None:
    """Stop, before anything is timed, if ``name`` lacks its recording, reference or names."""
    folder = build_folder(name)
    audio_of(folder)
    truth(folder)


def truth(folder: Path) -> tuple[str, list[str]]:
    """The reference text and the names of the recording in ``folder``."""
    read = {}
    for needed in ("reference.txt", "vocabulary.txt"):
        if not (folder / needed).is_file():
            raise SystemExit(f"No {needed} in {folder}: generate the recording again "
                             "(benchmarks/recordings/generate.py, benchmarks/panel/generate.py).")
        read[needed] = (folder / needed).read_text(encoding="utf-8")
    return read["reference.txt"], read["vocabulary.txt"].splitlines()


def measure(command: list[str]) -> dict:
    """Run ``command``: its wall time, CPU time, peak memory (its own), and its last line."""
    clock = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - clock
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command[:4])} failed: {stderr.strip()[-500:]}")
    return {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            **json.loads(stdout.strip().splitlines()[-1])}


def plain_child(audio: str, model: str) -> None:
    from faster_whisper import WhisperModel

    whisper = WhisperModel(model, device="cpu", compute_type="int8")
    segments, _ = whisper.transcribe(audio)
    print(json.dumps({"text": " ".join(s.text.strip() for s in segments)}))


def stage_child(audio: str, model: str, out: str, settings: str) -> None:
    """The stage as 'session-pipeline transcribe' runs it, with ``settings`` (JSON) applied."""
    from dataclasses import replace

    from pipeline.audio import inspect_recording
    from pipeline.session import Session
    from pipeline.transcribe import TranscribeOptions, resolve_asr_model, transcribe_session

    options = TranscribeOptions(asr_model=model)
    for key, value in json.loads(settings).items():     # "vad_settings.x": a nested setting
        head, _, field = key.partition(".")
        value = replace(getattr(options, head), **{field: value}) if field else value
        options = replace(options, **{head: value})
    session = Session.open(out)
    transcribe_session(session, inspect_recording(audio), resolve_asr_model(model),
                       options=options)
    record = session.stage("transcribe")
    print(json.dumps({"text": session.read_transcript("en").text,
                      "recognition_s": record["timings"]["recognition_s"],
                      "clips": sum(w.get("clips", 0) for w in record["timings"]["windows"])}))


def run_recording(name: str, model_dir: str, variants: dict[str, dict], plain: int,
                  work: Path) -> dict:
    """``name`` decoded ``plain`` times by plain faster-whisper (rows "plain", "plain-2",
    ...: it samples when in doubt, so each run may give other words), then once with each
    of the stage's ``variants``."""
    folder = build_folder(name)
    audio = audio_of(folder)
    rows = {}
    for run in range(1, plain + 1):
        rows["plain" if run == 1 else f"plain-{run}"] = measure(
            [sys.executable, __file__, "--plain-child", str(audio), model_dir])
    for label, settings in variants.items():
        out = work / f"{name}-{label}"
        shutil.rmtree(out, ignore_errors=True)
        rows[label] = measure([sys.executable, __file__, "--stage-child", str(audio),
                               model_dir, str(out), json.dumps(settings)])
        rows[label]["settings"] = settings
    score(rows, folder)
    return {"recording": name, "set": set_of(name),
            "audio_s": round(_duration(audio), 1), "rows": rows}


def score(rows: dict[str, dict], folder: Path) -> None:
    """Set each row's WER and proper-noun recall from its recognised ``text``, against the
    reference and names in ``folder``."""
    reference, terms = truth(folder)
    for row in rows.values():
        row["wer"] = round(100 * wer(reference, row["text"]), 2)
        row["names"] = round(100 * proper_noun_recall(row["text"], terms, reference).recall, 1)


def rescore(path: Path, folder_of: Callable[[str], Path] = build_folder) -> dict:
    """The run recorded in ``path`` (a JSON file this script wrote), scored again with
    today's scorer from the texts it kept, each row's earlier figures kept beside them;
    ``folder_of`` a recording's name gives where its reference is."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"Cannot read the run {path}: {exc}.") from None
    if not _is_run(data):
        raise SystemExit(f"{path} is not a run that benchmarks/speed.py wrote.")
    for result in data["results"]:
        rows = result["rows"]
        if any("text" not in row for row in rows.values()):
            raise SystemExit(f"{path} keeps no recognised text for {result['recording']}: "
                             "it was written before runs kept their text, so it cannot be "
                             "scored again.")
        for row in rows.values():
            row["scored_before"] = {"wer": row["wer"], "names": row["names"]}
        score(rows, folder_of(result["recording"]))
        result["set"] = set_of(result["recording"])
    data["rescored"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    return data


def _is_run(data) -> bool:
    """Whether ``data`` has the shape of a run this script wrote."""
    return (isinstance(data, dict) and isinstance(data.get("results"), list)
            and all(isinstance(result, dict) and isinstance(result.get("recording"), str)
                    and isinstance(result.get("rows"), dict)
                    and all(isinstance(row, dict) and {"wer", "names"} <= row.keys()
                            for row in result["rows"].values())
                    for result in data["results"]))


def set_of(name: str) -> str:
    """Which set the recording ``name`` is in, for speed: tuning, looked at or held out."""
    return "tuning" if name in TUNING else "looked at" if name in LOOKED_AT else "held out"


def _duration(path: Path) -> float:
    from pipeline.audio import probe

    return float(probe(path).duration_s)


def table(results: list[dict]) -> str:
    lines = ["| recording | set | run | wall s | CPU s | peak MB | WER % | names % | plain / run |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for result in results:
        plain = result["rows"].get("plain")
        for label, row in result["rows"].items():
            stage = "settings" in row          # the stage's rows carry their settings
            ratio = f"{plain['wall_s'] / row['wall_s']:.2f}x" if plain and stage else ""
            lines.append(f"| {result['recording']} | {result['set']} | {label} | {row['wall_s']} "
                         f"| {row['cpu_s']} | {row['peak_rss_mb']:.0f} | {row['wer']:.2f} "
                         f"| {row['names']:.0f} | {ratio} |")
    return "\n".join(lines) + "\n"


def _variant(text: str) -> tuple[str, dict]:
    label, _, pairs = text.partition(":")
    settings = {}
    for pair in filter(None, pairs.split(",")):
        key, _, value = pair.partition("=")
        settings[key.strip()] = json.loads(value) if value not in ("None", "") else None
    return label, settings


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--plain-child"]:
        plain_child(*argv[1:])
        return 0
    if argv[:1] == ["--stage-child"]:
        stage_child(*argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recordings", nargs="*", default=list(TUNING + HELD_OUT))
    parser.add_argument("--model", default="base")
    parser.add_argument("--variant", action="append", default=[],
                        help="NAME:key=value,... stage settings to time beside the defaults")
    parser.add_argument("--no-plain", action="store_true")
    parser.add_argument("--plain-runs", type=int, default=1, metavar="N",
                        help="decode each recording N times with plain faster-whisper, to see "
                        "how its sampling moves its WER (the ratio uses the first)")
    parser.add_argument("--json", type=Path, help="where the run is written (default: "
                        "benchmarks/results/speed.json; with --rescore, RUN-rescored.json)")
    parser.add_argument("--rescore", type=Path, metavar="RUN.json",
                        help="score a recorded run again from its texts (nothing is decoded)")
    args = parser.parse_args(argv)
    if args.plain_runs < 1:
        parser.error("--plain-runs must be 1 or more.")
    if args.rescore:
        out = args.json or args.rescore.with_name(f"{args.rescore.stem}-rescored.json")
        data = rescore(args.rescore)
        write_json(out, data)
        write_text(out.with_suffix(".md"), table(data["results"]))
        return 0
    args.json = args.json or RESULTS / "speed.json"
    from pipeline.transcribe.models import resolve_asr_model

    model_dir = str(resolve_asr_model(args.model).path)
    variants = {"stage": {}} | dict(_variant(v) for v in args.variant)
    began = {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "load_average": os.getloadavg()[0],
             "machine": platform.processor() or platform.machine(), "cpu": cpu_model(),
             "cores": os.cpu_count(), "model": args.model}
    for name in args.recordings:                  # every recording there before any is timed
        check_inputs(name)
    results = []
    with tempfile.TemporaryDirectory() as work:
        for name in args.recordings:
            results.append(run_recording(name, model_dir, variants,
                                         0 if args.no_plain else args.plain_runs, Path(work)))
            print(table(results[-1:]), flush=True)
    data = {**began, "load_average_end": os.getloadavg()[0], "results": results}
    write_json(args.json, data)
    write_text(args.json.with_suffix(".md"), table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
