"""A real batch on a local Dask cluster of two workers: results, failures, resuming, bags."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner, Result
from faults.folder import outputs
from helpers.recordings import cut, garbage, short_agenda, silence

from pipeline.cli import main
from pipeline.verify import verify_session

pytestmark = pytest.mark.slow            # starts a cluster

WEEK = """\
sessions:
  - name: mon
    recording: mon.ogg
    agenda: agenda.yaml
  - name: tue
    recording: tue.ogg
    agenda: agenda.yaml
  - name: wed
    recording: wed.ogg
    agenda: agenda.yaml
  - name: thu
    recording: thu.ogg
    agenda: agenda.yaml
"""


@dataclass
class Week:
    base: Path
    root: Path
    args: list[str]
    first: Result
    first_record: dict
    again: Result                          # the same batch again, with --archive
    again_record: dict


def _batch(args) -> Result:
    return CliRunner().invoke(main, ["batch", *args])


@pytest.fixture(scope="module")
def week(tmp_path_factory, tiny_model_dir) -> Week:
    """Two short recordings, an unreadable one and a silent one, run twice as a batch."""
    base = tmp_path_factory.mktemp("week")
    cut(base / "mon.ogg", 0, 40)
    cut(base / "tue.ogg", 40, 35)
    garbage(base / "wed.ogg")
    silence(base / "thu.ogg", 30)
    short_agenda(base / "agenda.yaml")
    (base / "week.yaml").write_text(WEEK, encoding="utf-8")
    root = base / "sessions"
    args = [str(base / "week.yaml"), "--out", str(root), "--asr-model", str(tiny_model_dir),
            "--to", "none", "--workers", "2", "--skip-bad", "--quiet"]
    first = _batch(args)
    first_record = json.loads((root / "batch.json").read_text())
    again = _batch([*args, "--archive", str(base / "bags"), "--source-organization", "Test"])
    return Week(base, root, args, first, first_record, again,
                json.loads((root / "batch.json").read_text()))


def _sessions(record: dict) -> dict[str, dict]:
    return {s["name"]: s for s in record["sessions"]}


def test_two_sessions_finish_and_verify_and_the_bad_two_are_reported(week):
    assert week.first.exit_code == 1, week.first.output
    record = week.first_record
    assert record["counts"] == {"done": 2, "failed": 1, "skipped": 1, "pending": 0}
    assert record["cluster"]["workers"] == 2 and record["cluster"]["cores_per_session"] == 1
    sessions = _sessions(record)
    for name in ("mon", "tue"):
        assert sessions[name]["status"] == "done" and sessions[name]["verified"]
        assert all(stage["ran"] for stage in sessions[name]["stages"])
        assert verify_session(week.root / name).ok
        assert sessions[name]["worker"].startswith("tcp://127.0.0.1:")
    wed = f"{week.base / 'week.yaml'}, line 9 (session 'wed'): {week.base / 'wed.ogg'} is not " \
        "a readable audio or video file"
    assert sessions["wed"]["status"] == "skipped" and sessions["wed"]["error"].startswith(wed)
    assert sessions["thu"]["status"] == "failed"
    assert sessions["thu"]["error"].startswith(f"No speech was found in {week.base / 'thu.ogg'}")
    assert not (week.root / "wed").exists()
    table = week.first.stdout
    assert re.search(r"^mon +done +0:00:40 .* 5 of 5\s*$", table, re.M)
    assert re.search(r"^thu +failed +0:00:30 .* No speech was found", table, re.M)
    assert re.search(r"^wed +skipped .* line 9 \(session 'wed'\)", table, re.M)
    assert "2 done, 1 failed, 1 skipped" in week.first.output


def test_running_the_batch_again_redoes_nothing(week):
    assert week.again.exit_code == 1, week.again.output
    sessions = _sessions(week.again_record)
    for name in ("mon", "tue"):
        stages = sessions[name]["stages"]
        assert [s["stage"] for s in stages] == ["transcribe", "speakers", "segment", "summarise",
                                                   "export"]
        assert not any(stage["ran"] for stage in stages), stages
        assert re.search(rf"^{name} +done .* 0 of 5\s*$", week.again.stdout, re.M)
    assert sessions["thu"]["status"] == "failed" and sessions["wed"]["status"] == "skipped"


def test_the_batch_bags_each_finished_session(week):
    sessions = _sessions(week.again_record)
    for name in ("mon", "tue"):
        bag = week.base / "bags" / name
        assert sessions[name]["bag"] == str(bag)
        bagit.Bag(str(bag)).validate()
        assert "Source-Organization: Test" in (bag / "bag-info.txt").read_text()
    assert sorted(p.name for p in (week.base / "bags").iterdir()) == ["mon", "tue"]


def test_each_session_is_the_run_of_it_alone(week, tiny_model_dir, tmp_path, monkeypatch):
    """Same files byte for byte, and the same manifest apart from its times, as 'run' with
    the same share of the machine (one core: two workers on two cores)."""
    monkeypatch.setenv("SESSION_PIPELINE_CORES", "1")
    alone = tmp_path / "tue"
    result = CliRunner().invoke(main, [
        "run", str(week.base / "tue.ogg"), "--agenda", str(week.base / "agenda.yaml"),
        "--out", str(alone), "--asr-model", str(tiny_model_dir), "--to", "none", "--quiet"])
    assert result.exit_code == 0, result.output
    assert outputs(week.root / "tue") == outputs(alone)
    assert _timeless(week.root / "tue") == _timeless(alone)


TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
DURATIONS = {"seconds", "recognition_s", "real_time_factor", "model_load_seconds", "cpu_s"}


def _timeless(session: Path):
    """The manifest with every time (clock times and durations) blanked out, and the
    checksum of the review page, which shows when the session was last updated."""
    def blank(value, key=None):
        if isinstance(value, dict):
            return {k: blank(v, k) for k, v in value.items() if k != "integrity"}
        if isinstance(value, list):
            return [blank(item) for item in value]
        if key in DURATIONS or (isinstance(value, str) and TIMESTAMP.match(value)):
            return "<time>"
        return value

    manifest = blank(json.loads((session / "session.json").read_text()))
    manifest["files"]["report.html"].update(sha256="<time>", bytes="<time>")
    return manifest
