"""The one-command run: transcribe, segment, translate, summarise and export, resumably.

Every input and every model is checked before any long work starts. Each stage skips
itself when its inputs and options are unchanged (see ``Session.stage_is_current``), so a
second run finishes in seconds and a killed run resumes from the stage (and, within
transcription and translation, the checkpoint) where it stopped.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.agenda import check_against_duration, load_agenda
from pipeline.audio import probe
from pipeline.errors import ModelUnavailableError
from pipeline.export.stage import export_session, session_languages
from pipeline.glossary import Glossary
from pipeline.lock import SessionLock
from pipeline.progress import NullReporter, Reporter
from pipeline.segment import SegmentOptions, segment_session
from pipeline.session import Session
from pipeline.summarise import SummariseOptions, summarise_session
from pipeline.transcribe import TranscribeOptions, resolve_asr_model, transcribe_session
from pipeline.translate.models import resolve_marian_model
from pipeline.translate.options import TranslateOptions, check_languages

log = logging.getLogger(__name__)

STAGES = ("transcribe", "segment", "translate", "summarise", "export")


@dataclass(frozen=True)
class RunOptions:
    """Options of every stage; ``translate`` of ``None`` makes an English-only run."""

    transcribe: TranscribeOptions = field(default_factory=TranscribeOptions)
    segment: SegmentOptions = field(default_factory=SegmentOptions)
    translate: TranslateOptions | None = field(default_factory=TranslateOptions)
    summarise: SummariseOptions = field(default_factory=SummariseOptions)
    skip_missing_translations: bool = False


@dataclass(frozen=True)
class StageOutcome:
    name: str
    ran: bool          # False: its inputs had not changed, so it was skipped
    seconds: float


@dataclass
class RunReport:
    root: Path
    stages: list[StageOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


def run_session(recording: str | Path, agenda_path: str | Path, out: str | Path,
                options: RunOptions = RunOptions(), reporter: Reporter | None = None, *,
                force: bool = False) -> RunReport:
    """Check everything up front, then run the stages in order under the session lock."""
    reporter = reporter or NullReporter()
    report = RunReport(root=Path(out))
    agenda = load_agenda(agenda_path)
    check_against_duration(agenda, probe(recording).duration_s)
    transcribe_options = _with_vocabulary(options.transcribe, agenda.glossary)
    resolve_asr_model(transcribe_options.asr_model)
    translate_options = _available_translation(options, agenda.glossary, report)
    with SessionLock(out, "run"):
        session = Session.open(out)
        _stage(report, session, "transcribe", lambda: transcribe_session(
            session, recording, transcribe_options, reporter, force=force))
        _stage(report, session, "segment", lambda: segment_session(
            session, agenda, options.segment, reporter, force=force))
        if translate_options is not None:
            _stage(report, session, "translate", lambda: translate_session(
                session, translate_options, reporter, force=force))
        _stage(report, session, "summarise", lambda: summarise_session(
            session, agenda, options.summarise, reporter, force=force))
        _stage(report, session, "export", lambda: export_session(session))
        report.languages = session_languages(session)
    return report


def translate_session(*args, **kwargs):
    """The translation stage, imported late: it is the only one that needs transformers."""
    from pipeline.translate.stage import translate_session as stage

    return stage(*args, **kwargs)


def _with_vocabulary(options: TranscribeOptions, glossary: Glossary) -> TranscribeOptions:
    """The agenda's glossary terms join the recognition hints given with --vocabulary."""
    terms = tuple(dict.fromkeys(options.vocabulary + tuple(glossary.vocabulary())))
    return replace(options, vocabulary=terms)


def _available_translation(options: RunOptions, agenda_glossary: Glossary,
                           report: RunReport) -> TranslateOptions | None:
    """Resolve every target's model now; drop the missing ones only when asked to."""
    if options.translate is None:
        return None
    translate = options.translate
    targets = []
    for language in check_languages(translate.targets):
        try:
            resolve_marian_model(translate.model_for(language), language)
            targets.append(language)
        except ModelUnavailableError as exc:
            if not options.skip_missing_translations:
                raise
            report.notes.append(f"No {language} translation: {exc}")
            log.warning("No %s translation in this run: %s", language, exc)
    if not targets:
        return None
    return replace(translate, targets=tuple(targets),
                   glossary=translate.glossary.merged(agenda_glossary))


def _stage(report: RunReport, session: Session, name: str, work) -> None:
    before = _finish_marks(session.stage(name))
    clock = time.monotonic()
    work()
    ran = _finish_marks(session.stage(name)) != before
    report.stages.append(StageOutcome(name, ran, round(time.monotonic() - clock, 2)))


def _finish_marks(record: dict | None) -> list:
    """When the stage (and each of its languages) last finished work: changes only if it ran."""
    record = record or {}
    languages = record.get("languages") or {}
    return [record.get("finished")] + [languages[k].get("finished") for k in sorted(languages)]
