"""Speaker attribution with the real voice encoder on the bundled sample's real audio."""

from __future__ import annotations

import json
import sys
import wave
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from helpers.sessions import transcribe

from pipeline.agenda import load_agenda
from pipeline.audio import read
from pipeline.formats.transcript import Sentence, Transcript
from pipeline.session import Session
from pipeline.speakers import (
    SpeakerOptions,
    find_voices,
    known_people,
    name_voices,
    speaker_hint,
)
from pipeline.transcribe import TranscribeOptions

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import der  # noqa: E402

pytestmark = pytest.mark.slow

# Measured with tiny.en sentences: 4 voices, 98% of the speech time on the right voice,
# no wrong name. The bounds leave room for other CPUs and library versions.
RIGHT_VOICE_BOUND = 0.90


@pytest.fixture(scope="module")
def sample_transcript(tmp_path_factory, samples_dir, tiny_model_dir) -> Transcript:
    session = Session.open(tmp_path_factory.mktemp("speakers") / "out")
    options = TranscribeOptions(asr_model=str(tiny_model_dir), window_s=60.0, window_search_s=10.0)
    transcribe(session, samples_dir / "session.ogg", options)
    return session.read_transcript("en")


@pytest.fixture(scope="module")
def truth(samples_dir) -> list[dict]:
    return json.loads((samples_dir / "truth.json").read_text(encoding="utf-8"))["turns"]


@pytest.fixture(scope="module")
def sample_voices(sample_transcript, samples_dir):
    known = known_people(load_agenda(samples_dir / "agenda.yaml"))
    voices = find_voices(samples_dir / "session.ogg", sample_transcript, hint=speaker_hint(known))
    return voices, name_voices(voices, known)


def test_the_sample_has_four_voices_and_its_speech_is_on_the_right_one(sample_voices, truth):
    voices, _ = sample_voices
    assert len(voices.speakers) == len({t["voice"] for t in truth}) == 4
    reference = [der.Turn(t["voice"], t["start"], t["end"]) for t in truth]
    hypothesis = [der.Turn(t.speaker, t.start, t.end) for t in voices.turns]
    assert der.right_voice_share(reference, hypothesis) >= RIGHT_VOICE_BOUND
    assert der.der(reference, hypothesis).der <= 1 - RIGHT_VOICE_BOUND
    assert voices.encoder["name"] == "resemblyzer" and len(voices.encoder["sha256"]) == 64


def test_every_word_is_kept_and_given_one_voice(sample_voices, sample_transcript):
    voices, _ = sample_voices
    said = [w for s in voices.sentences for w in s.sentence.words]
    assert said == [w for s in sample_transcript.sentences for w in s.words]
    assert {s.speaker for s in voices.sentences} == {s.label for s in voices.speakers}
    assert sum(t.end - t.start for t in voices.turns) > 0.8 * sum(
        s.end - s.start for s in sample_transcript.sentences)


def test_no_sentences_no_voices(samples_dir):
    assert find_voices(samples_dir / "session.ogg", Transcript("en", ())).speakers == ()


def test_the_names_given_on_the_sample_are_right(sample_voices, truth):
    voices, speakers = sample_voices
    names = {s.label: s.name or "" for s in speakers}
    reference = [der.Turn(t["speaker"], t["start"], t["end"]) for t in truth]
    named = [der.Turn(names[t.speaker], t.start, t.end) for t in voices.turns]
    right, wrong = der.name_shares(reference, named)
    assert wrong == 0.0
    assert right >= 0.5                      # the chair at least, who introduces herself
    chair = next(s for s in speakers if s.name == "Elena Marsh")
    assert chair.role == "Chair"
    assert any(e.kind == "self-introduction" for e in chair.evidence)


def test_one_voice_gives_one_speaker(tmp_path, sample_transcript, samples_dir, truth):
    end = truth[2]["start"] - 1.0                          # the chair's opening, alone
    excerpt = tmp_path / "chair.wav"
    write_wav(excerpt, read(samples_dir / "session.ogg", end_s=end))
    alone = Transcript("en", tuple(s for s in sample_transcript.sentences if s.end <= end))
    assert len(alone.sentences) >= 3
    voices = find_voices(excerpt, alone)
    assert [s.label for s in voices.speakers] == ["S1"]
    assert {s.speaker for s in voices.sentences} == {"S1"}


def test_a_sentence_is_split_where_the_voice_changes(sample_transcript, samples_dir, truth):
    change = truth[5]["start"]                              # the chair hands over to Lindqvist
    before = max((s for s in sample_transcript.sentences if s.end < change), key=lambda s: s.end)
    after = min((s for s in sample_transcript.sentences if s.start > change - 0.5),
                key=lambda s: s.start)
    merged = Sentence(before.id, before.start, after.end, f"{before.text} {after.text}",
                      before.words + after.words)
    sentences = [s for s in sample_transcript.sentences if s.id != after.id]
    sentences[sentences.index(before)] = merged
    voices = find_voices(samples_dir / "session.ogg", replace(sample_transcript,
                                                             sentences=tuple(sentences)))
    pieces = [s for s in voices.sentences if s.split_from == merged.id]
    assert len(pieces) == 2
    head, tail = pieces
    assert head.sentence.id == merged.id
    assert tail.sentence.id > max(s.id for s in sentences)
    assert head.speaker != tail.speaker
    assert head.sentence.words == before.words            # cut at the first word of the
    assert tail.sentence.words == after.words              # new voice, not a word off
    previous = voices.sentences[voices.sentences.index(head) - 1]
    assert previous.speaker == head.speaker                 # still the chair before the cut
    assert sum(1 for s in voices.sentences if s.split_from is not None) == 2


def test_the_encoder_threads_do_not_change_the_voices(sample_transcript, samples_dir,
                                                      sample_voices):
    two = find_voices(samples_dir / "session.ogg", sample_transcript,
                      options=SpeakerOptions(threads=2), hint=3)
    assert [s.speaker for s in two.sentences] == [s.speaker for s in sample_voices[0].sentences]


def write_wav(path: Path, samples: np.ndarray, rate: int = 16000) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
