"""``agenda import`` and ``agenda check``: draft an agenda from a programme, validate one."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.app import main, say
from pipeline.errors import AgendaError, InputError


@main.group()
def agenda() -> None:
    """Draft an agenda from a programme document, or check an agenda file.

    Example: session-pipeline agenda import programme.md -o agenda.yaml
    """


@agenda.command("import")
@click.argument("programme", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path),
              help="Write the draft agenda here instead of to stdout (never over an existing file).")
@click.option("--day", type=click.IntRange(min=1), default=1, show_default=True,
              help="Which day of a programme that covers several days.")
def import_(programme: Path, out: Path | None, day: int) -> None:
    """Turn PROGRAMME (.docx, .pdf, .md or .txt; English, French or Spanish) into a draft agenda.

    Reads a table (time | item | speakers, in any order), time ranges followed by titles,
    headings with times, or times alone on their line. The draft's header says what was
    recognised and what was not; titles are in the programme's language: check the draft and
    add the other languages. Fewer than two timed items: an error, and nothing is written.

    Example: session-pipeline agenda import programme.docx -o agenda.yaml
    """
    from pipeline.agenda.importer import import_programme
    from pipeline.fsio import atomic_write_text

    if out is not None and out.exists():
        raise InputError(f"{out} already exists; choose another -o file or remove it first.")
    draft = import_programme(programme, day=day)
    if out is None:
        click.echo(draft, nl=False)
        return
    atomic_write_text(out, draft)
    say(f"Wrote the draft agenda {out}; check its titles, times and speakers.")


@agenda.command("check")
@click.argument("agenda_file", metavar="AGENDA", type=click.Path(path_type=Path))
@click.option("--recording", type=click.Path(path_type=Path),
              help="Also check that every scheduled and pinned time lies inside this recording.")
def check(agenda_file: Path, recording: Path | None) -> None:
    """Validate AGENDA and print its items with their times in the recording.

    Example: session-pipeline agenda check samples/agenda.yaml --recording samples/session.ogg
    """
    from pipeline.agenda import check_against_duration, load_agenda
    from pipeline.formats.timestamps import format_timestamp

    plan = load_agenda(agenda_file)
    if recording is not None:
        check_against_duration(plan, _duration(recording))
    click.echo(f"{plan.title} ({plan.date or 'no date'}), recording starts at {plan.recording_start}")
    for item in plan.items:
        pinned = f", pinned at {format_timestamp(item.pinned_start, 'clock')}" if item.pinned_start is not None else ""
        click.echo(f"{format_timestamp(max(0.0, item.start), 'clock')}  {item.id}: {item.title_in('en')}{pinned}")
    say(f"{agenda_file} is valid: {len(plan.items)} items.")


def _duration(recording: Path) -> float:
    from pipeline.audio import probe

    if not recording.exists():
        raise InputError(f"The recording {recording} does not exist.")
    info = probe(recording)
    if not info.duration_s:
        raise AgendaError(f"Cannot tell how long {recording} lasts, so the agenda cannot be "
                          "checked against it.")
    return info.duration_s
