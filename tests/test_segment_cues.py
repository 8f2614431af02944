"""Segmentation cues on a synthetic committee dialogue: concluding words, endings, voices."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from pipeline.agenda import parse_agenda
from pipeline.formats.speakers import Speaker
from pipeline.formats.transcript import Sentence, Transcript
from pipeline.segment import SegmentOptions, build_sections
from pipeline.segment.evidence import overviews, sentence_cues
from pipeline.segment.voices import chair_voice, voices
from pipeline.text.phrases import is_procedural

CHAIR, HEAD, EXPERT, MEMBER, OTHER = "S1", "S2", "S3", "S4", "S5"
SPEAKERS = (Speaker("S1", "Ana Lopes", "Chair of the Committee"),
            Speaker("S2", "Jonas Berg", "Minister of Water, head of delegation"),
            Speaker("S3", "Leila Farah", "Director of the Water Agency"),
            Speaker("S4", "Omar Diallo", "Country Rapporteur"),
            Speaker("S5", "Sofia Rossi", "Member of the Committee"))


def statement(count: int, seed: int = 1) -> list[str]:
    """``count`` sentences of a delegation's report on water (a long statement)."""
    rng = random.Random(seed)
    places = ["the north", "the coastal provinces", "the capital", "rural districts", "the valleys"]
    works = ["new wells", "treatment plants", "pipelines", "reservoirs", "metered connections"]
    return [f"In {rng.choice(places)}, the ministry built {rng.randint(12, 480)} "
            f"{rng.choice(works)} for households in {rng.randint(2015, 2024)}, with the water "
            f"agency and the municipalities." for _ in range(count)]


def questions(count: int) -> list[str]:
    return [f"My question number {n + 1} concerns access for persons living in informal "
            f"settlements: what share of them pays a tariff, and who regulates the tariffs?"
            for n in range(count)]


def answers(count: int, seed: int = 2) -> list[str]:
    rng = random.Random(seed)
    return [f"Regarding settlements, the regulator set a social tariff of {rng.randint(2, 9)} "
            f"euros for {rng.randint(20, 90)} thousand families, and subsidies cover the rest."
            for _ in range(count)]


# (item, voice, pause before the turn, sentences): a dialogue with a State delegation.
TURNS = [
    ("opening", CHAIR, 1.0, ["Good morning.", "I call to order the meeting of the Committee.",
                             "This morning we consider the report of Arland on the right to water.",
                             "I welcome the delegation, led by Mr. Jonas Berg."]),
    ("statement", CHAIR, 1.5, ["Minister Berg, you have the floor."]),
    ("statement", HEAD, 1.0, ["Thank you, Madam Chair."] + statement(22)),
    ("statement", EXPERT, 1.0, ["Thank you, Minister."] + statement(20, seed=3)),
    ("statement", HEAD, 0.8, statement(8, seed=4) + ["We look forward to the dialogue."]),
    ("questions", CHAIR, 1.2, ["Thank you, Mr. Berg.",
                               "We now move to the questions of Committee members.",
                               "Mr. Omar Diallo, you have the floor."]),
    ("questions", MEMBER, 1.0, ["Thank you, Madam Chair."] + questions(6)),
    ("questions", CHAIR, 0.8, ["Thank you, Mr. Diallo.", "Ms. Sofia Rossi, please."]),
    ("questions", OTHER, 1.0, questions(5)),
    ("questions", CHAIR, 0.8, ["Thank you, Ms. Rossi."]),
    # no announcement: after a long silence the head of delegation simply answers
    ("replies", HEAD, 6.5, answers(12)),
    ("replies", EXPERT, 0.9, answers(10, seed=5)),
    ("replies", MEMBER, 0.9, ["A short follow-up on tariffs, if I may."]),
    ("replies", HEAD, 0.9, answers(6, seed=6)),
    ("replies", CHAIR, 0.9, ["Thank you, Mr. Berg, for these answers."]),
    # the closing item starts with the concluding words, and ends with the adjournment
    ("closing", CHAIR, 1.2, ["Before we adjourn, let me say a few words on how we will proceed.",
                             "The dialogue will continue tomorrow at ten o'clock.",
                             "The delegation may send written replies by Friday.",
                             "I now call on the Country Rapporteur for some observations."]),
    ("closing", MEMBER, 1.0, ["Thank you, Madam Chair.",
                              "The Committee welcomes the new water law.",
                              "We remain concerned about tariffs in informal settlements.",
                              "These points will be reflected in our concluding observations."]),
    ("closing", CHAIR, 1.0, ["Thank you.", "The dialogue will resume tomorrow morning.",
                             "The meeting is adjourned."]),
]

AGENDA = """\
title: Consideration of the report of Arland
recording_start: "10:00:00"
items:
  - id: opening
    start: "10:00:00"
    title: Opening of the meeting
    speakers: ["Ana Lopes, Chair of the Committee"]
  - id: statement
    start: "10:01:00"
    title: Introductory statement by the head of delegation
    speakers: ["Jonas Berg, head of delegation", "Leila Farah, Director of the Water Agency"]
  - id: questions
    start: "@questions@"
    title: Questions by Committee members
    speakers: ["Omar Diallo, Country Rapporteur", "Sofia Rossi, Member of the Committee"]
  - id: replies
    start: "@replies@"
    title: Replies of the delegation
  - id: closing
    start: "@closing@"
    title: Preliminary observations and closing of the meeting
    speakers: ["Ana Lopes, Chair of the Committee", "Omar Diallo, Country Rapporteur"]
"""


def build(turns=TURNS, with_voices: bool = True) -> tuple[Transcript, dict[str, float]]:
    """The transcript (0.32 s a word, 0.5 s between sentences) and each item's true start."""
    sentences, truth, clock = [], {}, 0.0
    for item, voice, pause, texts in turns:
        for n, text in enumerate(texts):
            start = clock + (pause if n == 0 else 0.5)
            end = start + 0.32 * len(text.split()) + 0.3
            sentences.append(Sentence(id=len(sentences), start=round(start, 2), end=round(end, 2),
                                      text=text, speaker=voice if with_voices else None))
            truth.setdefault(item, sentences[-1].start)
            clock = end
    return Transcript(language="en", sentences=tuple(sentences)), truth


def clock(seconds: float) -> str:
    seconds = round(seconds)
    return f"10:{seconds // 60:02d}:{seconds % 60:02d}"


def agenda(questions: float, replies: float, closing: float):
    text = (AGENDA.replace("@questions@", clock(questions)).replace("@replies@", clock(replies))
            .replace("@closing@", clock(closing)))
    return parse_agenda(text, source="agenda.yaml")


def found_starts(transcript, plan, speakers=SPEAKERS):
    sections = build_sections(transcript, plan, SegmentOptions(), transcript.sentences[-1].end + 1,
                              speakers=speakers)
    return {s.id: s.start for s in sections}, sections


def sentence_at(transcript, text: str) -> Sentence:
    return next(s for s in transcript.sentences if s.text.startswith(text))


def test_the_dialogue_is_long_enough_to_test_an_overrun():
    _, truth = build()
    assert truth["questions"] - truth["statement"] > 240      # scheduled for two minutes
    assert truth["closing"] - truth["replies"] > 120


@pytest.mark.parametrize("with_voices", [True, False])
def test_closing_starts_with_before_we_adjourn_not_the_adjournment(with_voices):
    # The closing item is scheduled 20 s before the adjournment, the last sentence.
    transcript, truth = build(with_voices=with_voices)
    adjourned = sentence_at(transcript, "The meeting is adjourned")
    plan = agenda(truth["questions"], truth["replies"], adjourned.start - 20)
    starts, sections = found_starts(transcript, plan, SPEAKERS if with_voices else ())
    assert starts["closing"] == sentence_at(transcript, "Before we adjourn").start
    assert any("concluding" in reason for reason in sections[-1].evidence)


def test_end_phrases_are_not_starts():
    cases = ["The meeting is adjourned.", "I now declare the meeting closed.",
             "That concludes our consideration of the report.",
             "This brings our discussion to a close."]
    for text in cases:
        sentences = [Sentence(0, 0.0, 3.0, "We heard many views today."),
                     Sentence(1, 6.0, 8.0, text),
                     Sentence(2, 8.5, 11.0, "The secretariat will circulate a note.")]
        cues = sentence_cues(sentences, SegmentOptions())
        assert cues[1].score < 0, (text, cues[1])
        assert any(r.startswith("ends, not a start") for r in cues[1].reasons)
    # A turn that opens with thanks and then ends an item is not a start either.
    sentences = [Sentence(0, 0.0, 3.0, "Our budget has grown.", speaker="S2"),
                 Sentence(1, 5.0, 6.0, "Thank you.", speaker="S1"),
                 Sentence(2, 6.5, 9.0, "That concludes our discussion of the budget.",
                          speaker="S1")]
    assert sentence_cues(sentences, SegmentOptions())[1].score < 0


def test_an_item_starts_after_its_predecessor_is_said_to_end():
    sentences = [Sentence(0, 0.0, 3.0, "Thank you for these answers."),
                 Sentence(1, 3.5, 7.0, "That concludes our consideration of the first report."),
                 Sentence(2, 9.0, 12.0, "The Committee has a second report before it."),
                 Sentence(3, 12.5, 15.0, "It was submitted in March.")]
    cues = sentence_cues(sentences, SegmentOptions())
    assert any(r.startswith("item ended before") for r in cues[2].reasons)
    assert cues[2].score > max(cues[0].score, cues[1].score, cues[3].score)


def test_the_chair_ending_an_item_and_going_on_opens_the_next_one():
    # "That's all we have time for" ends the questions; the same voice goes on with the
    # closing words, with no penalty for the turn going on.
    sentences = [Sentence(0, 0.0, 4.0, "Our cooperative lost half its boats.", speaker="S3"),
                 Sentence(1, 6.0, 7.0, "Thank you.", speaker="S1"),
                 Sentence(2, 7.5, 10.0, "I'm afraid that's all we have time for.", speaker="S1"),
                 Sentence(3, 10.6, 14.0, "Let me now share a few final words.", speaker="S1"),
                 Sentence(4, 14.5, 18.0, "Three proposals were made today.", speaker="S1")]
    found = voices(sentences, (), (), SegmentOptions().turn_gap_s)
    cues = sentence_cues(sentences, SegmentOptions(), found=found)
    assert any(r.startswith("ends, not a start") for r in cues[2].reasons)
    assert not any("middle of a turn" in r for r in cues[3].reasons)
    assert any(r.startswith("item ended before") for r in cues[3].reasons)
    assert cues[3].score > max(c.score for k, c in enumerate(cues) if k != 3)
    assert cues[4].score < cues[3].score


def test_a_turn_that_closes_the_meeting_opens_a_closing_item_only():
    # "That brings this hearing to a close" is no start of an item, but the closing item's
    # own words: its turn counts for the closing item as concluding words do.
    sentences = [Sentence(0, 0.0, 4.0, "Replacement staff lose about a year.", speaker="S3"),
                 Sentence(1, 6.0, 7.0, "Thank you.", speaker="S1"),
                 Sentence(2, 7.4, 10.0, "That brings this hearing to a close.", speaker="S1"),
                 Sentence(3, 10.5, 14.0, "I thank our witnesses for their evidence.",
                          speaker="S1")]
    found = voices(sentences, (), (), SegmentOptions().turn_gap_s)
    cues = sentence_cues(sentences, SegmentOptions(), found=found)
    assert cues[1].score < 0 and cues[1].closing > -cues[1].score
    assert any(r.startswith("ends, not a start") for r in cues[1].reasons)
    # An item's end ("That concludes our discussion") gives a closing item nothing.
    item = [replace(s, text="That concludes our discussion of the budget.") if s.id == 2 else s
            for s in sentences]
    assert sentence_cues(item, SegmentOptions(), found=found)[1].closing == 0.0


def test_concluding_words_open_the_closing_item():
    for text in ("Before we adjourn, let me say a few words.",
                 "To conclude our meeting, I would like to thank the interpreters.",
                 "As we come to the end of our session, let me sum up.",
                 "We are almost out of time, so let me pull the threads together.",
                 "Let me try to draw the threads together."):
        sentences = [Sentence(0, 0.0, 3.0, "We have heard all the delegations."),
                     Sentence(1, 4.0, 7.0, text),
                     Sentence(2, 7.5, 10.0, "The report will be adopted on Friday.")]
        cues = sentence_cues(sentences, SegmentOptions())
        assert any(r.startswith("concluding") for r in cues[1].reasons), text
        assert not any(r.startswith("closing before") for r in cues[2].reasons), text


@pytest.mark.parametrize("with_voices", [True, False])
def test_unannounced_item_and_an_overrun_of_three_minutes(with_voices):
    # The statement is scheduled for two minutes and runs more than five; every later item is
    # scheduled about three minutes early, and the replies start with no announcement.
    transcript, truth = build(with_voices=with_voices)
    plan = agenda(truth["questions"] - 170, truth["replies"] - 180, truth["closing"] - 190)
    starts, _ = found_starts(transcript, plan, SPEAKERS if with_voices else ())
    # Without voices, the questions may start at the chair's transition, a sentence after
    # the thanks that open the turn.
    assert starts == pytest.approx(truth, abs=0 if with_voices else 5), (starts, truth)


def test_unannounced_item_is_found_by_its_voices():
    # The replies are scheduled two and a half minutes early; the listed voices of the
    # questions stop and the delegation's start where the replies start.
    transcript, truth = build()
    plan = agenda(truth["questions"] - 60, truth["replies"] - 150, truth["closing"])
    starts, sections = found_starts(transcript, plan)
    assert starts["replies"] == truth["replies"]
    assert any("voices after it" in r or "voice" in r for r in sections[3].evidence)


def test_the_chair_is_the_voice_named_chair_or_the_one_between_the_others():
    transcript, _ = build()
    labels = tuple(s.speaker for s in transcript.sentences)
    assert chair_voice(labels, SPEAKERS) == CHAIR
    renamed = tuple(replace(s, role="Member") if s.label == CHAIR else s for s in SPEAKERS)
    assert chair_voice(labels, renamed) == CHAIR                  # most turns, between others
    assert chair_voice(labels, (replace(SPEAKERS[3], role="Moderator"),)) == MEMBER
    assert chair_voice((None, None)) is None


def test_listed_voices_come_from_speakers_json_names():
    transcript, truth = build()
    plan = agenda(truth["questions"], truth["replies"], truth["closing"])
    found = voices(list(transcript.sentences), plan.items, SPEAKERS)
    assert found.chair == CHAIR
    # The chair speaks in every item; a voice an earlier item lists is not new to the closing.
    assert found.listed == (frozenset(), frozenset({HEAD, EXPERT}), frozenset({MEMBER, OTHER}),
                            frozenset(), frozenset())
    assert found.own == (frozenset(), frozenset({HEAD, EXPERT}), frozenset({MEMBER, OTHER}),
                         frozenset(), frozenset({MEMBER}))


def test_an_item_rarely_starts_in_the_middle_of_a_turn():
    sentences = [Sentence(0, 0.0, 3.0, "Our budget has grown.", speaker="S2"),
                 Sentence(1, 3.4, 6.0, "It reached four billion.", speaker="S2"),
                 Sentence(2, 7.0, 9.0, "Thank you, Minister.", speaker="S1")]
    found = voices(sentences, (), SPEAKERS)
    cues = sentence_cues(sentences, SegmentOptions(), found=found)
    assert cues[1].score < 0 and "in the middle of a turn" in cues[1].reasons
    assert cues[2].score > 0 and "the chair's turn opens" in cues[2].reasons
    assert sentence_cues(sentences, SegmentOptions())[1].score == 0      # no voices, no cue


@pytest.mark.parametrize("seed", range(4))
def test_schedule_off_by_minutes_either_way(seed):
    # Each item scheduled 30-150 s off its true start, earlier or later, in order.
    transcript, truth = build()
    rng = random.Random(seed)
    times, previous = {}, -1.0
    for item in ("opening", "statement", "questions", "replies", "closing"):
        while True:
            start = max(0.0, truth[item] + rng.choice((-1, 1)) * rng.uniform(30, 150))
            if start > previous:
                break
        times[item], previous = start, start
    plan = agenda(times["questions"], times["replies"], times["closing"])
    items = tuple(replace(i, start=times[i.id]) for i in plan.items)
    starts, _ = found_starts(transcript, replace(plan, items=items))
    errors = {k: abs(starts[k] - truth[k]) for k in truth}
    assert max(errors.values()) <= 15, (errors, times, truth)


# A briefing: the chair's opening previews the programme in the future tense ("the controller
# will first present the liquidity ..."); the controller's item starts when the floor is given
# (his name misrecognised) and he answers; the closing starts with "and closing, allow me to
# recall the main points" ("In closing" misheard) and ends with "This briefing is now closed."
CONTROLLER, DIRECTOR, DELEGATE = "S2", "S3", "S4"
BRIEFING_SPEAKERS = (Speaker("S1", "Lucia Ferrante", "Chair of the Fifth Committee"),
                     Speaker("S2", "Ibrahim Sesay", "Controller"),
                     Speaker("S3", "David Chen", "Director of the Budget Division"),
                     Speaker("S4", "Anna Kowalczyk", "Representative of Poland"))


def cash(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [f"In {rng.choice(['January', 'March', 'June', 'August'])}, member states paid "
            f"{rng.randint(100, 900)} million dollars of their assessments, and cash stood at "
            f"{rng.randint(2, 9)} hundred million." for _ in range(count)]


def measures(count: int, seed: int = 8) -> list[str]:
    rng = random.Random(seed)
    return [f"The Secretariat delayed {rng.randint(20, 300)} recruitments and reduced travel "
            f"by {rng.randint(10, 40)} percent to preserve cash." for _ in range(count)]


OPENING = [
    "Good morning, distinguished delegates.",
    ("I am Lucia Ferrante, Chair of the Fifth Committee, and I welcome you to this informal "
     "briefing on the financial situation of the organization."),
    ("As in previous years, the controller will first present the liquidity of the regular "
     "budget."),
    ("The director of the budget division will then explain the measures taken to manage "
     "the cash shortfall."),
    "We will close with questions from member states.",
    "The briefing is informal, and no summary records will be issued.",
    "The slides will be sent to all permanent missions this afternoon."]
BRIEFING = [
    # the chair reads her opening slowly: each sentence after a pause of a turn's length
    *(("opening", CHAIR, 4.5, [text]) for text in OPENING),
    ("liquidity", CHAIR, 5.0, ["I give the floor to the controller, Mr. Abraham Sesse."]),
    ("liquidity", CONTROLLER, 4.0, ["Thank you, Madam Chair."] + cash(14)),
    ("measures", CHAIR, 5.0, ["Thank you, Mr. Sesse.",
                              "I now give the floor to the director, Mr. David Chen."]),
    # "will then" in the middle of an item: a plan, said by a speaker, not a preview
    ("measures", DIRECTOR, 4.0, ["Thank you, Madam Chair."] + measures(6) + [
        "The Secretariat will then review the hiring freeze in March."] + measures(6, seed=9)),
    ("questions", CHAIR, 5.0, ["Thank you.", "The floor is now open for questions."]),
    ("questions", DELEGATE, 3.0, questions(5)),
    ("questions", CONTROLLER, 3.0, answers(6)),
    ("closing", CHAIR, 5.0, ["Thank you, Mr. Sesse.",
                             "And closing, allow me to recall the main points.",
                             "Unpaid assessments stand at one billion dollars.",
                             "The Secretariat saved about one hundred and forty million dollars.",
                             "I thank the controller, the director and all delegations.",
                             "This briefing is now closed."]),
]

BRIEFING_AGENDA = """\
title: Informal briefing on the financial situation
recording_start: "10:00:00"
items:
  - id: opening
    start: "10:00:00"
    title: Opening by the Chair
    speakers: ["Lucia Ferrante, Chair of the Fifth Committee"]
  - id: liquidity
    start: "@liquidity@"
    title: The liquidity situation of the regular budget
    speakers: ["Ibrahim Sesay, Controller"]
  - id: measures
    start: "@measures@"
    title: Measures to manage the cash shortfall
    speakers: ["David Chen, Director of the Budget Division"]
  - id: questions
    start: "@questions@"
    title: Questions from Member States
  - id: closing
    start: "@closing@"
    title: Closing of the briefing
    speakers: ["Lucia Ferrante, Chair of the Fifth Committee"]
"""


def briefing_agenda(times: dict[str, float]):
    text = BRIEFING_AGENDA
    for item in ("liquidity", "measures", "questions", "closing"):
        text = text.replace(f"@{item}@", clock(times[item]))
    return parse_agenda(text, source="agenda.yaml")


@pytest.mark.parametrize("with_voices", [True, False])
def test_a_preview_of_the_programme_is_not_the_start_of_an_item(with_voices):
    transcript, truth = build(BRIEFING, with_voices=with_voices)
    plan = briefing_agenda({**truth, "liquidity": truth["liquidity"] - 30})
    starts, sections = found_starts(transcript, plan, BRIEFING_SPEAKERS if with_voices else ())
    assert starts["liquidity"] == truth["liquidity"], sections[1].evidence
    assert any("turn-taking" in reason for reason in sections[1].evidence)


@pytest.mark.parametrize("with_voices", [True, False])
def test_in_closing_allow_me_to_recall_opens_the_closing_and_is_now_closed_ends_it(with_voices):
    # The closing is scheduled a minute late, 20 s before the last sentence.
    transcript, truth = build(BRIEFING, with_voices=with_voices)
    end = sentence_at(transcript, "This briefing is now closed")
    plan = briefing_agenda({**truth, "closing": end.start - 20})
    starts, sections = found_starts(transcript, plan, BRIEFING_SPEAKERS if with_voices else ())
    assert truth["closing"] <= starts["closing"] <= sentence_at(
        transcript, "And closing, allow me").start, sections[-1].evidence
    assert any(r.startswith("concluding") for r in sections[-1].evidence)


def test_future_words_in_the_middle_of_an_item_do_not_mislead():
    # "will then" said by the director inside his item, and "will first" said while the floor
    # is given or the chair moves on now: no preview; every item is found where it starts.
    transcript, truth = build(BRIEFING)
    plan = briefing_agenda({k: v + 40 for k, v in truth.items()})
    starts, _ = found_starts(transcript, plan, BRIEFING_SPEAKERS)
    assert max(abs(starts[k] - truth[k]) for k in truth) <= 5, (starts, truth)
    for text in ("I give the floor to the controller, who will first present the figures.",
                 "Let us now turn to the measures; the director will then take questions."):
        sentences = [Sentence(0, 0.0, 3.0, "We heard the figures."),
                     Sentence(1, 5.0, 9.0, text),
                     Sentence(2, 9.5, 12.0, "Thank you, Madam Chair.")]
        plan_items = briefing_agenda(truth).items
        assert overviews(sentences, plan_items) == [False, False, False], text
        assert sentence_cues(sentences, SegmentOptions())[1].score > 1.0, text
    previews = [Sentence(0, 0.0, 3.0, "The controller will first present the figures."),
                Sentence(1, 4.0, 6.0, "We will close with questions from member states."),
                Sentence(2, 7.0, 9.0, "Later we will hear from the director.")]
    assert overviews(previews, briefing_agenda(truth).items) == [True, True, True]


def test_a_meeting_said_to_be_closed_is_an_end_not_a_start():
    for text in ("This briefing is now closed.", "The hearing is closed.",
                 "I declare the seminar closed.", "This roundtable stands adjourned."):
        sentences = [Sentence(0, 0.0, 3.0, "We heard many views today."),
                     Sentence(1, 6.0, 8.0, text),
                     Sentence(2, 8.5, 11.0, "The secretariat will circulate a note.")]
        cues = sentence_cues(sentences, SegmentOptions())
        assert any(r.startswith("ends, not a start") for r in cues[1].reasons), text
    sentences = [Sentence(0, 0.0, 3.0, "We heard many views today."),
                 Sentence(1, 6.0, 8.0, "The meeting is closed to the press.")]
    reasons = sentence_cues(sentences, SegmentOptions())[1].reasons
    assert not any(r.startswith("ends") for r in reasons)


def test_concluding_words_that_sum_up_open_the_closing_item_and_others_do_not():
    for text in ("And closing, allow me to recall the main points.",
                 "In closing, let me say a word of thanks.",
                 "Allow me to sum up the main points of our discussion.",
                 "To sum up, three messages stand out."):
        sentences = [Sentence(0, 0.0, 3.0, "We have heard all the delegations."),
                     Sentence(1, 4.0, 7.0, text),
                     Sentence(2, 7.5, 10.0, "The report will be adopted on Friday.")]
        cues = sentence_cues(sentences, SegmentOptions())
        assert any(r.startswith("concluding") for r in cues[1].reasons), text
        assert cues[1].closing > 0, text
    # Said later in a sentence, or followed by a plain statement, a speaker is finishing;
    # recalling a fact is not summing up.
    for text in ("In closing, the report will be published next week.",
                 "We believe, in closing, that reform is needed.",
                 "Allow me to recall that this committee monitors the convention."):
        sentences = [Sentence(0, 0.0, 3.0, "We have heard all the delegations."),
                     Sentence(1, 4.0, 7.0, text)]
        cues = sentence_cues(sentences, SegmentOptions())
        assert not any(r.startswith("concluding") for r in cues[1].reasons), text


@pytest.mark.parametrize("with_voices", [True, False])
def test_the_chair_welcoming_the_meeting_opens_only_the_first_item(with_voices):
    # The controller's item is scheduled a minute early, near "I ... welcome you to this
    # informal briefing": a welcome opens the meeting, not the item after it.
    transcript, truth = build(BRIEFING, with_voices=with_voices)
    plan = briefing_agenda({**truth, "liquidity": truth["liquidity"] - 60})
    starts, sections = found_starts(transcript, plan, BRIEFING_SPEAKERS if with_voices else ())
    assert starts["opening"] == truth["opening"]
    assert starts["liquidity"] == truth["liquidity"], sections[1].evidence


def test_greetings_count_for_an_opening_item_and_moving_on_for_any():
    sentences = [Sentence(0, 0.0, 3.0, "We heard many views."),
                 Sentence(1, 6.0, 9.0, "Good afternoon, and welcome to this hearing."),
                 Sentence(2, 12.0, 15.0, "Good afternoon, let us now move to item four.")]
    cues = sentence_cues(sentences, SegmentOptions())
    assert cues[1].opening > 1.0 and any(r.startswith("opening") for r in cues[1].reasons)
    assert cues[2].opening == 0 and any(r.startswith("transition") for r in cues[2].reasons)
    assert cues[2].score > cues[1].score + 1.0         # the same pause; the greeting left out


PANEL_TURNS = [
    ("opening", CHAIR, 1.0, ["Good afternoon, and welcome to this panel on water.",
                             "Water is scarce in many of our cities, and it is costly.",
                             "Three experts will present, and then we will discuss.",
                             "Each of them has ten minutes, and I will keep time."]),
    ("presentations", CHAIR, 1.5, ["Let me turn first to Minister Berg."]),
    ("presentations", HEAD, 1.0, statement(14)),
    ("presentations", CHAIR, 1.0, ["Thank you. Ms. Farah, the floor is yours."]),
    ("presentations", EXPERT, 1.0, statement(14, seed=3)),
    ("presentations", CHAIR, 1.0, ["Thank you. Mr. Diallo, please go ahead."]),
    ("presentations", MEMBER, 1.0, statement(14, seed=4)),
    # no announcement: after a long silence a panellist comes in on another's presentation
    ("discussion", EXPERT, 6.0, answers(8)),
    ("discussion", HEAD, 0.9, answers(8, seed=5)),
    ("discussion", CHAIR, 0.9, ["And what does it cost the households?"]),
    ("discussion", MEMBER, 0.9, answers(8, seed=6)),
    ("closing", CHAIR, 1.5, ["We are almost out of time, so let me pull the threads together.",
                             "Tariffs and informal settlements came up again and again.",
                             "That concludes our session."]),
]

PANEL_AGENDA = """\
title: Water for all
recording_start: "10:00:00"
items:
  - id: opening
    start: "10:00:00"
    title: Opening
    speakers: ["Ana Lopes, Moderator"]
  - id: presentations
    start: "10:01:00"
    title: Presentations by the panellists
    speakers: ["Jonas Berg, Minister", "Leila Farah, Director", "Omar Diallo, Rapporteur"]
  - id: discussion
    start: "@discussion@"
    title: Moderated discussion among the panellists
    speakers: ["Ana Lopes, Moderator", "Leila Farah, Director", "Jonas Berg, Minister",
               "Omar Diallo, Rapporteur"]
  - id: closing
    start: "@closing@"
    title: Conclusions
    speakers: ["Ana Lopes, Moderator"]
"""


@pytest.mark.parametrize("early_s", [60, 150, 240])
def test_an_unannounced_discussion_waits_for_every_presenter(early_s):
    # The presentations overrun; the discussion, scheduled minutes early, lists the same
    # panellists and starts with no announcement: not before the last presenter has spoken,
    # and not where the presenters' voices stop (that is the closing).
    transcript, truth = build(PANEL_TURNS)
    assert truth["discussion"] - truth["presentations"] > 240
    plan = parse_agenda(PANEL_AGENDA.replace("@discussion@", clock(truth["discussion"] - early_s))
                        .replace("@closing@", clock(truth["closing"])), source="agenda.yaml")
    starts, _ = found_starts(transcript, plan)
    assert starts == pytest.approx(truth)


def test_the_silence_before_the_first_words_is_a_pause_that_opens_the_meeting():
    sentences = [Sentence(0, 40.0, 42.0, "Good afternoon, everyone."),
                 Sentence(1, 42.4, 45.0, "We have four guests today."),
                 Sentence(2, 45.4, 48.0, "Each will speak briefly.")]
    cues = sentence_cues(sentences, SegmentOptions())
    assert any(r.startswith("pause 40.0 s") for r in cues[0].reasons)
    at_start = [replace(s, start=s.start - 40.0, end=s.end - 40.0) for s in sentences]
    assert not any(r.startswith("pause") for r in sentence_cues(at_start, SegmentOptions())[0].reasons)


def test_let_us_start_with_moves_to_an_item_and_we_will_start_with_previews_it():
    sentences = [Sentence(0, 0.0, 2.0, "Thank you all."),
                 Sentence(1, 2.4, 5.0, "Let us start with drought, and how water is shared."),
                 Sentence(2, 5.4, 8.0, "We will start with drought and then move to money.")]
    cues = sentence_cues(sentences, SegmentOptions())
    assert any(r.startswith("transition") for r in cues[1].reasons)
    assert not any(r.startswith("transition") for r in cues[2].reasons)


def said_between(text: str):
    """The cues of ``text`` said between two plain sentences."""
    sentences = [Sentence(0, 0.0, 3.0, "The minutes are approved."),
                 Sentence(1, 4.0, 7.0, text),
                 Sentence(2, 7.5, 10.0, "The clerk has the details.")]
    return sentence_cues(sentences, SegmentOptions())[1]


def test_what_comes_next_said_as_a_council_chair_says_it():
    for text, kind in (("First up tonight is the consent agenda, Madam Clerk.", "transition"),
                       ("That takes us to public comment.", "transition"),
                       ("Which brings us to the main business of the evening.", "transition"),
                       ("Next up is the treasurer's report.", "transition"),
                       ("Before I ask for a motion to adjourn, two quick reminders.", "concluding"),
                       ("That brings us to the end of our meeting.", None)):
        reasons = said_between(text).reasons
        if kind:
            assert any(r.startswith(kind) for r in reasons), text
        else:
            assert not any(r.startswith(("transition", "concluding")) for r in reasons), text


def test_concluding_words_that_also_move_on_start_any_item():
    for text in ("We have reached the end of our time for the presentations, so let us now "
                 "open the floor.",
                 "Before we close, let us turn to the last item, any other business.",
                 "We are almost out of time, so let us move on to the next item."):
        said = said_between(text)
        assert said.score > 1.0 and said.closing > 0, text      # a start of any item


def test_phrases_that_are_content_inside_a_speech_are_not_moves():
    for text in ("Which brings us to a total deficit of 3.2 million euros this year.",
                 "That takes us to 2030 before the new reservoir is full.",
                 "The three contracts next up for renewal are the buses.",
                 "The first up-front payment is due in May.",
                 "Before I entertain a motion to close the public hearing, is there anyone else?",
                 "Before I call for a motion to adjourn into closed session, one more item."):
        reasons = said_between(text).reasons
        assert not any(r.startswith(("transition", "concluding")) for r in reasons), text
        if "motion" not in text:                    # content a summary keeps
            assert not is_procedural(text), text
