"""Phrases that run a meeting: moving to an item, giving the floor, closing, thanking."""

from __future__ import annotations

import re

# A new agenda point begins with this sentence.
TRANSITION = re.compile(r"\b(" + "|".join([
    r"(let us|let's|let me|we will|we shall|we can|i propose to|we now|now) (now )?(move|turn|proceed|go|come|pass)( on| over)? to",
    r"(let us|let's) (now )?(start|begin) (with|by)",
    r"(the|our) (next|last|final) (agenda )?item",
    r"mov(e|ing) on to", r"turn(ing)? (now )?to (the|our) (next|second|third|fourth|last|final)",
    r"next (agenda )?item", r"item \w+ (of|on) (the|our) agenda", r"agenda item",
    r"(now |to )?open the floor", r"floor is (now )?open", r"open (the )?(discussion|debate)",
    r"interactive (discussion|debate|dialogue)", r"questions? and answers?",
    r"(reached|come to) the end of (our|the) time",     # also concluding, which wins
    r"any questions", r"questions from the (floor|audience|participants)",
    r"(closing|concluding) (remarks|session|statement)", r"to close (this|the|our) (meeting|session|event)",
    r"bring (this|the|our) (meeting|session|event) to a close",
]) + r")\b"
    # said first in a sentence only: inside one they are content ("which brings us to a total
    # deficit of ...", "the contracts next up for renewal")
    r"|^\W*((so|okay|ok|well|and|now),? )?((that|this|which) (now )?(takes|brings) us (on )?to"
    r"(?! (the |an? |our )?(very )?(end|close|conclusion)\b)(?! (an?\b|\d))"
    r"|(first|next) up(,| is\b| tonight\b| today\b| this\b))", re.I)
# The chair opens the meeting (greets, welcomes, declares it open): the first item starts
# with this sentence, or one whose title says it opens; not any other.
OPENING = re.compile(r"\b(" + "|".join([
    (r"welcome (you )?(all )?to (this|the|our|today's) (\w+ )?(meeting|session|sitting|panel|"
     r"event|briefing|dialogue|roundtable|round table|discussion|debate|conference|seminar|"
     r"webinar|hearing)"),
    r"good (morning|afternoon|evening)", r"(i|let me) (would like to )?(welcome|open)",
    r"(i )?declare (the|this) (meeting|session) open",
]) + r")\b", re.I)
# A chair's turn that opens with thanks to the previous speaker, then a transition.
THANKS = re.compile(r"^\W*(thank you|thanks|many thanks)\b", re.I)
# The floor passes to someone: also happens inside an item, so a weaker cue.
TURN = re.compile(r"\b(" + "|".join([
    r"give (you )?the floor", r"giv(e|ing) the floor to", r"pass the floor", r"hand (over )?(the floor )?to",
    r"the floor is yours", r"you have the floor", r"(our|the) (next|first|last|final) (speaker|panell?ist)",
    r"i (now )?(call|invite) (on|upon)?", r"invite \w+ to (speak|take the floor|present)",
    r"it is my (great )?(pleasure|honou?r) to",
]) + r")\b", re.I)
# The previous speaker is finishing: the boundary comes just after.
CLOSING = re.compile(r"\b(" + "|".join([
    r"to conclude", r"in conclusion", r"in closing", r"let me (conclude|close|end)",
    r"thank you (all )?(very much )?for your (attention|listening|kind attention)",
    r"(that|this) concludes", r"brings us to the end", r"i thank you", r"i will stop here",
]) + r")\b", re.I)
# A speaker answers the chair: the boundary came a sentence or two before.
RESPONSE = re.compile(r"\b(" + "|".join([
    r"thank you,? (madam|mister|mr\.?|ms\.?|madame)? ?(chair|chairperson|chairman|chairwoman|president|moderator)",
    r"thank you for (giving me|the) (floor|opportunity|introduction|invitation)",
]) + r")\b", re.I)

# What a meeting is called, in phrases that open or end one.
MEETING = (r"(meeting|session|sitting|dialogue|briefing|hearing|panel|event|debate|discussion|"
           r"consultation|conference|seminar|webinar|workshop|roundtable|round table|forum)")

# ... of which these name the whole meeting, never one of its items ("discussion" may be either).
WHOLE_MEETING = (r"(meeting|session|sitting|briefing|hearing|event|consultation|conference|"
                 r"seminar|webinar|workshop|forum)")

# The chair begins the meeting's last part: a closing item starts with this sentence.
# "In closing" opens it at the start of a sentence that asks for the word ("In closing, allow
# me to ..."; "and closing" as it is often misheard); said later, or followed by a plain
# statement or thanks ("In closing, the report will be published"), a speaker is finishing.
CONCLUDING = re.compile(r"(?:^\W*|(?<=[.;:!?] ))(in|and) closing,? (allow me|let me|may i|"
                        r"i (would|should) like to|i wish to|i want to)\b|\b(" + "|".join([
    (r"(allow me|let me|i will|i would like|i wish)( to)? (recall|sum up|summari[sz]e|recap) "
     r"(the |our )?(main|key|principal) (points|messages|conclusions)"),
    r"(allow me|let me) (to )?(sum up|summari[sz]e|recap)\b", r"to sum up",
    r"before (we|i) (formally )?(adjourn|close|conclude|end|rise)",
    (r"before (we|i) (ask for|call for|take|entertain|put|move) (a|the) motion to "
     r"(adjourn|close)(?!\w| (into|to|the (public|debate|hearing|discussion|session))\b)"),
    r"before (adjourning|closing|concluding|ending)",
    (r"(say|share) (a few|some) (final |closing |concluding )?words "
     r"(in closing|to close|in conclusion)"),
    (r"(to|let me|i will now|i would like to|i wish to) (conclude|close|end|wrap up) "
     r"(our|this|the|today's) (meeting|session|sitting|dialogue|discussion|debate|event|"
     r"proceedings)"),
    r"(as|now that) we (come|draw|are coming|are drawing) to (the|a) (end|close)",
    (r"we (have )?(come|reached|are nearing|are approaching) (to )?the end of "
     r"(our|the|this|today's) (meeting|session|sitting|dialogue|event|programme|agenda)"),
    r"(reached|come to) the end of (our|the) time",
    r"(we are|we're) (almost|nearly|just about) out of time",
    r"(pull|draw|bring) (the|these|our|all the|some of the) threads together",
    r"(final|closing|concluding) words", r"final remarks",
]) + r")\b", re.I)
# The meeting ends with this sentence: the end of the last item, never the start of one.
ADJOURNED = re.compile(r"\b(" + "|".join([
    MEETING + r" (is|stands) (now |hereby )?(adjourned|closed)(?! to\b)",
    r"(i )?(now |hereby )?declare (the|this|our) " + MEETING + r" (closed|adjourned)",
    r"(i|we) (now |hereby )?(adjourn|close) (the|this) (meeting|session|sitting)(?! (with|by|on))",
    r"the meeting rose", r"we are adjourned",
]) + r")\b", re.I)
# An item ends with this sentence: the next one starts after it, not with it.
ITEM_END = re.compile(r"\b(" + "|".join([
    (r"(that|this|which) (concludes|closes|ends|completes) (our|the|this|its) (consideration|"
     r"discussion|debate|dialogue|examination|review|item|segment|part|panel|presentations?|"
     r"questions|list of speakers)"),
    r"(that|this|which) (concludes|closes|completes) (agenda )?item",
    (r"we have (now )?(concluded|completed|finished|exhausted) (our |the )?(consideration|"
     r"discussion|debate|dialogue|item|list of speakers|presentations|questions)"),
    (r"(that|this) brings (us )?to (the|an) end (of )?(our|the|this) (consideration|discussion|"
     r"debate|dialogue|item|segment|part|panel|presentations|questions|list of speakers)"),
    r"(that|this) brings (our|the|this) \w+( \w+)? to (a close|an end)",
    (r"we have come to the end of (the|our) (list of speakers|presentations|questions|"
     r"discussion|debate|item)"),
    r"(that is|that's) (all|as much as) we (have|had) time for",
]) + r")\b", re.I)

# The chair says what will come later (in the opening, going through the programme): not a
# move to an item now, and the titles it names do not start their items here.
PREVIEW = re.compile(r"\b(" + "|".join([
    r"will (first|then|later|afterwards|subsequently|thereafter) \w+",
    r"(later|afterwards|after that|thereafter|subsequently),? (we|you|they|he|she|the \w+) will",
    r"(we|i|you) will (close|conclude|end|finish|begin|start|open) (with|by)\b",
    r"will be followed by",
]) + r")\b", re.I)
# ... unless the sentence also does something now: gives the floor, moves on now.
NOW = re.compile(r"\b(now|let us|let's)\b", re.I)


def is_preview(text: str) -> bool:
    """Whether a sentence announces what comes later ("The controller will first present …",
    "We will close with questions") rather than doing it now."""
    return bool(PREVIEW.search(text)) and not (NOW.search(text) or TURN.search(text))


# Sentences that run the meeting rather than say something: thanks, hand-overs, requests.
PROCEDURAL = re.compile(r"\b(" + "|".join([
    r"thank(s| you)", r"(give|giving|pass|hand)( you)? the floor", r"you have the floor",
    r"the floor is yours", r"(asked|ask|request(ed)?) for the floor", r"take the floor",
    r"please( be brief)?", r"good (morning|afternoon|evening)", r"madam chair", r"mr\.? chair",
    r"(my|our) question is for", r"(i|we) (now )?(call|invite) (on|upon)", r"wish(ed)? to add",
    r"running (short|out) of time", r"i will be brief", r"(you|we) (are|is) welcome",
    r"we have (about |only |around )?\w+ (minutes|hours)", r"(i|we) will be brief",
    r"i see (the )?(distinguished )?\w+ (of|on|from)", r"(like|want|wish|wished) to add",
    r"joins? us (from|today|online|remotely)", r"(our|the) (first|second|third|next|last) panell?ist",
]) + r")\b", re.I)


def is_procedural(text: str) -> bool:
    """Whether a sentence runs the meeting: thanks, hand-overs, moving to an item, time."""
    return any(p.search(text) for p in (PROCEDURAL, TRANSITION, OPENING, TURN, CLOSING, RESPONSE))
