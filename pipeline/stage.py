"""The stage harness: fingerprints, the up-to-date check, manifest records, typed results.

Every stage runs through a :class:`StageRun`. The stage names what its output depends on
(:func:`fingerprint` of its inputs, options and models); the run says whether that output
is already in the session folder (:attr:`StageRun.up_to_date`); the stage writes its files
through the run (atomically, an editor's change kept and the new version put beside it);
and :meth:`StageRun.done` or :meth:`StageRun.skip` records the stage in the manifest and
returns a :class:`StageResult`. A stage that works language by language (translation) has
one run per language, recorded under the stage's ``languages``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from pipeline import __version__
from pipeline.formats.edits import EDITS_FILE
from pipeline.formats.edits import apply as apply_edits
from pipeline.formats.sections import SECTIONS_FILE
from pipeline.formats.speakers import names
from pipeline.formats.transcript import Transcript
from pipeline.formats.writers import TRANSCRIPT_FORMATS, Titles, render_all
from pipeline.session import Session, WriteResult, now, transcript_relpath

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StageResult:
    """What one stage (or one language of it) did in one run."""

    stage: str
    ran: bool                                  # False: up to date, so skipped
    language: str | None = None
    seconds: float = 0.0
    written: tuple[str, ...] = ()              # files written (drafts beside edited files too)
    kept_edits: tuple[str, ...] = ()           # files an editor changed, kept as they are
    counts: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    parts: tuple["StageResult", ...] = ()      # one per language, for per-language stages


def combined(stage: str, parts: Sequence[StageResult], notes: Iterable[str] = ()) -> StageResult:
    """One result for a stage that ran language by language."""
    return StageResult(
        stage=stage, ran=any(p.ran for p in parts), seconds=round(sum(p.seconds for p in parts), 3),
        written=tuple(w for p in parts for w in p.written),
        kept_edits=tuple(k for p in parts for k in p.kept_edits),
        notes=tuple(notes) + tuple(n for p in parts for n in p.notes), parts=tuple(parts))


def fingerprint(**inputs: Any) -> str:
    """A checksum of everything a stage's output depends on, and of the pipeline's version."""
    payload = {**inputs, "pipeline": __version__}
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StageRun:
    """One run of ``stage`` (or of one ``language`` of it) in ``session``."""

    def __init__(self, session: Session, stage: str, fingerprint: str, *,
                 language: str | None = None, outputs: Sequence[str] = (), force: bool = False):
        self.session = session
        self.stage = stage
        self.language = language
        self.fingerprint = fingerprint
        self.written: list[str] = []
        self.kept_edits: list[str] = []
        self._outputs: dict[str, None] = {}
        self._started = now()
        self._clock = time.monotonic()
        self.up_to_date = not force and self._recorded_done(outputs)

    @property
    def label(self) -> str:
        return f"{self.stage} ({self.language})" if self.language else self.stage

    def record(self) -> dict:
        """The manifest's record of this stage (or of this language of it)."""
        stage = self.session.stage(self.stage) or {}
        if self.language is None:
            return stage
        return (stage.get("languages") or {}).get(self.language) or {}

    def _recorded_done(self, outputs: Sequence[str]) -> bool:
        """Done with these very inputs, and every file it wrote (and ``outputs``) still there."""
        record = self.record()
        expected = list(record.get("outputs") or []) + list(outputs)
        return (record.get("status") == "done" and record.get("fingerprint") == self.fingerprint
                and bool(expected) and all(self.session.path(p).exists() for p in expected))

    def elapsed(self) -> float:
        """Seconds since the stage began."""
        return time.monotonic() - self._clock

    # -- the stage's life ---------------------------------------------------------------
    def begin(self) -> None:
        """Mark the stage as running before its first write, so that a run killed while
        writing is never taken as finished."""
        self._update(status="running", started=self._started, fingerprint=None)
        self.session.save()

    def skip(self, *, counts: Mapping[str, Any] | None = None, **fields: Any) -> StageResult:
        """The output is up to date: record ``fields`` (if any) and say so."""
        log.info("%s is up to date; use --force to run it again.", self.label)
        if fields:
            self._update(**fields)
            self.session.save()
        return StageResult(stage=self.stage, ran=False, language=self.language,
                           counts=dict(counts or {}))

    def done(self, *, counts: Mapping[str, Any] | None = None, notes: Sequence[str] = (),
             **fields: Any) -> StageResult:
        """Record the finished stage (``fields``: options, models, timings, ...) and save."""
        seconds = round(time.monotonic() - self._clock, 3)
        self._update(status="done", fingerprint=self.fingerprint, started=self._started,
                     finished=now(), seconds=seconds, counts=dict(counts or {}),
                     outputs=list(self._outputs), written=list(self.written),
                     kept_edits=list(self.kept_edits), **fields)
        self.session.save()
        return StageResult(stage=self.stage, ran=True, language=self.language, seconds=seconds,
                           written=tuple(self.written), kept_edits=tuple(self.kept_edits),
                           counts=dict(counts or {}), notes=tuple(notes))

    # -- files ----------------------------------------------------------------------------
    def write_text(self, relpath: str, text: str) -> WriteResult:
        """Write one output atomically; an edited file is kept and the new one goes beside it."""
        return self.write_bytes(relpath, text.encode("utf-8"))

    def write_bytes(self, relpath: str, data: bytes) -> WriteResult:
        """Write one binary output (a Word file) as :meth:`write_text` writes text."""
        result = self.session.write_bytes(relpath, data, stage=self.stage)
        self._outputs[relpath] = None
        self.written.append(result.written.relative_to(self.session.root).as_posix())
        if result.kept_edit:
            self.kept_edits.append(relpath)
        return result

    def write_transcript(self, transcript: Transcript, *,
                         formats: Sequence[str] = TRANSCRIPT_FORMATS) -> list[WriteResult]:
        """``<lang>/transcript.<fmt>`` in every format, with the editors' corrections
        (``edits.json``) laid over the sentences, headed by the agenda items' titles in that
        language (from ``sections.json``, once there) and with the speakers' names (from
        ``speakers.json`` and the editors' ``speakers.yaml``), so every stage writes a
        language's files alike; all are rendered before any is written."""
        transcript = self._corrected(transcript)
        texts = render_all(transcript, formats, titles=self._titles(transcript.language),
                           speakers=names(self.session.named_speakers()))
        return [self.write_text(transcript_relpath(transcript.language, fmt), text)
                for fmt, text in texts.items()]

    def _corrected(self, transcript: Transcript) -> Transcript:
        """The transcript with the editors' corrections: an editor's text wins over what a
        stage made (recognition, translation), and so does an editor's voice label."""
        applied = apply_edits(transcript, self.session.read_edits())
        for orphan in applied.orphans:
            log.warning("The editors' correction of %s sentence %d no longer fits a sentence "
                        "(it was recognised again) and is not applied; see %s.",
                        orphan.language, orphan.id, EDITS_FILE)
        return applied.transcript

    def _titles(self, language: str) -> Titles | None:
        if not self.session.path(SECTIONS_FILE).exists():
            return None
        return {s.id: s.title_in(language) for s in self.session.read_sections()}

    def _update(self, **fields: Any) -> None:
        if self.language is None:
            self.session.record_stage(self.stage, **fields)
            return
        languages = dict((self.session.stage(self.stage) or {}).get("languages") or {})
        languages[self.language] = {**languages.get(self.language, {}), **fields}
        status = "done" if all(r.get("status") == "done" for r in languages.values()) else "running"
        self.session.record_stage(self.stage, status=status, languages=languages)
