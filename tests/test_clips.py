"""Speech clips: parts grouped into one encoder pass each, long pauses shortened."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.transcribe.clips import group_clips

PARTS = [{"start": 1.0, "end": 5.0}, {"start": 6.0, "end": 9.0}, {"start": 15.0, "end": 20.0},
         {"start": 21.0, "end": 40.0}]


def test_without_shortening_a_long_pause_starts_a_new_clip():
    clips = group_clips(PARTS, max_s=28.0, max_gap_s=3.0)
    assert [[p["start"] for p in c.parts] for c in clips] == [[1.0, 6.0], [15.0, 21.0]]
    first = clips[0]
    assert (first.start, first.end, first.length) == (1.0, 9.0, 8.0)
    assert first.to_window(2.5) == 3.5          # one piece: a plain shift


def test_long_pauses_are_shortened_and_times_map_back():
    clips = group_clips(PARTS, max_s=28.0, max_gap_s=3.0, keep_gap_s=1.0)
    assert [[p["start"] for p in c.parts] for c in clips] == [[1.0, 6.0, 15.0], [21.0]]
    clip = clips[0]
    # 1-9 s whole (its pause is 1 s), then 1 s of the 6 s pause, then 15-20 s
    assert [(p.start, p.end, p.at) for p in clip.pieces] == [(1.0, 10.0, 0.0), (15.0, 20.0, 9.0)]
    assert clip.length == 14.0
    assert clip.to_window(0.0) == 1.0 and clip.to_window(8.0) == 9.0
    assert clip.to_window(9.5) == 15.5 and clip.to_window(14.0) == 20.0
    assert clip.to_window(99.0) == 20.0         # past the end stays at the end


def test_a_word_stretched_over_a_shortened_pause_stays_on_one_side_of_it():
    clip = group_clips(PARTS, max_s=28.0, max_gap_s=3.0, keep_gap_s=1.0)[0]
    # pieces: window 1-10 s at clip 0-9 s, window 15-20 s at clip 9-14 s
    assert clip.span_to_window(2.0, 3.0) == (3.0, 4.0)          # inside one piece
    assert clip.span_to_window(8.5, 9.2) == (9.5, 10.0)         # mostly before the joint
    assert clip.span_to_window(8.9, 10.0) == (15.0, 16.0)       # mostly after it
    start, end = clip.span_to_window(8.0, 13.0)
    assert end - start <= 5.0                                    # never over the 5 s cut out


def test_a_clip_is_its_pieces_of_the_window_end_to_end():
    rate = 10
    window = np.arange(400, dtype=np.float32)   # sample k holds k
    clip = group_clips(PARTS, max_s=28.0, max_gap_s=3.0, keep_gap_s=1.0)[0]
    audio = clip.samples(window, rate)
    assert len(audio) == clip.length * rate
    assert audio[0] == 10 and audio[89] == 99 and audio[90] == 150 and audio[-1] == 199


@pytest.mark.parametrize("keep", [None, 0.5, 2.0])
def test_no_clip_is_longer_than_allowed_and_every_part_is_in_one(keep):
    parts = [{"start": 3.0 * k, "end": 3.0 * k + 2.0} for k in range(40)]
    clips = group_clips(parts, max_s=28.0, max_gap_s=3.0, keep_gap_s=keep)
    assert all(c.length <= 28.0 for c in clips)
    assert [p for c in clips for p in c.parts] == parts
