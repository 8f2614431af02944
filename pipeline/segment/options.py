"""Options of the segmentation stage: the one place where its defaults live."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SegmentOptions:
    """How agenda item starts are found in the transcript.

    The schedule is a prior (a Gaussian around the scheduled start whose width grows with
    the time into the meeting, as delays accumulate); what is said moves the boundary:
    the item's own words, turn-taking phrases, speakers' names and long pauses.
    """

    prior_sigma_s: float = 75.0          # width of the schedule prior at the start
    prior_sigma_growth: float = 0.05     # ... plus this fraction of the scheduled time
    context_s: float = 60.0              # talk compared before and after a boundary (seconds)
    affinity_weight: float = 2.0         # the item's words after the boundary, not before
    transition_weight: float = 1.5       # "let us move to", "we now open the floor", ...
    turn_window_s: float = 8.0           # a transition this soon after a turn's start opens it
    turn_weight: float = 0.75            # "I give the floor to", "our next speaker", ...
    closing_weight: float = 0.75         # "to conclude", "in closing" just before
    response_weight: float = 0.5         # "thank you, Madam Chair" just after
    pause_weight: float = 1.0            # a long pause before the sentence
    name_weight: float = 1.5             # one of the item's speakers is named
    title_weight: float = 2.0            # the item's title is spoken
    empty_penalty: float = 6.0           # cost of an item with no speech at all
    pre_meeting_s: float = 120.0         # first item scheduled this late: allow speech before it
    min_evidence: float = 0.5            # below this, a boundary counts as "scheduled"
