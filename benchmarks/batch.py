"""Batch benchmark: four 10-minute recordings on the local Dask cluster against four 'run's.

Builds four different 10-minute recordings from the bundled sample (looped, each from
another starting point), then measures, each in its own child process, on this machine:

(a) ``session-pipeline run`` on each recording, one after another (the whole pipeline,
    English only: no translation model can be had here, and a random one never stops);
(b) ``session-pipeline batch`` of the four, on the local cluster as it sizes itself;
(c) the same batch with ``--workers 2`` (one core per session on two cores), or another
    ``--workers N`` given with ``--workers``.

Reports total wall time, CPU time, and the peak memory of every worker process (from
batch.json: each session records its worker's peak so far) and of each sequential run,
with the load average before and after each part, as other work on a shared machine
slows every part. Writes benchmarks/results/batch.json and batch.md.

Usage:
  .venv/bin/python benchmarks/batch.py [--model base] [--minutes 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from records import write_json, write_text  # noqa: E402
from run import CACHE, CLI, RESULTS, SAMPLE, machine, measure, versions  # noqa: E402

COUNT = 4


def recordings(minutes: float) -> list[Path]:
    """Four different recordings of ``minutes``: the sample looped, from four offsets."""
    CACHE.mkdir(parents=True, exist_ok=True)
    made = []
    for index in range(COUNT):
        path = CACHE / f"batch-{minutes:g}min-{index + 1}.ogg"
        if not path.exists():
            partial = path.with_suffix(".part.ogg")
            subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-stream_loop", "-1",
                            "-ss", str(20 * index), "-i", str(SAMPLE / "session.ogg"),
                            "-t", str(minutes * 60), "-ac", "1", "-ar", "16000", "-c:a",
                            "libopus", "-b:a", "24k", str(partial)], check=True)
            partial.replace(path)
        made.append(path)
    return made


def sequential(audio: list[Path], model: str, out: Path) -> dict:
    """(a) Each recording with 'run', one after another."""
    runs = []
    for path in audio:
        load = _load()
        result = measure([str(CLI), "run", str(path), "--agenda", str(SAMPLE / "agenda.yaml"),
                          "--out", str(out / path.stem), "--asr-model", model, "--to", "none",
                          "--quiet"])
        result.pop("stdout", None)
        runs.append({"recording": path.name, "load_before": load, **result})
    return {"wall_s": round(sum(r["wall_s"] for r in runs), 2),
            "cpu_s": round(sum(r["cpu_s"] for r in runs), 2),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs), "runs": runs,
            "ok": all(r["exit"] == 0 for r in runs)}


def batch(audio: list[Path], model: str, out: Path, workers: int | None) -> dict:
    """(b), (c) The four as one batch on the local cluster."""
    batch_file = out / "batch.yaml"
    out.mkdir(parents=True, exist_ok=True)
    batch_file.write_text("sessions:\n" + "".join(
        f"  - {{name: {p.stem}, recording: {p}, agenda: {SAMPLE / 'agenda.yaml'}}}\n"
        for p in audio), encoding="utf-8")
    load = _load()
    extra = ["--workers", str(workers)] if workers else []
    result = measure([str(CLI), "batch", str(batch_file), "--out", str(out / "sessions"),
                      "--asr-model", model, "--to", "none", "--quiet", *extra])
    result.pop("stdout", None)
    record = json.loads((out / "sessions" / "batch.json").read_text(encoding="utf-8"))
    workers_peak: dict[str, float] = {}
    for session in record["sessions"]:
        worker = session.get("worker") or "?"
        workers_peak[worker] = max(workers_peak.get(worker, 0), session.get("peak_rss_mb") or 0)
    return {"load_before": load, **result, "cluster": record["cluster"],
            "counts": record["counts"],
            "worker_peak_rss_mb": sorted(workers_peak.values(), reverse=True),
            "sessions": [{k: s.get(k) for k in ("name", "status", "seconds", "worker", "cores",
                                               "peak_rss_mb", "error")}
                         for s in record["sessions"]],
            "ok": result["exit"] == 0}


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def markdown(data: dict) -> str:
    seq = data["sequential"]
    lines = [f"# Batch benchmark ({data['date']})", "",
             f"{COUNT} recordings of {data['minutes']:g} minutes (the sample looped), Whisper "
             f"{data['model']}, English only; {data['machine']['cpu']}, "
             f"{data['machine']['logical_cores']} cores; load average at start "
             f"{data['machine']['load_average_at_start']}, at end {data['load_at_end']}.", "",
             "| how | workers x cores | wall s | CPU s | peak RSS MB per worker / run | "
             "load before |", "|---|---|---:|---:|---|---|",
             f"| {COUNT} x `run`, one after another | 1 x {data['machine']['logical_cores']} | "
             f"{seq['wall_s']} | {seq['cpu_s']} | "
             f"{', '.join(str(r['peak_rss_mb']) for r in seq['runs'])} | "
             f"{seq['runs'][0]['load_before']} |"]
    for key, label in (("batch_default", "`batch` (local cluster, default size)"),
                       ("batch_workers", "`batch --workers N`")):
        part = data.get(key)
        if not part:
            continue
        cluster = part["cluster"]
        lines.append(f"| {label} | {cluster['workers']} x {cluster['cores_per_session']} | "
                     f"{part['wall_s']} | {part['cpu_s']}* | "
                     f"{', '.join(str(m) for m in part['worker_peak_rss_mb'])} | "
                     f"{part['load_before']} |")
    lines += ["", "\\* CPU time the system counts for the batch command: its own, and its "
              "worker processes' once they have ended normally (not those of a batch that was "
              "stopped).", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="base")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2,
                        help="Worker processes for part (c); 0 leaves it out.")
    args = parser.parse_args()
    audio = recordings(args.minutes)
    work = CACHE / "batch-work"
    shutil.rmtree(work, ignore_errors=True)
    data = {"date": dt.date.today().isoformat(), "machine": machine(), "versions": versions(),
            "model": args.model, "minutes": args.minutes,
            "recordings": [p.name for p in audio]}
    data["sequential"] = sequential(audio, args.model, work / "sequential")
    _say(f"sequential: {data['sequential']['wall_s']} s")
    data["batch_default"] = batch(audio, args.model, work / "batch-default", None)
    _say(f"batch (default): {data['batch_default']['wall_s']} s")
    if args.workers:
        data["batch_workers"] = batch(audio, args.model, work / "batch-workers", args.workers)
        _say(f"batch (--workers {args.workers}): {data['batch_workers']['wall_s']} s")
    data["load_at_end"] = _load()
    RESULTS.mkdir(exist_ok=True)
    write_json(RESULTS / "batch.json", data)
    write_text(RESULTS / "batch.md", markdown(data))
    shutil.rmtree(work, ignore_errors=True)
    print(markdown(data))
    return 0 if all(data[k]["ok"] for k in ("sequential", "batch_default")) else 1


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
