"""Speech clips: parts grouped into one encoder pass each, long pauses shortened."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pipeline.transcribe.clips import Fill, group_clips
from pipeline.transcribe.engine import decode_with_missed_parts

PARTS = [{"start": 1.0, "end": 5.0}, {"start": 6.0, "end": 9.0}, {"start": 15.0, "end": 20.0},
         {"start": 21.0, "end": 40.0}]
# The same, with a last part too long to share a clip: the first three must share one.
LONG_LAST = PARTS[:3] + [{"start": 21.0, "end": 45.0}]


def test_without_shortening_a_long_pause_starts_a_new_clip():
    clips = group_clips(PARTS, max_s=28.0, max_gap_s=3.0)
    assert [[p["start"] for p in c.parts] for c in clips] == [[1.0, 6.0], [15.0, 21.0]]
    first = clips[0]
    assert (first.start, first.end, first.length) == (1.0, 9.0, 8.0)
    assert first.to_window(2.5) == 3.5          # one piece: a plain shift


def test_long_pauses_are_shortened_and_times_map_back():
    clips = group_clips(LONG_LAST, max_s=28.0, max_gap_s=3.0, keep_gap_s=1.0)
    assert [[p["start"] for p in c.parts] for c in clips] == [[1.0, 6.0, 15.0], [21.0]]
    clip = clips[0]
    # 1-9 s whole (its pause is 1 s), then 1 s of the 6 s pause, then 15-20 s
    assert [(p.start, p.end, p.at) for p in clip.pieces] == [(1.0, 10.0, 0.0), (15.0, 20.0, 9.0)]
    assert clip.length == 14.0
    assert clip.to_window(0.0) == 1.0 and clip.to_window(8.0) == 9.0
    assert clip.to_window(9.5) == 15.5 and clip.to_window(14.0) == 20.0
    assert clip.to_window(99.0) == 20.0         # past the end stays at the end


def test_a_word_stretched_over_a_shortened_pause_stays_on_one_side_of_it():
    clip = group_clips(LONG_LAST, max_s=28.0, max_gap_s=3.0, keep_gap_s=1.0)[0]
    # pieces: window 1-10 s at clip 0-9 s, window 15-20 s at clip 9-14 s
    assert clip.span_to_window(2.0, 3.0) == (3.0, 4.0)          # inside one piece
    assert clip.span_to_window(8.5, 9.2) == (9.5, 10.0)         # mostly before the joint
    assert clip.span_to_window(8.9, 10.0) == (15.0, 16.0)       # mostly after it
    start, end = clip.span_to_window(8.0, 13.0)
    assert end - start <= 5.0                                    # never over the 5 s cut out


def test_a_clip_is_its_pieces_of_the_window_end_to_end():
    rate = 10
    window = np.arange(450, dtype=np.float32)   # sample k holds k
    clip = group_clips(LONG_LAST, max_s=28.0, max_gap_s=3.0, keep_gap_s=1.0)[0]
    audio = clip.samples(window, rate)
    assert len(audio) == clip.length * rate
    assert audio[0] == 10 and audio[89] == 99 and audio[90] == 150 and audio[-1] == 199


@pytest.mark.parametrize("keep", [None, 0.5, 2.0])
def test_no_clip_is_longer_than_allowed_and_every_part_is_in_one(keep):
    parts = [{"start": 3.0 * k, "end": 3.0 * k + 2.0} for k in range(40)]
    clips = group_clips(parts, max_s=28.0, max_gap_s=3.0, keep_gap_s=keep)
    assert all(c.length <= 28.0 for c in clips)
    assert [p for c in clips for p in c.parts] == parts


def speech(seconds: float, rate: int, quiet: list[float]) -> np.ndarray:
    """Noise standing for speech, with 0.3 s of silence centred on each time in ``quiet``."""
    audio = np.random.default_rng(0).normal(0, 0.3, int(seconds * rate)).astype(np.float32)
    for t in quiet:
        audio[int((t - 0.15) * rate):int((t + 0.15) * rate)] = 0.0
    return audio


def test_a_part_that_does_not_fit_is_cut_where_it_is_quiet_to_fill_the_clip():
    rate = 1000
    # 1-21 s of speech, then 22-40 s with a short pause between words at 27.5 s
    parts = [{"start": 1.0, "end": 21.0}, {"start": 22.0, "end": 40.0}]
    audio = speech(41.0, rate, quiet=[27.5, 36.0])
    clips = group_clips(parts, max_s=30.0, max_gap_s=3.0, keep_gap_s=1.0,
                        fill=Fill(audio, rate))
    assert len(clips) == 2
    first, second = clips
    assert first.end == pytest.approx(27.5, abs=0.06)     # in the pause: 26 s of the 30
    assert second.start == first.end and second.end == 40.0
    assert first.length <= 30.0
    # without it, the second part starts a clip of its own and the first holds 20 s
    plain = group_clips(parts, max_s=30.0, max_gap_s=3.0, keep_gap_s=1.0)
    assert [c.length for c in plain] == [20.0, 18.0]


def test_no_cut_where_little_of_the_clip_is_left_or_a_piece_would_be_too_short():
    rate = 1000
    audio = speech(60.0, rate, quiet=[28.5, 31.0])
    # 1-27 s: 3 s of room left (1 s of the pause, then 2 s), less than the 4 s a cut needs
    parts = [{"start": 1.0, "end": 27.0}, {"start": 28.0, "end": 40.0}]
    assert len(group_clips(parts, 30.0, 3.0, 1.0, Fill(audio, rate))) == 2
    assert group_clips(parts, 30.0, 3.0, 1.0, Fill(audio, rate))[1].start == 28.0
    # 4 s of room, but a part of 4.1 s cannot leave 2 s of speech on either side of a cut
    parts = [{"start": 1.0, "end": 21.0}, {"start": 22.0, "end": 26.1}]
    clips = group_clips(parts, 25.0, 3.0, 1.0, Fill(audio, rate))
    assert [p["end"] for c in clips for p in c.parts] == [21.0, 26.1]
    assert Fill(audio, rate, min_piece_s=0.5).cut(parts[1], 4.0) is not None


def test_every_second_of_speech_is_in_exactly_one_clip_when_parts_are_cut():
    rate = 1000
    parts = [{"start": 8.0 * k, "end": 8.0 * k + 7.0} for k in range(30)]
    audio = speech(250.0, rate, quiet=[8.0 * k + 3.5 for k in range(30)])
    clips = group_clips(parts, 30.0, 3.0, 1.0, Fill(audio, rate))
    spans = [(p["start"], p["end"]) for c in clips for p in c.parts]
    assert spans[0][0] == 0.0 and spans[-1][1] == 239.0
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))          # in order, no overlap
    assert sum(e - s for s, e in spans) == pytest.approx(30 * 7.0)      # nothing lost
    assert all(c.length <= 30.0 for c in clips)
    assert len(clips) < len(group_clips(parts, 30.0, 3.0, 1.0))


def test_with_pauses_kept_whole_a_long_pause_still_starts_a_clip_and_nothing_is_cut():
    rate = 1000
    audio = speech(60.0, rate, quiet=[30.0])
    parts = [{"start": 1.0, "end": 11.0}, {"start": 25.0, "end": 45.0}]
    clips = group_clips(parts, 30.0, 3.0, None, Fill(audio, rate))
    assert [[(p["start"], p["end"]) for p in c.parts] for c in clips] == [[(1.0, 11.0)],
                                                                          [(25.0, 45.0)]]


def test_the_stage_cuts_parts_to_fill_clips_only_when_asked(samples_dir, tiny_model_dir):
    from pipeline.audio.decode import SAMPLE_RATE
    from pipeline.audio.decode import read as decode_samples
    from pipeline.transcribe import TranscribeOptions
    from pipeline.transcribe.engine import AsrEngine
    from pipeline.transcribe.models import resolve_asr_model

    samples = decode_samples(samples_dir / "session.ogg")
    engine = AsrEngine(resolve_asr_model(str(tiny_model_dir)), TranscribeOptions())
    plans = {fill: engine.plan(samples, TranscribeOptions(clip_fill_s=fill))
             for fill in (None, 2.5)}
    whole, filled = plans[None].clips, plans[2.5].clips
    assert len(filled) <= len(whole)
    ends = {p["end"] for c in whole for p in c.parts}           # where the VAD's parts end
    cuts = [c.end for c in filled if c.end not in ends]
    assert cuts                                    # a part cut to end a clip
    level = float(np.sqrt(np.mean(samples ** 2)))
    for end in cuts:                               # where the recording is quiet
        around = samples[int((end - 0.1) * SAMPLE_RATE):int((end + 0.1) * SAMPLE_RATE)]
        assert float(np.sqrt(np.mean(around ** 2))) < level


def test_clips_end_at_the_speakers_pauses_when_that_takes_no_more_of_them():
    # Seconds of silence the detector heard before each part (its "pause"): a run of speech
    # split with no real pause (0.2, 0.1 s), and one pause of 2 s between sentences.
    parts = [{"start": 0.0, "end": 12.0, "pause": 0.0}, {"start": 12.0, "end": 20.0, "pause": 0.2},
             {"start": 22.0, "end": 30.0, "pause": 2.0}, {"start": 30.0, "end": 40.0, "pause": 0.1},
             {"start": 40.0, "end": 48.0, "pause": 0.1}]
    clips = group_clips(parts, max_s=30.0, max_gap_s=3.0, keep_gap_s=1.0)
    # in order, the first clip would take the third part too and end inside a sentence at 30 s
    assert [(c.start, c.end) for c in clips] == [(0.0, 20.0), (22.0, 48.0)]
    assert all(c.length <= 30.0 for c in clips)


def test_without_pauses_given_the_gaps_between_parts_stand_for_them():
    parts = [{"start": 0.0, "end": 12.0}, {"start": 12.0, "end": 20.0},
             {"start": 22.0, "end": 30.0}, {"start": 30.0, "end": 40.0}]
    clips = group_clips(parts, max_s=30.0, max_gap_s=3.0, keep_gap_s=1.0)
    assert [c.start for c in clips] == [0.0, 22.0]


@pytest.mark.parametrize("keep", [None, 1.0])
@pytest.mark.parametrize("seed", range(5))
def test_never_more_clips_than_grouping_in_order(seed, keep):
    rng = np.random.default_rng(seed)
    parts, t = [], 0.0
    for _ in range(60):
        pause = float(rng.choice([0.0, 0.1, 0.5, 1.2, 2.5, 4.0]))
        length = float(rng.uniform(0.5, 14.0))
        parts.append({"start": t + pause, "end": t + pause + length, "pause": pause})
        t += pause + length
    in_order = group_clips(parts, 30.0, 3.0, keep, Fill(np.zeros(1), 1, min_room_s=np.inf))
    clips = group_clips(parts, 30.0, 3.0, keep)
    assert len(clips) == len(in_order)
    assert [p for c in clips for p in c.parts] == parts
    assert all(c.length <= 30.0 or len(c.parts) == 1 for c in clips)
    if keep is None:                # a pause longer than max_gap_s is never inside a clip
        assert all(b["start"] - a["end"] <= 3.0 for c in clips for a, b in zip(c.parts, c.parts[1:]))


def test_speech_parts_are_faster_whispers_padded_segments_with_the_pauses_it_heard(samples_dir):
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from pipeline.audio.decode import SAMPLE_RATE
    from pipeline.audio.decode import read as decode_samples
    from pipeline.transcribe import TranscribeOptions
    from pipeline.transcribe.engine import speech_clips

    samples = decode_samples(samples_dir / "session.ogg")
    settings = TranscribeOptions().vad_settings
    for limit in (settings.max_speech_duration_s, 5.0):       # 5 s: many splits inside speech
        options = TranscribeOptions(vad_settings=replace(settings, max_speech_duration_s=limit))
        parts = speech_clips(samples, options)
        theirs = get_speech_timestamps(samples, VadOptions(**options.vad_settings.__dict__))
        assert [(p["start"], p["end"]) for p in parts] == [
            (s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in theirs]
        gaps = [b["start"] - a["end"] for a, b in zip(parts, parts[1:])]
        # the pad hides silence: what was heard is the gap plus up to two pads
        assert all(g - 1e-6 <= b["pause"] <= g + 2 * settings.speech_pad_ms / 1000 + 1e-6
                   for g, b in zip(gaps, parts[1:]))
        assert any(b["pause"] > g + 0.1 for g, b in zip(gaps, parts[1:]))
        if limit == 5.0:                     # split inside runs of speech: short pauses
            assert any(b["pause"] < 1.0 for b in parts[1:])


def test_a_clip_exactly_as_long_as_allowed_fits_whatever_the_rounding():
    # 30 s in all, whose sums in different orders differ in their last bits
    parts = [{"start": 0.1, "end": 7.6}, {"start": 7.7, "end": 12.9}, {"start": 13.2, "end": 18.3},
             {"start": 18.4, "end": 26.7}, {"start": 26.8, "end": 30.1}]
    assert len(group_clips(parts, 30.0, 3.0, 1.0)) == 1
    assert len(group_clips(parts, 30.0, 3.0, 1.0, Fill(np.zeros(1), 1, min_room_s=np.inf))) == 1


@pytest.mark.parametrize("limit, pad", [(32.032, 800), (14.0, 800), (9.7, 400), (5.0, 800)])
def test_speech_parts_split_where_faster_whisper_splits_long_speech(limit, pad, monkeypatch):
    """One long run of speech (the VAD's model replaced by one that hears speech throughout,
    but for short dips): the parts are split where faster-whisper splits them, for limits
    whose length in samples falls just below a whole number of windows too (32.032 s)."""
    import faster_whisper.vad as vad
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from pipeline.audio.decode import SAMPLE_RATE
    from pipeline.transcribe import TranscribeOptions
    from pipeline.transcribe.engine import speech_clips

    class Model:
        def __call__(self, audio, num_samples=512, context_size_samples=64):
            frames = audio.shape[0] // num_samples
            probs = np.full(frames, 0.9, dtype=np.float32)
            probs[::37] = 0.1                   # a short pause now and then
            return probs

    monkeypatch.setattr(vad, "get_vad_model", lambda: Model())
    samples = np.zeros(150 * SAMPLE_RATE, dtype=np.float32)
    base = TranscribeOptions().vad_settings
    settings = replace(base, max_speech_duration_s=limit, speech_pad_ms=pad)
    parts = speech_clips(samples, TranscribeOptions(vad_settings=settings))
    theirs = get_speech_timestamps(samples, VadOptions(**settings.__dict__))
    assert len(parts) > 2
    assert [(p["start"], p["end"]) for p in parts] == [
        (s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in theirs]


def _stopping_decoder(speech: list[dict], stops: set[float], deaf: set[float], calls: list):
    """Whisper as it fails without timestamp tokens, on the parts of ``speech`` (named by
    their start) whose audio is in the clip's pieces: it stops before a part in ``stops``
    unless the clip begins with it, and never hears a part in ``deaf`` (noise, or a word the
    alignment gave to its neighbour). One word per part heard, in window time; each call's
    parts are kept in ``calls``."""
    from faster_whisper.transcribe import Segment, Word

    def decode(clip):
        calls.append([p["start"] for p in clip.parts])
        heard = [part for part in speech if any(piece.start < part["end"] and piece.end >
                                                part["start"] for piece in clip.pieces)]
        words = []
        for k, part in enumerate(heard):
            if k and part["start"] in stops:
                break
            if part["start"] not in deaf:
                words.append(Word(part["start"] + 0.1, part["end"] - 0.1, " word", 0.9))
        if not words:
            return []
        return [Segment(0, 0, words[0].start, words[-1].end, "", [], -0.2, 1.0, 0.0, words, 0.0)]

    return decode


SPEECH = [{"start": float(t), "end": t + 4.0, "pause": 0.5} for t in range(0, 27, 5)]


def _regroup(parts: list[dict]) -> list:
    return group_clips(parts, 30.0, 3.0, 1.0)


def _heard(segments) -> list[float]:
    return sorted(round(w.start - 0.1, 6) for s in segments for w in s.words)


def test_parts_whisper_left_out_after_stopping_early_are_decoded_again_together():
    calls: list = []
    clip, = _regroup(SPEECH)
    segments = decode_with_missed_parts(clip, _stopping_decoder(SPEECH, {10.0}, set(), calls),
                                        _regroup)
    assert _heard(segments) == [p["start"] for p in SPEECH]
    # one more pass for the four parts it left out, not one each
    assert calls == [[0.0, 5.0, 10.0, 15.0, 20.0, 25.0], [10.0, 15.0, 20.0, 25.0]]
    assert [s.start for s in segments] == sorted(s.start for s in segments)


def test_parts_still_unheard_together_are_each_decoded_alone_and_then_left():
    calls: list = []
    clip, = _regroup(SPEECH)
    decode = _stopping_decoder(SPEECH, set(), {10.0, 15.0}, calls)
    segments = decode_with_missed_parts(clip, decode,
                                        _regroup)
    assert _heard(segments) == [0.0, 5.0, 20.0, 25.0]
    assert calls == [[0.0, 5.0, 10.0, 15.0, 20.0, 25.0], [10.0, 15.0], [10.0], [15.0]]


def test_parts_left_out_on_either_side_of_one_heard_are_not_decoded_with_its_audio():
    # 0.5 s apart: a clip of the first and third parts alone would hold the second's first
    # half second, as the pause after the first is cut to 1 s.
    speech = [{"start": t, "end": t + 4.0, "pause": 0.5} for t in (0.0, 4.5, 9.0, 13.5)]
    calls: list = []
    clip, = _regroup(speech)
    segments = decode_with_missed_parts(clip, _stopping_decoder(speech, {9.0}, {0.0}, calls),
                                        _regroup)
    assert _heard(segments) == [4.5, 9.0, 13.5]            # the second part's word once
    assert calls == [[0.0, 4.5, 9.0, 13.5], [0.0], [9.0, 13.5]]


def test_a_clip_of_one_part_that_gives_nothing_is_not_decoded_again():
    calls: list = []
    clip, = _regroup(SPEECH[:1])
    assert decode_with_missed_parts(clip, _stopping_decoder(SPEECH, set(), {0.0}, calls),
                                    _regroup) == []
    assert calls == [[0.0]]


def test_a_windows_clips_queued_while_the_one_before_is_read_give_the_same_words(
        samples_dir, tiny_model_dir):
    """The workers go on from one window's clips to the next's (queued from another thread
    while the first window's results are read): the words are those of the windows
    recognised one after the other."""
    import threading

    from pipeline.audio.decode import SAMPLE_RATE
    from pipeline.audio.decode import read as decode_samples
    from pipeline.transcribe import TranscribeOptions
    from pipeline.transcribe.engine import AsrEngine
    from pipeline.transcribe.models import resolve_asr_model

    samples = decode_samples(samples_dir / "session.ogg")
    half = len(samples) // 2
    windows = [(samples[:half], 0.0), (samples[half:], half / SAMPLE_RATE)]
    options = TranscribeOptions(asr_model=str(tiny_model_dir), workers=2, cpu_threads=1)
    with AsrEngine(resolve_asr_model(str(tiny_model_dir)), options) as engine:
        plans = [engine.plan(window, options) for window, _ in windows]

        def words(results):
            return [(w.start, w.text) for result in results for w in result.words]

        alone = [words(engine.recognise(window, offset, plan, options))
                 for (window, offset), plan in zip(windows, plans)]
        first = engine.recognise(*windows[0], plans[0], options)
        queued = {}
        thread = threading.Thread(target=lambda: queued.setdefault(
            "second", engine.recognise(*windows[1], plans[1], options)))
        thread.start()
        thread.join()
        together = [words(first), words(queued["second"])]
    assert all(alone) and together == alone
    assert len(plans[0].clips) + len(plans[1].clips) > 2 * engine.workers
