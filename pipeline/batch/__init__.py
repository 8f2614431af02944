"""Many sessions at once: a batch file, checked row by row, run as Dask tasks, reported."""

from pipeline.batch.check import CheckedBatch, PlannedSession, check_batch
from pipeline.batch.file import BatchEntry, BatchFile, Problem, read_batch_file
from pipeline.batch.options import BatchOptions, SessionSettings
from pipeline.batch.report import BATCH_JSON, BatchReport
from pipeline.batch.runner import run_batch
from pipeline.batch.task import SessionOutcome, SessionTask, StageLine, process_session

__all__ = ["BATCH_JSON", "BatchEntry", "BatchFile", "BatchOptions", "BatchReport",
           "CheckedBatch", "PlannedSession", "Problem", "SessionOutcome", "SessionSettings",
           "SessionTask", "StageLine", "check_batch", "process_session", "read_batch_file",
           "run_batch"]
