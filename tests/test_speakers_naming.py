"""Names for voice labels: from each phrasing, with its evidence, and never without evidence."""

from __future__ import annotations

import pytest

from pipeline.formats.speakers import apply_edits, read_edits
from pipeline.formats.transcript import Sentence
from pipeline.speakers import (
    NamingOptions,
    Speaker,
    SpokenSentence,
    Voices,
    name_voices,
    voices_of,
)
from pipeline.speakers.names import match, mentions, people, person

AGENDA = people([
    "Ambassador Ingrid Solberg (Norway), Chair",
    "Mr. David Okafor (IPU)",
    "Samuel Kipchumba, Member of the National Assembly of Kenya",
    {"name": "Dr. Amina Yusuf", "role": {"en": "Rapporteur", "fr": "Rapporteuse"}},
])


def voices(*turns: tuple[str, str]) -> Voices:
    """Voices from (label, text) pairs, labels in the order first heard: one sentence per
    pair, two seconds each."""
    return voices_of([SpokenSentence(Sentence(k + 1, 2.0 * k, 2.0 * k + 1.5, text), label)
                      for k, (label, text) in enumerate(turns)])


def names(found: Voices, known=AGENDA) -> dict[str, str | None]:
    return {s.label: s.name for s in name_voices(found, known)}


@pytest.mark.parametrize("said, name", [
    ("My name is Samuel Kipchumba and I represent Kenya.", "Samuel Kipchumba"),
    ("Good morning. I am David Okafor, from the IPU.", "David Okafor"),
    ("I am Amina Yusuf, rapporteur of the committee.", "Amina Yusuf"),
    ("My name is Lucia Ferraro.", "Lucia Ferraro"),             # not on the agenda: as said
])
def test_a_self_introduction_names_the_voice_that_says_it(said, name):
    found = voices(("S1", said), ("S2", "Thank you."))
    speakers = name_voices(found, AGENDA)
    assert speakers[0].name == name
    assert [e.kind for e in speakers[0].evidence][0] == "self-introduction"
    assert speakers[1].name is None


@pytest.mark.parametrize("chair_says", [
    "I give the floor to Mr. David Okafor.",
    "I now give the floor to Mr. David Okafor, senior adviser at the IPU.",
    "Mr. Okafor, you have the floor.",
    "Mr. Okafor, please.",
    "Our next speaker is Mr. David Okafor.",
    "I call on Mr. Okafor.",
    "Mr. Okafor, would you like to add something?",
    "We will now hear from Mr. David Okafor of the IPU.",
    "Our first panellist is Mr. David Okafor.",
    "Our next speaker, Mr. David Okafor, joins us from Geneva.",
])
def test_the_floor_given_names_the_next_voice(chair_says):
    found = voices(("S1", "Good morning."), ("S1", chair_says),
                   ("S2", "Thank you. The survey covered 84 parliaments."))
    speakers = {s.label: s for s in name_voices(found, AGENDA)}
    assert speakers["S2"].name == "David Okafor"
    assert speakers["S2"].role == "IPU"
    kinds = [e.kind for e in speakers["S2"].evidence]
    assert kinds == ["floor-given", "agenda"]
    assert speakers["S1"].name is None


def test_you_have_the_floor_alone_points_to_the_name_before_it():
    found = voices(("S1", "I see the distinguished delegate of Kenya, Honourable Samuel Kipchumba."),
                   ("S1", "You have the floor."), ("S2", "Thank you for this opportunity."))
    assert names(found)["S2"] == "Samuel Kipchumba"


@pytest.mark.parametrize("thanks", ["Thank you, Mr. Okafor.", "I thank Mr. Okafor for the survey.",
                                    "I would like to thank Mr. Okafor for these figures."])
def test_thanks_at_the_start_of_the_next_turn_name_the_voice_before(thanks):
    found = voices(("S1", "That is all from the IPU."), ("S2", thanks), ("S2", "We move on."))
    assert names(found) == {"S1": "David Okafor", "S2": None}


def test_madam_chair_names_the_chair_from_the_agenda():
    found = voices(("S1", "We open the meeting."), ("S2", "Thank you, Madam Chair."),
                   ("S2", "Our survey is ready."), ("S1", "We continue."),
                   ("S3", "Thank you, Madam Chair. I have a question."))
    speakers = {s.label: s for s in name_voices(found, AGENDA)}
    assert speakers["S1"].name == "Ingrid Solberg"
    assert speakers["S1"].role == "Norway, Chair"
    assert {e.kind for e in speakers["S1"].evidence} == {"role", "agenda"}


def test_without_an_agenda_the_chair_gets_a_role_but_no_name():
    found = voices(("S1", "We open the meeting."), ("S2", "Thank you, Madam Chair."),
                   ("S1", "We continue."), ("S3", "Thank you, Mr. Chairman."))
    speakers = {s.label: s for s in name_voices(found, [])}
    assert speakers["S1"].name is None and speakers["S1"].role == "Chair"
    assert speakers["S1"].display == "Speaker 1"


@pytest.mark.parametrize("said", [
    "I am pleased to welcome Dr. Amina Yusuf and Mr. David Okafor.",
    "As Mr. Okafor said this morning, parliaments must act.",
    "I am grateful to the IPU.",
    "This is International Migrants Day.",
    "I now turn to the question from Mr. Okafor.",
    "Thank you.",
    "We were glad to hear from Mr. Okafor yesterday.",
    "I thank the IPU and Mr. Okafor for their work.",
])
def test_no_name_without_evidence(said):
    found = voices(("S1", "Good morning."), ("S2", said), ("S3", "We agree with the proposal."))
    assert set(names(found).values()) == {None}
    assert [s.display for s in name_voices(found, AGENDA)] == ["Speaker 1", "Speaker 2",
                                                               "Speaker 3"]


def test_conflicting_evidence_gives_no_name():
    # One voice given the floor as two different people: no name rather than a wrong one.
    found = voices(("S1", "I give the floor to Mr. David Okafor."), ("S2", "Thank you."),
                   ("S1", "I give the floor to Dr. Amina Yusuf."), ("S2", "Thank you."))
    assert names(found)["S2"] is None


def test_a_name_goes_to_one_voice_only():
    found = voices(("S1", "I give the floor to Mr. David Okafor."), ("S2", "My name is David Okafor."),
                   ("S1", "I give the floor to Mr. David Okafor."), ("S3", "Thank you."))
    named = names(found)
    assert named["S2"] == "David Okafor" and named["S3"] is None


@pytest.mark.parametrize("said, spelling", [
    ("Thank you, Mr. Akhaffer.", "David Okafor"),
    ("Thank you, Mr. Akafer.", "David Okafor"),
    ("Thank you, Honourable Kip Chumba.", "Samuel Kipchumba"),
    ("Thank you, Ambassador Sohlberg.", "Ingrid Solberg"),
    ("Thank you, Dr. Yousef.", "Amina Yusuf"),
])
def test_a_misspelt_name_is_matched_to_the_agenda_spelling(said, spelling):
    found = voices(("S1", "That is all."), ("S2", said))
    assert names(found)["S1"] == spelling


def test_names_that_are_not_alike_do_not_match():
    assert match("Okoro", AGENDA) is None
    assert match("Smith", AGENDA) is None
    assert match("Samuel", AGENDA) is None          # a given name alone is not enough


def test_titles_and_roles_are_recognised_in_what_is_said():
    said = mentions("H.E. Ambassador Ingrid Solberg thanked Madam Chair and the delegate of Kenya.")
    assert [(m.name, m.title, m.role) for m in said] == [
        ("Ingrid Solberg", "H.E.", None), ("", "Madam", "Chair"), ("Delegate of Kenya", None, None)]


def test_agenda_entries_in_both_forms():
    found = {p.name: p for p in AGENDA}
    assert found["Samuel Kipchumba"].role == "Member of the National Assembly of Kenya"
    assert found["Amina Yusuf"].title == "Dr." and found["Amina Yusuf"].role == "Rapporteur"
    assert found["Ingrid Solberg"].chair and not found["David Okafor"].chair


def test_agenda_speakers_as_objects_with_name_and_role():
    from types import SimpleNamespace

    (one,) = people([SimpleNamespace(name="Ms. Lucia Ferraro", role={"en": "Chair", "fr": "Présidente"})])
    assert (one.name, one.title, one.role, one.chair) == ("Lucia Ferraro", "Ms.", "Chair", True)


def test_editors_names_replace_the_found_ones():
    speakers = [Speaker("S1", name="Ingrid Solberg", role="Chair"), Speaker("S2")]
    edits = read_edits("S2: {name: Lucia Ferraro, role: Italy}\n")
    edited = apply_edits(speakers, edits)
    assert edited[0] == speakers[0]
    assert (edited[1].name, edited[1].role) == ("Lucia Ferraro", "Italy")
    assert edited[1].evidence[0].kind == "editor"


def test_a_stricter_rule_needs_more_evidence():
    found = voices(("S1", "That is all."), ("S2", "Thank you, Mr. Okafor."))
    assert names(found)["S1"] == "David Okafor"
    speakers = name_voices(found, AGENDA, NamingOptions(min_weight=4.0))
    assert {s.label: s.name for s in speakers}["S1"] is None


COUNCIL = people(["Daniel Osei, Director of the National Disability Council",
                  "Nadia Haddad, Country Rapporteur", "Mr. David Okafor (IPU)"])


@pytest.mark.parametrize("handing_over", [
    "Mr. David Okafor, senior adviser at the IPU, will now speak about the survey.",
    "Mr. Okafor will now present the findings.",
    "Our colleague Mr. Okafor, from the IPU, will next answer your questions.",
])
def test_a_speaker_handing_over_names_the_next_voice(handing_over):
    found = voices(("S1", "That is our report."), ("S1", handing_over),
                   ("S2", "Thank you. Schools come first."))
    assert names(found, COUNCIL) == {"S1": None, "S2": "David Okafor"}


@pytest.mark.parametrize("said", [
    "Mr. Okafor will speak at the closing session tomorrow.",
    "Mr. Okafor, who will now be our guest, is not here yet.",
])
def test_a_name_with_will_is_not_a_handover_unless_it_says_now(said):
    found = voices(("S1", "That is our report."), ("S1", said), ("S2", "We agree."))
    assert set(names(found, COUNCIL).values()) == {None}


@pytest.mark.parametrize("last, name", [
    ("First, Mr. Daniel Osei, Director of the National Disability Council.", "Daniel Osei"),
    ("Ms. Nadia Haddad.", "Nadia Haddad"),
    ("And now, Dr. David Okafor of the IPU.", "David Okafor"),
])
def test_a_turn_ending_with_a_name_alone_names_the_next_voice(last, name):
    found = voices(("S1", "Two colleagues will present the areas they lead."), ("S1", last),
                   ("S2", "Thank you. The council coordinates the plan."))
    speakers = {s.label: s for s in name_voices(found, COUNCIL)}
    assert (speakers["S1"].name, speakers["S2"].name) == (None, name)
    assert [e.kind for e in speakers["S2"].evidence] == ["floor-given", "agenda"]


@pytest.mark.parametrize("turn", [
    [("S1", "Mr. Okafor, we agree with your proposal.")],           # addressed, not a handover
    [("S1", "Mr. Okafor."), ("S1", "We now turn to the budget.")],  # not the turn's end
    [("S1", "Thank you, Mr. Okafor.")],                             # thanks, not a handover
])
def test_a_name_alone_gives_the_floor_only_at_the_end_of_a_turn(turn):
    found = voices(("S0", "Good morning."), *turn, ("S2", "The budget is ready."))
    assert names(found, COUNCIL)["S2"] is None


def test_a_name_heard_one_way_is_matched_when_heard_that_way_again():
    # "Osei" heard "O'Side": matched by the given name first, then alone by that spelling.
    found = voices(("S1", "I give the floor to Mr. Daniel O'Side."), ("S2", "The council met."),
                   ("S1", "Thank you, Mr. O'side."), ("S1", "We continue."))
    speakers = {s.label: s for s in name_voices(found, COUNCIL)}
    assert speakers["S2"].name == "Daniel Osei"
    assert [e.kind for e in speakers["S2"].evidence] == ["floor-given", "thanked", "agenda"]


def test_a_titled_surname_unknown_to_the_agenda_is_no_name():
    # Where the agenda lists the speakers, "Mr. O'side" alone is someone on it misheard.
    found = voices(("S1", "The council met."), ("S2", "Thank you, Mr. O'side."))
    assert set(names(found, COUNCIL).values()) == {None}
    assert names(found, [])["S1"] == "O'side"           # no list: kept as said


def test_a_full_name_unknown_to_the_agenda_is_kept_and_its_surname_is_that_person():
    found = voices(("S1", "The delegate of Mexico, Mr. Luis Herrera, has asked for the floor."),
                   ("S2", "Mexico supports the plan."), ("S1", "Thank you, Mr. Herrera."))
    assert names(found, COUNCIL)["S2"] == "Luis Herrera"


@pytest.mark.parametrize("said", ["Thank you, Ms. How that?", "Thank you, Mr. What."])
def test_common_words_after_a_title_are_no_name(said):
    found = voices(("S1", "I have two questions."), ("S2", said))
    assert set(names(found, []).values()) == {None}


def test_a_given_name_and_a_misspelt_surname_match():
    assert match("Nadia Hadad", COUNCIL).name == "Nadia Haddad"
    assert match("Daniel O'Side", COUNCIL).name == "Daniel Osei"
    assert match("Daniel Ortiz", COUNCIL) is None
    assert match("O'Side", COUNCIL) is None           # a short surname alone needs its letters
    assert match("Nadia", COUNCIL) is None


def test_a_title_and_a_role_name_the_one_person_who_holds_it():
    listed = people(["Sione Tupou, Mayor of Port Calder", "Dr. Ana Ruiz, Chief Economist",
                     "Marcus Bellamy, Moderator"])
    found = voices(("S1", "Mr. Mayor, over to you."), ("S2", "Our sea wall cost a fortune."),
                   ("S1", "Thank you, Mr. Mayor. Dr. Ana Ruiz, please."),
                   ("S3", "The bank will lend more."))
    assert names(found, listed) == {"S1": None, "S2": "Sione Tupou", "S3": "Ana Ruiz"}
    # Two mayors listed, or a role no one listed holds: no name.
    two = listed + people(["Lena Berg, Mayor of Seraton"])
    assert names(found, two)["S2"] is None
    found = voices(("S1", "Madam Minister, please."), ("S2", "Our sea wall cost a fortune."))
    assert names(found, listed)["S2"] is None


def test_a_misheard_given_name_and_surname_match_together():
    listed = [person("Ibrahim Sesay, Chief Economist")]
    assert match("Abraham Sesse", listed).name == "Ibrahim Sesay"
    assert match("Abraham Lincoln", listed) is None
    assert match("Sesse", listed) is None               # a garbled surname alone is not enough


def test_a_name_like_a_listed_one_is_not_kept_as_someone_new():
    # The agenda lists Daniel Osei; "Mr. Samuel Ossie" is most likely him misheard (a wrong
    # name if taken for someone new); an unlisted name of its own is kept as said.
    found = voices(("S1", "Thank you. Mr. Samuel Ossie, please."), ("S2", "The council met."),
                   ("S1", "Ms. Grace Mwangi, please."), ("S3", "The budget rose."))
    assert names(found, COUNCIL) == {"S1": None, "S2": None, "S3": "Grace Mwangi"}


def test_the_floor_given_before_a_pause_names_the_next_voice():
    # The chair gives the floor, pauses (a new turn of the same voice), then adds a word.
    spoken = [SpokenSentence(Sentence(1, 0.0, 2.0, "I give the floor to Mr. David Okafor."), "S1"),
              SpokenSentence(Sentence(2, 6.0, 7.0, "Please, go ahead."), "S1"),
              SpokenSentence(Sentence(3, 8.0, 10.0, "Thank you. Our survey is ready."), "S2")]
    found = voices_of(spoken)
    assert len(found.turns) == 3                        # the pause splits the chair's turn
    assert names(found, COUNCIL) == {"S1": None, "S2": "David Okafor"}


PANEL = people(["Marcus Bellamy, Moderator", "Lakshmi Venkataraman, Coastal Cities Alliance",
                "Agnieszka Wroblewska, Baltic Institute", "Emeka Nwachukwu, Chief Economist"])


@pytest.mark.parametrize("chair_says", [
    "Lakshmi, please go ahead.",
    "Thank you. Lakshmi, the floor is yours.",
    "Let me turn first to Lakshmi.",
])
def test_a_given_name_alone_gives_the_floor_to_the_one_listed_person_who_has_it(chair_says):
    found = voices(("S1", "Good afternoon."), ("S1", chair_says),
                   ("S2", "Our insurance pool paid out in 14 days."))
    assert names(found, PANEL)["S2"] == "Lakshmi Venkataraman"


def test_a_given_name_names_no_one_when_two_listed_people_have_it():
    two = PANEL + people(["Lakshmi Rao, Rapporteur"])
    found = voices(("S1", "Lakshmi, please go ahead."), ("S2", "Our pool paid out."))
    assert names(found, two)["S2"] is None
    assert names(found, [])["S2"] is None               # no list: a given name is no name


def test_thanks_and_self_introductions_by_given_name():
    found = voices(("S1", "I now give the floor to our economist."),
                   ("S2", "Thank you, Marcus. I'm Emeka, and I run the bank's research."),
                   ("S2", "Cities are invisible to investors."))
    assert names(found, PANEL) == {"S1": "Marcus Bellamy", "S2": "Emeka Nwachukwu"}


def test_a_full_name_that_begins_with_a_listed_given_name_is_not_someone_new():
    # "Agnes Carombsker" is Agnieszka Wroblewska misheard, not a new person whose evidence
    # would outweigh the chair's "Professor Rambulska, the floor is yours".
    found = voices(("S1", "Professor Rambulska, the floor is yours."),
                   ("S2", "Thank you. I'm Agnes Carombsker, and I lead the risk lab."))
    assert names(found, PANEL)["S2"] == "Agnieszka Wroblewska"


def test_the_floor_goes_to_the_voice_that_takes_it_not_to_a_stray_word():
    # A one-word "Thank you." heard in a third voice before the one the floor was given to.
    spoken = [SpokenSentence(Sentence(1, 0.0, 2.0, "Lakshmi, please go ahead."), "S1"),
              SpokenSentence(Sentence(2, 2.5, 3.2, "Thank you."), "S2"),
              SpokenSentence(Sentence(3, 3.4, 12.0, "Our pool paid out in 14 days."), "S3"),
              SpokenSentence(Sentence(4, 13.0, 20.0, "And I have more on that."), "S2")]
    assert names(voices_of(spoken), PANEL) == {"S1": None, "S2": None,
                                               "S3": "Lakshmi Venkataraman"}


def test_a_self_introduction_at_the_end_of_a_turn_gives_no_floor():
    found = voices(("S1", "I'm Rowan Neda, a member of the assembly."), ("S2", "Water is short."))
    assert names(found, []) == {"S1": "Rowan Neda", "S2": None}


def test_giving_the_floor_to_several_people_and_madam_chair_name_the_chair():
    hearing = people(["Catherine Holm, Chair of the Committee", "Victor Amadi, witness",
                      "Lukas Brenner, Member of Parliament"])
    turns = [("S1", "The committee will now hear from Mr. Victor Amadi."),
             ("S2", "Thank you, Madam Chair. Our trains run late."),
             ("S1", "Mr. Brenner, a short follow-up."), ("S3", "Why so late?")]
    assert names(voices(*turns), hearing)["S1"] == "Catherine Holm"
    # Giving the floor alone is not enough, nor is one "Madam Chair".
    assert names(voices(*turns[:1], ("S2", "Our trains run late."), *turns[2:]),
                 hearing)["S1"] is None
    assert names(voices(*turns[:2]), hearing)["S1"] is None


@pytest.mark.parametrize("turns, listed", [
    # A title goes with a surname: "Mr. Thomas" is more likely someone else than Thomas Keller.
    ((("S1", "Mr. Thomas, you have the floor."), ("S2", "We support the text.")),
     ["Thomas Keller, Director"]),
    # A given name must be the listed one exactly: Alexander is not Alexandra.
    ((("S1", "Alexander, please go ahead."), ("S2", "We support the text.")),
     ["Alexandra Petrova, Rapporteur"]),
    # Someone else heard in the meeting has the given name: "Marcus" is no one's.
    ((("S1", "Good morning."), ("S2", "My name is Marcus Brown, from the port authority."),
      ("S3", "Thank you, Marcus. Our cities agree.")), ["Marcus Bellamy, Moderator"]),
    # Naming a person's proposal is no hand-over.
    ((("S1", "Let me now turn to Mr. Okafor's proposal on budgets."),
      ("S2", "We support the text.")), ["David Okafor, IPU"]),
])
def test_no_name_from_a_given_name_or_a_mention_that_could_be_someone_else(turns, listed):
    listed = people(listed)
    named = names(voices(*turns), listed)
    assert not set(named.values()) & {p.name for p in listed}, named


def test_the_chair_vote_needs_one_listed_chair():
    two = people(["Anna Berg, Moderator of session 1", "Lena Holm, Moderator of session 2",
                  "Victor Amadi, witness", "Lukas Brenner, Member"])
    turns = [("S1", "The committee will now hear from Mr. Victor Amadi."),
             ("S2", "Thank you, Madam Chair. Our trains run late."),
             ("S1", "Mr. Brenner, a short follow-up."), ("S3", "Why so late?")]
    assert names(voices(*turns), two)["S1"] is None


def test_a_short_reply_takes_the_floor_when_it_says_more_than_thanks():
    spoken = [SpokenSentence(Sentence(1, 0.0, 2.0, "Mr. Okafor, please go ahead."), "S1"),
              SpokenSentence(Sentence(2, 2.5, 4.0, "Nothing to add, thanks."), "S2"),
              SpokenSentence(Sentence(3, 4.4, 12.0, "Then let me add a point on budgets."), "S3")]
    assert names(voices_of(spoken))["S2"] == "David Okafor"


def test_you_have_three_minutes_gives_the_floor():
    found = voices(("S1", "Lakshmi, you have three minutes."), ("S2", "Our pool paid out."))
    assert names(found, PANEL)["S2"] == "Lakshmi Venkataraman"


CHAMBER = people(["Rangi Tuhiwai, Minister for Housing",
                  "Beatrix Vandersloot, Shadow Minister for Housing, member for Merrowdale",
                  "Mairead Quilty, Member for Lowther Sands", "Farid Benhaddou, Member for Eastbrook"])


@pytest.mark.parametrize("speaker_says, name", [
    ("I call the honourable member for Eastbrook.", "Farid Benhaddou"),
    ("I call the member for lower sands.", "Mairead Quilty"),        # misheard place
    ("I call the Minister for Housing.", "Rangi Tuhiwai"),
    ("I call the Shadow Minister for Housing.", "Beatrix Vandersloot"),
    ("I call the member for Merrowdale.", "Beatrix Vandersloot"),
    ("I call the member for Kent.", None),                            # no one listed holds it
    ("The member for Eastbrook raised rents.", None),                 # no hand-over
])
def test_an_office_and_what_it_is_for_names_the_one_listed_holder(speaker_says, name):
    found = voices(("S1", "Order."), ("S1", speaker_says), ("S2", "Thank you, Madam Speaker."))
    assert names(found, CHAMBER)["S2"] == name
