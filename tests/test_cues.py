"""Subtitle cues: limits, timing, order and completeness, with and without word timings."""

from __future__ import annotations

import pytest

from pipeline.formats.cues import Cue, CueOptions, break_lines, build_cues
from pipeline.formats.transcript import Sentence, Transcript, Word
from pipeline.transcribe.sentences import sentences_from_words

ENGLISH = [
    "Good morning, everyone, and welcome to the fourth session of the committee on the "
    "protection of the rights of all migrant workers and members of their families.",
    "Thank you.",
    "I now give the floor to Dr. Amina Mohammed, who will present the report of the U.N. "
    "working group; after her presentation we will open the floor for questions from members, "
    "and I ask speakers to keep to three minutes.",
    "Questions?",
    "The delegation of Mexico has asked for the floor.",
]
# The same sentences in French: each runs 25% or more longer than the English.
FRENCH = [
    "Bonjour à toutes et à tous, et bienvenue à la quatrième session du Comité pour la "
    "protection des droits de tous les travailleurs migrants et des membres de leur famille, "
    "réunie aujourd'hui à Genève, en Suisse.",
    "Je vous remercie infiniment.",
    "Je donne maintenant la parole à Mme Amina Mohammed, qui présentera le rapport du groupe "
    "de travail des Nations Unies ; après sa présentation, nous ouvrirons la séance aux "
    "questions des membres, et je demande aux orateurs de s'en tenir à trois minutes chacun, au maximum et sans exception.",
    "Y a-t-il des questions de la part des membres ?",
    "La délégation du Mexique a demandé la parole pour une motion d'ordre.",
]


def english_transcript() -> Transcript:
    """Whisper-style words at a natural rate (about 15 characters a second), with pauses."""
    words, t = [], 0.5
    for sentence in ENGLISH:
        for token in sentence.split():
            duration = 0.08 + 0.06 * len(token)
            words.append(Word(round(t, 3), round(t + duration, 3), " " + token))
            t += duration + (0.35 if token.endswith(",") else 0.05)
        t += 0.7
    return Transcript("en", tuple(sentences_from_words(words)))


def french_transcript(english: Transcript) -> Transcript:
    return Transcript("fr", tuple(
        Sentence(id=s.id, start=s.start, end=s.end, text=text, section=s.section)
        for s, text in zip(english.sentences, FRENCH, strict=True)))


def check_cues(transcript: Transcript, cues: list[Cue], options: CueOptions) -> None:
    for cue in cues:
        assert 1 <= len(cue.lines) <= options.max_lines, cue
        assert all(0 < len(line) <= options.max_line_chars for line in cue.lines), cue
        assert all(line == line.strip() for line in cue.lines), cue
        assert cue.end > cue.start, cue
        assert cue.end - cue.start <= options.max_duration_s + 1e-9, cue
    for before, after in zip(cues, cues[1:]):
        assert before.start < after.start
        assert before.end <= after.start, (before, after)
        # The gap is kept unless the cue is too short to give it up.
        assert (before.end <= after.start - options.min_gap_s + 1e-9
                or before.end - before.start < 2 * options.min_gap_s), (before, after)
    for sentence in transcript.sentences:
        own = [c for c in cues if c.sentence_id == sentence.id]
        assert own, sentence
        # Every word exactly once, in order, and nothing else.
        assert " ".join(c.text for c in own).split() == sentence.text.split()
        # A cue starts within its sentence (only its end may grow into the silence after).
        assert all(sentence.start - 1e-9 <= c.start < sentence.end for c in own)
    ids = [c.sentence_id for c in cues]
    assert ids == sorted(ids)


def test_english_with_words_respects_limits_and_keeps_every_word():
    transcript = english_transcript()
    assert len(transcript.sentences) == len(ENGLISH)
    cues = build_cues(transcript)
    check_cues(transcript, cues, CueOptions())
    assert len(cues) > len(ENGLISH)      # the long sentences were split


def test_english_cues_take_their_times_from_words():
    transcript = english_transcript()
    cues = build_cues(transcript)
    starts = {w.start for s in transcript.sentences for w in s.words}
    ends = {w.end for s in transcript.sentences for w in s.words}
    assert all(c.start in starts for c in cues)
    # An end is a word's end, or was moved only to meet a limit (duration, speed, gap).
    for index, cue in enumerate(cues):
        if cue.end not in ends:
            following = cues[index + 1].start if index + 1 < len(cues) else float("inf")
            grown = cue.end - cue.start <= max(1.0, len(cue.text) / 17.0) + 1e-6
            trimmed = abs(following - 0.08 - cue.end) < 1e-6
            assert grown or trimmed, cue


def test_english_cuts_fall_at_punctuation():
    cues = build_cues(english_transcript())
    long_one = [c for c in cues if c.sentence_id == 3]
    assert len(long_one) >= 3
    for cue in long_one[:-1]:
        assert cue.text[-1] in ",;.", cue.text
    # "Dr." and "U.N." are abbreviations, not places to cut.
    assert not any(c.text.endswith(("Dr.", "U.N.")) for c in cues)


def test_french_without_words_respects_limits_and_shares_the_time():
    english = english_transcript()
    french = french_transcript(english)
    for en, fr in zip(english.sentences, french.sentences):
        assert len(fr.text) >= 1.25 * len(en.text) or len(en.text) < 15
    cues = build_cues(french)
    check_cues(french, cues, CueOptions())
    for sentence in french.sentences:
        own = [c for c in cues if c.sentence_id == sentence.id]
        assert own[0].start == pytest.approx(sentence.start)
        if len(own) > 1:
            # Cues follow each other within the sentence; the time is shared by characters.
            first_share = (own[1].start - sentence.start) / (sentence.end - sentence.start)
            characters = (len(own[0].text) + 1) / (len(sentence.text) + 1)
            assert first_share == pytest.approx(characters, abs=0.02)
    assert len(cues) > len(FRENCH)      # the long sentences were split


def test_french_spaced_punctuation_stays_with_its_word():
    cues = build_cues(french_transcript(english_transcript()))
    for cue in cues:
        for line in cue.lines:
            assert not line.startswith(("?", "!", ";", ":", "»")), line
            assert not line.endswith("«"), line


def test_short_cues_grow_toward_the_minimum_but_never_reach_the_next():
    words = [Word(1.0, 1.3, " Yes."), Word(1.6, 1.9, " No."), Word(5.0, 5.3, " Maybe.")]
    transcript = Transcript("en", tuple(sentences_from_words(words)))
    cues = build_cues(transcript)
    assert [c.text for c in cues] == ["Yes.", "No.", "Maybe."]
    assert cues[0].end == pytest.approx(1.6 - 0.08)     # stops a gap before the next cue
    assert cues[1].end == pytest.approx(1.6 + 1.0)      # grows to the minimum duration
    assert cues[2].end == pytest.approx(5.0 + 1.0)


def test_fast_speech_grows_toward_reading_speed():
    text = "Forty-two characters spoken very quickly."
    transcript = Transcript("fr", (Sentence(1, 10.0, 11.2, text),))
    (cue,) = build_cues(transcript)
    assert cue.end == pytest.approx(10.0 + len(text) / 17.0)


def test_overlapping_word_times_give_disjoint_cues():
    sentences = (Sentence(1, 0.0, 2.0, "First sentence here.",
                          (Word(0.0, 0.6, " First"), Word(0.6, 1.2, " sentence"),
                           Word(1.2, 2.0, " here."))),
                 Sentence(2, 1.9, 3.0, "Second.", (Word(1.9, 3.0, " Second."),)))
    cues = build_cues(Transcript("en", sentences))
    assert cues[0].end <= cues[1].start


def test_empty_and_simultaneous_word_times_give_ordered_positive_cues():
    sentences = (Sentence(1, 1.0, 1.0, "Yes.", (Word(1.0, 1.0, " Yes."),)),
                 Sentence(2, 1.0, 1.0, "No.", (Word(1.0, 1.0, " No."),)),
                 Sentence(3, 1.0, 2.0, "Maybe so.", (Word(1.0, 1.5, " Maybe"),
                                                    Word(1.5, 2.0, " so."))))
    cues = build_cues(Transcript("en", sentences))
    assert [c.text for c in cues] == ["Yes.", "No.", "Maybe so."]
    assert all(c.end > c.start for c in cues)
    assert all(a.end <= b.start and a.start < b.start for a, b in zip(cues, cues[1:]))


def test_edited_text_falls_back_to_sentence_times():
    words = (Word(0.0, 0.5, " The"), Word(0.5, 1.0, " meeting"), Word(1.0, 2.0, " opens."))
    edited = Sentence(1, 0.0, 2.0, "The session opens.", words)
    (cue,) = build_cues(Transcript("en", (edited,)))
    assert cue.text == "The session opens."


def test_empty_transcript_gives_no_cues():
    assert build_cues(Transcript("en", ())) == []


@pytest.mark.parametrize("text, expected", [
    ("A short line.", ("A short line.",)),
    ("We thank the delegation for its statement, and we now turn to item four.",
     ("We thank the delegation for its statement,", "and we now turn to item four.")),
    ("The committee adopted the report of the working group on migrants.",
     ("The committee adopted the report", "of the working group on migrants.")),
])
def test_line_breaking_is_balanced_and_prefers_punctuation(text, expected):
    assert break_lines(text.split(), 42, 2) == expected


def test_line_breaking_does_not_leave_a_short_word_alone_or_end_on_an_article():
    lines = break_lines("It is a pleasure to welcome you all to Geneva today to".split(), 42, 2)
    assert len(lines) == 2 and all(len(line.split()) > 1 for line in lines)
    lines = break_lines("We have received the annual report of the special rapporteur".split(), 42, 2)
    assert not lines[0].endswith((" the", " of"))


def test_a_word_longer_than_a_line_overflows_alone():
    text = "See https://www.example.org/a/very/long/address/for/the/report today."
    cues = build_cues(Transcript("fr", (Sentence(1, 0.0, 5.0, text),)))
    lines = [line for cue in cues for line in cue.lines]
    assert lines == ["See", "https://www.example.org/a/very/long/address/for/the/report",
                     "today."]
    assert all(len(cue.lines) <= 2 for cue in cues)


def test_options_are_validated():
    with pytest.raises(ValueError):
        CueOptions(max_line_chars=0)
    with pytest.raises(ValueError):
        CueOptions(min_duration_s=5.0, max_duration_s=2.0)


@pytest.mark.parametrize("seed", range(6))
def test_random_transcripts_keep_every_limit(seed):
    """Seeded random sentences (long words, spaced punctuation, pauses, fast speech)."""
    import random

    rng = random.Random(seed)
    vocabulary = ("the of committee migration, report; delegation rapporteur « droits » ! ? "
                  "protection 3.5 U.N. Dr. internationally-recognised and que y session, "
                  "a b travailleurs: Sustainable-Development-Goals").split()
    words, t = [], 0.0
    for _ in range(400):
        token = rng.choice(vocabulary)
        duration = rng.uniform(0.05, 0.6)
        words.append(Word(round(t, 3), round(t + duration, 3), " " + token))
        t += duration + rng.choice((0.0, 0.02, 0.1, 0.4, 1.0, 2.5))
    english = Transcript("en", tuple(sentences_from_words(words)))
    options = CueOptions(max_line_chars=rng.choice((36, 42)), max_lines=rng.choice((1, 2, 3)))
    check_cues(english, build_cues(english, options), options)
    translated = Transcript("fr", tuple(
        Sentence(s.id, s.start, s.end, s.text + " " + " ".join(rng.sample(vocabulary, 4)))
        for s in english.sentences))
    check_cues(translated, build_cues(translated, options), options)


def test_a_word_holding_a_whole_term_is_broken_like_words():
    """A vocabulary correction may leave one Word for a multi-word term: lines still fit."""
    words = (Word(0.0, 0.4, " together", 0.9), Word(0.4, 0.6, " with", 0.9),
             Word(0.6, 0.7, " the", 0.9),
             Word(0.7, 3.5, " Office of the High Commissioner for Human Rights.", 0.9))
    sentence = Sentence(id=1, start=0.0, end=3.5, text="together with the Office of the High "
                        "Commissioner for Human Rights.", words=words)
    cues = build_cues(Transcript("en", (sentence,)))
    assert all(len(line) <= 42 for cue in cues for line in cue.lines)
    assert " ".join(line for cue in cues for line in cue.lines).split() == sentence.text.split()
