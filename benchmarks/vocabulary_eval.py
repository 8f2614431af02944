"""Vocabulary correction benchmark: recognise once, then score the corrector offline in seconds.

    .venv/bin/python benchmarks/vocabulary_eval.py recognise          # caches raw words (minutes)
    .venv/bin/python benchmarks/vocabulary_eval.py score              # recall/WER before and after
    .venv/bin/python benchmarks/vocabulary_eval.py score --details    # per term: fixed/missed/wrong

``recognise`` runs the transcription stage's engine and windows (the defaults of
``TranscribeOptions``, vocabulary correction off, optionally a prompt) on the dev panel and
on the sample, and writes the raw words to ``benchmarks/results/cache/vocab-<set>-<tag>.json``.
``score`` reads them, runs :func:`correct_words` with each set's vocabulary and reports WER and
proper-noun recall before and after, corrections per term, and false positives: terms the
corrector wrote that the reference does not hold there, and any change when the corrector
runs with the *other* set's vocabulary (which names nothing said in this recording).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from records import write_json  # noqa: E402
from wer import normalise, proper_noun_recall, wer  # noqa: E402

from pipeline.formats.transcript import Word  # noqa: E402
from pipeline.transcribe.vocabulary import common_words, correct_words, load_vocabulary  # noqa: E402

CACHE = ROOT / "benchmarks" / "results" / "cache"
SETS = {
    "panel": (ROOT / "benchmarks/panel/build/panel.ogg", ROOT / "benchmarks/panel/build/reference.txt",
              ROOT / "benchmarks/panel/build/vocabulary.txt"),
    "sample": (ROOT / "samples/session.ogg", ROOT / "samples/reference.txt",
               ROOT / "samples/vocabulary.txt"),
}


def cache_path(name: str, tag: str) -> Path:
    return CACHE / f"vocab-{name}-{tag}.json"


def recognise(name: str, model: str, tag: str, prompt_mode: str) -> Path:
    """Raw words of one set's recording with the stage's engine and windows."""
    from pipeline.audio import windows
    from pipeline.transcribe.engine import AsrEngine
    from pipeline.transcribe.models import resolve_asr_model
    from pipeline.transcribe.options import TranscribeOptions
    from pipeline.transcribe.vocabulary import build_prompt

    audio, _, vocab_path = SETS[name]
    terms = load_vocabulary(vocab_path)
    options = replace(TranscribeOptions(), asr_model=model, vocabulary=terms,
                      vocabulary_correction=False)
    resolved = resolve_asr_model(model)
    engine = AsrEngine(resolved, options)
    words: list[Word] = []
    clock = time.monotonic()
    prompt = build_prompt(terms, options.vocabulary_prompt_tokens) if prompt_mode == "all" else None
    for window in windows(audio, channel=options.channel, **options.window_cuts()):
        if prompt_mode == "window":
            # Experimental: recognise in 30 s pieces, each prompted with the terms seen before.
            words.extend(_recognise_seen(engine, window, options, terms))
        else:
            words.extend(engine.recognise(window.samples, window.start_s, options, prompt).words)
    seconds = time.monotonic() - clock
    out = cache_path(name, tag)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"model": model, "prompt": prompt_mode, "seconds": round(seconds, 1),
                               "options": options.to_record(),
                               "words": [asdict(w) for w in words]}, indent=0), encoding="utf-8")
    print(f"{name}: {len(words)} words in {seconds:.0f} s -> {out}", file=sys.stderr)
    return out


def _recognise_seen(engine, window, options, terms, piece_s: float = 120.0):
    """Pieces of a window, each prompted with the terms the corrector found in earlier pieces."""
    from pipeline.transcribe.vocabulary import build_prompt

    rate = 16000
    seen: list[str] = []
    words: list[Word] = []
    step = int(piece_s * rate)
    for begin in range(0, window.samples.size, step):
        piece = window.samples[begin:begin + step]
        prompt = build_prompt(seen, options.vocabulary_prompt_tokens) if seen else None
        got = list(engine.recognise(piece, window.start_s + begin / rate, options, prompt).words)
        fixed, _ = correct_words(got, terms)
        text = normalise(" ".join(w.text for w in fixed))
        for term in terms:
            if term not in seen and f" {normalise(term)} " in f" {text} ":
                seen.append(term)
        words.extend(got)
    return words


def load_words(name: str, tag: str) -> list[Word]:
    data = json.loads(cache_path(name, tag).read_text(encoding="utf-8"))
    return [Word(**w) for w in data["words"]]


def text_of(words) -> str:
    return "".join(w.text for w in words).strip()


def _count(haystack: str, needle: str) -> int:
    return len(re.findall(rf"(?<!\S){re.escape(needle)}(?!\S)", haystack))


def score(name: str, tag: str, details: bool, common) -> dict:
    _, ref_path, vocab_path = SETS[name]
    reference = ref_path.read_text(encoding="utf-8")
    terms = load_vocabulary(vocab_path)
    words = load_words(name, tag)
    fixed, corrections = correct_words(words, terms, common=common)
    before, after = text_of(words), text_of(fixed)
    r0 = proper_noun_recall(before, terms, reference)
    r1 = proper_noun_recall(after, terms, reference)
    # False positives: a term written more often than the reference says it.
    ref_n, aft_n, bef_n = normalise(reference), normalise(after), normalise(before)
    extra = {}
    for term in terms:
        needle = normalise(term)
        over = _count(aft_n, needle) - max(_count(ref_n, needle), _count(bef_n, needle))
        if over > 0:
            extra[term] = over
    # Cross check: the other set's vocabulary names nothing said here, so nothing may change.
    other = next(n for n in SETS if n != name)
    cross_terms = load_vocabulary(SETS[other][2])
    cross_terms = [t for t in cross_terms if normalise(t) not in ref_n]
    _, cross = correct_words(words, cross_terms, common=common)
    # A right transcript (the reference itself, every word unsure) must come through untouched.
    said = [Word(k * 0.4, k * 0.4 + 0.3, " " + t, 0.5) for k, t in enumerate(reference.split())]
    _, on_reference = correct_words(said, terms, common=common)
    result = {
        "set": name, "tag": tag, "words": len(words),
        "wer_before": round(wer(reference, before), 4), "wer_after": round(wer(reference, after), 4),
        "recall_before": f"{r0.found}/{r0.expected} = {r0.recall:.2f}",
        "recall_after": f"{r1.found}/{r1.expected} = {r1.recall:.2f}",
        "corrections": len(corrections), "false_positive_terms": extra,
        "cross_vocabulary_changes": [f"{c.heard!r}->{c.term!r}" for c in cross],
        "changes_to_reference": [f"{c.heard!r}->{c.term!r}" for c in on_reference],
    }
    if details:
        fixed_terms = sorted(set(r0.missing) - set(r1.missing))
        broken = sorted(set(r1.missing) - set(r0.missing))
        result["fixed_terms"] = fixed_terms
        result["still_missing"] = list(r1.missing)
        result["newly_missing"] = broken
        result["missed_heard_as"] = [f"{t}: {h}" for t, h in heard_as(reference, after, terms)]
        result["corrections_made"] = [f"{c.start:7.1f} {c.heard!r} -> {c.term!r} ({c.score})"
                                      for c in corrections]
    return result


def heard_as(reference: str, hypothesis: str, terms, context: int = 1):
    """For each term occurrence the hypothesis got wrong: what stands there instead."""
    import difflib

    ref, hyp = normalise(reference).split(), normalise(hypothesis).split()
    where: dict[int, tuple[int, int]] = {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ref, hyp, autojunk=False).get_opcodes():
        for k in range(i1, i2):
            where[k] = (j1 + k - i1, j1 + k - i1 + 1) if tag == "equal" else (j1, j2)
    out = []
    for term in dict.fromkeys(terms):
        needle = normalise(term).split()
        for i in range(len(ref) - len(needle) + 1):
            if ref[i:i + len(needle)] == needle:
                a, b = where[i][0], where[i + len(needle) - 1][1]
                if hyp[a:b] != needle:
                    out.append((term, " ".join(hyp[max(0, a - context):a]) + " ["
                                + " ".join(hyp[a:b]) + "] " + " ".join(hyp[b:b + context])))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("recognise", help="run the recogniser once and cache its raw words")
    rec.add_argument("--model", default="base")
    rec.add_argument("--tag", default="base")
    rec.add_argument("--prompt", choices=("none", "all", "window"), default="none")
    rec.add_argument("--sets", default="panel,sample")
    sc = sub.add_parser("score", help="score the corrector on the cached words")
    sc.add_argument("--tag", default="base")
    sc.add_argument("--model", default="base", help="whose tokenizer gives the common words")
    sc.add_argument("--sets", default="panel,sample")
    sc.add_argument("--details", action="store_true")
    sc.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    names = [n for n in args.sets.split(",") if n]
    if args.command == "recognise":
        for name in names:
            recognise(name, args.model, args.tag, args.prompt)
        return 0
    from pipeline.transcribe.models import resolve_asr_model

    common = common_words(resolve_asr_model(args.model).path / "tokenizer.json")
    results = [score(name, args.tag, args.details, common) for name in names]
    for result in results:
        print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.json:
        write_json(args.json, results, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
