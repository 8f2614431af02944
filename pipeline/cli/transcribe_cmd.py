"""``transcribe``: a recording becomes the English transcript of a session folder."""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

import click

from pipeline.cli.app import main, quiet_option, reporter_for, say
from pipeline.errors import InputError, PipelineError
from pipeline.lock import SessionLock
from pipeline.session import MANIFEST, Session


def _channel(value: str | None) -> int | None:
    if value is None or value.strip().lower() == "mix":
        return None
    try:
        channel = int(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a channel: give a number (0 is the first) "
                                 "or 'mix'.") from None
    if channel < 0:
        raise click.BadParameter("channels are numbered from 0.")
    return channel


@main.command()
@click.argument("recording", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Session folder to write (created if missing).")
@click.option("--asr-model", help="Speech model: a name (tiny.en, base, small, ...) or a "
              "folder with a CTranslate2 Whisper model.bin. Default: base.")
@click.option("--vocabulary", type=click.Path(path_type=Path),
              help="Names and terms to spell right: a text file (one per line) or a glossary YAML.")
@click.option("--channel", help="Channel to transcribe: a number from 0, or 'mix' (default).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]),
              help="Where the model runs. Default: auto (cuda when available).")
@click.option("--compute-type", help="CTranslate2 compute type. Default: int8 on CPU, float16 on GPU.")
@click.option("--beam-size", type=click.IntRange(min=1), help="Beam size (default 5).")
@click.option("--batch-size", type=click.IntRange(min=0),
              help="Decode this many speech chunks at once with faster-whisper's batched "
              "pipeline; 0: speech clips decoded in parallel, one per CPU core. Default: 8 "
              "on a GPU, 0 on a CPU.")
@click.option("--workers", type=click.IntRange(min=0),
              help="Speech clips decoded at once on a CPU (default: one per core, at most 4).")
@click.option("--allow-other-language", is_flag=True, default=None,
              help="Transcribe even if the speech is not English.")
@click.option("--force", is_flag=True, help="Recognise again even if the transcript is up to date.")
@quiet_option
def transcribe(recording: Path, out: Path, quiet: bool, force: bool, vocabulary: Path | None,
               channel: str | None, **given) -> None:
    """Transcribe RECORDING (any common audio or video file) into OUT/en/.

    Writes en/transcript.json, .srt, .vtt, .txt and .md and records the run in
    OUT/session.json. A killed run resumes from the last finished 10-minute window.

    Example: session-pipeline transcribe samples/session.ogg --out out/ --vocabulary samples/vocabulary.txt
    """
    from pipeline.transcribe import TranscribeOptions, load_vocabulary, transcribe_session

    changes = {k: v for k, v in given.items() if v is not None}
    if channel is not None:
        changes["channel"] = _channel(channel)
    if vocabulary is not None:
        changes["vocabulary"] = load_vocabulary(vocabulary)
    try:
        options = dataclasses.replace(TranscribeOptions(), **changes)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    created = not out.exists()
    clock = time.monotonic()
    try:
        with SessionLock(out, "transcribe"):
            session = Session.open(out)
            transcript = transcribe_session(session, recording, options, reporter_for(quiet),
                                            force=force)
    except (InputError, PipelineError):
        if created:
            _remove_if_unused(out)
        raise
    for relpath in session.stage("transcribe").get("written", []):
        click.echo(session.path(relpath))
    duration = session.manifest["input"].get("duration_s", 0.0)
    say(f"Transcribed {len(transcript.sentences)} sentences from {duration:.0f} s of audio "
        f"in {time.monotonic() - clock:.0f} s.")


def _remove_if_unused(folder: Path) -> None:
    """Leave no half-made session behind when this run created the folder and wrote nothing."""
    if not folder.is_dir() or (folder / MANIFEST).exists():
        return
    files = [p for p in folder.rglob("*") if p.is_file()]
    if all(p.parent.name in (".work", "transcribe") and ".work" in p.parts for p in files):
        shutil.rmtree(folder, ignore_errors=True)
