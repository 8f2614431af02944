"""The session folder the workspace serves: fresh reads, and writes under the session lock."""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from pipeline.errors import InputError, PipelineError, SessionError, SessionLockedError
from pipeline.lock import SessionLock
from pipeline.review.errors import Busy, Conflict, ReviewError
from pipeline.review.options import ReviewOptions
from pipeline.review.recording import RecordingCheck
from pipeline.review.state import SessionState
from pipeline.session import Session
from pipeline.stage import StageRun

log = logging.getLogger(__name__)

STAGE = "review"
"""The ``stage`` recorded for the transcript files the workspace rewrites."""


@dataclass
class Workspace:
    """One session folder served to the editors."""

    root: Path
    options: ReviewOptions = field(default_factory=ReviewOptions)
    recording: RecordingCheck = field(default_factory=RecordingCheck)
    _saving: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.root = Path(self.root)

    def open(self) -> Session:
        """The session as it is now on disk (a run may have changed it since the last request)."""
        return Session.open(self.root, create=False)

    def state(self) -> SessionState:
        return SessionState.load(self.open())

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """The session, held for one save: one save at a time in this workspace, and none
        while a run (or another command) holds the session lock."""
        if not self._saving.acquire(timeout=self.options.lock_wait_s):
            raise Busy("Another change is still being saved (or sentences are being translated "
                       "again), so this one was not saved; your text is kept here: save it "
                       "again in a moment.")
        try:
            with SessionLock(self.root, STAGE):
                yield self.open()
        except ReviewError:
            raise
        except SessionLockedError as exc:
            raise Busy(f"{exc} Nothing was saved; your text is kept here: save it again once "
                       "that run has finished.") from None
        except InputError as exc:
            raise ReviewError(str(exc)) from None
        except SessionError as exc:
            raise Conflict(str(exc)) from None
        except PipelineError as exc:
            raise ReviewError(str(exc)) from None
        finally:
            self._saving.release()


def rewrite_transcripts(session: Session, languages: Sequence[str]) -> list[str]:
    """Write the languages' ``transcript.json`` again, the corrections laid over by the stage
    harness as every stage does, so the folder agrees with ``edits.json`` at once (the SRT,
    WebVTT, text and Markdown files follow at the next export: rendering them takes seconds
    on a long session); a file an editor changed by hand is kept, the new one beside it."""
    run = StageRun(session, STAGE, "")
    for language in languages:
        run.write_transcript(session.read_transcript(language), formats=("json",))
    session.save()
    for relpath in run.kept_edits:
        log.warning("%s was edited by hand and is kept; the corrected version is beside it.",
                    relpath)
    return list(run.kept_edits)
