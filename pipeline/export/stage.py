"""The export stage: refresh every language's derived files, Word files and the review page."""

from __future__ import annotations

import logging

from pipeline.export.report import REPORT, render_report
from pipeline.formats.docx import AgendaLine, Meeting, summary_docx, transcript_docx
from pipeline.formats.edits import EDITS_FILE
from pipeline.formats.sections import SECTIONS_FILE, Section
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
    """Rewrite SRT, WebVTT, text, Markdown and Word from each ``transcript.json``, Word from
    each ``summary.md``, then the review page.

    ``transcript.json`` and ``summary.md`` are the sources (an editor may have corrected
    them), so they are read, never rewritten here; files a person edited (a ``.docx`` too)
    are kept and the new version goes beside them.
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
    _write_word(run, session, transcripts, sections, summaries)
    run.write_text(REPORT, render_report(session.manifest, transcripts, sections, summaries,
                                         speakers=names(session.named_speakers())))
    return run.done(counts={"languages": len(languages)})


def _write_word(run: StageRun, session: Session, transcripts: dict, sections: list[Section],
                summaries: dict[str, str]) -> None:
    """``<lang>/transcript.docx`` and, where there is a summary, ``<lang>/summary.docx``."""
    speakers = names(session.named_speakers())
    for language, transcript in transcripts.items():
        meeting = meeting_of(session.manifest, sections, language)
        run.write_bytes(f"{language}/transcript.docx",
                        transcript_docx(transcript, meeting, speakers=speakers))
        if language in summaries:
            run.write_bytes(f"{language}/summary.docx", summary_docx(summaries[language], meeting))


def meeting_of(manifest: dict, sections: list[Section], language: str) -> Meeting:
    """The meeting as the Word files of ``language`` head it: title, date, agenda items."""
    agenda = manifest.get("agenda") or {}
    return Meeting(title=agenda.get("title") or "Meeting", language=language,
                   date=agenda.get("date"),
                   agenda=tuple(AgendaLine(s.id, s.title_in(language), s.start, s.end)
                                for s in sections))


def _inputs(session: Session, languages: list[str]) -> dict[str, str]:
    """Checksums of the files the exported ones are made from."""
    paths = [SECTIONS_FILE, SPEAKERS_FILE, SPEAKER_EDITS_FILE, EDITS_FILE] \
        + [transcript_relpath(lang, "json") for lang in languages] \
        + [f"{lang}/summary.md" for lang in languages]
    return {rel: sha256_file(session.path(rel)) for rel in paths if session.path(rel).exists()}


def _models(session: Session) -> dict:
    return {name: stage.get("models") for name, stage in session.manifest["stages"].items()
            if stage.get("models")}
