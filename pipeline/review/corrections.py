"""The editors' corrections: each checked against what the page read, then written at once.

A correction goes into ``edits.json`` (through the session's write path, under the session
lock), and the files it changes are written again right away, so the folder agrees with it
at once and every later run keeps it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import fields, replace
from typing import Sequence

from pipeline.agenda import recorded_agenda
from pipeline.errors import InputError
from pipeline.export import export_session
from pipeline.formats import edits as edits_io
from pipeline.formats.edits import EDITS_FILE, BoundaryEdit, Edits, SentenceEdit
from pipeline.formats.speakers import EDITS_FILE as SPEAKERS_EDITS_FILE
from pipeline.review import summaries
from pipeline.review.errors import STALE, Conflict, NotFound, ReviewError
from pipeline.review.speakers import with_name
from pipeline.review.state import (
    SessionState,
    boundary_version,
    sentence_version,
    speaker_version,
    summary_version,
    voices_version,
)
from pipeline.review.workspace import Workspace, rewrite_transcripts
from pipeline.segment import SegmentOptions, segment_session
from pipeline.segment.stage import with_editors_starts
from pipeline.session import Session, now
from pipeline.stage import StageResult

log = logging.getLogger(__name__)

_SPACES = re.compile(r"\s+")


def correct_text(ws: Workspace, language: str, ident: int, text: str, version: str) -> None:
    """An editor's text for one sentence of one language."""
    text = _sentence_text(text, ws.options.max_text_chars)
    with ws.writing() as session:
        state = SessionState.load(session)
        sentence = _sentence(state, language, ident)
        if sentence_version(language, sentence) != version:
            raise Conflict(STALE.format(what=f"The {language} text of sentence {ident}"))
        if text == sentence.text:
            return
        before = state.edits.sentence(language, ident)
        edit = replace(before or SentenceEdit(language, ident, sentence.start, sentence.end),
                       text=text, was=(before.was if before and before.was is not None
                                       else sentence.text),
                       by=ws.options.editor, at=now(),
                       outdated=_outdated(state, before, language, ident))
        _save_edits(session, state.edits.with_sentence(edit), ws.options.editor)
        rewrite_transcripts(session, [language])


def _outdated(state: SessionState, before: SentenceEdit | None, language: str,
              ident: int) -> dict[str, str]:
    """For an English correction: per other language, the machine translation made from the
    English before it (kept from the first correction until translated again)."""
    if language != "en":
        return {}
    marks = dict(before.outdated) if before else {}
    for other in state.languages:
        own = state.edits.sentence(other, ident)
        sentence = state.sentence(other, ident)
        if other == "en" or other in marks or sentence is None:
            continue
        if own is None or own.text is None:       # an editor's translation is not redone
            marks[other] = sentence.text
    return marks


def correct_voices(ws: Workspace, ids: Sequence[int], label: str, version: str) -> None:
    """An editor's voice for some sentences (a turn, or one sentence), in every language."""
    if not ids:
        raise ReviewError("Name at least one sentence whose speaker to change.")
    with ws.writing() as session:
        state = SessionState.load(session)
        if state.speaker(label) is None:
            raise ReviewError(f"There is no voice {label!r} in this session; choose one of "
                              f"{', '.join(s.label for s in state.speakers) or 'none'}.")
        sentences = [_sentence(state, "en", i) for i in ids]
        if voices_version(sentences) != version:
            raise Conflict(STALE.format(what="The speaker of these sentences"))
        edits = state.edits
        for sentence in sentences:
            before = edits.sentence("en", sentence.id)
            edits = edits.with_sentence(replace(
                before or SentenceEdit("en", sentence.id, sentence.start, sentence.end),
                speaker=label, by=ws.options.editor, at=now()))
        _save_edits(session, edits, ws.options.editor)
        rewrite_transcripts(session, state.languages)


def name_speaker(ws: Workspace, label: str, name: str, role: str, version: str) -> None:
    """An editor's name (and role) for a voice, for the whole session: ``speakers.yaml``."""
    name, role = _line(name, 200), _line(role, 200)
    with ws.writing() as session:
        state = SessionState.load(session)
        speaker = state.speaker(label)
        if speaker is None:
            raise NotFound(f"There is no voice {label!r} in this session.")
        if speaker_version(speaker) != version:
            raise Conflict(STALE.format(what=f"The name of {speaker.display}"))
        path = session.path(SPEAKERS_EDITS_FILE)
        text = path.read_text(encoding="utf-8") if path.exists() else _SPEAKERS_HEADER
        session.write_edit(SPEAKERS_EDITS_FILE,
                           with_name(text, label, name or None, role or None, str(path)),
                           by=ws.options.editor)


_SPEAKERS_HEADER = ("# The editors' names for the voices: applied by every run "
                    "(session-pipeline review writes here too).\n")


def move_boundary(ws: Workspace, item: str, ident: int | None, version: str) -> None:
    """An editor's start for an agenda item (the start of sentence ``ident``), pinned as a
    hard constraint; ``None`` hands the item's start back to the segment stage."""
    with ws.writing() as session:
        state = SessionState.load(session)
        section = state.section(item)
        if section is None:
            raise NotFound(f"There is no agenda item {item!r} in this session.")
        if boundary_version(section) != version:
            raise Conflict(STALE.format(what=f"The start of item {section.title_in('en')!r}"))
        agenda = recorded_agenda(session, required=True)
        if ident is None:
            edits = state.edits.without_boundary(item)
        else:
            sentence = _sentence(state, "en", ident)
            edits = state.edits.with_boundary(BoundaryEdit(
                item, round(sentence.start, 3), ident, ws.options.editor, now()))
        with_editors_starts(agenda, edits.pins(), EDITS_FILE)       # refuses an order error
        _save_edits(session, edits, ws.options.editor)
        segment_session(session, agenda, options=_recorded(session, "segment", SegmentOptions))


def correct_summary(ws: Workspace, language: str, item: str, text: str, version: str) -> None:
    """An editor's summary of one agenda item: its part of ``<language>/summary.md``."""
    text = text.replace("\r\n", "\n")
    if len(text) > ws.options.max_text_chars:
        raise ReviewError(f"A summary holds at most {ws.options.max_text_chars} characters.")
    summaries.check_body(text)
    relpath = f"{language}/summary.md"
    with ws.writing() as session:
        state = SessionState.load(session)
        if state.section(item) is None:
            raise NotFound(f"There is no agenda item {item!r} in this session.")
        path = session.path(relpath)
        if not path.exists():
            raise NotFound(f"There is no {relpath} yet; run 'session-pipeline summarise' first.")
        current = path.read_text(encoding="utf-8")
        part = summaries.item_parts(current, state.sections, language).get(item)
        if part is None:
            raise NotFound(f"{relpath} has no heading for item {item!r}; edit the file itself.")
        if summary_version(language, item, summaries.body(current, part)) != version:
            raise Conflict(STALE.format(what=f"The {language} summary of this item"))
        session.write_edit(relpath, summaries.replaced(current, part, text),
                           by=ws.options.editor)


def export_files(ws: Workspace) -> StageResult:
    """The export stage now: SRT, WebVTT, text, Markdown and report.html from the corrected
    transcripts (what the next 'session-pipeline run' or 'export' would write)."""
    with ws.writing() as session:
        return export_session(session)


def _save_edits(session: Session, edits: Edits, editor: str) -> None:
    session.write_edit(EDITS_FILE, edits_io.dumps(edits), by=editor)


def _sentence(state: SessionState, language: str, ident: int):
    if language not in state.transcripts:
        raise NotFound(f"This session has no {language!r} transcript.")
    sentence = state.sentence(language, ident)
    if sentence is None:
        raise NotFound(f"There is no sentence {ident} in the {language} transcript.")
    return sentence


def _sentence_text(text: str, limit: int) -> str:
    """A sentence is one line of text: spaces and line breaks become single spaces."""
    text = _SPACES.sub(" ", str(text)).strip()
    if not text:
        raise ReviewError("A sentence cannot be empty; type its text (the words as spoken).")
    if len(text) > limit:
        raise ReviewError(f"A sentence holds at most {limit} characters; split what was said "
                          "over the sentences around it.")
    return text


def _line(text: str, limit: int) -> str:
    text = _SPACES.sub(" ", str(text or "")).strip()
    if len(text) > limit:
        raise ReviewError(f"A name or a role holds at most {limit} characters.")
    return text


def _recorded(session: Session, stage: str, cls: type):
    """The options ``stage`` last ran with (as its manifest record keeps them), else defaults."""
    recorded = (session.stage(stage) or {}).get("options") or {}
    known = {f.name for f in fields(cls)}
    try:
        return cls(**{k: v for k, v in recorded.items() if k in known})
    except (TypeError, ValueError) as exc:
        raise InputError(f"The {stage} options recorded in the manifest cannot be used "
                         f"again ({exc}); run 'session-pipeline {stage}' once.") from None
