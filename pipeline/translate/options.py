"""Translation options: the one place where the translation stage's defaults live."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pipeline.glossary import Glossary

LANGUAGES = {"fr": "French", "es": "Spanish"}
DEFAULT_MODELS = {"fr": "Helsinki-NLP/opus-mt-en-fr", "es": "Helsinki-NLP/opus-mt-en-es"}
ENGINES = ("transformers", "ctranslate2")


@dataclass(frozen=True)
class TranslateOptions:
    """How to translate: targets, a model per target, engine and decoding settings.

    ``models`` maps a target language to a model name (hub cache) or a local directory;
    a target missing from it uses :data:`DEFAULT_MODELS`. ``max_input_tokens`` of ``None``
    takes the model's own limit (config / tokenizer ``model_max_length``).
    """

    targets: tuple[str, ...] = field(default=("fr", "es"), metadata={"help": (
        "Translation targets, comma-separated.")})
    models: dict[str, str] = field(default_factory=dict)
    # CTranslate2 with int8 weights translates about 3x the sentences per second of the
    # transformers reference on a CPU (benchmarks/README.md); a model it cannot convert is
    # translated with transformers instead, with a note in the run's summary and manifest.
    engine: str = field(default="ctranslate2", metadata={"help": (
        "Translation engine: ctranslate2 (the model converted once to int8, about 3x faster "
        "on a CPU) or transformers (the reference).")})
    beam_size: int = field(default=4, metadata={"help": "Beam size of the translation."})
    batch_size: int = field(default=16, metadata={"help": (
        "Sentences per batch, sorted by length.")})
    threads: int = field(default=0, metadata={"help": (
        "CPU threads; 0: every core (ctranslate2 decodes one part of each batch per core, "
        "at most four).")})
    max_input_tokens: int | None = None
    no_repeat_ngram_size: int = 0
    retry_no_repeat_ngram_size: int = 3
    max_length_ratio: float = 3.0
    glossary: Glossary = field(default_factory=Glossary, metadata={"help": (
        "Glossary YAML of official terms and names to keep, added to the agenda's.")})

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"Unknown translation engine {self.engine!r}; choose from "
                             f"{', '.join(ENGINES)}.")

    def with_glossary(self, glossary: Glossary) -> "TranslateOptions":
        """These options with ``glossary`` added (the agenda's, merged the same way by every
        command, so a stage run alone and by 'run' has the same fingerprint)."""
        return replace(self, glossary=self.glossary.merged(glossary))

    def model_for(self, language: str) -> str:
        return self.models.get(language) or DEFAULT_MODELS[language]

    def decoding(self) -> dict:
        """The settings that change what the model writes (part of every memory key)."""
        return {"beam_size": self.beam_size, "no_repeat_ngram_size": self.no_repeat_ngram_size,
                "retry_no_repeat_ngram_size": self.retry_no_repeat_ngram_size,
                "max_length_ratio": self.max_length_ratio,
                "max_input_tokens": self.max_input_tokens}


def check_languages(codes: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Validate target codes; an unknown one raises ``InputError`` naming the choices."""
    from pipeline.errors import InputError

    out = []
    for code in codes:
        code = code.strip().lower()
        if code not in LANGUAGES:
            raise InputError(f"Unknown target language {code!r}; choose from "
                             f"{', '.join(sorted(LANGUAGES))}.")
        if code not in out:
            out.append(code)
    if not out:
        raise InputError(f"No target language given; choose from {', '.join(sorted(LANGUAGES))}.")
    return tuple(out)
