"""The session folder contract: atomic writes, checksums, edit protection, manifest integrity."""

import json

import pytest

from pipeline.errors import SessionError
from pipeline.session import MANIFEST, Session


def test_write_records_checksum_and_reopens(tmp_path):
    session = Session.open(tmp_path / "s")
    result = session.write_text("en/summary.md", "draft one\n", stage="summarise")
    session.save()
    assert result.written == tmp_path / "s" / "en" / "summary.md"
    again = Session.open(tmp_path / "s", create=False)
    record = again.file_record("en/summary.md")
    assert record["stage"] == "summarise" and record["bytes"] == len("draft one\n")
    assert not again.is_edited("en/summary.md")


def test_edited_file_is_kept_and_new_draft_goes_beside_it(tmp_path):
    session = Session.open(tmp_path)
    session.write_text("en/summary.md", "draft one\n", stage="summarise")
    (tmp_path / "en" / "summary.md").write_text("an editor's version\n")
    result = session.write_text("en/summary.md", "draft two\n", stage="summarise")
    assert result.kept_edit
    assert (tmp_path / "en" / "summary.md").read_text() == "an editor's version\n"
    assert (tmp_path / "en" / "summary.draft.md").read_text() == "draft two\n"
    assert session.file_record("en/summary.md")["edited"] is True


def test_accepted_edit_is_no_longer_an_edit(tmp_path):
    session = Session.open(tmp_path)
    session.write_text("en/summary.md", "draft\n", stage="summarise")
    (tmp_path / "en" / "summary.md").write_text("corrected\n")
    assert session.accept_edit("en/summary.md") is True
    assert session.file_record("en/summary.md")["accepted_sha256"]
    # Accepted or not, an edit is never overwritten by a later run.
    result = session.write_text("en/summary.md", "draft two\n", stage="summarise")
    assert result.kept_edit and (tmp_path / "en" / "summary.md").read_text() == "corrected\n"


def test_stage_fingerprint_decides_whether_work_is_current(tmp_path):
    session = Session.open(tmp_path)
    assert not session.stage_is_current("transcribe", "abc")
    session.record_stage("transcribe", status="running", fingerprint="abc")
    assert not session.stage_is_current("transcribe", "abc")
    session.record_stage("transcribe", status="done")
    assert session.stage_is_current("transcribe", "abc")
    assert not session.stage_is_current("transcribe", "other")


def test_corrupt_manifest_is_refused_with_one_sentence(tmp_path):
    (tmp_path / MANIFEST).write_text("{not json")
    with pytest.raises(SessionError, match="unreadable"):
        Session.open(tmp_path)


def test_manifest_of_another_kind_is_refused(tmp_path):
    (tmp_path / MANIFEST).write_text(json.dumps({"schema": "something/else"}))
    with pytest.raises(SessionError, match="expected schema"):
        Session.open(tmp_path)


def test_out_path_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(SessionError, match="not a folder"):
        Session.open(target)


def test_missing_folder_without_create(tmp_path):
    with pytest.raises(SessionError, match="does not exist"):
        Session.open(tmp_path / "nope", create=False)
