"""Segmentation: item starts found from the schedule and what is said; pinned starts exact."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest
from helpers.sessions import put_transcript, transcribe

from pipeline.agenda import parse_agenda
from pipeline.errors import AgendaError, SessionError
from pipeline.formats.transcript import Sentence, Transcript
from pipeline.segment import SegmentOptions, segment_session
from pipeline.segment.evidence import overviews, sentence_cues
from pipeline.segment.stage import build_sections
from pipeline.session import Session

# (item, pause before in seconds, text): a small panel whose turns run late on the schedule.
TURNS = [
    ("welcome", 0.5, "Good afternoon and welcome to this panel on migration governance."),
    ("welcome", 0.6, "I am Elena Marsh and I will chair our discussion today."),
    ("welcome", 0.6, "Parliaments have a central role in protecting the rights of migrant workers."),
    ("welcome", 0.5, "The meeting is held in English with interpretation into French and Spanish."),
    ("welcome", 0.6, "We have a full programme, so let me be brief."),
    ("welcome", 0.5, "I thank the Inter-Parliamentary Union for hosting us."),
    ("talks", 2.5, "Let us now move to the presentations by our panellists."),
    ("talks", 0.6, "I give the floor to Mr. David Okafor of the IPU."),
    ("talks", 2.0, "Thank you, Madam Chair."),
    ("talks", 0.5, "Our survey covered 112 national parliaments in 2023."),
    ("talks", 0.6, "In 60% of them a committee examines migration bills."),
    ("talks", 0.5, "Few parliaments review the budget for migrant workers' protection."),
    ("talks", 0.6, "The survey shows that oversight of labour migration remains weak."),
    ("talks", 0.5, "Parliaments can ratify the Convention and align national law with it."),
    ("talks", 0.6, "To conclude, the survey calls for stronger parliamentary oversight."),
    ("questions", 2.6, "We will now open the floor for questions from participants."),
    ("questions", 0.6, "Please raise your hand if you wish to ask a question."),
    ("questions", 1.5, "I have a question about seasonal workers in agriculture."),
    ("questions", 0.5, "How can parliaments protect seasonal workers from abusive recruiters?"),
    ("questions", 1.4, "That is an important question about recruitment fees and agencies."),
    ("questions", 0.6, "Recruitment fees should never be charged to the workers themselves."),
    ("questions", 0.5, "Another question concerns the children of migrant workers and schooling."),
    ("questions", 0.6, "Access to school for children is guaranteed by the Convention."),
    ("closing", 2.7, "We are running out of time, so let me move to my closing remarks."),
    ("closing", 0.6, "In closing, I thank all our panellists and participants."),
    ("closing", 0.5, "The report of this meeting will be shared with all parliaments."),
    ("closing", 0.6, "This meeting is now closed."),
]

AGENDA = """\
title: Migration governance
date: "2024-05-14"
recording_start: "10:00:00"
items:
  - id: welcome
    start: "10:00:00"
    title: {en: Welcome remarks, fr: Allocutions de bienvenue, es: Palabras de bienvenida}
    description: The Chair opens the panel.
    speakers: [Ms. Elena Marsh (Chair)]
  - id: talks
    start: "10:00:@talks@"
    title: {en: Presentations, fr: Présentations}
    description: The IPU survey of national parliaments and their oversight of migration.
    speakers: [Mr. David Okafor (IPU)]
  - id: questions
    start: "10:00:@questions@"
    title: Questions from the floor
    description: Participants ask about seasonal workers, recruitment fees and schooling.
  - id: closing
    start: "10:01:@closing@"
    title: {en: Closing remarks, es: Clausura}
    description: The Chair thanks the panel and closes the meeting.
"""


def build_transcript(turns=TURNS, language="en", mark=""):
    sentences, clock = [], 0.0
    for index, (_, pause, text) in enumerate(turns):
        start = clock + pause
        end = start + 0.32 * len(text.split()) + 0.3
        sentences.append(Sentence(id=index, start=round(start, 2), end=round(end, 2),
                                  text=mark + text))
        clock = end
    return Transcript(language=language, sentences=tuple(sentences))


def true_starts(transcript, turns=TURNS):
    starts = {}
    for (item, _, _), sentence in zip(turns, transcript.sentences):
        starts.setdefault(item, sentence.start)
    return starts


def agenda_text(talks="05", questions="40", closing="25"):
    return (AGENDA.replace("@talks@", talks).replace("@questions@", questions)
            .replace("@closing@", closing))


def agenda(talks="05", questions="40", closing="25"):
    return parse_agenda(agenda_text(talks, questions, closing), source="agenda.yaml")


def new_session(tmp_path, transcript):
    session = Session.open(tmp_path / "session")
    put_transcript(session, transcript, stage="transcribe")
    session.save()
    return session


def test_starts_follow_speech_not_schedule():
    transcript = build_transcript()
    truth = true_starts(transcript)
    # Schedule deliberately off by 17-26 s from where the items really start.
    plan = agenda(talks="05", questions="40", closing="25")
    found = build_sections(transcript, plan, SegmentOptions(), transcript.sentences[-1].end)
    for section in found:
        assert section.start == pytest.approx(truth[section.id]), section
    schedule_error = sum(abs(i.start - truth[i.id]) for i in plan.items[1:])
    assert schedule_error > 40
    assert [s.method for s in found[1:]] == ["aligned"] * 3


def shifted(plan, truth, rng, low, high):
    """``plan`` with every item scheduled ``low``-``high`` s before or after its true start
    (in order, not before the recording)."""
    items, previous = [], -1.0
    for item in plan.items:
        while True:
            start = truth[item.id] + rng.choice((-1, 1)) * rng.uniform(low, high)
            if start >= 0 and start > previous:
                break
        items.append(replace(item, start=round(start, 1)))
        previous = start
    return replace(plan, items=tuple(items))


@pytest.mark.parametrize("seed", range(5))
def test_starts_survive_a_schedule_off_either_way(seed):
    # The items here are 25-35 s apart, so the schedule is off by up to 18 s either way.
    transcript = build_transcript()
    truth = true_starts(transcript)
    plan = shifted(agenda(), truth, random.Random(seed), 6, 18)
    found = build_sections(transcript, plan, SegmentOptions(), transcript.sentences[-1].end)
    assert [s.start for s in found] == pytest.approx([truth[s.id] for s in found])


def test_programme_overview_is_not_a_transition():
    # After a pause the chair lists the programme; "questions from the floor" in the list
    # must not count as moving to that item, neither for the list nor for the turn it ends.
    turns = list(TURNS)
    turns[4:4] = [("welcome", 2.6, "Our programme has four items."),
                  ("welcome", 0.5, "Welcome remarks, presentations, questions from the floor "
                                   "and closing remarks.")]
    transcript = build_transcript(turns)
    plan = agenda()
    flags = overviews(transcript.sentences, plan.items)
    assert flags == [i == 5 for i in range(len(turns))]
    said = lambda cue: any(r.startswith("transition") for r in cue.reasons)
    plain = sentence_cues(list(transcript.sentences), SegmentOptions())
    assert said(plain[4]) and said(plain[5])           # what an overview would look like
    cues = sentence_cues(list(transcript.sentences), SegmentOptions(), flags)
    assert not said(cues[4]) and not said(cues[5])
    assert said(cues[8])                               # "Let us now move to the presentations"
    truth = true_starts(transcript, turns)
    found = build_sections(transcript, plan, SegmentOptions(), transcript.sentences[-1].end)
    assert [s.start for s in found] == pytest.approx([truth[s.id] for s in found])


def test_pinned_start_is_exact_and_sentences_follow_it():
    transcript = build_transcript()
    pinned = transcript.sentences[9].start + 0.4         # inside a sentence, on purpose
    plan = agenda()
    items = list(plan.items)
    items[1] = replace(items[1], pinned_start=pinned)
    plan = replace(plan, items=tuple(items))
    found = build_sections(transcript, plan, SegmentOptions(), transcript.sentences[-1].end)
    talks = found[1]
    assert talks.method == "pinned" and talks.start == pinned
    assert found[0].end == pinned
    middle = lambda s: (s.start + s.end) / 2
    first = next(s for s in transcript.sentences if s.id == talks.first_sentence)
    assert middle(first) >= pinned
    assert all(middle(s) < pinned for s in transcript.sentences if s.id < talks.first_sentence)


def test_pinned_start_in_yaml_is_honoured(tmp_path):
    transcript = build_transcript()
    text = agenda_text()
    text = text.replace('    title: Questions from the floor',
                        '    title: Questions from the floor\n    pinned_start: "00:01:00"')
    plan = parse_agenda(text, source="agenda.yaml")
    found = build_sections(transcript, plan, SegmentOptions(), transcript.sentences[-1].end)
    assert found[2].start == 60.0 and found[2].method == "pinned"
    assert found[1].start < 60.0 < found[3].start


def test_stage_writes_sections_and_tags_every_language(tmp_path):
    english = build_transcript()
    session = new_session(tmp_path, english)
    for language in ("fr", "es"):
        put_transcript(session, build_transcript(language=language, mark=f"[{language}] "),
                       stage="translate")
    plan = agenda()
    result = segment_session(session, plan)
    sections = session.read_sections()
    data = json.loads(session.path("sections.json").read_text())
    assert data["schema"] == "session-pipeline/sections/1"
    assert [s["id"] for s in data["sections"]] == ["welcome", "talks", "questions", "closing"]
    assert data["sections"][1]["titles"]["fr"] == "Présentations"
    assert data["sections"][2]["titles"]["fr"] == "Questions from the floor"
    assert data["sections"][1]["evidence"]
    tags = {}
    for language in ("en", "fr", "es"):
        transcript = session.read_transcript(language)
        tags[language] = [s.section for s in transcript.sentences]
        assert None not in tags[language]
    assert tags["en"] == tags["fr"] == tags["es"]
    assert "## Présentations" in session.path("fr/transcript.md").read_text() or \
        "Présentations" in session.path("fr/transcript.md").read_text()
    assert session.manifest["agenda"]["title"] == "Migration governance"
    assert session.stage("segment")["status"] == "done" and result.ran
    assert [s.id for s in sections] == ["welcome", "talks", "questions", "closing"]
    assert "sections.json" in result.written


def test_rerun_is_up_to_date_and_force_redoes(tmp_path):
    session = new_session(tmp_path, build_transcript())
    assert segment_session(session, agenda()).ran
    first = session.stage("segment")["finished"]
    again = segment_session(session, agenda())
    assert not again.ran and session.stage("segment")["finished"] == first
    forced = segment_session(session, agenda(), force=True)
    assert forced.ran and forced.written == ("sections.json",)
    changed = segment_session(session, agenda(), options=SegmentOptions(prior_sigma_s=80.0))
    assert changed.ran and session.stage("segment")["options"]["prior_sigma_s"] == 80.0


def test_edited_transcript_is_kept(tmp_path):
    session = new_session(tmp_path, build_transcript())
    path = session.path("en/transcript.md")
    path.write_text(path.read_text() + "\nAn editor's note.\n")
    segment_session(session, agenda())
    assert path.read_text().endswith("An editor's note.\n")
    assert session.path("en/transcript.draft.md").exists()


def test_times_outside_the_recording_are_refused(tmp_path):
    session = new_session(tmp_path, build_transcript())
    late = agenda_text().replace('start: "10:01:25"', 'start: "10:30:00"')
    with pytest.raises(AgendaError, match=r"agenda.yaml, line 2\d, item 'closing' field 'start'"):
        segment_session(session, parse_agenda(late, source="agenda.yaml"))
    assert not session.path("sections.json").exists()


def test_no_transcript_is_a_clear_error(tmp_path):
    session = Session.open(tmp_path / "empty")
    with pytest.raises(SessionError, match="no en transcript"):
        segment_session(session, agenda())


@pytest.fixture(scope="session")
def sample_session(tmp_path_factory, samples_dir, tiny_model_dir):
    """The bundled sample transcribed once with the real tiny.en model."""
    from pipeline.transcribe import TranscribeOptions

    session = Session.open(tmp_path_factory.mktemp("sample") / "session")
    transcribe(session, samples_dir / "session.ogg", TranscribeOptions(asr_model=str(tiny_model_dir)))
    return session


@pytest.mark.slow
def test_sections_on_the_sample_recording(sample_session, samples_dir):
    """Each found start lies within 15 s of the truth, and on average at most half as far
    off as the schedule. 15 s: tiny.en drops some short turns (on this sample, the Chair's
    hand-over at the start of the presentations), so an item's first recognised sentence
    can come several seconds after its true start; the truth is the first turn's onset.
    """
    from pipeline.agenda import load_agenda

    truth = {i["id"]: i["start"] for i in json.loads((samples_dir / "truth.json").read_text())["items"]}
    plan = load_agenda(samples_dir / "agenda.yaml")
    segment_session(sample_session, plan, force=True)
    sections = sample_session.read_sections()
    found = [abs(s.start - truth[s.id]) for s in sections]
    scheduled = [abs(s.scheduled_start - truth[s.id]) for s in sections]
    assert max(found) <= 15, found
    assert sum(found) <= 0.5 * sum(scheduled), (found, scheduled)
    tags = [s.section for s in sample_session.read_transcript("en").sentences]
    assert tags[0] == "opening" and tags[-1] == "closing"
    assert [t for i, t in enumerate(tags) if i == 0 or tags[i - 1] != t] == [s.id for s in sections]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3))
def test_sections_on_the_sample_with_a_perturbed_schedule(sample_session, samples_dir, seed):
    """The sample's schedule moved 20-90 s off each true start, earlier or later: found starts
    stay within 15 s and at most half the schedule's error."""
    from pipeline.agenda import load_agenda

    truth = {i["id"]: i["start"] for i in json.loads((samples_dir / "truth.json").read_text())["items"]}
    plan = shifted(load_agenda(samples_dir / "agenda.yaml"), truth, random.Random(seed), 20, 90)
    english = sample_session.read_transcript("en")
    sections = build_sections(english, plan, SegmentOptions(), english.sentences[-1].end + 1)
    found = [abs(s.start - truth[s.id]) for s in sections]
    scheduled = [abs(s.scheduled_start - truth[s.id]) for s in sections]
    assert max(found) <= 15, (found, scheduled)
    assert sum(found) <= 0.5 * sum(scheduled), (found, scheduled)
