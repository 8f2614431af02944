"""The Dask cluster a batch runs on: a local one sized to this machine, or one already running."""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Iterator

from pipeline.batch.options import BatchOptions
from pipeline.errors import PipelineError

log = logging.getLogger(__name__)

DEFAULT_CORES_PER_SESSION = 2
"""Cores per session on a local cluster that runs several sessions side by side (see
:func:`plan_local_cluster` and benchmarks/README.md, Batches)."""
CONNECT_TIMEOUT_S = 10


@dataclass(frozen=True)
class ClusterPlan:
    """Worker processes (one session at a time each) and the cores each session keeps busy."""

    workers: int
    cores_per_session: int
    reason: str


@dataclass(frozen=True)
class ClusterInfo:
    """The cluster a batch ran on, as batch.json records it."""

    scheduler: str                         # "local" or the address given
    workers: int
    cores_per_session: int | None          # None: each worker's share of its machine
    reason: str = ""
    host_slots: dict[str, int] = field(default_factory=dict)

    def record(self) -> dict:
        return asdict(self)


def plan_local_cluster(sessions: int, options: BatchOptions, *, cores: int | None = None,
                       memory_bytes: int | None = None) -> ClusterPlan:
    """How many sessions run side by side on this machine, and with how many cores each.

    Transcription decodes one speech clip per core and translation one part of each batch
    per core, so one session alone keeps a few cores busy but not all of many: between its
    parallel parts it decodes audio, loads models, finds sections and writes files on one
    core. Several sessions side by side fill those gaps. So: ``cores_per_session`` cores
    each (default :data:`DEFAULT_CORES_PER_SESSION`), as many workers as the cores allow,
    no more than the memory allows (``memory_per_session_gb`` each) nor than there are
    sessions; cores left over (fewer sessions than workers) are shared out among them.
    Every worker has one thread: one session at a time, whose stages pick their own
    threads from its share (``SESSION_PIPELINE_CORES``), so cores are never oversubscribed.
    """
    cores = cores or os.cpu_count() or 1
    memory = memory_bytes or _memory_bytes()
    wanted = options.cores_per_session or min(DEFAULT_CORES_PER_SESSION, cores)
    by_cores = max(1, cores // wanted)
    by_memory = max(1, int(memory // (options.memory_per_session_gb * 1e9)))
    workers = options.workers or max(1, min(by_cores, by_memory, sessions))
    share = options.cores_per_session or max(1, cores // workers)
    if options.workers:
        why = "as given"
    else:
        limits = (("the cores", by_cores), ("the memory", by_memory), ("the sessions", sessions))
        why = "limited by " + min(limits, key=lambda limit: limit[1])[0]
    reason = (f"{workers} worker(s) x {share} core(s), on {cores} cores and "
              f"{memory / 1e9:.1f} GB of memory ({why})")
    return ClusterPlan(workers=workers, cores_per_session=share, reason=reason)


@contextmanager
def open_cluster(options: BatchOptions, sessions: int) -> Iterator[tuple[object, ClusterInfo]]:
    """A Dask client on the scheduler given, or on a new local cluster (closed afterwards)."""
    import dask
    from distributed import Client, LocalCluster

    if options.scheduler:
        client = _connect(options.scheduler)
        try:
            yield client, _remote_info(client, options.scheduler)
        finally:
            client.close()
        return
    plan = plan_local_cluster(sessions, options)
    log.info("Local Dask cluster: %s.", plan.reason)
    environment = {"SESSION_PIPELINE_CORES": str(plan.cores_per_session),
                   "OMP_NUM_THREADS": str(plan.cores_per_session),
                   "MKL_NUM_THREADS": str(plan.cores_per_session)}
    with dask.config.set({SPAWN_ENVIRONMENT: _spawn_environment()}), \
            LocalCluster(n_workers=plan.workers, threads_per_worker=1, processes=True,
                         host="127.0.0.1", dashboard_address=None, env=environment,
                         silence_logs=logging.WARNING) as cluster, \
            Client(cluster) as client:
        yield client, ClusterInfo("local", plan.workers, plan.cores_per_session, plan.reason)


SPAWN_ENVIRONMENT = "distributed.nanny.pre-spawn-environ"


def _spawn_environment() -> dict:
    """Dask's environment for new workers, less MALLOC_TRIM_THRESHOLD_: setting it turns
    off glibc's adaptive mmap threshold, and recognition then ran about 35% slower (a
    40-second session, 16.0 s and 17.0 s against 11.7 s and 12.9 s); the pipeline hands
    freed memory back itself between audio windows (pipeline/heap.py)."""
    import dask

    return {key: value for key, value in dask.config.get(SPAWN_ENVIRONMENT, {}).items()
            if key != "MALLOC_TRIM_THRESHOLD_"}


def _connect(address: str):
    from distributed import Client

    try:
        client = Client(address, timeout=f"{CONNECT_TIMEOUT_S}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise PipelineError(f"Cannot reach the Dask scheduler at {address} ({exc}); start it "
                            "('dask scheduler') and its workers ('dask worker ADDRESS'), or "
                            "leave out --scheduler to run on this machine.") from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
    except (TimeoutError, OSError):
        client.close()
        raise PipelineError(f"The Dask scheduler at {address} has no workers; start some with "
                            f"'dask worker {address}' on machines that have session-pipeline "
                            "and the models, and see the recordings.") from None
    return client


def _remote_info(client, address: str) -> ClusterInfo:
    """The workers of a running cluster, and how many sessions each host runs at once."""
    workers = client.scheduler_info(n_workers=-1)["workers"]
    slots: dict[str, int] = {}
    for worker in workers.values():
        slots[worker["host"]] = slots.get(worker["host"], 0) + int(worker["nthreads"])
    return ClusterInfo(address, len(workers), None,
                       f"{len(workers)} worker(s) on {len(slots)} host(s)", slots)


def _memory_bytes() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 8 * 10**9
