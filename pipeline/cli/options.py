"""Options several commands share, declared once; defaults and help come from the stages'
options dataclasses, so the command line never restates a default.

A shared option's click default is ``None`` ("not given"): :func:`build_options` then keeps
the dataclass default, which is the only place the default lives.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Callable

import click

from pipeline.summarise.options import SummariseOptions
from pipeline.transcribe.options import TranscribeOptions
from pipeline.translate.options import ENGINES, TranslateOptions

Decorator = Callable[[Callable], Callable]


def described(cls: type, name: str) -> str:
    """The help text of field ``name`` of options class ``cls``, ending with its default."""
    spec = {f.name: f for f in dataclasses.fields(cls)}[name]
    default = spec.default if spec.default is not dataclasses.MISSING else spec.default_factory()
    if isinstance(default, tuple):
        default = ",".join(default) if default else "none"
    elif default is None:
        return spec.metadata["help"]
    return f"{spec.metadata['help']} Default: {default}."


def build_options(cls: type, given: dict[str, Any]):
    """``cls()`` with the options the user gave (``None`` means not given)."""
    changes = {key: value for key, value in given.items() if value is not None}
    try:
        return dataclasses.replace(cls(), **changes)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def quiet_option(func: Callable) -> Callable:
    """``--quiet``: no progress bars (for scripts)."""
    return click.option("-q", "--quiet", is_flag=True, help="Show no progress bars.")(func)


def force_option(what: str) -> Decorator:
    return click.option("--force", is_flag=True, help=f"{what} again, even if up to date.")


def to_option(*, allow_none: bool = False) -> Decorator:
    extra = " 'none' for English only." if allow_none else ""
    return click.option("--to", "to", metavar="LANGS",
                        help=described(TranslateOptions, "targets") + extra)


def asr_model_option(func: Callable) -> Callable:
    return click.option("--asr-model", metavar="NAME_OR_DIR",
                        help=described(TranscribeOptions, "asr_model"))(func)


def mt_model_option(func: Callable) -> Callable:
    return click.option("--mt-model", "mt_models", multiple=True, metavar="LANG=NAME_OR_DIR",
                        help="Translation model for one language: a hub name or a local folder "
                        "(repeat per language). Default: Helsinki-NLP/opus-mt-en-LANG.")(func)


def mt_engine_option(func: Callable) -> Callable:
    return click.option("--mt-engine", type=click.Choice(ENGINES),
                        help=described(TranslateOptions, "engine"))(func)


def glossary_option(func: Callable) -> Callable:
    return click.option("--glossary", type=click.Path(path_type=Path),
                        help=described(TranslateOptions, "glossary"))(func)


def vocabulary_option(func: Callable) -> Callable:
    return click.option("--vocabulary", type=click.Path(path_type=Path),
                        help=described(TranscribeOptions, "vocabulary"))(func)


def channel_option(func: Callable) -> Callable:
    return click.option("--channel", help=described(TranscribeOptions, "channel"))(func)


def agenda_option(*, required: bool, what: str) -> Decorator:
    return click.option("--agenda", "agenda_path", required=required,
                        type=click.Path(path_type=Path), help=what)


def speakers_option(*, allow_off: bool = True) -> Decorator:
    off = ", 'off' (no speaker attribution)" if allow_off else ""
    return click.option("--speakers", "speakers", metavar="auto|N" + ("|off" if allow_off else ""),
                        help="Who spoke: 'auto' (the number of voices estimated, the agenda's "
                        f"speakers a hint){off}, or the known number of voices. Default: auto.")


def parse_speakers(value: str | None):
    """``--speakers``: ``auto`` (or not given) → the default options, ``off`` → None, ``N`` →
    exactly N voices; zero, a negative number or anything else is refused."""
    from pipeline.speakers.options import SpeakerOptions

    text = (value or "auto").strip().lower()
    if text == "auto":
        return SpeakerOptions()
    if text == "off":
        return None
    try:
        count = int(text)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not auto, off or a number of speakers.",
                                 param_hint="--speakers") from None
    if count < 1:
        raise click.BadParameter(f"{count} speakers cannot be: give 1 or more, or 'auto'.",
                                 param_hint="--speakers")
    return SpeakerOptions(speakers=count)


def summary_method_options(func: Callable) -> Callable:
    func = click.option("--summary-model", help=described(SummariseOptions, "summary_model"))(func)
    return click.option("--method", type=click.Choice(["extractive", "abstractive"]),
                        help=described(SummariseOptions, "method"))(func)


def parse_channel(value: str | None) -> int | None:
    """``--channel``: ``None``/``mix`` (all channels) or a channel number from 0."""
    if value is None or value.strip().lower() == "mix":
        return None
    try:
        channel = int(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a channel: give a number (0 is the first) "
                                 "or 'mix'.", param_hint="--channel") from None
    if channel < 0:
        raise click.BadParameter("channels are numbered from 0.", param_hint="--channel")
    return channel


def parse_languages(value: str | None) -> tuple[str, ...] | None:
    """``fr,es`` → ``("fr", "es")``, each checked against the languages the pipeline knows."""
    from pipeline.translate.options import check_languages

    if value is None:
        return None
    return check_languages([v for v in value.split(",") if v.strip()])


def parse_models(values: tuple[str, ...]) -> dict[str, str]:
    """``("fr=DIR", "es=NAME")`` → ``{"fr": "DIR", "es": "NAME"}``."""
    from pipeline.translate.options import check_languages

    models = {}
    for value in values:
        lang, sep, spec = value.partition("=")
        if not sep or not spec.strip():
            raise click.BadParameter(f"{value!r} is not LANG=NAME_OR_DIR (e.g. "
                                     "fr=models/opus-mt-en-fr).", param_hint="--mt-model")
        models[check_languages([lang])[0]] = spec.strip()
    return models


def transcribe_options(*, asr_model=None, vocabulary=None, channel=None, **given
                       ) -> TranscribeOptions:
    """The transcription options from what the command line gave."""
    from pipeline.transcribe import load_vocabulary

    return build_options(TranscribeOptions, {
        **given, "asr_model": asr_model, "channel": parse_channel(channel),
        "vocabulary": load_vocabulary(vocabulary) if vocabulary is not None else None})


def translate_options(*, to=None, mt_models=(), mt_engine=None, glossary=None, **given
                      ) -> TranslateOptions:
    """The translation options from what the command line gave."""
    from pipeline.glossary import load_glossary

    return build_options(TranslateOptions, {
        **given, "targets": parse_languages(to), "models": parse_models(mt_models) or None,
        "engine": mt_engine,
        "glossary": load_glossary(glossary) if glossary is not None else None})
