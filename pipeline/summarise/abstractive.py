"""An optional paragraph per intervention, written from the extractive draft by a transformers model."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from pipeline.errors import ModelUnavailableError

log = logging.getLogger(__name__)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ufffe\uffff]")


class AbstractiveSummariser:
    """A sequence-to-sequence summarisation model (BART, T5, Pegasus...) loaded once."""

    def __init__(self, name_or_dir: str, max_tokens: int):
        try:
            import transformers  # noqa: F401
        except ImportError as exc:
            raise ModelUnavailableError("The abstractive summary needs transformers; install "
                                        "it with 'pip install transformers torch'.") from exc
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        self.name = name_or_dir
        self.max_tokens = max_tokens
        from pipeline.modelcache import is_offline

        local = Path(name_or_dir).is_dir() or is_offline()   # offline: never a download
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(name_or_dir, local_files_only=local)
            self.model = AutoModelForSeq2SeqLM.from_pretrained(name_or_dir, local_files_only=local)
        except (OSError, ValueError) as exc:
            raise ModelUnavailableError(
                f"The summarisation model {name_or_dir!r} cannot be loaded ({_first_line(exc)}); "
                "give --summary-model a local folder with a transformers summarisation model, "
                "or use --method extractive.") from None
        self.model.eval()

    def summarise(self, text: str) -> str:
        import torch

        limit = getattr(self.tokenizer, "model_max_length", 1024)
        limit = min(limit if isinstance(limit, int) and limit < 100_000 else 1024,
                    getattr(self.model.config, "max_position_embeddings", 1024) or 1024)
        batch = self.tokenizer([text], return_tensors="pt", truncation=True, max_length=limit)
        with torch.no_grad():
            output = self.model.generate(**batch, max_new_tokens=self.max_tokens, num_beams=2)
        text = self.tokenizer.decode(output[0], skip_special_tokens=True)
        return " ".join(_CONTROL.sub(" ", text).split())


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
