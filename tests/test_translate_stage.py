"""The translation stage on tiny locally built Marian models, with real transformers and CTranslate2."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest
from helpers.marian import corpus, english_session
from helpers.sessions import translate

from pipeline.errors import InputError, ModelUnavailableError, SessionError
from pipeline.formats.transcript import load
from pipeline.glossary import Glossary, GlossaryTerm
from pipeline.progress import NullReporter
from pipeline.session import Session
from pipeline.translate.batching import Counts, translate_texts
from pipeline.translate.engines import load_engine
from pipeline.translate.memory import TranslationMemory
from pipeline.translate.models import resolve_marian_model
from pipeline.translate.options import TranslateOptions
from pipeline.translate.repetition import find_loop
from pipeline.translate.split import split_to_fit

LONG = ("The delegation of the working group presents the report on migration, which covers "
        "the rights of migrant workers in every region, the situation of refugees at the "
        "borders, the budget for next year and the final declaration; it recalls the "
        "proposal of the chair, and it welcomes the new agenda with great interest.")
TEXTS = corpus("en", 10, seed=11) + ["Thank you.", LONG, "Thank you."]


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("SESSION_PIPELINE_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def options(tiny_marian_dir):
    return TranslateOptions(models={"fr": str(tiny_marian_dir("fr")),
                                    "es": str(tiny_marian_dir("es"))},
                            beam_size=2, batch_size=4, threads=1)


def _stage(session):
    return session.stage("translate")["languages"]


def translate_session(session, options, reporter=None, *, force=False):
    """The stage as the command calls it; the transcripts it left, per language."""
    translate(session, options, reporter, force=force)
    return {lang: session.read_transcript(lang) for lang in options.targets}


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_every_language_keeps_the_english_ids_times_and_sections(tmp_path, options, engine):
    sections = ["opening"] * 5 + ["item-1"] * (len(TEXTS) - 5)
    session = english_session(tmp_path / "s", TEXTS, sections=sections)
    results = translate_session(session, replace(options, engine=engine), NullReporter())
    english = load(session.transcript_path("en"))
    for lang in ("fr", "es"):
        written = load(session.transcript_path(lang))
        assert written == results[lang]
        assert written.language == lang
        assert [(s.id, s.start, s.end, s.section) for s in written.sentences] == \
            [(s.id, s.start, s.end, s.section) for s in english.sentences]
        assert all(s.text.strip() for s in written.sentences)
        assert written.sentences[10].text == written.sentences[12].text   # same English
        for name in ("srt", "vtt", "txt"):
            assert (tmp_path / "s" / lang / f"transcript.{name}").stat().st_size > 0
        record = _stage(session)[lang]
        assert record["status"] == "done" and record["engine"] == engine
        assert record["counts"]["translated"] == len(TEXTS)
        assert record["counts"]["split"] == 1
        assert record["model"]["sha256"] and record["model"]["versions"]["transformers"]


def test_an_overlong_sentence_is_split_translated_and_joined(tiny_marian_dir):
    model = resolve_marian_model(str(tiny_marian_dir("fr")), "fr")
    engine = load_engine("transformers", model, TranslateOptions(beam_size=1, threads=1))
    assert engine.count_tokens([LONG])[0] > model.max_input_tokens
    with pytest.raises(Exception):        # the model itself cannot take it whole
        engine.network.generate(**engine.tokenizer([LONG], return_tensors="pt"), max_new_tokens=4)
    parts = split_to_fit(LONG, engine.count_tokens, model.max_input_tokens)
    assert len(parts) >= 2 and " ".join(parts).split() == LONG.split()
    assert max(engine.count_tokens(parts)) <= model.max_input_tokens
    counts = Counts()
    memory = TranslationMemory.load(model.path.parent / "unused.json", {})
    options = TranslateOptions(batch_size=1, beam_size=1, threads=1)
    done = translate_texts([LONG], engine, memory, options, NullReporter().bar("", 1, "").__enter__(),
                           counts)
    assert counts.split == 1 and counts.translated == 1
    assert done[LONG].strip()
    # each part is translated on its own and the results are joined in order
    first = engine.translate([parts[0]])[0]
    if not find_loop(parts[0], first, options.max_length_ratio):
        assert done[LONG].startswith(first)


def test_repetition_loops_are_suppressed_and_counted(tmp_path, options):
    session = english_session(tmp_path / "s", TEXTS)
    results = translate_session(session, replace(options, targets=("fr",)), NullReporter())
    counts = _stage(session)["fr"]["counts"]
    # a random model loops: the stage must notice, retry and count it
    assert counts["repetition_suppressed"] > 0
    for english, french in zip(TEXTS, results["fr"].sentences):
        assert find_loop(english, french.text, options.max_length_ratio) is None or \
            french.text.count(" ") < 3


def test_second_run_reuses_everything_and_an_edit_translates_only_what_changed(tmp_path, options):
    session = english_session(tmp_path / "s", TEXTS)
    first = translate_session(session, options, NullReporter())
    fr_before = (tmp_path / "s" / "fr" / "transcript.json").read_bytes()
    again = translate_session(Session.open(tmp_path / "s"), options, NullReporter(), force=True)
    session = Session.open(tmp_path / "s")
    assert _stage(session)["fr"]["last_run"]["translated"] == 0
    assert _stage(session)["fr"]["last_run"]["reused"] == len(TEXTS)
    assert again == first
    assert (tmp_path / "s" / "fr" / "transcript.json").read_bytes() == fr_before

    edited = json.loads(session.transcript_path("en").read_text(encoding="utf-8"))
    edited["segments"][2]["text"] = "The chair thanks the delegation of Chile."
    edited["segments"][7]["text"] = "The rapporteur presents the report on migration."
    session.transcript_path("en").write_text(json.dumps(edited), encoding="utf-8")
    results = translate_session(Session.open(tmp_path / "s"), options, NullReporter())
    session = Session.open(tmp_path / "s")
    for lang in ("fr", "es"):
        run = _stage(session)[lang]["last_run"]
        assert (run["translated"], run["reused"]) == (2, len(TEXTS) - 2)
        changed = [i for i, (a, b) in enumerate(zip(first[lang].sentences,
                                                    results[lang].sentences)) if a != b]
        assert set(changed) <= {2, 7}


def test_a_corrupted_memory_is_rebuilt(tmp_path, options):
    session = english_session(tmp_path / "s", TEXTS[:4])
    options = replace(options, targets=("fr",))
    first = translate_session(session, options, NullReporter())
    store = tmp_path / "s" / ".work" / "translate" / "memory-fr.json"
    store.write_text(store.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    again = translate_session(Session.open(tmp_path / "s"), options, NullReporter(), force=True)
    record = _stage(Session.open(tmp_path / "s"))["fr"]
    assert record["counts"]["memory_rebuilt"] is True
    assert record["counts"]["translated"] == 4
    assert again == first
    assert TranslationMemory.load(store, {}).rebuilt is False      # a sound file again


def test_a_killed_run_resumes_from_the_memory(tmp_path, tiny_marian_dir):
    model = resolve_marian_model(str(tiny_marian_dir("es")), "es")
    engine = load_engine("ctranslate2", model, TranslateOptions(beam_size=1, threads=1))
    options = TranslateOptions(batch_size=2)
    store = tmp_path / "memory.json"
    texts = corpus("en", 6, seed=5)

    class Killed(Exception):
        pass

    class KillAfterFirstBatch:
        def set_total(self, total):
            pass

        def advance(self, amount=1):
            raise Killed

    with pytest.raises(Killed):
        translate_texts(texts, engine, TranslationMemory.load(store, {}), options,
                        KillAfterFirstBatch(), Counts())
    counts = Counts()
    bar = NullReporter().bar("", 1, "").__enter__()
    translate_texts(texts, engine, TranslationMemory.load(store, {}), options, bar, counts)
    assert counts.reused >= 1 and counts.translated + counts.reused == len(texts)


def test_glossary_report_lists_what_could_not_be_enforced(tmp_path, options):
    glossary = Glossary(terms=(GlossaryTerm("Inter-Parliamentary Union",
                                            {"fr": "Union interparlementaire"}),),
                        keep=("CMW",))
    texts = ["The Inter-Parliamentary Union welcomes the report.", "The CMW met today.",
             "Thank you."]
    session = english_session(tmp_path / "s", texts)
    results = translate_session(session, replace(options, targets=("fr",), glossary=glossary),
                                NullReporter())
    report = json.loads((tmp_path / "s" / "fr" / "glossary-report.json").read_text())
    assert report["checked"] == 2
    assert report["present"] + report["post_edited"] + report["missing"] == 2
    french = {s.id: s.text for s in results["fr"].sentences}
    for miss in report["misses"]:
        assert miss["expected"] not in french[miss["sentence_id"]]
        assert miss["translation"] == french[miss["sentence_id"]]
    for sid, expected in ((1, "Union interparlementaire"), (2, "CMW")):
        assert (expected in french[sid]) != any(m["sentence_id"] == sid for m in report["misses"])
    assert (tmp_path / "s" / "fr" / "glossary-report.md").exists()
    counts = _stage(Session.open(tmp_path / "s"))["fr"]["counts"]
    assert counts["glossary_missing"] == report["missing"]


def test_engines_agree_on_the_same_weights(tiny_marian_dir):
    """CTranslate2 against the transformers reference on the same tiny weights."""
    model = resolve_marian_model(str(tiny_marian_dir("fr")), "fr")
    texts = corpus("en", 24, seed=21)
    decoding = TranslateOptions(beam_size=4, threads=1)
    reference = load_engine("transformers", model, decoding).translate(texts)
    rates = {}
    for compute in ("float32", "int8"):
        from pipeline.translate.engines import CTranslate2Engine

        fast = CTranslate2Engine(model, decoding, compute_type=compute).translate(texts)
        rates[compute] = sum(a == b for a, b in zip(reference, fast)) / len(texts)
    print(f"exact-match rate with transformers: {rates}")
    assert rates["float32"] >= 0.9      # same computation, different library
    assert rates["int8"] >= 0.3         # int8 weights on a random model: near-ties flip


def test_ctranslate2_workers_keep_each_sentence_in_its_place(tiny_marian_dir):
    """A batch cut into parts decoded on separate cores comes back in the order it was given,
    with the same output limit and the same text as decoded whole."""
    from pipeline.translate.engines import CTranslate2Engine

    model = resolve_marian_model(str(tiny_marian_dir("fr")), "fr")
    texts = corpus("en", 13, seed=5)                         # not a multiple of the workers
    whole = CTranslate2Engine(model, TranslateOptions(beam_size=4, threads=1))
    parts = CTranslate2Engine(model, TranslateOptions(beam_size=4, threads=3))
    assert (whole.workers, parts.workers) == (1, 3)
    reference = whole.translate(texts)
    assert len(set(reference)) > len(texts) // 2           # a misplaced sentence would show
    assert parts.translate(texts) == reference
    assert parts.last_output_tokens == whole.last_output_tokens


def test_no_english_transcript_yet(tmp_path, options):
    session = Session.open(tmp_path / "s")
    session.save()
    with pytest.raises(SessionError, match="run 'session-pipeline transcribe' first"):
        translate_session(session, options)


@pytest.mark.parametrize("content,message", [
    ("{not json", "is not valid JSON"),
    (json.dumps({"schema": "session-pipeline/transcript/9", "language": "en", "segments": []}),
     "which this version cannot read"),
    (json.dumps({"schema": "session-pipeline/transcript/1", "language": "en", "segments": []}),
     "has no sentences"),
])
def test_bad_english_transcripts(tmp_path, options, content, message):
    session = english_session(tmp_path / "s", ["Hello."])
    session.transcript_path("en").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        translate_session(session, options)
    assert not (tmp_path / "s" / "fr").exists()


def test_model_unavailable_offline_names_it_and_how_to_provide_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SESSION_PIPELINE_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    with pytest.raises(ModelUnavailableError) as caught:
        resolve_marian_model("Helsinki-NLP/opus-mt-en-fr", "fr")
    message = str(caught.value)
    for part in ("Helsinki-NLP/opus-mt-en-fr", "offline", "--mt-model fr=DIR",
                 "session-pipeline models fetch", "HF_HUB_OFFLINE=1"):
        assert part in message


def test_a_model_for_another_language_pair_is_refused(tmp_path, tiny_marian_dir):
    with pytest.raises(ModelUnavailableError, match="translates en→es, not en→fr"):
        resolve_marian_model(str(tiny_marian_dir("es")), "fr")
    german = shutil.copytree(tiny_marian_dir("fr"), tmp_path / "opus-mt-de-fr")
    config = json.loads((german / "tokenizer_config.json").read_text())
    del config["source_lang"], config["target_lang"]
    (german / "tokenizer_config.json").write_text(json.dumps(config))
    with pytest.raises(ModelUnavailableError, match="translates de→fr, not en→fr"):
        resolve_marian_model(str(german), "fr")


def test_a_folder_that_is_not_a_marian_model_is_refused(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelUnavailableError, match="is not a Marian model folder"):
        resolve_marian_model(str(tmp_path), "fr")


def test_ctranslate2_is_the_default_and_a_model_it_cannot_take_falls_back(
        tmp_path, tiny_marian_dir, monkeypatch):
    """The fast engine is the default; when it cannot make its copy of the model (here the
    cache is a file, not a folder) the reference engine translates, and the run says so."""
    options = TranslateOptions(targets=("fr",), models={"fr": str(tiny_marian_dir("fr"))},
                               beam_size=1, threads=1)
    assert options.engine == "ctranslate2"
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SESSION_PIPELINE_CACHE", str(blocked))
    session = english_session(tmp_path / "s", TEXTS[:3])
    result = translate(session, options)
    record = _stage(session)["fr"]
    assert record["engine"] == "transformers" and "could not convert" in record["engine_note"]
    assert result.notes and "translated with transformers" in result.notes[0]
    assert len(session.read_transcript("fr").sentences) == 3
