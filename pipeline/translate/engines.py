"""Translation engines behind one small interface: transformers (reference) and CTranslate2.

Both tokenise with the model's Marian sentencepiece tokenizer, decode with the same beam
and ``no_repeat_ngram_size``, and cap the output at the same number of tokens (see
:func:`output_limit`), so they produce the same kind of output from the same weights.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Protocol

from pipeline.cpu import load_ctranslate2, prepare_ctranslate2, usable_cores
from pipeline.errors import ModelUnavailableError
from pipeline.modelcache import cache_root
from pipeline.translate.models import MarianModel
from pipeline.translate.options import TranslateOptions

log = logging.getLogger(__name__)


class ConversionError(ModelUnavailableError):
    """CTranslate2 cannot convert a model (its architecture or files are not ones it knows)."""


def output_limit(input_tokens: int, ratio: float, max_positions: int) -> int:
    """The most output tokens (without the end token) for a batch whose longest input has
    ``input_tokens`` tokens: ``ratio`` × input + 8, within the model's positions."""
    return max(1, min(max_positions - 2, int(ratio * input_tokens) + 8))


class Engine(Protocol):
    name: str
    max_input_tokens: int

    def translate(self, batch: list[str], *, no_repeat_ngram_size: int | None = None,
                  min_output_tokens: int = 0) -> list[str]: ...

    def count_tokens(self, texts: list[str]) -> list[int]: ...


class _MarianTokenizing:
    """What both engines share: the Marian tokenizer and the length policy."""

    name = "marian"

    def __init__(self, model: MarianModel, decoding: TranslateOptions):
        from transformers import MarianTokenizer

        self.model = model
        self.decoding = decoding
        self.max_input_tokens = model.max_input_tokens
        self.tokenizer = MarianTokenizer.from_pretrained(str(model.path))
        self.last_output_tokens: list[int] = []     # per sentence of the last batch

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self.tokenizer(texts)["input_ids"]]

    def _limit(self, lengths: list[int]) -> int:
        return output_limit(max(lengths), self.decoding.max_length_ratio, self.max_input_tokens)

    def _ngram(self, override: int | None) -> int:
        return self.decoding.no_repeat_ngram_size if override is None else override


class TransformersEngine(_MarianTokenizing):
    """The reference: ``MarianMTModel.generate`` in PyTorch."""

    name = "transformers"

    def __init__(self, model: MarianModel, decoding: TranslateOptions):
        super().__init__(model, decoding)
        import torch
        from transformers import MarianMTModel

        if decoding.threads > 0:
            torch.set_num_threads(decoding.threads)
        self._torch = torch
        self.network = MarianMTModel.from_pretrained(str(model.path)).eval()

    def translate(self, batch: list[str], *, no_repeat_ngram_size: int | None = None,
                  min_output_tokens: int = 0) -> list[str]:
        if not batch:
            return []
        encoded = self.tokenizer(batch, return_tensors="pt", padding=True)
        limit = self._limit(encoded["attention_mask"].sum(dim=1).tolist())
        with self._torch.inference_mode():
            out = self.network.generate(
                **encoded, num_beams=self.decoding.beam_size, do_sample=False,
                max_new_tokens=limit + 1, min_new_tokens=min_output_tokens or None,
                no_repeat_ngram_size=self._ngram(no_repeat_ngram_size), early_stopping=False,
                length_penalty=1.0, num_return_sequences=1)
        special = {self.tokenizer.pad_token_id, self.tokenizer.eos_token_id}
        self.last_output_tokens = [sum(int(t) not in special for t in row) for row in out]
        return [t.strip() for t in self.tokenizer.batch_decode(out, skip_special_tokens=True)]


class CTranslate2Engine(_MarianTokenizing):
    """The fast path: the same model converted once to CTranslate2, int8 on the CPU."""

    name = "ctranslate2"

    def __init__(self, model: MarianModel, decoding: TranslateOptions, *, compute_type: str = "int8"):
        super().__init__(model, decoding)
        import ctranslate2

        folder = converted_model(model, compute_type)
        prepare_ctranslate2()
        self.workers = ctranslate2_workers(decoding.threads)
        self.translator = load_ctranslate2(lambda: ctranslate2.Translator(
            str(folder), device="cpu", compute_type=compute_type,
            inter_threads=self.workers, intra_threads=1))

    def translate(self, batch: list[str], *, no_repeat_ngram_size: int | None = None,
                  min_output_tokens: int = 0) -> list[str]:
        if not batch:
            return []
        ids = self.tokenizer(batch)["input_ids"]
        tokens = [self.tokenizer.convert_ids_to_tokens(row) for row in ids]
        # One output limit for the whole batch, as in the reference; CTranslate2 cuts the
        # batch into one part per worker and decodes the parts on separate cores.
        results = self.translator.translate_batch(
            tokens, max_batch_size=-(-len(tokens) // self.workers), batch_type="examples",
            beam_size=self.decoding.beam_size, max_decoding_length=self._limit(
                [len(row) for row in ids]), min_decoding_length=min_output_tokens,
            no_repeat_ngram_size=self._ngram(no_repeat_ngram_size), length_penalty=1.0,
            num_hypotheses=1, return_scores=False)
        self.last_output_tokens = [len(r.hypotheses[0]) for r in results]
        texts = []
        for result in results:
            out_ids = self.tokenizer.convert_tokens_to_ids(result.hypotheses[0])
            texts.append(self.tokenizer.decode(out_ids, skip_special_tokens=True).strip())
        return texts


def ctranslate2_workers(threads: int) -> int:
    """How many parts of a batch CTranslate2 decodes at once, each on one core: ``threads``,
    or with 0 one per core, at most four. On a CPU, parts decoded side by side scale better
    than several threads inside each small matrix product (benchmarks/README.md)."""
    return threads if threads > 0 else min(4, usable_cores())


ENGINE_CLASSES = {"transformers": TransformersEngine, "ctranslate2": CTranslate2Engine}


def load_engine(name: str, model: MarianModel, decoding: TranslateOptions) -> Engine:
    try:
        cls = ENGINE_CLASSES[name]
    except KeyError:
        raise ValueError(f"Unknown translation engine {name!r}; choose from "
                         f"{', '.join(ENGINE_CLASSES)}.") from None
    return cls(model, decoding)


def load_engine_or_reference(name: str, model: MarianModel,
                             decoding: TranslateOptions) -> tuple[Engine, str | None]:
    """The engine asked for, or the transformers reference when CTranslate2 cannot convert the
    model; with a note saying so (None when the engine asked for loaded)."""
    try:
        return load_engine(name, model, decoding), None
    except ConversionError as exc:
        note = (f"{model.language}: translated with transformers, as CTranslate2 could not "
                f"convert {model.spec} ({exc}).")
        log.warning("%s", note)
        return load_engine("transformers", model, decoding), note


def converted_dir(model: MarianModel, quantization: str = "int8") -> Path:
    """Where the CTranslate2 copy of ``model`` lives: keyed by the model's checksum."""
    return cache_root() / "ctranslate2" / f"marian-{model.sha256[:20]}-{quantization}"


def converted_model(model: MarianModel, quantization: str = "int8") -> Path:
    """Convert ``model`` to CTranslate2 once (int8 by default); later calls reuse the copy."""
    target = converted_dir(model, quantization)
    if (target / "model.bin").is_file():
        return target
    from ctranslate2.converters import TransformersConverter

    log.info("Converting %s to CTranslate2 into %s (once)", model.spec, target)
    staging = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        TransformersConverter(str(model.path)).convert(str(staging / "model"),
                                                      quantization=quantization, force=True)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging / "model", target)
    except OSError as exc:
        raise ConversionError(f"Cannot write the CTranslate2 copy of {model.spec} in "
                              f"{target}: {exc.strerror or exc}; set "
                              "SESSION_PIPELINE_CACHE to a writable folder.") from None
    except Exception as exc:
        raise ConversionError(f"Cannot convert {model.spec} to CTranslate2 "
                              f"({type(exc).__name__}: {exc}); use --mt-engine transformers."
                              ) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return target
