"""The export stage: refresh every language's derived files and the review page."""

from __future__ import annotations

import logging

from pipeline.export.report import REPORT, render_report
from pipeline.formats.edits import EDITS_FILE
from pipeline.formats.sections import SECTIONS_FILE
from pipeline.formats.speakers import EDITS_FILE as SPEAKER_EDITS_FILE
from pipeline.formats.speakers import SPEAKERS_FILE, names
from pipeline.formats.writers import TRANSCRIPT_FORMATS
from pipeline.fsio import sha256_file
from pipeline.session import Session, transcript_relpath
from pipeline.stage import StageResult, StageRun, fingerprint

log = logging.getLogger(__name__)

STAGE = "export"
DERIVED_FORMATS = tuple(fmt for fmt in TRANSCRIPT_FORMATS if fmt != "json")


def export_session(session: Session, *, force: bool = False) -> StageResult:
    """Rewrite SRT, WebVTT, text and Markdown from each ``transcript.json``, then the review page.

    ``transcript.json`` is the source (an editor may have corrected it), so it is read, never
    rewritten here; files a person edited are kept and the new version goes beside them.
    """
    languages = session.languages()
    run = StageRun(session, STAGE, fingerprint(inputs=_inputs(session, languages),
                                               recording=session.manifest.get("input"),
                                               models=_models(session)),
                   outputs=[REPORT], force=force)
    if run.up_to_date:
        return run.skip()
    sections = session.read_sections() if session.path(SECTIONS_FILE).exists() else []
    transcripts = {language: session.read_transcript(language) for language in languages}
    run.begin()
    for transcript in transcripts.values():
        run.write_transcript(transcript, formats=DERIVED_FORMATS)
    summaries = {language: session.path(f"{language}/summary.md").read_text(encoding="utf-8")
                 for language in languages if session.path(f"{language}/summary.md").exists()}
    run.write_text(REPORT, render_report(session.manifest, transcripts, sections, summaries,
                                         speakers=names(session.named_speakers())))
    return run.done(counts={"languages": len(languages)})


def _inputs(session: Session, languages: list[str]) -> dict[str, str]:
    """Checksums of the files the exported ones are made from."""
    paths = [SECTIONS_FILE, SPEAKERS_FILE, SPEAKER_EDITS_FILE, EDITS_FILE] \
        + [transcript_relpath(lang, "json") for lang in languages] \
        + [f"{lang}/summary.md" for lang in languages]
    return {rel: sha256_file(session.path(rel)) for rel in paths if session.path(rel).exists()}


def _models(session: Session) -> dict:
    return {name: stage.get("models") for name, stage in session.manifest["stages"].items()
            if stage.get("models")}
