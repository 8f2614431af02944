"""Draft agendas from programme documents in French, English and Spanish layouts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.agenda import parse_agenda
from pipeline.agenda.importer import detect_language, find_date, import_programme
from pipeline.errors import AgendaError

DATA = Path(__file__).parent / "data" / "programmes"


def draft(name: str) -> tuple[dict, str]:
    text = import_programme((DATA / name).read_text(encoding="utf-8"), source=name)
    return yaml.safe_load(text), text


def test_french_programme():
    data, text = draft("programme-ipu-ohchr-2023-11-21.fr.md")
    assert data["title"].startswith("Surmonter les défis liés à la migration")
    assert data["date"] == "2023-11-21" and data["recording_start"] == "15:00"
    assert [(i["start"], i["title"]) for i in data["items"]] == [
        ("15:00", {"fr": "Allocutions de bienvenue"}),
        ("15:10", {"fr": "Présentations des intervenants"}),
        ("16:00", {"fr": "Débat interactif"}),
        ("16:50", {"fr": "Allocutions de clôture"}),
    ]
    talks = data["items"][1]
    assert talks["description"].startswith("Les intervenants donneront un aperçu")
    assert talks["speakers"] == [
        "Représentant d'un parlement en pointe sur les questions de migrations et de droits de l'homme",
        "Membre du Comité des travailleurs migrants", "Représentant du HCDH"]
    assert "CONTEXTE" not in text and "Annexe" not in text
    agenda = parse_agenda(text, source="draft.yaml")        # the draft is a valid agenda
    assert [i.start for i in agenda.items] == [0, 600, 3600, 6600]
    assert agenda.items[0].id == "allocutions-de-bienvenue"
    assert agenda.items[0].title_in("es") == "Allocutions de bienvenue"


def test_english_plain_text_programme_with_am_pm():
    data, text = draft("programme-en.txt")
    assert data["date"] == "2024-03-14"
    assert data["title"] == "Parliamentary hearing on labour migration"
    assert [(i["start"], i["title"]["en"]) for i in data["items"]] == [
        ("15:00", "Opening of the hearing"),
        ("15:10", "Panel: fair recruitment and the Global Compact"),
        ("16:00", "Open discussion"),
        ("16:45", "Closing remarks"),
    ]
    assert data["items"][1]["speakers"] == ["Mr. David Okafor (IPU)", "Ms. Ana Ruiz (ILO)"]
    assert "recruitment fees" in data["items"][1]["description"]
    assert "unrelated" not in text
    parse_agenda(text)


def test_spanish_table_programme():
    data, text = draft("programa-es.md")
    assert data["title"] == "Diálogo parlamentario sobre la migración y los derechos humanos"
    assert data["date"] == "2024-06-05" and data["recording_start"] == "09:30"
    assert [(i["start"], i["title"]) for i in data["items"]] == [
        ("09:30", {"es": "Apertura y palabras de bienvenida"}),
        ("10:00", {"es": "Las leyes nacionales y el Pacto Mundial"}),
        ("11:15", {"es": "Debate con los participantes"}),
        ("12:00", {"es": "Clausura"}),
    ]
    assert data["items"][1]["speakers"] == ["Sra. Ana Ruiz", "Sr. Tomás Lindqvist"]
    parse_agenda(text)


@pytest.mark.parametrize("text, expected", [
    ("Mardi 21 novembre 2023", "2023-11-21"),
    ("1er décembre 2023", "2023-12-01"),
    ("Thursday, March 14, 2024", "2024-03-14"),
    ("14 March 2024", "2024-03-14"),
    ("miércoles 5 de junio de 2024", "2024-06-05"),
    ("no date here", None),
])
def test_dates(text, expected):
    assert find_date(text) == expected


def test_language_detection():
    assert detect_language("Les intervenants donneront un aperçu des normes et de la") == "fr"
    assert detect_language("The speakers will review the standards of the Convention") == "en"
    assert detect_language("Los ponentes examinarán las normas del Pacto y de la") == "es"


def test_programme_without_times_is_refused():
    with pytest.raises(AgendaError, match="no recognisable times"):
        import_programme("# A meeting\n\nWe will meet on Tuesday 21 November 2023.\n", "p.md")
