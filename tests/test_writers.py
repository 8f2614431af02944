"""Writers against golden files, the timestamp formatter, and a language's files in a session.

Golden files live in tests/data/golden/: ``transcript.<lang>.json`` is the input and
``transcript.<lang>.<fmt>`` the expected output. After a deliberate change to a writer,
regenerate them with ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_writers.py`` and review
the diff before committing; CI refuses to regenerate.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from pipeline.errors import SessionError
from pipeline.formats.cues import build_cues
from pipeline.formats.timestamps import format_timestamp
from pipeline.formats.transcript import Sentence, Transcript, load
from pipeline.formats.writers import TRANSCRIPT_FORMATS, WRITERS, render
from pipeline.fsio import sha256_file
from pipeline.session import Session
from pipeline.stage import StageRun

GOLDEN = Path(__file__).parent / "data" / "golden"
LANGUAGES = ("en", "fr")


def titles_for(language: str) -> dict[str, str]:
    return json.loads((GOLDEN / "titles.json").read_text(encoding="utf-8"))[language]


def update_golden(actual: str, expected_path: Path) -> None:
    """With ``UPDATE_GOLDEN=1`` (never in CI), ``actual`` becomes the golden file."""
    if os.environ.get("UPDATE_GOLDEN") == "1":
        if os.environ.get("CI"):
            pytest.fail("UPDATE_GOLDEN=1 is refused in CI: golden files change only by hand.")
        expected_path.write_text(actual, encoding="utf-8")


def assert_matches_golden(actual: str, expected_path: Path) -> None:
    update_golden(actual, expected_path)
    expected = expected_path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=str(expected_path), tofile="rendered"))
        pytest.fail(f"{expected_path.name} differs from the rendered output:\n{diff}",
                    pytrace=False)


@pytest.mark.parametrize("fmt", [f for f in TRANSCRIPT_FORMATS if f != "json"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_writer_matches_golden_file(language, fmt):
    transcript = load(GOLDEN / f"transcript.{language}.json")
    actual = render(fmt, transcript, titles=titles_for(language))
    assert_matches_golden(actual, GOLDEN / f"transcript.{language}.{fmt}")


@pytest.mark.parametrize("fmt", [f for f in TRANSCRIPT_FORMATS if f != "json"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_writer_with_speakers_matches_golden_file(language, fmt):
    """Turns headed by their speaker (text, Markdown), names where a turn begins (SRT), voice
    spans (WebVTT); a voice without a name shows as "Speaker N"."""
    transcript = load(GOLDEN / f"voices.{language}.json")
    names = json.loads((GOLDEN / "voices.names.json").read_text(encoding="utf-8"))
    actual = render(fmt, transcript, titles=titles_for(language), speakers=names)
    assert_matches_golden(actual, GOLDEN / f"voices.{language}.{fmt}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_json_writer_round_trips_the_golden_input(language):
    path = GOLDEN / f"transcript.{language}.json"
    assert render("json", load(path)) == path.read_text(encoding="utf-8")


def test_golden_inputs_are_what_the_tests_claim():
    english = load(GOLDEN / "transcript.en.json")
    french = load(GOLDEN / "transcript.fr.json")
    assert len(english.sentences) == 8 and all(s.words for s in english.sentences)
    assert {s.section for s in english.sentences} == {"opening", "item-1"}
    assert not any(s.words for s in french.sentences)
    assert [(s.id, s.start, s.end, s.section) for s in french.sentences] == [
        (s.id, s.start, s.end, s.section) for s in english.sentences]


def test_srt_and_vtt_carry_the_same_cues():
    transcript = load(GOLDEN / "transcript.en.json")
    srt = render("srt", transcript)
    vtt = render("vtt", transcript)
    cues = build_cues(transcript)
    assert srt.count(" --> ") == vtt.count(" --> ") == len(cues)
    assert vtt.startswith("WEBVTT\n") and "\nLanguage: en\n" in vtt.split("\n\n")[0] + "\n"
    assert srt.split("\n\n")[0].split("\n")[:2] == [
        "1", f"{format_timestamp(cues[0].start)} --> {format_timestamp(cues[0].end)}"]


def test_readable_formats_keep_the_recognised_text_exactly():
    transcript = load(GOLDEN / "transcript.en.json")
    txt = render("txt", transcript)
    for sentence in transcript.sentences:
        assert f"[{format_timestamp(sentence.start, 'clock')}] {sentence.text}\n" in txt


def test_titles_fall_back_to_the_section_id():
    transcript = load(GOLDEN / "transcript.fr.json")
    md = render("md", transcript, titles={"opening": "Ouverture"})
    assert "## Ouverture\n" in md and "## item-1\n" in md
    assert render("txt", transcript).startswith("opening\n=======\n")


def test_sentences_without_sections_have_no_headings():
    transcript = Transcript("es", (Sentence(1, 0.0, 1.0, "Hola."), Sentence(2, 1.5, 2.0, "Sí.")))
    assert render("txt", transcript) == "[00:00:00] Hola.\n\n[00:00:01] Sí.\n"
    assert "##" not in render("md", transcript)


def test_empty_transcript_renders_valid_empty_files():
    empty = Transcript("en", ())
    assert render("srt", empty) == ""
    assert render("vtt", empty) == "WEBVTT\nKind: subtitles\nLanguage: en\n"
    assert render("txt", empty) == ""


def test_unknown_format_names_the_choices():
    with pytest.raises(ValueError, match="choose one of: json, srt, vtt, txt, md"):
        render("docx", Transcript("en", ()))
    assert set(TRANSCRIPT_FORMATS) <= set(WRITERS)


# -- timestamps --------------------------------------------------------------------------
@pytest.mark.parametrize("seconds, style, expected", [
    (0, "srt", "00:00:00,000"),
    (62.345, "srt", "00:01:02,345"),
    (62.345, "vtt", "00:01:02.345"),
    (62.345, "clock", "00:01:02"),
    (0.9995, "srt", "00:00:01,000"),
    (0.9994, "srt", "00:00:00,999"),
    (59.9995, "vtt", "00:01:00.000"),
    (3599.9996, "clock", "01:00:00"),
    (62.9, "clock", "00:01:02"),
    (6000.0, "srt", "01:40:00,000"),
    (99 * 60 + 59.5, "clock", "01:39:59"),
    (360000.0, "srt", "100:00:00,000"),
])
def test_format_timestamp(seconds, style, expected):
    assert format_timestamp(seconds, style) == expected


@pytest.mark.parametrize("bad", [-0.5, float("nan"), float("inf"), "1.0"])
def test_format_timestamp_rejects_bad_seconds(bad):
    with pytest.raises(ValueError):
        format_timestamp(bad)


def test_format_timestamp_rejects_an_unknown_style():
    with pytest.raises(ValueError, match="srt, vtt, clock"):
        format_timestamp(1.0, "ass")


# -- files in a session ------------------------------------------------------------------
def _writer(session: Session) -> StageRun:
    return StageRun(session, "transcribe", "a fingerprint")


def test_write_transcript_records_checksums(tmp_path):
    session = Session.open(tmp_path / "out")
    transcript = load(GOLDEN / "transcript.en.json")
    results = _writer(session).write_transcript(transcript)
    assert [r.path.name for r in results] == [f"transcript.{f}" for f in TRANSCRIPT_FORMATS]
    for fmt in TRANSCRIPT_FORMATS:
        relpath = f"en/transcript.{fmt}"
        record = session.file_record(relpath)
        assert record["stage"] == "transcribe"
        assert record["sha256"] == sha256_file(session.path(relpath))
    expected_srt = (GOLDEN / "transcript.en.srt").read_text(encoding="utf-8")
    assert session.path("en/transcript.srt").read_text(encoding="utf-8") == expected_srt
    assert session.read_transcript("en") == transcript


def test_an_edited_srt_is_kept_and_the_new_one_goes_beside_it(tmp_path):
    session = Session.open(tmp_path / "out")
    transcript = load(GOLDEN / "transcript.en.json")
    _writer(session).write_transcript(transcript)
    srt = session.path("en/transcript.srt")
    edited = srt.read_text(encoding="utf-8").replace("Good morning", "Good morning (edited)")
    srt.write_text(edited, encoding="utf-8")

    results = _writer(session).write_transcript(transcript)
    by_name = {r.path.name: r for r in results}
    assert by_name["transcript.srt"].kept_edit
    assert by_name["transcript.srt"].written == session.path("en/transcript.draft.srt")
    assert srt.read_text(encoding="utf-8") == edited
    draft = session.path("en/transcript.draft.srt").read_text(encoding="utf-8")
    assert draft == render("srt", transcript)
    assert session.file_record("en/transcript.draft.srt")["sha256"] == sha256_file(
        session.path("en/transcript.draft.srt"))
    assert not any(r.kept_edit for name, r in by_name.items() if name != "transcript.srt")


def test_an_unknown_format_writes_nothing(tmp_path):
    session = Session.open(tmp_path / "out")
    with pytest.raises(ValueError, match="docx"):
        _writer(session).write_transcript(load(GOLDEN / "transcript.en.json"),
                                          formats=("srt", "docx"))
    assert not session.path("en").exists()


def test_read_transcript_says_which_stage_to_run(tmp_path):
    session = Session.open(tmp_path / "out")
    with pytest.raises(SessionError, match="no fr transcript .* 'session-pipeline translate'"):
        session.read_transcript("fr")
    with pytest.raises(SessionError, match="'session-pipeline transcribe'"):
        session.read_transcript("en")


def test_a_version_1_transcript_still_loads(tmp_path):
    """Files written before speakers existed load, with no speaker on any sentence."""
    data = json.loads((GOLDEN / "transcript.en.json").read_text(encoding="utf-8"))
    data["schema"] = "session-pipeline/transcript/1"
    for segment in data["segments"]:
        del segment["speaker"]
    older = tmp_path / "transcript.json"
    older.write_text(json.dumps(data), encoding="utf-8")
    loaded = load(older)
    assert loaded.sentences == load(GOLDEN / "transcript.en.json").sentences
    assert all(s.speaker is None for s in loaded.sentences)
