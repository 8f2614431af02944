"""Session folders for tests: transcripts put in place, stages called as the commands call them."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from pipeline.formats.transcript import Transcript
from pipeline.formats.writers import TRANSCRIPT_FORMATS, render_all
from pipeline.session import Session, WriteResult, transcript_relpath


def put_transcript(session: Session, transcript: Transcript, *, stage: str,
                   titles: dict[str, str] | None = None,
                   formats: Sequence[str] = TRANSCRIPT_FORMATS) -> list[WriteResult]:
    """Write a language's transcript files as the stage ``stage`` would (no stage record)."""
    return [session.write_text(transcript_relpath(transcript.language, fmt), text, stage=stage)
            for fmt, text in render_all(transcript, formats, titles=titles).items()]


def transcribe(session: Session, recording: str | Path, options, reporter=None, *,
               force: bool = False):
    """The transcription stage as 'session-pipeline transcribe' calls it."""
    from pipeline.audio import inspect_recording
    from pipeline.transcribe import resolve_asr_model, transcribe_session

    source = inspect_recording(recording, options.channel)
    return transcribe_session(session, source, resolve_asr_model(options.asr_model),
                              options=options, reporter=reporter, force=force)


def translate(session: Session, options, reporter=None, *, force: bool = False):
    """The translation stage as 'session-pipeline translate' calls it (with the glossary of
    the agenda that 'segment' recorded, if any)."""
    from pipeline.agenda import recorded_agenda
    from pipeline.translate.stage import resolve_models, translate_session

    agenda = recorded_agenda(session)
    if agenda is not None:
        options = options.with_glossary(agenda.glossary)
    models, _ = resolve_models(options)
    return translate_session(session, models, options=options, reporter=reporter, force=force)
