"""The speaker stage in a session: labels in every language, names, speakers.yaml, bad input."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.formats.transcript import load


def _cli(*args):
    return CliRunner().invoke(main, [*args])


@pytest.fixture(scope="module")
def sample(tmp_path_factory, samples_dir, tiny_model_dir):
    """The sample transcribed with tiny.en (the agenda's glossary spelling names, as in 'run'),
    its voices found and named from the agenda."""
    out = tmp_path_factory.mktemp("speakers") / "session"
    done = _cli("transcribe", str(samples_dir / "session.ogg"), "--out", str(out),
                "--asr-model", str(tiny_model_dir), "--agenda", str(samples_dir / "agenda.yaml"),
                "-q")
    assert done.exit_code == 0, done.output
    found = _cli("speakers", str(out), "--agenda", str(samples_dir / "agenda.yaml"), "-q")
    assert found.exit_code == 0, found.output
    return out


@pytest.fixture
def copy(sample, tmp_path):
    return shutil.copytree(sample, tmp_path / "session")


def _speakers(folder) -> dict:
    return {s["label"]: s for s in json.loads((folder / "speakers.json").read_text())["speakers"]}


def _truth_speaker(sentences, turns) -> str:
    """The person who speaks most of ``sentences``, by the sample's truth turns."""
    said: dict[str, float] = {}
    for sentence in sentences:
        for turn in turns:
            overlap = min(sentence.end, turn["end"]) - max(sentence.start, turn["start"])
            if overlap > 0:
                said[turn["speaker"]] = said.get(turn["speaker"], 0.0) + overlap
    return max(said, key=said.get)


def test_every_sentence_has_a_voice_and_no_voice_a_wrong_name(sample, samples_dir):
    """tiny.en mishears some names ("Mr. David R. Cafford"), so not every voice is named;
    but every name given is the right person's, with the evidence that gave it."""
    english = load(sample / "en" / "transcript.json")
    assert all(s.speaker for s in english.sentences)
    voices = _speakers(sample)
    assert len(voices) == 4
    turns = json.loads((samples_dir / "truth.json").read_text())["turns"]
    named = {label: v for label, v in voices.items() if v["name"]}
    assert len(named) >= 2 and voices["S1"]["name"] == "Elena Marsh"
    for label, voice in named.items():
        truth = _truth_speaker([s for s in english.sentences if s.speaker == label], turns)
        assert voice["name"] in truth, (voice["name"], truth)
        assert voice["evidence"], voice                 # a name always says why
    text = (sample / "en" / "transcript.txt").read_text()
    assert "[00:00:00] Elena Marsh: " in text
    assert "<v Elena Marsh>" in (sample / "en" / "transcript.vtt").read_text()


def test_translations_carry_the_english_voices(copy, tiny_marian_dir):
    done = _cli("translate", str(copy), "--to", "fr", "--mt-model", f"fr={tiny_marian_dir('fr')}",
                "--threads", "1", "-q")
    assert done.exit_code == 0, done.output
    english, french = (load(copy / lang / "transcript.json") for lang in ("en", "fr"))
    assert [(s.id, s.speaker) for s in french.sentences] == \
        [(s.id, s.speaker) for s in english.sentences]
    assert "] Elena Marsh:" in (copy / "fr" / "transcript.txt").read_text()


def test_speakers_yaml_renames_without_listening_again(copy):
    unnamed = next(label for label, v in _speakers(copy).items() if not v["name"])
    (copy / "speakers.yaml").write_text(f"{unnamed}: {{name: Grace Wanjiru, role: Kenya}}\n")
    before = (copy / "en" / "transcript.json").read_bytes()
    done = _cli("speakers", str(copy), "-q")
    assert done.exit_code == 0, done.output
    voice = _speakers(copy)[unnamed]
    assert (voice["name"], voice["role"]) == ("Grace Wanjiru", "Kenya")
    assert voice["evidence"][0]["kind"] == "editor"
    manifest = json.loads((copy / "session.json").read_text())
    assert manifest["stages"]["speakers"]["counts"]["listened"] is False
    assert (copy / "en" / "transcript.json").read_bytes() == before   # the labels stay
    again = _cli("speakers", str(copy), "-q")
    assert "Up to date" in again.stderr


@pytest.mark.parametrize("content,message", [
    ("S2: {name: [Ana\n", r"speakers.yaml, line \d: not valid YAML"),
    ("S9: Ana Ruiz, OHCHR\n", r"speakers.yaml, line 1: there is no voice 'S9'"),
    ("S2: {name: Ana, age: 40}\n", r"speakers.yaml, line 1: give a name"),
])
def test_a_bad_speakers_yaml_is_one_sentence_and_loses_nothing(copy, content, message):
    (copy / "speakers.yaml").write_text(content)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file() and ".work" not in p.parts}
    done = _cli("speakers", str(copy), "-q")
    assert done.exit_code == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, done.stderr
    import re
    assert re.search(message, errors[0]), errors[0]
    after = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file() and ".work" not in p.parts}
    assert after == before


@pytest.mark.parametrize("value", ["0", "-2", "many"])
def test_a_bad_number_of_speakers_is_refused(copy, value):
    done = _cli("speakers", str(copy), "--speakers", value, "-q")
    assert done.exit_code == 2 and "--speakers" in done.stderr


def test_a_known_number_of_speakers_is_kept(copy):
    done = _cli("speakers", str(copy), "--speakers", "2", "-q")
    assert done.exit_code == 0, done.output
    assert len(_speakers(copy)) == 2
    labels = {s.speaker for s in load(copy / "en" / "transcript.json").sentences}
    assert labels == {"S1", "S2"}


def test_listening_again_starts_from_the_recognised_sentences(copy):
    """Two sentences of two voices made one (as a recogniser may hear them): the stage cuts
    it where the voice changes; listening again with one voice joins the pieces again."""
    from dataclasses import replace

    from pipeline.formats.transcript import Transcript, dumps
    from pipeline.session import Session

    session = Session.open(copy, create=False)
    english = session.read_transcript("en").sentences
    k = next(i for i in range(len(english) - 1)
             if english[i].speaker != english[i + 1].speaker
             and english[i].end - english[i].start > 2 and english[i + 1].end - english[i + 1].start > 2)
    one, two = english[k], english[k + 1]
    joined = replace(one, end=two.end, text=f"{one.text} {two.text}", words=one.words + two.words,
                     speaker=None)
    sentences = english[:k] + (joined,) + english[k + 2:]
    session.write_text("en/transcript.json", dumps(Transcript("en", sentences)), stage="transcribe")
    session.save()
    assert _cli("speakers", str(copy), "--force", "-q").exit_code == 0
    record = json.loads((copy / "session.json").read_text())["stages"]["speakers"]
    assert list(record["pieces"].values()) == [one.id]
    cut = load(copy / "en" / "transcript.json").sentences
    assert len(cut) == len(sentences) + 1
    assert _cli("speakers", str(copy), "--force", "--speakers", "1", "-q").exit_code == 0
    again = load(copy / "en" / "transcript.json").sentences
    assert [(s.id, s.words) for s in again] == [(s.id, s.words) for s in sentences]
