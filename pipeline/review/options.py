"""Options of the review workspace: the one place where its defaults live."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class ReviewOptions:
    """How the workspace serves a session and records its corrections.

    ``mt_models`` names a translation model per language for "translate again" (as
    ``--mt-model`` does); a language missing from it uses the model its translation was
    made with (recorded in the manifest), else the translation stage's default.
    """

    editor: str = field(default="", metadata={"help": (
        "Your name, recorded with each correction (may be left empty).")})
    low_confidence: float = field(default=0.5, metadata={"help": (
        "Words the recogniser heard with a lower probability than this are marked.")})
    mt_models: Mapping[str, str] = field(default_factory=dict)
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    lock_wait_s: float = 10.0           # how long a save waits for another save to finish
    max_text_chars: int = 5000          # the longest sentence or summary text accepted

    def __post_init__(self) -> None:
        if not 0.0 <= self.low_confidence <= 1.0:
            raise ValueError(f"The low-confidence threshold is a probability between 0 and 1, "
                             f"not {self.low_confidence}.")
