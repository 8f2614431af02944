"""The benchmark's diarization error rate, right-voice and right-name shares."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from der import Turn, der, name_key, name_shares, right_voice_share  # noqa: E402

REFERENCE = [Turn("A", 0.0, 10.0), Turn("B", 10.0, 20.0)]


def test_a_perfect_hypothesis_with_other_labels_has_no_error():
    result = der(REFERENCE, [Turn("x", 0.0, 10.0), Turn("y", 10.0, 20.0)])
    assert result.der == 0.0
    assert result.mapping == {"x": "A", "y": "B"}
    assert right_voice_share(REFERENCE, [Turn("y", 0.0, 10.0), Turn("x", 10.0, 20.0)]) == 1.0


def test_confusion_is_scored_outside_the_collar():
    # Boundaries at 0, 10 and 20 s: 1 s of the 20 is not scored. x -> A, y -> B; 10.25-15 s
    # is B's speech said to be A's.
    result = der(REFERENCE, [Turn("x", 0.0, 15.0), Turn("y", 15.0, 20.0)])
    assert result.reference_s == pytest.approx(19.0)
    assert result.confusion_s == pytest.approx(4.75)
    assert result.der == pytest.approx(4.75 / 19)
    assert right_voice_share(REFERENCE, [Turn("x", 0.0, 15.0), Turn("y", 15.0, 20.0)]) == 0.75


def test_missed_speech_and_false_alarms_count():
    hypothesis = [Turn("x", 0.0, 8.0), Turn("y", 10.0, 20.0), Turn("y", 25.0, 26.0)]
    result = der(REFERENCE, hypothesis)
    assert result.missed_s == pytest.approx(1.75)     # 8 s to the collar at 9.75 s
    assert result.false_alarm_s == pytest.approx(1.0)  # speech said where nobody spoke
    assert result.confusion_s == 0.0
    assert der(REFERENCE, hypothesis, collar=0.0).missed_s == pytest.approx(2.0)


def test_overlapping_speech_counts_each_speaker():
    reference = [Turn("A", 0.0, 10.0), Turn("B", 5.0, 10.0)]
    result = der(reference, [Turn("x", 0.0, 10.0)], collar=0.0)
    assert result.reference_s == pytest.approx(15.0)
    assert result.missed_s == pytest.approx(5.0)
    assert result.der == pytest.approx(5 / 15)


def test_names_are_compared_without_titles_or_roles():
    assert name_key("Ambassador Ingrid Solberg (Norway), Chair") == "ingrid solberg"
    assert name_key("Mr. David Okafor (IPU)") == name_key("David Okafor")
    assert name_key("Speaker 3") == "" and name_key("") == ""


def test_name_shares_tell_right_wrong_and_unnamed_apart():
    reference = [Turn("Ms. Elena Marsh (Chair)", 0.0, 10.0), Turn("Mr. David Okafor (IPU)", 10.0, 20.0),
                 Turn("Delegate of Kenya", 20.0, 30.0)]
    hypothesis = [Turn("Elena Marsh", 0.0, 10.0), Turn("Tomas Lindqvist", 10.0, 20.0),
                  Turn("Speaker 3", 20.0, 30.0)]
    right, wrong = name_shares(reference, hypothesis)
    assert right == pytest.approx(1 / 3)
    assert wrong == pytest.approx(1 / 3)
