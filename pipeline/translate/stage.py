"""The translation stage: the English transcript becomes French and Spanish, sentence by sentence.

Every translated sentence keeps the English ``id``, ``start``, ``end`` and ``section``, so
the transcripts of a session stay aligned. All target models are found before any long
work; a translation memory makes re-runs translate only sentences whose English changed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, replace
from typing import Mapping

from pipeline.errors import InputError, ModelUnavailableError
from pipeline.formats.transcript import Transcript
from pipeline.fsio import sha256_file
from pipeline.progress import NullReporter, Reporter
from pipeline.session import Session
from pipeline.stage import StageResult, StageRun, combined, fingerprint
from pipeline.translate import glossary as gloss
from pipeline.translate.batching import Counts, translate_texts
from pipeline.translate.engines import Engine, load_engine_or_reference
from pipeline.translate.memory import TranslationMemory
from pipeline.translate.models import MarianModel, resolve_marian_model
from pipeline.translate.options import TranslateOptions, check_languages

log = logging.getLogger(__name__)

STAGE = "translate"
_TERM = "\x00glossary-term\x00"


def resolve_models(options: TranslateOptions, *, skip_missing: bool = False
                   ) -> tuple[dict[str, MarianModel], list[str]]:
    """Every target's model, found before any long work, and notes on the ones left out.

    A model that cannot be had raises :class:`ModelUnavailableError`, or with
    ``skip_missing`` is left out with a note saying why.
    """
    models, notes = {}, []
    for language in check_languages(options.targets):
        try:
            models[language] = resolve_marian_model(options.model_for(language), language)
        except ModelUnavailableError as exc:
            if not skip_missing:
                raise
            notes.append(f"No {language} translation: {exc}")
            log.warning("No %s translation in this run: %s", language, exc)
    return models, notes


def translate_session(session: Session, models: Mapping[str, MarianModel], *,
                      options: TranslateOptions, reporter: Reporter | None = None,
                      force: bool = False) -> StageResult:
    """Translate ``en/transcript.json`` with each language's model (see :func:`resolve_models`)."""
    reporter = reporter or NullReporter()
    english = read_english(session)
    source_sha = sha256_file(session.transcript_path("en"))
    return combined(STAGE, [_translate_language(session, english, source_sha, model, options,
                                                reporter, force)
                            for model in models.values()])


def read_english(session: Session) -> Transcript:
    """The English transcript, which must exist, parse, and hold at least one sentence."""
    english = session.read_transcript("en")
    if not any(s.text.strip() for s in english.sentences):
        raise InputError(f"{session.transcript_path('en')} has no sentences, so there is nothing "
                         "to translate; check the recording and run transcribe again.")
    return english


def _translate_language(session: Session, english: Transcript, source_sha: str,
                        model: MarianModel, options: TranslateOptions, reporter: Reporter,
                        force: bool) -> StageResult:
    run = StageRun(session, STAGE, fingerprint(
        source=source_sha, model=model.sha256, engine=options.engine,
        decoding=options.decoding(), glossary=asdict(options.glossary)),
        language=model.language, force=force)
    if run.up_to_date:
        reused = {"sentences": len(english.sentences), "translated": 0,
                  "reused": len(english.sentences), "up_to_date": True}
        return run.skip(counts=reused, last_run=reused)
    engine, note = load_engine_or_reference(options.engine, model, options)
    loaded = run.elapsed()
    memory = _memory(session, model, options)
    counts = Counts(extra={"sentences": len(english.sentences), "memory_rebuilt": memory.rebuilt})
    texts = [s.text for s in english.sentences]
    with reporter.bar(f"Translating into {model.language}", total=len(texts),
                      unit="sentence") as bar:
        done = translate_texts(texts, engine, memory, options, bar, counts)
    translated = Transcript(language=model.language, sentences=tuple(
        replace(s, text=done[s.text], words=()) for s in english.sentences))
    run.begin()
    translated = _apply_glossary(run, translated, english, engine, memory, options, counts)
    run.write_transcript(translated)
    seconds = run.elapsed()
    return run.done(
        model_load_seconds=round(loaded, 3), sentences=len(texts), counts=counts.to_record(),
        last_run=counts.to_record(), notes=(note,) if note else (), engine_note=note,
        sentences_per_second=round(counts.translated / max(seconds - loaded, 1e-9), 3),
        engine=engine.name, options=_options_record(options),
        model=model.to_record() | _versions(engine.name))


def _memory(session: Session, model: MarianModel, options: TranslateOptions) -> TranslationMemory:
    scope = {"model": model.sha256, "engine": options.engine, "decoding": options.decoding()}
    return TranslationMemory.load(
        session.work_dir / STAGE / f"memory-{model.language}.json", scope)


def _apply_glossary(run: StageRun, translated: Transcript, english: Transcript,
                    engine: Engine, memory: TranslationMemory, options: TranslateOptions,
                    counts: Counts) -> Transcript:
    """Post-edit glossary terms and write the report; nothing when there is no glossary."""
    glossary, lang = options.glossary, translated.language
    if not glossary.terms and not glossary.keep:
        return translated
    needs = {s.id: gloss.requirements(glossary, s.text, lang) for s in english.sentences}
    renderings = _renderings({n.source for ns in needs.values() for n in ns}, engine, memory)
    sentences, outcomes = [], []
    for sentence, source in zip(translated.sentences, english.sentences):
        text, results = gloss.enforce(sentence.text, needs[sentence.id], renderings)
        outcomes += [gloss.Outcome(sentence.id, n.source, n.expected, n.kind, r)
                     for n, r in results]
        sentences.append(replace(sentence, text=text))
    translated = replace(translated, sentences=tuple(sentences))
    pairs = {s.id: (e.text, s.text) for s, e in zip(translated.sentences, english.sentences)}
    data = gloss.report(lang, outcomes, pairs)
    counts.extra.update(glossary_checked=data["checked"], glossary_post_edited=data["post_edited"],
                        glossary_missing=data["missing"])
    run.write_text(f"{lang}/glossary-report.json",
                   json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    run.write_text(f"{lang}/glossary-report.md", gloss.report_markdown(data))
    return translated


def _renderings(terms: set[str], engine: Engine, memory: TranslationMemory) -> dict[str, str]:
    """How the model renders each glossary term on its own (cached in the memory)."""
    out = {t: memory.get(_TERM + t) for t in terms}
    missing = sorted(t for t, v in out.items() if v is None)
    if missing:
        for term, text in zip(missing, engine.translate(missing)):
            out[term] = text
            memory.put(_TERM + term, text)
        memory.save()
    return out


def _options_record(options: TranslateOptions) -> dict:
    record = asdict(options)
    record["glossary"] = {"terms": len(options.glossary.terms), "keep": len(options.glossary.keep)}
    return record


def _versions(engine: str) -> dict:
    from pipeline.session import package_versions

    names = ("transformers", "sentencepiece", "torch") + (("ctranslate2",)
                                                          if engine == "ctranslate2" else ())
    record = {"engine": engine, "versions": package_versions(names)}
    if engine == "ctranslate2":
        from pipeline.cpu import ctranslate2_isa

        record["cpu_isa"] = ctranslate2_isa()
    return record
