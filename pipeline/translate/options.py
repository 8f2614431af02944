"""Translation options: the one place where the translation stage's defaults live."""

from __future__ import annotations

from dataclasses import dataclass, field

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

    targets: tuple[str, ...] = ("fr", "es")
    models: dict[str, str] = field(default_factory=dict)
    engine: str = "transformers"
    beam_size: int = 4
    batch_size: int = 16
    threads: int = 0
    max_input_tokens: int | None = None
    no_repeat_ngram_size: int = 0
    retry_no_repeat_ngram_size: int = 3
    max_length_ratio: float = 3.0
    glossary: Glossary = field(default_factory=Glossary)

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
