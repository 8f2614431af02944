"""A tiny Marian translation model built locally (sentencepiece + random MarianMTModel) for tests.

``build_tiny_marian(folder, "fr")`` writes a directory that ``MarianTokenizer`` and
``MarianMTModel.from_pretrained`` load like a real opus-mt model: ``source.spm``,
``target.spm``, ``vocab.json``, ``tokenizer_config.json`` (with ``source_lang`` and
``target_lang``), ``config.json`` and the weights. The fixture ``tiny_marian_dir`` builds
one per target language once per test session.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

MAX_POSITIONS = 64
SEED = 1234

_SUBJECTS = {
    "en": ["The committee", "The delegation", "The chair", "The secretariat", "The rapporteur",
           "Our parliament", "The working group", "The speaker", "The minister", "The panel"],
    "fr": ["Le comité", "La délégation", "La présidente", "Le secrétariat", "Le rapporteur",
           "Notre parlement", "Le groupe de travail", "L'orateur", "Le ministre", "Le panel"],
    "es": ["El comité", "La delegación", "La presidenta", "La secretaría", "El relator",
           "Nuestro parlamento", "El grupo de trabajo", "El orador", "El ministro", "El panel"],
}
_VERBS = {
    "en": ["adopts", "discusses", "welcomes", "rejects", "presents", "supports", "reviews",
           "examines", "announces", "recalls"],
    "fr": ["adopte", "discute", "salue", "rejette", "présente", "soutient", "révise",
           "examine", "annonce", "rappelle"],
    "es": ["aprueba", "discute", "acoge", "rechaza", "presenta", "apoya", "revisa",
           "examina", "anuncia", "recuerda"],
}
_OBJECTS = {
    "en": ["the report on migration", "the draft resolution", "the new agenda",
           "the rights of migrant workers", "the budget for next year", "the final declaration",
           "the proposal of the delegation", "the question of human rights",
           "the work of the union", "the situation of refugees"],
    "fr": ["le rapport sur la migration", "le projet de résolution", "le nouvel ordre du jour",
           "les droits des travailleurs migrants", "le budget de l'année prochaine",
           "la déclaration finale", "la proposition de la délégation",
           "la question des droits de l'homme", "le travail de l'union",
           "la situation des réfugiés"],
    "es": ["el informe sobre la migración", "el proyecto de resolución", "el nuevo orden del día",
           "los derechos de los trabajadores migrantes", "el presupuesto del próximo año",
           "la declaración final", "la propuesta de la delegación",
           "la cuestión de los derechos humanos", "el trabajo de la unión",
           "la situación de los refugiados"],
}
_TAILS = {
    "en": ["today", "with great interest", "before the vote", "in Geneva", "this morning"],
    "fr": ["aujourd'hui", "avec grand intérêt", "avant le vote", "à Genève", "ce matin"],
    "es": ["hoy", "con gran interés", "antes de la votación", "en Ginebra", "esta mañana"],
}


def corpus(lang: str, count: int = 400, seed: int = SEED) -> list[str]:
    """``count`` template sentences in ``lang`` (the same choices for every language)."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        s, v, o, t = (rng.randrange(10), rng.randrange(10), rng.randrange(10), rng.randrange(5))
        lines.append(f"{_SUBJECTS[lang][s]} {_VERBS[lang][v]} {_OBJECTS[lang][o]} {_TAILS[lang][t]}.")
    return lines


def _train_spm(text_path: Path, prefix: Path, vocab_size: int) -> None:
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        input=str(text_path), model_prefix=str(prefix), vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, seed_sentencepiece_size=10000,
        bos_id=-1, eos_id=-1, unk_id=0, num_threads=1, minloglevel=2,
        hard_vocab_limit=False, input_sentence_size=0, shuffle_input_sentence=False)


def _write_tokenizer(folder: Path, target_lang: str, vocab_size: int) -> dict[str, int]:
    for lang, name in (("en", "source"), (target_lang, "target")):
        text = folder / f"corpus.{lang}.txt"
        text.write_text("\n".join(corpus(lang)) + "\n", encoding="utf-8")
        _train_spm(text, folder / name, vocab_size)
        (folder / f"{name}.model").rename(folder / f"{name}.spm")
        (folder / f"{name}.vocab").unlink()
        text.unlink()
    vocab = {"</s>": 0, "<unk>": 1}
    import sentencepiece as spm

    for name in ("source", "target"):
        sp = spm.SentencePieceProcessor(model_file=str(folder / f"{name}.spm"))
        for index in range(sp.get_piece_size()):
            vocab.setdefault(sp.id_to_piece(index), len(vocab))
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    config = {"source_lang": "en", "target_lang": target_lang, "model_max_length": MAX_POSITIONS,
              "unk_token": "<unk>", "eos_token": "</s>", "pad_token": "<pad>",
              "separate_vocabs": False, "tokenizer_class": "MarianTokenizer"}
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    return vocab


def build_tiny_marian(folder: str | Path, target_lang: str, *, d_model: int = 64,
                      layers: int = 2, vocab_size: int = 400) -> Path:
    """Write a tiny, randomly initialised en→``target_lang`` Marian model into ``folder``."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = _write_tokenizer(folder, target_lang, vocab_size)
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab), d_model=d_model, encoder_layers=layers, decoder_layers=layers,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=2 * d_model,
        decoder_ffn_dim=2 * d_model, max_position_embeddings=MAX_POSITIONS,
        pad_token_id=pad, eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=0,
        bad_words_ids=[[pad]], num_beams=1, max_length=MAX_POSITIONS,
        scale_embedding=True, share_encoder_decoder_embeddings=True, init_std=0.1,
        name_or_path=f"tiny-opus-mt-en-{target_lang}")
    torch.manual_seed(SEED)
    model = MarianMTModel(config)
    model.eval()
    model.save_pretrained(folder)
    return folder


def english_session(root: str | Path, texts: list[str], *, sections: list[str] | None = None):
    """A session folder whose ``en/transcript.*`` holds ``texts``, 3 s per sentence."""
    from helpers.sessions import put_transcript
    from pipeline.formats.transcript import Sentence, Transcript
    from pipeline.session import Session

    session = Session.open(root)
    sentences = tuple(
        Sentence(id=i + 1, start=3.0 * i + 0.25, end=3.0 * i + 2.75, text=text,
                 section=(sections[i] if sections else None))
        for i, text in enumerate(texts))
    put_transcript(session, Transcript("en", sentences), stage="transcribe")
    session.save()
    return session


@pytest.fixture(scope="session")
def tiny_marian_dir(tmp_path_factory):
    """``tiny_marian_dir(lang)`` → a tiny en→lang Marian model folder, built once per run."""
    built: dict[str, Path] = {}

    def get(lang: str) -> Path:
        if lang not in built:
            built[lang] = build_tiny_marian(tmp_path_factory.mktemp(f"marian-en-{lang}"), lang)
        return built[lang]

    return get
