"""Translation building blocks without a model: split, repetition, memory, glossary."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import InputError
from pipeline.glossary import Glossary, GlossaryTerm
from pipeline.translate import glossary as gloss
from pipeline.translate.memory import TranslationMemory
from pipeline.translate.options import check_languages
from pipeline.translate.repetition import find_loop, trim_loop
from pipeline.translate.split import join_parts, split_to_fit


def words(texts):
    return [len(t.split()) + 1 for t in texts]     # a token per word, plus the end token


def test_short_sentence_is_not_split():
    assert split_to_fit("We open the floor.", words, 10) == ["We open the floor."]


def test_long_sentence_splits_at_clauses_first():
    text = ("The committee met in Geneva; it adopted the report on migration, the draft "
            "resolution and the budget, and it closed the session at noon.")
    parts = split_to_fit(text, words, 12)
    assert len(parts) > 1
    assert all(words([p])[0] <= 12 for p in parts)
    assert parts[0].endswith(";")
    assert join_parts(parts).split() == text.split()


def test_a_sentence_without_punctuation_splits_at_words_and_keeps_every_word():
    text = " ".join(f"word{i}" for i in range(50))
    parts = split_to_fit(text, words, 8)
    assert all(words([p])[0] <= 8 for p in parts)
    assert join_parts(parts).split() == text.split()


def test_a_single_overlong_word_is_cut_into_slices_not_dropped():
    text = "x" * 100

    def chars(texts):
        return [len(t) + 1 for t in texts]

    parts = split_to_fit(text, chars, 11)
    assert "".join(parts) == text
    assert all(len(p) + 1 <= 11 for p in parts)


@pytest.mark.parametrize("output", [
    "le le le le rapport",
    "merci beaucoup merci beaucoup merci beaucoup",
    "NNNNNNNNNNésésésésésés",
    "orororororor du comité",
    "Le comité adopte le rapport. " * 6,
])
def test_repetition_loops_are_found(output):
    assert find_loop("The committee adopts the report today.", output, 3.0)


@pytest.mark.parametrize("source,output", [
    ("The committee adopts the report today.", "Le comité adopte le rapport aujourd'hui."),
    ("Very, very, very good.", "Très, très, très bien."),
    ("Yes.", "Oui, tout à fait."),
    ("Thank you, thank you, thank you.", "Merci, merci, merci."),
])
def test_normal_translations_are_not_loops(source, output):
    assert find_loop(source, output, 3.0) is None


def test_trim_collapses_the_loop_and_bounds_the_length():
    source = "The committee adopts the report today."
    looping = "Le comité adopte le le le le le le rapport rapport rapport rapport " * 5
    trimmed = trim_loop(source, looping, 3.0)
    assert trimmed.startswith("Le comité adopte le rapport")
    assert len(trimmed) <= 3.0 * len(source)
    assert find_loop(source, trimmed, 3.0) is None


def test_memory_round_trip_and_scope(tmp_path):
    path = tmp_path / "memory.json"
    memory = TranslationMemory.load(path, {"model": "a"})
    memory.put("Hello.", "Bonjour.")
    memory.save()
    assert TranslationMemory.load(path, {"model": "a"}).get("Hello.") == "Bonjour."
    assert TranslationMemory.load(path, {"model": "b"}).get("Hello.") is None


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],                              # cut short
    lambda text: text.replace("Bonjour", "Bonsoir"),                  # edited entry
    lambda text: json.dumps({"schema": "other", "entries": {}}),      # not a memory
    lambda text: "\x00\x01garbage",
])
def test_a_damaged_memory_is_discarded_not_trusted(tmp_path, damage):
    path = tmp_path / "memory.json"
    memory = TranslationMemory.load(path, {"model": "a"})
    memory.put("Hello.", "Bonjour.")
    memory.save()
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    reloaded = TranslationMemory.load(path, {"model": "a"})
    assert reloaded.rebuilt and reloaded.get("Hello.") is None
    reloaded.put("Hello.", "Salut.")
    reloaded.save()
    assert TranslationMemory.load(path, {"model": "a"}).get("Hello.") == "Salut."


def test_unknown_language_names_the_choices():
    with pytest.raises(InputError, match=r"Unknown target language 'de'; choose from es, fr"):
        check_languages(["fr", "de"])
    assert check_languages(["FR", " es", "fr"]) == ("fr", "es")


GLOSSARY = Glossary(
    terms=(GlossaryTerm("Inter-Parliamentary Union",
                        {"fr": "Union interparlementaire", "es": "Unión Interparlamentaria"}),
           GlossaryTerm("migrant workers", {"fr": "travailleurs migrants"})),
    keep=("CMW",))


def test_requirements_match_whole_words_case_insensitively():
    needs = gloss.requirements(GLOSSARY, "The inter-parliamentary union and the CMW met.", "fr")
    assert [(n.source, n.expected, n.kind) for n in needs] == [
        ("Inter-Parliamentary Union", "Union interparlementaire", "term"),
        ("CMW", "CMW", "keep")]
    assert gloss.requirements(GLOSSARY, "The CMWX report.", "fr") == []
    assert gloss.requirements(GLOSSARY, "Rights of migrant workers.", "es") == []   # no es term


def test_enforce_accepts_replaces_or_reports():
    needs = gloss.requirements(
        GLOSSARY, "The Inter-Parliamentary Union supports migrant workers and the CMW.", "fr")
    renderings = {"Inter-Parliamentary Union": "Union Inter-Parlementaire",
                  "migrant workers": "travailleurs migrants", "CMW": "la CTM"}
    text, results = gloss.enforce(
        "L'union inter-parlementaire soutient les Travailleurs Migrants et le comité.",
        needs, renderings)
    assert text == "L'Union interparlementaire soutient les travailleurs migrants et le comité."
    assert {n.source: r for n, r in results} == {
        "Inter-Parliamentary Union": "post-edited", "migrant workers": "present",
        "CMW": "missing"}


def test_enforce_does_not_trust_tiny_renderings():
    needs = gloss.requirements(GLOSSARY, "The CMW met.", "fr")
    text, results = gloss.enforce("Le a réuni.", needs, {"CMW": "le"})
    assert text == "Le a réuni." and results[0][1] == "missing"


def test_report_lists_each_missing_term_with_both_texts():
    outcomes = [gloss.Outcome(4, "CMW", "CMW", "keep", "missing"),
                gloss.Outcome(5, "CMW", "CMW", "keep", "present")]
    data = gloss.report("fr", outcomes, {4: ("The CMW met.", "Le comité."), 5: ("CMW.", "CMW.")})
    assert (data["checked"], data["present"], data["missing"]) == (2, 1, 1)
    assert data["misses"][0]["english"] == "The CMW met."
    assert "Le comité." in gloss.report_markdown(data)
