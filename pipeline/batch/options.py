"""Options of a batch: the one place where their defaults live."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.archive.options import ArchiveOptions

if TYPE_CHECKING:                     # the runner's imports are heavy; --help stays fast
    from pipeline.runner import RunOptions


@dataclass(frozen=True)
class SessionSettings:
    """What one session of a batch runs with: its run options and, if it is archived, how."""

    run: RunOptions
    archive: ArchiveOptions = field(default_factory=ArchiveOptions)


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs. ``metadata["help"]`` is the command line's help text.

    Sizing the local cluster (see :func:`pipeline.batch.cluster.plan_local_cluster`): each
    worker process runs one session at a time, with ``cores_per_session`` cores for the
    session's own threads; as many workers as the cores and the memory allow.
    """

    scheduler: str | None = field(default=None, metadata={"help": (
        "Address of a running Dask scheduler (tcp://HOST:8786) whose workers have "
        "session-pipeline and the models installed and see the recordings at the same paths; "
        "unset: a local cluster sized to this machine.")})
    workers: int = field(default=0, metadata={"help": (
        "Worker processes of the local cluster, each running one session at a time; 0: as "
        "many as the cores and the memory allow.")})
    cores_per_session: int = field(default=0, metadata={"help": (
        "Cores each session keeps busy (its threads); 0: two, or the whole machine when it "
        "runs one session at a time.")})
    memory_per_session_gb: float = field(default=2.0, metadata={"help": (
        "Memory one session may need at its peak, in GB, for sizing the local cluster.")})
    skip_bad: bool = field(default=False, metadata={"help": (
        "Run the good sessions when some rows of the batch file are bad (they are named and "
        "count as failed), instead of refusing to start.")})
    archive_dir: Path | None = field(default=None, metadata={"help": (
        "Also bag every session that finished and verifies, into DIR/NAME.")})
    force: bool = field(default=False, metadata={"help": (
        "Run every stage of every session again, even if up to date.")})

    def __post_init__(self) -> None:
        if self.workers < 0 or self.cores_per_session < 0:
            raise ValueError("workers and cores per session must be 0 (automatic) or more.")
        if self.memory_per_session_gb <= 0:
            raise ValueError("the memory per session must be more than 0 GB.")
