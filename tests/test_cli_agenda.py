"""The agenda, segment and summarise commands: output, exit codes, one-sentence errors."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner
from test_segment import agenda_text, build_transcript, new_session

from pipeline.cli import main

PROGRAMME = Path(__file__).parent / "data" / "programmes" / "programme-ipu-ohchr-2023-11-21.fr.md"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_agenda_import_to_stdout_and_file(tmp_path):
    result = run("agenda", "import", PROGRAMME)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout)["items"][0]["title"] == {"fr": "Allocutions de bienvenue"}
    out = tmp_path / "agenda.yaml"
    assert run("agenda", "import", PROGRAMME, "-o", out).exit_code == 0
    assert run("agenda", "check", out).exit_code == 0
    again = run("agenda", "import", PROGRAMME, "-o", out)
    assert again.exit_code == 1 and "already exists" in again.output


def test_agenda_import_without_times(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nNo times at all.\n")
    result = run("agenda", "import", path)
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: notes.md has no recognisable times (such as "
                                     "'15:00-15:10' or '3:00 pm'); write the agenda YAML by hand instead.")


def test_agenda_check_lists_items(tmp_path):
    path = tmp_path / "agenda.yaml"
    path.write_text(agenda_text())
    result = run("agenda", "check", path)
    assert result.exit_code == 0
    assert "00:00:40  questions: Questions from the floor" in result.stdout


def test_agenda_check_bad_yaml(tmp_path):
    path = tmp_path / "agenda.yaml"
    path.write_text(agenda_text().replace('start: "10:00:40"', 'start: "10:00:01"'))
    result = run("agenda", "check", path)
    assert result.exit_code == 1
    assert f"Error: {path}, line 16, item 'questions' field 'start'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_agenda_check_against_recording(tmp_path, samples_dir):
    path = tmp_path / "agenda.yaml"
    path.write_text(agenda_text().replace('start: "10:01:25"', 'start: "10:40:00"'))
    result = run("agenda", "check", path, "--recording", samples_dir / "session.ogg")
    assert result.exit_code == 1 and "is outside the recording" in result.output


def test_segment_and_summarise_commands(tmp_path):
    session = new_session(tmp_path, build_transcript())
    path = tmp_path / "agenda.yaml"
    path.write_text(agenda_text())
    result = run("segment", session.root, "--agenda", path, "-q")
    assert result.exit_code == 0, result.output
    assert "talks (aligned)" in result.stdout
    result = run("summarise", session.root, "-q")        # agenda recorded by segment
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(session.root / "en" / "summary.md")
    summary = session.root / "en" / "summary.md"
    summary.write_text(summary.read_text() + "\nChecked by the editor.\n")
    result = run("summarise", session.root, "--ratio", "0.5", "-q")
    assert result.exit_code == 0
    assert "en/summary.md was edited by hand and is kept" in result.output
    assert summary.read_text().endswith("Checked by the editor.\n")


def test_summarise_before_segment(tmp_path):
    session = new_session(tmp_path, build_transcript())
    result = run("summarise", session.root)
    assert result.exit_code == 1
    assert "records no agenda; give --agenda AGENDA" in result.output


def test_segment_missing_session(tmp_path):
    path = tmp_path / "agenda.yaml"
    path.write_text(agenda_text())
    result = run("segment", tmp_path / "nowhere", "--agenda", path)
    assert result.exit_code == 1 and "Error:" in result.output
