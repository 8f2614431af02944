"""The stage harness: fingerprints, the up-to-date check, manifest records, typed results."""

from __future__ import annotations

import json

from pipeline.formats.transcript import Sentence, Transcript
from pipeline.session import Session
from pipeline.stage import StageRun, combined, fingerprint

TRANSCRIPT = Transcript("en", (Sentence(id=1, start=0.5, end=2.0, text="Good morning."),))


def _run(session: Session, fp: str = "f1", **kwargs) -> StageRun:
    return StageRun(session, "demo", fp, **kwargs)


def test_fingerprint_depends_on_every_input_and_not_on_their_order():
    a = fingerprint(options={"x": 1}, model="m1", source="s")
    assert a == fingerprint(source="s", model="m1", options={"x": 1})
    assert a != fingerprint(options={"x": 2}, model="m1", source="s")
    assert a != fingerprint(options={"x": 1}, model="m2", source="s")


def test_a_finished_stage_is_up_to_date_until_an_input_or_an_output_changes(tmp_path):
    session = Session.open(tmp_path / "s")
    run = _run(session)
    assert not run.up_to_date
    run.begin()
    run.write_text("demo/out.txt", "hello\n")
    result = run.done(counts={"items": 1}, options={"x": 1})
    assert result.ran and result.written == ("demo/out.txt",) and result.counts == {"items": 1}
    record = Session.open(tmp_path / "s").stage("demo")
    assert record["status"] == "done" and record["fingerprint"] == "f1"
    assert record["outputs"] == ["demo/out.txt"] and record["options"] == {"x": 1}

    again = _run(Session.open(tmp_path / "s"))
    assert again.up_to_date
    skipped = again.skip()
    assert not skipped.ran and skipped.written == ()
    assert not _run(Session.open(tmp_path / "s"), "f2").up_to_date          # other inputs
    assert not _run(Session.open(tmp_path / "s"), force=True).up_to_date    # --force
    (tmp_path / "s" / "demo" / "out.txt").unlink()
    assert not _run(Session.open(tmp_path / "s")).up_to_date                # output gone


def test_a_stage_killed_after_it_began_is_never_up_to_date(tmp_path):
    session = Session.open(tmp_path / "s")
    first = _run(session)
    first.write_text("demo/out.txt", "one\n")
    first.done()
    second = _run(Session.open(tmp_path / "s"), force=True)
    second.begin()                                   # ... and the process dies here
    on_disk = json.loads((tmp_path / "s" / "session.json").read_text())
    assert on_disk["stages"]["demo"]["status"] == "running"
    assert not _run(Session.open(tmp_path / "s")).up_to_date


def test_an_edited_output_is_kept_and_reported(tmp_path):
    session = Session.open(tmp_path / "s")
    run = _run(session)
    run.write_text("demo/out.txt", "draft one\n")
    run.done()
    (tmp_path / "s" / "demo" / "out.txt").write_text("the editor's text\n")
    rerun = _run(Session.open(tmp_path / "s"), "f2")
    rerun.write_text("demo/out.txt", "draft two\n")
    result = rerun.done()
    assert result.kept_edits == ("demo/out.txt",)
    assert result.written == ("demo/out.draft.txt",)
    assert (tmp_path / "s" / "demo" / "out.txt").read_text() == "the editor's text\n"


def test_per_language_runs_are_recorded_under_the_stage(tmp_path):
    session = Session.open(tmp_path / "s")
    fr = StageRun(session, "translate", "ffr", language="fr")
    fr.write_text("fr/a.txt", "bonjour\n")
    fr_result = fr.done()
    assert session.stage("translate")["status"] == "done"
    es = StageRun(session, "translate", "fes", language="es")
    es.begin()
    assert session.stage("translate")["status"] == "running"      # one language not done
    es.write_text("es/a.txt", "hola\n")
    both = combined("translate", [fr_result, es.done()])
    assert session.stage("translate")["status"] == "done"
    assert set(session.stage("translate")["languages"]) == {"fr", "es"}
    assert both.ran and both.written == ("fr/a.txt", "es/a.txt")
    assert [p.language for p in both.parts] == ["fr", "es"]
    assert StageRun(Session.open(tmp_path / "s"), "translate", "ffr", language="fr").up_to_date
    assert not StageRun(Session.open(tmp_path / "s"), "translate", "new", language="fr").up_to_date


def test_transcripts_are_headed_by_the_sections_titles_once_there(tmp_path):
    session = Session.open(tmp_path / "s")
    tagged = Transcript("fr", (Sentence(id=1, start=0.5, end=2.0, text="Bonjour.",
                                        section="opening"),))
    _run(session).write_transcript(tagged)
    assert "## opening" in session.path("fr/transcript.md").read_text()
    sections = {"schema": "session-pipeline/sections/1", "agenda": {}, "duration": 3.0,
                "sections": [{"id": "opening", "titles": {"en": "Opening", "fr": "Ouverture"},
                              "start": 0.0, "end": 3.0, "scheduled_start": 0.0,
                              "pinned_start": None, "method": "scheduled"}]}
    session.path("sections.json").write_text(json.dumps(sections))
    _run(session).write_transcript(tagged)
    assert "## Ouverture" in session.path("fr/transcript.md").read_text()


def test_languages_are_found_english_first(tmp_path):
    session = Session.open(tmp_path / "s")
    for language in ("es", "en", "fr"):
        _run(session).write_transcript(Transcript(language, TRANSCRIPT.sentences))
    assert session.languages() == ["en", "es", "fr"]
