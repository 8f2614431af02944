"""The summary stage: a draft summary per agenda item, the same sentences in every language."""

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
from pipeline.summarise.extractive import select
from pipeline.summarise.options import SummariseOptions
from pipeline.summarise.render import ItemSummary, render_summary

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
    run = StageRun(session, STAGE, fingerprint(
        sections=sha256_file(session.path(SECTIONS_FILE)), transcripts=_contents(transcripts),
        agenda=repr(agenda.glossary) + agenda.title if agenda else None, options=asdict(options)),
        outputs=[summary_relpath(lang) for lang in transcripts], force=force)
    if run.up_to_date:
        return run.skip()
    items = _choose(transcripts["en"], sections, agenda, options, reporter)
    title = agenda.title if agenda else (session.manifest.get("agenda") or {}).get("title", "Meeting")
    date = _dt.date.today().isoformat()
    run.begin()
    for language, transcript in transcripts.items():
        by_id = {s.id: s for s in transcript.sentences}
        run.write_text(summary_relpath(language),
                       render_summary(language, title, items, by_id, date, options.summary_model))
    return run.done(
        options=asdict(options), models=_models(options),
        counts={"items": len(items), "sentences": sum(len(i.sentence_ids) for i in items),
                "empty_items": sum(1 for i in items if not i.spoken),
                "languages": list(transcripts)})


def summary_relpath(language: str) -> str:
    return f"{language}/summary.md"


def choose_sentences(english: Transcript, sections: list[Section], glossary: Glossary,
                     options: SummariseOptions) -> dict[str, list[int]]:
    """Per section id: the ids of the English sentences that summarise it."""
    members: dict[str, list] = {s.id: [] for s in sections}
    for sentence in english.sentences:
        owner = section_of(sentence, sections)
        if owner is not None:
            members[owner].append(sentence)
    context = list(english.sentences)
    return {s.id: select(members[s.id], context, _topic(s), glossary, options) for s in sections}


def _choose(english, sections, agenda, options, reporter) -> list[ItemSummary]:
    glossary = agenda.glossary if agenda else Glossary()
    chosen = choose_sentences(english, sections, glossary, options)
    writer = None
    if options.method == "abstractive":
        from pipeline.summarise.abstractive import AbstractiveSummariser

        if not options.summary_model:
            raise SessionError("The abstractive method needs a model: give --summary-model "
                               "a name or a local folder, or use --method extractive.")
        writer = AbstractiveSummariser(options.summary_model, options.summary_max_tokens)
    by_id = {s.id: s for s in english.sentences}
    items = []
    with reporter.bar("Summarising", total=len(sections), unit="item") as bar:
        for section in sections:
            ids = chosen[section.id]
            prose = None
            if writer is not None and ids:
                spoken = [s for s in english.sentences if section_of(s, sections) == section.id]
                prose = writer.summarise(" ".join(s.text for s in spoken))
            items.append(ItemSummary(section=section, sentence_ids=tuple(ids),
                                     spoken=bool(ids), prose=prose))
            bar.advance(1)
    assert all(i in by_id for item in items for i in item.sentence_ids)
    return items


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
    """Per language, a checksum of the sentences (ids, times, text) the summaries quote."""
    return {lang: hashlib.sha256(json.dumps(
        [(s.id, s.start, s.end, s.text) for s in t.sentences]).encode("utf-8")).hexdigest()
        for lang, t in transcripts.items()}


def _models(options: SummariseOptions) -> dict:
    if options.method != "abstractive":
        return {}
    return {"summary": {"name": options.summary_model}}
