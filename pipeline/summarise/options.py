"""Options of the summary stage: the one place where its defaults live."""

from __future__ import annotations

from dataclasses import dataclass, field

METHODS = ("extractive", "abstractive")


@dataclass(frozen=True)
class SummariseOptions:
    """How each agenda item's draft summary is made.

    ``extractive`` (the default, no model) keeps the sentences that together cover the most
    distinct salient units per word: names, figures, acronyms and glossary terms, and the
    item's rarer content words and word pairs; sentences that only run the meeting (thanks,
    hand-overs) count for less. The number kept is ``ratio`` of the item's sentences, between
    ``min_sentences`` and ``max_sentences``. ``abstractive`` adds an English paragraph written
    by a transformers summarisation model (``summary_model``: a name or a local folder).
    """

    method: str = field(default="extractive", metadata={"help": (
        "extractive (no model) or abstractive (adds a paragraph by a summarisation model).")})
    ratio: float = field(default=0.4, metadata={"help": "Share of each item's sentences to keep."})
    min_sentences: int = 2
    max_sentences: int = 20
    min_words: int = 5               # shorter sentences ("Thank you.") are kept only if nothing else
    content_weight: float = 0.5      # most a rare content word (or word pair) adds; a name adds 1
    topic_bonus: float = 1.0         # a unit the item's title, description or speakers name: x2
    procedural_factor: float = 0.4   # a thanks or hand-over sentence's gain is multiplied by this
    procedural_words: int = 15       # ... when it is no longer than this (longer ones say more)
    relevance_weight: float = 0.5    # closeness to the item's centre and topic, added to the gain
    length_exponent: float = 0.65    # gain is divided by (words ** this): prefer dense sentences
    summary_model: str | None = field(default=None, metadata={"help": (
        "For --method abstractive: a transformers summarisation model, a name or a local "
        "folder.")})
    summary_max_tokens: int = 160

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"Unknown summary method {self.method!r}; choose one of: "
                             f"{', '.join(METHODS)}.")
        if not 0 < self.ratio <= 1:
            raise ValueError(f"The summary ratio must be above 0 and at most 1, not {self.ratio}.")
        if self.min_sentences < 1 or self.max_sentences < self.min_sentences:
            raise ValueError("Give 1 <= min_sentences <= max_sentences.")
