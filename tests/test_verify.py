"""``verify`` proves a folder is what the pipeline wrote; ``accept`` records editors' changes."""

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.session import Session
from pipeline.verify import verify_session


@pytest.fixture
def folder(tmp_path):
    session = Session.open(tmp_path / "s")
    session.write_text("en/transcript.txt", "Hello.\n" * 50, stage="transcribe")
    session.write_text("en/summary.md", "# Draft\n", stage="summarise")
    session.save()
    return tmp_path / "s"


def test_clean_folder_verifies(folder):
    result = CliRunner().invoke(main, ["verify", str(folder)])
    assert result.exit_code == 0, result.output
    assert verify_session(folder).ok


@pytest.mark.parametrize("relpath", ["en/transcript.txt", "en/summary.md", "session.json"])
def test_a_flipped_byte_is_caught(folder, relpath):
    target = folder / relpath
    data = bytearray(target.read_bytes())
    position = len(data) // 2
    data[position] ^= 0x01
    target.write_bytes(bytes(data))
    result = CliRunner().invoke(main, ["verify", str(folder)])
    assert result.exit_code != 0


def test_missing_and_unexpected_files_are_reported(folder):
    (folder / "en" / "transcript.txt").unlink()
    (folder / "en" / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["verify", str(folder)])
    assert result.exit_code == 1
    assert "missing        en/transcript.txt" in result.output
    assert "unexpected     en/notes.txt" in result.output


def test_accepted_edit_is_reported_as_an_edit_not_corruption(folder):
    (folder / "en" / "summary.md").write_text("# Corrected by an editor\n")
    assert CliRunner().invoke(main, ["verify", str(folder)]).exit_code == 1
    accepted = CliRunner().invoke(main, ["accept", str(folder)])
    assert accepted.exit_code == 0 and "en/summary.md" in accepted.output
    result = CliRunner().invoke(main, ["verify", str(folder)])
    assert result.exit_code == 0
    assert "accepted-edit  en/summary.md" in result.output


def test_not_a_session_folder(tmp_path):
    result = CliRunner().invoke(main, ["verify", str(tmp_path)])
    assert result.exit_code == 1
    assert "is not a session folder" in result.output
