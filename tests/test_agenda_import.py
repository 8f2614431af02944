"""Draft agendas from programmes (Markdown, text, Word, PDF; en, fr, es) against golden files.

Each programme in ``tests/data/programmes`` must give the draft in ``expected/`` byte for byte.
Word programmes are written there as specs (``*.docx.yaml``) and built here with python-docx;
their PDFs are made from the .docx by LibreOffice. After a deliberate change, regenerate with
``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_agenda_import.py`` and review the diff.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
import yaml
from helpers.programme_docs import build_docx, convert_to_pdf, soffice

from pipeline.agenda import parse_agenda
from pipeline.agenda.importer import import_programme, import_text
from pipeline.errors import AgendaError

DATA = Path(__file__).parent / "data" / "programmes"
EXPECTED = DATA / "expected"
TEXT = sorted(p.name for p in DATA.iterdir() if p.suffix in (".md", ".txt"))
WORD = sorted(p.name[:-len(".yaml")] for p in DATA.glob("*.docx.yaml"))
PDF = [name[:-len(".docx")] + ".pdf" for name in WORD]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The corpus's Word programmes built with python-docx, and their PDFs made by LibreOffice."""
    folder = tmp_path_factory.mktemp("programmes")
    documents = [build_docx(DATA / f"{name}.yaml", folder / name) for name in WORD]
    if soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing; .ci/run installs libreoffice-writer-nogui.")
        pytest.skip("LibreOffice is not installed: the PDF programmes cannot be made")
    convert_to_pdf(documents, folder)
    return folder


def assert_matches_golden(actual: str, expected_path: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1" and not os.environ.get("CI"):
        expected_path.write_text(actual, encoding="utf-8")
    expected = expected_path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True),
                                            actual.splitlines(keepends=True),
                                            fromfile=str(expected_path), tofile="imported"))
        pytest.fail(f"{expected_path.name} differs from the imported draft:\n{diff}", pytrace=False)


def check_draft(draft: str) -> None:
    """The draft is a valid agenda: what 'agenda check' reads."""
    agenda = parse_agenda(draft, source="draft.yaml")
    assert len(agenda.items) >= 2


@pytest.mark.parametrize("name", TEXT)
def test_text_programme(name):
    draft = import_programme(DATA / name)
    assert_matches_golden(draft, EXPECTED / f"{name}.yaml")
    check_draft(draft)


@pytest.mark.parametrize("name", WORD)
def test_word_programme(name, built):
    draft = import_programme(built / name)
    assert_matches_golden(draft, EXPECTED / f"{name}.yaml")
    check_draft(draft)


@pytest.mark.parametrize("name", PDF)
def test_pdf_programme(name, built):
    draft = import_programme(built / name)
    assert_matches_golden(draft, EXPECTED / f"{name}.yaml")
    check_draft(draft)


@pytest.mark.parametrize("name", WORD)
def test_word_and_pdf_give_the_same_items(name, built):
    """The PDF of a Word programme gives the very same items as the Word document."""
    items = [yaml.safe_load(import_programme(built / n))["items"]
             for n in (name, name[:-len(".docx")] + ".pdf")]
    assert items[0] == items[1]


def test_second_day_of_a_two_day_programme(built):
    draft = import_programme(built / "consultation-two-days.en.docx", day=2)
    assert_matches_golden(draft, EXPECTED / "consultation-two-days.en.docx.day2.yaml")
    check_draft(draft)


def test_a_day_the_programme_does_not_have(built):
    with pytest.raises(AgendaError, match=r"covers 2 day\(s\); --day 3 is not one of them"):
        import_programme(built / "consultation-two-days.en.docx", day=3)


def test_english_table_with_dotted_times_and_a_time_zone():
    """10.00 – 10.15 in a table whose time column says (CET): items, never one titled "(CET)"."""
    data = yaml.safe_load(import_programme(DATA / "hearing-labour-migration.en.md"))
    assert [(i["start"], i["title"]["en"]) for i in data["items"]][:2] == [
        ("10:00", "Opening of the hearing"),
        ("10:15", "Panel 1: Fair recruitment and the Global Compact")]
    assert all("CET" not in i["title"]["en"] for i in data["items"])


def test_speakers_are_names_and_roles_apart():
    data = yaml.safe_load(import_programme(DATA / "seminaire-parlementaire.fr.txt"))
    assert data["items"][1]["speakers"][:2] == [
        {"name": "Mme Claire Dupont", "role": {"fr": "députée (France) (Modératrice)"}},
        {"name": "Mme Fatou Ndiaye", "role": {"fr": "membre du Comité des travailleurs migrants"}}]
    agenda = parse_agenda(import_programme(DATA / "seminaire-parlementaire.fr.txt"))
    person = agenda.items[1].people[0]
    assert (person.name, person.role_in("fr")) == ("Mme Claire Dupont", "députée (France) (Modératrice)")


def test_background_annexes_and_links_are_never_items():
    for name in TEXT:
        titles = [t for i in yaml.safe_load(import_programme(DATA / name))["items"]
                  for t in i["title"].values()]
        assert not any(word in t.lower() for t in titles
                       for word in ("side event", "unrelated", "www.", "http", "annex", "anexo"))


def test_header_tells_what_was_not_read():
    draft = import_programme(DATA / "briefing-remote-work.en.txt")
    assert ('#   - line 28: "Statement by a representative of civil society" has no time it '
            "can read ('TBC')") in draft
    assert "Statement by" not in draft.split("\nitems:\n")[1]


def test_fewer_than_two_timed_items_is_refused():
    with pytest.raises(AgendaError, match=r"^p.md has no timed items .*; nothing was written"):
        import_text("# A meeting\n\nWe will meet on Tuesday 21 November 2023.\n", "p.md")
    with pytest.raises(AgendaError, match=r"^p.md has only one timed item \(10:00 'Opening'\)"):
        import_text("# A meeting\n\n10:00 Opening\n\nAfternoon: to be announced.\n", "p.md")


def test_times_that_go_back_are_told_not_imported():
    draft = import_text("# Hearing\n\n10:00 Opening\n\n11:00 Panel\n\n09:15 Late registration\n"
                        "\n11:30 Closing\n", "p.md")
    assert [i["start"] for i in yaml.safe_load(draft)["items"]] == ["10:00", "11:00", "11:30"]
    assert '"09:15 Late registration" starts before the item above it (11:00)' in draft


def test_section_numbers_are_not_times():
    draft = import_text("Agenda of the seminar\n21 November 2023\n\n1.1 Opening\n1.10 Adoption of "
                        "the agenda\n10:00 Opening of the seminar\n12:00 Closing\n", "p.txt",
                        markdown=False)
    assert [i["start"] for i in yaml.safe_load(draft)["items"]] == ["10:00", "12:00"]
    assert '"01:10 Adoption of the agenda" is not a time a meeting is held' in draft


def test_a_title_wrapped_onto_the_next_line_is_whole():
    text = ("# Mesa redonda\n\nMartes 12 de marzo de 2024\n\n"
            "```\n"
            "3:00 p.m. – 3:10 p.m.     Apertura\n"
            "3:10 p.m. – 3:40 p.m.     Presentación del estudio «Desplazamiento por desastres en el\n"
            "                          Corredor Seco centroamericano»\n"
            "3:40 p.m. – 4:30 p.m.     Debate con los participantes y\n"
            "                          preguntas del público\n"
            "                          Modera: Sen. Patricia Guzmán\n"
            "4:30 p.m.                 Clausura\n"
            "```\n")
    data = yaml.safe_load(import_text(text, "mesa.md"))
    assert [(i["start"], i["title"]["es"]) for i in data["items"]] == [
        ("15:00", "Apertura"),
        ("15:10", "Presentación del estudio «Desplazamiento por desastres en el Corredor Seco "
                  "centroamericano»"),
        ("15:40", "Debate con los participantes y preguntas del público"),
        ("16:30", "Clausura")]
    assert data["items"][2]["speakers"][0]["name"] == "Sen. Patricia Guzmán"


def test_a_table_row_cut_by_a_page_break_is_one_item():
    from pipeline.agenda.blocks import Block
    from pipeline.agenda.layout import find_items

    def row(table, time, *title, where="p"):
        return Block(cells=(tuple(title), (time,) if time else ()), where=where, table=table)

    blocks = list(enumerate([
        row(1, "9 h 00 – 10 h 30", "Table ronde 1 : Le travail des seniors"),
        row(1, "11 h 00 – 12 h 30", "Table ronde 2 : Aménager les"),
        row(2, "", "fins de carrière", "Intervenants :", "Mme Sophie Garnier, DRH"),
        row(2, "14 h 00 – 15 h 00", "Clôture"),
    ]))
    found = find_items(blocks, "fr")
    assert [(e.start / 3600, e.title) for e in found.entries] == [
        (9.0, "Table ronde 1 : Le travail des seniors"),
        (11.0, "Table ronde 2 : Aménager les fins de carrière"), (14.0, "Clôture")]
    assert [s.name for s in found.entries[1].speakers] == ["Mme Sophie Garnier"]
    assert not found.unread


@pytest.mark.parametrize("title, after", [
    ("Panel discussion and Q&A", "Open to all participants"),
    ("Check-in", "Main lobby, ground floor"),
    ("Breakout group A", "Room 4, second floor"),
    ("Roadmap to 2030", "Chaired by the secretariat"),
])
def test_a_finished_title_keeps_its_own_line(title, after):
    data = yaml.safe_load(import_text(f"# Day\n\n10:00 {title}\n\n{after}\n\n11:00 Closing\n",
                                      "p.md"))
    assert data["items"][0]["title"]["en"] == title


def test_a_hyphen_at_the_end_of_a_wrapped_title_joins_without_a_space():
    from pipeline.agenda.blocks import Block
    from pipeline.agenda.layout import find_items

    rows = [Block(cells=(("10:00",), ("Multi-", "stakeholder dialogue")), where="p", table=1),
            Block(cells=(("11:00",), ("Closing",)), where="p", table=1)]
    found = find_items(list(enumerate(rows)), "en")
    assert [e.title for e in found.entries] == ["Multi-stakeholder dialogue", "Closing"]


def test_a_table_on_the_next_page_that_starts_with_a_day_is_not_a_continuation():
    from pipeline.agenda.blocks import Block
    from pipeline.agenda.layout import find_items

    def row(table, time, *title):
        return Block(cells=((time,) if time else (), tuple(title)), where="p", table=table)

    blocks = list(enumerate([
        row(1, "", "Monday 4 March 2024"), row(1, "9:00", "Opening"),
        row(1, "17:00", "Closing of the first day"),
        row(2, "", "Tuesday 5 March 2024"), row(2, "9:00", "Second day"),
        row(2, "12:00", "Closing")]))
    found = find_items(blocks, "en")
    assert [d for d, _ in found.days] == ["2024-03-04", "2024-03-05"]
    assert [e.day for e in found.entries] == [0, 0, 1, 1]
    assert found.entries[1].description == []
