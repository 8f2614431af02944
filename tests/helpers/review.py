"""Session folders for the workspace's tests: the sample's golden inputs, segmented and summarised.

The English input is the sample as tiny.en recognised it (with word probabilities) and the
French one comes from a tiny random Marian model (``tests/data/golden/sample/``), so these
sessions need no model; the recording is a copy of the bundled sample beside the folder.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from helpers.sessions import put_transcript
from pipeline.agenda import load_agenda
from pipeline.audio import inspect_recording
from pipeline.export import export_session
from pipeline.formats import speakers as speakers_io
from pipeline.formats.speakers import Speaker
from pipeline.formats.transcript import load
from pipeline.segment import segment_session
from pipeline.session import Session
from pipeline.stage import StageRun
from pipeline.summarise import summarise_session

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden" / "sample"
SAMPLES = ROOT / "samples"
VOICES = {"opening": "S1", "presentations": "S2", "questions": "S3", "closing": "S1"}


def sample_session(folder: Path, *, languages=("en", "fr"), recording: bool = True,
                   voices: bool = False) -> Session:
    """``folder/session``, made from the sample's golden inputs; the recording copied to
    ``folder/session.ogg`` and named in the manifest (``recording``); a voice per agenda
    item and speakers.json as the speaker stage writes them (``voices``)."""
    session = Session.open(folder / "session")
    for language in languages:
        put_transcript(session, load(GOLDEN / f"input.{language}.json"),
                       stage="transcribe" if language == "en" else "translate")
    if recording:
        copy = folder / "session.ogg"
        shutil.copyfile(SAMPLES / "session.ogg", copy)
        session.manifest["input"] = inspect_recording(copy).to_record()
    session.save()
    agenda = load_agenda(SAMPLES / "agenda.yaml")
    segment_session(session, agenda)
    if voices:
        label_voices(session)
    summarise_session(session, agenda)
    export_session(session)
    return session


def label_voices(session: Session) -> None:
    """A voice per agenda item (:data:`VOICES`) and ``speakers.json`` naming two of them."""
    run = StageRun(session, "speakers", "test-voices")
    speakers = [Speaker("S1", "Elena Marsh", "Chair"), Speaker("S2", "David Okafor", "IPU"),
                Speaker("S3")]
    run.write_text(speakers_io.SPEAKERS_FILE, speakers_io.dumps(speakers))
    for language in session.languages():
        transcript = session.read_transcript(language)
        run.write_transcript(replace(transcript, sentences=tuple(
            replace(s, speaker=VOICES.get(s.section, "S3")) for s in transcript.sentences)))
    run.done()
