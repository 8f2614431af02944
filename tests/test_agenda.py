"""Agenda files: fields, defaults, titles per language, and one clear error per bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.agenda import check_against_duration, load_agenda, parse_agenda
from pipeline.errors import AgendaError

GOOD = """\
title: Overcoming migration challenges
date: "2023-11-21"
recording_start: "14:58"
items:
  - id: welcome
    start: "15:00"
    title: {en: Welcome remarks, fr: Allocutions de bienvenue, es: Palabras de bienvenida}
    description: The moderator opens the meeting.
    speakers: [Moderator]
  - start: 15:10:30
    title: Panel presentations
    pinned_start: "00:13:05"
  - start: "16:00"
    title: {fr: Débat interactif}
    pinned_start: 3700
glossary: glossary.yaml
"""


def write(tmp_path: Path, text: str, glossary: str = "keep: [CMW]\n") -> Path:
    (tmp_path / "glossary.yaml").write_text(glossary, encoding="utf-8")
    path = tmp_path / "agenda.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_agenda(tmp_path):
    agenda = load_agenda(write(tmp_path, GOOD))
    assert agenda.title == "Overcoming migration challenges" and agenda.date == "2023-11-21"
    assert agenda.recording_start == "14:58:00"
    assert [i.id for i in agenda.items] == ["welcome", "panel-presentations", "debat-interactif"]
    assert [i.start for i in agenda.items] == [120.0, 750.0, 3720.0]
    assert [i.pinned_start for i in agenda.items] == [None, 785.0, 3700.0]
    welcome, panel, debate = agenda.items
    assert welcome.title_in("fr") == "Allocutions de bienvenue"
    assert panel.title_in("es") == "Panel presentations"
    assert debate.title_in("en") == "Débat interactif"
    assert welcome.speakers == ("Moderator",) and agenda.glossary.keep == ("CMW",)


def test_recording_start_defaults_to_first_item(tmp_path):
    agenda = load_agenda(write(tmp_path, GOOD.replace('recording_start: "14:58"\n', "")))
    assert agenda.recording_start == "15:00:00" and agenda.items[0].start == 0.0


def test_inline_glossary(tmp_path):
    text = GOOD.replace("glossary: glossary.yaml\n",
                        "glossary:\n  terms:\n    - {en: Global Compact, fr: Pacte mondial}\n")
    agenda = load_agenda(write(tmp_path, text))
    assert agenda.glossary.terms[0].targets == {"fr": "Pacte mondial"}


BAD = [
    ("yaml syntax", GOOD.replace("title: Panel presentations", "title: [Panel"),
     r"agenda.yaml, line 12: the agenda is not valid YAML .*begins on line 11"),
    ("no items", "title: A meeting\n", r"agenda.yaml, line 1, field items: .*no 'items' list"),
    ("no title", GOOD.replace("title: Overcoming migration challenges\n", ""),
     r"agenda.yaml, line 1, field 'title'"),
    ("item without start", GOOD.replace('  - start: "16:00"\n    title: {fr', '  - title: {fr'),
     r"agenda.yaml, line 13, field 'start': item 3 has no 'start' field"),
    ("item without title", GOOD.replace("    title: Panel presentations\n", ""),
     r"agenda.yaml: item 2 has no 'title' field"),
    ("out of order", GOOD.replace('start: "16:00"', 'start: "15:05"'),
     r"agenda.yaml, line 13, item 'debat-interactif' field 'start': .*before the previous item"),
    ("duplicate id", GOOD.replace("  - start: 15:10:30", "  - id: welcome\n    start: 15:10:30"),
     r"agenda.yaml, line 10, field item 2 'id': the id 'welcome' is already used by item 1"),
    ("recording starts late", GOOD.replace('recording_start: "14:58"', 'recording_start: "15:02:01"'),
     r"agenda.yaml, line 3, field recording_start: .*after the first item's start"),
    ("one item", GOOD.split("  - start: 15:10:30")[0],
     r"agenda.yaml, line 5, field items: the agenda has 1 item\(s\)"),
    ("not a time", GOOD.replace('start: "16:00"', 'start: "4 pm"'),
     r"agenda.yaml, line 13, field item 3 'start': '4 pm' is not a wall-clock time"),
    ("bad pinned", GOOD.replace('pinned_start: "00:13:05"', 'pinned_start: "soon"'),
     r"agenda.yaml, line 12, field item 2 'pinned_start': 'soon' is not a time in the recording"),
    ("pinned out of order", GOOD.replace("pinned_start: 3700", "pinned_start: 700"),
     r"agenda.yaml, line 15, item 'debat-interactif' field 'pinned_start'"),
    ("unknown field", GOOD.replace("    description:", "    strat: x\n    description:"),
     r"agenda.yaml, line 8, field 'strat': item 1 has an unknown field"),
    ("missing glossary", GOOD.replace("glossary.yaml", "nowhere.yaml"),
     r"agenda.yaml, line 16, field 'glossary': The glossary .*nowhere.yaml does not exist"),
    ("empty", "", r"agenda.yaml, line 1: the agenda is empty"),
]


@pytest.mark.parametrize("name, text, message", BAD, ids=[b[0] for b in BAD])
def test_bad_agendas_name_file_line_and_field(tmp_path, name, text, message):
    with pytest.raises(AgendaError, match=message) as caught:
        load_agenda(write(tmp_path, text))
    assert "\n" not in str(caught.value)


def test_recording_may_start_a_little_after_the_first_item(tmp_path):
    agenda = load_agenda(write(tmp_path, GOOD.replace('"14:58"', '"15:01:30"')))
    assert agenda.items[0].start == -90.0


def test_missing_file(tmp_path):
    with pytest.raises(AgendaError, match="does not exist"):
        load_agenda(tmp_path / "none.yaml")


def test_times_checked_against_the_recording():
    agenda = parse_agenda(GOOD.replace("glossary: glossary.yaml\n", ""), source="a.yaml")
    check_against_duration(agenda, 4000)
    with pytest.raises(AgendaError, match=r"a.yaml, line 13, item 'debat-interactif' field "
                                          r"'start': the scheduled start 16:00:00"):
        check_against_duration(agenda, 3599)
    early = parse_agenda(GOOD.replace("glossary: glossary.yaml\n", "").replace(
        "pinned_start: 3700", "pinned_start: 3800").replace('"16:00"', '"15:20"'), source="a.yaml")
    with pytest.raises(AgendaError, match=r"line 15, .*'pinned_start': the pinned start at 3800 s"):
        check_against_duration(early, 3000)


def test_sample_agenda_loads(samples_dir):
    agenda = load_agenda(samples_dir / "agenda.yaml")
    assert len(agenda.items) >= 2 and agenda.glossary.terms
