"""Archive packages: a BagIt bag of a verified session, validated by the bagit library."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner
from helpers.recordings import cut, short_agenda

from pipeline.archive import ArchiveOptions, archive_session
from pipeline.cli import main
from pipeline.errors import ArchiveError
from pipeline.fsio import sha256_file


@pytest.fixture(scope="module")
def finished(tmp_path_factory, tiny_model_dir) -> Path:
    """A short recording run through every stage (English only, tiny.en)."""
    base = tmp_path_factory.mktemp("archive")
    cut(base / "panel.ogg", 0, 40)
    short_agenda(base / "agenda.yaml")
    result = CliRunner().invoke(main, [
        "run", str(base / "panel.ogg"), "--agenda", str(base / "agenda.yaml"), "--out",
        str(base / "session"), "--asr-model", str(tiny_model_dir), "--to", "none", "--quiet"])
    assert result.exit_code == 0, result.output
    return base / "session"


@pytest.fixture
def session(finished, tmp_path) -> Path:
    """A copy of the finished session, free to change."""
    return Path(shutil.copytree(finished, tmp_path / "session"))


def _archive(args):
    return CliRunner().invoke(main, ["archive", *args])


def _info(bag: Path) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for line in (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(": ")
        fields.setdefault(key, []).append(value)
    return fields


def test_the_bag_validates_and_holds_the_session(session, tmp_path):
    bag = tmp_path / "bags" / "panel"
    result = _archive([str(session), "--out", str(bag), "--with-recording",
                       "--source-organization", "Inter-Parliamentary Union",
                       "--external-identifier", "IPU-2024-05-14-01",
                       "--contact-name", "A. Archivist", "--contact-email", "archives@example.org"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(bag)
    loaded = bagit.Bag(str(bag))
    loaded.validate()                                  # raises on any problem
    assert loaded.version_info == (1, 0)
    assert set(loaded.algorithms) == {"sha256", "sha512"}
    assert (bag / "manifest-sha512.txt").exists() and (bag / "tagmanifest-sha256.txt").exists()
    payload = {p.relative_to(bag / "data").as_posix() for p in (bag / "data").rglob("*")
               if p.is_file()}
    assert {"session.json", "sections.json", "speakers.json", "report.html", "en/transcript.json",
            "en/transcript.srt", "en/transcript.vtt", "en/transcript.txt", "en/transcript.md",
            "en/summary.md", "en/transcript.docx", "en/summary.docx", "agenda/agenda.yaml",
            "recording/panel.ogg"} == payload
    assert not any(part == ".work" for p in (bag / "data").rglob("*") for part in p.parts)
    for relpath in ("en/transcript.json", "session.json"):
        assert loaded.entries[f"data/{relpath}"]["sha256"] == sha256_file(session / relpath)
    manifest = json.loads((session / "session.json").read_text())
    assert loaded.entries["data/recording/panel.ogg"]["sha256"] == manifest["input"]["sha256"]
    assert _info(bag)["Recording-Included"] == ["yes, data/recording/panel.ogg"]


def test_bag_info_describes_the_meeting_the_recording_and_the_models(session, tmp_path):
    bag = tmp_path / "bag"
    archive_session(session, bag, options=ArchiveOptions(
        source_organization="Inter-Parliamentary Union", external_identifier="IPU-01",
        contact_name="A. Archivist", contact_email="archives@example.org"))
    info = _info(bag)
    assert info["Meeting-Title"] == ["Test panel"] and info["Meeting-Date"] == ["2024-05-14"]
    assert info["Agenda-File"] == ["agenda.yaml"] and len(info["Agenda-SHA256"][0]) == 64
    assert [item.split()[0] for item in info["Agenda-Item"]] == ["opening", "presentations"]
    assert info["Languages"] == ["en"]
    manifest = json.loads((session / "session.json").read_text())
    assert info["Recording-SHA256"] == [manifest["input"]["sha256"]]
    assert info["Recording-Duration"][0].startswith("00:00:40")
    assert info["Recording-Included"] == ["no"]
    assert info["Pipeline-Version"] == ["session-pipeline 0.1.0"]
    assert manifest["stages"]["transcribe"]["models"]["asr"]["sha256"] in info["Speech-Model"][0]
    assert info["Summary-Method"] == ["extractive"]
    assert info["Source-Organization"] == ["Inter-Parliamentary Union"]
    assert info["External-Identifier"] == ["IPU-01"]
    assert info["Contact-Name"] == ["A. Archivist"]
    assert info["Contact-Email"] == ["archives@example.org"]
    for field in ("Bagging-Date", "Payload-Oxum", "Bag-Software-Agent", "Bag-Size",
                  "External-Description"):
        assert info[field][0], field


def test_one_flipped_byte_makes_the_bag_invalid(session, tmp_path):
    bag = tmp_path / "bag"
    archive_session(session, bag)
    target = bag / "data" / "en" / "transcript.txt"
    data = bytearray(target.read_bytes())
    data[10] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag)).validate()
    result = CliRunner().invoke(main, ["verify", str(bag)])
    assert result.exit_code == 1
    assert "data/en/transcript.txt: its sha256 checksum is" in result.stdout
    assert f"The bag {bag} is not valid: " in result.output


def test_verify_validates_a_good_bag(session, tmp_path):
    archive_session(session, tmp_path / "bag")
    result = CliRunner().invoke(main, ["verify", str(tmp_path / "bag")])
    assert result.exit_code == 0, result.output
    payload = sum(1 for p in (tmp_path / "bag" / "data").rglob("*") if p.is_file())
    assert payload >= 10
    assert f"is valid: {payload} payload files, BagIt 1.0" in result.output


def test_a_session_with_an_unaccepted_edit_is_refused(session, tmp_path):
    summary = session / "en" / "summary.md"
    summary.write_text(summary.read_text() + "\nAn editor's note.\n")
    bag = tmp_path / "bag"
    result = _archive([str(session), "--out", str(bag)])
    assert result.exit_code == 1
    assert "en/summary.md changed" in result.output and "session-pipeline accept" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not bag.exists() and list(tmp_path.iterdir()) == [session]
    assert CliRunner().invoke(main, ["accept", str(session)]).exit_code == 0
    assert _archive([str(session), "--out", str(bag)]).exit_code == 0
    assert (bag / "data" / "en" / "summary.md").read_text().endswith("An editor's note.\n")


def test_a_missing_file_or_an_unfinished_session_is_refused(session, tmp_path):
    (session / "en" / "transcript.vtt").unlink()
    result = _archive([str(session), "--out", str(tmp_path / "bag")])
    assert result.exit_code == 1 and "en/transcript.vtt missing" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _archive([str(empty), "--out", str(tmp_path / "bag")])
    assert result.exit_code == 1 and "not a session folder" in result.output


def test_an_existing_bag_folder_is_never_written_over(session, tmp_path):
    bag = tmp_path / "bag"
    bag.mkdir()
    (bag / "keep.txt").write_text("mine")
    result = _archive([str(session), "--out", str(bag)])
    assert result.exit_code == 1
    assert f"{bag} already exists and is never written over" in result.output
    assert [p.name for p in bag.iterdir()] == ["keep.txt"]


def test_a_bag_that_fails_while_being_built_never_appears(session, tmp_path):
    """The recording changed since the run: found once the bag is built, which is removed."""
    manifest = json.loads((session / "session.json").read_text())
    recording = tmp_path / "moved.ogg"
    shutil.copyfile(manifest["input"]["path"], recording)
    moved = _moved_recording(session, recording)
    recording.write_bytes(recording.read_bytes()[:-10] + b"0123456789")
    bag = tmp_path / "bags" / "panel"
    with pytest.raises(ArchiveError, match="data/recording/moved.ogg differs from the file"):
        archive_session(moved, bag, options=ArchiveOptions(with_recording=True))
    assert list((tmp_path / "bags").iterdir()) == []


def _moved_recording(session: Path, recording: Path) -> Path:
    """The session as if made from ``recording`` (its manifest rewritten the pipeline's way)."""
    from pipeline.session import Session

    opened = Session.open(session, create=False)
    opened.manifest["input"]["path"] = str(recording)
    opened.save()
    return session
