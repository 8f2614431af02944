"""The click group and what every command shares: error handling, logging, progress."""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from pipeline import __version__
from pipeline.errors import PipelineError
from pipeline.lock import SessionLock
from pipeline.progress import NullReporter, Reporter, TqdmReporter
from pipeline.session import Session


class PipelineGroup(click.Group):
    """Turns the library's domain errors into one clear sentence and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo("Interrupted; finished work is kept and the next run resumes from it.",
                       err=True)
            sys.exit(130)


@click.group(cls=PipelineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="session-pipeline")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
def main(verbose: bool) -> None:
    """Transcribe, translate, section and summarise a meeting recording, locally.

    Example: session-pipeline run samples/session.ogg --agenda samples/agenda.yaml --out out/
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s", stream=sys.stderr)
    # bagit logs every file it checks; the commands say what it found, in sentences.
    logging.getLogger("bagit").setLevel(logging.INFO if verbose else logging.ERROR)


def reporter_for(quiet: bool) -> Reporter:
    return NullReporter() if quiet else TqdmReporter()


def say(message: str) -> None:
    """A status line for people: stderr, so stdout stays for data."""
    click.echo(message, err=True)


@contextmanager
def locked_session(session_dir: Path | str, command: str) -> Iterator[Session]:
    """An existing session folder, held by this command for as long as it works on it."""
    Session.open(session_dir, create=False)     # a clear error before the lock makes a folder
    with SessionLock(session_dir, command):
        yield Session.open(session_dir, create=False)
