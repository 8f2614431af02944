"""Check every row of a batch before any work: recording, agenda, options, each with its line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Collection

from pipeline.batch.file import BatchEntry, BatchFile, Problem
from pipeline.batch.options import SessionSettings
from pipeline.errors import PipelineError

SettingsFor = Callable[[BatchEntry, "Collection[str] | None"], SessionSettings]
"""Builds a session's settings from the batch's options and the entry's own (only the keys
given, or all of them for None); raises a PipelineError or ValueError on a bad value."""


@dataclass(frozen=True)
class PlannedSession:
    """A row that passed every check: ready to run."""

    name: str
    recording: Path
    agenda: Path
    duration_s: float
    settings: SessionSettings
    line: int


@dataclass(frozen=True)
class CheckedBatch:
    """The batch file's rows sorted into sessions ready to run and problems (with lines).

    ``file_problems`` belong to no row (an unknown top-level key): they stop the batch even
    with --skip-bad; ``rows`` maps each bad row's session (or "line N") to its problems.
    """

    path: Path
    sessions: tuple[PlannedSession, ...]
    file_problems: tuple[Problem, ...] = ()
    rows: dict[str, tuple[Problem, ...]] = field(default_factory=dict)

    @property
    def problems(self) -> tuple[Problem, ...]:
        found = self.file_problems + tuple(p for row in self.rows.values() for p in row)
        return tuple(sorted(found, key=lambda p: p.line))

    def sentences(self) -> list[str]:
        """Every problem as one sentence, in the order of the file."""
        return [p.sentence(self.path) for p in self.problems]


def check_batch(batch: BatchFile, settings_for: SettingsFor) -> CheckedBatch:
    """Check every entry, all of them, to report every problem at once."""
    sessions, rows = [], {}
    names = Counter(entry.name for entry in batch.entries)
    for entry in batch.entries:
        problems, planned = _check_entry(entry, settings_for)
        problems = list(entry.problems) + problems
        if problems:
            rows[_row_name(entry, names)] = tuple(problems)
        elif planned is not None:
            sessions.append(planned)
    return CheckedBatch(path=batch.path, sessions=tuple(sessions),
                        file_problems=batch.problems, rows=rows)


def _row_name(entry: BatchEntry, names: Counter) -> str:
    """The session's name, with its line where the name is missing or not the row's alone."""
    if entry.name and names[entry.name] == 1:
        return entry.name
    return f"{entry.name or 'a session'} (line {entry.line})"


def _check_entry(entry: BatchEntry, settings_for: SettingsFor
                 ) -> tuple[list[Problem], PlannedSession | None]:
    problems: list[Problem] = []

    def problem(key: str, exc: Exception) -> None:
        problems.append(Problem(entry.line_of(key), _message(exc), entry.name))

    settings = _settings(entry, settings_for, problems)
    info = None
    if entry.recording is not None:
        try:
            info = _probe(entry.recording, settings)
        except PipelineError as exc:
            problem("recording", exc)
    if entry.agenda is not None:
        try:
            _check_agenda(entry.agenda, info.duration_s if info else None)
        except PipelineError as exc:
            problem("agenda", exc)
    if problems or info is None or settings is None or entry.name is None:
        return problems, None
    return problems, PlannedSession(name=entry.name, recording=entry.recording,
                                    agenda=entry.agenda, duration_s=info.duration_s,
                                    settings=settings, line=entry.line)


def _settings(entry: BatchEntry, settings_for: SettingsFor,
              problems: list[Problem]) -> SessionSettings | None:
    """The entry's settings; a bad value is reported at the line of the option that has it."""
    try:
        return settings_for(entry, None)
    except (PipelineError, ValueError) as exc:
        error = exc
    for key in entry.options:
        try:
            settings_for(entry, (key,))
        except (PipelineError, ValueError) as exc:
            problems.append(Problem(entry.line_of(key), f"{key}: {_message(exc)}", entry.name))
            return None
    problems.append(Problem(entry.line, _message(error), entry.name))
    return None


def _probe(recording: Path, settings: SessionSettings | None):
    """The recording's description; an unreadable one, or a channel it lacks, raises."""
    from pipeline.audio.probe import check_channel, check_file, probe

    check_file(recording)
    info = probe(recording)
    if not info.duration_s or info.duration_s <= 0:
        from pipeline.errors import InputError

        raise InputError(f"The recording {recording} holds no audio (zero length).")
    if settings is not None:
        check_channel(settings.run.transcribe.channel, info.channels, recording)
    return info


def _check_agenda(agenda: Path, duration_s: float | None) -> None:
    from pipeline.agenda import check_against_duration, load_agenda

    loaded = load_agenda(agenda)
    if duration_s is not None:
        check_against_duration(loaded, duration_s)


def _message(exc: Exception) -> str:
    return str(exc).strip().rstrip(".")
