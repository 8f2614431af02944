"""``verify`` and ``accept``: prove a session folder is what the pipeline wrote."""

from __future__ import annotations

import sys

import click

from pipeline.cli.app import locked_session, main, say
from pipeline.verify import verify_session


@main.command()
@click.argument("session_dir", type=click.Path(file_okay=False, path_type=str))
@click.option("--all", "show_all", is_flag=True, help="List every file, not only problems and edits.")
def verify(session_dir: str, show_all: bool) -> None:
    """Check the files of SESSION_DIR against its manifest's checksums, or validate a bag.

    Reports files that were changed, are missing, or are not the pipeline's, and exits
    with status 1 if there is any. Edits accepted with 'accept' are listed, not errors.
    A folder holding bagit.txt (a bag written by 'archive') is validated as a BagIt bag:
    every payload and tag file against every manifest; each problem is listed.

    Example: session-pipeline verify out/
    """
    from pipeline.archive.check import is_bag

    if is_bag(session_dir):
        _verify_bag(session_dir)
        return
    report = verify_session(session_dir)
    for check in report.checks:
        if show_all or check.status != "ok":
            detail = f"  ({check.detail})" if check.detail else ""
            click.echo(f"{check.status:<14} {check.path}{detail}")
    say(f"{report.count('ok')} ok, {report.count('accepted-edit')} accepted edits, "
        f"{report.count('changed')} changed, {report.count('missing')} missing, "
        f"{report.count('unexpected')} unexpected.")
    if not report.ok:
        sys.exit(1)


def _verify_bag(bag_dir: str) -> None:
    from pipeline.archive import validate_bag

    check = validate_bag(bag_dir)
    for problem in check.problems:
        click.echo(f"invalid        {problem}")
    if check.ok:
        say(f"The bag {bag_dir} is valid: {check.files} payload files, BagIt {check.version}, "
            "every checksum of every manifest matches.")
        return
    say(f"The bag {bag_dir} is not valid: {len(check.problems)} problem(s).")
    sys.exit(1)


@main.command()
@click.argument("session_dir", type=click.Path(file_okay=False, path_type=str))
@click.argument("files", nargs=-1)
def accept(session_dir: str, files: tuple[str, ...]) -> None:
    """Record editors' changes to FILES (default: every edited file) as accepted.

    After this, 'verify' reports those files as accepted edits instead of changes.

    Example: session-pipeline accept out/ en/summary.md
    """
    with locked_session(session_dir, "accept") as session:
        targets = files or tuple(p for p in session.manifest["files"] if session.is_edited(p))
        accepted = [path for path in targets if session.accept_edit(path)]
        session.save()
    for path in accepted:
        click.echo(path)
    say(f"Accepted {len(accepted)} edited file(s).")
