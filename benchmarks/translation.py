"""Translation throughput on CPU: transformers (reference) against CTranslate2 int8.

Builds a randomly initialised Marian model with the real opus-mt-en-fr dimensions
(d_model 512, 6+6 layers, 8 heads, FFN 2048, vocabulary 59,514, 512 positions; weights do
not change speed) and a sentencepiece tokenizer trained locally, then translates the same
realistic meeting sentences (15-30 words) with both engines through the pipeline's own
engine adapters, with the same beam and batch size. Random weights never stop on their
own, so both engines are held to the same output length: at most
``ratio × input tokens + 8`` tokens (ratio 1.2, about a real French translation's length).
Each engine runs in its own process so its peak memory (max RSS) is its own; the
CTranslate2 conversion (``models convert``) is done beforehand, outside that process.

Both engines are measured with each thread setting of ``--threads``: 0 is the pipeline's
default (every core: PyTorch's threads, or one CTranslate2 worker per core), 1 one thread.

Usage: .venv/bin/python benchmarks/translation.py [--sentences 32] [--beam 4] [--batch 16]
       [--threads 0,1] [--repeat 3]
Writes a table to stdout and benchmarks/results/translation.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "translation.json"
sys.path.insert(0, str(ROOT / "benchmarks"))

from records import write_json  # noqa: E402
WORK = ROOT / ".cache" / "bench-marian-en-fr"
VOCAB = 59514
LENGTH_RATIO = 1.2

_OPENINGS = ["Thank you, Madam Chair,", "On behalf of my delegation,", "In our national parliament,",
             "As the rapporteur reminded us this morning,", "Since the last session in Geneva,",
             "With regard to the draft resolution before us,", "Allow me to stress that",
             "According to the latest report of the Secretary-General,"]
_CLAUSES = ["the committee has reviewed the rights of migrant workers in forty countries",
            "parliaments must adopt laws that protect the families of migrant workers",
            "the Global Compact for Migration sets out twenty-three objectives for States",
            "we call on all members to ratify the Convention before the end of next year",
            "the budget for the programme on labour migration was increased by ten percent",
            "several delegations asked for more data on climate-related displacement",
            "our office has trained members of parliament from twelve countries in the region",
            "the working group will present its final declaration at the next plenary meeting",
            "access to health care and education remains a concern for undocumented migrants",
            "the secretariat will circulate the revised agenda to all delegations tomorrow"]
_ENDINGS = ["and we thank the panel for its work.", "as the Chair noted earlier today.",
            "which my government fully supports.", "in close cooperation with civil society.",
            "before the International Migration Review Forum.", "."]


def sentences(count: int, seed: int = 7) -> list[str]:
    """Meeting-style English sentences of 15 to 30 words, always the same for a seed."""
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        text = f"{rng.choice(_OPENINGS)} {rng.choice(_CLAUSES)} {rng.choice(_ENDINGS)}"
        text = text.replace(" .", ".")
        if 15 <= len(text.split()) <= 30:
            out.append(text[0].upper() + text[1:])
    return out


def build_model(folder: Path) -> Path:
    """The opus-mt-sized random model and its tokenizer, built once into ``folder``."""
    if (folder / "model.safetensors").exists():
        return folder
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel

    folder.mkdir(parents=True, exist_ok=True)
    text = folder / "train.txt"
    lines = sentences(2000, seed=1) + [c for c in _CLAUSES] + [o for o in _OPENINGS]
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(text), model_prefix=str(folder / "sp"),
                                   vocab_size=1200, model_type="bpe", hard_vocab_limit=False, bos_id=-1, eos_id=-1,
                                   unk_id=0, character_coverage=1.0, minloglevel=2)
    for name in ("source", "target"):
        (folder / f"{name}.spm").write_bytes((folder / "sp.model").read_bytes())
    sp = spm.SentencePieceProcessor(model_file=str(folder / "sp.model"))
    vocab = {"</s>": 0, "<unk>": 1}
    for i in range(sp.get_piece_size()):
        vocab.setdefault(sp.id_to_piece(i), len(vocab))
    while len(vocab) < VOCAB - 1:                 # the real vocabulary size: real softmax cost
        vocab[f"<unused{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(json.dumps(
        {"source_lang": "en", "target_lang": "fr", "model_max_length": 512}), encoding="utf-8")
    config = MarianConfig(vocab_size=VOCAB, d_model=512, encoder_layers=6, decoder_layers=6,
                          encoder_attention_heads=8, decoder_attention_heads=8,
                          encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_position_embeddings=512,
                          pad_token_id=VOCAB - 1, eos_token_id=0, decoder_start_token_id=VOCAB - 1,
                          forced_eos_token_id=0, bad_words_ids=[[VOCAB - 1]], scale_embedding=True,
                          share_encoder_decoder_embeddings=True)
    torch.manual_seed(0)
    MarianMTModel(config).save_pretrained(folder)
    for leftover in ("train.txt", "sp.model", "sp.vocab"):
        (folder / leftover).unlink()
    return folder


def run_engine(engine_name: str, folder: Path, count: int, beam: int, batch: int,
               threads: int, repeat: int) -> dict:
    """One engine in this process: load, warm up, translate every sentence; time and memory."""
    from pipeline.translate.engines import load_engine
    from pipeline.translate.models import resolve_marian_model
    from pipeline.translate.options import TranslateOptions

    model = resolve_marian_model(str(folder), "fr")
    decoding = TranslateOptions(beam_size=beam, max_length_ratio=LENGTH_RATIO, threads=threads)
    clock = time.perf_counter()
    engine = load_engine(engine_name, model, decoding)
    load_s = time.perf_counter() - clock
    texts = sorted(sentences(count), key=lambda t: len(t))
    engine.translate(texts[:2])                                   # warm-up
    walls, cpus = [], []
    for _ in range(repeat):                        # best of several: the machine may be shared
        clock, cpu = time.perf_counter(), time.process_time()
        out_tokens = []
        for start in range(0, len(texts), batch):
            engine.translate(texts[start:start + batch])
            out_tokens += engine.last_output_tokens
        walls.append(time.perf_counter() - clock)
        cpus.append(time.process_time() - cpu)
    seconds = min(walls)
    in_tokens = engine.count_tokens(texts)
    return {"engine": engine_name, "threads": threads, "sentences": len(texts),
            "seconds": round(seconds, 3),
            "sentences_per_second": round(len(texts) / seconds, 3),
            "all_seconds": [round(w, 2) for w in walls], "cpu_seconds": round(min(cpus), 2),
            "load_seconds": round(load_s, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "mean_words": round(sum(len(t.split()) for t in texts) / len(texts), 1),
            "mean_input_tokens": round(sum(in_tokens) / len(texts), 1),
            "mean_output_tokens": round(sum(out_tokens) / len(texts), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=32)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", default="0,1",
                        help="thread settings to measure, comma-separated (0: all cores)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; the best counts")
    parser.add_argument("--engines", default="transformers,ctranslate2")
    parser.add_argument("--one", help=argparse.SUPPRESS)     # child process: one engine
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    os.environ.setdefault("SESSION_PIPELINE_CACHE", str(WORK.parent / "session-pipeline"))
    if args.one:
        print(json.dumps(run_engine(args.one, WORK, args.sentences, args.beam, args.batch,
                                    int(args.threads), args.repeat)))
        return
    build_model(WORK)
    if "ctranslate2" in args.engines:           # convert once, outside the timed process
        from pipeline.translate.engines import converted_model
        from pipeline.translate.models import resolve_marian_model

        converted_model(resolve_marian_model(str(WORK), "fr"))
    rows = []
    for threads in args.threads.split(","):
        for name in args.engines.split(","):
            child = subprocess.run([sys.executable, __file__, "--one", name, "--sentences",
                                    str(args.sentences), "--beam", str(args.beam), "--batch",
                                    str(args.batch), "--threads", threads.strip(),
                                    "--repeat", str(args.repeat)],
                                   capture_output=True, text=True, check=True)
            rows.append(json.loads(child.stdout.strip().splitlines()[-1]))
    report(rows, args)


def threads_label(threads: int) -> str:
    return f"all {os.cpu_count()} cores (default)" if threads == 0 else f"{threads} thread" + (
        "s" if threads > 1 else "")


def report(rows: list[dict], args) -> None:
    for r in rows:
        r["threads_label"] = threads_label(r["threads"])
    speedups = {}
    for threads in dict.fromkeys(r["threads"] for r in rows):
        by = {r["engine"]: r for r in rows if r["threads"] == threads}
        if {"transformers", "ctranslate2"} <= by.keys():
            speedups[threads_label(threads)] = round(by["ctranslate2"]["sentences_per_second"]
                                                     / by["transformers"]["sentences_per_second"], 2)
    data = {"benchmark": "translation", "model": "random Marian, opus-mt-en-fr dimensions "
            "(d_model 512, 6+6 layers, 8 heads, FFN 2048, vocab 59514)",
            "beam_size": args.beam, "batch_size": args.batch,
            "timing": f"best of {args.repeat} passes over the same sentences, after a warm-up",
            "output_limit": f"{LENGTH_RATIO} x input tokens + 8 (both engines)",
            "ctranslate2_compute_type": "int8", "transformers_dtype": "float32",
            "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                        "processor": platform.processor() or platform.machine()},
            # the headline: the first thread setting measured (the pipeline's default)
            "speedup_ctranslate2_over_transformers": next(iter(speedups.values()), None),
            "speedups": speedups, "results": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_json(args.out, data)
    print(f"Translation, {rows[0]['sentences']} sentences of {rows[0]['mean_words']} words "
          f"on average, beam {args.beam}, batch {args.batch}")
    print(f"{'engine':<14}{'threads':>22}{'sent/s':>9}{'seconds':>9}{'cpu s':>8}{'peak MB':>9}"
          f"{'in tok':>8}{'out tok':>8}")
    for r in rows:
        print(f"{r['engine']:<14}{r['threads_label']:>22}{r['sentences_per_second']:>9.2f}"
              f"{r['seconds']:>9.1f}{r['cpu_seconds']:>8.1f}{r['peak_rss_mb']:>9.0f}"
              f"{r['mean_input_tokens']:>8.1f}{r['mean_output_tokens']:>8.1f}")
    for label, ratio in speedups.items():
        print(f"ctranslate2 / transformers, {label}: {ratio}x")


if __name__ == "__main__":
    main()
