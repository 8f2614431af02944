"""Speech model trade-off on the bundled sample: time and WER of the transcription stage per model.

    .venv/bin/python benchmarks/models.py [--models tiny.en,base,small] [--recording F --reference F]

Each model runs the stage with its defaults in its own process (wall time includes loading);
results go to benchmarks/results/models.json and models.md. A model that cannot be had
offline is reported as such.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.records import write_json, write_text  # noqa: E402
from benchmarks.wer import proper_noun_recall, wer  # noqa: E402

CLI = Path(sys.executable).with_name("session-pipeline")
RESULTS = HERE / "results"


def measure(model: str, recording: Path, reference: str, terms: list[str], work: Path) -> dict:
    from pipeline.formats import transcript as transcript_io
    from pipeline.transcribe.models import asr_model_status

    present, where = asr_model_status(model)
    if not present:
        return {"model": model, "error": where}
    out = work / model.replace("/", "_")
    clock = time.perf_counter()
    done = subprocess.run([str(CLI), "transcribe", str(recording), "--out", str(out),
                           "--asr-model", model, "--quiet", "--force"],
                          capture_output=True, text=True)
    wall = time.perf_counter() - clock
    if done.returncode != 0:
        return {"model": model, "error": done.stderr.strip().splitlines()[-1]}
    text = transcript_io.load(out / "en" / "transcript.json").text
    manifest = json.loads((out / "session.json").read_text(encoding="utf-8"))
    duration = manifest["input"]["duration_s"]
    return {"model": model, "wall_s": round(wall, 1), "rtf": round(wall / duration, 3),
            "wer": round(wer(reference, text), 4),
            "proper_noun_recall": round(proper_noun_recall(text, terms, reference).recall, 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="tiny.en,base,small")
    parser.add_argument("--recording", type=Path, default=ROOT / "samples" / "session.ogg")
    parser.add_argument("--reference", type=Path, default=ROOT / "samples" / "reference.txt")
    parser.add_argument("--vocabulary", type=Path, default=ROOT / "samples" / "vocabulary.txt")
    args = parser.parse_args()
    reference = args.reference.read_text(encoding="utf-8")
    terms = args.vocabulary.read_text(encoding="utf-8").splitlines()
    rows = [measure(m, args.recording, reference, terms, RESULTS / "work" / "models")
            for m in args.models.split(",")]
    RESULTS.mkdir(exist_ok=True)
    write_json(RESULTS / "models.json", rows)
    lines = ["| model | wall s | real-time factor | WER % | proper nouns % |",
             "|---|---:|---:|---:|---:|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['model']} | not available: {r['error']} | | | |")
        else:
            lines.append(f"| {r['model']} | {r['wall_s']} | {r['rtf']} | {100 * r['wer']:.1f} | "
                         f"{100 * r['proper_noun_recall']:.0f} |")
    table = "\n".join(lines) + "\n"
    write_text(RESULTS / "models.md", table)
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
