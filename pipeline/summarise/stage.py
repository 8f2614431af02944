"""The summary stage: a draft summary record per agenda item, the same sentences in every language."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
from dataclasses import asdict

from pipeline.agenda import Agenda
from pipeline.errors import SessionError
from pipeline.formats.sections import SECTIONS_FILE, Section, section_of
from pipeline.formats.transcript import Transcript
from pipeline.fsio import sha256_file
from pipeline.glossary import Glossary
from pipeline.progress import NullReporter, Reporter
from pipeline.session import Session
from pipeline.stage import StageResult, StageRun, fingerprint
from pipeline.summarise.extractive import Draft, select
from pipeline.summarise.options import SummariseOptions
from pipeline.summarise.render import ItemSummary, summary_markdown
from pipeline.summarise.voices import Voices

log = logging.getLogger(__name__)

STAGE = "summarise"


def summarise_session(session: Session, agenda: Agenda | None, *,
                      options: SummariseOptions = SummariseOptions(),
                      reporter: Reporter | None = None, force: bool = False) -> StageResult:
    """Write ``<lang>/summary.md`` for every language present."""
    reporter = reporter or NullReporter()
    sections = session.read_sections()
    transcripts = {lang: session.read_transcript(lang) for lang in _languages(session)}
    _check_aligned(transcripts)
    speakers = session.named_speakers()          # editors' names in speakers.yaml too
    run = StageRun(session, STAGE, fingerprint(
        sections=sha256_file(session.path(SECTIONS_FILE)), transcripts=_contents(transcripts),
        speakers=[s.to_record() for s in speakers], agenda=_agenda_inputs(agenda),
        options=asdict(options)),
        outputs=[summary_relpath(lang) for lang in transcripts], force=force)
    if run.up_to_date:
        return run.skip()
    items = _choose(transcripts["en"], sections, agenda, options, reporter)
    title = agenda.title if agenda else (session.manifest.get("agenda") or {}).get("title", "Meeting")
    date = _dt.date.today().isoformat()
    voices = Voices.of(speakers, agenda)
    english = {s.id: s for s in transcripts["en"].sentences}
    run.begin()
    for language, transcript in transcripts.items():
        by_id = {s.id: s for s in transcript.sentences}
        run.write_text(summary_relpath(language), summary_markdown(
            language, title, items, by_id, english, voices, date, options.summary_model))
    return run.done(options=asdict(options), models=_models(options), counts=_counts(items, transcripts))


def summary_relpath(language: str) -> str:
    return f"{language}/summary.md"


def draft_items(english: Transcript, sections: list[Section], glossary: Glossary,
                options: SummariseOptions) -> dict[str, Draft]:
    """Per section id: its draft (the chosen English passages, per intervention)."""
    members: dict[str, list] = {s.id: [] for s in sections}
    for sentence in english.sentences:
        owner = section_of(sentence, sections)
        if owner is not None:
            members[owner].append(sentence)
    context = list(english.sentences)
    return {s.id: select(members[s.id], context, _topic(s), glossary, options) for s in sections}


def choose_sentences(english: Transcript, sections: list[Section], glossary: Glossary,
                     options: SummariseOptions) -> dict[str, list[int]]:
    """Per section id: the ids of the English sentences its draft keeps, in order."""
    return {key: draft.ids for key, draft in draft_items(english, sections, glossary, options).items()}


def _choose(english, sections, agenda, options, reporter) -> list[ItemSummary]:
    glossary = agenda.glossary if agenda else Glossary()
    drafts = draft_items(english, sections, glossary, options)
    writer = _writer(options)
    spoken = {section_of(s, sections) for s in english.sentences}
    items = []
    with reporter.bar("Summarising", total=len(sections), unit="item") as bar:
        for section in sections:
            draft = drafts[section.id]
            prose = tuple(writer.summarise(" ".join(p.text for p in passages)) or None
                          for _, passages in draft.chosen) if writer else ()
            items.append(ItemSummary(section=section, draft=draft,
                                     spoken=section.id in spoken, prose=prose))
            bar.advance(1)
    return items


def _writer(options: SummariseOptions):
    """The abstractive model, loaded once, when the method asks for one."""
    if options.method != "abstractive":
        return None
    from pipeline.summarise.abstractive import AbstractiveSummariser

    if not options.summary_model:
        raise SessionError("The abstractive method needs a model: give --summary-model "
                           "a name or a local folder, or use --method extractive.")
    return AbstractiveSummariser(options.summary_model, options.summary_max_tokens)


def _counts(items: list[ItemSummary], transcripts: dict[str, Transcript]) -> dict:
    kept = [i for item in items for i in item.draft.ids]
    return {"items": len(items), "sentences": len(kept),
            "interventions": sum(len(item.draft.chosen) for item in items),
            "words": sum(len(p.text.split()) for item in items for _, ps in item.draft.chosen
                         for p in ps),
            "of_words": sum(item.draft.words for item in items),
            "empty_items": sum(1 for i in items if not i.spoken),
            "languages": list(transcripts)}


def _agenda_inputs(agenda: Agenda | None) -> str | None:
    """What of the agenda the drafts use: its title, glossary and listed people."""
    if agenda is None:
        return None
    return repr((agenda.title, agenda.glossary, [item.people for item in agenda.items]))


def _topic(section: Section) -> str:
    return " ".join([section.title_in("en"), section.description, " ".join(section.speakers)])


def _languages(session: Session) -> list[str]:
    languages = session.languages()
    if "en" not in languages:
        raise SessionError(f"There is no en transcript in {session.root} yet; run "
                           "'session-pipeline transcribe' first.")
    return languages


def _check_aligned(transcripts: dict[str, Transcript]) -> None:
    english = {s.id for s in transcripts["en"].sentences}
    for language, transcript in transcripts.items():
        missing = english - {s.id for s in transcript.sentences}
        if missing:
            raise SessionError(
                f"The {language} transcript lacks {len(missing)} English sentence(s) (first id "
                f"{min(missing)}); run 'session-pipeline translate' again so the summaries agree.")


def _contents(transcripts: dict[str, Transcript]) -> dict[str, str]:
    """Per language, a checksum of the sentences (ids, times, text, voice) the summaries quote."""
    return {lang: hashlib.sha256(json.dumps(
        [(s.id, s.start, s.end, s.text, s.speaker) for s in t.sentences]).encode("utf-8")).hexdigest()
        for lang, t in transcripts.items()}


def _models(options: SummariseOptions) -> dict:
    if options.method != "abstractive":
        return {}
    return {"summary": {"name": options.summary_model}}
