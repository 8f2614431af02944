"""``models``: which models the pipeline uses, whether they are here, and getting them ahead of time."""

from __future__ import annotations

import click

from pipeline.cli.app import main, say
from pipeline.cli.options import asr_model_option, mt_model_option, to_option

OFFLINE_HINT = ("Models are in place. On this machine, set HF_HUB_OFFLINE=1 and "
                "SESSION_PIPELINE_OFFLINE=1 (e.g. export both in your shell profile) so later "
                "runs never touch the network.")


@main.group()
def models() -> None:
    """List, fetch and convert the speech and translation models.

    Example: session-pipeline models list --to fr,es
    """


def _targets(to: str | None, mt_models: tuple[str, ...]) -> dict[str, str]:
    from pipeline.cli.options import translate_options

    options = translate_options(to=to, mt_models=mt_models)
    return {lang: options.model_for(lang) for lang in options.targets}


def _asr_model(asr_model: str | None) -> str:
    from pipeline.cli.options import transcribe_options

    return transcribe_options(asr_model=asr_model).asr_model


@models.command("list")
@to_option()
@mt_model_option
@asr_model_option
def list_models(to: str, mt_models: tuple[str, ...], asr_model: str | None) -> None:
    """Show each model the pipeline would use and whether it is on this machine (tab-separated:
    role, model, present, where or how to get it).

    Example: session-pipeline models list --to fr,es --mt-model fr=models/opus-mt-en-fr
    """
    from pipeline.transcribe.models import asr_model_status
    from pipeline.translate.models import model_status

    spec = _asr_model(asr_model)
    rows = [("asr", spec, *asr_model_status(spec))]
    rows += [(f"mt-{lang}", name, *model_status(name, lang))
             for lang, name in _targets(to, mt_models).items()]
    for role, name, present, where in rows:
        click.echo(f"{role}\t{name}\t{'yes' if present else 'no'}\t{where}")


@models.command()
@to_option()
@mt_model_option
@asr_model_option
def fetch(to: str, mt_models: tuple[str, ...], asr_model: str | None) -> None:
    """Download every model the pipeline would use into the local cache, for offline use.

    Run it once on a machine with network access; copy the Hugging Face cache (HF_HOME)
    to an offline machine if needed.

    Example: session-pipeline models fetch --to fr,es --asr-model base
    """
    from pipeline.errors import ModelUnavailableError
    from pipeline.modelcache import OFFLINE_VARIABLES, is_offline
    from pipeline.transcribe.models import resolve_asr_model
    from pipeline.translate.models import resolve_marian_model

    if is_offline():
        raise ModelUnavailableError(
            f"The offline switch is set ({' or '.join(OFFLINE_VARIABLES)}), so 'models fetch' "
            "downloads nothing; run it with the switch unset on a machine with network access.")
    asr = resolve_asr_model(_asr_model(asr_model), offline=False)
    click.echo(f"asr\t{asr.spec}\t{asr.path}")
    for lang, name in _targets(to, mt_models).items():
        model = resolve_marian_model(name, lang, offline=False)
        click.echo(f"mt-{lang}\t{name}\t{model.path}")
    say(OFFLINE_HINT)


@models.command()
@to_option()
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
