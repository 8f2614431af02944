"""The vocabulary corrector on hand-made word lists: real near-misses fixed, plain English kept."""

from __future__ import annotations

import pytest

from pipeline.transcribe.vocabulary import (build_prompt, common_words, correct_words,
                                            load_vocabulary, phonetic)
from pipeline.transcript import Word

TERMS = ["Elena Marsh", "David Okafor", "Okafor", "Tomas Lindqvist", "Lindqvist",
         "Inter-Parliamentary Union", "IPU", "OHCHR", "Global Compact for Migration",
         "Committee on Migrant Workers", "UN Women", "Geneva", "Kenya", "Morocco"]


def words_of(text: str, start: float = 10.0, step: float = 0.4) -> list[Word]:
    return [Word(start + i * step, start + i * step + 0.3, f" {token}", 0.9)
            for i, token in enumerate(text.split())]


def corrected(text: str) -> str:
    out, _ = correct_words(words_of(text), TERMS, common=common_words())
    return "".join(w.text for w in out).strip()


@pytest.mark.parametrize("heard, expected", [
    ("published with OHC HR, proposes", "published with OHCHR, proposes"),
    ("the floor to Mr. Tomas Lindquist from", "the floor to Mr. Tomas Lindqvist from"),
    ("question is for Mr. Akafer. How", "question is for Mr. Okafor. How"),
    ("organised by the Inter Parliamentary Union, the IPU", "organised by the Inter-Parliamentary Union, the IPU"),
    ("endorsed the global compact for migration.", "endorsed the Global Compact for Migration."),
    ("Mr. Lindqvist's report", "Mr. Lindqvist's report"),
    ("from C.M.W. and O.H.C.H.R.", "from C.M.W. and OHCHR."),  # the stop may end a sentence
])
def test_near_misses_take_the_canonical_spelling(heard, expected):
    assert corrected(heard) == expected


@pytest.mark.parametrize("heard", [
    "the union of workers met in March",          # "union", "march" are English words
    "to Morocco, and to Kenya.",                  # already right: neighbours stay
    "Mr. Okafor and Ms. Elena Marsh spoke",       # already right
    "we want more women in parliament",           # not "UN Women"
    "the committee on workers met in general",    # a partial term is not the term
    "I see a Kenyan delegate and a new era",      # close words, different words
    "she is a genuine leader",                    # "genuine" is not "Geneva"
    "the marsh was dry",                          # a common word alone is never rewritten
])
def test_plain_english_is_left_alone(heard):
    assert corrected(heard) == heard


def test_a_correction_keeps_the_timings_of_the_words_it_replaces():
    words = words_of("thank you Mr. Tomas Lindquist for that")
    out, corrections = correct_words(words, TERMS, common=common_words())
    term = next(w for w in out if "Lindqvist" in w.text)
    assert (term.start, term.end) == (words[3].start, words[4].end)
    assert [w.start for w in out] == sorted(w.start for w in out)
    assert len(out) == len(words) - 1
    assert corrections[0].heard == "Tomas Lindquist" and corrections[0].term == "Tomas Lindqvist"


def test_a_run_across_a_sentence_end_is_not_joined():
    out, corrections = correct_words(words_of("the Global. Compact for Migration"),
                                     ["Global Compact"], common=common_words())
    assert corrections == []


def test_no_terms_no_change():
    words = words_of("anything at all")
    assert correct_words(words, [])[0] == words


def test_the_prompt_is_capped_and_puts_rare_names_first():
    prompt = build_prompt(TERMS, max_tokens=20)
    assert prompt.startswith("Glossary: ") and len(prompt) < 20 * 4.5
    assert "Lindqvist" in prompt or "Okafor" in prompt
    assert "Committee on Migrant Workers" not in prompt
    assert build_prompt([], 60) is None


def test_phonetic_key_merges_sound_alikes():
    assert phonetic("Lindqvist") == phonetic("Lindkvist")
    assert phonetic("Philip") == phonetic("Filip")
    assert phonetic("Okafor") == phonetic("Akafer")
    assert phonetic("Geneva") != phonetic("Kenya")


def test_vocabulary_from_text_and_glossary(samples_dir, tmp_path):
    listed = load_vocabulary(samples_dir / "vocabulary.txt")
    assert "Lindqvist" in listed and "OHCHR" in listed
    glossary = load_vocabulary(samples_dir / "glossary.yaml")
    assert "Inter-Parliamentary Union" in glossary
    plain = tmp_path / "terms.txt"
    plain.write_text("# names\nAmina Diallo\n\n  CMW  \n", encoding="utf-8")
    assert load_vocabulary(plain) == ("Amina Diallo", "CMW")
