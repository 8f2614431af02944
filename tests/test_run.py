"""The one-command run on the real sample: every stage, every language, resumable and edit-safe."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.formats.transcript import load
from pipeline.verify import verify_session

pytestmark = pytest.mark.slow


def _run(args):
    return CliRunner().invoke(main, ["run", *args, "--quiet"])


@pytest.fixture(scope="module")
def finished(tmp_path_factory, samples_dir, tiny_model_dir, tiny_marian_dir):
    """The sample run once through every stage with tiny.en and locally built Marian models."""
    out = tmp_path_factory.mktemp("run") / "session"
    args = [str(samples_dir / "session.ogg"), "--agenda", str(samples_dir / "agenda.yaml"),
            "--out", str(out), "--asr-model", str(tiny_model_dir),
            "--mt-model", f"fr={tiny_marian_dir('fr')}", "--mt-model", f"es={tiny_marian_dir('es')}"]
    result = _run(args)
    assert result.exit_code == 0, result.output
    return out, args


def test_every_language_has_every_file_and_the_folder_verifies(finished):
    out, _ = finished
    for language in ("en", "fr", "es"):
        for name in ("transcript.json", "transcript.srt", "transcript.vtt", "transcript.txt",
                     "transcript.md", "summary.md"):
            assert (out / language / name).stat().st_size > 0, f"{language}/{name}"
    assert (out / "sections.json").exists() and (out / "report.html").exists()
    assert verify_session(out).ok


def test_languages_are_aligned_and_sectioned(finished):
    out, _ = finished
    english, french, spanish = (load(out / lang / "transcript.json") for lang in ("en", "fr", "es"))
    assert len(english.sentences) > 10
    for other in (french, spanish):
        assert [(s.id, s.start, s.end, s.section, s.speaker) for s in other.sentences] == \
            [(s.id, s.start, s.end, s.section, s.speaker) for s in english.sentences]
    assert all(s.speaker for s in english.sentences)
    sections = json.loads((out / "sections.json").read_text())["sections"]
    assert [s["id"] for s in sections] == ["opening", "presentations", "questions", "closing"]
    assert {s.section for s in english.sentences} == {s["id"] for s in sections}


def test_manifest_records_what_produced_the_files(finished):
    out, _ = finished
    manifest = json.loads((out / "session.json").read_text())
    assert len(manifest["input"]["sha256"]) == 64
    assert set(manifest["stages"]) >= {"transcribe", "speakers", "segment", "translate",
                                       "summarise", "export"}
    assert all(stage["status"] == "done" for stage in manifest["stages"].values())
    assert manifest["agenda"]["title"]
    assert manifest["environment"]["packages"]["faster-whisper"]


def test_second_run_skips_every_stage(finished):
    out, args = finished
    before = {p: p.stat().st_mtime_ns for p in out.rglob("transcript.json")}
    clock = time.monotonic()
    result = CliRunner().invoke(main, ["run", *args, "--quiet"])
    assert result.exit_code == 0, result.output
    for name in ("transcribe", "speakers", "segment", "translate", "summarise", "export"):
        assert f"{name:<11} up to date" in result.output
    assert {p: p.stat().st_mtime_ns for p in out.rglob("transcript.json")} == before
    assert time.monotonic() - clock < 30


def test_an_edited_summary_survives_a_rerun(finished, tmp_path):
    out, args = finished
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    args = [a if a != str(out) else str(copy) for a in args]
    summary = copy / "en" / "summary.md"
    summary.write_text(summary.read_text() + "\nAn editor's note.\n")
    result = CliRunner().invoke(main, ["run", *args, "--force", "--quiet"])
    assert result.exit_code == 0, result.output
    assert summary.read_text().endswith("An editor's note.\n")
    assert (copy / "en" / "summary.draft.md").exists()


def test_missing_translation_model_stops_before_any_work(samples_dir, tiny_model_dir, tmp_path,
                                                         monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty-hf"))
    out = tmp_path / "session"
    result = _run([str(samples_dir / "session.ogg"), "--agenda", str(samples_dir / "agenda.yaml"),
                   "--out", str(out), "--asr-model", str(tiny_model_dir), "--to", "fr"])
    assert result.exit_code == 1
    assert "opus-mt-en-fr" in result.output and "--mt-model fr=" in result.output
    assert not out.exists()


def test_skip_missing_translations_runs_the_rest(samples_dir, tiny_model_dir, tmp_path,
                                                 monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty-hf"))
    out = tmp_path / "session"
    result = _run([str(samples_dir / "session.ogg"), "--agenda", str(samples_dir / "agenda.yaml"),
                   "--out", str(out), "--asr-model", str(tiny_model_dir), "--to", "fr,es",
                   "--skip-missing-translations"])
    assert result.exit_code == 0, result.output
    assert "Left out: 2 translation(s)" in result.output
    assert (out / "en" / "summary.md").exists() and not (out / "fr").exists()


def test_agenda_outside_the_recording_stops_before_any_work(samples_dir, tiny_model_dir, tmp_path):
    agenda = tmp_path / "agenda.yaml"
    text = (samples_dir / "agenda.yaml").read_text().replace("15:02:40", "16:30:00")
    agenda.write_text(text.replace("glossary: glossary.yaml", ""))
    out = tmp_path / "session"
    result = _run([str(samples_dir / "session.ogg"), "--agenda", str(agenda), "--out", str(out),
                   "--asr-model", str(tiny_model_dir), "--to", "none"])
    assert result.exit_code == 1
    assert "outside the recording" in result.output
    assert not out.exists()
