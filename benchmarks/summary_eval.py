"""Sections and draft summaries of a transcribed session, scored against its ground truth.

Runs segmentation and extractive summary selection (pure: nothing is written to the session)
on SESSION's English transcript with AGENDA, then prints

* per item: the found start, the scheduled start and the true start (truth.json), and errors;
* per item: the share of its key terms (key_terms.json) that the English draft summary
  mentions, the same share if every sentence of the item were kept (the transcript's ceiling:
  a term the speech model misspelt cannot be found), and how much of the item the summary
  keeps (sentences and words);
* with ``--perturb N``: N schedules drawn at random, each item's scheduled start moved from its
  true start by 20-90 s earlier or later (seeded), and the mean error of the found starts
  against the schedule's own error.

The sections are scored by benchmarks/segment_eval.py's scorer (with the session's voices,
where the speaker stage ran); that script reports segmentation alone, per recording.

Key terms are the evaluation's ground truth: only this script reads them, never the pipeline.
A term counts as mentioned when it appears as whole words in the summary text, both normalised
as for the word error rate (benchmarks/wer.py: case, punctuation, British and American
spellings, numbers as digits). A key-terms list written as a YAML flow sequence splits figures
with a thousands comma ("2,400 fishermen" becomes "2" and "400 fishermen"); such pieces are
joined again before scoring.

Usage:
  .venv/bin/python benchmarks/summary_eval.py SESSION --build benchmarks/panel/build
      [--agenda F] [--perturb 10] [--seed 0] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
from pathlib import Path

from pipeline.agenda import Agenda, load_agenda
from pipeline.formats.sections import section_of
from pipeline.formats.transcript import Transcript
from pipeline.segment import SegmentOptions
from pipeline.session import Session
from pipeline.summarise import SummariseOptions, choose_sentences

sys.path.insert(0, str(Path(__file__).resolve().parent))
from records import write_json  # noqa: E402
from segment_eval import perturbed, segment_errors  # noqa: E402
from wer import normalise  # noqa: E402


def joined(terms: list[str]) -> list[str]:
    """Figures that a thousands comma split in two ("2", "400 fishermen") joined again."""
    out: list[str] = []
    for term in terms:
        if out and re.fullmatch(r"\d{1,3}", out[-1]) and re.match(r"(\d{3}\b|0$)", term):
            out[-1] = f"{out[-1]},{'000' if term == '0' else term}"     # YAML read "000" as 0
        else:
            out.append(term)
    return out


def mentioned(term: str, text: str) -> bool:
    needle = normalise(term)
    return bool(needle) and re.search(rf"(?<!\S){re.escape(needle)}(?!\S)", normalise(text)) is not None


def coverage(terms: list[str], text: str) -> float:
    return sum(mentioned(t, text) for t in terms) / len(terms) if terms else 1.0


def summary_report(transcript: Transcript, sections, agenda: Agenda, key_terms: dict,
                   options: SummariseOptions) -> list[dict]:
    chosen = choose_sentences(transcript, sections, agenda.glossary, options)
    by_id = {s.id: s for s in transcript.sentences}
    rows = []
    for section in sections:
        own = [s for s in transcript.sentences if section_of(s, sections) == section.id]
        kept = [by_id[i] for i in chosen[section.id]]
        terms = key_terms.get(section.id, [])
        summary, everything = " ".join(s.text for s in kept), " ".join(s.text for s in own)
        rows.append({
            "id": section.id, "coverage": coverage(terms, summary),
            "ceiling": coverage(terms, everything),
            "missed": [t for t in terms if not mentioned(t, summary)],
            "not_said": [t for t in terms if not mentioned(t, everything)],
            "chosen": [f"[{s.start:6.1f}] {s.text}" for s in kept],
            "sentences": len(kept), "of_sentences": len(own),
            "words": len(summary.split()), "of_words": len(everything.split())})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("session", type=Path, help="a session folder with en/transcript.json")
    parser.add_argument("--build", type=Path, default=Path("benchmarks/panel/build"),
                        help="folder with agenda.yaml, truth.json and key_terms.json")
    parser.add_argument("--agenda", type=Path, help="default: BUILD/agenda.yaml")
    parser.add_argument("--perturb", type=int, default=0, help="random schedules to try")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument("--show", action="store_true", help="print the chosen sentences")
    args = parser.parse_args(argv)

    session = Session.open(args.session, create=False)
    transcript, speakers = session.read_transcript("en"), session.read_speakers()
    agenda = load_agenda(args.agenda or args.build / "agenda.yaml")
    truth_data = json.loads((args.build / "truth.json").read_text(encoding="utf-8"))
    truth = {i["id"]: i["start"] for i in truth_data["items"]}
    duration = float(truth_data.get("duration") or transcript.sentences[-1].end)
    key_path = args.build / "key_terms.json"
    key_terms = {item: joined(terms) for item, terms in json.loads(
        key_path.read_text(encoding="utf-8"))["items"].items()} if key_path.exists() else {}
    seg_options, sum_options = SegmentOptions(), SummariseOptions()
    result: dict = {}

    sections, found, scheduled = segment_errors(transcript, agenda, truth, duration, seg_options,
                                                speakers)
    print("Sections (seconds):  item  found  scheduled  true  |found-true|  |scheduled-true|")
    for s, f, d in zip(sections, found, scheduled):
        print(f"  {s.id:<12} {s.start:7.1f} {s.scheduled_start:7.1f} {truth[s.id]:7.1f}"
              f" {f:7.1f} {d:7.1f}  {s.method}")
    print(f"  mean error: found {statistics.mean(found):.1f} s, schedule {statistics.mean(scheduled):.1f} s")
    result["segment"] = {"found": found, "scheduled": scheduled}

    if key_terms:
        rows = summary_report(transcript, sections, agenda, key_terms, sum_options)
        print("\nSummaries: item  key-term coverage  (all sentences)  sentences kept  words kept")
        for r in rows:
            print(f"  {r['id']:<12} {r['coverage']:6.0%}  ({r['ceiling']:4.0%})  "
                  f"{r['sentences']:3d}/{r['of_sentences']:<3d} {r['words']:4d}/{r['of_words']:<4d}"
                  f" ({r['words'] / max(1, r['of_words']):.0%})  missed: {', '.join(r['missed'])}"
                  f"  [not in the transcript: {', '.join(r['not_said'])}]")
            if args.show:
                print("\n".join("      " + line for line in r["chosen"]))
        mean = statistics.mean(r["coverage"] for r in rows)
        ceiling = statistics.mean(r["ceiling"] for r in rows)
        words = sum(r["words"] for r in rows) / max(1, sum(r["of_words"] for r in rows))
        sents = sum(r["sentences"] for r in rows) / max(1, sum(r["of_sentences"] for r in rows))
        print(f"  mean coverage {mean:.1%} (ceiling {ceiling:.1%}); the summaries keep "
              f"{sents:.0%} of the sentences, {words:.0%} of the words")
        result["summary"] = {"items": rows, "mean_coverage": mean, "ceiling": ceiling,
                             "sentence_ratio": sents, "word_ratio": words}

    if args.perturb:
        rng = random.Random(args.seed)
        runs = []
        print(f"\nPerturbed schedules (each item 20-90 s off its true start, seed {args.seed}):")
        for n in range(args.perturb):
            plan = perturbed(agenda, truth, rng, duration)
            _, f, d = segment_errors(transcript, plan, truth, duration, seg_options, speakers)
            runs.append({"found": f, "scheduled": d})
            print(f"  {n:2d}: found {statistics.mean(f):5.1f} s (max {max(f):5.1f})  "
                  f"schedule {statistics.mean(d):5.1f} s")
        mean_f = statistics.mean(statistics.mean(r["found"]) for r in runs)
        mean_d = statistics.mean(statistics.mean(r["scheduled"]) for r in runs)
        worst = max(statistics.mean(r["found"]) for r in runs)
        ok = sum(statistics.mean(r["found"]) <= 15 and sum(r["found"]) <= 0.5 * sum(r["scheduled"])
                 for r in runs)
        print(f"  mean error: found {mean_f:.1f} s, schedule {mean_d:.1f} s; worst run {worst:.1f} s;"
              f" {ok}/{len(runs)} runs meet 'within 15 s and at most half the schedule's error'")
        result["perturb"] = {"runs": runs, "mean_found": mean_f, "mean_scheduled": mean_d,
                             "runs_ok": ok}
    if args.json:
        write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
