"""The review workspace's routes, in-process with Starlette's test client: every read and
write, conflicts, refused tokens, traversal attempts, ranges and a missing or changed recording.

The sessions are the sample's golden inputs segmented and summarised (no model runs), with a
copy of the recording beside them; every write goes through the real session write path.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from helpers.review import VOICES, sample_session
from starlette.testclient import TestClient

from pipeline.formats.edits import EDITS_FILE
from pipeline.lock import SessionLock
from pipeline.review.app import create_app
from pipeline.review.options import ReviewOptions
from pipeline.session import Session
from pipeline.verify import verify_session

TOKEN = "test-token-0123456789"
WRITE = {"X-Review-Token": TOKEN}


def client_for(session: Session, **options) -> TestClient:
    app = create_app(session.root, ReviewOptions(**options), token=TOKEN)
    return TestClient(app, base_url="http://127.0.0.1")


@pytest.fixture
def session(tmp_path) -> Session:
    return sample_session(tmp_path)


@pytest.fixture
def client(session) -> TestClient:
    return client_for(session, editor="Ana Ruiz")


def state(client: TestClient) -> dict:
    response = client.get(f"/api/session?token={TOKEN}")
    assert response.status_code == 200
    return response.json()


def rows(data: dict) -> dict[int, dict]:
    return {row["id"]: row for item in data["items"] for row in item["rows"]}


def item(data: dict, ident: str) -> dict:
    return next(i for i in data["items"] if i["id"] == ident)


def save_text(client, language, ident, text, version=None):
    version = version or rows(state(client))[ident]["cells"][language]["version"]
    return client.post("/api/sentence", headers=WRITE,
                       json={"language": language, "id": ident, "text": text, "version": version})


# -- reading ---------------------------------------------------------------------------------
def test_the_page_shows_the_agenda_the_sentences_side_by_side_and_the_player(client, session):
    page = client.get(f"/?token={TOKEN}")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Parliaments and the Global Compact for Migration</h1>" in html
    for title in ("Welcome and opening remarks", "Questions from the floor", "Closing remarks"):
        assert title in html
    assert '<th lang="en">English</th><th lang="fr">Français</th>' in html
    assert f'<audio id="player" controls preload="metadata" src="/audio?token={TOKEN}">' in html
    english = session.read_transcript("en").sentences[1]
    assert f'data-start="{english.start:.3f}"' in html
    assert '<mark class="low" data-at=' in html                       # doubtful words marked
    assert "Summary · Français" in html and "Key passages" not in html
    assert "<kbd>Space</kbd>" in html and "next sentence" in html     # the keys, documented
    assert 'class="who"' not in html                                  # no voices: no column
    for header in ("content-security-policy", "x-frame-options", "referrer-policy"):
        assert header in page.headers
    assert page.headers["cache-control"] == "no-store"


def test_the_json_carries_a_version_with_every_thing_the_page_can_change(client):
    data = state(client)
    assert data["languages"] == ["en", "fr"] and data["recording"]["playable"]
    first = rows(data)[1]
    assert set(first["cells"]) == {"en", "fr"} and all(c["version"] for c in first["cells"].values())
    low = [w for w in first["cells"]["en"]["words"] if w["low"]]
    assert low and all(w["probability"] < 0.5 for w in low)
    assert first["cells"]["fr"]["words"] == []
    questions = item(data, "questions")
    assert questions["version"] and questions["method"] in ("aligned", "scheduled")
    assert [s["language"] for s in questions["summaries"]] == ["en", "fr"]
    assert all(s["version"] and s["text"].startswith("*00:") for s in questions["summaries"])


def test_speakers_are_shown_by_name_or_as_speaker_n(tmp_path):
    session = sample_session(tmp_path, voices=True)
    html = client_for(session).get(f"/?token={TOKEN}").text
    assert '<th class="who">Speaker</th>' in html
    assert '<span class="voice">Elena Marsh</span>' in html
    assert '<span class="voice">Speaker 3</span>' in html
    assert 'data-label="S2" data-version=' in html


# -- the recording ---------------------------------------------------------------------------
def test_the_recording_is_served_with_ranges(client, session):
    recording = Path(session.manifest["input"]["path"]).read_bytes()
    whole = client.get(f"/audio?token={TOKEN}")
    assert whole.status_code == 200 and whole.content == recording
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-type"] == "audio/ogg"
    part = client.get(f"/audio?token={TOKEN}", headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(recording)}"
    assert part.content == recording[1000:2000]
    tail = client.get(f"/audio?token={TOKEN}", headers={"Range": "bytes=-500"})
    assert tail.status_code == 206 and tail.content == recording[-500:]
    beyond = client.get(f"/audio?token={TOKEN}",
                        headers={"Range": f"bytes={len(recording) + 10}-"})
    assert beyond.status_code == 416


def test_a_moved_recording_is_reported_not_searched_for(client, session):
    path = Path(session.manifest["input"]["path"])
    path.rename(path.with_name("elsewhere.ogg"))
    html = client.get(f"/?token={TOKEN}").text
    assert "<audio" not in html
    assert (f"The recording {path} named in the manifest is not there (moved or deleted): put it "
            "back at that path") in html
    refused = client.get(f"/audio?token={TOKEN}")
    assert refused.status_code == 404 and "is not there" in refused.json()["message"]


def test_a_changed_recording_is_reported_and_not_played(client, session):
    path = Path(session.manifest["input"]["path"])
    assert client.get(f"/audio?token={TOKEN}").status_code == 200
    with path.open("ab") as handle:
        handle.write(b"\0" * 100)
    refused = client.get(f"/audio?token={TOKEN}")
    assert refused.status_code == 404
    assert "has changed since this session was transcribed" in refused.json()["message"]
    assert "its times would not match the sentences" in client.get(f"/?token={TOKEN}").text


def test_a_session_without_a_recording_says_so(tmp_path):
    session = sample_session(tmp_path, recording=False)
    data = state(client_for(session))
    assert not data["recording"]["playable"]
    assert data["recording"]["problem"].startswith("The manifest names no recording")


# -- the guard -------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/", "/api/session", "/audio", "/files/en/transcript.srt",
                                 "/?token=wrong", "/audio?token="])
def test_every_read_needs_the_token(client, url):
    response = client.get(url)
    assert response.status_code == 403
    assert "open the address 'session-pipeline review' printed" in response.json()["message"]


def test_the_static_files_need_no_token(client):
    assert client.get("/static/review.js").status_code == 200


@pytest.mark.parametrize("headers,status,message", [
    ({}, 403, "needs the workspace's token in the X-Review-Token header"),
    ({"X-Review-Token": "wrong"}, 403, "needs the workspace's token"),
    ({"Cookie": f"token={TOKEN}"}, 403, "needs the workspace's token"),
    ({**WRITE, "Origin": "http://evil.example"}, 403, "not from http://evil.example"),
])
def test_a_change_without_the_token_in_its_header_is_refused(client, session, headers, status,
                                                             message):
    before = session.path("en/transcript.json").read_bytes()
    version = rows(state(client))[1]["cells"]["en"]["version"]
    response = client.post(f"/api/sentence?token={TOKEN}", headers=headers,
                           json={"language": "en", "id": 1, "text": "Hacked.", "version": version})
    assert response.status_code == status and message in response.json()["message"]
    assert session.path("en/transcript.json").read_bytes() == before
    assert not session.path(EDITS_FILE).exists()


def test_a_form_post_is_refused(client):
    response = client.post("/api/sentence", headers=WRITE, data={"language": "en"})
    assert response.status_code == 415


def test_only_this_machines_names_are_answered(session):
    app = create_app(session.root, token=TOKEN)
    foreign = TestClient(app, base_url="http://attacker.example")
    response = foreign.get(f"/?token={TOKEN}")
    assert response.status_code == 400 and "answers only at 127.0.0.1" in response.json()["message"]


@pytest.mark.parametrize("path", [
    "/files/../session.ogg", "/files/%2e%2e/session.ogg", "/files/..%2fsession.ogg",
    "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/files//etc/passwd", "/files/.work/lock",
    "/files/en/../../session.ogg", "/static/../session.py", "/static/%2e%2e/app.py",
])
def test_nothing_outside_the_session_folder_can_be_read(client, path):
    response = client.get(f"{path}?token={TOKEN}")
    assert response.status_code == 404
    assert b"OggS" not in response.content and b"root:" not in response.content


def test_a_session_file_is_served_but_a_link_out_of_the_folder_is_not(client, session, tmp_path):
    srt = client.get(f"/files/en/transcript.srt?token={TOKEN}")
    assert srt.status_code == 200 and srt.text == session.path("en/transcript.srt").read_text()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret\n")
    target = session.path("en/transcript.txt")
    target.unlink()
    target.symlink_to(outside)
    refused = client.get(f"/files/en/transcript.txt?token={TOKEN}")
    assert refused.status_code == 404 and b"secret" not in refused.content


# -- correcting sentences --------------------------------------------------------------------
def test_an_english_correction_is_kept_and_written_at_once(client, session):
    response = save_text(client, "en", 2, "My name is Elena Marsh, and I will chair the session.")
    assert response.status_code == 200, response.text
    assert 'class="badge corrected"' in response.json()["row"]
    assert 'class="badge outdated"' in response.json()["row"]          # the French, out of date
    edits = json.loads(session.path(EDITS_FILE).read_text())
    entry = edits["sentences"]["en"]["2"]
    assert entry["text"] == "My name is Elena Marsh, and I will chair the session."
    assert entry["was"].startswith("My name is Elina Marsh")
    assert entry["by"] == "Ana Ruiz" and entry["at"]
    french = Session.open(session.root).read_transcript("fr").sentences[1].text
    assert entry["outdated"] == {"fr": french}
    reopened = Session.open(session.root)
    assert reopened.read_transcript("en").sentences[1].text.startswith("My name is Elena Marsh")
    assert reopened.file_record(EDITS_FILE)["stage"] == "editor"
    assert not reopened.is_edited("en/transcript.json")
    assert state(client)["outdated"] == {"fr": 1}
    assert verify_session(session.root).ok
    assert "I will chair the session." not in session.path("en/transcript.srt").read_text()
    exported = client.post("/api/export", headers=WRITE, json={})
    assert exported.status_code == 200
    assert exported.json()["message"].startswith("Exported ")
    assert "I will chair the session." in session.path("en/transcript.srt").read_text()
    assert "I will chair the session." in session.path("report.html").read_text()
    again = client.post("/api/export", headers=WRITE, json={})
    assert again.json()["message"] == "The exported files already follow every correction."


def test_a_stale_tab_is_refused_with_409_and_loses_nothing(client, session):
    version = rows(state(client))[3]["cells"]["en"]["version"]
    first = save_text(client, "en", 3, "In December 2018, 152 States endorsed the Global Compact.",
                      version)
    assert first.status_code == 200
    second = save_text(client, "en", 3, "Another tab's text.", version)
    assert second.status_code == 409
    assert second.json()["message"].startswith(
        "The en text of sentence 3 was changed elsewhere (in another tab, or by a run)")
    assert "your text is kept here" in second.json()["message"]
    kept = Session.open(session.root).read_transcript("en").sentences[2].text
    assert kept == "In December 2018, 152 States endorsed the Global Compact."
    again = save_text(client, "en", 3, "Another tab's text.")                # after reloading
    assert again.status_code == 200


def test_a_french_correction_wins_and_is_not_marked_out_of_date(client, session):
    assert save_text(client, "en", 4, "Parliaments have had a key role.").status_code == 200
    assert save_text(client, "fr", 4, "Les parlements ont joué un rôle clé.").status_code == 200
    data = state(client)
    cell = rows(data)[4]["cells"]["fr"]
    assert cell["text"] == "Les parlements ont joué un rôle clé." and cell["corrected"]
    assert not cell["outdated"] and data["outdated"] == {}
    french = Session.open(session.root).read_transcript("fr").sentences[3].text
    assert french == "Les parlements ont joué un rôle clé."


@pytest.mark.parametrize("body,status,message", [
    ({"language": "en", "id": 2, "text": "   "}, 400, "A sentence cannot be empty"),
    ({"language": "en", "id": 999, "text": "x"}, 404, "There is no sentence 999 in the en"),
    ({"language": "es", "id": 2, "text": "x"}, 404, "This session has no 'es' transcript."),
    ({"language": "en", "id": "2", "text": "x"}, 400, "lacks its 'id' (a whole number)"),
    ({"language": "en", "id": 2, "text": "x" * 6000}, 400, "at most 5000 characters"),
])
def test_a_bad_correction_is_one_sentence(client, session, body, status, message):
    response = client.post("/api/sentence", headers=WRITE, json={**body, "version": "x"})
    assert response.status_code == status and message in response.json()["message"]
    assert not session.path(EDITS_FILE).exists()


def test_a_write_while_a_run_holds_the_session_is_refused(client, session):
    version = rows(state(client))[2]["cells"]["en"]["version"]
    with SessionLock(session.root, "run"):
        response = save_text(client, "en", 2, "Saved while a run works.", version)
    assert response.status_code == 423
    message = response.json()["message"]
    assert "is in use by another run" in message and "'run' started" in message
    assert "Nothing was saved; your text is kept here" in message
    assert not session.path(EDITS_FILE).exists()
    assert save_text(client, "en", 2, "Saved while a run works.", version).status_code == 200


# -- speakers --------------------------------------------------------------------------------
@pytest.fixture
def voiced(tmp_path) -> Session:
    return sample_session(tmp_path, voices=True)


def test_a_voice_is_named_for_the_whole_session_in_speakers_yaml(voiced):
    client = client_for(voiced, editor="Ana Ruiz")
    version = next(s for s in state(client)["speakers"] if s["label"] == "S3")["version"]
    body = {"label": "S3", "name": "Tomas Lindqvist", "role": "OHCHR", "version": version}
    response = client.post("/api/speaker", headers=WRITE, json=body)
    assert response.status_code == 200, response.text
    yaml_text = voiced.path("speakers.yaml").read_text()
    assert "S3: {name: Tomas Lindqvist, role: OHCHR}" in yaml_text
    assert client.post("/api/export", headers=WRITE, json={}).status_code == 200
    assert "Tomas Lindqvist:" in voiced.path("en/transcript.srt").read_text()
    assert "<td class='who'>Tomas Lindqvist</td>" in voiced.path("report.html").read_text()
    assert '<span class="voice">Tomas Lindqvist</span>' in client.get(f"/?token={TOKEN}").text
    stale = client.post("/api/speaker", headers=WRITE, json={**body, "name": "Someone else"})
    assert stale.status_code == 409 and "The name of Tomas Lindqvist was changed" in \
        stale.json()["message"]
    renamed = next(s for s in state(client)["speakers"] if s["label"] == "S3")
    again = client.post("/api/speaker", headers=WRITE, json={
        "label": "S3", "name": "Tomas Lindqvist", "role": "", "version": renamed["version"]})
    assert again.status_code == 200
    assert voiced.path("speakers.yaml").read_text().count("S3:") == 1


def test_a_turns_voice_is_corrected_in_every_language(voiced):
    client = client_for(voiced)
    data = state(client)
    row = next(r for r in rows(data).values() if r["speaker"] == VOICES["questions"])
    response = client.post("/api/voice", headers=WRITE, json={
        "ids": list(row["turn"]), "speaker": "S2", "version": row["turn_version"]})
    assert response.status_code == 200, response.text
    reopened = Session.open(voiced.root)
    for language in ("en", "fr"):
        labels = {s.id: s.speaker for s in reopened.read_transcript(language).sentences}
        assert all(labels[i] == "S2" for i in row["turn"])
    edits = json.loads(voiced.path(EDITS_FILE).read_text())
    assert all(edits["sentences"]["en"][str(i)]["speaker"] == "S2" for i in row["turn"])
    stale = client.post("/api/voice", headers=WRITE, json={
        "ids": list(row["turn"]), "speaker": "S1", "version": row["turn_version"]})
    assert stale.status_code == 409
    unknown = client.post("/api/voice", headers=WRITE, json={
        "ids": [row["id"]], "speaker": "S9", "version": "x"})
    assert unknown.status_code == 400 and "There is no voice 'S9'" in unknown.json()["message"]


# -- agenda items' starts -------------------------------------------------------------------
def test_an_item_starts_one_sentence_later_and_back(client, session):
    data = state(client)
    questions = item(data, "questions")
    second = questions["rows"][1]
    response = client.post("/api/boundary", headers=WRITE, json={
        "item": "questions", "sentence": second["id"], "version": questions["version"]})
    assert response.status_code == 200, response.text
    sections = {s.id: s for s in Session.open(session.root).read_sections()}
    assert sections["questions"].start == pytest.approx(second["start"], abs=1e-3)
    assert sections["questions"].method == "pinned"
    moved = item(state(client), "questions")
    assert moved["by_editor"] and moved["rows"][0]["id"] == second["id"]
    assert questions["rows"][0]["id"] in [r["id"] for r in item(state(client), "presentations")["rows"]]
    fr = {s.id: s.section for s in Session.open(session.root).read_transcript("fr").sentences}
    assert fr[questions["rows"][0]["id"]] == "presentations"
    stale = client.post("/api/boundary", headers=WRITE, json={
        "item": "questions", "sentence": second["id"], "version": questions["version"]})
    assert stale.status_code == 409
    back = client.post("/api/boundary", headers=WRITE, json={
        "item": "questions", "sentence": None, "version": moved["version"]})
    assert back.status_code == 200
    assert item(state(client), "questions")["rows"][0]["id"] == questions["rows"][0]["id"]
    assert json.loads(session.path(EDITS_FILE).read_text())["boundaries"] == {}


def test_an_item_start_before_the_previous_items_pinned_start_is_refused(client, session):
    data = state(client)
    closing, questions = item(data, "closing"), item(data, "questions")
    late = closing["rows"][-1]["id"]
    assert client.post("/api/boundary", headers=WRITE, json={
        "item": "closing", "sentence": late, "version": closing["version"]}).status_code == 200
    response = client.post("/api/boundary", headers=WRITE, json={
        "item": "questions", "sentence": late, "version": questions["version"]})
    assert response.status_code == 400
    assert "the start an editor gave item 'closing'" in response.json()["message"]


def test_moving_an_item_needs_its_agenda(tmp_path):
    session = sample_session(tmp_path)
    manifest = json.loads(session.path("session.json").read_text())
    manifest["agenda"]["path"] = str(tmp_path / "gone.yaml")
    session.manifest = manifest
    session.save()
    client = client_for(session)
    questions = item(state(client), "questions")
    response = client.post("/api/boundary", headers=WRITE, json={
        "item": "questions", "sentence": questions["rows"][1]["id"],
        "version": questions["version"]})
    assert response.status_code == 409 and "gone.yaml that 'segment' recorded is gone" in \
        response.json()["message"]
    assert not session.path(EDITS_FILE).exists()


# -- summaries -------------------------------------------------------------------------------
def test_an_items_summary_is_an_editors_file_every_run_keeps(client, session):
    before = session.path("en/summary.md").read_text()
    summary = item(state(client), "questions")["summaries"][0]
    text = "*00:01:50 – 00:02:44*\n\n- The floor asked about the handbook; the IPU answered."
    response = client.post("/api/summary", headers=WRITE, json={
        "language": "en", "item": "questions", "text": text, "version": summary["version"]})
    assert response.status_code == 200, response.text
    assert "the IPU answered." in response.json()["summary"]
    after = session.path("en/summary.md").read_text()
    assert text in after
    untouched = [p for p in before.split("\n## ") if not p.startswith("Questions from the floor")]
    assert all(part in after for part in untouched)
    reopened = Session.open(session.root)
    assert reopened.is_edited("en/summary.md")
    assert reopened.file_record("en/summary.md")["by"] == "Ana Ruiz"
    checks = {c.path: c.status for c in verify_session(session.root).checks}
    assert checks["en/summary.md"] == "accepted-edit"
    stale = client.post("/api/summary", headers=WRITE, json={
        "language": "en", "item": "questions", "text": "x", "version": summary["version"]})
    assert stale.status_code == 409
    from click.testing import CliRunner

    from pipeline.cli import main

    accepted = CliRunner().invoke(main, ["accept", str(session.root)])
    assert accepted.exit_code == 0 and "en/summary.md" in accepted.output
    assert verify_session(session.root).ok
    heading = client.post("/api/summary", headers=WRITE, json={
        "language": "en", "item": "questions", "text": "## Another item",
        "version": item(state(client), "questions")["summaries"][0]["version"]})
    assert heading.status_code == 400 and "heading line" in heading.json()["message"]


# -- translating again without a model -------------------------------------------------------
def test_translate_again_names_the_missing_model(client, session, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    assert save_text(client, "en", 2, "My name is Elena Marsh.").status_code == 200
    before = session.path("fr/transcript.json").read_bytes()
    response = client.post("/api/translate", headers=WRITE, json={})
    assert response.status_code == 200
    data = response.json()
    assert not data["ok"] and data["translated"] == {}
    assert data["message"].startswith("No fr translation: The translation model "
                                      "Helsinki-NLP/opus-mt-en-fr for fr is not in the cache")
    assert "--mt-model fr=DIR" in data["message"]
    assert session.path("fr/transcript.json").read_bytes() == before
    assert state(client)["outdated"] == {"fr": 1}


# -- the command -----------------------------------------------------------------------------
def test_the_command_serves_on_loopback_and_prints_the_address_with_its_token(session):
    command = [sys.executable, "-m", "pipeline", "review", str(session.root), "--no-browser"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        url = process.stdout.readline().strip()
        match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]{20,})", url)
        assert match, url
        assert httpx.get(url, timeout=30).status_code == 200
        assert httpx.get(url.split("?")[0], timeout=30).status_code == 403
        assert _listening_on(int(match.group(1))) == ["127.0.0.1"]   # the loopback only
    finally:
        process.terminate()
        process.communicate(timeout=30)


def _listening_on(port: int) -> list[str]:
    """The IPv4 addresses a socket listens on at ``port`` (from /proc/net/tcp)."""
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:
            found.append(".".join(str(b) for b in bytes.fromhex(address)[::-1]))
    return found


def test_a_folder_that_is_no_session_is_one_sentence(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    result = CliRunner().invoke(main, ["review", str(tmp_path), "--no-browser"])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {tmp_path} is not a session folder (no session.json); "
                                     "run 'session-pipeline transcribe' first.")
