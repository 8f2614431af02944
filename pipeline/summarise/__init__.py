"""Draft summaries: per agenda item, per language, the same chosen sentences."""

from pipeline.summarise.options import SummariseOptions
from pipeline.summarise.stage import choose_sentences, draft_items, summarise_session

__all__ = ["SummariseOptions", "choose_sentences", "draft_items", "summarise_session"]
