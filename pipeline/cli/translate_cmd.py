"""``translate``: the English transcript of a session becomes French and Spanish transcripts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from pipeline.cli.app import main, quiet_option, reporter_for, say
from pipeline.lock import SessionLock
from pipeline.session import Session


def parse_languages(value: str) -> tuple[str, ...]:
    """``fr,es`` → ``("fr", "es")``, each checked against the languages the pipeline knows."""
    from pipeline.translate.options import check_languages

    return check_languages([v for v in value.split(",") if v.strip()])


def parse_models(values: tuple[str, ...]) -> dict[str, str]:
    """``("fr=DIR", "es=NAME")`` → ``{"fr": "DIR", "es": "NAME"}``."""
    from pipeline.translate.options import check_languages

    models = {}
    for value in values:
        lang, sep, spec = value.partition("=")
        if not sep or not spec.strip():
            raise click.BadParameter(f"{value!r} is not LANG=NAME_OR_DIR (e.g. fr=models/opus-mt-en-fr).",
                                     param_hint="--mt-model")
        models[check_languages([lang])[0]] = spec.strip()
    return models


def mt_model_option(func):
    return click.option("--mt-model", "mt_models", multiple=True, metavar="LANG=NAME_OR_DIR",
                        help="Translation model for one language: a hub name or a local folder "
                        "(repeat per language). Default: Helsinki-NLP/opus-mt-en-LANG.")(func)


@main.command()
@click.argument("session_dir", type=click.Path(path_type=Path))
@click.option("--to", "to", default="fr,es", show_default=True,
              help="Target languages, comma-separated.")
@mt_model_option
@click.option("--glossary", type=click.Path(path_type=Path),
              help="Glossary YAML of official terms and names to keep.")
@click.option("--mt-engine", "engine", type=click.Choice(["transformers", "ctranslate2"]),
              help="transformers (the reference, default) or ctranslate2 (int8, faster).")
@click.option("--beam-size", type=click.IntRange(min=1), help="Beam size (default 4).")
@click.option("--batch-size", type=click.IntRange(min=1),
              help="Sentences per batch, sorted by length (default 16).")
@click.option("--threads", type=click.IntRange(min=0),
              help="CPU threads (default 0: every core; ctranslate2 decodes one part of each "
              "batch per core, at most four).")
@click.option("--force", is_flag=True, help="Translate again even if up to date (the "
              "translation memory is still used).")
@quiet_option
def translate(session_dir: Path, to: str, mt_models: tuple[str, ...], glossary: Path | None,
              force: bool, quiet: bool, **given) -> None:
    """Translate SESSION_DIR/en/transcript.json into SESSION_DIR/<lang>/.

    Writes transcript.json, .srt, .vtt, .txt and .md per language with exactly the
    English sentence ids and times, and records the models in session.json. Sentences
    already translated by the same model and settings are reused from the memory.

    Example: session-pipeline translate out/ --to fr,es --mt-model fr=models/opus-mt-en-fr
    """
    from pipeline.glossary import load_glossary
    from pipeline.translate.options import TranslateOptions
    from pipeline.translate.stage import STAGE, translate_session

    changes = {k: v for k, v in given.items() if v is not None}
    changes["targets"] = parse_languages(to)
    changes["models"] = parse_models(mt_models)
    if glossary is not None:
        changes["glossary"] = load_glossary(glossary)
    options = dataclasses.replace(TranslateOptions(), **changes)
    session = Session.open(session_dir, create=False)
    with SessionLock(session_dir, "translate"):
        session = Session.open(session_dir, create=False)
        results = translate_session(session, options, reporter_for(quiet), force=force)
    languages = session.stage(STAGE)["languages"]
    for lang, transcript in results.items():
        click.echo(session.transcript_path(lang))
        run = languages[lang].get("last_run", {})
        say(f"{lang}: {len(transcript.sentences)} sentences, {run.get('translated', 0)} "
            f"translated, {run.get('reused', 0)} reused from the translation memory"
            + _extras(run, lang))


def _extras(run: dict, lang: str) -> str:
    notes = []
    if run.get("split"):
        notes.append(f"{run['split']} over-long split")
    if run.get("repetition_suppressed"):
        notes.append(f"{run['repetition_suppressed']} repetition loops suppressed")
    if run.get("glossary_missing"):
        notes.append(f"{run['glossary_missing']} glossary terms not enforced "
                     f"(see {lang}/glossary-report.md)")
    return ("; " + ", ".join(notes) + ".") if notes else "."
