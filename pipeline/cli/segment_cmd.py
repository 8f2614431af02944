"""``segment``: find where each agenda item starts and ends in a transcribed session."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.app import locked_session, main, reporter_for, say
from pipeline.cli.options import agenda_option, force_option, quiet_option


@main.command()
@click.argument("session_dir", type=click.Path(path_type=Path))
@agenda_option(required=True, what="The agenda YAML (title, recording_start, items with "
               "start and title).")
@force_option("Find the sections")
@quiet_option
def segment(session_dir: Path, agenda_path: Path, force: bool, quiet: bool) -> None:
    """Find each agenda item's start and end in SESSION_DIR's English transcript.

    The schedule is a starting guess; the boundary moves to where the item's words, turn-taking
    phrases and pauses say it starts. Pinned starts in the agenda are kept exactly. Writes
    sections.json and tags every sentence of every language with its item.

    Example: session-pipeline segment out/ --agenda samples/agenda.yaml
    """
    from pipeline.agenda import load_agenda
    from pipeline.formats.timestamps import format_timestamp
    from pipeline.segment import segment_session

    plan = load_agenda(agenda_path)
    with locked_session(session_dir, "segment") as session:
        result = segment_session(session, plan, reporter=reporter_for(quiet), force=force)
        sections = session.read_sections()
    for section in sections:
        click.echo(f"{format_timestamp(section.start, 'clock')}-"
                   f"{format_timestamp(section.end, 'clock')}  {section.id} ({section.method})")
    state = "Wrote" if result.ran else "Up to date:"
    say(f"{state} {session.path('sections.json')}: {len(sections)} items.")
