"""A batch sent with --scheduler to a Dask scheduler and worker started as separate processes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.recordings import cut, short_agenda

from pipeline.cli import main
from pipeline.verify import verify_session

pytestmark = pytest.mark.slow            # starts a cluster

DASK = Path(sys.executable).with_name("dask")


def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen([str(DASK), *args], stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _wait_for(path: Path, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"{path} did not appear:\n{log.read_text()}"
        time.sleep(0.2)


@pytest.fixture
def scheduler(tmp_path):
    """``dask scheduler`` and one ``dask worker`` on the loopback; their address."""
    info = tmp_path / "scheduler.json"
    started = []
    try:
        proc = _start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                       "--scheduler-file", str(info)], tmp_path / "scheduler.log")
        started.append(proc)
        _wait_for(info, proc, tmp_path / "scheduler.log")
        address = json.loads(info.read_text())["address"]
        started.append(_start(["worker", address, "--host", "127.0.0.1", "--nworkers", "1",
                               "--nthreads", "1", "--no-dashboard"], tmp_path / "worker.log"))
        yield address
    finally:
        for proc in reversed(started):
            proc.terminate()
        for proc in started:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_a_batch_runs_on_a_scheduler_given_by_its_address(scheduler, tmp_path, tiny_model_dir):
    cut(tmp_path / "fri.ogg", 20, 35)
    short_agenda(tmp_path / "agenda.yaml")
    (tmp_path / "batch.csv").write_text("name,recording,agenda\nfri,fri.ogg,agenda.yaml\n",
                                        encoding="utf-8")
    root = tmp_path / "sessions"
    result = CliRunner().invoke(main, [
        "batch", str(tmp_path / "batch.csv"), "--out", str(root), "--scheduler", scheduler,
        "--asr-model", str(tiny_model_dir), "--to", "none", "--quiet"])
    assert result.exit_code == 0, result.output
    record = json.loads((root / "batch.json").read_text())
    assert record["cluster"]["scheduler"] == scheduler and record["cluster"]["workers"] == 1
    [session] = record["sessions"]
    assert session["status"] == "done" and session["verified"]
    assert session["worker"].startswith("tcp://127.0.0.1:")
    assert session["cores"] >= 1                    # the worker's share of this machine
    assert verify_session(root / "fri").ok
    assert (root / "fri" / "en" / "transcript.json").exists()


def test_an_unreachable_scheduler_is_one_sentence(tmp_path):
    cut(tmp_path / "fri.ogg", 20, 35)
    short_agenda(tmp_path / "agenda.yaml")
    (tmp_path / "batch.csv").write_text("name,recording,agenda\nfri,fri.ogg,agenda.yaml\n",
                                        encoding="utf-8")
    result = CliRunner().invoke(main, [
        "batch", str(tmp_path / "batch.csv"), "--out", str(tmp_path / "sessions"),
        "--scheduler", "tcp://127.0.0.1:9", "--to", "none", "--quiet"])
    assert result.exit_code == 1
    assert "Cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
