"""The summary stage: a draft summary per agenda item, the same sentences in every language."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import time
from dataclasses import asdict

from pipeline import __version__
from pipeline.agenda import Agenda
from pipeline.errors import SessionError
from pipeline.fsio import sha256_file
from pipeline.glossary import Glossary
from pipeline.progress import NullReporter, Reporter
from pipeline.segment.sections import SECTIONS_FILE, Section, load_sections, section_of
from pipeline.session import Session, now
from pipeline.summarise.extractive import select
from pipeline.summarise.options import SummariseOptions
from pipeline.summarise.render import ItemSummary, render_summary
from pipeline.transcript import Transcript

log = logging.getLogger(__name__)

STAGE = "summarise"


def summarise_session(session: Session, agenda: Agenda | None,
                      options: SummariseOptions = SummariseOptions(),
                      reporter: Reporter | None = None, *, force: bool = False) -> dict:
    """Write ``<lang>/summary.md`` for every language present; return the stage record."""
    from pipeline.export.files import read_transcript

    reporter = reporter or NullReporter()
    sections = load_sections(session)
    transcripts = {lang: read_transcript(session, lang) for lang in _languages(session)}
    _check_aligned(transcripts)
    fingerprint = _fingerprint(session, transcripts, agenda, options)
    outputs = [f"{lang}/summary.md" for lang in transcripts]
    if not force and session.stage_is_current(STAGE, fingerprint) and all(
            session.path(p).exists() for p in outputs):
        log.info("The summaries are up to date; use --force to write them again.")
        return session.stage(STAGE)
    started, clock = now(), time.monotonic()
    session.record_stage(STAGE, status="running", started=started, fingerprint=None)
    items = _choose(transcripts["en"], sections, agenda, options, reporter)
    title = agenda.title if agenda else (session.manifest.get("agenda") or {}).get("title", "Meeting")
    date = _dt.date.today().isoformat()
    written, kept = [], []
    for language, transcript in transcripts.items():
        by_id = {s.id: s for s in transcript.sentences}
        text = render_summary(language, title, items, by_id, date, options.summary_model)
        result = session.write_text(f"{language}/summary.md", text, stage=STAGE)
        written.append(result.written.relative_to(session.root).as_posix())
        if result.kept_edit:
            kept.append(f"{language}/summary.md")
    session.record_stage(
        STAGE, status="done", fingerprint=fingerprint, started=started, finished=now(),
        seconds=round(time.monotonic() - clock, 3), options=asdict(options),
        models=_models(options), written=written, kept_edits=kept,
        counts={"items": len(items), "sentences": sum(len(i.sentence_ids) for i in items),
                "empty_items": sum(1 for i in items if not i.spoken),
                "languages": list(transcripts)})
    session.save()
    return session.stage(STAGE)


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
    found = [p.parent.name for p in sorted(session.root.glob("*/transcript.json"))]
    if "en" not in found:
        raise SessionError(f"There is no en transcript in {session.root} yet; run "
                           "'session-pipeline transcribe' first.")
    return ["en"] + [lang for lang in found if lang != "en"]


def _check_aligned(transcripts: dict[str, Transcript]) -> None:
    english = {s.id for s in transcripts["en"].sentences}
    for language, transcript in transcripts.items():
        missing = english - {s.id for s in transcript.sentences}
        if missing:
            raise SessionError(
                f"The {language} transcript lacks {len(missing)} English sentence(s) (first id "
                f"{min(missing)}); run 'session-pipeline translate' again so the summaries agree.")


def _fingerprint(session: Session, transcripts, agenda: Agenda | None, options) -> str:
    contents = {lang: hashlib.sha256(json.dumps(
        [(s.id, s.start, s.end, s.text) for s in t.sentences]).encode("utf-8")).hexdigest()
        for lang, t in transcripts.items()}
    payload = {"sections": sha256_file(session.path(SECTIONS_FILE)), "transcripts": contents,
               "agenda": repr(agenda.glossary) + agenda.title if agenda else None,
               "options": asdict(options), "version": __version__}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def _models(options: SummariseOptions) -> dict:
    if options.method != "abstractive":
        return {}
    return {"summary": {"name": options.summary_model}}
