"""Options of the summary stage: the one place where its defaults live."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

METHODS = ("extractive", "abstractive")
_SHARE = re.compile(r"(?:0?\.\d+|1(?:\.0*)?|\d{1,3}%)")
_WORDS = re.compile(r"(\d+)\s*w(?:ords?)?")


@dataclass(frozen=True)
class Length:
    """How long an item's draft may be: a ``share`` of the item's words, or a number of
    ``words``; exactly one of them is set."""

    share: float | None = None
    words: int | None = None

    def words_for(self, item_words: int) -> int:
        """The most words of what was said that the draft of an item of ``item_words`` keeps."""
        if self.words is not None:
            return self.words
        return math.floor(self.share * item_words + 1e-9)


def parse_length(text: str) -> Length:
    """``0.15`` or ``15%`` (a share of each item's words) or ``120w`` (words per item)."""
    value = str(text).strip().lower()
    words = _WORDS.fullmatch(value)
    if words and int(words.group(1)) > 0:
        return Length(words=int(words.group(1)))
    if _SHARE.fullmatch(value):
        share = float(value[:-1]) / 100 if value.endswith("%") else float(value)
        if 0 < share <= 1:
            return Length(share=share)
    raise ValueError(f"{text!r} is not a summary length: give a share of each item's words "
                     "above 0 and at most 1 (0.15 or 15%), or words per item (120w).")


@dataclass(frozen=True)
class SummariseOptions:
    """How each agenda item's draft summary record is made.

    Each item is cut into interventions (a speaker's turn, or consecutive turns of one speaker
    around a short interruption); ``extractive`` (the default, no model) keeps the sentences
    that together cover the most distinct facts per word (names, figures, acronyms, glossary
    terms, the item's rarer words), within ``length``, each under its speaker's lead-in.
    Sentences that only run the meeting (thanks, hand-overs) are left out. ``abstractive``
    adds, under each lead-in, an English paragraph written from the chosen sentences by a
    transformers summarisation model (``summary_model``: a name or a local folder).
    """

    method: str = field(default="extractive", metadata={"help": (
        "extractive (no model) or abstractive (adds a paragraph per intervention, written by "
        "a summarisation model from the extractive draft).")})
    length: str = field(default="0.15", metadata={"help": (
        "How long each item's draft may be: a share of the item's words (0.15) or words per "
        "item (120w).")})
    min_words: int = 5               # shorter sentences ("Thank you.") carry nothing alone
    content_weight: float = 0.5      # most a rare content word (or word pair) adds; a name adds 1
    topic_bonus: float = 1.0         # a unit the item's title, description or speakers name: x2
    procedural_words: int = 15       # a thanks or hand-over sentence this short is left out
    procedural_factor: float = 0.4   # ... a longer one's gain is multiplied by this
    relevance_weight: float = 0.0    # closeness to the item's centre and topic, added to the gain
    length_exponent: float = 0.8     # gain is divided by (words ** this): prefer dense sentences
    speaker_bonus: float = 1.0       # added to the gain of a speaker's first chosen sentence
    interruption_words: int = 15     # a turn this short between two of one speaker's is folded
    floor_words: int = 40            # an item with speech keeps its best passage up to this long
    summary_model: str | None = field(default=None, metadata={"help": (
        "For --method abstractive: a transformers summarisation model, a name or a local "
        "folder.")})
    summary_max_tokens: int = 120

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"Unknown summary method {self.method!r}; choose one of: "
                             f"{', '.join(METHODS)}.")
        parse_length(self.length)

    @property
    def budget(self) -> Length:
        """:attr:`length` as a :class:`Length`."""
        return parse_length(self.length)
