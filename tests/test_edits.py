"""The editors' corrections (edits.json): the format, the stage harness laying them over every
transcript it writes, the segment stage pinning an editor's item start, verify listing them,
and report.html with speakers and a player."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers.review import sample_session
from helpers.sessions import put_transcript

from pipeline.agenda import load_agenda
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.export import export_session
from pipeline.export.report import render_report
from pipeline.formats import edits as edits_io
from pipeline.formats.edits import EDITS_FILE, BoundaryEdit, Edits, SentenceEdit
from pipeline.formats.transcript import Sentence, Transcript
from pipeline.segment import segment_session
from pipeline.segment.stage import with_editors_starts
from pipeline.session import Session
from pipeline.stage import StageRun
from pipeline.verify import verify_session

SAMPLES_AGENDA = "samples/agenda.yaml"
ENGLISH = Transcript("en", (Sentence(1, 0.5, 2.0, "Good morning."),
                            Sentence(2, 2.5, 4.0, "Miss Okafor has the floor.", speaker="S2")))
FRENCH = Transcript("fr", (Sentence(1, 0.5, 2.0, "Bonjour."),
                           Sentence(2, 2.5, 4.0, "Mlle Okafor a la parole.", speaker="S2")))
FIXED = SentenceEdit("en", 2, 2.5, 4.0, text="Ms. Okafor has the floor.",
                     was="Miss Okafor has the floor.", speaker="S3", by="Ana",
                     at="2024-05-14T15:00:00+00:00", outdated={"fr": "Mlle Okafor a la parole."})


def test_the_edits_file_round_trips_and_says_what_it_holds():
    edits = Edits((FIXED, SentenceEdit("fr", 1, 0.5, 2.0, text="Bonjour à tous.")),
                  (BoundaryEdit("questions", 95.21, 31, "", "2024-05-14T15:01:00+00:00"),))
    text = edits_io.dumps(edits)
    data = json.loads(text)
    assert data["schema"] == "session-pipeline/edits/1"
    assert data["sentences"]["en"]["2"] == {
        "start": 2.5, "end": 4.0, "text": "Ms. Okafor has the floor.",
        "was": "Miss Okafor has the floor.", "speaker": "S3", "by": "Ana",
        "at": "2024-05-14T15:00:00+00:00", "outdated": {"fr": "Mlle Okafor a la parole."}}
    assert data["boundaries"] == {"questions": {"start": 95.21, "sentence": 31, "by": "",
                                                "at": "2024-05-14T15:01:00+00:00"}}
    assert edits_io.loads(text) == edits


@pytest.mark.parametrize("text,message", [
    ('{"schema": "session-pipeline/edits/9"}', "schema 'session-pipeline/edits/9'"),
    ("{not json", "is not valid JSON (line 1"),
    ('{"schema": "session-pipeline/edits/1", "sentences": {"en": {"x": {"start": 1}}}}',
     "holds a correction this version cannot read"),
])
def test_an_unreadable_edits_file_is_one_sentence(text, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        edits_io.loads(text, "edits.json")


def test_corrections_apply_to_their_own_sentence_only_and_voices_to_every_language():
    edits = Edits((FIXED, SentenceEdit("fr", 1, 0.5, 2.0, text="Bonjour à tous.")))
    english = edits_io.apply(ENGLISH, edits)
    assert english.transcript.sentences[1].text == "Ms. Okafor has the floor."
    assert english.transcript.sentences[1].speaker == "S3"
    assert english.corrected == (2,) and english.orphans == ()
    french = edits_io.apply(FRENCH, edits)
    assert [s.text for s in french.transcript.sentences] == ["Bonjour à tous.",
                                                              "Mlle Okafor a la parole."]
    assert french.transcript.sentences[1].speaker == "S3"          # the voice, in French too
    recognised_again = Transcript("en", (Sentence(2, 2.9, 4.0, "Miss Okafor has the floor."),))
    moved = edits_io.apply(recognised_again, edits)
    assert moved.transcript == recognised_again and moved.orphans == (FIXED,)


def test_the_stage_harness_lays_the_corrections_over_every_transcript_it_writes(tmp_path):
    session = Session.open(tmp_path / "s")
    session.write_edit(EDITS_FILE, edits_io.dumps(Edits((FIXED,))))
    run = StageRun(session, "transcribe", "f1")
    run.write_transcript(ENGLISH)                 # what recognition made, written again
    run.done()
    written = session.read_transcript("en")
    assert written.sentences[1].text == "Ms. Okafor has the floor."
    assert "Ms. Okafor has the floor." in session.path("en/transcript.srt").read_text()
    assert not session.is_edited("en/transcript.json")           # the pipeline's own file


def test_an_editors_item_start_is_pinned_like_the_agendas(tmp_path):
    session = sample_session(tmp_path, recording=False)
    english = session.read_transcript("en")
    before = {s.id: s for s in session.read_sections()}
    target = next(s for s in english.sentences if s.start > before["questions"].start + 5)
    session.write_edit(EDITS_FILE, edits_io.dumps(Edits(boundaries=(
        BoundaryEdit("questions", target.start, target.id),))))
    segment_session(session, load_agenda(SAMPLES_AGENDA))
    after = {s.id: s for s in session.read_sections()}
    assert after["questions"].start == target.start and after["questions"].method == "pinned"
    assert after["questions"].pinned_start == target.start
    assert after["questions"].evidence[0] == "start given by an editor (edits.json)"
    assert after["presentations"].end == target.start
    tagged = {s.id: s.section for s in session.read_transcript("fr").sentences}
    assert tagged[target.id] == "questions" and tagged[target.id - 1] == "presentations"


def test_editors_item_starts_out_of_order_are_one_sentence(tmp_path):
    agenda = load_agenda(SAMPLES_AGENDA)
    with pytest.raises(InputError, match=r"edits.json: the start an editor gave item "
                                         r"'questions' \(00:00:50\) is not after the pinned "
                                         r"start of 'presentations' \(00:01:00\)"):
        with_editors_starts(agenda, {"presentations": 60.0, "questions": 50.0}, "edits.json")


def test_verify_lists_the_editors_corrections_as_accepted_edits(tmp_path):
    session = sample_session(tmp_path, recording=False)
    english = session.read_transcript("en")
    first, third = english.sentences[0], english.sentences[2]
    edits = Edits((SentenceEdit("en", first.id, first.start, first.end, text="Good afternoon."),
                   SentenceEdit("en", third.id, third.start, third.end, text="In December."),
                   SentenceEdit("fr", first.id, first.start, first.end, text="Bonjour.")),
                  (BoundaryEdit("closing", english.sentences[-2].start,
                                english.sentences[-2].id),))
    session.write_edit(EDITS_FILE, edits_io.dumps(edits))
    export_session(session, force=True)
    report = verify_session(session.root)
    found = {(c.path, c.detail) for c in report.checks if c.status == "accepted-edit"}
    assert ("en/transcript.json", f"edits.json: 2 corrected sentences ({first.id}, {third.id})"
            "; not yet written into the transcript (the next run writes them)") in found
    assert ("fr/transcript.json", f"edits.json: 1 corrected sentence ({first.id}); not yet "
            "written into the transcript (the next run writes them)") in found
    assert any(p == "sections.json" and "starts item 'closing' at sentence" in d
               for p, d in found)
    assert report.ok
    result = CliRunner().invoke(main, ["verify", str(session.root)])
    assert result.exit_code == 0, result.output
    assert f"accepted-edit  en/transcript.json  (edits.json: 2 corrected sentences ({first.id}, " \
           f"{third.id})" in result.output
    assert "3 accepted edits" in result.output


def test_the_report_shows_speakers_and_plays_the_recording_beside_it(tmp_path):
    session = sample_session(tmp_path, recording=True, voices=True)
    html = session.path("report.html").read_text(encoding="utf-8")
    assert "<th>Speaker</th>" in html and "<td class='who'>Elena Marsh</td>" in html
    assert "<td class='who'>Speaker 3</td>" in html
    assert "<source src='session.ogg'><source src='../session.ogg'>" in html
    assert "<tr id='s1' data-start='0.832' data-end='8.572'>" in html and "<script>" in html
    assert str(tmp_path) not in html.split("<table class='meta'>")[1].split("</table>", 1)[1]
    plain = render_report({}, {"en": ENGLISH}, [], {})
    assert "<audio" not in plain and "<script>" not in plain and "Speaker</th>" not in \
        render_report({}, {"en": Transcript("en", ENGLISH.sentences[:1])}, [], {})


def test_a_transcript_without_voices_keeps_the_report_as_it_was(tmp_path):
    session = Session.open(tmp_path / "s")
    put_transcript(session, ENGLISH, stage="transcribe")
    html = render_report(session.manifest, {"en": Transcript("en", ENGLISH.sentences[:1])}, [], {})
    assert "<th>Time</th><th>en</th>" in html and "data-start='" not in html
