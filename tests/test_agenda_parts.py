"""The parts of agenda import: times, dates, language, speakers; the loader's speaker forms."""

from __future__ import annotations

import pytest

from pipeline.agenda import parse_agenda
from pipeline.agenda.dates import find_date, is_date_line
from pipeline.agenda.language import detect_language
from pipeline.agenda.speakers import parse_speakers, speaker_label, split_name_role
from pipeline.agenda.times import (
    format_clock,
    is_time_only,
    match_time_span,
    search_time_span,
)
from pipeline.errors import AgendaError


def clock(seconds):
    return None if seconds is None else format_clock(seconds)[:5]


@pytest.mark.parametrize("text, start, end, after, zone", [
    ("10:00 Opening", "10:00", None, "Opening", None),
    ("10.00 – 10.15 (CET)", "10:00", "10:15", "", "(CET)"),
    ("10h00 Ouverture", "10:00", None, "Ouverture", None),
    ("10 h 00 - 10 h 30 Ouverture", "10:00", "10:30", "Ouverture", None),
    ("9 h 30 – 10 h Accueil", "09:30", "10:00", "Accueil", None),
    ("10:00 a.m. Welcome", "10:00", None, "Welcome", None),
    ("3 p.m. Closing", "15:00", None, "Closing", None),
    ("15:00-15:10", "15:00", "15:10", "", None),
    ("15:00 – 15:10 Debate", "15:00", "15:10", "Debate", None),
    ("from 15:00 to 15:10: Opening", "15:00", "15:10", ": Opening", None),
    ("de 15 h à 15 h 10 Ouverture", "15:00", "15:10", "Ouverture", None),
    ("desde las 15:00 hasta las 15:10 Apertura", "15:00", "15:10", "Apertura", None),
    ("de 15:00 a 15:10 Apertura", "15:00", "15:10", "Apertura", None),
    ("3–4 p.m. Panel", "15:00", "16:00", "Panel", None),
    ("11 – 1 p.m. Panel", "11:00", "13:00", "Panel", None),
    ("11:45 a.m. – 1 p.m. Panel 2", "11:45", "13:00", "Panel 2", None),
    ("12 noon Lunch", "12:00", None, "Lunch", None),
    ("11.15 a.m. – noon Session 2", "11:15", "12:00", "Session 2", None),
    ("Noon – 1.30 p.m. Lunch break", "12:00", "13:30", "Lunch break", None),
    ("de midi à 14 h Déjeuner", "12:00", "14:00", "Déjeuner", None),
    ("mediodía - 13:30 Almuerzo", "12:00", "13:30", "Almuerzo", None),
    ("10:00 CET – 11:00 CET Opening", "10:00", "11:00", "Opening", "CET"),
    ("15 h 00-17 h 00 (HAEC, heure de Genève)", "15:00", "17:00", "", "(HAEC, heure de Genève)"),
    ("10:00 (tbc) Opening", "10:00", None, "(tbc) Opening", None),
    ("13.00\tLunch", "13:00", None, "Lunch", None),
])
def test_times_as_people_write_them(text, start, end, after, zone):
    span = match_time_span(text)
    assert (clock(span.start), clock(span.end), span.after, span.zone) == (start, end, after, zone)


@pytest.mark.parametrize("text", ["2024 was a year", "1. Opening", "1.500 people", "Room 12",
                                  "25:00 Opening", "10:75 Opening", "3 items", "13 p.m. Panel",
                                  "Midday break", "Séance de l'après-midi",
                                  "Midi-Pyrénées : bilan régional", "Noon-time networking lunch"])
def test_not_times(text):
    assert match_time_span(text) is None


def test_noon_in_a_sentence_is_no_time_but_a_range_to_noon_is():
    assert search_time_span("The meeting ends at noon.") is None
    assert search_time_span("Séance de l'après-midi") is None
    assert clock(search_time_span("Session 2 (11.15 a.m. – noon)").end) == "12:00"


def test_a_time_inside_a_heading_and_a_lone_time():
    span = search_time_span("Opening session (10:00–10:30)")
    assert (span.before, clock(span.start), clock(span.end), span.after) == (
        "Opening session (", "10:00", "10:30", ")")
    assert is_time_only("16:50") and is_time_only("15:00 – 15:10 (CET)")
    assert not is_time_only("16:50 Closing")


def test_twelve_hour_times_are_marked():
    assert match_time_span("2.00 Working groups").twelve_hour
    assert not match_time_span("14:00 Working groups").twelve_hour
    assert not match_time_span("2 p.m. Working groups").twelve_hour
    assert not match_time_span("09:30 Registration").twelve_hour


@pytest.mark.parametrize("text, expected", [
    ("Thursday 14 March 2024", "2024-03-14"),
    ("Thursday, March 14, 2024", "2024-03-14"),
    ("Mardi 21 novembre 2023", "2023-11-21"),
    ("1er décembre 2023", "2023-12-01"),
    ("martes 21 de noviembre de 2023", "2023-11-21"),
    ("miércoles 5 de junio de 2024", "2024-06-05"),
    ("2024-03-14", "2024-03-14"),
    ("no date here", None),
])
def test_dates(text, expected):
    assert find_date(text) == expected


def test_date_lines():
    assert is_date_line("Mardi 21 novembre 2023, Genève")
    assert is_date_line("**Thursday 14 March 2024**")
    assert not is_date_line("The Global Compact was adopted in Marrakech on 10 December 2018 by "
                            "a large majority of the Member States of the United Nations.")


def test_language():
    assert detect_language("Les intervenants donneront un aperçu des normes et de la")[0] == "fr"
    assert detect_language("The speakers will review the standards of the Convention")[0] == "en"
    assert detect_language("Los ponentes examinarán las normas del Pacto y de la")[0] == "es"


@pytest.mark.parametrize("text, name, role", [
    ("Ms. Elena Marsh, Chair", "Ms. Elena Marsh", "Chair"),
    ("Mr. David Okafor (IPU)", "Mr. David Okafor", "IPU"),
    ("H.E. Mr. Martin Chungong, Secretary General of the IPU", "H.E. Mr. Martin Chungong",
     "Secretary General of the IPU"),
    ("Dra. María José García de la Cruz, Universidad de Chile",
     "Dra. María José García de la Cruz", "Universidad de Chile"),
    ("Ana Ruiz – Directora de la OIT", "Ana Ruiz", "Directora de la OIT"),
    ("Représentant du HCDH", "", "Représentant du HCDH"),
    ("Director General of the ILO", "", "Director General of the ILO"),
    ("Sra. Ana Ruiz", "Sra. Ana Ruiz", ""),
])
def test_name_and_role(text, name, role):
    assert split_name_role(text) == (name, role)


def test_several_speakers_on_a_line_and_labels():
    speakers = parse_speakers("Mr. David Okafor (IPU), Ms. Ana Ruiz (ILO); Mr. Tomás Lindqvist, "
                              "OHCHR", "en")
    assert [(s.name, s.role_in("en")) for s in speakers] == [
        ("Mr. David Okafor", "IPU"), ("Ms. Ana Ruiz", "ILO"), ("Mr. Tomás Lindqvist", "OHCHR")]
    assert speaker_label("Modératrice : Mme Claire Dupont") == ("Modératrice", "Mme Claire Dupont")
    assert speaker_label("Moderadora: Sra. Lucía Fernández") == ("Moderadora", "Sra. Lucía Fernández")
    assert speaker_label("Présidence : M. Diop") == ("Présidence", "M. Diop")
    assert speaker_label("Chair: Ms. X") == ("Chair", "Ms. X")
    assert speaker_label("Modera: Sen. Patricia Guzmán") == ("Moderación", "Sen. Patricia Guzmán")
    assert speaker_label("Rapporteur : M. Serge Dion") == ("Rapporteur", "M. Serge Dion")
    assert [s.name for s in parse_speakers("Mr. Jean- Paul Sarr, Senegal", "en")] == [
        "Mr. Jean-Paul Sarr"]
    assert "Mme Sophie Garnier-DRH" not in [s.name for s in parse_speakers(
        "Mme Sophie Garnier- DRH", "fr")]
    assert speaker_label("Ponentes:") == ("", "")
    assert speaker_label("Intervenants :") == ("", "")
    assert speaker_label("Speakers will review the Convention") is None
    assert [(s.name, s.role_in("en")) for s in parse_speakers("Rapporteur: Ms. A. Bello", "en")] \
        == [("Ms. A. Bello", "Rapporteur")]
    chair = parse_speakers("Ms. Jane Osei, Member of Parliament (Ghana)", "en", "Moderator")[0]
    assert chair.roles == {"en": "Member of Parliament (Ghana) (Moderator)"}


AGENDA = """title: Panel
items:
  - start: "10:00"
    title: Opening
    speakers:
      - Ms. Elena Marsh, Chair
      - {name: Mr. David Okafor, role: {en: Secretary General, fr: Secrétaire général}}
      - {name: Ms. Ana Ruiz, role: Minister}
      - {role: {fr: Représentant du HCDH}}
  - start: "10:30"
    title: Closing
    speakers: Ms. Elena Marsh, Mr. David Okafor
"""


def test_loader_reads_speakers_as_strings_and_mappings():
    first, second = parse_agenda(AGENDA).items
    assert first.speakers == ("Ms. Elena Marsh, Chair", "Mr. David Okafor, Secretary General",
                              "Ms. Ana Ruiz, Minister", "Représentant du HCDH")
    assert [(p.name, p.role_in("fr")) for p in first.people] == [
        ("Ms. Elena Marsh", "Chair"), ("Mr. David Okafor", "Secrétaire général"),
        ("Ms. Ana Ruiz", "Minister"), ("", "Représentant du HCDH")]
    assert second.speakers == ("Ms. Elena Marsh", "Mr. David Okafor")
    assert [p.name for p in second.people] == ["Ms. Elena Marsh", "Mr. David Okafor"]


@pytest.mark.parametrize("speaker, message", [
    ("{nom: X}", "unknown field 'nom'"),
    ("{name: ''}", "a speaker needs a 'name', a 'role' or both"),
    ("{name: X, role: [a, b]}", "a role must be a text or one per language"),
    ("{name: X, role: {english: Chair}}", "a role must be a text or one per language"),
])
def test_loader_refuses_bad_speakers(speaker, message):
    text = AGENDA.replace("- {role: {fr: Représentant du HCDH}}", f"- {speaker}")
    with pytest.raises(AgendaError, match=message) as error:
        parse_agenda(text, source="agenda.yaml")
    assert str(error.value).startswith("agenda.yaml, line 9")
