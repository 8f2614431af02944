"""One session of a batch as a Dask task: run it, verify it, bag it; a small typed result."""

from __future__ import annotations

import logging
import os
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.batch.options import SessionSettings
from pipeline.errors import PipelineError

log = logging.getLogger(__name__)

DONE, FAILED, SKIPPED = "done", "failed", "skipped"


@dataclass(frozen=True)
class SessionTask:
    """Everything a worker needs to run one session (paths as the workers see them)."""

    name: str
    recording: str
    agenda: str
    out: str
    duration_s: float
    settings: SessionSettings
    cores: int | None = None          # the cores it keeps busy; None: its worker's share
    host_slots: dict[str, int] = field(default_factory=dict)  # sessions at once per host
    bag_dir: str | None = None        # where to bag it once it verifies
    force: bool = False


@dataclass(frozen=True)
class StageLine:
    """One stage of a session's run: did it run (or was it up to date), and for how long."""

    stage: str
    ran: bool
    seconds: float


@dataclass(frozen=True)
class SessionOutcome:
    """What became of one session: small, typed and picklable, sent back by its worker."""

    name: str
    status: str                        # done | failed | skipped
    duration_s: float = 0.0            # seconds of audio
    error: str | None = None           # one sentence, when it failed or was skipped
    started: str | None = None
    finished: str | None = None
    seconds: float = 0.0
    stages: tuple[StageLine, ...] = ()
    languages: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    verified: bool | None = None
    bag: str | None = None
    worker: str | None = None
    cores: int | None = None
    peak_rss_mb: float | None = None   # the worker process's peak memory so far

    @property
    def ok(self) -> bool:
        return self.status == DONE


def process_session(task: SessionTask) -> SessionOutcome:
    """Run one session through :func:`pipeline.runner.run_session` (on a Dask worker, or
    anywhere), verify it and bag it if asked. A pipeline error becomes the outcome's one
    sentence; the session's own folder keeps whatever was finished, for the next run."""
    from pipeline.session import now

    started, clock = now(), time.monotonic()
    cores = _take_cores(task)
    log.info("%s: started (%.0f s of audio, %d cores).", task.name, task.duration_s, cores)
    fields: dict = {}
    try:
        fields = _run(task)
        status, error = DONE, fields.pop("error", None)
        if error:
            status = FAILED
    except PipelineError as exc:
        status, error = FAILED, str(exc)
    except Exception as exc:             # noqa: BLE001 - one session's bug must not stop the batch
        log.exception("%s: unexpected error", task.name)
        status, error = FAILED, f"Unexpected error ({type(exc).__name__}: {exc}); see the log."
    seconds = round(time.monotonic() - clock, 3)
    log.info("%s: %s in %.0f s%s", task.name, status, seconds, f": {error}" if error else ".")
    return SessionOutcome(name=task.name, status=status, duration_s=task.duration_s, error=error,
                          started=started, finished=now(), seconds=seconds, worker=_worker(),
                          cores=cores, peak_rss_mb=_peak_rss_mb(), **fields)


def _run(task: SessionTask) -> dict:
    from pipeline.runner import run_session
    from pipeline.verify import verify_session

    report = run_session(task.recording, task.agenda, task.out, options=task.settings.run,
                         force=task.force)
    fields = {"stages": tuple(StageLine(s.stage, s.ran, s.seconds) for s in report.stages),
              "languages": report.languages, "notes": report.notes}
    fields["verified"] = verify_session(task.out).ok
    if task.bag_dir is not None:
        bag, error = _archive(task)
        fields["bag"] = bag
        if error:
            fields["error"] = error
    return fields


def _archive(task: SessionTask) -> tuple[str | None, str | None]:
    """(the bag, an error sentence): a bag already there of this very session is kept."""
    from pipeline.archive import archive_session
    from pipeline.archive.check import holds_session

    bag = Path(task.bag_dir)
    if bag.exists() and holds_session(bag, Path(task.out)):
        log.info("%s: the bag %s already holds this session.", task.name, bag)
        return str(bag), None
    try:
        archive_session(task.out, bag, options=task.settings.archive)
    except PipelineError as exc:
        return None, f"Processed, but not archived: {exc}"
    return str(bag), None


def _take_cores(task: SessionTask) -> int:
    """Keep this process to the session's cores: as planned (a local cluster), as the worker's
    owner set in SESSION_PIPELINE_CORES, or the worker's share of its machine."""
    from pipeline.cpu import CORES_VARIABLE, limit_cores, usable_cores

    if task.cores:
        cores = task.cores
    elif os.environ.get(CORES_VARIABLE):
        cores = usable_cores()
    else:
        slots = task.host_slots.get(_host() or "", 1)
        cores = max(1, (os.cpu_count() or 1) // max(1, slots))
    limit_cores(cores)
    return cores


def _worker():
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return None


def _host() -> str | None:
    address = _worker()
    if not address:
        return None
    from distributed.comm import get_address_host

    return get_address_host(address)


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports it in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
