"""Speaker attribution as users run it: the stage's own outputs scored against each recording's truth."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
CACHE = RESULTS / "cache" / "speakers"
CLI = [sys.executable, "-m", "pipeline"]
"""The pipeline of this checkout (not whichever one the environment's console script imports)."""
CLI_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import der  # noqa: E402
from records import write_json, write_text  # noqa: E402
from run import machine, measure, repeated_recording  # noqa: E402

USAGE = """\
  .venv/bin/python benchmarks/speakers.py [--recordings panel,committee] [--stage] [--again]
  .venv/bin/python benchmarks/speakers.py --long 30,180

Each recording is run once as users run it (session-pipeline run REC --agenda AGENDA --out
DIR --to none; the folder is kept in benchmarks/results/cache/speakers/NAME), then scored
from DIR/speakers.json and the labels in DIR/en/transcript.json. --stage runs the speaker
stage again on the kept folder first (session-pipeline speakers DIR --agenda AGENDA --force),
in its own timed process; --again runs the whole pipeline again. Writes
benchmarks/results/speakers.json and .md (speakers-long.* for --long)."""

TUNING = ("sample", "panel", "committee")
"""Recordings the defaults may be tuned on; every other one is held out."""


# ---------------------------------------------------------------- recordings

def recordings() -> dict[str, dict]:
    """name -> {audio, truth, agenda}: the sample, the panel (if generated) and every folder
    of benchmarks/recordings/ whose build/ holds a truth.json."""
    found = {"sample": _recording(ROOT / "samples", "session.ogg")}
    if (HERE / "panel" / "build" / "truth.json").exists():
        found["panel"] = _recording(HERE / "panel" / "build", "panel.ogg")
    for folder in sorted(p for p in (HERE / "recordings").glob("*/build") if p.is_dir()):
        if (folder / "truth.json").exists():
            found[folder.parent.name] = _recording(folder, f"{folder.parent.name}.ogg")
    return found


def _recording(folder: Path, audio: str) -> dict:
    return {"audio": folder / audio, "truth": folder / "truth.json",
            "agenda": folder / "agenda.yaml"}


# ---------------------------------------------------------------- running the pipeline

def run_pipeline(name: str, recording: dict, again: bool) -> tuple[Path, dict]:
    """The session folder of ``recording`` after ``session-pipeline run`` (run once, kept),
    and the timing of that run's process."""
    out = CACHE / name
    timing = out / "run-timing.json"
    if timing.exists() and not again:
        return out, json.loads(timing.read_text(encoding="utf-8"))
    if not again and _finished(out):
        # Transcribed elsewhere and copied here: the manifest's stage times, no process figures.
        return out, {"process": "not measured", "stages": stage_times(out)}
    result = _timed([*CLI, "run", str(recording["audio"]), "--agenda",
                     str(recording["agenda"]), "--out", str(out), "--to", "none", "--quiet"]
                    + (["--force"] if again else []), f"run of {name}")
    result["stages"] = stage_times(out)
    timing.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return out, result


def _finished(session: Path) -> bool:
    """Whether ``session`` holds a finished transcription and speaker stage."""
    try:
        stages = json.loads((session / "session.json").read_text(encoding="utf-8"))["stages"]
    except (OSError, ValueError, KeyError):
        return False
    return all((stages.get(name) or {}).get("status") == "done"
               for name in ("transcribe", "speakers"))


def rerun_stage(name: str, session: Path, recording: dict) -> dict:
    """``session-pipeline speakers --force`` on the kept folder, in its own timed process
    (the stage joins the sentences it cut before listening again)."""
    result = _timed([*CLI, "speakers", str(session), "--agenda", str(recording["agenda"]),
                     "--force", "--quiet"], f"speaker stage of {name}")
    result["stages"] = stage_times(session)
    (session / "stage-timing.json").write_text(json.dumps(result, indent=1) + "\n",
                                               encoding="utf-8")
    return result


def _timed(command: list[str], what: str) -> dict:
    load = os.getloadavg()
    result = measure(command, env=CLI_ENV)
    if result["exit"] != 0:
        raise SystemExit(f"The {what} failed: {result.get('error')}")
    result.pop("stdout", None)
    result["load_average_at_start"] = [round(x, 2) for x in load]
    result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return result


# ---------------------------------------------------------------- what the pipeline wrote

def hypothesis(session: Path) -> tuple[list[der.Turn], dict[str, dict]]:
    """The turns of the English transcript's labels (as the pipeline forms them) and each
    label's record in speakers.json."""
    from pipeline.formats import speakers as speakers_io
    from pipeline.formats import transcript as transcript_io
    from pipeline.speakers import SpeakerOptions, SpokenSentence, assign

    transcript = transcript_io.load(session / "en" / "transcript.json")
    spoken = [SpokenSentence(s, s.speaker) for s in transcript.sentences if s.speaker]
    turns = assign.turns(spoken, SpeakerOptions().turn_gap_s)
    speakers = speakers_io.loads((session / "speakers.json").read_text(encoding="utf-8"))
    return ([der.Turn(t.speaker, t.start, t.end) for t in turns],
            {s.label: s.to_record() for s in speakers})


def reference(truth_path: Path, key: str) -> list[der.Turn]:
    """The truth's turns by ``key`` (voice or speaker), sentence by sentence where the truth
    gives each sentence's span (the pauses inside a turn are not speech)."""
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    out = []
    for turn in truth["turns"]:
        spans = turn.get("spans") or [[turn["start"], turn["end"]]]
        out += [der.Turn(turn[key], start, end) for start, end in spans]
    return out


def stage_times(session: Path) -> dict:
    """What the manifest records of the transcription and speaker stages: wall seconds
    (``seconds``), and the speaker stage's CPU seconds."""
    manifest = json.loads((session / "session.json").read_text(encoding="utf-8"))
    transcribe = manifest["stages"].get("transcribe") or {}
    speakers = manifest["stages"]["speakers"]
    out = {"audio_s": manifest["input"]["duration_s"], "speakers_s": speakers["seconds"],
           "speakers_cpu_s": (speakers.get("timings") or {}).get("cpu_s")}
    if transcribe.get("seconds"):
        out["transcribe_s"] = transcribe["seconds"]
        out["speakers_vs_transcribe"] = round(speakers["seconds"] / transcribe["seconds"], 3)
    return out


# ---------------------------------------------------------------- scores

def score(session: Path, truth_path: Path) -> dict:
    """DER, right voice, right and wrong names (by time and by label) of one session."""
    hyp, labels = hypothesis(session)
    voices, people = reference(truth_path, "voice"), reference(truth_path, "speaker")
    named = [der.Turn(labels[t.speaker]["name"] or "", t.start, t.end) for t in hyp]
    errors = der.der(voices, hyp)
    right, wrong = der.name_shares(people, named)
    per_label = label_table(hyp, voices, people, labels)
    return {
        "der": round(errors.der, 4), "missed_s": round(errors.missed_s, 1),
        "false_alarm_s": round(errors.false_alarm_s, 1),
        "confusion_s": round(errors.confusion_s, 1),
        "right_voice": round(der.right_voice_share(voices, hyp), 4),
        "named_right": round(right, 4), "named_wrong": round(wrong, 4),
        "voices_true": len({t.speaker for t in voices}),
        "people_true": len({t.speaker for t in people}), "voices_found": len(labels),
        "named": sum(1 for r in labels.values() if r["name"]),
        "wrong_labels": [f"{r['label']}={r['name']} (is {r['person']})"
                         for r in per_label if r["wrong"]],
        "labels": per_label,
    }


def label_table(hyp, voices, people, labels: dict[str, dict]) -> list[dict]:
    """Per label: talk time, the true voice and person it is mostly on, its name and the
    evidence kinds, and whether the name is someone else's."""
    rows = []
    for label, record in labels.items():
        mine = [t for t in hyp if t.speaker == label]
        voice, voice_share = _mostly(mine, voices)
        person, _ = _mostly(mine, people)
        name = record["name"]
        rows.append({"label": label, "talk_s": round(sum(t.end - t.start for t in mine), 1),
                     "voice": voice, "voice_share": voice_share, "person": person, "name": name,
                     "evidence": sorted({e["kind"] for e in record["evidence"]}),
                     "wrong": bool(name) and der.name_key(name) != der.name_key(person or "")})
    return rows


def _mostly(turns: list[der.Turn], truth: list[der.Turn]) -> tuple[str | None, float]:
    """The truth speaker sharing most time with ``turns``, and the share of their time."""
    shared: dict[str, float] = {}
    for t in turns:
        for r in truth:
            overlap = min(t.end, r.end) - max(t.start, r.start)
            if overlap > 0:
                shared[r.speaker] = shared.get(r.speaker, 0.0) + overlap
    if not shared:
        return None, 0.0
    best = max(shared, key=shared.get)
    return best, round(shared[best] / sum(shared.values()), 3)


# ---------------------------------------------------------------- long recordings

def long_memory(minutes: list[float]) -> dict:
    """The speaker stage (``session-pipeline speakers --force``) on the sample repeated, in a
    session folder whose transcript is the sample's repeated with the same offsets (so no
    long transcription is needed): peak memory must not grow with the length."""
    sample, _ = run_pipeline("sample", recordings()["sample"], False)
    rows = []
    for length in minutes:
        audio, _ = repeated_recording(length)
        session = _long_session(sample, audio)
        result = _timed([*CLI, "speakers", str(session), "--agenda",
                         str(ROOT / "samples" / "agenda.yaml"), "--force", "--quiet"],
                        f"speaker stage on {length} minutes")
        times = stage_times(session)
        speakers = json.loads((session / "speakers.json").read_text(encoding="utf-8"))["speakers"]
        rows.append({"minutes": round(times["audio_s"] / 60, 1), **result,
                     "stage_s": times["speakers_s"], "stage_cpu_s": times["speakers_cpu_s"],
                     "voices_found": len(speakers), "named": [s["name"] for s in speakers]})
        print(f"  {rows[-1]['minutes']} min: {result['peak_rss_mb']} MB, "
              f"{result['wall_s']} s", file=sys.stderr)
    return {"rows": rows}


def _long_session(sample: Path, audio: Path) -> Path:
    """A session folder for ``audio`` (the sample repeated) holding the sample's English
    transcript repeated to its length."""
    from dataclasses import replace

    from pipeline.audio.recording import inspect_recording
    from pipeline.formats import transcript as transcript_io
    from pipeline.formats.transcript import Transcript
    from pipeline.session import Session

    one = transcript_io.load(sample / "en" / "transcript.json")
    period = inspect_recording(ROOT / "samples" / "session.ogg").duration_s
    recording = inspect_recording(audio)
    copies = max(1, round(recording.duration_s / period))
    sentences, ident = [], 1
    for k in range(copies):
        for s in one.sentences:
            shift = k * period
            words = tuple(replace(w, start=w.start + shift, end=w.end + shift) for w in s.words)
            sentences.append(replace(s, id=ident, start=s.start + shift, end=s.end + shift,
                                     words=words, speaker=None))
            ident += 1
    session = Session.open(CACHE / f"long-{copies}")
    session.manifest["input"] = recording.to_record()
    session.write_text("en/transcript.json", transcript_io.dumps(
        Transcript(one.language, tuple(sentences))), stage="transcribe")
    session.save()
    return session.root


# ---------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, epilog=USAGE,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recordings", help="comma-separated names (default: all with truth)")
    parser.add_argument("--stage", action="store_true",
                        help="run the speaker stage again on each kept session folder first")
    parser.add_argument("--again", action="store_true", help="run the whole pipeline again")
    parser.add_argument("--long", help="minutes, comma-separated: peak memory on long audio")
    args = parser.parse_args()
    data = {"measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine()}
    if args.long:
        data["long"] = long_memory([float(m) for m in args.long.split(",")])
        _write("speakers-long", data)
        return
    available = recordings()
    names = args.recordings.split(",") if args.recordings else list(available)
    data["recordings"] = {}
    for name in names:
        data["recordings"][name] = one_recording(name, available[name], args)
    data["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    _write("speakers", data)


def one_recording(name: str, recording: dict, args) -> dict:
    session, run = run_pipeline(name, recording, args.again)
    stage = rerun_stage(name, session, recording) if args.stage else None
    row = {"set": "tuning" if name in TUNING else "held out", "run": run,
           "stage_again": stage, **score(session, recording["truth"])}
    print(f"{name}: DER {row['der']:.3f}, right voice {row['right_voice']:.3f}, named right "
          f"{row['named_right']:.3f}, wrong {row['wrong_labels']}, voices {row['voices_found']}"
          f" ({row['voices_true']}), stage {run['stages']['speakers_vs_transcribe']:.2f} x "
          "transcription in the run", file=sys.stderr)
    return row


def _write(stem: str, data: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    write_json(RESULTS / f"{stem}.json", data)
    write_text(RESULTS / f"{stem}.md", report(data))


def report(data: dict) -> str:
    """The results as Markdown tables."""
    m = data["machine"]
    lines = [f"Measured {data['measured']} on {m['cpu']}, {m['logical_cores']} logical cores "
             f"(load average {m['load_average_at_start'][0]} at start).", ""]
    if "long" in data:
        lines += ["| minutes | peak RSS MB | process wall s | CPU s | stage s | voices | load |",
                  "|---:|---:|---:|---:|---:|---:|---:|"]
        lines += [f"| {r['minutes']} | {r['peak_rss_mb']:.0f} | {r['wall_s']} | {r['cpu_s']} | "
                  f"{r['stage_s']} | {r['voices_found']} | {r['load_average_at_start'][0]} |"
                  for r in data["long"]["rows"]]
        return "\n".join(lines) + "\n"
    lines += [f"Tuning set (the defaults may be tuned on it): {', '.join(TUNING)}; every other "
              "recording is held out.", ""]
    lines += _score_table(data["recordings"]) + [""] + _time_table(data["recordings"])
    if any(r["run"].get("process") == "not measured" for r in data["recordings"].values()):
        lines += ["", "Where run CPU s is –, the session was transcribed by an earlier run whose "
                  "process was not measured; its stage times are those its manifest records."]
    return "\n".join(lines) + "\n"


def _score_table(rows: dict) -> list[str]:
    lines = ["| recording | set | DER % | right voice % | right name % | wrong name % | "
             "voices found (true) | named | wrong names |",
             "|---|---|---:|---:|---:|---:|---|---:|---|"]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['set']} | {100 * r['der']:.1f} | "
                     f"{100 * r['right_voice']:.1f} | {100 * r['named_right']:.1f} | "
                     f"{100 * r['named_wrong']:.1f} | {r['voices_found']} ({r['voices_true']}) | "
                     f"{r['named']} | {', '.join(r['wrong_labels']) or 'none'} |")
    return lines


def _time_table(rows: dict) -> list[str]:
    lines = ["| recording | minutes | transcription s | speaker stage s | × transcription | "
             "stage CPU s | run CPU s | load | stage again s | × transcription | its CPU s | "
             "process peak MB | load |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows.items():
        run, again = r["run"], r["stage_again"] or {}
        stages, later = run["stages"], again.get("stages") or {}
        lines.append(
            f"| {name} | {stages['audio_s'] / 60:.1f} | {stages['transcribe_s']:.1f} | "
            f"{stages['speakers_s']:.1f} | {stages['speakers_vs_transcribe']:.2f} | "
            f"{stages['speakers_cpu_s'] or '–'} | {run.get('cpu_s', '–')} | "
            f"{(run.get('load_average_at_start') or ['–'])[0]} | "
            f"{later.get('speakers_s', '–')} | {later.get('speakers_vs_transcribe', '–')} | "
            f"{later.get('speakers_cpu_s', '–')} | {again.get('peak_rss_mb', '–')} | "
            f"{(again.get('load_average_at_start') or ['–'])[0]} |")
    return lines


if __name__ == "__main__":
    main()
