"""The transcription stage on real audio with the real tiny.en model."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from dataclasses import replace

import pytest
from helpers.recordings import spoken
from helpers.sessions import transcribe

from pipeline.errors import LanguageMismatchError
from pipeline.formats.transcript import load as load_transcript
from pipeline.session import Session
from pipeline.transcribe import TranscribeOptions
from pipeline.transcribe.stage import CHECKPOINT

pytestmark = pytest.mark.slow

# Measured on samples/session.ogg (184 s, 4 voices) with tiny.en, int8 on CPU, 60 s
# windows: WER 0.12 (check_wer.py's normalisation: lower case, hyphens as spaces, no
# punctuation). The bound leaves 5 points for other CPUs and library versions.
TINY_WER_BOUND = 0.17


def transcribe_session(session, recording, options, reporter=None, *, force=False):
    """The stage as the command calls it; the English transcript it left."""
    transcribe(session, recording, options, reporter, force=force)
    return session.read_transcript("en")


def normalise(text: str) -> str:
    text = text.lower().replace("%", " percent").replace("-", " ")
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text).split())


def wer(reference: str, hypothesis: str) -> float:
    import jiwer

    return jiwer.wer(normalise(reference), normalise(hypothesis))


@pytest.fixture(scope="module")
def sample_options(tiny_model_dir):
    return TranscribeOptions(asr_model=str(tiny_model_dir), window_s=60.0, window_search_s=10.0)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, samples_dir, sample_options):
    """One uninterrupted run over the sample, shared by the tests that only read it."""
    root = tmp_path_factory.mktemp("sample") / "out"
    session = Session.open(root)
    transcript = transcribe_session(session, samples_dir / "session.ogg", sample_options)
    return root, transcript


def test_the_sample_is_recognised_within_the_wer_bound(sample_run, samples_dir):
    _, transcript = sample_run
    reference = (samples_dir / "reference.txt").read_text(encoding="utf-8")
    assert wer(reference, transcript.text) < TINY_WER_BOUND
    assert "migration" in transcript.text.lower()


def test_sentences_and_words_keep_time_order(sample_run):
    root, transcript = sample_run
    sentences = transcript.sentences
    assert len(sentences) >= 15
    assert [s.id for s in sentences] == list(range(1, len(sentences) + 1))
    for sentence in sentences:
        assert 0 <= sentence.start <= sentence.end <= 184.2
        assert sentence.words and sentence.words[0].start == sentence.start
        assert all(w.start <= w.end for w in sentence.words)
    starts = [w.start for s in sentences for w in s.words]
    assert starts == sorted(starts)
    # later windows' words are shifted to recording time: speech reaches the last minute
    assert sentences[-1].end > 150


def test_the_manifest_records_input_model_and_timings(sample_run, samples_dir):
    root, transcript = sample_run
    manifest = json.loads((root / "session.json").read_text(encoding="utf-8"))
    assert manifest["input"]["name"] == "session.ogg"
    assert manifest["input"]["duration_s"] == pytest.approx(184.07, abs=0.5)
    assert len(manifest["input"]["sha256"]) == 64
    stage = manifest["stages"]["transcribe"]
    assert stage["status"] == "done"
    assert stage["models"]["asr"]["sha256"] and stage["models"]["asr"]["device"] == "cpu"
    assert stage["counts"]["windows"] >= 3
    assert stage["counts"]["sentences"] == len(transcript.sentences)
    assert 0 < stage["timings"]["real_time_factor"] < 2
    for relpath in stage["outputs"]:
        assert (root / relpath).is_file() and relpath in manifest["files"]
    assert load_transcript(root / "en" / "transcript.json") == transcript
    assert not (root / ".work" / CHECKPOINT).exists()


def test_a_current_stage_is_not_redone(sample_run, samples_dir, sample_options):
    root, transcript = sample_run
    session = Session.open(root)
    before = session.stage("transcribe")["finished"]
    again = transcribe_session(session, samples_dir / "session.ogg", sample_options)
    assert again == transcript
    assert Session.open(root).stage("transcribe")["finished"] == before


def test_a_stage_or_checkpoint_of_clips_grouped_otherwise_is_not_reused(
        sample_run, samples_dir, sample_options, monkeypatch, tmp_path):
    """A checkpoint counts clips: one made when clips were grouped otherwise would resume at
    the wrong clip, so the grouping is part of the stage's fingerprint."""
    import shutil

    import pipeline.transcribe.stage as stage

    root = tmp_path / "copy"
    shutil.copytree(sample_run[0], root)
    before = Session.open(root).stage("transcribe")["fingerprint"]
    monkeypatch.setattr(stage, "GROUPING", "in order")
    transcribe_session(Session.open(root), samples_dir / "session.ogg", sample_options)
    assert Session.open(root).stage("transcribe")["fingerprint"] != before


class _Interrupt(Exception):
    pass


class _StopAtFirstCheckpoint:
    """A reporter whose bar raises once a checkpoint has been saved: a killed run."""

    def __init__(self, checkpoint):
        self.checkpoint = checkpoint

    @contextmanager
    def bar(self, description, total, unit):
        checkpoint = self.checkpoint

        class Bar:
            def advance(self, amount=1):
                if checkpoint.exists():
                    raise _Interrupt()

            def set_total(self, total):
                pass
        yield Bar()


@pytest.mark.parametrize("window_s", [60.0, 600.0])
def test_a_killed_run_resumes_from_its_last_checkpoint(tmp_path, samples_dir, tiny_model_dir,
                                                       window_s):
    """With 10-minute windows the sample is one window, so the checkpoint falls between two
    clips of it; with 1-minute windows, at a window's end. Either way the resumed run
    decodes the audio from the start, skips what the checkpoint holds, and its transcript
    equals an uninterrupted run's."""
    options = TranscribeOptions(asr_model=str(tiny_model_dir), window_s=window_s,
                                window_search_s=10.0)
    whole = transcribe_session(Session.open(tmp_path / "whole"), samples_dir / "session.ogg",
                               options)
    root = tmp_path / "out"
    with pytest.raises(_Interrupt):
        transcribe_session(Session.open(root), samples_dir / "session.ogg", options,
                           _StopAtFirstCheckpoint(root / ".work" / CHECKPOINT))
    saved = json.loads((root / ".work" / CHECKPOINT).read_text(encoding="utf-8"))
    done_s = max(w[1] for w in saved["words"])
    assert 40 <= done_s <= 120, done_s              # about a minute of audio, not all of it
    if window_s == 600.0:
        assert saved["next_index"] == 0 and saved["next_clip"] > 0
    else:
        assert saved["next_index"] == 1 and saved["next_clip"] == 0
    assert not (root / "en").exists()

    resumed = transcribe_session(Session.open(root), samples_dir / "session.ogg", options)
    assert resumed == whole
    assert (root / "en" / "transcript.json").read_bytes() == \
        (tmp_path / "whole" / "en" / "transcript.json").read_bytes()


def test_a_foreign_or_broken_checkpoint_is_never_trusted(tmp_path, samples_dir, sample_options,
                                                        sample_run):
    root = tmp_path / "out"
    checkpoint = root / ".work" / CHECKPOINT
    checkpoint.parent.mkdir(parents=True)
    checkpoint.write_text('{"schema": "session-pipeline/transcribe-checkpoint/1", "fingerprint": '
                          '"other", "next_index": 2, "next_start_s": 120, "words": []}')
    short = replace(sample_options, window_s=120.0)
    first = transcribe_session(Session.open(root), samples_dir / "session.ogg", short)
    assert first.sentences[0].start < 5  # started from the beginning, not at 120 s
    checkpoint.write_text("{not json")
    again = transcribe_session(Session.open(root), samples_dir / "session.ogg", short, force=True)
    assert again == first


def test_french_speech_is_refused_by_a_multilingual_model(tmp_path, french_wav):
    from pipeline.transcribe.models import asr_model_status

    if not asr_model_status("base")[0]:
        pytest.skip("the multilingual base model is not available offline here")
    options = TranscribeOptions(asr_model="base")
    with pytest.raises(LanguageMismatchError, match=r"is French \(p=0\.\d\d\), not English"):
        transcribe_session(Session.open(tmp_path / "out"), french_wav, options)
    assert not (tmp_path / "out" / "en").exists()
    assert not (tmp_path / "out" / "session.json").exists()


def test_the_language_is_heard_in_the_first_clip_without_a_pass_of_its_own(
        tmp_path, long_french_wav, samples_dir, monkeypatch):
    """With a multilingual model the language check needs no encoder pass of its own: the
    first clip's decoding tells the language (French refused before any word is kept,
    English accepted), and faster-whisper's separate detection is never called."""
    from faster_whisper import WhisperModel

    from pipeline.transcribe.models import asr_model_status

    if not asr_model_status("base")[0]:
        pytest.skip("the multilingual base model is not available offline here")
    detections = []
    detect = WhisperModel.detect_language
    monkeypatch.setattr(WhisperModel, "detect_language",
                        lambda *a, **k: detections.append(1) or detect(*a, **k))
    options = TranscribeOptions(asr_model="base")
    with pytest.raises(LanguageMismatchError, match=r"is French \(p=0\.\d\d\), not English"):
        transcribe_session(Session.open(tmp_path / "fr"), long_french_wav, options)
    assert not (tmp_path / "fr" / "en").exists()
    english = Session.open(tmp_path / "en")
    transcribe_session(english, samples_dir / "session.ogg", options)
    language = english.stage("transcribe")["language"]
    assert language["language"] == "en" and language["probability"] > 0.5
    assert detections == []


FRENCH = ("Bonjour à tous. Je donne la parole à la représentante du Kenya. Merci, madame la "
          "présidente. Le comité examine la situation des travailleurs migrants et de leurs "
          "familles dans tous les pays qui ont ratifié la convention.")


@pytest.fixture(scope="module")
def long_french_wav(tmp_path_factory):
    """French speech long enough (about 30 s) for the first clip to tell its language."""
    more = (" Nous avons reçu le rapport initial et les réponses écrites à la liste de points. "
            "La délégation présentera les mesures prises depuis le dernier dialogue avec le "
            "comité, en particulier pour les femmes employées comme travailleuses domestiques.")
    return spoken(tmp_path_factory.mktemp("fr-long") / "fr.wav", FRENCH + more, "fr")


@pytest.fixture(scope="module")
def french_wav(tmp_path_factory):
    return spoken(tmp_path_factory.mktemp("fr") / "fr.wav", FRENCH, "fr")


def test_french_speech_through_the_english_only_model_is_not_called_silence(tmp_path, french_wav,
                                                                           tiny_model_dir):
    options = TranscribeOptions(asr_model=str(tiny_model_dir))
    with pytest.raises(LanguageMismatchError, match="no recognisable English"):
        transcribe_session(Session.open(tmp_path / "out"), french_wav, options)
    assert not (tmp_path / "out" / "en").exists()


@pytest.mark.parametrize("words,speech_s,few", [
    (0, 12.0, True),       # nothing kept of 12 s of speech
    (4, 12.0, True),       # a handful of doubtful words: too few to be English speech
    (15, 12.0, False),     # a slow English speaker
    (3, 4.0, False),       # too little speech to judge
    (30, 60.0, False),     # enough words for the text check, which judges them instead
])
def test_an_english_only_model_keeping_too_few_words_is_a_language_question(words, speech_s,
                                                                            few):
    from pipeline.transcribe.language import too_few_words

    assert too_few_words(words, speech_s) is few


@pytest.mark.parametrize("text, loop", [
    ("I'm not sure if I'm going to do it. I'm not sure if I'm going to do it. "
     "I'm not sure if I'm going to do it.", True),
    ("We agree on the text. We agree on the text! we agree on the text?", True),
    ("Thank you. Thank you. Thank you.", False),            # short words are said again
    ("We agree on the text. We agree on the text. The motion is carried.", False),
    ("The committee met twice. It adopted the report. The committee met twice.", False),
])
def test_a_sentence_said_three_times_in_a_row_is_a_loop(text, loop):
    from pipeline.transcribe.engine import _repeats

    assert _repeats(text) is loop
