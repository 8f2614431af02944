"""``transcribe``: a recording becomes the English transcript of a session folder."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import click

from pipeline.cli.app import main, reporter_for, say
from pipeline.cli.options import (
    agenda_option,
    asr_model_option,
    channel_option,
    described,
    force_option,
    quiet_option,
    transcribe_options,
    vocabulary_option,
)
from pipeline.errors import PipelineError
from pipeline.lock import SessionLock
from pipeline.session import MANIFEST, Session
from pipeline.transcribe.options import COMPUTE_TYPES, DEVICES, TranscribeOptions


@main.command()
@click.argument("recording", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Session folder to write (created if missing).")
@asr_model_option
@vocabulary_option
@agenda_option(required=False, what="The meeting's agenda: its glossary's terms and names join "
               "the vocabulary, as in 'run'.")
@channel_option
@click.option("--device", type=click.Choice(DEVICES), help=described(TranscribeOptions, "device"))
@click.option("--compute-type", type=click.Choice(COMPUTE_TYPES),
              help=described(TranscribeOptions, "compute_type"))
@click.option("--beam-size", type=click.IntRange(min=1),
              help=described(TranscribeOptions, "beam_size"))
@click.option("--batch-size", type=click.IntRange(min=0),
              help=described(TranscribeOptions, "batch_size"))
@click.option("--workers", type=click.IntRange(min=0),
              help=described(TranscribeOptions, "workers"))
@click.option("--allow-other-language", is_flag=True, default=None,
              help=described(TranscribeOptions, "allow_other_language"))
@force_option("Recognise")
@quiet_option
def transcribe(recording: Path, out: Path, agenda_path: Path | None, quiet: bool, force: bool,
               **given) -> None:
    """Transcribe RECORDING (any common audio or video file) into OUT/en/.

    Writes en/transcript.json, .srt, .vtt, .txt and .md and records the run in
    OUT/session.json. A killed run resumes from its last checkpoint (about a minute of
    audio at most is recognised again).

    Example: session-pipeline transcribe samples/session.ogg --out out/ --vocabulary samples/vocabulary.txt
    """
    from pipeline.agenda import load_agenda
    from pipeline.audio import inspect_recording
    from pipeline.transcribe import resolve_asr_model, transcribe_session

    options = transcribe_options(**given)
    if agenda_path is not None:
        options = options.with_glossary(load_agenda(agenda_path).glossary)
    source = inspect_recording(recording, options.channel)
    model = resolve_asr_model(options.asr_model)
    created = not out.exists()
    clock = time.monotonic()
    try:
        with SessionLock(out, "transcribe"):
            session = Session.open(out)
            result = transcribe_session(session, source, model, options=options,
                                        reporter=reporter_for(quiet), force=force)
    except PipelineError:
        if created:
            _remove_if_unused(out)
        raise
    for relpath in result.written:
        click.echo(session.path(relpath))
    if not result.ran:
        say(f"The transcript in {out} is up to date; use --force to recognise again.")
        return
    say(f"Transcribed {result.counts['sentences']} sentences from {source.duration_s:.0f} s "
        f"of audio in {time.monotonic() - clock:.0f} s.")


def _remove_if_unused(folder: Path) -> None:
    """Leave no half-made session behind when this run created the folder and wrote nothing."""
    if not folder.is_dir() or (folder / MANIFEST).exists():
        return
    files = [p for p in folder.rglob("*") if p.is_file()]
    if all(p.parent.name in (".work", "transcribe") and ".work" in p.parts for p in files):
        shutil.rmtree(folder, ignore_errors=True)
