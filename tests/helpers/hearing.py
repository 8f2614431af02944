"""A small hearing with voices for the summary tests: labelled sentences, speakers.json, an
agenda whose speakers' roles are given per language, and French and Spanish transcripts."""

from __future__ import annotations

from helpers.sessions import put_transcript

from pipeline.agenda import parse_agenda
from pipeline.formats import sections as sections_io
from pipeline.formats import speakers as speakers_io
from pipeline.formats.sections import Section, tag
from pipeline.formats.speakers import Speaker
from pipeline.formats.transcript import Sentence, Transcript
from pipeline.session import Session

# (item, voice, text): S1 the chair, S2 a member of parliament, S3 a voice nobody named.
LINES = [
    ("opening", "S1", "Good morning and welcome to this hearing on labour migration."),
    ("opening", "S1", "The Committee has received 14 written submissions since January 2024."),
    ("opening", "S1", "I now give the floor to Mr. Samuel Kipchumba."),
    ("statement", "S2", "Thank you, Madam Chair."),
    ("statement", "S2", "Our National Assembly adopted the Labour Migration Act in March 2023."),
    ("statement", "S2", "The Act caps recruitment fees at 10% of the first month's wage."),
    ("statement", "S2", "The weather in Nairobi was pleasant during the drafting sessions."),
    ("statement", "S2", "The inspectors we trained since then cover the coast and"),
    ("statement", "S2", "twelve counties of the Rift Valley with 450 visits a year."),
    ("statement", "S1", "Please go on."),
    ("statement", "S2", "Kenya will report to the Committee on Migrant Workers in October 2025."),
    ("statement", "S3", "The delegation of Ghana asks how the fee cap is enforced in practice."),
    ("statement", "S1", "Thank you. You have the floor."),
    ("closing", "S1", "The hearing is closed."),
]
SPEAKERS = [
    Speaker(label="S1", name="Ms. Elena Marsh", role="Chair",
            roles={"fr": "Présidente", "es": "Presidenta"}),
    Speaker(label="S2", name="Samuel Kipchumba", role="National Assembly of Kenya"),
    Speaker(label="S3"),
]
AGENDA = """\
title: Hearing on labour migration
date: '2024-06-03'
recording_start: '10:00'
items:
  - id: opening
    start: '10:00'
    title: {en: Opening, fr: Ouverture, es: Apertura}
  - id: statement
    start: '10:00:20'
    title: {en: Statement by Kenya, fr: Déclaration du Kenya, es: Declaración de Kenia}
    speakers:
      - {name: Mr. Samuel Kipchumba, role: {en: National Assembly of Kenya,
         fr: Assemblée nationale du Kenya, es: Asamblea Nacional de Kenia}}
  - id: closing
    start: '10:01:30'
    title: {en: Closing, fr: Clôture, es: Clausura}
"""
TRANSLATED = {"fr": "[fr] ", "es": "[es] "}


def hearing_transcript(language: str = "en", voices: bool = True) -> Transcript:
    """The hearing's sentences, 5 s apart; marked ``[fr] ``... in another language."""
    mark = TRANSLATED.get(language, "")
    sentences = tuple(Sentence(id=k + 1, start=5.0 * k + 0.5, end=5.0 * k + 4.5, text=mark + text,
                               speaker=voice if voices else None)
                      for k, (_, voice, text) in enumerate(LINES))
    return Transcript(language, sentences)


def hearing_sections() -> list[Section]:
    starts = {}
    for k, (item, _, _) in enumerate(LINES):
        starts.setdefault(item, 5.0 * k)
    ends = list(starts.values())[1:] + [5.0 * len(LINES)]
    titles = {item["id"]: item["title"] for item in _agenda_items()}
    return [Section(id=item, titles=titles[item], start=start, end=end, scheduled_start=start,
                    pinned_start=None, method="scheduled")
            for (item, start), end in zip(starts.items(), ends)]


def hearing_agenda():
    return parse_agenda(AGENDA, source="hearing.yaml")


def hearing_session(root, *, languages=("en", "fr", "es"), voices: bool = True) -> Session:
    """A session folder as the stages before summarise leave it."""
    session = Session.open(root)
    sections = hearing_sections()
    session.write_text(sections_io.SECTIONS_FILE, sections_io.dumps(
        sections, {"path": None, "sha256": "0" * 64, "title": "Hearing on labour migration",
                   "date": "2024-06-03"}, 5.0 * len(LINES)), stage="segment")
    for language in languages:
        put_transcript(session, tag(hearing_transcript(language, voices), sections),
                       stage="transcribe" if language == "en" else "translate")
    if voices:
        session.write_text(speakers_io.SPEAKERS_FILE, speakers_io.dumps(SPEAKERS), stage="speakers")
    session.manifest["agenda"] = {"path": None, "sha256": "0" * 64,
                                  "title": "Hearing on labour migration", "date": "2024-06-03"}
    session.save()
    return session


def _agenda_items():
    import yaml

    return yaml.safe_load(AGENDA)["items"]
