"""Sections and draft summary records of a transcribed session, scored against its ground truth.

Runs segmentation and the summary stage's drafting (pure: nothing is written to the session)
on SESSION's English transcript with AGENDA, then prints

* per item: the found start, the scheduled start and the true start (truth.json), and errors;
* per item and length budget: the share of its key terms (key_terms.json) that the English
  draft mentions (lead-ins included; and the bullets alone), the same share if every sentence
  of the item were kept (the transcript's ceiling), the best a greedy choice of whole passages
  that reads the key terms reaches in the same budget (``oracle``: what whole sentences allow),
  ROUGE-1/2/L against the reference summary record (summary.yaml, written by hand), the share
  of the item's words the draft keeps, and whether every intervention it includes is
  introduced by the name speakers.json gives (and whether that is who spoke, by truth.json);
* with ``--perturb N``: N schedules drawn at random, each item's scheduled start moved from its
  true start by 20-90 s earlier or later (seeded), and the mean error of the found starts
  against the schedule's own error.

Items: ``--sections truth`` (the default) scores the drafts on the items' true boundaries, so
that the summariser is measured apart from the segmenter; ``--sections found`` on the
segmenter's, end to end.

Voices: ``--voices truth`` (the default, until the speaker stage's output exists) labels each
sentence with the truth.json turn it overlaps most and names each voice as truth.json does;
``--voices session`` reads the labels of SESSION's transcript and its speakers.json.

Key terms and the reference are the evaluation's ground truth: only this script reads them,
never the pipeline. A term counts as mentioned when it appears as whole words in the text,
both normalised as for the word error rate (benchmarks/wer.py: case, punctuation, British and
American spellings, numbers as digits). A key-terms list written as a YAML flow sequence splits
figures with a thousands comma ("2,400 fishermen" becomes "2" and "400 fishermen"); such pieces
are joined again before scoring.

Usage:
  .venv/bin/python benchmarks/summary_eval.py SESSION --build benchmarks/panel/build
      [--reference benchmarks/panel/summary.yaml] [--length 0.15 --length 0.2]
      [--voices truth|session] [--sections truth|found] [--perturb 10] [--seed 0] [--show] [--json OUT] [--markdown OUT]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from pipeline.agenda import Agenda, load_agenda
from pipeline.formats.sections import Section, section_of
from pipeline.formats.speakers import Speaker
from pipeline.formats.summary import parse_markdown
from pipeline.formats.transcript import Transcript
from pipeline.segment import SegmentOptions, build_sections
from pipeline.session import Session
from pipeline.summarise import SummariseOptions, draft_items
from pipeline.summarise.interventions import interventions, passages
from pipeline.summarise.render import ItemSummary, summary_markdown
from pipeline.summarise.voices import Voices, name_key

sys.path.insert(0, str(Path(__file__).resolve().parent))
from records import write_json, write_text  # noqa: E402
from rouge import rouge  # noqa: E402
from wer import normalise  # noqa: E402

_TIME = re.compile(r"^\[\d\d:\d\d:\d\d\]\s*")
_IDS = re.compile(r"\s*\(#\d+(?:, #\d+)*\)$")
_ROLE = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^)]*)\)\s*$")


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


# -- segmentation ---------------------------------------------------------------------------

def segment_errors(transcript: Transcript, agenda: Agenda, truth: dict[str, float],
                   duration: float, options: SegmentOptions):
    sections = build_sections(transcript, agenda, options, duration)
    found = [abs(s.start - truth[s.id]) for s in sections]
    scheduled = [abs(s.scheduled_start - truth[s.id]) for s in sections]
    return sections, found, scheduled


def perturbed(agenda: Agenda, truth: dict[str, float], rng: random.Random,
              duration: float) -> Agenda:
    """The agenda with each item scheduled 20-90 s before or after its true start."""
    items, previous = [], -1.0
    for item in agenda.items:
        true = truth[item.id]
        for _ in range(100):
            offset = rng.uniform(20, 90) * rng.choice((-1, 1))
            start = round(true + offset)
            if 0 <= start <= duration + 60 and start > previous:
                break
        items.append(replace(item, start=float(start), pinned_start=None))
        previous = start
    return replace(agenda, items=tuple(items))


def truth_sections(agenda: Agenda, truth: dict, duration: float) -> list[Section]:
    """The agenda's items at their true places (truth.json), to score the drafts apart from
    the segmenter: each item from its first turn to the next item's first turn."""
    starts = {item["id"]: item["start"] for item in truth["items"]}
    ids = [item.id for item in agenda.items]
    bounds = [0.0] + [starts[i] for i in ids[1:]] + [duration]
    return [Section(id=item.id, titles=dict(item.title), start=bounds[k], end=bounds[k + 1],
                    scheduled_start=item.start, pinned_start=None, method="pinned",
                    description=item.description, speakers=item.speakers)
            for k, item in enumerate(agenda.items)]


# -- voices ---------------------------------------------------------------------------------

def person(turn_speaker: str, listed: dict[str, str]) -> tuple[str, str | None]:
    """A truth.json speaker as a name and a role: the corpus gives the role in ``speakers``;
    the panel writes "Dr. Kwame Mensah (ILO)"."""
    if turn_speaker in listed:
        return turn_speaker, listed[turn_speaker]
    match = _ROLE.match(turn_speaker)
    return (match["name"], match["role"]) if match else (turn_speaker, None)


def true_speaker(sentence, turns: list[dict]) -> str:
    """The truth turn's speaker that the sentence overlaps most (the nearest if none)."""
    def overlap(turn):
        return min(sentence.end, turn["end"]) - max(sentence.start, turn["start"])
    return max(turns, key=overlap)["speaker"]


def truth_voices(transcript: Transcript, truth: dict) -> tuple[Transcript, list[Speaker]]:
    """The transcript labelled with the truth's speakers (S1, S2 … in order of first speech),
    and a speakers.json list naming each as truth.json does."""
    listed = {p["name"]: p.get("role") for p in truth.get("speakers") or []}
    labels: dict[str, str] = {}
    sentences = []
    for sentence in transcript.sentences:
        who = true_speaker(sentence, truth["turns"])
        label = labels.setdefault(who, f"S{len(labels) + 1}")
        sentences.append(replace(sentence, speaker=label))
    speakers = [Speaker(label=label, name=person(who, listed)[0], role=person(who, listed)[1])
                for who, label in labels.items()]
    return replace(transcript, sentences=tuple(sentences)), speakers


# -- drafts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemText:
    """An item's draft as an editor reads it: the lead-ins, the bullets, both together."""

    lead_ins: list[str]
    bullets: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.lead_ins + self.bullets)


def rendered_items(markdown: str) -> dict[str, ItemText]:
    """Per item heading: the lead-in paragraphs and the bullets' text (no times, no ids)."""
    items: dict[str, ItemText] = {}
    current = None
    for block in parse_markdown(markdown):
        if block.kind == "heading":
            current = items.setdefault(block.text, ItemText([], []))
        elif current is None:
            continue
        elif block.kind == "bullet":
            current.bullets.append(_IDS.sub("", _TIME.sub("", block.text)))
        elif block.kind == "paragraph" and any(r.bold for r in block.runs):
            current.lead_ins.append(block.text)
    return items


def oracle(transcript: Transcript, section: Section, sections: list[Section], terms: list[str],
           limit: int, options: SummariseOptions) -> float:
    """Key-term coverage of a greedy choice of whole passages that reads the key terms
    (most new terms per word, within ``limit`` words): what whole sentences allow."""
    own = [s for s in transcript.sentences if section_of(s, sections) == section.id]
    pool = [p for g in interventions(own, options.interruption_words) for p in passages(g)]
    chosen, left, found = [], limit, set()
    while True:
        best = max((p for p in pool if p not in chosen and p.words <= left),
                   key=lambda p: len({t for t in terms if mentioned(t, p.text)} - found) / p.words,
                   default=None)
        if best is None or not {t for t in terms if mentioned(t, best.text)} - found:
            break
        chosen.append(best)
        left -= best.words
        found |= {t for t in terms if mentioned(t, best.text)}
    return len(found) / len(terms) if terms else 1.0


def item_rows(transcript: Transcript, speakers: list[Speaker], sections: list[Section],
              agenda: Agenda, key_terms: dict, reference: dict[str, str], truth: dict,
              options: SummariseOptions) -> list[dict]:
    drafts = draft_items(transcript, sections, agenda.glossary, options)
    voices = Voices.of(speakers, agenda)
    english = {s.id: s for s in transcript.sentences}
    items = [ItemSummary(section=s, draft=drafts[s.id], spoken=True) for s in sections]
    markdown = summary_markdown("en", agenda.title, items, english, english, voices, "today")
    texts = rendered_items(markdown)
    names = {s.label: s.name for s in speakers if s.name}
    rows = []
    for section in sections:
        draft, shown = drafts[section.id], texts[section.title_in("en")]
        own = [s for s in transcript.sentences if section_of(s, sections) == section.id]
        terms = key_terms.get(section.id, [])
        kept = sum(len(b.split()) for b in shown.bullets)
        named = [g.speaker in names and any(r.startswith(names[g.speaker]) for r in shown.lead_ins)
                 for g, _ in draft.chosen if g.speaker in names]
        right = [_majority(ps, truth["turns"]) == _speaker_of(names.get(g.speaker), truth)
                 for g, ps in draft.chosen if g.speaker in names]
        scores = rouge(shown.text, reference.get(section.id, ""))
        rows.append({
            "id": section.id, "coverage": coverage(terms, shown.text),
            "coverage_bullets": coverage(terms, " ".join(shown.bullets)),
            "ceiling": coverage(terms, " ".join(s.text for s in own)),
            "oracle": oracle(transcript, section, sections, terms, draft.budget, options),
            "missed": [t for t in terms if not mentioned(t, shown.text)],
            "rouge": {k: v.record() for k, v in scores.items()},
            "words": kept, "lead_in_words": sum(len(x.split()) for x in shown.lead_ins),
            "of_words": draft.words, "budget": draft.budget, "share": kept / max(1, draft.words),
            "interventions": len(draft.chosen), "named": sum(named), "nameable": len(named),
            "right_speaker": sum(right), "markdown": _item_markdown(markdown, section.title_in("en"))})
    return rows


def _majority(kept, turns: list[dict]) -> str:
    said = [true_speaker(s, turns) for p in kept for s in p.sentences]
    return max(set(said), key=said.count)


def _speaker_of(name: str | None, truth: dict) -> str | None:
    """The truth.json speaker a speakers.json name stands for (compared without titles,
    case or accents, and without the panel's "(role)")."""
    listed = {p["name"]: p.get("role") for p in truth.get("speakers") or []}
    key = name_key(name or "")
    for turn in truth["turns"]:
        if key and name_key(person(turn["speaker"], listed)[0]) == key:
            return turn["speaker"]
    return None


def _item_markdown(markdown: str, title: str) -> str:
    part = markdown.split(f"## {title}\n", 1)[1]
    return f"## {title}\n" + part.split("\n## ", 1)[0].rstrip() + "\n"


# -- reporting ------------------------------------------------------------------------------

def print_rows(length: str, rows: list[dict], show: bool) -> None:
    print(f"\nDraft summary records, --length {length}: item  key terms (bullets only) ceiling"
          "  oracle  R-1 R-2 R-L (F1)  words kept/of (share)  lead-in words  named")
    for r in rows:
        f1 = [r["rouge"][k]["f1"] for k in ("rouge1", "rouge2", "rougeL")]
        print(f"  {r['id']:<12} {r['coverage']:5.0%} ({r['coverage_bullets']:4.0%}) {r['ceiling']:5.0%}"
              f" {r['oracle']:6.0%}   {f1[0]:.3f} {f1[1]:.3f} {f1[2]:.3f}   {r['words']:4d}/{r['of_words']:<4d}"
              f" ({r['share']:4.0%})  {r['lead_in_words']:3d}  {r['named']}/{r['nameable']}"
              f" (right {r['right_speaker']})  missed: {', '.join(r['missed'])}")
        if show:
            print("\n".join("      " + line for line in r["markdown"].splitlines()))


def markdown_table(recording: str, results: dict) -> str:
    lines = [f"# Draft summary records: {recording}", "",
             "| length | item | key terms | bullets only | ceiling | oracle | ROUGE-1 F1 | ROUGE-2 F1 "
             "| ROUGE-L F1 | words kept | share | lead-in words | named |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for length, rows in results.items():
        for r in rows:
            lines.append(
                f"| {length} | {r['id']} | {r['coverage']:.0%} | {r['coverage_bullets']:.0%} "
                f"| {r['ceiling']:.0%} | {r['oracle']:.0%} | {r['rouge']['rouge1']['f1']:.3f} "
                f"| {r['rouge']['rouge2']['f1']:.3f} | {r['rouge']['rougeL']['f1']:.3f} "
                f"| {r['words']}/{r['of_words']} | {r['share']:.1%} | {r['lead_in_words']} "
                f"| {r['named']}/{r['nameable']} |")
    return "\n".join(lines) + "\n"


def load_reference(path: Path | None) -> dict[str, str]:
    """Per item: the reference record's interventions, "Name (role): summary", joined."""
    if path is None or not path.exists():
        return {}
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {item["id"]: " ".join(e["summary"] for e in item["interventions"])
            for item in record["items"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("session", type=Path, help="a session folder with en/transcript.json")
    parser.add_argument("--build", type=Path, default=Path("benchmarks/panel/build"),
                        help="folder with agenda.yaml, truth.json and key_terms.json")
    parser.add_argument("--agenda", type=Path, help="default: BUILD/agenda.yaml")
    parser.add_argument("--reference", type=Path,
                        help="reference summary record; default: BUILD/summary.yaml, else "
                        "summary.yaml beside BUILD")
    parser.add_argument("--length", action="append", help="summary lengths to score "
                        "(repeat); default: the stage's default and 0.2")
    parser.add_argument("--voices", choices=("truth", "session"), default="truth")
    parser.add_argument("--sections", choices=("truth", "found"), default="truth",
                        help="score the drafts on the true item boundaries (the default: the "
                        "summariser alone) or on the segmenter's")
    parser.add_argument("--perturb", type=int, default=0, help="random schedules to try")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument("--markdown", type=Path, help="also write the summary table here")
    parser.add_argument("--show", action="store_true", help="print each item's draft")
    args = parser.parse_args(argv)

    session = Session.open(args.session, create=False)
    transcript = session.read_transcript("en")
    agenda = load_agenda(args.agenda or args.build / "agenda.yaml")
    truth_data = json.loads((args.build / "truth.json").read_text(encoding="utf-8"))
    truth = {i["id"]: i["start"] for i in truth_data["items"]}
    duration = float(truth_data.get("duration") or transcript.sentences[-1].end)
    key_path = args.build / "key_terms.json"
    key_terms = {item: joined(terms) for item, terms in json.loads(
        key_path.read_text(encoding="utf-8"))["items"].items()} if key_path.exists() else {}
    reference_path = args.reference or next(
        (p for p in (args.build / "summary.yaml", args.build.parent / "summary.yaml") if p.exists()),
        None)
    reference = load_reference(reference_path)
    seg_options = SegmentOptions()
    result: dict = {"session": args.session.name, "voices": args.voices,
                    "reference": str(reference_path) if reference_path else None}

    sections, found, scheduled = segment_errors(transcript, agenda, truth, duration, seg_options)
    print("Sections (seconds):  item  found  scheduled  true  |found-true|  |scheduled-true|")
    for s, f, d in zip(sections, found, scheduled):
        print(f"  {s.id:<12} {s.start:7.1f} {s.scheduled_start:7.1f} {truth[s.id]:7.1f}"
              f" {f:7.1f} {d:7.1f}  {s.method}")
    print(f"  mean error: found {statistics.mean(found):.1f} s, schedule {statistics.mean(scheduled):.1f} s")
    result["segment"] = {"found": found, "scheduled": scheduled}

    if key_terms:
        if args.voices == "truth":
            labelled, speakers = truth_voices(transcript, truth_data)
        else:
            labelled, speakers = transcript, session.read_speakers()
        result["summary"] = {}
        result["sections"] = args.sections
        if args.sections == "truth":
            sections = truth_sections(agenda, truth_data, duration)
        for length in args.length or [SummariseOptions().length, "0.2"]:
            options = SummariseOptions(length=length)
            rows = item_rows(labelled, speakers, sections, agenda, key_terms, reference,
                             truth_data, options)
            print_rows(length, rows, args.show)
            result["summary"][length] = rows
        if args.markdown:
            write_text(args.markdown, markdown_table(args.build.name if args.build.name != "build"
                                                     else args.build.parent.name, result["summary"]))

    if args.perturb:
        rng = random.Random(args.seed)
        runs = []
        print(f"\nPerturbed schedules (each item 20-90 s off its true start, seed {args.seed}):")
        for n in range(args.perturb):
            plan = perturbed(agenda, truth, rng, duration)
            _, f, d = segment_errors(transcript, plan, truth, duration, seg_options)
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
