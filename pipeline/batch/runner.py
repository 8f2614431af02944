"""Run a checked batch on Dask: one task per session, results gathered as they finish."""

from __future__ import annotations

import logging
from pathlib import Path

from pipeline.batch.check import CheckedBatch, PlannedSession
from pipeline.batch.cluster import ClusterInfo, open_cluster
from pipeline.batch.options import BatchOptions
from pipeline.batch.report import PENDING, BatchReport
from pipeline.batch.task import FAILED, SKIPPED, SessionOutcome, SessionTask, process_session
from pipeline.errors import BatchFileError, SessionError
from pipeline.progress import NullReporter, Reporter
from pipeline.session import now

log = logging.getLogger(__name__)


def run_batch(checked: CheckedBatch, root: str | Path, *, options: BatchOptions = BatchOptions(),
              reporter: Reporter | None = None) -> BatchReport:
    """Run every session of ``checked`` into ``root``/NAME on Dask and return the report.

    Refuses (BatchFileError, every problem in it) when a row is bad, unless
    ``options.skip_bad``: then the bad rows are recorded as skipped and the others run. A
    session that fails is recorded with its sentence and the others go on. ROOT/batch.json
    is written when the batch starts and again as each session finishes.
    """
    _refuse_bad(checked, options)
    root = _root(Path(root))
    report = BatchReport(batch_file=checked.path.resolve(), root=root.resolve(), started=now(),
                         outcomes={}, inputs={s.name: _inputs(s) for s in checked.sessions})
    for _line, outcome in sorted(_first_outcomes(checked), key=lambda pair: pair[0]):
        report.add(outcome)
    report.write()
    if checked.sessions:
        with open_cluster(options, len(checked.sessions)) as (client, cluster):
            report.cluster = cluster.record()
            report.write()
            _gather(client, _tasks(checked.sessions, root, options, cluster), report,
                    reporter or NullReporter())
    report.finished = now()
    report.write()
    return report


def _first_outcomes(checked: CheckedBatch) -> list[tuple[int, SessionOutcome]]:
    """Each session pending and each bad row skipped (with its sentences), with its line."""
    pending = [(s.line, SessionOutcome(s.name, PENDING, duration_s=s.duration_s))
               for s in checked.sessions]
    skipped = [(min(p.line for p in problems), SessionOutcome(name, SKIPPED, error=" ".join(
        p.sentence(checked.path) for p in problems))) for name, problems in checked.rows.items()]
    return pending + skipped


def _refuse_bad(checked: CheckedBatch, options: BatchOptions) -> None:
    if checked.file_problems or (checked.rows and not options.skip_bad):
        count = len(checked.problems)
        raise BatchFileError(
            f"{checked.path} has {count} problem(s); nothing was run. Fix them"
            + ("" if checked.file_problems else ", or give --skip-bad to run the other sessions")
            + ".", problems=tuple(checked.sentences()))


def _root(root: Path) -> Path:
    if root.exists() and not root.is_dir():
        raise SessionError(f"{root} exists and is not a folder; choose another --out.")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SessionError(f"Cannot create {root}: {exc.strerror or exc}; choose a folder you "
                           "can write to.") from None
    return root


def _inputs(session: PlannedSession) -> dict:
    return {"recording": str(session.recording), "agenda": str(session.agenda),
            "line": session.line}


def _tasks(sessions, root: Path, options: BatchOptions, cluster: ClusterInfo
           ) -> list[SessionTask]:
    """One task per session, longest recording first (so the batch ends evenly)."""
    archive = options.archive_dir.resolve() if options.archive_dir else None
    return [SessionTask(name=s.name, recording=str(s.recording), agenda=str(s.agenda),
                        out=str((root / s.name).resolve()), duration_s=s.duration_s,
                        settings=s.settings, cores=cluster.cores_per_session,
                        host_slots=cluster.host_slots, force=options.force,
                        bag_dir=str(archive / s.name) if archive else None)
            for s in sorted(sessions, key=lambda s: -s.duration_s)]


def _gather(client, tasks: list[SessionTask], report: BatchReport, reporter: Reporter) -> None:
    """Submit every task; record each outcome as it comes, with one progress bar for all."""
    from distributed import as_completed

    futures = {client.submit(process_session, task, key=f"session-{task.name}", pure=False,
                             priority=len(tasks) - rank): task
               for rank, task in enumerate(tasks)}
    total_h = sum(task.duration_s for task in tasks) / 3600
    with reporter.bar("Batch", total=total_h, unit="h") as bar:
        for done, future in enumerate(as_completed(futures), start=1):
            task = futures[future]
            outcome = _outcome(future, task)
            report.add(outcome)
            report.write()
            _log(outcome)
            bar.advance(task.duration_s / 3600)
            bar.note(f"{done}/{len(tasks)} sessions")


def _outcome(future, task: SessionTask) -> SessionOutcome:
    """The task's own result, or one sentence for a task Dask could not run."""
    try:
        return future.result()
    except Exception as exc:          # noqa: BLE001 - the worker died, or could not run it
        return SessionOutcome(task.name, FAILED, duration_s=task.duration_s,
                              error=_dask_failure(exc))


def _dask_failure(exc: Exception) -> str:
    name = type(exc).__name__
    if name == "KilledWorker":
        return ("The worker running this session died (out of memory, or killed); it was "
                "tried again and died again. Run it alone with 'session-pipeline run' to see why.")
    if name == "CancelledError":
        return "The session was cancelled before it finished; run the batch again to resume it."
    return (f"A Dask worker could not run this session ({name}: {exc}); check that "
            "session-pipeline is installed on the workers and sees the recordings.")


def _log(outcome: SessionOutcome) -> None:
    if outcome.ok:
        log.info("%s: done in %.0f s (%s).", outcome.name, outcome.seconds,
                 ", ".join(f"{s.stage} {'ran' if s.ran else 'up to date'}" for s in outcome.stages))
    else:
        log.warning("%s: %s: %s", outcome.name, outcome.status, outcome.error)
