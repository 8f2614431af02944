"""The export stage: refresh every language's derived files and the review page."""

from __future__ import annotations

import logging
import time

from pipeline.export.files import TRANSCRIPT_FORMATS, read_transcript, write_transcript_files
from pipeline.report import write_report
from pipeline.session import Session, WriteResult, now

log = logging.getLogger(__name__)

STAGE = "export"
DERIVED_FORMATS = tuple(fmt for fmt in TRANSCRIPT_FORMATS if fmt != "json")


def session_languages(session: Session) -> list[str]:
    """Languages with a transcript in the folder, English first."""
    found = [p.parent.name for p in session.root.glob("*/transcript.json")]
    return sorted(found, key=lambda lang: (lang != "en", lang))


def export_session(session: Session) -> list[WriteResult]:
    """Rewrite SRT, WebVTT, text and Markdown from each ``transcript.json``, then the review page.

    ``transcript.json`` is the source (an editor may have corrected it), so it is read, never
    rewritten here; files a person edited are kept and the new version goes beside them.
    """
    from pipeline.segment.sections import load_sections

    started, clock = now(), time.monotonic()
    sections = load_sections(session) if session.path("sections.json").exists() else []
    results: list[WriteResult] = []
    for language in session_languages(session):
        titles = {s.id: s.title_in(language) for s in sections}
        results += write_transcript_files(session, read_transcript(session, language),
                                          stage=STAGE, titles=titles, formats=DERIVED_FORMATS)
    results.append(write_report(session))
    kept = [r.path.relative_to(session.root).as_posix() for r in results if r.kept_edit]
    session.record_stage(STAGE, status="done", started=started, finished=now(),
                         seconds=round(time.monotonic() - clock, 3),
                         written=[r.written.relative_to(session.root).as_posix() for r in results],
                         kept_edits=kept)
    session.save()
    return results
