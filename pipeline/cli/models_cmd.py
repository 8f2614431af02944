"""``models``: which models the pipeline uses, whether they are here, and getting them ahead of time."""

from __future__ import annotations

import click

from pipeline.cli.app import main, say
from pipeline.cli.translate_cmd import mt_model_option, parse_languages, parse_models

OFFLINE_HINT = ("Models are in place. On this machine, set HF_HUB_OFFLINE=1 and "
                "SESSION_PIPELINE_OFFLINE=1 (e.g. export both in your shell profile) so later "
                "runs never touch the network.")


@main.group()
def models() -> None:
    """List, fetch and convert the speech and translation models.

    Example: session-pipeline models list --to fr,es
    """


def _targets(to: str, mt_models: tuple[str, ...]) -> dict[str, str]:
    from pipeline.translate.options import TranslateOptions

    options = TranslateOptions(targets=parse_languages(to), models=parse_models(mt_models))
    return {lang: options.model_for(lang) for lang in options.targets}


def _asr_default() -> str:
    from pipeline.transcribe.options import TranscribeOptions

    return TranscribeOptions().asr_model


@models.command("list")
@click.option("--to", default="fr,es", show_default=True, help="Target languages.")
@mt_model_option
@click.option("--asr-model", help="Speech model name or folder (default: the transcribe default).")
def list_models(to: str, mt_models: tuple[str, ...], asr_model: str | None) -> None:
    """Show each model the pipeline would use and whether it is on this machine (tab-separated:
    role, model, present, where or how to get it).

    Example: session-pipeline models list --to fr,es --mt-model fr=models/opus-mt-en-fr
    """
    from pipeline.transcribe.models import asr_model_status
    from pipeline.translate.models import model_status

    spec = asr_model or _asr_default()
    rows = [("asr", spec, *asr_model_status(spec))]
    rows += [(f"mt-{lang}", name, *model_status(name, lang))
             for lang, name in _targets(to, mt_models).items()]
    for role, name, present, where in rows:
        click.echo(f"{role}\t{name}\t{'yes' if present else 'no'}\t{where}")


@models.command()
@click.option("--to", default="fr,es", show_default=True, help="Target languages.")
@mt_model_option
@click.option("--asr-model", help="Speech model name or folder (default: the transcribe default).")
def fetch(to: str, mt_models: tuple[str, ...], asr_model: str | None) -> None:
    """Download every model the pipeline would use into the local cache, for offline use.

    Run it once on a machine with network access; copy the Hugging Face cache (HF_HOME)
    to an offline machine if needed.

    Example: session-pipeline models fetch --to fr,es --asr-model base
    """
    from pipeline.transcribe.models import resolve_asr_model
    from pipeline.translate.models import resolve_marian_model

    asr = resolve_asr_model(asr_model or _asr_default(), offline=False)
    click.echo(f"asr\t{asr.spec}\t{asr.path}")
    for lang, name in _targets(to, mt_models).items():
        model = resolve_marian_model(name, lang, offline=False)
        click.echo(f"mt-{lang}\t{name}\t{model.path}")
    say(OFFLINE_HINT)


@models.command()
@click.option("--to", default="fr,es", show_default=True, help="Target languages.")
@mt_model_option
def convert(to: str, mt_models: tuple[str, ...]) -> None:
    """Convert the translation models to CTranslate2 (int8) once, for --mt-engine ctranslate2.

    Example: session-pipeline models convert --to fr --mt-model fr=models/opus-mt-en-fr
    """
    from pipeline.translate.engines import converted_model
    from pipeline.translate.models import resolve_marian_model

    for lang, name in _targets(to, mt_models).items():
        folder = converted_model(resolve_marian_model(name, lang))
        click.echo(f"mt-{lang}\t{name}\t{folder}")
