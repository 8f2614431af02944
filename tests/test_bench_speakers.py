"""The speaker benchmark's glue: which pipeline it runs, and which kept folders it reuses."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import speakers as bench  # noqa: E402


def test_it_runs_the_pipeline_of_its_own_checkout():
    assert bench.CLI[1:] == ["-m", "pipeline"]
    assert bench.CLI_ENV["PYTHONPATH"].split(os.pathsep)[0] == str(bench.ROOT)


def _session(tmp_path: Path, stages: dict) -> Path:
    (tmp_path / "session.json").write_text(json.dumps({"stages": stages}), encoding="utf-8")
    return tmp_path


def test_a_kept_folder_is_reused_only_when_transcribed_and_attributed(tmp_path):
    done = {"status": "done", "seconds": 1.0}
    assert bench._finished(_session(tmp_path, {"transcribe": done, "speakers": done}))
    assert not bench._finished(_session(tmp_path, {"transcribe": done}))
    assert not bench._finished(_session(tmp_path, {"transcribe": {"status": "running"},
                                                   "speakers": done}))
    assert not bench._finished(tmp_path / "missing")


def test_a_copied_folder_is_scored_without_transcribing_again(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "CACHE", tmp_path)
    folder = tmp_path / "rec"
    folder.mkdir()
    (folder / "session.json").write_text(json.dumps({
        "input": {"duration_s": 60.0},
        "stages": {"transcribe": {"status": "done", "seconds": 20.0},
                   "speakers": {"status": "done", "seconds": 2.0, "timings": {"cpu_s": 1.5}}}}),
        encoding="utf-8")
    monkeypatch.setattr(bench, "_timed", lambda *a: (_ for _ in ()).throw(AssertionError("ran")))
    out, run = bench.run_pipeline("rec", {}, again=False)
    assert out == folder
    assert run["process"] == "not measured"
    assert run["stages"]["speakers_vs_transcribe"] == 0.1
