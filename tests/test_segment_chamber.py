"""Segmentation of a chamber sitting: a debate that a member no one names opens, a minister
called "to close the debate", and a vote whose bill title the Clerk reads after it."""

from __future__ import annotations

import random

import pytest

from pipeline.agenda import parse_agenda
from pipeline.formats.speakers import Speaker
from pipeline.formats.transcript import Sentence, Transcript
from pipeline.segment import SegmentOptions, build_sections
from pipeline.segment.evidence import item_cues, sentence_cues
from pipeline.segment.voices import voices

SPEAKER, CLERK, MINISTER, SHADOW, EAST, NORTH = "S1", "S2", "S3", "S4", "S5", "S6"

# The speaker stage named every voice but the Shadow Minister's (no one gave her the floor)
# and the Clerk's (whom the agenda does not list).
NAMED = (Speaker(SPEAKER, "Ruth Amsel", "Speaker of the House"),
         Speaker(CLERK, None, None),
         Speaker(MINISTER, "Tane Horowitz", "Minister for Water"),
         Speaker(SHADOW, None, None),
         Speaker(EAST, "Idris Kamara", "Member for Eastvale"),
         Speaker(NORTH, "Greta Lindqvist", "Member for Northmoor"))


def speech(count: int, seed: int) -> list[str]:
    """``count`` sentences of a speech on a water bill."""
    rng = random.Random(seed)
    places = ["Eastvale", "Northmoor", "the river towns", "the farms upstream", "the capital"]
    things = ["household meters", "leaking mains", "treatment works", "storm drains", "wells"]
    return [f"In {rng.choice(places)}, {rng.randint(12, 480)} {rng.choice(things)} will need "
            f"work by {rng.randint(2026, 2032)}, and the councils must pay for a share of it."
            for _ in range(count)]


TURNS = [
    ("opening", SPEAKER, 1.0, ["Order, order.", "Good afternoon, the House is sitting.",
                               "I have two announcements about the order paper today."]),
    ("reading", CLERK, 3.5, ["Orders of the day, the Water Services Bill, second reading."]),
    ("reading", SPEAKER, 1.0, ["I call the Minister for Water."]),
    ("reading", MINISTER, 1.0, ["Madam Speaker, I move that the bill be now read a second "
                                "time."] + speech(24, 1) + ["I commend the bill to the House."]),
    # the debate: after a long silence the Shadow Minister simply rises; no one names her
    ("debate", SHADOW, 7.0, ["Madam Speaker, the opposition supports safe water for all."]
     + speech(14, 2) + ["For that reason, I move the amendment standing in my name, that the "
                        "House declines to give the bill a second reading."]),
    ("debate", SPEAKER, 0.8, ["The question is that the amendment be agreed to.",
                              "I call the honourable member for Eastvale."]),
    ("debate", EAST, 1.0, ["Thank you, Madam Speaker."] + speech(12, 3)),
    ("debate", SPEAKER, 0.8, ["I call the member for Northmoor, Ms. Greta Lindqvist."]),
    ("debate", NORTH, 1.0, ["Thank you, Madam Speaker."] + speech(12, 4)),
    ("debate", SPEAKER, 0.8, ["The Minister for Water to close the debate."]),
    ("debate", MINISTER, 0.8, ["Thank you, Madam Speaker."] + speech(8, 5)
     + ["I ask the House to reject the amendment."]),
    # the vote: the Speaker puts the question; the Clerk reads the title after it
    ("vote", SPEAKER, 2.9, ["Order, the question is that the amendment be agreed to.",
                            "As many as are of that opinion say aye.", "Of the contrary, no.",
                            "Division, clear the lobbies."]),
    ("vote", SPEAKER, 5.0, ["Order, order.", "The ayes to the right, 51.",
                            "The noes to the left, 70.", "So the noes have it.",
                            "The question now is that the bill be now read a second time.",
                            "As many as are of that opinion say aye.", "The ayes have it."]),
    ("vote", CLERK, 1.5, ["Water Services Bill, read a second time and committed to the "
                          "committee on infrastructure."]),
    ("adjournment", SPEAKER, 3.5, ["That concludes the business for today.",
                                   "I call the Minister on behalf of the Leader of the House."]),
    ("adjournment", MINISTER, 1.0, ["Madam Speaker, I move that the House do now adjourn."]),
    ("adjournment", SPEAKER, 1.0, ["The House stands adjourned."]),
]

AGENDA = """\
title: Sitting of the House
recording_start: "14:00:00"
items:
  - id: opening
    start: "14:00:00"
    title: Opening of the sitting and announcements
    speakers: ["Ruth Amsel, Speaker of the House"]
  - id: reading
    start: "14:01:00"
    title: "Water Services Bill: second reading, moved by the Minister for Water"
    speakers: ["Tane Horowitz, Minister for Water"]
  - id: debate
    start: "@debate@"
    title: "Water Services Bill: debate on the second reading"
    speakers: ["Nora Castellan, Shadow Minister for Water", "Idris Kamara, Member for Eastvale",
               "Greta Lindqvist, Member for Northmoor", "Tane Horowitz, Minister for Water"]
  - id: vote
    start: "@vote@"
    title: "Water Services Bill: question on the amendment and on the second reading (division)"
  - id: adjournment
    start: "@adjournment@"
    title: Adjournment of the House
"""


def build() -> tuple[Transcript, dict[str, float]]:
    """The transcript (0.32 s a word, 0.5 s between sentences) and each item's true start."""
    sentences, truth, clock = [], {}, 0.0
    for item, voice, pause, texts in TURNS:
        for n, text in enumerate(texts):
            start = clock + (pause if n == 0 else 0.5)
            end = start + 0.32 * len(text.split()) + 0.3
            sentences.append(Sentence(id=len(sentences), start=round(start, 2),
                                      end=round(end, 2), text=text, speaker=voice))
            truth.setdefault(item, sentences[-1].start)
            clock = end
    return Transcript(language="en", sentences=tuple(sentences)), truth


def plan(debate: float, vote: float, adjournment: float):
    def clock(seconds: float) -> str:
        seconds = round(seconds)
        return f"14:{seconds // 60:02d}:{seconds % 60:02d}"
    text = (AGENDA.replace("@debate@", clock(debate)).replace("@vote@", clock(vote))
            .replace("@adjournment@", clock(adjournment)))
    return parse_agenda(text, source="agenda.yaml")


def found_starts(transcript, agenda) -> dict[str, float]:
    sections = build_sections(transcript, agenda, SegmentOptions(),
                              transcript.sentences[-1].end + 1, speakers=NAMED)
    return {s.id: s.start for s in sections}


@pytest.mark.parametrize("offset", [-40.0, 0.0, 40.0])
def test_a_debate_opened_by_a_member_no_one_named_starts_with_her(offset):
    transcript, truth = build()
    starts = found_starts(transcript, plan(truth["debate"] + offset, truth["vote"] + offset,
                                           truth["adjournment"]))
    assert starts["debate"] == truth["debate"]


@pytest.mark.parametrize("offset", [-40.0, 0.0, 40.0])
def test_the_vote_starts_where_the_question_is_put(offset):
    # Not at "The Minister for Water to close the debate" (the debate's last speech), and not
    # where the Clerk reads the bill's title after the vote.
    transcript, truth = build()
    starts = found_starts(transcript, plan(truth["debate"], truth["vote"] + offset,
                                           truth["adjournment"]))
    assert starts["vote"] == truth["vote"]


def test_concluding_words_count_for_a_closing_item_only():
    sentences = [Sentence(0, 0.0, 3.0, "I ask the House to support the bill.", "S3"),
                 Sentence(1, 4.0, 6.0, "The Minister for Water to close the debate.", "S1"),
                 Sentence(2, 6.5, 9.0, "Thank you, Madam Speaker.", "S3")]
    said = sentence_cues(sentences, SegmentOptions())[1]
    plain = sentence_cues([*sentences[:1], Sentence(1, 4.0, 6.0, "Thank you.", "S1"),
                           sentences[2]], SegmentOptions())[1]
    assert any(r.startswith("concluding") for r in said.reasons)
    assert said.score == pytest.approx(plain.score)     # no start of an item that goes on
    assert said.closing > SegmentOptions().concluding_weight


def test_an_item_lists_someone_no_voice_is_named_for():
    transcript, _ = build()
    found = voices(list(transcript.sentences), plan(200, 400, 600).items, NAMED)
    debate = [item.id for item in plan(200, 400, 600).items].index("debate")
    # the Shadow Minister has no named voice: the nameless voices may be hers
    assert found.unclaimed[debate] == {CLERK, SHADOW}
    assert all(not voices_ for k, voices_ in enumerate(found.unclaimed) if k != debate)


def test_title_words_the_previous_item_shares_tell_nothing():
    # Three items on one bill: its name starts none of them; the words of its own do.
    items = plan(200, 400, 600).items
    vote = [item.id for item in items].index("vote")
    sentences = [Sentence(0, 0.0, 4.0, "Water Services Bill, read a second time."),
                 Sentence(1, 5.0, 7.0, "Thank you."),
                 Sentence(2, 8.0, 12.0, "The question on the amendment: division."),
                 Sentence(3, 13.0, 15.0, "Thank you.")]
    cues = item_cues(sentences, items, SegmentOptions())[vote]
    assert not any(r.startswith("title words") for r in cues[0].reasons)
    assert any(r.startswith("title words") for r in cues[2].reasons)
