"""``run`` and ``export``: the whole pipeline in one command, and refreshing derived files."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import click

from pipeline.cli.app import main, quiet_option, reporter_for, say
from pipeline.cli.transcribe_cmd import _channel
from pipeline.cli.translate_cmd import mt_model_option, parse_languages, parse_models
from pipeline.lock import SessionLock
from pipeline.session import Session


@main.command()
@click.argument("recording", type=click.Path(path_type=Path))
@click.option("--agenda", "agenda", required=True, type=click.Path(path_type=Path),
              help="The meeting's agenda (YAML).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Session folder to write (created if missing).")
@click.option("--to", "to", default="fr,es", show_default=True,
              help="Translation targets, comma-separated; 'none' for English only.")
@click.option("--asr-model", help="Speech model: a name (tiny.en, base, small, ...) or a folder.")
@click.option("--vocabulary", type=click.Path(path_type=Path),
              help="Names and terms to spell right (text, one per line, or glossary YAML).")
@click.option("--channel", help="Channel to transcribe: a number from 0, or 'mix' (default).")
@mt_model_option
@click.option("--mt-engine", type=click.Choice(["transformers", "ctranslate2"]),
              help="Translation engine (default transformers).")
@click.option("--glossary", type=click.Path(path_type=Path),
              help="Glossary YAML, added to the agenda's glossary.")
@click.option("--skip-missing-translations", is_flag=True,
              help="Leave out a language whose translation model cannot be had, instead of "
              "stopping (the demo uses this).")
@click.option("--force", is_flag=True, help="Run every stage again, even if up to date.")
@quiet_option
def run(recording: Path, agenda: Path, out: Path, to: str, asr_model: str | None,
        vocabulary: Path | None, channel: str | None, mt_models: tuple[str, ...],
        mt_engine: str | None, glossary: Path | None, skip_missing_translations: bool,
        force: bool, quiet: bool) -> None:
    """Turn RECORDING and its AGENDA into transcripts, translations and summaries in OUT.

    Runs transcribe, segment, translate, summarise and export, skipping the stages whose
    inputs and options have not changed, so a second run takes seconds and a killed run
    resumes. Every model is checked before any long work starts.

    Example: session-pipeline run samples/session.ogg --agenda samples/agenda.yaml --out out/ --to fr,es
    """
    from pipeline.runner import run_session

    options = _options(to, asr_model, vocabulary, channel, mt_models, mt_engine, glossary,
                       skip_missing_translations)
    clock = time.monotonic()
    report = run_session(recording, agenda, out, options, reporter_for(quiet), force=force)
    if report.notes:
        say(f"Left out: {len(report.notes)} translation(s) whose model could not be had "
            "(see the warnings above; 'session-pipeline models list' shows what is missing).")
    for stage in report.stages:
        say(f"{stage.name:<11} {'done' if stage.ran else 'up to date':<11} {stage.seconds:7.1f} s")
    for language in report.languages:
        click.echo(out / language)
    click.echo(out / "report.html")
    say(f"Finished in {time.monotonic() - clock:.0f} s: {', '.join(report.languages)} in {out}.")


def _options(to, asr_model, vocabulary, channel, mt_models, mt_engine, glossary, skip):
    from pipeline.glossary import load_glossary
    from pipeline.runner import RunOptions
    from pipeline.transcribe import TranscribeOptions, load_vocabulary
    from pipeline.translate.options import TranslateOptions

    asr = {"asr_model": asr_model} if asr_model else {}
    if vocabulary is not None:
        asr["vocabulary"] = load_vocabulary(vocabulary)
    if channel is not None:
        asr["channel"] = _channel(channel)
    translate = None
    if to.strip().lower() != "none":
        mt = {"targets": parse_languages(to), "models": parse_models(mt_models)}
        if mt_engine:
            mt["engine"] = mt_engine
        if glossary is not None:
            mt["glossary"] = load_glossary(glossary)
        translate = dataclasses.replace(TranslateOptions(), **mt)
    return RunOptions(transcribe=dataclasses.replace(TranscribeOptions(), **asr),
                      translate=translate, skip_missing_translations=skip)


@main.command()
@click.argument("session_dir", type=click.Path(path_type=Path))
def export(session_dir: Path) -> None:
    """Rewrite the SRT, WebVTT, text and Markdown files and report.html of SESSION_DIR.

    Reads each language's transcript.json (which an editor may have corrected) and
    writes the derived files from it; files edited by hand are kept, the new version
    is written beside them.

    Example: session-pipeline export out/
    """
    from pipeline.export.stage import export_session

    with SessionLock(session_dir, "export"):
        session = Session.open(session_dir, create=False)
        results = export_session(session)
    for result in results:
        click.echo(result.written)
        if result.kept_edit:
            say(f"{result.path.name} was edited by hand and is kept; the new version is "
                f"{result.written}.")
