"""Voices per word, sentences split where the voice changes, ids, turns and clustering (no model)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pipeline.formats.transcript import Sentence, Word
from pipeline.speakers import SpeakerOptions, assign
from pipeline.speakers.cluster import cluster
from pipeline.speakers.embed import VoiceWindows, plan
from pipeline.speakers.features import mel_spectrogram, raise_level

OPTIONS = SpeakerOptions()


def sentence(ident: int, start: float, texts: list[str], pause_after: int | None = None,
             pause_s: float = 0.6) -> Sentence:
    """Words of 0.4 s with 0.1 s between them (``pause_s`` after word ``pause_after``)."""
    words, at = [], start
    for k, text in enumerate(texts):
        words.append(Word(at, at + 0.4, " " + text))
        at += 0.5 + (pause_s - 0.1 if k == pause_after else 0.0)
    return Sentence(ident, words[0].start, words[-1].end, "".join(w.text for w in words).strip(),
                    tuple(words))


WORDS = "thank you madam chair the survey covered eighty four national parliaments".split()


def test_a_sentence_is_cut_at_the_word_where_the_voice_changes():
    first = sentence(1, 0.0, ["Good", "morning", "to", "all."])
    mixed = sentence(2, 3.0, WORDS, pause_after=3)           # "... madam chair" | "the survey"
    last = sentence(3, 12.0, ["We", "agree."])
    voices = [np.zeros(4, int), np.array([0] * 4 + [1] * 7), np.ones(2, int)]
    spoken = assign.split([first, mixed, last], voices, OPTIONS)
    assert [(s.sentence.id, s.speaker, s.split_from) for s in spoken] == [
        (1, "S1", None), (2, "S1", 2), (4, "S2", 2), (3, "S2", None)]
    head, tail = spoken[1].sentence, spoken[2].sentence
    assert head.text == "thank you madam chair" and tail.text.startswith("the survey")
    assert head.start == mixed.start and tail.end == mixed.end
    assert head.end == mixed.words[3].end and tail.start == mixed.words[4].start
    assert head.words + tail.words == mixed.words


def test_the_cut_moves_to_the_pause_next_to_it():
    mixed = sentence(7, 0.0, WORDS, pause_after=3, pause_s=0.9)
    voices = [np.array([0] * 5 + [1] * 6)]                   # the change is heard a word late
    spoken = assign.split([mixed], voices, OPTIONS)
    assert spoken[0].sentence.text == "thank you madam chair"


def test_one_odd_word_does_not_split_a_sentence():
    mixed = sentence(5, 0.0, WORDS)
    spoken = assign.split([mixed], [np.array([0] * 6 + [1] + [0] * 4)], OPTIONS)
    assert [(s.sentence, s.speaker, s.split_from) for s in spoken] == [(mixed, "S1", None)]


def test_an_edited_sentence_is_not_cut_but_gets_its_main_voice():
    mixed = sentence(5, 0.0, WORDS, pause_after=3)
    edited = Sentence(5, mixed.start, mixed.end, "Thank you, Madam Chair. The survey covered 84.",
                      mixed.words)
    spoken = assign.split([edited], [np.array([0] * 4 + [1] * 7)], OPTIONS)
    assert [(s.sentence, s.speaker) for s in spoken] == [(edited, "S2")]


def test_new_ids_come_after_every_id_in_time_order():
    a = sentence(10, 0.0, WORDS, pause_after=3)
    b = sentence(3, 8.0, WORDS, pause_after=6)
    voices = [np.array([0] * 4 + [1] * 7), np.array([1] * 7 + [0] * 4)]
    spoken = assign.split([a, b], voices, OPTIONS)
    assert [(s.sentence.id, s.split_from) for s in spoken] == [(10, 10), (11, 10), (3, 3), (12, 3)]


def test_a_switch_must_be_worth_its_cost():
    emissions = np.array([[0.9, 0.8], [0.8, 0.85], [0.9, 0.8], [0.7, 0.95], [0.7, 0.95]])
    path = assign._viterbi(emissions, np.full(5, 0.1))
    assert path.tolist() == [0, 0, 0, 1, 1]                  # the 0.05 blip at t=1 is ignored


def test_word_voices_follow_the_windows_that_cover_them():
    mixed = sentence(1, 0.0, WORDS, pause_after=3)
    windows_plan = plan([mixed], OPTIONS)
    a, b = np.eye(4)[0], np.eye(4)[1]
    vectors = np.array([a if (s.start + s.end) / 2 < 2.0 else b for s in windows_plan])
    windows = VoiceWindows(np.zeros(len(vectors), int), np.array([s.start for s in windows_plan]),
                           np.array([s.end for s in windows_plan]), vectors.astype(np.float32))
    found = cluster(np.array([a, b, a, b]), np.full(4, 5.0), OPTIONS)
    voices = assign.word_voices([mixed], windows, found, OPTIONS)
    assert voices[0][0] != voices[0][-1]


def test_turns_join_close_sentences_of_one_voice():
    spoken = assign.split([sentence(1, 0.0, ["a", "b"]), sentence(2, 1.5, ["c", "d"]),
                           sentence(3, 5.0, ["e", "f"]), sentence(4, 6.5, ["g", "h"])],
                          [np.zeros(2, int), np.zeros(2, int), np.zeros(2, int), np.ones(2, int)],
                          OPTIONS)
    turns = assign.turns(spoken, 1.0)
    assert [(t.speaker, t.sentences) for t in turns] == [("S1", (1, 2)), ("S1", (3,)), ("S2", (4,))]


def test_windows_cover_each_sentence_and_short_ones_get_one():
    long = Sentence(1, 10.0, 14.0, "long")
    short = Sentence(2, 20.0, 20.2, "Yes.")
    spans = plan([long, short], OPTIONS)
    mine = [s for s in spans if s.sentence == 0]
    assert mine[0].start == 10.0 and mine[-1].end == pytest.approx(14.0)
    assert all(s.end - s.start == pytest.approx(OPTIONS.window_s) for s in mine)
    assert max(b.start - a.start for a, b in zip(mine, mine[1:])) <= OPTIONS.hop_s + 1e-9
    (one,) = [s for s in spans if s.sentence == 1]
    assert one.end - one.start == pytest.approx(OPTIONS.min_window_s)


def test_a_sentence_a_hair_longer_than_a_window_gets_one_window_at_each_end():
    """Longer than a window by less than the rounding allowance: two windows, no division by
    zero (the spacing between them is the length beyond one window)."""
    start = 71.34
    hair = Sentence(1, start, start + OPTIONS.window_s + 1e-12, "hair")
    spans = plan([hair], OPTIONS)
    assert len(spans) == 2
    assert spans[0].start == start and spans[-1].end == pytest.approx(hair.end)


def voices_around(centres: np.ndarray, count: int, spread: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    points = np.repeat(centres, count, axis=0) + rng.normal(0, spread, (len(centres) * count,
                                                                       centres.shape[1]))
    return points / np.linalg.norm(points, axis=1, keepdims=True)


@pytest.mark.parametrize("method", ["ward", "average"])
@pytest.mark.parametrize("voices", [1, 2, 5])
def test_the_number_of_voices_is_found(method, voices):
    centres = np.eye(16)[:voices] * 3 + 1
    points = voices_around(centres, 12, 0.25, seed=voices)
    found = cluster(points, np.full(len(points), 4.0), SpeakerOptions(clustering=method))
    assert found.count == voices
    assert len(set(found.labels[:12])) == 1


def test_the_agenda_hint_keeps_fairly_alike_voices_apart():
    base = np.zeros(16)
    base[0] = 1.0
    other = base.copy()
    other[1] = 0.51                                          # cosine about 0.89 with base
    points = voices_around(np.array([base, other]), 15, 0.02, seed=3)
    weights = np.full(len(points), 4.0)
    assert cluster(points, weights, OPTIONS).count == 1
    assert cluster(points, weights, OPTIONS, hint=2).count == 2
    assert cluster(points, weights, OPTIONS, hint=8).count == 2      # a hint, not a count


def test_a_voice_heard_for_a_moment_is_folded_away():
    centres = np.eye(16)[:2] * 3 + 1
    points = voices_around(centres, 10, 0.2, seed=1)
    weights = np.array([5.0] * 10 + [0.1] * 10)
    assert cluster(points, weights, OPTIONS).count == 1


def test_only_long_sentences_make_voices_and_short_ones_join_the_nearest():
    # Two voices heard in long sentences, and six short sentences (one noisy window each)
    # whose vectors lean elsewhere: they go to the nearest voice instead of making a third.
    centres = np.eye(16)[:3] * 3 + 1
    points = np.vstack([voices_around(centres[:2], 8, 0.2, seed=4),
                        voices_around(centres[[0]] + 2 * centres[[2]], 6, 0.2, seed=5)])
    weights = np.array([5.0] * 16 + [1.5] * 6)
    options = SpeakerOptions(short_voice_s=0.0)           # no help from the short-voice rule
    found = cluster(points, weights, options)
    assert found.count == 2
    assert set(found.labels[16:]) == {found.labels[0]}
    assert cluster(points, weights, replace(options, seed_sentence_s=0.0)).count == 3


def test_long_recordings_are_clustered_on_a_subsample():
    centres = np.eye(16)[:3] * 3 + 1
    points = voices_around(centres, 400, 0.25, seed=2)
    found = cluster(points, np.full(len(points), 4.0), SpeakerOptions(max_cluster_points=200))
    assert found.count == 3
    assert len(found.labels) == 1200
    assert all(len(set(found.labels[k * 400:(k + 1) * 400])) == 1 for k in range(3))


def test_features_are_the_encoders_mel_spectrogram():
    from resemblyzer import audio

    rng = np.random.default_rng(0)
    samples = (rng.normal(0, 0.05, 16000 * 3 + 77)).astype(np.float32)
    ours = mel_spectrogram(samples)
    theirs = audio.wav_to_mel_spectrogram(samples)
    assert ours.shape == theirs.shape
    assert np.abs(ours - theirs).max() <= 1e-5 * np.abs(theirs).max()
    quiet = samples * 0.01
    assert np.allclose(raise_level(quiet), audio.normalize_volume(quiet, -30, increase_only=True))
    assert raise_level(samples) is samples                    # never made quieter


def test_the_audio_held_is_one_sentence_and_one_block_whatever_the_length():
    from pipeline.speakers.embed import _Rolling

    def blocks():                                  # an hour in 1 s blocks, each sample its time
        for k in range(3600):
            yield np.arange(k * 16000, (k + 1) * 16000, dtype=np.float64)

    audio, held = _Rolling(blocks()), 0
    starts = [*np.arange(0.0, 600.0, 7.3), 3000.0]   # 5 s sentences, then 40 minutes of silence
    for start in starts:
        piece = audio.take(start, start + 5.0)
        assert piece[0] == round(start * 16000) and len(piece) == 80000
        held = max(held, len(audio.buffer))
    assert held <= (5 + 1) * 16000                    # the sentence and the block read past it


def test_cut_sentences_are_joined_again_before_listening_again():
    first = sentence(1, 0.0, ["Good", "morning", "to", "all."])
    mixed = sentence(2, 3.0, WORDS, pause_after=3)
    last = sentence(3, 12.0, ["We", "agree."])
    voices = [np.zeros(4, int), np.array([0] * 4 + [1] * 7), np.ones(2, int)]
    spoken = assign.split([first, mixed, last], voices, OPTIONS)
    cut = assign.pieces(spoken)
    assert cut == {4: 2}
    again = assign.rejoin([s.sentence for s in spoken], cut)
    assert [(s.id, s.words) for s in again] == [(1, first.words), (2, mixed.words),
                                                (3, last.words)]
    assert again[1].text == mixed.text and (again[1].start, again[1].end) == (mixed.start,
                                                                              mixed.end)
    assert assign.rejoin([s.sentence for s in spoken], {}) == [s.sentence for s in spoken]
