"""``archive``: a finished, verified session folder as a BagIt bag, for archives."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable

import click

from pipeline.archive.options import ArchiveOptions
from pipeline.cli.app import main, say
from pipeline.cli.options import build_options


def archive_option_decorators(func: Callable) -> Callable:
    """``--with-recording`` and the bag-info.txt fields archivists fill ('archive', 'batch')."""
    for spec in reversed(dataclasses.fields(ArchiveOptions)):
        flag = "--" + spec.name.replace("_", "-")
        if spec.type in (bool, "bool"):
            func = click.option(flag, is_flag=True, default=None,
                                help=spec.metadata["help"])(func)
        else:
            func = click.option(flag, metavar="TEXT", help=f"bag-info.txt {spec.metadata['tag']}: "
                                f"{spec.metadata['help']}")(func)
    return func


def archive_options(**given) -> ArchiveOptions:
    """The archive options from what the command line (or a batch file) gave."""
    return build_options(ArchiveOptions, given)


ARCHIVE_PARAMS = tuple(spec.name for spec in dataclasses.fields(ArchiveOptions))


@main.command()
@click.argument("session_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "bag_dir", required=True, type=click.Path(path_type=Path),
              help="The bag's folder, created (an existing one is never written over).")
@archive_option_decorators
def archive(session_dir: Path, bag_dir: Path, **given) -> None:
    """Package the finished session SESSION_DIR as a BagIt bag (RFC 8493) in BAG_DIR.

    The bag holds every transcript, summary, sections.json, the manifest, the review page
    and the agenda (and the recording with --with-recording), with SHA-256 and SHA-512
    manifests and a bag-info.txt describing the meeting, the recording and the models. A
    session that 'verify' does not pass (an unaccepted edit, a missing or changed file) is
    refused. The bag is built beside BAG_DIR and validated before it takes its place.

    Example: session-pipeline archive out/ --out bags/2024-05-14-panel --with-recording
    """
    from pipeline.archive import archive_session

    result = archive_session(session_dir, bag_dir, options=archive_options(**given))
    click.echo(result.bag_dir)
    say(f"Bagged {result.files} files ({result.bytes / 1e6:.1f} MB) from {session_dir} into "
        f"{result.bag_dir}; the bag validates (SHA-256 and SHA-512 manifests).")
