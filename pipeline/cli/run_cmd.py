"""``run`` and ``export``: the whole pipeline in one command, and refreshing derived files."""

from __future__ import annotations

import time
from pathlib import Path

import click

from pipeline.cli.app import locked_session, main, reporter_for, say
from pipeline.cli.options import (
    agenda_option,
    asr_model_option,
    channel_option,
    force_option,
    glossary_option,
    mt_engine_option,
    mt_model_option,
    parse_speakers,
    quiet_option,
    speakers_option,
    to_option,
    transcribe_options,
    translate_options,
    vocabulary_option,
)


def run_options(*, to, asr_model, vocabulary, channel, speakers, mt_models, mt_engine, glossary,
                skip_missing_translations):
    """The options of every stage from what the command line gave ('run' and 'batch')."""
    from pipeline.runner import RunOptions

    english_only = to is not None and to.strip().lower() == "none"
    translate = None if english_only else translate_options(
        to=to, mt_models=mt_models, mt_engine=mt_engine, glossary=glossary)
    return RunOptions(transcribe=transcribe_options(asr_model=asr_model, vocabulary=vocabulary,
                                                    channel=channel),
                      speakers=parse_speakers(speakers), translate=translate,
                      skip_missing_translations=skip_missing_translations)


def run_option_decorators(func):
    """The options 'run' and 'batch' share, in the order --help shows them."""
    for decorator in reversed((
            to_option(allow_none=True), asr_model_option, vocabulary_option, channel_option,
            speakers_option(), mt_model_option, mt_engine_option, glossary_option,
            click.option("--skip-missing-translations", is_flag=True,
                         help="Leave out a language whose translation model cannot be had, "
                         "instead of stopping (the demo uses this)."))):
        func = decorator(func)
    return func


@main.command()
@click.argument("recording", type=click.Path(path_type=Path))
@agenda_option(required=True, what="The meeting's agenda (YAML).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Session folder to write (created if missing).")
@run_option_decorators
@force_option("Run every stage")
@quiet_option
def run(recording: Path, agenda_path: Path, out: Path, force: bool, quiet: bool,
        **given) -> None:
    """Turn RECORDING and its AGENDA into transcripts, translations and summaries in OUT.

    Runs transcribe, speakers, segment, translate, summarise and export, skipping the stages whose
    inputs and options have not changed, so a second run takes seconds and a killed run
    resumes. Every model is checked before any long work starts.

    Example: session-pipeline run samples/session.ogg --agenda samples/agenda.yaml --out out/ --to fr,es
    """
    from pipeline.runner import run_session

    clock = time.monotonic()
    report = run_session(recording, agenda_path, out, options=run_options(**given),
                         reporter=reporter_for(quiet), force=force)
    if report.notes:
        say(f"Left out: {len(report.notes)} translation(s) whose model could not be had "
            "(see the warnings above; 'session-pipeline models list' shows what is missing).")
    for stage in report.stages:
        say(f"{stage.stage:<11} {'done' if stage.ran else 'up to date':<11} {stage.seconds:7.1f} s")
    for note in (note for stage in report.stages for note in stage.notes):
        say(f"Note: {note}")
    for language in report.languages:
        click.echo(out / language)
    click.echo(out / "report.html")
    say(f"Finished in {time.monotonic() - clock:.0f} s: {', '.join(report.languages)} in {out}.")


@main.command()
@click.argument("session_dir", type=click.Path(path_type=Path))
@force_option("Write the files")
def export(session_dir: Path, force: bool) -> None:
    """Rewrite the SRT, WebVTT, text, Markdown and Word files and report.html of SESSION_DIR.

    Reads each language's transcript.json and summary.md (which an editor may have
    corrected) and writes the derived files from them, transcript.docx and summary.docx
    included; files edited by hand (a .docx too) are kept, the new version is written
    beside them.

    Example: session-pipeline export out/
    """
    from pipeline.export import export_session

    with locked_session(session_dir, "export") as session:
        result = export_session(session, force=force)
    for relpath in result.written:
        click.echo(session.path(relpath))
    for relpath in result.kept_edits:
        say(f"{relpath} was edited by hand and is kept; the new version is beside it.")
    if not result.ran:
        say(f"The exported files of {session_dir} are up to date; use --force to write them "
            "again.")
