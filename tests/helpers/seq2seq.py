"""A tiny T5 summarisation model built locally (sentencepiece + random weights) for tests.

``build_tiny_t5(folder)`` trains a small sentencepiece model on template sentences, saves it
as a ``T5Tokenizer`` and saves a small, randomly initialised ``T5ForConditionalGeneration``
with ``save_pretrained``: a folder that ``AutoTokenizer`` and ``AutoModelForSeq2SeqLM`` load
like a real summarisation model, so the pipeline's real loading and generation code runs on
it. Its output is random word pieces.
"""

from __future__ import annotations

from pathlib import Path

from helpers.marian import SEED, corpus

MAX_POSITIONS = 128


def build_tiny_t5(folder: str | Path, *, d_model: int = 32, vocab_size: int = 200) -> Path:
    """Write a tiny, randomly initialised T5 summariser into ``folder``."""
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, T5Config, T5ForConditionalGeneration, T5Tokenizer

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    text = folder / "corpus.txt"
    text.write_text("\n".join(corpus("en")) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(folder / "spiece"), vocab_size=vocab_size,
        model_type="unigram", pad_id=0, eos_id=1, unk_id=2, bos_id=-1, character_coverage=1.0,
        num_threads=1, minloglevel=2, hard_vocab_limit=False, shuffle_input_sentence=False)
    text.unlink()
    (folder / "spiece.vocab").unlink()
    tokenizer = T5Tokenizer.from_pretrained(folder, extra_ids=0, model_max_length=MAX_POSITIONS)
    tokenizer.save_pretrained(folder)
    config = T5Config(vocab_size=len(tokenizer), d_model=d_model, d_ff=2 * d_model, d_kv=16,
                      num_layers=1, num_decoder_layers=1, num_heads=2, pad_token_id=0,
                      eos_token_id=1, decoder_start_token_id=0)
    torch.manual_seed(SEED)
    model = T5ForConditionalGeneration(config)
    model.eval()
    model.generation_config = GenerationConfig(        # as real summarisers ship one
        min_length=8, no_repeat_ngram_size=3, decoder_start_token_id=0, eos_token_id=1,
        pad_token_id=0)
    model.save_pretrained(folder)
    return folder
