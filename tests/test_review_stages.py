"""The editors' corrections with the real stages: "translate again" through the translation stage
and its memory (a tiny local Marian model), and corrections surviving a re-run of segment,
translate, summarise and export. Marked slow by the model fixture."""

from __future__ import annotations

import json

import pytest
from helpers.review import SAMPLES, sample_session
from helpers.sessions import translate
from starlette.testclient import TestClient
from test_review import TOKEN, WRITE, item, save_text, state

from pipeline.agenda import load_agenda
from pipeline.export import export_session
from pipeline.formats.edits import EDITS_FILE
from pipeline.review.app import create_app
from pipeline.review.options import ReviewOptions
from pipeline.segment import segment_session
from pipeline.session import Session
from pipeline.summarise import summarise_session
from pipeline.translate.options import TranslateOptions
from pipeline.verify import verify_session


def _options(tiny_marian_dir) -> TranslateOptions:
    return TranslateOptions(targets=("fr",), models={"fr": str(tiny_marian_dir("fr"))},
                            beam_size=1, threads=1)


@pytest.fixture
def translated(tmp_path, tiny_marian_dir) -> Session:
    """The sample segmented, translated into French by the translation stage, summarised."""
    session = sample_session(tmp_path, languages=("en",))
    translate(session, _options(tiny_marian_dir))
    agenda = load_agenda(SAMPLES / "agenda.yaml")
    summarise_session(session, agenda)
    export_session(session)
    return session


@pytest.fixture
def client(translated) -> TestClient:
    return TestClient(create_app(translated.root, ReviewOptions(editor="Ana"), token=TOKEN),
                      base_url="http://127.0.0.1")


def test_translate_again_translates_only_the_corrected_sentences(client, translated):
    before = {s.id: s.text for s in translated.read_transcript("fr").sentences}
    assert save_text(client, "en", 2, "My name is Elena Marsh and I chair this session.") \
        .status_code == 200
    assert save_text(client, "en", 5, "Thank you for this panel, Madam Chair.").status_code == 200
    assert save_text(client, "fr", 5, "Merci, Madame la Présidente.").status_code == 200
    assert state(client)["outdated"] == {"fr": 1}          # sentence 5's French is an editor's
    response = client.post("/api/translate", headers=WRITE, json={})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["ok"] and data["translated"] == {"fr": 2}   # the two changed English sentences
    assert data["message"] == "fr: 2 sentences translated again"
    record = Session.open(translated.root).stage("translate")["languages"]["fr"]
    assert record["counts"]["reused"] == len(before) - 2     # the rest from the memory
    after = {s.id: s.text for s in Session.open(translated.root).read_transcript("fr").sentences}
    assert after[5] == "Merci, Madame la Présidente."        # the editor's French wins
    assert {i for i in before if after[i] != before[i]} <= {2, 5}
    assert state(client)["outdated"] == {}
    assert json.loads(translated.path(EDITS_FILE).read_text())["sentences"]["en"]["2"] \
        .get("outdated") is None


def test_corrections_survive_a_rerun_of_segment_translate_summarise_and_export(
        client, translated, tiny_marian_dir):
    english = "Parliament has had a key role in turning its 23 objectives into national law!"
    assert save_text(client, "en", 4, english).status_code == 200
    assert save_text(client, "fr", 3, "En décembre 2018, 152 États ont approuvé le Pacte.") \
        .status_code == 200
    questions = item(state(client), "questions")
    later = questions["rows"][1]
    assert client.post("/api/boundary", headers=WRITE, json={
        "item": "questions", "sentence": later["id"], "version": questions["version"]}) \
        .status_code == 200
    summary = item(state(client), "opening")["summaries"][1]
    text = "*00:00:00 – 00:00:38*\n\n- La présidente ouvre la séance."
    assert client.post("/api/summary", headers=WRITE, json={
        "language": "fr", "item": "opening", "text": text, "version": summary["version"]}) \
        .status_code == 200

    session = Session.open(translated.root)
    agenda = load_agenda(SAMPLES / "agenda.yaml")
    segment_session(session, agenda, force=True)
    translate(session, _options(tiny_marian_dir), force=True)
    summarise_session(session, agenda, force=True)
    export_session(session, force=True)

    session = Session.open(translated.root)
    assert session.read_transcript("en").sentences[3].text == english
    assert english in session.path("en/transcript.txt").read_text()
    assert "national law!" in session.path("en/transcript.srt").read_text()
    assert "152 États ont approuvé le Pacte." in session.path("fr/transcript.vtt").read_text()
    assert "152 États ont approuvé le Pacte." in session.path("report.html").read_text()
    sections = {s.id: s for s in session.read_sections()}
    assert sections["questions"].start == pytest.approx(later["start"], abs=1e-3)
    assert sections["questions"].method == "pinned"
    assert text in session.path("fr/summary.md").read_text()          # kept ...
    assert session.path("fr/summary.draft.md").exists()               # ... the new draft beside
    summary_en = session.path("en/summary.md").read_text()     # drafted again, from the correction
    assert (f"{english} (#4)" in summary_en) == (4 in _summary_ids(summary_en))
    report = verify_session(session.root)
    assert report.ok
    accepted = {c.path for c in report.checks if c.status == "accepted-edit"}
    assert {"en/transcript.json", "fr/transcript.json", "sections.json",
            "fr/summary.md"} <= accepted


def _summary_ids(text: str) -> set[int]:
    import re

    return {int(m) for m in re.findall(r"\(#(\d+)\)", text)}
