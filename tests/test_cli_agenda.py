"""The agenda, segment and summarise commands: output, exit codes, one-sentence errors."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from helpers.programme_docs import build_docx, convert_to_pdf, soffice
from test_segment import agenda_text, build_transcript, new_session

from pipeline.cli import main

PROGRAMMES = Path(__file__).parent / "data" / "programmes"
PROGRAMME = PROGRAMMES / "programme-ipu-ohchr-2023-11-21.fr.md"


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


def test_agenda_import_word_programme_then_check(tmp_path):
    source = build_docx(PROGRAMMES / "reunion-commission.fr.docx.yaml", tmp_path / "ordre.docx")
    out = tmp_path / "agenda.yaml"
    result = run("agenda", "import", source, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote the draft agenda {out}; check its titles, times and speakers."
    checked = run("agenda", "check", out)
    assert checked.exit_code == 0, checked.output
    assert "00:30:00  les-deplacements-lies-au-climat-etat: Les déplacements liés au climat" \
        in checked.stdout


@pytest.fixture(scope="module")
def bad_pdfs(tmp_path_factory) -> dict[str, Path]:
    """A PDF encrypted with a password, a scanned PDF (a picture, no text), a damaged PDF."""
    import docx
    from PIL import Image, ImageDraw

    folder = tmp_path_factory.mktemp("bad-pdfs")
    if soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing; .ci/run installs libreoffice-writer-nogui.")
        pytest.skip("LibreOffice is not installed: the PDFs cannot be made")
    text = build_docx(PROGRAMMES / "panel-parliaments.en.docx.yaml", folder / "locked.docx")
    picture = folder / "page.png"
    image = Image.new("RGB", (800, 400), "white")
    ImageDraw.Draw(image).text((40, 40), "10:00 Opening   10:30 Panel", fill="black")
    image.save(picture)
    scanned = docx.Document()
    scanned.add_picture(str(picture))
    scanned.save(folder / "scanned.docx")
    convert_to_pdf([folder / "scanned.docx", text], folder)
    damaged = folder / "damaged.pdf"
    damaged.write_bytes((folder / "locked.pdf").read_bytes()[:2000])
    locked_dir = folder / "locked"
    locked_dir.mkdir()
    convert_to_pdf([text], locked_dir, '{"EncryptFile":{"type":"boolean","value":"true"},'
                   '"DocumentOpenPassword":{"type":"string","value":"secret"}}')
    return {"scanned": folder / "scanned.pdf", "damaged": damaged,
            "locked": locked_dir / "locked.pdf"}


def _one_error(result, expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.output.strip() == f"Error: {expected}"


@pytest.mark.parametrize("kind, expected", [
    ("locked", "locked.pdf is encrypted with a password: open it, save an unprotected copy (or "
               "export the programme as .docx), and import that."),
    ("scanned", "scanned.pdf has no text layer (it is a scanned image, 1 page(s)): run it "
                "through OCR or give the programme as a Word or text file."),
])
def test_agenda_import_unreadable_pdf(kind, expected, bad_pdfs, tmp_path):
    out = tmp_path / "agenda.yaml"
    _one_error(run("agenda", "import", bad_pdfs[kind], "-o", out), expected)
    assert not out.exists()


def test_agenda_import_damaged_pdf(bad_pdfs, tmp_path):
    out = tmp_path / "agenda.yaml"
    result = run("agenda", "import", bad_pdfs["damaged"], "-o", out)
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("Error: damaged.pdf is not a readable PDF (")
    assert result.output.strip().endswith("it may be damaged or incomplete: download or export it again.")
    assert not out.exists()


def _not_zip(path: Path) -> None:
    path.write_text("<html>This is a web page saved with a .docx name</html>")


def _zip_without_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a Word document")


@pytest.mark.parametrize("name, make, expected", [
    ("missing.docx", None, "The programme {path} does not exist."),
    ("web.docx", _not_zip, "web.docx is not a Word document (.docx files are zip archives; this "
                           "one is not): save the programme from Word as .docx or .pdf again."),
    ("broken.docx", _zip_without_document, "broken.docx is a damaged or incomplete Word document"),
    ("old.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0 old Word"),
     "old.doc is a .doc file, which cannot be read here: save it as .docx or .pdf and import that."),
    ("notes.odp", lambda p: p.write_text("x"),
     "notes.odp is not a programme kind this command reads; give a .docx, .pdf, .md or .txt file."),
    ("empty.md", lambda p: p.write_text(""), "The programme {path} is empty."),
    ("fake.pdf", lambda p: p.write_text("%PDF-1.4 not really"), "fake.pdf is not a readable PDF ("),
    ("binary.txt", lambda p: p.write_bytes(b"\x00\x01\x02\xff\xfe\x00" * 10),
     "binary.txt is not a text file (it holds binary data); give the programme as a .docx, .pdf, "
     ".md or .txt file."),
])
def test_agenda_import_unreadable_input(name, make, expected, tmp_path):
    path, out = tmp_path / name, tmp_path / "agenda.yaml"
    if make:
        make(path)
    result = run("agenda", "import", path, "-o", out)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: " + expected.format(path=path))
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_agenda_import_without_times(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nNo times at all.\n")
    out = tmp_path / "agenda.yaml"
    _one_error(run("agenda", "import", path, "-o", out),
               "notes.md has no timed items (such as '15:00-15:10 Opening' or '3 p.m. Closing "
               "remarks'); nothing was written: check that the programme gives each item a start "
               "time, or write the agenda YAML by hand.")
    assert not out.exists()


def test_agenda_import_one_timed_item(tmp_path):
    path = tmp_path / "programme.txt"
    path.write_text("Hearing on migration\n\n10:00 - 10:30   Opening\n\nTBC\nPanel discussion\n")
    _one_error(run("agenda", "import", path),
               "programme.txt has only one timed item (10:00 'Opening'), and an agenda needs at "
               "least two (1 more looked like items but had no time or title it could read); "
               "nothing was written: check that the programme gives each item a start time, or "
               "write the agenda YAML by hand.")


def test_agenda_import_windows_text(tmp_path):
    path = tmp_path / "programme.txt"
    path.write_bytes("Séance\n\n10 h 00 Ouverture\n11 h 00 Clôture\n".encode("cp1252"))
    result = run("agenda", "import", path)
    assert result.exit_code == 0, result.output
    assert "#   note: read as Windows-1252 (it is not UTF-8)" in result.stdout
    assert yaml.safe_load(result.stdout)["items"][1]["title"] == {"fr": "Clôture"}


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
    result = run("summarise", session.root, "--length", "0.5", "-q")
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
