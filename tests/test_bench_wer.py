"""The benchmark's WER normaliser and proper-noun recall."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from wer import normalise, proper_noun_recall, wer  # noqa: E402


@pytest.mark.parametrize("left, right", [
    ("Twenty-five percent", "25%"),
    ("twenty five", "25"),
    ("one hundred and fifty two States", "152 states"),
    ("26.4 million", "twenty six point four million"),
    ("Dr. Kwame Mensah", "doctor kwame mensah"),
    ("Mr Okafor, organised labour", "mister okafor organized labor"),
    ("In 2023, 1,200 people", "in 2023 1200 people"),
    ("Bogotá", "bogota"),
    ("It won't", "it will not"),
    ("$5", "5 dollars"),
    ("$1.2 billion for 40 cities", "1.2 billion dollars for forty cities"),
    ("about $90 billion a year", "about ninety billion dollars a year"),
    ("€5 million", "five million euros"),
    ("£300.", "three hundred pounds"),
    ("It cost $5. Million people agree.", "it cost five dollars. million people agree"),
    ("the I.O.M. and the I-O-M", "the IOM and the IOM"),
    ("at 9 a.m., by e-mail", "at 9 AM by email"),
])
def test_spellings_of_the_same_words_agree(left, right):
    assert normalise(left) == normalise(right)


def test_different_numbers_stay_different():
    assert normalise("twenty five") != normalise("twenty six")
    assert normalise("2.3 million") == "2300000"
    assert normalise("point of order") == "point of order"
    assert normalise("the L.O.") != normalise("the ILO")
    assert normalise("A. B. Smith") == "a b smith"        # initials apart stay apart
    assert normalise("an X-ray") == "an x ray"


def test_wer_counts_real_errors_only():
    assert wer("Dr. Smith said twenty-five percent.", "doctor smith said 25%") == 0.0
    assert wer("the cat sat on the mat", "the cat sat on a mat") == pytest.approx(1 / 6)
    with pytest.raises(ValueError):
        wer("...", "anything")


def test_recall_counts_each_occurrence_of_the_reference():
    reference = "Kwame Mensah went to Bogota; Mensah, Mensah, Mensah."
    hypothesis = "We met Kwame Mensah in Bogotá. Mensah."
    result = proper_noun_recall(hypothesis, ["Kwame Mensah", "Bogota", "Mensah", "Dhaka"], reference)
    # Kwame Mensah 1/1, Bogota 1/1, Mensah 2/4 (the hypothesis says it twice); Dhaka not spoken.
    assert (result.found, result.expected) == (4, 6)
    assert result.missing == ("Mensah",)
    assert proper_noun_recall(hypothesis, ["Dhaka", "Bogota"]).recall == 0.5
