"""Agenda segmentation against truth: each item's error, with the schedule as written and perturbed.

For each transcribed SESSION (a folder where ``session-pipeline run`` or ``transcribe`` and
``speakers`` ran), the segmentation runs again in memory (nothing is written to the session)
with the recording's agenda, and every found item start is compared with ``truth.json``
(each item's first turn's start). The build folder holding ``agenda.yaml`` and ``truth.json``
is the one the session's recording came from (``--build`` to name another).

Printed per recording: per item the found, scheduled and true starts, the error and the cues
that placed the boundary; the maximum and mean error. Then, with ``--perturb N``, N schedules
of each kind, drawn at random (seeded) around the truth:

* ``jitter``: each item scheduled 20-90 s before or after its true start, independently;
* ``drift``: the meeting runs early or late by a delay that grows or shrinks item by item
  (each item's delay is the previous one's plus 30-150 s either way), so later items are
  off by minutes in one direction, as when one item overruns.

A run passes when every item is within 30 s of its true start and the mean error is at most
15 s; the tuning set (the panel and ``committee``) should keep every item within 15 s.

``--without-voices`` scores the transcript as if the speaker stage had not run.

Usage:
  .venv/bin/python benchmarks/segment_eval.py SESSION [SESSION ...] [--perturb 20]
      [--seed 0] [--build DIR] [--without-voices] [--json benchmarks/results/segment.json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.agenda import Agenda, load_agenda
from pipeline.formats.transcript import Transcript
from pipeline.segment import SegmentOptions, build_sections
from pipeline.session import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from records import write_json  # noqa: E402

TUNING = {"sample", "panel", "committee"}
"""Recordings the defaults may be tuned on; every other one is held out."""

PASS_MAX_S, PASS_MEAN_S = 30.0, 15.0


@dataclass(frozen=True)
class Case:
    """A transcribed recording with its agenda and true item starts."""

    name: str
    transcript: Transcript
    speakers: tuple
    agenda: Agenda
    truth: dict[str, float]
    duration: float

    @property
    def set(self) -> str:
        return "tuning" if self.name in TUNING else "held out"


def load_case(session_dir: Path, build: Path | None = None, voices: bool = True) -> Case:
    """The session's English transcript and speakers (``voices``: else as if the speaker stage
    had not run), its recording's agenda and truth."""
    session = Session.open(session_dir, create=False)
    audio = Path(session.manifest["input"]["path"])
    build = build or audio.parent
    truth_data = json.loads((build / "truth.json").read_text(encoding="utf-8"))
    transcript = session.read_transcript("en")
    if not voices:
        transcript = replace(transcript, sentences=tuple(
            replace(s, speaker=None) for s in transcript.sentences))
    duration = float(truth_data.get("duration") or transcript.sentences[-1].end)
    return Case(name=audio.stem, transcript=transcript,
                speakers=tuple(session.read_speakers()) if voices else (),
                agenda=load_agenda(build / "agenda.yaml"),
                truth={i["id"]: i["start"] for i in truth_data["items"]}, duration=duration)


def segment_errors(transcript: Transcript, agenda: Agenda, truth: dict[str, float],
                   duration: float, options: SegmentOptions, speakers=()):
    """The sections found, and per item the found and the scheduled start's error (seconds)."""
    sections = build_sections(transcript, agenda, options, duration, speakers=speakers)
    found = [abs(s.start - truth[s.id]) for s in sections]
    scheduled = [abs(s.scheduled_start - truth[s.id]) for s in sections]
    return sections, found, scheduled


def perturbed(agenda: Agenda, truth: dict[str, float], rng: random.Random,
              duration: float, low: float = 20, high: float = 90) -> Agenda:
    """The agenda with each item scheduled ``low``-``high`` s before or after its true start."""
    return _scheduled(agenda, truth, duration,
                      lambda k, attempt: rng.uniform(low, high) * rng.choice((-1, 1)))


def drifted(agenda: Agenda, truth: dict[str, float], rng: random.Random,
            duration: float, low: float = 30, high: float = 150) -> Agenda:
    """The agenda off by a delay that changes by ``low``-``high`` s either way from one item to
    the next (the first item's: ``low``-``high``/2 either way)."""
    delays = [rng.uniform(low, high / 2) * rng.choice((-1, 1))]
    for _ in agenda.items[1:]:
        delays.append(delays[-1] + rng.uniform(low, high) * rng.choice((-1, 1)))
    return _scheduled(agenda, truth, duration, lambda k, attempt: delays[k] if not attempt
                      else delays[k] + rng.uniform(-high, high))


def _scheduled(agenda: Agenda, truth: dict[str, float], duration: float, offset) -> Agenda:
    """Items scheduled at their true start plus ``offset(k, attempt)``, drawn again until the
    items are in order and within the recording."""
    items, previous = [], -1.0
    for k, item in enumerate(agenda.items):
        for attempt in range(200):
            start = round(truth[item.id] + offset(k, attempt))
            if 0 <= start <= duration + 60 and start > previous:
                break
        items.append(replace(item, start=float(start), pinned_start=None))
        previous = start
    return replace(agenda, items=tuple(items))


def passes(found: list[float]) -> bool:
    return max(found) <= PASS_MAX_S and statistics.mean(found) <= PASS_MEAN_S


def score(case: Case, options: SegmentOptions, show: bool = True) -> dict:
    """The agenda as written: per item found, scheduled and true start, error and evidence."""
    sections, found, scheduled = segment_errors(case.transcript, case.agenda, case.truth,
                                                case.duration, options, case.speakers)
    rows = [{"id": s.id, "found": round(s.start, 1), "scheduled": s.scheduled_start,
             "true": case.truth[s.id], "error": round(f, 1), "schedule_error": round(d, 1),
             "method": s.method, "evidence": list(s.evidence)}
            for s, f, d in zip(sections, found, scheduled)]
    if show:
        print(f"\n{case.name} ({case.set}): item  found  scheduled  true  |found-true|"
              "  |scheduled-true|  evidence")
        for r in rows:
            print(f"  {r['id']:<12} {r['found']:7.1f} {r['scheduled']:7.1f} {r['true']:7.1f}"
                  f" {r['error']:6.1f} {r['schedule_error']:7.1f}  {r['method']:<9}"
                  f" {'; '.join(r['evidence'])}")
        print(f"  max {max(found):.1f} s, mean {statistics.mean(found):.1f} s "
              f"(schedule: mean {statistics.mean(scheduled):.1f} s)")
    return {"set": case.set, "items": rows, "max": round(max(found), 1),
            "mean": round(statistics.mean(found), 2),
            "schedule_mean": round(statistics.mean(scheduled), 2)}


def perturb(case: Case, options: SegmentOptions, runs: int, seed: int, kind: str) -> dict:
    """``runs`` schedules of one kind (jitter or drift): per run the max and mean error."""
    rng, draw = random.Random(f"{seed}-{case.name}-{kind}"), {"jitter": perturbed,
                                                             "drift": drifted}[kind]
    out = []
    for _ in range(runs):
        plan = draw(case.agenda, case.truth, rng, case.duration)
        _, found, scheduled = segment_errors(case.transcript, plan, case.truth, case.duration,
                                             options, case.speakers)
        out.append({"found": [round(f, 1) for f in found],
                    "scheduled": [round(d, 1) for d in scheduled]})
    maxima = [max(r["found"]) for r in out]
    means = [statistics.mean(r["found"]) for r in out]
    summary = {"runs": out, "worst_max": max(maxima), "mean": round(statistics.mean(means), 2),
               "schedule_mean": round(statistics.mean(
                   statistics.mean(r["scheduled"]) for r in out), 2),
               "pass": sum(passes(r["found"]) for r in out),
               "within_15": sum(m <= 15 for m in maxima)}
    print(f"  {kind:<6} x{runs}: mean {summary['mean']:5.1f} s, worst item "
          f"{summary['worst_max']:6.1f} s (schedule mean {summary['schedule_mean']:5.1f} s); "
          f"{summary['pass']}/{runs} pass, {summary['within_15']}/{runs} every item within 15 s")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sessions", type=Path, nargs="+", help="transcribed session folders")
    parser.add_argument("--build", type=Path, help="folder with agenda.yaml and truth.json "
                        "(default: the recording's folder)")
    parser.add_argument("--perturb", type=int, default=0, help="random schedules of each kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--without-voices", action="store_true",
                        help="leave out the speaker labels, as when the speaker stage is off")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args(argv)

    options, result = SegmentOptions(), {}
    for session_dir in args.sessions:
        case = load_case(session_dir, args.build, voices=not args.without_voices)
        record = score(case, options)
        for kind in ("jitter", "drift") if args.perturb else ():
            record[kind] = perturb(case, options, args.perturb, args.seed, kind)
        result[case.name] = record
    if args.json:
        write_json(args.json, {"options": vars(options), "seed": args.seed,
                               "voices": not args.without_voices, "recordings": result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
