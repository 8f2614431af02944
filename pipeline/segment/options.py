"""Options of the segmentation stage: the one place where its defaults live."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SegmentOptions:
    """How agenda item starts are found in the transcript.

    The schedule is a prior (a Gaussian around the scheduled start whose width grows with
    the time into the meeting, as delays accumulate); what is said moves the boundary:
    the item's own words, meeting phrases (moving on, giving the floor, concluding; greeting and
    welcoming open only an opening item; a preview of the programme, an item or the meeting
    ending is not a start), speakers' names, long pauses and, where the speaker
    stage ran, who speaks: turns of voices, the chair's turns, the voices an item lists (and
    those an earlier item lists that have not spoken yet: no start).
    """

    prior_sigma_s: float = 150.0         # width of the schedule prior at the start
    prior_sigma_growth: float = 0.15     # ... plus this fraction of the scheduled time
    context_s: float = 60.0              # talk compared before and after a boundary (seconds)
    affinity_weight: float = 2.0         # the item's words after the boundary, not before
    transition_weight: float = 1.5       # "let us move to", "we now open the floor", ...; as
                                         # much for an opening item: "good morning", "welcome"
    concluding_weight: float = 1.0       # "before we adjourn", "to conclude our meeting": a
                                         # transition, and this much more for a closing item;
                                         # as much for it where a turn says the meeting ends
                                         # ("Thank you. That brings this hearing to a close.")
    not_chair_factor: float = 0.5        # a phrase, title or name said by another voice than
                                         # the chair's counts this much
    end_weight: float = 2.0              # against a start: "the meeting is adjourned", "that
                                         # concludes our discussion"
    item_end_weight: float = 1.0         # "that concludes our discussion of ..." just before
    turn_window_s: float = 8.0           # a transition this soon after a turn's start opens it
    turn_weight: float = 0.75            # "I give the floor to", "our next speaker", ...
    closing_weight: float = 0.75         # "to conclude", "in closing" just before
    response_weight: float = 0.5         # "thank you, Madam Chair" just after
    reply_window_s: float = 15.0         # ... at most this long after the turn it answers opens
    pause_weight: float = 1.0            # a long pause before the sentence (per spread of the
    pause_cap: float = 2.5               # meeting's pauses beyond the usual one), up to this
    voice_weight: float = 0.25           # another voice's turn opens at the sentence
    chair_weight: float = 0.5            # ... the chair's (named so in speakers.json, or the voice
                                         #     with the most turns)
    mid_turn_penalty: float = 0.5        # the voice of the sentence before goes on ...
    turn_gap_s: float = 1.0              # ... after a pause shorter than this
    voice_affinity_weight: float = 2.0   # the item's listed voices speak after the boundary,
                                         # not before
    unheard_weight: float = 1.5          # against a start: a voice an earlier item lists has
    heard_min_s: float = 2.0             # not yet said a sentence this long
    name_weight: float = 1.5             # one of the item's speakers is named ...
    later_speaker_factor: float = 0.5    # ... times this when not the first the agenda lists
    title_weight: float = 2.0            # the item's title is spoken
    empty_penalty: float = 6.0           # cost of an item with no speech at all
    min_item_s: float = 12.0             # an item with speech lasts at least this long ...
    min_item_share: float = 0.25         # ... or this share of its scheduled length, if shorter
    pre_meeting_s: float = 120.0         # first item scheduled this late: allow speech before it
    min_evidence: float = 0.5            # below this, a boundary counts as "scheduled"
