"""Names for voice labels, each from evidence: introductions, the floor given, thanks, the agenda.

A pure step over labels and sentences (no audio), so it can be run again over the same
labels, e.g. after editors named some voices in ``speakers.yaml``. Clues:

- a self-introduction ("My name is …", "I am … from …") names the voice that says it;
- the floor given ("I give the floor to …", "… you have the floor", "Ambassador …, please",
  "our next speaker is …", "Mr. …, our director of …, will now speak", or a turn that ends
  with a name alone: "First, Mr. …, Director of …") names the voice of the next turn;
- thanks at the start of a turn ("Thank you, Ms …") name the voice of the turn before;
  "Thank you, Madam Chair" marks that voice as the chair, and so, weakly, does giving the
  floor to two people or more.

Names said are matched to the agenda's (and glossary's) spelling, and to the spellings heard
elsewhere in the meeting (a recogniser mishears a name the same way again: "Mr. O'side" after
"Mr. Daniel O'Side" is Daniel Osei); a given name alone ("Lakshmi, please go ahead",
"Thank you, Marcus") is the one listed person who has it. The floor goes to the next turn
that is more than a stray word. A voice is named only when
its clues agree (the best name has at least ``min_weight`` and twice the weight of any
other), and no name goes to two voices. A voice without such evidence keeps no name: a wrong
name is worse than none.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from pipeline.formats.speakers import Evidence, Speaker
from pipeline.speakers.model import SpokenSentence, Turn
from pipeline.speakers.names import (
    OFFICE_FOR,
    Mention,
    Person,
    capitalised_names,
    fold,
    given_name_holder,
    match,
    mentions,
    office_holder,
    plausible,
    resembles,
    role_holder,
)
from pipeline.text.names import TITLES

SELF = re.compile(r"\b(?i:(?P<my>my name is)|i am|i'm)\s+(?=[A-Z])")
SELF_BEFORE = re.compile(r"\b(?i:my name is|i am|i'm)\s+$")
SELF_END = re.compile(r"^(?:\s*[,.;:]|\s+(?:from|of|and|with|representing|speaking)\b|\s*$)")
FLOOR_BEFORE = re.compile(r"\b(?:(?:(?:give|giving|pass|passing|hand|handing|yield)"
                          r"(?: over)?(?: the floor)? to|call (?:on|upon)|i (?:now )?call|invite"
                          r"|next speaker is|(?:first|next|last|final) (?:speaker|panell?ist"
                          r"|presenter|discussant)(?:,| is)?|(?:now|next|first) hear from"
                          r"|hear (?:now|next|first) from|over to|recogni[sz]e)\W+(?:\w+\W+){0,8}?"
                          r"|turn(?: now| first| next)? to\W+)$", re.I)
"""The floor given to a name that follows (within a few words; "let me turn first to",
right before it)."""
FLOOR_AFTER = re.compile(r"^\W*(?:,\s*)?(?:you have the floor|the floor is yours|please\b"
                         r"|you have (?:\w+ )?(?:\d+|one|two|three|four|five|ten|a few) minutes?"
                         r"|go ahead|over to you|you (?:may|can) (?:proceed|begin|start)"
                         r"|(?:would|could|do|did|will) you|what you|you wish"
                         r"|has asked for the floor|has the floor|is next)", re.I)
"""The floor given to a name just said ("Ms. Raghunathan, please")."""
FLOOR_ALONE = re.compile(r"^\W*(?:you have the floor|the floor is yours|please go ahead"
                         r"|go ahead,? please)\W*$", re.I)
HANDOVER = re.compile(r"^(?:\s*,[^.;!?]{0,80}?,)?\s+(?:will|shall|is going to)\s+"
                      r"(?:now|then|next|first)\s+(?:speak|present|address|answer"
                      r"|reply|respond|take (?:the floor|over)|continue|introduce|explain|brief"
                      r"|talk|walk us)\b", re.I)
"""The floor handed to a name just said, after its role ("Mr. Keller, our director of
inclusive education, will now speak about schools")."""
POSSESSIVE = re.compile(r"(?:^|(?<=\w))['’]s\b")
NAME_ONLY_BEFORE = re.compile(r"^\W*(?:(?:and|so|first|firstly|next|now|then|finally|lastly)"
                              r"\W+){0,2}$", re.I)
NAME_ONLY_AFTER = re.compile(r"^(?:\s*,\s*(?:[A-Z]|(?:the|our|my|a|an|from|of)\b)[^.!?;]*"
                             r"|\s+(?:of|from)\b[^.!?;]*)?[.!?…]*\s*$")
"""A sentence that is a name and at most a role ("First, Mr. Daniel Osei, Director of the
Council."): at the end of a turn, it hands over to that person."""
THANKS = re.compile(r"^\W*(?:thank you(?: (?:very|so) much)?|thanks|many thanks"
                    r"|i (?:would like to |wish to )?thank(?: you)?)\W+", re.I)

ACKNOWLEDGEMENT = re.compile(r"^\W*(?:(?:thank you|thanks|many thanks|ok(?:ay)?|yes|right"
                             r"|good|fine|sure)(?: very much)?\W*)+$", re.I)
"""A turn that only acknowledges ("Thank you.", "Okay, thanks."): no reply to a question."""

WEIGHTS = {"self-introduction": 3.0, "floor-given": 2.0, "thanked": 2.0, "role": 1.0}


@dataclass(frozen=True)
class NamingOptions:
    """When clues are enough to name a voice; the only place these defaults live."""

    min_weight: float = 2.0          # one clear clue (two for the chair's role alone)
    dominance: float = 2.0           # the best name outweighs every other this many times
    last_sentences: int = 3          # the floor is given in a turn's last sentences ...
    receiver_min_s: float = 2.0      # ... to the next turn this long (a shorter one first, often
                                     # a stray "Thank you." heard in another voice, is passed over)
    first_sentences: int = 2         # thanks come in a turn's first sentences
    chairing_weight: float = 0.5     # per person a voice gives the floor to: a vote that it is
                                     # the chair (at most one "Madam Chair"'s worth)


def clues(spoken: Sequence[SpokenSentence], turns: Sequence[Turn], known: Sequence[Person],
          options: NamingOptions = NamingOptions()) -> list[tuple[str, Evidence]]:
    """(voice label, evidence) for every clue said in the meeting; "the next turn" is the
    next voice's, however long a voice pauses within its own."""
    text = {item.sentence.id: item.sentence.text for item in spoken}
    spellings, rivals = heard(text.values(), known)
    known = list(known) + spellings
    turns = _by_voice(turns)
    found: list[tuple[str, Evidence]] = []
    given: dict[str, list[Evidence]] = defaultdict(list)
    for index, turn in enumerate(turns):
        before = turns[index - 1].speaker if index else None
        after = _receiver(turns, index, options.receiver_min_s, text)
        ids = turn.sentences
        for position, ident in enumerate(ids):
            said, previous = text[ident], text[ids[position - 1]] if position else ""
            found += [(turn.speaker, e) for e in _introductions(said, ident, known, rivals)]
            if after and after != turn.speaker and position >= len(ids) - options.last_sentences:
                last = position == len(ids) - 1
                floor = _floor(said, previous, ident, known, last, rivals)
                found += [(after, e) for e in floor]
                given[turn.speaker] += floor
            if before and before != turn.speaker and position < options.first_sentences:
                found += [(before, e) for e in _thanks(said, ident, known, rivals)]
    return found + [(label, e) for label, e in _chairing(given, known, options)]


def _chairing(given: Mapping[str, Sequence[Evidence]], known: Sequence[Person],
              options: NamingOptions) -> list[tuple[str, Evidence]]:
    """A voice that gives the floor to several people runs the meeting: a vote for the chair
    the agenda lists (``chairing_weight`` per person, up to one clue's worth: never enough
    alone)."""
    chair = _the_chair(known) or CHAIR
    out = []
    for label, floor in given.items():
        people = list(dict.fromkeys(e.name for e in floor if e.name != chair))
        if len(people) < 2:
            continue
        weight = min(WEIGHTS["role"], options.chairing_weight * len(people))
        out.append((label, Evidence("role", chair, _quote("Gave the floor to "
                                                          + ", ".join(people) + "."),
                                    floor[0].sentence, weight)))
    return out


def _by_voice(turns: Sequence[Turn]) -> list[Turn]:
    """Consecutive turns of one voice (apart only by a pause) joined into one."""
    out: list[Turn] = []
    for turn in turns:
        if out and out[-1].speaker == turn.speaker:
            out[-1] = replace(out[-1], end=turn.end, sentences=out[-1].sentences + turn.sentences)
        else:
            out.append(turn)
    return out


def _receiver(turns: Sequence[Turn], index: int, least_s: float,
              text: Mapping[int, str]) -> str | None:
    """The voice that takes the floor after turn ``index``: the next turn's, past turns
    shorter than ``least_s`` that only say thanks ("Thank you.", often heard in a third
    voice before the one the floor was given to) while the giver has not spoken again."""
    giver = turns[index].speaker
    for turn in turns[index + 1:]:
        if turn.speaker == giver:
            break
        said = " ".join(text[i] for i in turn.sentences)
        if turn.end - turn.start >= least_s or not ACKNOWLEDGEMENT.match(said):
            return turn.speaker
    return turns[index + 1].speaker if index + 1 < len(turns) else None


def heard(sentences: Iterable[str], known: Sequence[Person]
          ) -> tuple[list[Person], frozenset[str]]:
    """More candidates from what is said, so that one person said two ways is one name: each
    spelling of a known person as heard ("Daniel O'Side" for Daniel Osei), and full names
    said with a title or in a self-introduction that match no one known ("Mr. Rizal Karim":
    a later "Mr. Karim" is him) unless their surname sounds like a listed person's (a
    misheard name is not someone new). Also the given names (folded) of the full names said
    that are no listed person's: someone else with that given name is in the meeting."""
    found: dict[str, Person] = {p.key: p for p in known}
    listed = _agenda(known)
    names = {p.resolved for p in listed}
    rivals: set[str] = set()
    for said in sentences:
        for mention in _said_names(said):
            words = mention.name.split()
            if len(words) >= 2 and plausible(mention.name):
                own = match(mention.name, known)
                if own is None or own.resolved not in names:
                    rivals.add(fold(words[0]))
            person = match(mention.name, list(found.values()))
            if person is not None:
                spelling = Person(mention.name, mention.title, source="heard",
                                  spelling_of=person.resolved)
            elif len(mention.name.split()) >= 2 and plausible(mention.name) \
                    and not resembles(mention.name, listed):
                spelling = Person(mention.name, mention.title, source="heard")
            else:
                continue
            found.setdefault(spelling.key, spelling)
    return [p for p in found.values() if p.source == "heard"], frozenset(rivals)


def _said_names(said: str) -> list[Mention]:
    """Titled names in ``said``, and the name a self-introduction gives."""
    named = [m for m in mentions(said) if not m.role and not m.name.startswith("Delegate of")]
    for cue in SELF.finditer(said):
        rest = said[cue.end():]
        named += [m for m in capitalised_names(rest, first=True)[:1] if m.start == 0]
    return named


def name_speakers(speakers: Sequence[Speaker], found: Sequence[tuple[str, Evidence]],
                  known: Sequence[Person], options: NamingOptions = NamingOptions()
                  ) -> list[Speaker]:
    """``speakers`` with the names their clues agree on (module docstring), the evidence
    kept with each; a speaker without enough evidence keeps no name."""
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for label, evidence in found:
        votes[label][evidence.name] += evidence.weight
    chosen = _one_each(votes, options)
    by_name = {p.name: p for p in known}
    out = []
    for speaker in speakers:
        name = chosen.get(speaker.label)
        if name is None:
            out.append(replace(speaker, name=None, role=_role_only(votes[speaker.label], options)))
            continue
        listed = by_name.get(name)
        evidence = tuple(e for label, e in found if label == speaker.label and e.name == name)
        if listed is not None and listed.source == "agenda":
            evidence += (Evidence("agenda", name, listed.listed, None, 0.0),)
        out.append(replace(speaker, name=name, role=listed.role if listed else None,
                           evidence=evidence))
    return out


CHAIR = "\u2063chair"
"""The vote for "whoever chairs" ("Thank you, Madam Chair") before the chair's name is known."""


def _introductions(said: str, ident: int, known: Sequence[Person],
                   rivals: frozenset[str] = frozenset()) -> list[Evidence]:
    out = []
    for cue in SELF.finditer(said):
        rest = said[cue.end():]
        names = [m for m in mentions(rest) + capitalised_names(rest, first=True) if m.start == 0]
        if not names or names[0].role:
            continue
        ended = bool(SELF_END.match(rest[names[0].end:]))
        person = _resolve(names[0], known, titled=bool(cue.group("my")) or ended,
                          rivals=rivals)
        if person is not None:
            out.append(Evidence("self-introduction", person, _quote(said), ident,
                                WEIGHTS["self-introduction"]))
    return out


def _floor(said: str, previous: str, ident: int, known: Sequence[Person],
           last: bool = False, rivals: frozenset[str] = frozenset()) -> list[Evidence]:
    """The person this sentence gives the floor to (a sentence that is only "You have the
    floor." gives it to the last person named in the sentence before; the ``last`` sentence
    of a turn that is only a name and role, to that name)."""
    if FLOOR_ALONE.match(said):
        named = [m for m in mentions(previous) if not m.role]
        person = _resolve(named[-1], known, rivals=rivals) if named else None
        return [Evidence("floor-given", person, _quote(previous + " " + said), ident,
                         WEIGHTS["floor-given"])] if person else []
    named = [m for m in mentions(said) + _untitled(said, known, True, rivals) if not m.role]
    people = sorted(named, key=lambda m: (m.name.startswith("Delegate of"), m.start))
    for mention in people:
        before, after = said[:mention.start], said[mention.end:]
        if SELF.match(said, mention.start) or SELF_BEFORE.search(before):
            continue                        # "I'm Rowan Neda, a member of ...": their own name
        if POSSESSIVE.search(mention.name) or POSSESSIVE.match(after):
            continue                        # "let me turn to Mr. Okafor's proposal"
        if FLOOR_BEFORE.search(before) or _hands_over(after) or (
                last and NAME_ONLY_BEFORE.match(before) and NAME_ONLY_AFTER.match(after)):
            person = _resolve(mention, known, rivals=rivals)
            if person is not None:
                return [Evidence("floor-given", person, _quote(said), ident,
                                 WEIGHTS["floor-given"])]
    for office in OFFICE_FOR.finditer(said):    # "I call the honourable member for Eastbrook"
        if FLOOR_BEFORE.search(said[:office.start()]) or _hands_over(said[office.end():]):
            holder = office_holder(office.group("office"), office.group("what"),
                                   _agenda(known))
            if holder is not None:
                return [Evidence("floor-given", holder.resolved, _quote(said), ident,
                                 WEIGHTS["floor-given"])]
    return []


def _thanks(said: str, ident: int, known: Sequence[Person],
            rivals: frozenset[str] = frozenset()) -> list[Evidence]:
    cue = THANKS.match(said)
    if not cue:
        return []
    found = mentions(said[cue.end():])[:1] or _untitled(said[cue.end():], known, True, rivals)[:1]
    if not found or found[0].start > 2 or _hands_over(said[cue.end() + found[0].end:]):
        return []                   # "Thank you, Mr. X, would you …" gives X the floor
    if found[0].role == "Chair":
        return [Evidence("role", _the_chair(known) or CHAIR, _quote(said), ident,
                         WEIGHTS["role"])]
    person = _resolve(found[0], known, rivals=rivals)
    return [Evidence("thanked", person, _quote(said), ident, WEIGHTS["thanked"])] if person else []


def _hands_over(after: str) -> bool:
    """Whether the words after a name give that person the floor ("…, please")."""
    return bool(FLOOR_AFTER.match(after) or HANDOVER.match(after))


def _untitled(said: str, known: Sequence[Person], first: bool = False,
              rivals: frozenset[str] = frozenset()) -> list[Mention]:
    """Untitled names in ``said`` (from its first word if ``first``) that are names of known
    people, or the given name of one listed person."""
    listed = _agenda(known)
    return [m for m in capitalised_names(said, first=first) if not _after_title(said, m.start)
            and (match(m.name, known) is not None
                 or given_name_holder(m.name, listed, rivals) is not None)]


def _after_title(said: str, start: int) -> bool:
    """Whether a title of address comes just before ``start`` ("Mr. Thomas"): then the name
    is a surname, and :func:`mentions` reads it with its title."""
    before = said[:start].split()
    return bool(before) and fold(before[-1]) in TITLES


def _resolve(mention: Mention, known: Sequence[Person], titled: bool = True,
             rivals: frozenset[str] = frozenset()) -> str | None:
    """The known person's spelling of a mention; a full name said with a title (or after
    "my name is") but unknown to the agenda is kept as said, and so is a titled surname
    alone when the agenda lists no one (where it does, "Mr. O'side" is more likely one of
    them misheard than someone else, and so is a full name whose surname sounds like one of
    theirs); a title and a word of one listed person's role is that person ("Mr. Mayor");
    anything else is no name."""
    person = match(mention.name, known)
    if person is not None:
        return person.resolved
    listed = _agenda(known)
    holder = role_holder(mention.name, listed) if mention.title else None
    if holder is not None:                  # "Mr. Mayor": the one listed mayor
        return holder.resolved
    given = None if mention.title else given_name_holder(mention.name, listed, rivals)
    if given is not None:                   # "Lakshmi, please go ahead"; "Mr. Thomas" is a surname
        return given.resolved
    if listed and resembles(mention.name, listed):
        return None
    words = 1 if mention.title and not listed else 2
    if (mention.title or titled) and len(mention.name.split()) >= words \
            and plausible(mention.name):
        return mention.name
    return None


def _agenda(known: Sequence[Person]) -> list[Person]:
    """The people the agenda lists, of the known ones."""
    return [p for p in known if p.source == "agenda"]


def _the_chair(known: Sequence[Person]) -> str | None:
    """The chair's name where the agenda lists exactly one person with a chair's role."""
    chairs = {p.resolved for p in known if p.chair}
    return next(iter(chairs)) if len(chairs) == 1 else None


def _one_each(votes: Mapping[str, Mapping[str, float]], options: NamingOptions) -> dict[str, str]:
    """Label -> name where the votes agree, strongest first, each name given once."""
    ranked = []
    for label, names in votes.items():
        people = {n: w for n, w in names.items() if n != CHAIR}
        if not people:
            continue
        order = sorted(people.items(), key=lambda kv: -kv[1])
        best, weight = order[0]
        runner = order[1][1] if len(order) > 1 else 0.0
        if weight >= options.min_weight and weight >= options.dominance * runner:
            ranked.append((weight, label, best))
    chosen: dict[str, str] = {}
    for _, label, name in sorted(ranked, key=lambda r: (-r[0], r[1])):
        if name not in chosen.values():
            chosen[label] = name
    return chosen


def _role_only(votes: Mapping[str, float], options: NamingOptions) -> str | None:
    """"Chair" for an unnamed voice that is often addressed as the chair, else None."""
    return "Chair" if votes.get(CHAIR, 0.0) >= options.min_weight else None


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
