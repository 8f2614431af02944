"""A language's transcript files (``<lang>/transcript.<ext>``), written through the session."""

from __future__ import annotations

from typing import Sequence

from pipeline.errors import SessionError
from pipeline.export.cues import CueOptions
from pipeline.export.writers import WRITERS, Titles, render
from pipeline.session import Session, WriteResult
from pipeline.transcript import Transcript, load

TRANSCRIPT_FORMATS = ("json", "srt", "vtt", "txt", "md")


def transcript_relpath(language: str, fmt: str) -> str:
    return f"{language}/transcript.{fmt}"


def write_transcript_files(session: Session, transcript: Transcript, *, stage: str,
                           titles: Titles | None = None,
                           formats: Sequence[str] = TRANSCRIPT_FORMATS,
                           cue_options: CueOptions = CueOptions()) -> list[WriteResult]:
    """Render and write every format; an edited file is kept and the new one goes beside it.

    All formats are rendered before the first file is written, so a bad format writes
    nothing. The caller records the stage and saves the manifest.
    """
    unknown = [fmt for fmt in formats if fmt not in WRITERS]
    if unknown:
        raise ValueError(f"Unknown transcript format {unknown[0]!r}; choose from: "
                         f"{', '.join(WRITERS)}.")
    texts = {fmt: render(fmt, transcript, titles=titles, cue_options=cue_options)
             for fmt in dict.fromkeys(formats)}
    return [session.write_text(transcript_relpath(transcript.language, fmt), text, stage=stage)
            for fmt, text in texts.items()]


def read_transcript(session: Session, language: str) -> Transcript:
    """The ``<language>/transcript.json`` of ``session``; SessionError when there is none yet."""
    path = session.transcript_path(language)
    if not path.exists():
        command = "transcribe" if language == "en" else "translate"
        raise SessionError(f"There is no {language} transcript in {session.root} yet; run "
                           f"'session-pipeline {command}' first.")
    transcript = load(path)
    if transcript.language != language:
        raise SessionError(f"{path} holds a {transcript.language!r} transcript, not {language!r}; "
                           f"re-run the stage that writes it.")
    return transcript
