"""The speed benchmark's record of a run, scored again from the texts it keeps."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import speed  # noqa: E402
from wer import wer  # noqa: E402


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    folder = tmp_path / "hearing"
    folder.mkdir()
    (folder / "reference.txt").write_text(
        "The IOM met Mr. Okafor at 9 a.m. on Tuesday.", encoding="utf-8")
    (folder / "vocabulary.txt").write_text("IOM\nOkafor\n", encoding="utf-8")
    return folder


def _run(tmp_path: Path, rows: dict) -> Path:
    path = tmp_path / "speed-run.json"
    path.write_text(json.dumps({"results": [{"recording": "hearing", "set": "held out",
                                             "audio_s": 4.0, "rows": rows}]}), encoding="utf-8")
    return path


def test_a_run_is_scored_again_from_its_texts(tmp_path, recording):
    plain = "The I.O.M. met Mr Okafor at 9 AM on Tuesday."
    stage = "The I-O-M met Mr. Okafur at nine a.m. on Tuesday."
    path = _run(tmp_path, {
        "plain": {"wall_s": 10.0, "cpu_s": 15.0, "peak_rss_mb": 700.0, "text": plain,
                  "wer": 33.33, "names": 50.0},
        "stage": {"wall_s": 5.0, "cpu_s": 9.0, "peak_rss_mb": 800.0, "text": stage,
                  "wer": 22.22, "names": 0.0}})
    data = speed.rescore(path, folder_of=lambda name: tmp_path / name)
    rows = data["results"][0]["rows"]
    reference = (recording / "reference.txt").read_text(encoding="utf-8")
    assert rows["plain"]["wer"] == 0.0 == round(100 * wer(reference, plain), 2)
    assert rows["stage"]["wer"] == round(100 * wer(reference, stage), 2) > 0   # Okafur
    assert rows["plain"]["names"] == 100.0 and rows["stage"]["names"] == 50.0
    assert rows["plain"]["scored_before"] == {"wer": 33.33, "names": 50.0}
    assert rows["stage"]["wall_s"] == 5.0 and "rescored" in data
    assert data["results"][0]["set"] == "held out"
    assert "| hearing | held out | stage | 5.0 | 9.0 | 800 |" in speed.table(data["results"])


def test_a_run_without_texts_cannot_be_scored_again(tmp_path, recording):
    path = _run(tmp_path, {"plain": {"wall_s": 10.0, "wer": 9.0, "names": 50.0}})
    with pytest.raises(SystemExit, match="keeps no recognised text for hearing"):
        speed.rescore(path, folder_of=lambda name: tmp_path / name)
    for not_a_run in ([1, 2], {"results": [{"recording": "hearing"}]},
                      {"results": [{"recording": "hearing", "rows": {"plain": {"text": "x"}}}]}):
        path.write_text(json.dumps(not_a_run), encoding="utf-8")
        with pytest.raises(SystemExit, match="is not a run"):
            speed.rescore(path)
    with pytest.raises(SystemExit, match="Cannot read the run"):
        speed.rescore(tmp_path / "missing.json")


def test_a_recording_without_its_reference_is_named(tmp_path, recording):
    (recording / "reference.txt").unlink()
    path = _run(tmp_path, {"plain": {"wall_s": 1.0, "text": "x", "wer": 1.0, "names": 1.0}})
    with pytest.raises(SystemExit, match="No reference.txt in"):
        speed.rescore(path, folder_of=lambda name: tmp_path / name)


def test_each_recording_is_named_with_its_set():
    assert speed.set_of("panel") == "tuning"
    assert speed.set_of("forum") == "looked at"
    assert speed.set_of("council") == "held out"
    assert set(speed.LOOKED_AT) <= set(speed.HELD_OUT)


def test_only_stage_rows_get_a_ratio():
    row = {"wall_s": 10.0, "cpu_s": 12.0, "peak_rss_mb": 700.0, "wer": 9.0, "names": 50.0}
    results = [{"recording": "council", "set": "held out", "rows": {
        "plain": row, "plain-2": {**row, "wall_s": 20.0},
        "stage": {**row, "wall_s": 4.0, "settings": {}}}}]
    lines = speed.table(results).splitlines()
    assert lines[3].startswith("| council | held out | plain-2 | 20.0 |") and lines[3].endswith("|  |")
    assert lines[4].endswith("| 2.50x |")
