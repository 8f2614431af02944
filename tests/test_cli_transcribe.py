"""``session-pipeline transcribe``: the happy path and every bad input, through click."""

from __future__ import annotations

import os
import wave

import numpy as np
import pytest
from click.testing import CliRunner
from helpers.recordings import spoken

from pipeline.cli import main

RATE = 16000


def write_wav(path, samples: np.ndarray, channels: int = 1) -> None:
    data = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(channels)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        handle.writeframes(data.tobytes())


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory):
    return spoken(tmp_path_factory.mktemp("speech") / "speech.wav",
                  "Good morning. I now give the floor to the delegate of Kenya. "
                  "Thank you, Madam Chair.", "en-us", "-s", "150")


def run(args, **env):
    result = CliRunner().invoke(main, ["transcribe", *map(str, args)], env=env or None)
    return result


def one_sentence_error(result) -> str:
    assert result.exit_code != 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.slow
def test_transcribe_writes_the_english_files(tmp_path, speech_wav):
    out = tmp_path / "out"
    result = run([speech_wav, "--out", out, "--asr-model", "tiny.en", "--quiet"])
    assert result.exit_code == 0, result.output
    printed = [line for line in result.stdout.splitlines() if line]
    assert [os.path.basename(p) for p in printed] == [
        f"transcript.{ext}" for ext in ("json", "srt", "vtt", "txt", "md")]
    assert all(os.path.isfile(p) for p in printed)
    text = (out / "en" / "transcript.txt").read_text(encoding="utf-8").lower()
    assert "floor" in text and "kenya" in text
    assert "Transcribed" in result.stderr and "sentences" in result.stderr
    assert "Transcribing" not in result.stderr  # --quiet: no bar


@pytest.mark.slow
def test_a_channel_out_of_range_and_an_interpreter_channel(tmp_path, speech_wav):
    with wave.open(str(speech_wav)) as handle:
        rate = handle.getframerate()
        mono = np.frombuffer(handle.readframes(handle.getnframes()), "<i2").astype(np.float32) / 32767
    stereo = np.stack([mono, np.zeros_like(mono)], axis=1).reshape(-1)
    path = tmp_path / "stereo.wav"
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(2)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes((stereo * 32767).astype("<i2").tobytes())
    error = one_sentence_error(run([path, "--out", tmp_path / "a", "--channel", "2",
                                    "--asr-model", "tiny.en", "-q"]))
    assert "Channel 2" in error
    silent = one_sentence_error(run([path, "--out", tmp_path / "b", "--channel", "1",
                                     "--asr-model", "tiny.en", "-q"]))
    assert "No speech" in silent and not (tmp_path / "b").exists()
    good = run([path, "--out", tmp_path / "c", "--channel", "0", "--asr-model", "tiny.en", "-q"])
    assert good.exit_code == 0, good.output


@pytest.fixture
def existing_session(tmp_path):
    """A session folder that holds earlier work, which a failed run must not touch."""
    out = tmp_path / "session"
    (out / "en").mkdir(parents=True)
    (out / "en" / "transcript.txt").write_text("earlier work\n", encoding="utf-8")
    return out


def assert_intact(out) -> None:
    assert (out / "en" / "transcript.txt").read_text(encoding="utf-8") == "earlier work\n"
    assert not (out / "en" / "transcript.json").exists()


def test_missing_recording(tmp_path, existing_session):
    error = one_sentence_error(run([tmp_path / "nope.ogg", "--out", existing_session]))
    assert "does not exist" in error
    assert_intact(existing_session)


def test_a_folder_is_not_a_recording(tmp_path, existing_session):
    error = one_sentence_error(run([tmp_path, "--out", existing_session]))
    assert "folder" in error
    assert_intact(existing_session)


def test_a_text_file_is_not_audio(tmp_path, existing_session):
    path = tmp_path / "notes.ogg"
    path.write_text("minutes of the meeting\n" * 50, encoding="utf-8")
    one_sentence_error(run([path, "--out", existing_session]))
    assert_intact(existing_session)


def test_a_truncated_recording(tmp_path, samples_dir, existing_session):
    path = tmp_path / "cut.ogg"
    path.write_bytes((samples_dir / "session.ogg").read_bytes()[:300])
    one_sentence_error(run([path, "--out", existing_session, "--asr-model", "tiny.en"]))
    assert_intact(existing_session)


def test_an_empty_file_and_zero_length_audio(tmp_path, existing_session):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert "empty" in one_sentence_error(run([empty, "--out", existing_session]))
    zero = tmp_path / "zero.wav"
    write_wav(zero, np.zeros(0, np.float32))
    one_sentence_error(run([zero, "--out", existing_session, "--asr-model", "tiny.en"]))
    assert_intact(existing_session)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["silence", "noise"])
def test_no_speech_leaves_no_files(tmp_path, kind, existing_session):
    rng = np.random.default_rng(7)
    audio = np.zeros(RATE * 8, np.float32) if kind == "silence" else \
        (rng.standard_normal(RATE * 8) * 0.05).astype(np.float32)
    path = tmp_path / f"{kind}.wav"
    write_wav(path, audio)
    out = tmp_path / "fresh"
    error = one_sentence_error(run([path, "--out", out, "--asr-model", "tiny.en", "-q"]))
    assert "No speech was found" in error
    assert not out.exists()
    one_sentence_error(run([path, "--out", existing_session, "--asr-model", "tiny.en", "-q"]))
    assert_intact(existing_session)
    assert not (existing_session / "session.json").exists()


def test_an_output_folder_that_cannot_be_made(tmp_path, speech_wav):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file, not a folder\n", encoding="utf-8")
    error = one_sentence_error(run([speech_wav, "--out", blocker / "sub", "--asr-model", "tiny.en"]))
    assert "file.txt" in error
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder\n"


def test_an_unknown_model_name(tmp_path, speech_wav, existing_session):
    error = one_sentence_error(run([speech_wav, "--out", existing_session, "--asr-model", "huge"]))
    assert "Unknown speech model 'huge'" in error and "tiny.en" in error
    assert_intact(existing_session)


def test_a_model_not_available_offline(tmp_path, speech_wav, existing_session):
    result = run([speech_wav, "--out", existing_session, "--asr-model", "large-v3"],
                 HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "hf"),
                 HF_HUB_CACHE=str(tmp_path / "hf" / "hub"))
    error = one_sentence_error(result)
    assert "'large-v3' is not on this machine" in error and "--asr-model" in error
    assert_intact(existing_session)


def test_a_missing_vocabulary_file(tmp_path, speech_wav, existing_session):
    error = one_sentence_error(run([speech_wav, "--out", existing_session,
                                    "--vocabulary", tmp_path / "terms.txt"]))
    assert "terms.txt does not exist" in error
    assert_intact(existing_session)


def test_a_bad_channel_value(tmp_path, speech_wav):
    result = run([speech_wav, "--out", tmp_path / "o", "--channel", "left"])
    assert result.exit_code == 2 and "not a channel" in result.output
