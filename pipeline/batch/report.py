"""The record of a batch: every session's outcome, kept in ROOT/batch.json as it goes."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.batch.task import DONE, SessionOutcome
from pipeline.fsio import atomic_write_text

SCHEMA = "session-pipeline/batch/1"
BATCH_JSON = "batch.json"
PENDING = "pending"


@dataclass
class BatchReport:
    """Every session of a batch, in the order of the batch file, with what became of it."""

    batch_file: Path
    root: Path
    started: str
    outcomes: dict[str, SessionOutcome]
    inputs: dict[str, dict] = field(default_factory=dict)   # recording, agenda of each session
    cluster: dict = field(default_factory=dict)
    finished: str | None = None

    @property
    def ok(self) -> bool:
        """True when every session is done (none failed, skipped or left pending)."""
        return all(outcome.status == DONE for outcome in self.outcomes.values())

    def counts(self) -> Counter:
        return Counter(outcome.status for outcome in self.outcomes.values())

    def audio_s(self, status: str | None = None) -> float:
        return sum(o.duration_s for o in self.outcomes.values()
                   if status is None or o.status == status)

    def add(self, outcome: SessionOutcome) -> None:
        self.outcomes[outcome.name] = outcome

    def record(self) -> dict:
        """batch.json's content (schema ``session-pipeline/batch/1``, see the README)."""
        return {"schema": SCHEMA, "batch_file": str(self.batch_file), "root": str(self.root),
                "started": self.started, "finished": self.finished, "cluster": self.cluster,
                "counts": {status: self.counts().get(status, 0)
                           for status in (DONE, "failed", "skipped", PENDING)},
                "audio_s": round(self.audio_s(), 3),
                "sessions": [self._session(o) for o in self.outcomes.values()]}

    def _session(self, outcome: SessionOutcome) -> dict:
        entry = {"name": outcome.name, "folder": outcome.name,
                 **self.inputs.get(outcome.name, {}), **asdict(outcome)}
        entry["stages"] = [asdict(s) for s in outcome.stages]
        return entry

    def write(self) -> Path:
        """Write ROOT/batch.json atomically (a reader never sees half of it)."""
        path = self.root / BATCH_JSON
        atomic_write_text(path, json.dumps(self.record(), ensure_ascii=False, indent=1) + "\n")
        return path
