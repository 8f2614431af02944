"""People from the agenda, names mentioned in a sentence, and matching them despite misspellings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.text.names import CHAIR_WORDS, TITLES

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*\.?")
_DELEGATE = re.compile(r"\b(?:delegate|delegation|representative)s? of (?:the )?"
                       r"(?P<place>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})")


@dataclass(frozen=True)
class Person:
    """Someone who may speak: ``name`` without title, ``title`` ("Mr."), ``role`` ("IPU",
    "Chair"), and where the spelling comes from (``source``: agenda, glossary or heard);
    a heard spelling of a known person says whose (``spelling_of``)."""

    name: str
    title: str | None = None
    role: str | None = None
    source: str = "agenda"
    listed: str = ""
    spelling_of: str | None = None   # a spelling heard for this known person ("Daniel O'Side")

    @property
    def resolved(self) -> str:
        """The name this candidate stands for: the known person's, for a heard spelling."""
        return self.spelling_of or self.name

    @property
    def chair(self) -> bool:
        return bool(self.role) and bool(CHAIR_WORDS & set(re.findall(r"[\w-]+", self.role.lower())))

    @property
    def key(self) -> str:
        return " ".join(fold(w) for w in self.name.split())


@dataclass(frozen=True)
class Mention:
    """Words of a sentence that name someone: ``name`` as said (title removed), or a role
    ("Chair") when a title precedes a chair word ("Madam Chair")."""

    name: str
    title: str | None
    start: int              # character offsets in the sentence
    end: int
    role: str | None = None


def fold(word: str) -> str:
    """Lower case, no accents, no punctuation: how names are compared."""
    text = unicodedata.normalize("NFKD", word)
    return re.sub(r"[^a-z]", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


def person(entry: str | Mapping | object, source: str = "agenda") -> Person | None:
    """A person from an agenda entry: "Mr. David Okafor (IPU)", "Samuel Kipchumba, Member of
    the National Assembly of Kenya", "Ambassador Ingrid Solberg (Norway), Chair", or
    ``{name: ..., role: ...}`` or an object with ``name`` and ``role`` attributes (a role
    may be given per language: the English one is kept)."""
    if not isinstance(entry, (str, Mapping)) and hasattr(entry, "name"):
        entry = {"name": entry.name, "role": getattr(entry, "role", None)}
    if isinstance(entry, Mapping):
        role = entry.get("role")
        if isinstance(role, Mapping):
            role = role.get("en") or next(iter(role.values()), None)
        found = person(str(entry.get("name") or ""), source)
        if found is None:
            return None
        return Person(found.name, found.title, _join(found.role, role), source, str(entry))
    text = " ".join(str(entry).split())
    head, _, tail = text.partition(",")
    inside = re.findall(r"\(([^)]*)\)", head)
    head = re.sub(r"\([^)]*\)", " ", head)
    title, words = _untitled(head.split())
    if not words:
        return None
    return Person(" ".join(words), title, _join(*inside, tail.strip() or None), source, text)


def people(entries: Iterable[str | Mapping], source: str = "agenda") -> list[Person]:
    """Distinct people of ``entries`` (by name), first spelling and role kept, roles merged."""
    found: dict[str, Person] = {}
    for entry in entries:
        one = person(entry, source)
        if one is None:
            continue
        if one.key in found:
            old = found[one.key]
            found[one.key] = Person(old.name, old.title or one.title, _join(old.role, one.role),
                                    old.source, old.listed)
        else:
            found[one.key] = one
    return list(found.values())


ORGANISATION_WORDS = frozenset("""union organization organisation office committee council forum
    review bank fund nations national international agency institute institution centre center
    commission ministry department programme program court parliament assembly conference
    compact convention declaration initiative network foundation association women""".split())


def glossary_names(terms: Iterable[str]) -> list[Person]:
    """Glossary entries that look like people's names: two to four capitalised words, none of
    them a word of an organisation's name ("Union", "Forum", "Office" …)."""
    out = []
    for term in terms:
        words = term.replace("-", " ").split()
        if 2 <= len(words) <= 4 and all(w[:1].isupper() and not w.isupper() and fold(w)
                                        and fold(w) not in ORGANISATION_WORDS for w in words):
            out.append(Person(term, source="glossary", listed=term))
    return out


def mentions(text: str) -> list[Mention]:
    """Titled names ("Mr. Okafor", "Ambassador Ingrid Solberg"), chair roles ("Madam
    Chair") and delegations ("the delegate of Kenya") said in ``text``."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
    found: list[Mention] = []
    k = 0
    while k < len(tokens):
        title = _title_at(tokens, k)
        if title is None:
            k += 1
            continue
        size, canonical = title
        while k + size < len(tokens) and _title_at(tokens, k + size):   # "H.E. Ambassador"
            size += _title_at(tokens, k + size)[0]
        names = _capitalised(tokens, k + size)
        if names and fold(names[0][0]) in CHAIR_WORDS:
            last = names[0]
            found.append(Mention("", canonical, tokens[k][1], last[2], role="Chair"))
        elif names:
            found.append(Mention(" ".join(w.rstrip(".") for w, _, _ in names), canonical,
                                 tokens[k][1], names[-1][2]))
        k += size + max(1, len(names))
    for match in _DELEGATE.finditer(text):
        if not any(m.start <= match.start("place") < m.end for m in found):
            found.append(Mention(f"Delegate of {match.group('place')}", None, match.start(),
                                 match.end(), role=None))
    return sorted(found, key=lambda m: m.start)


def capitalised_names(text: str, first: bool = False) -> list[Mention]:
    """Runs of capitalised words in ``text`` (from its first word only if ``first``: a
    sentence's first word is capitalised anyway): untitled name candidates."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
    found, k = [], 0 if first else 1
    while k < len(tokens):
        names = _capitalised(tokens, k)
        if names:
            found.append(Mention(" ".join(w.rstrip(".") for w, _, _ in names), None,
                                 names[0][1], names[-1][2]))
        k += max(1, len(names))
    return found


def match(said: str, candidates: Iterable[Person]) -> Person | None:
    """The candidate whose name ``said`` is, allowing for a recogniser's misspelling: every
    word said must match a word of the name (spelling or sound alike), and the surname at
    least must be said. None when no candidate or more than one person fits equally (two
    spellings of one person are one)."""
    words = [fold(w) for w in said.split() if fold(w) and fold(w) not in TITLES]
    if not words:
        return None
    scored = []
    for candidate in candidates:
        score = _name_score(words, [fold(w) for w in candidate.name.split() if fold(w)])
        if score:
            scored.append((score, candidate))
    scored.sort(key=lambda pair: -pair[0])
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]
                      and fold(scored[1][1].resolved) != fold(scored[0][1].resolved)):
        return None
    return scored[0][1]


NOT_NAMES = frozenset("""a an and are as at be but by can could did do does for from had has
    have he her here his how i if in is it its me my no not now of on or our please she so
    thank thanks that the their them then there these they this those to us was we were what
    when where which who why will with would yes you your""".split())
"""Words a recogniser may capitalise after a title ("Thank you, Ms. How that?") that are no
one's name."""


def plausible(name: str) -> bool:
    """Whether words heard as a name could be one: none of them a common function word."""
    words = [fold(w) for w in name.split()]
    return bool(words) and not any(w in NOT_NAMES for w in words)


def sounds(word: str) -> str:
    """A rough sound key: consonants only, alike ones folded ("Akhaffer" and "Okafor": kfr)."""
    word = fold(word)
    for a, b in (("ph", "f"), ("kh", "k"), ("gh", "g"), ("ck", "k"), ("qu", "k"), ("q", "k"),
                 ("x", "ks"), ("z", "s"), ("c", "k"), ("v", "f"), ("w", ""), ("h", ""), ("y", "")):
        word = word.replace(a, b)
    consonants = re.sub(r"[aeiou]", "", word)
    return re.sub(r"(.)\1+", r"\1", consonants)


def alike(a: str, b: str) -> bool:
    """Two folded words that are one name misspelt: close letters, or at least half the
    letters and the same (or nearly the same) sounds ("Akhaffer" and "Okafor")."""
    if a == b:
        return True
    if min(len(a), len(b)) < 3:
        return False
    letters = fuzz.ratio(a, b)
    if letters >= 75:
        return True
    if letters < 50:
        return False
    sa, sb = sounds(a), sounds(b)
    return (sa == sb and len(sa) >= 2) or (min(len(sa), len(sb)) >= 3
                                           and fuzz.ratio(sa, sb) >= 80)


def _name_score(said: list[str], name: list[str]) -> int:
    """How well the said words fit a name: 0 unless the surname was said (misspelt or not);
    more for each other word said that fits. A given name the recogniser garbled ("Prayer
    Ragnathan" for Priya Raghunathan) does not stop a match; a surname garbled more than
    :func:`alike` allows matches only after the given name, said right or alike ("Alejandro
    Gucares"; "Abraham Sesse" for Ibrahim Sesay)."""
    if not name:
        return 0
    if len(said) > 1 and alike("".join(said), name[-1]):   # "Kip Chumba" for Kipchumba
        return 2
    if alike(said[-1], name[-1]):
        return 1 + sum(1 for s in said[:-1] if any(alike(s, w) for w in name))
    if len(said) > 1 and len(name) > 1 and alike(said[0], name[0]) and _near(said[-1], name[-1]):
        return 1
    return 0


OFFICE_FOR = re.compile(r"\b(?P<office>(?:shadow |deputy |assistant )?(?:member|minister|secretary"
                        r"|senator|representative|deputy|spokesperson|commissioner))\s+(?:of\s+)?for\s+"
                        r"(?:the\s+)?(?P<what>[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,2})", re.I)
"""An office and what it is for, as parliaments address people: "the honourable member for
Eastbrook", "the Minister for Housing"."""


def office_holder(office: str, what: str, candidates: Iterable[Person]) -> Person | None:
    """The one candidate whose role is ``office`` for ``what`` ("Member for Lowther Sands"
    for "the member for lower sands"): the office as listed ("Shadow Minister" is not
    "Minister"), and the words after "for" alike in spelling or sound, as many as the role
    gives; None when no one or several people hold it."""
    office = " ".join(fold(w) for w in office.split())
    said = [fold(w) for w in what.split() if fold(w)]
    holders: dict[str, Person] = {}
    for candidate in candidates:
        for found in OFFICE_FOR.finditer(candidate.role or ""):
            listed = [fold(w) for w in found.group("what").split() if fold(w)]
            if " ".join(fold(w) for w in found.group("office").split()) != office or not listed:
                continue
            heard = said[:len(listed)]
            if len(heard) == len(listed) and all(alike(h, w) or sounds(h) == sounds(w)
                                                  for h, w in zip(heard, listed)):
                holders[candidate.resolved] = candidate
    return _only(holders)


def role_holder(said: str, candidates: Iterable[Person]) -> Person | None:
    """The one candidate whose role holds the single word ``said`` ("Mayor" in "Mr. Mayor,
    over to you" for "Sione Tupou, Mayor of Port Calder"); None when no one's or several
    people's roles do, or the word is no role at all (a name, a common word)."""
    words = [fold(w) for w in said.split() if fold(w)]
    if len(words) != 1 or len(words[0]) < 4 or words[0] in NOT_NAMES:
        return None
    holders = {c.resolved: c for c in candidates
               if c.role and words[0] in {fold(w) for w in re.findall(r"[\w-]+", c.role)}}
    return _only(holders)


def given_name_holder(said: str, candidates: Iterable[Person],
                      rivals: Iterable[str] = ()) -> Person | None:
    """The one candidate whose given name is the single word ``said``, spelt exactly as
    listed ("Lakshmi, please go ahead" for Lakshmi Venkataraman): how panels address people.
    None when no one's or several people's given names are that word, when it is part of
    anyone's surname too, when someone else heard in the meeting has that given name
    (``rivals``, folded: "My name is Marcus Brown" makes "Thank you, Marcus" no one's), or
    when it is a common word."""
    words = [fold(w) for w in said.split() if fold(w) and fold(w) not in TITLES]
    if len(words) != 1 or len(words[0]) < 3 or words[0] in NOT_NAMES or words[0] in set(rivals):
        return None
    word = words[0]
    holders: dict[str, Person] = {}
    for candidate in candidates:
        parts = [fold(w) for w in candidate.name.split() if fold(w)]
        if len(parts) < 2:
            continue
        if word in parts[1:]:
            return None                                 # a surname, or part of one
        if word == parts[0]:
            holders[candidate.resolved] = candidate
    return _only(holders)


def _only(holders: Mapping[str, Person]) -> Person | None:
    """The one person of ``holders`` (by the name each stands for); None for none or several."""
    return next(iter(holders.values())) if len(holders) == 1 else None


def resembles(said: str, candidates: Iterable[Person]) -> bool:
    """Whether ``said`` is most likely one of ``candidates``' names misheard though it is
    not their name (:func:`match`): its last word near a surname in letters and in sounds
    ("Sesse" for Sesay), or a full name that begins with one person's given name ("Agnes
    Carombsker" for Agnieszka Wroblewska): not a new person."""
    words = [fold(w) for w in said.split() if fold(w) and fold(w) not in TITLES]
    candidates = list(candidates)
    surnames = [fold(c.name.split()[-1]) for c in candidates if c.name.split()]
    if not words:
        return False
    if len(words) >= 2 and any(alike(words[0], fold(c.name.split()[0]))
                               for c in candidates if len(c.name.split()) >= 2):
        return True
    return any(fuzz.ratio(words[-1], surname) >= NEAR_LETTERS
               and _near(words[-1], surname) for surname in surnames)


def _near(said: str, surname: str) -> bool:
    """A surname heard badly: its sounds all there in order ("Rockefeller" for Okafor), or
    most of them ("Gucares" for Gutierrez); a surname of few consonants by most of its
    letters ("O'Side" for Osei)."""
    heard, wanted = sounds(said), sounds(surname)
    if len(wanted) < 3:
        return len(surname) >= 3 and fuzz.ratio(said, surname) >= NEAR_LETTERS
    rest = iter(heard)
    return (len(heard) - len(wanted) <= 2 and all(c in rest for c in wanted)) \
        or fuzz.ratio(heard, wanted) >= 70


NEAR_LETTERS = 60
"""How alike (rapidfuzz ratio) a short surname heard after the exact given name must be."""


def _title_at(tokens, k: int) -> tuple[int, str] | None:
    """(token count, canonical title) of a title starting at token ``k``."""
    word = fold(tokens[k][0])
    if word in ("his", "her") and k + 1 < len(tokens) and fold(tokens[k + 1][0]) == "excellency":
        return 2, "H.E."
    if word == "h" and k + 1 < len(tokens) and fold(tokens[k + 1][0]) == "e":
        return 2, "H.E."
    if word == "he" and "." not in tokens[k][0]:
        return None                                   # the pronoun, not H.E.
    if word in TITLES and tokens[k][0][:1].isupper():
        return 1, TITLES[word]
    return None


def _capitalised(tokens, k: int, limit: int = 3):
    """Up to ``limit`` capitalised tokens from ``k`` (a name), stopping after a full stop."""
    names = []
    while k < len(tokens) and len(names) < limit:
        word = tokens[k][0]
        if not word[:1].isupper() or fold(word) in TITLES or (names and tokens[k][1] - names[-1][2] > 1):
            break
        names.append(tokens[k])
        if word.endswith(".") and len(fold(word)) > 1:
            break
        k += 1
    return names


def _untitled(words: list[str]) -> tuple[str | None, list[str]]:
    title = None
    while words and fold(words[0]) in set(TITLES) | {"his", "her", "e"}:
        key = fold(words.pop(0))
        title = TITLES.get(key, "H.E.") if key not in ("his", "her", "e") else "H.E."
    return title, words


def _join(*parts: str | None) -> str | None:
    kept = [p.strip() for p in parts if p and p.strip()]
    return ", ".join(dict.fromkeys(kept)) or None
