"""Batch files: every bad row reported with its line before any work, YAML and CSV alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.recordings import cut, garbage, short_agenda

from pipeline.batch import BatchOptions, check_batch, read_batch_file
from pipeline.batch.cluster import plan_local_cluster
from pipeline.cli import main
from pipeline.cli.batch_cmd import settings_maker

BAD_AGENDA = "title: Broken\nitems:\n- id: a\n  start: '15:00:00'\n  title: [unclosed\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A batch folder: a short recording, an unreadable one, a good and a bad agenda."""
    base = tmp_path_factory.mktemp("batch-files")
    cut(base / "a.ogg", 0, 30)
    garbage(base / "broken.ogg")
    short_agenda(base / "agenda.yaml")
    (base / "bad-agenda.yaml").write_text(BAD_AGENDA, encoding="utf-8")
    return base


def _batch(args):
    return CliRunner().invoke(main, ["batch", *args, "--to", "none", "--quiet"])


YAML_ROWS = """\
sessions:
  - name: good
    recording: a.ogg
    agenda: agenda.yaml
  - name: missing
    recording: nowhere.ogg
    agenda: agenda.yaml
  - name: unreadable
    recording: broken.ogg
    agenda: agenda.yaml
  - name: bad-agenda
    recording: a.ogg
    agenda: bad-agenda.yaml
  - name: good
    recording: a.ogg
    agenda: agenda.yaml
  - name: typo
    recording: a.ogg
    agenda: agenda.yaml
    asr-modle: tiny.en
  - name: german
    recording: a.ogg
    agenda: agenda.yaml
    to: de
  - recording: a.ogg
    agenda: agenda.yaml
"""

EXPECTED = [
    "line 6 (session 'missing'): The recording {base}/nowhere.ogg does not exist",
    "line 9 (session 'unreadable'): {base}/broken.ogg is not a readable audio or video file",
    "line 13 (session 'bad-agenda'): {base}/bad-agenda.yaml, line 6: the agenda is not valid YAML",
    "line 14 (session 'good'): the name 'good' is already used on line 2",
    "line 20 (session 'typo'): unknown option 'asr-modle'",
    "line 24 (session 'german'): to: Unknown target language 'de'",
    "line 25: the session has no name",
]


def test_every_bad_row_is_reported_with_its_line_and_nothing_runs(folder, tmp_path):
    batch = folder / "week.yaml"
    batch.write_text(YAML_ROWS, encoding="utf-8")
    root = tmp_path / "sessions"
    result = _batch([str(batch), "--out", str(root)])
    assert result.exit_code == 1
    for expected in EXPECTED:
        assert f"{batch}, {expected.format(base=folder)}" in result.output, expected
    assert f"{batch} has 7 problem(s); nothing was run" in result.output
    assert "--skip-bad" in result.output
    assert not root.exists()


CSV_ROWS = """\
name,recording,agenda,to,asr_modle
good,a.ogg,agenda.yaml,,
missing,nowhere.ogg,agenda.yaml,,
"two
lines",a.ogg,agenda.yaml,,
typo,a.ogg,agenda.yaml,,tiny.en
good,a.ogg,agenda.yaml,de,
"""


def test_a_csv_batch_reports_its_rows_by_line(folder, tmp_path):
    batch = folder / "week.csv"
    batch.write_text(CSV_ROWS, encoding="utf-8")
    result = _batch([str(batch), "--out", str(tmp_path / "sessions")])
    assert result.exit_code == 1
    assert f"{batch}, line 3 (session 'missing'): The recording" in result.output
    assert f"{batch}, line 5 (session 'two\nlines'): the name 'two\nlines' is not a folder name" \
        in result.output
    assert f"{batch}, line 6 (session 'typo'): unknown option 'asr_modle'" in result.output
    assert f"{batch}, line 7 (session 'good'): the name 'good' is already used on line 2" \
        in result.output
    assert f"{batch}, line 7 (session 'good'): to: Unknown target language 'de'" in result.output
    assert "has 5 problem(s)" in result.output
    assert "line 2 " not in result.output.replace("on line 2", "")


def test_skip_bad_names_the_bad_rows_and_still_exits_non_zero(folder, tmp_path):
    batch = folder / "all-bad.yaml"
    batch.write_text("sessions:\n  - name: gone\n    recording: nowhere.ogg\n"
                     "    agenda: agenda.yaml\n", encoding="utf-8")
    root = tmp_path / "sessions"
    result = _batch([str(batch), "--out", str(root), "--skip-bad"])
    assert result.exit_code == 1
    assert "0 done, 0 failed, 1 skipped" in result.output
    record = json.loads((root / "batch.json").read_text())
    assert record["schema"] == "session-pipeline/batch/1"
    [session] = record["sessions"]
    assert session["status"] == "skipped"
    assert session["error"].startswith(f"{batch}, line 3 (session 'gone'): The recording")
    assert not (root / "gone").exists()


@pytest.mark.parametrize("text,expected", [
    ("sessions: [\n", "line 2"),
    ("title: not a batch\n", "has no 'sessions' list"),
    ("sessions: []\n", "line 1: the 'sessions' list is empty"),
])
def test_a_file_that_is_no_batch_is_one_sentence(folder, tmp_path, text, expected):
    batch = folder / "odd.yaml"
    batch.write_text(text, encoding="utf-8")
    result = _batch([str(batch), "--out", str(tmp_path / "sessions")])
    assert result.exit_code == 1
    assert expected in result.output


def test_an_unknown_key_outside_the_sessions_stops_even_with_skip_bad(folder, tmp_path):
    batch = folder / "extra.yaml"
    batch.write_text("sesions: []\nsessions:\n  - name: good\n    recording: a.ogg\n"
                     "    agenda: agenda.yaml\n", encoding="utf-8")
    root = tmp_path / "sessions"
    result = _batch([str(batch), "--out", str(root), "--skip-bad"])
    assert result.exit_code == 1
    assert f"{batch}, line 1: unknown key 'sesions'" in result.output
    assert not root.exists()


def test_a_sessions_options_override_the_command_lines(folder, tmp_path):
    models = folder / "models" / "fr"
    models.mkdir(parents=True, exist_ok=True)
    batch = folder / "mixed.yaml"
    batch.write_text("sessions:\n"
                     "  - {name: english, recording: a.ogg, agenda: agenda.yaml, to: none}\n"
                     "  - {name: french, recording: a.ogg, agenda: agenda.yaml,\n"
                     "     mt-model: {fr: models/fr}, skip-missing-translations: yes,\n"
                     "     source-organization: The Panel}\n"
                     "  - {name: inherits, recording: a.ogg, agenda: agenda.yaml}\n",
                     encoding="utf-8")
    settings_for = settings_maker({"to": "fr", "asr_model": "tiny.en"}, {}, folder)
    checked = check_batch(read_batch_file(batch, ["to", "mt-model", "skip-missing-translations",
                                                  "source-organization"]), settings_for)
    assert not checked.problems
    english, french, inherits = (s.settings for s in checked.sessions)
    assert english.run.translate is None
    assert french.run.translate.models == {"fr": str(models)}
    assert french.run.skip_missing_translations
    assert french.archive.source_organization == "The Panel"
    assert inherits.run.translate.targets == ("fr",)
    assert {s.run.transcribe.asr_model for s in (english, french, inherits)} == {"tiny.en"}
    assert [s.duration_s for s in checked.sessions] == [pytest.approx(30, abs=0.1)] * 3


@pytest.mark.parametrize("cores,sessions,given,expected", [
    (2, 4, {}, (1, 2)),                       # two cores: one session at a time, both cores
    (16, 40, {}, (8, 2)),                     # two cores per session
    (16, 3, {}, (3, 5)),                      # fewer sessions: the cores shared out
    (64, 60, {}, (12, 5)),                    # 24 GB at 2 GB a session
    (2, 4, {"workers": 2}, (2, 1)),
    (8, 10, {"cores_per_session": 4}, (2, 4)),
])
def test_the_local_cluster_is_sized_to_the_machine(cores, sessions, given, expected):
    plan = plan_local_cluster(sessions, BatchOptions(**given), cores=cores, memory_bytes=24e9)
    assert (plan.workers, plan.cores_per_session) == expected
