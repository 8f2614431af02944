"""The one-command run: every stage in order, resumably, after every input was checked.

:func:`prepare_run` checks the recording and the agenda and finds every model once, before
any long work; :func:`run_session` then runs :data:`STAGES` in order under the session
lock. Each stage skips itself when its inputs and options are unchanged, so a second run
finishes in seconds and a killed run resumes from the stage (and, within transcription and
translation, the checkpoint) where it stopped. Adding a stage is one entry in :data:`STAGES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from pipeline.agenda import Agenda, check_against_duration, load_agenda
from pipeline.audio.recording import Recording, inspect_recording
from pipeline.export import export_session
from pipeline.lock import SessionLock
from pipeline.progress import NullReporter, Reporter
from pipeline.segment import SegmentOptions, segment_session
from pipeline.session import Session
from pipeline.speakers import SpeakerOptions
from pipeline.speakers.stage import speakers_session
from pipeline.stage import StageResult
from pipeline.summarise import SummariseOptions, summarise_session
from pipeline.transcribe import (
    ResolvedModel,
    TranscribeOptions,
    resolve_asr_model,
    transcribe_session,
)
from pipeline.translate.models import MarianModel
from pipeline.translate.options import TranslateOptions
from pipeline.translate.stage import resolve_models, translate_session


@dataclass(frozen=True)
class RunOptions:
    """Options of every stage; ``translate`` of ``None`` makes an English-only run, and
    ``speakers`` of ``None`` a run without speaker attribution."""

    transcribe: TranscribeOptions = field(default_factory=TranscribeOptions)
    speakers: SpeakerOptions | None = field(default_factory=SpeakerOptions)
    segment: SegmentOptions = field(default_factory=SegmentOptions)
    translate: TranslateOptions | None = field(default_factory=TranslateOptions)
    summarise: SummariseOptions = field(default_factory=SummariseOptions)
    skip_missing_translations: bool = False


@dataclass(frozen=True)
class RunInputs:
    """What a run works from, checked and resolved once before any long work."""

    recording: Recording
    agenda: Agenda
    options: RunOptions                   # with the agenda's glossary merged in
    asr_model: ResolvedModel
    mt_models: dict[str, MarianModel]     # the targets whose model could be had
    notes: tuple[str, ...] = ()           # targets left out, and why


@dataclass(frozen=True)
class RunReport:
    stages: tuple[StageResult, ...]
    notes: tuple[str, ...]
    languages: tuple[str, ...]


Step = Callable[[Session, RunInputs, Reporter, bool], "StageResult | None"]

STAGES: tuple[tuple[str, Step], ...] = (
    ("transcribe", lambda s, i, r, force: transcribe_session(
        s, i.recording, i.asr_model, options=i.options.transcribe, reporter=r, force=force)),
    ("speakers", lambda s, i, r, force: speakers_session(
        s, i.recording, i.agenda, options=i.options.speakers, channel=i.options.transcribe.channel,
        reporter=r, force=force) if i.options.speakers is not None else None),
    ("segment", lambda s, i, r, force: segment_session(
        s, i.agenda, options=i.options.segment, reporter=r, force=force)),
    ("translate", lambda s, i, r, force: translate_session(
        s, i.mt_models, options=i.options.translate, reporter=r, force=force)
        if i.mt_models else None),
    ("summarise", lambda s, i, r, force: summarise_session(
        s, i.agenda, options=i.options.summarise, reporter=r, force=force)),
    ("export", lambda s, i, r, force: export_session(s, force=force)),
)
"""The stages of a run, in order: a name and how to call it (None: nothing to do)."""


def prepare_run(recording: str | Path, agenda_path: str | Path, options: RunOptions) -> RunInputs:
    """Check the recording and the agenda, and find every model, before any long work."""
    agenda = load_agenda(agenda_path)
    source = inspect_recording(recording, options.transcribe.channel)
    check_against_duration(agenda, source.duration_s)
    transcribe = options.transcribe.with_glossary(agenda.glossary)
    asr_model = resolve_asr_model(transcribe.asr_model)
    translate, mt_models, notes = None, {}, []
    if options.translate is not None:
        translate = options.translate.with_glossary(agenda.glossary)
        mt_models, notes = resolve_models(translate,
                                          skip_missing=options.skip_missing_translations)
    merged = replace(options, transcribe=transcribe, translate=translate)
    return RunInputs(recording=source, agenda=agenda, options=merged, asr_model=asr_model,
                     mt_models=mt_models, notes=tuple(notes))


def run_session(recording: str | Path, agenda_path: str | Path, out: str | Path, *,
                options: RunOptions = RunOptions(), reporter: Reporter | None = None,
                force: bool = False) -> RunReport:
    """Check everything up front, then run :data:`STAGES` in order under the session lock."""
    reporter = reporter or NullReporter()
    inputs = prepare_run(recording, agenda_path, options)
    with SessionLock(out, "run"):
        session = Session.open(out)
        results = []
        for _name, step in STAGES:
            result = step(session, inputs, reporter, force)
            if result is not None:
                results.append(result)
        return RunReport(stages=tuple(results), notes=inputs.notes,
                         languages=tuple(session.languages()))
