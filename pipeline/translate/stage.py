"""The translation stage: the English transcript becomes French and Spanish, sentence by sentence.

Every translated sentence keeps the English ``id``, ``start``, ``end`` and ``section``, so
the transcripts of a session stay aligned. All target models are found before any long
work; a translation memory makes re-runs translate only sentences whose English changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, replace

from pipeline import __version__
from pipeline.errors import InputError
from pipeline.export.files import read_transcript, write_transcript_files
from pipeline.fsio import sha256_file
from pipeline.progress import NullReporter, Reporter
from pipeline.session import Session, now
from pipeline.transcript import Transcript
from pipeline.translate import glossary as gloss
from pipeline.translate.batching import Counts, translate_texts
from pipeline.translate.engines import Decoding, Engine, load_engine
from pipeline.translate.memory import TranslationMemory
from pipeline.translate.models import MarianModel, resolve_marian_model
from pipeline.translate.options import TranslateOptions, check_languages

log = logging.getLogger(__name__)

STAGE = "translate"
_TERM = "\x00glossary-term\x00"


def translate_session(session: Session, options: TranslateOptions,
                      reporter: Reporter | None = None, *,
                      force: bool = False) -> dict[str, Transcript]:
    """Translate ``en/transcript.json`` into every target; returns the transcript per language."""
    reporter = reporter or NullReporter()
    targets = check_languages(options.targets)
    if options.engine not in ("transformers", "ctranslate2"):
        raise InputError(f"Unknown translation engine {options.engine!r}; choose transformers "
                         "or ctranslate2.")
    english = read_english(session)
    models = {lang: resolve_marian_model(options.model_for(lang), lang) for lang in targets}
    source_sha = sha256_file(session.transcript_path("en"))
    return {lang: _translate_language(session, english, source_sha, models[lang], options,
                                      reporter, force) for lang in targets}


def read_english(session: Session) -> Transcript:
    """The English transcript, which must exist, parse, and hold at least one sentence."""
    english = read_transcript(session, "en")
    if not any(s.text.strip() for s in english.sentences):
        raise InputError(f"{session.transcript_path('en')} has no sentences, so there is nothing "
                         "to translate; check the recording and run transcribe again.")
    return english


def fingerprint(source_sha: str, model: MarianModel, options: TranslateOptions) -> str:
    """What one language's translation depends on: English, model, engine, settings, glossary."""
    payload = {"source": source_sha, "model": model.sha256, "engine": options.engine,
               "decoding": options.decoding(), "glossary": asdict(options.glossary),
               "pipeline": __version__}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _language_record(session: Session, lang: str) -> dict:
    return ((session.stage(STAGE) or {}).get("languages") or {}).get(lang) or {}


def _record(session: Session, lang: str, **fields) -> None:
    languages = dict((session.stage(STAGE) or {}).get("languages") or {})
    languages[lang] = {**languages.get(lang, {}), **fields}
    status = "done" if all(r.get("status") == "done" for r in languages.values()) else "running"
    session.record_stage(STAGE, status=status, languages=languages)
    session.save()


def _is_current(session: Session, lang: str, fp: str) -> bool:
    record = _language_record(session, lang)
    outputs = record.get("outputs") or []
    return (record.get("status") == "done" and record.get("fingerprint") == fp and bool(outputs)
            and all(session.path(rel).exists() for rel in outputs))


def _translate_language(session: Session, english: Transcript, source_sha: str,
                        model: MarianModel, options: TranslateOptions, reporter: Reporter,
                        force: bool) -> Transcript:
    fp = fingerprint(source_sha, model, options)
    if not force and _is_current(session, model.language, fp):
        log.info("The %s translation is up to date; use --force to translate again.",
                 model.language)
        _record(session, model.language, last_run={"translated": 0, "reused": len(
            english.sentences), "up_to_date": True})
        return read_transcript(session, model.language)
    started, clock = now(), time.monotonic()
    _record(session, model.language, status="running", fingerprint=fp, started=started)
    engine = load_engine(options.engine, model, Decoding(
        beam_size=options.beam_size, no_repeat_ngram_size=options.no_repeat_ngram_size,
        max_length_ratio=options.max_length_ratio, threads=options.threads))
    loaded = time.monotonic() - clock
    memory = _memory(session, model, options)
    counts = Counts(extra={"memory_rebuilt": memory.rebuilt})
    texts = [s.text for s in english.sentences]
    with reporter.bar(f"Translating into {model.language}", total=len(texts),
                      unit="sentence") as bar:
        done = translate_texts(texts, engine, memory, options, bar, counts)
    translated = Transcript(language=model.language, sentences=tuple(
        replace(s, text=done[s.text], words=()) for s in english.sentences))
    translated, outputs = _apply_glossary(session, translated, english, engine, memory,
                                          options, counts)
    outputs += [r.written.relative_to(session.root).as_posix()
                for r in write_transcript_files(session, translated, stage=STAGE)]
    seconds = time.monotonic() - clock
    _record(session, model.language, status="done", fingerprint=fp, started=started,
            finished=now(), seconds=round(seconds, 3), model_load_seconds=round(loaded, 3),
            sentences=len(texts), counts=counts.to_record(), last_run=counts.to_record(),
            sentences_per_second=round(counts.translated / max(seconds - loaded, 1e-9), 3),
            engine=options.engine, options=_options_record(options),
            model=model.to_record() | _versions(options.engine), outputs=outputs)
    return translated


def _memory(session: Session, model: MarianModel, options: TranslateOptions) -> TranslationMemory:
    scope = {"model": model.sha256, "engine": options.engine, "decoding": options.decoding()}
    return TranslationMemory.load(
        session.work_dir / STAGE / f"memory-{model.language}.json", scope)


def _apply_glossary(session: Session, translated: Transcript, english: Transcript,
                    engine: Engine, memory: TranslationMemory, options: TranslateOptions,
                    counts: Counts) -> tuple[Transcript, list[str]]:
    """Post-edit glossary terms and write the report; nothing when there is no glossary."""
    glossary, lang = options.glossary, translated.language
    if not glossary.terms and not glossary.keep:
        return translated, []
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
    written = [session.write_text(f"{lang}/glossary-report.json",
                                  json.dumps(data, ensure_ascii=False, indent=1) + "\n", stage=STAGE),
               session.write_text(f"{lang}/glossary-report.md", gloss.report_markdown(data),
                                  stage=STAGE)]
    return translated, [w.written.relative_to(session.root).as_posix() for w in written]


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
