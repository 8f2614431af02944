"""``segment``: find where each agenda item starts and ends in a transcribed session."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.app import main, quiet_option, reporter_for, say
from pipeline.lock import SessionLock
from pipeline.session import Session


@main.command()
@click.argument("session_dir", type=click.Path(path_type=Path))
@click.option("--agenda", "agenda_path", required=True, type=click.Path(path_type=Path),
              help="The agenda YAML (title, recording_start, items with start and title).")
@click.option("--force", is_flag=True, help="Find the sections again even if they are up to date.")
@quiet_option
def segment(session_dir: Path, agenda_path: Path, force: bool, quiet: bool) -> None:
    """Find each agenda item's start and end in SESSION_DIR's English transcript.

    The schedule is a starting guess; the boundary moves to where the item's words, turn-taking
    phrases and pauses say it starts. Pinned starts in the agenda are kept exactly. Writes
    sections.json and tags every sentence of every language with its item.

    Example: session-pipeline segment out/ --agenda samples/agenda.yaml
    """
    from pipeline.agenda import load_agenda
    from pipeline.agenda.times import format_offset
    from pipeline.segment import SegmentOptions, segment_session

    plan = load_agenda(agenda_path)
    with SessionLock(session_dir, "segment"):
        session = Session.open(session_dir, create=False)
        sections = segment_session(session, plan, SegmentOptions(), reporter_for(quiet),
                                   force=force)
    for section in sections:
        click.echo(f"{format_offset(section.start)}-{format_offset(section.end)}  {section.id} "
                   f"({section.method})")
    say(f"Wrote {session.path('sections.json')}: {len(sections)} items.")
