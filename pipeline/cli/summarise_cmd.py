"""``summarise``: draft summaries per agenda item, in every language of the session."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.app import locked_session, main, reporter_for, say
from pipeline.cli.options import (
    agenda_option,
    build_options,
    described,
    force_option,
    quiet_option,
    summary_method_options,
)
from pipeline.summarise.options import SummariseOptions


@main.command()
@click.argument("session_dir", type=click.Path(path_type=Path))
@agenda_option(required=False, what="The agenda YAML. Default: the one 'segment' recorded in "
               "the session.")
@summary_method_options
@click.option("--length", metavar="SHARE|WORDSw", help=described(SummariseOptions, "length"))
@force_option("Write the summaries")
@quiet_option
def summarise(session_dir: Path, agenda_path: Path | None, force: bool, quiet: bool,
              **given) -> None:
    """Write SESSION_DIR/<lang>/summary.md: a draft summary record of each agenda item.

    Per item, per intervention: who spoke (name and role, from speakers.json and the agenda)
    and the few sentences that carry what they said (names, figures, dates, decisions,
    requests), within --length. The same sentences are chosen in every language, through
    their translations, each with its time and sentence id. A summary.md edited by hand is
    never overwritten: the new draft goes to summary.draft.md.

    Example: session-pipeline summarise out/ --length 120w
    """
    from pipeline.agenda import recorded_agenda
    from pipeline.summarise import summarise_session

    options = build_options(SummariseOptions, given)
    with locked_session(session_dir, "summarise") as session:
        plan = recorded_agenda(session, agenda_path, required=True)
        result = summarise_session(session, plan, options=options, reporter=reporter_for(quiet),
                                   force=force)
    for relpath in result.written:
        click.echo(session.path(relpath))
    for relpath in result.kept_edits:
        say(f"{relpath} was edited by hand and is kept; the new draft is beside it "
            f"({relpath.replace('.md', '.draft.md')}).")
    if not result.ran:
        say(f"The summaries in {session_dir} are up to date; use --force to write them again.")
