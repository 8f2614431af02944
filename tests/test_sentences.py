"""Recognised words to sentences: punctuation, abbreviations, pauses and over-long runs."""

from __future__ import annotations

import pytest

from pipeline.formats.transcript import Word
from pipeline.transcribe.sentences import (
    SentenceOptions,
    ends_sentence,
    sentences_from_words,
)


def words_of(text: str, start: float = 0.0, step: float = 0.3,
             pauses: dict[int, float] | None = None) -> list[Word]:
    """Whisper-style words (leading space, punctuation attached), ``step`` seconds apart."""
    pauses = pauses or {}
    words, t = [], start
    for index, token in enumerate(text.split()):
        t += pauses.get(index, 0.0)
        words.append(Word(round(t, 3), round(t + step - 0.05, 3), " " + token))
        t += step
    return words


def texts(words: list[Word], **options) -> list[str]:
    return [s.text for s in sentences_from_words(words, SentenceOptions(**options))]


def test_splits_at_final_punctuation_and_keeps_times_and_words():
    words = words_of("Good morning. Is everyone here? Yes! Let us begin…")
    sentences = sentences_from_words(words, first_id=7)
    assert [s.text for s in sentences] == ["Good morning.", "Is everyone here?", "Yes!",
                                           "Let us begin…"]
    assert [s.id for s in sentences] == [7, 8, 9, 10]
    assert sentences[1].words == tuple(words[2:5])
    assert sentences[1].start == words[2].start and sentences[1].end == words[4].end


@pytest.mark.parametrize("text", [
    "Mr. Smith and Mrs. Jones met Dr. Brown and Prof. White.",
    "The U.N. and the U.S. agreed on St. Patrick's Day, e.g. in Geneva, i.e. here.",
    "Growth was 3.5 percent, vs. 2.75 percent in the year before.",
    "See para. 12 of document No. 4 by J. R. Smith.",
    "We will meet at 3 p.m. tomorrow.",
])
def test_abbreviations_decimals_and_initials_do_not_end_a_sentence(text):
    assert texts(words_of(text)) == [text]


def test_a_full_stop_before_a_capitalised_word_ends_a_sentence():
    assert texts(words_of("So did I. Then No. We said no. Thanks.")) == [
        "So did I.", "Then No.", "We said no.", "Thanks."]


def test_a_lower_case_word_after_a_full_stop_continues_the_sentence():
    assert texts(words_of("Bring papers, pens etc. and your badge.")) == [
        "Bring papers, pens etc. and your badge."]


def test_glued_words_are_one_written_word():
    words = [Word(0.0, 0.3, " It"), Word(0.3, 0.6, " was"), Word(0.6, 0.8, " 3."),
             Word(0.8, 1.0, "5"), Word(1.0, 1.4, " percent.")]
    assert texts(words) == ["It was 3.5 percent."]
    assert not ends_sentence(words[2], words[3])


def test_a_long_pause_ends_a_sentence_without_punctuation():
    words = words_of("thank you very much we now turn to item two", pauses={4: 2.0})
    sentences = sentences_from_words(words)
    assert [s.text for s in sentences] == ["thank you very much", "we now turn to item two"]
    assert sentences[1].start - sentences[0].end >= 1.5


def test_a_short_pause_does_not_split():
    assert len(texts(words_of("thank you very much we now turn", pauses={4: 1.0}))) == 1


def test_original_spacing_and_text_are_preserved():
    words = [Word(0.0, 0.4, " Hello,"), Word(0.4, 0.8, "  world"), Word(0.8, 1.0, " —"),
             Word(1.0, 1.5, " again.")]
    assert texts(words) == ["Hello,  world — again."]


def test_run_on_text_is_split_within_limits_at_clause_boundaries():
    clause = ("the committee examined the report on the situation of migrants at sea, and the "
              "members agreed that the measures should continue")
    text = " ".join([clause] * 5)
    words = words_of(text, step=0.2)
    sentences = sentences_from_words(words)
    assert len(sentences) > 1
    assert all(len(s.text) <= 250 and s.end - s.start <= 20 for s in sentences)
    assert " ".join(s.text for s in sentences) == text
    # Every cut falls at a clause boundary (the comma before "and"), never mid-phrase.
    for before, after in zip(sentences, sentences[1:]):
        assert before.text.endswith(",") and after.text.startswith("and "), after.text[:30]
    assert [s.id for s in sentences] == list(range(1, len(sentences) + 1))


def test_long_run_prefers_the_longest_pause():
    text = " ".join(f"word{i}" for i in range(40))
    words = words_of(text, step=0.6, pauses={13: 1.2})
    sentences = sentences_from_words(words)
    assert sentences[0].text.split()[-1] == "word12"
    assert all(s.end - s.start <= 20 for s in sentences)


def test_duration_limit_splits_slow_speech():
    words = words_of("so we are waiting here now for the others to arrive today", step=1.4)
    sentences = sentences_from_words(words, SentenceOptions(max_duration_s=8.0))
    assert len(sentences) >= 2
    assert all(s.end - s.start <= 8.0 for s in sentences)


def test_empty_and_blank_input():
    assert sentences_from_words([]) == []
    assert sentences_from_words([Word(0.0, 0.1, " "), Word(0.1, 0.2, "")]) == []


def test_options_are_validated():
    with pytest.raises(ValueError):
        SentenceOptions(max_chars=0)
    with pytest.raises(ValueError):
        SentenceOptions(min_words=0)


@pytest.mark.parametrize("seed", range(5))
def test_random_words_are_all_kept_in_order_within_limits(seed):
    import random

    rng = random.Random(seed)
    vocabulary = "the committee, report; Dr. U.N. 3.5 yes. no? and, which percent! migration".split()
    words, t = [], 0.0
    for _ in range(600):
        duration = rng.uniform(0.0, 0.7)
        words.append(Word(round(t, 3), round(t + duration, 3), " " + rng.choice(vocabulary)))
        t += duration + rng.choice((0.0, 0.05, 0.2, 1.0, 1.6))
    options = SentenceOptions(max_chars=rng.choice((80, 250)), max_duration_s=12.0)
    sentences = sentences_from_words(words, options, first_id=3)
    assert [w for s in sentences for w in s.words] == words
    assert [s.id for s in sentences] == list(range(3, 3 + len(sentences)))
    for sentence in sentences:
        assert sentence.text == "".join(w.text for w in sentence.words).strip()
        assert sentence.start == sentence.words[0].start <= sentence.end
        assert len(sentence.words) == 1 or (len(sentence.text) <= options.max_chars
                                            and sentence.end - sentence.start <= 12.0)
        gaps = [b.start - a.end for a, b in zip(sentence.words, sentence.words[1:])]
        assert all(gap < options.pause_split_s for gap in gaps)
