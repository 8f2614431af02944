"""``translate``: the English transcript of a session becomes French and Spanish transcripts."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.app import locked_session, main, reporter_for, say
from pipeline.cli.options import (
    described,
    force_option,
    glossary_option,
    mt_engine_option,
    mt_model_option,
    quiet_option,
    to_option,
    translate_options,
)
from pipeline.translate.options import TranslateOptions


@main.command()
@click.argument("session_dir", type=click.Path(path_type=Path))
@to_option()
@mt_model_option
@glossary_option
@mt_engine_option
@click.option("--beam-size", type=click.IntRange(min=1),
              help=described(TranslateOptions, "beam_size"))
@click.option("--batch-size", type=click.IntRange(min=1),
              help=described(TranslateOptions, "batch_size"))
@click.option("--threads", type=click.IntRange(min=0),
              help=described(TranslateOptions, "threads"))
@force_option("Translate (the translation memory is still used)")
@quiet_option
def translate(session_dir: Path, force: bool, quiet: bool, **given) -> None:
    """Translate SESSION_DIR/en/transcript.json into SESSION_DIR/<lang>/.

    Writes transcript.json, .srt, .vtt, .txt and .md per language with exactly the
    English sentence ids and times, and records the models in session.json. Sentences
    already translated by the same model and settings are reused from the memory. The
    glossary of the agenda 'segment' recorded is used as in 'run'.

    Example: session-pipeline translate out/ --to fr,es --mt-model fr=models/opus-mt-en-fr
    """
    from pipeline.agenda import recorded_agenda
    from pipeline.translate.stage import resolve_models, translate_session

    options = translate_options(**given)
    with locked_session(session_dir, "translate") as session:
        agenda = recorded_agenda(session)
        if agenda is not None:
            options = options.with_glossary(agenda.glossary)
        models, _ = resolve_models(options)
        result = translate_session(session, models, options=options,
                                   reporter=reporter_for(quiet), force=force)
    for part in result.parts:
        click.echo(session.transcript_path(part.language))
        counts = part.counts
        say(f"{part.language}: {counts['sentences']} sentences, {counts['translated']} "
            f"translated, {counts['reused']} reused from the translation memory"
            + _extras(counts, part.language))
    for note in result.notes:
        say(f"Note: {note}")


def _extras(counts: dict, lang: str) -> str:
    notes = []
    if counts.get("split"):
        notes.append(f"{counts['split']} over-long split")
    if counts.get("repetition_suppressed"):
        notes.append(f"{counts['repetition_suppressed']} repetition loops suppressed")
    if counts.get("glossary_missing"):
        notes.append(f"{counts['glossary_missing']} glossary terms not enforced "
                     f"(see {lang}/glossary-report.md)")
    return ("; " + ", ".join(notes) + ".") if notes else "."
