"""Options of the summary stage: the one place where its defaults live."""

from __future__ import annotations

from dataclasses import dataclass

METHODS = ("extractive", "abstractive")


@dataclass(frozen=True)
class SummariseOptions:
    """How each agenda item's draft summary is made.

    ``extractive`` (the default, no model) keeps the sentences that best represent the item:
    central to what was said, carrying names, figures, acronyms and glossary terms, and not
    repeating each other. The number kept is ``ratio`` of the item's sentences, between
    ``min_sentences`` and ``max_sentences``. ``abstractive`` adds an English paragraph written
    by a transformers summarisation model (``summary_model``: a name or a local folder).
    """

    method: str = "extractive"
    ratio: float = 0.4
    min_sentences: int = 2
    max_sentences: int = 20
    min_words: int = 5               # shorter sentences ("Thank you.") are kept only if nothing else
    redundancy: float = 0.6          # weight of similarity to sentences already chosen
    key_term_weight: float = 0.35    # per name, figure, acronym or glossary term not yet covered
    summary_model: str | None = None
    summary_max_tokens: int = 160

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"Unknown summary method {self.method!r}; choose one of: "
                             f"{', '.join(METHODS)}.")
        if not 0 < self.ratio <= 1:
            raise ValueError(f"The summary ratio must be above 0 and at most 1, not {self.ratio}.")
        if self.min_sentences < 1 or self.max_sentences < self.min_sentences:
            raise ValueError("Give 1 <= min_sentences <= max_sentences.")
