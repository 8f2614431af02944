"""``summarise``: draft summaries per agenda item, in every language of the session."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from pipeline.cli.app import main, quiet_option, reporter_for, say
from pipeline.errors import SessionError
from pipeline.lock import SessionLock
from pipeline.session import Session


@main.command()
@click.argument("session_dir", type=click.Path(path_type=Path))
@click.option("--agenda", "agenda_path", type=click.Path(path_type=Path),
              help="The agenda YAML. Default: the one 'segment' recorded in the session.")
@click.option("--method", type=click.Choice(["extractive", "abstractive"]),
              help="extractive (default, no model) or abstractive (a summarisation model).")
@click.option("--summary-model", help="For --method abstractive: a transformers summarisation "
              "model, a name or a local folder.")
@click.option("--ratio", type=click.FloatRange(0, 1, min_open=True),
              help="Share of each item's sentences to keep (default 0.4).")
@click.option("--force", is_flag=True, help="Write the summaries again even if up to date.")
@quiet_option
def summarise(session_dir: Path, agenda_path: Path | None, force: bool, quiet: bool,
              **given) -> None:
    """Write SESSION_DIR/<lang>/summary.md: a draft summary under each agenda item's heading.

    The same sentences are chosen in every language, through their translations, each with
    a timestamp into the transcript. A summary.md edited by hand is never overwritten: the
    new draft goes to summary.draft.md.

    Example: session-pipeline summarise out/
    """
    from pipeline.summarise import SummariseOptions, summarise_session

    changes = {k: v for k, v in given.items() if v is not None}
    try:
        options = dataclasses.replace(SummariseOptions(), **changes)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    with SessionLock(session_dir, "summarise"):
        session = Session.open(session_dir, create=False)
        plan = _agenda(session, agenda_path)
        record = summarise_session(session, plan, options, reporter_for(quiet), force=force)
    for relpath in record.get("written", []):
        click.echo(session.path(relpath))
    for relpath in record.get("kept_edits", []):
        say(f"{relpath} was edited by hand and is kept; the new draft is beside it "
            f"({relpath.replace('.md', '.draft.md')}).")


def _agenda(session: Session, path: Path | None):
    from pipeline.agenda import load_agenda

    if path is not None:
        return load_agenda(path)
    recorded = (session.manifest.get("agenda") or {}).get("path")
    if not recorded:
        raise SessionError(f"{session.root} records no agenda; give --agenda AGENDA or run "
                           "'session-pipeline segment' first.")
    if not Path(recorded).exists():
        raise SessionError(f"The agenda {recorded} recorded by 'segment' is gone; give "
                           "--agenda AGENDA.")
    return load_agenda(recorded)
