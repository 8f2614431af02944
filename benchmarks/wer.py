"""Word error rate and proper-noun recall, on text normalised much as Whisper's English normaliser does.

The normaliser only has to map both sides of a comparison to the same canonical form, so its
output need not be real English. It:

- lowercases and strips accents ("Bogotá" = "bogota");
- expands titles and a few contractions ("Dr." = "doctor", "Mr" = "mister", "won't" = "will not");
- joins initials written with dots or hyphens into one word ("I.O.M." = "I-O-M" = "IOM",
  "a.m." = "AM"), as they are one acronym however they are written;
- spells symbols as words ("25%" = "25 percent", "$5" = "5 dollars", "&" = "and"), the
  currency of an amount read after the amount and its scale word, as it is said
  ("$1.2 billion" = "1.2 billion dollars");
- writes numbers as digits ("twenty-five", "twenty five" and "25" agree; "one hundred and
  fifty two" = "152"; "26.4 million" = "twenty six point four million" = "26400000"; digit
  grouping commas are dropped);
- folds British and American spellings together ("organisation" = "organization",
  "labour" = "labor", "centre" = "center", "programme" = "program");
- turns hyphens into spaces and drops every other punctuation mark and apostrophe.

Years spoken as pairs ("twenty twenty-three") and ordinals are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}
_CURRENCIES = {"$": "dollars", "€": "euros", "£": "pounds"}
# A currency sign before an amount, and the amount's scale word if it has one.
_AMOUNT = re.compile(r"(?P<sign>[$€£])\s?(?P<amount>\d+(?:\.\d+)?)"
                     r"(?P<scale>\s+(?:thousand|million|billion|trillion)\b)?")
# Two or more single letters joined by dots or hyphens, the last dot optional: "i.o.m.", "i-o-m".
_INITIALS = re.compile(r"\b[a-z](?:[.\-][a-z])+\b\.?")
_REPLACEMENTS = [
    (r"\bdr\b", "doctor"), (r"\bmr\b", "mister"), (r"\bmrs\b", "missus"), (r"\bms\b", "miss"),
    (r"\bprof\b", "professor"), (r"\bst\b", "saint"), (r"\bvs\b", "versus"),
    (r"\bwon't\b", "will not"), (r"\bcan't\b", "can not"), (r"\bcannot\b", "can not"),
    (r"n't\b", " not"), (r"'re\b", " are"), (r"'ve\b", " have"), (r"'ll\b", " will"),
    (r"'m\b", " am"), (r"'d\b", " would"),
    (r"\bok\b", "okay"), (r"\be[\s-]?mail\b", "email"),
]
_SPELLING = [
    (r"\b(\w{2,})is(e|ed|es|ing|ation|ations|er|ers)\b", r"\1iz\2"),  # organise -> organize
    (r"\b(\w{3,})our(s|ed|ing|able)?\b", r"\1or\2"),                    # labour -> labor
    (r"\b(\w{3,})tre(s)?\b", r"\1ter\2"),                                # centre -> center
    (r"\b(\w{3,})amme(s)?\b", r"\1am\2"),                                # programme -> program
    (r"\b(\w{3,})ell(ed|ing|er|ers)\b", r"\1el\2"),                      # travelled -> traveled
]


def normalise(text: str) -> str:
    """``text`` in the canonical form described in the module docstring."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)            # 26,400 -> 26400
    text = _INITIALS.sub(lambda m: re.sub(r"[.\-]", "", m[0]), text)   # i.o.m. -> iom
    text = re.sub(_AMOUNT, lambda m: f"{m['amount']}{m['scale'] or ''} {_CURRENCIES[m['sign']]}",
                  text)                                         # $1.2 billion: 1.2 billion dollars
    text = text.replace("%", " percent").replace("&", " and ")
    text = text.replace("€", f" {_CURRENCIES['€']} ")          # a sign with no amount
    text = re.sub(r"(?<=[a-z])\.(?=\s|$)", " ", text)           # "dr." -> "dr"
    for pattern, replacement in _REPLACEMENTS:
        text = re.sub(pattern, replacement, text)
    text = re.sub(r"[-\u2013\u2014/]", " ", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)             # keep decimal points only
    text = re.sub(r"[^a-z0-9. ]", " ", text.replace("'", ""))
    for pattern, replacement in _SPELLING:
        text = re.sub(pattern, replacement, text)
    return " ".join(_numbers_as_digits(text.split()))


def _is_number_word(token: str) -> bool:
    return token in _UNITS or token in _TENS or token in _SCALES


def _is_digits(token: str) -> bool:
    return re.fullmatch(r"\d+(\.\d+)?", token) is not None


def _numbers_as_digits(tokens: list[str]) -> list[str]:
    """Rewrite each run of number words (and digits followed by scale words) as one number."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and _continues_number(tokens, i, j):
            j += 1
        run = tokens[i:j]
        if run and (any(_is_number_word(t) for t in run) or "point" in run):
            value = _value(run)
            out.append(_format(value) if value is not None else " ".join(run))
            i = j
        else:
            out.append(tokens[i])
            i += 1
    return out


def _continues_number(tokens: list[str], start: int, j: int) -> bool:
    token = tokens[j]
    if _is_number_word(token):
        if token in _SCALES and j == start:
            return False                    # "million" alone is a word
        return True
    if _is_digits(token):
        return j == start                   # "25 million", never "25 30"
    if token == "and" and j > start and j + 1 < len(tokens):
        return tokens[j - 1] in ("hundred", "thousand") and tokens[j + 1] in {**_UNITS, **_TENS}
    if token == "point" and j > start and j + 1 < len(tokens):
        return tokens[j + 1] in _UNITS
    return False


def _value(run: list[str]) -> Decimal | None:
    """The number a run of words means, or None when it is not one plain number."""
    words = [t for t in run if t != "and"]
    decimals, scales = "", []
    if "point" in words:
        k = words.index("point")
        digits = words[k + 1:]
        while digits and digits[-1] in _SCALES:
            scales.insert(0, digits.pop())
        if not digits or any(_UNITS.get(t, 10) > 9 for t in digits):
            return None
        decimals = "." + "".join(str(_UNITS[t]) for t in digits)
        words = words[:k]
    total = current = Decimal(0)
    for token in words:
        if _is_digits(token):
            current = Decimal(token)
        elif token in _UNITS:
            current += _UNITS[token]
        elif token in _TENS:
            current += _TENS[token]
        elif token == "hundred":
            current = (current or 1) * 100
        else:
            total, current = total + (current or 1) * _SCALES[token], Decimal(0)
    value = total + current
    if decimals:
        value = Decimal(f"{int(value)}{decimals}")
        for token in scales:
            value *= _SCALES[token]
    return value


def _format(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate of ``hypothesis`` against ``reference`` after normalising both (0..)."""
    import jiwer

    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        raise ValueError("The reference text is empty after normalising.")
    return float(jiwer.wer(ref, hyp or "<empty>"))


@dataclass(frozen=True)
class Recall:
    """How many proper-noun occurrences of the reference the hypothesis got right."""

    found: int
    expected: int
    missing: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def _count(haystack: str, needle: str) -> int:
    return len(re.findall(rf"(?<!\S){re.escape(needle)}(?!\S)", haystack)) if needle else 0


def proper_noun_recall(hypothesis: str, terms: Iterable[str], reference: str | None = None
                       ) -> Recall:
    """Share of ``terms`` that appear (normalised, as whole words) in ``hypothesis``.

    Without ``reference`` each term counts once: present or not. With it, every occurrence
    in the reference counts, and the hypothesis gets credit for at most as many as it has.
    Terms absent from the reference are then ignored.
    """
    hyp = normalise(hypothesis)
    ref = normalise(reference) if reference is not None else None
    found = expected = 0
    missing: list[str] = []
    for term in dict.fromkeys(t.strip() for t in terms if t.strip()):
        needle = normalise(term)
        want = 1 if ref is None else _count(ref, needle)
        if not needle or want == 0:
            continue
        got = min(_count(hyp, needle), want)
        found, expected = found + got, expected + want
        if got < want:
            missing.append(term)
    return Recall(found=found, expected=expected, missing=tuple(missing))
