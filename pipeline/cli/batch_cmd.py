"""``batch``: many recordings at once, each its own session, run as tasks on Dask."""

from __future__ import annotations

import dataclasses
import logging
import sys
import time
from pathlib import Path
from typing import Any, Callable, Collection

import click

from pipeline.batch.options import BatchOptions
from pipeline.cli.app import main, reporter_for, say
from pipeline.cli.archive_cmd import ARCHIVE_PARAMS, archive_option_decorators, archive_options
from pipeline.cli.options import build_options, described, quiet_option
from pipeline.cli.run_cmd import run_option_decorators, run_options
from pipeline.errors import BatchFileError, InputError


def _params(decorators: Callable) -> dict[str, click.Parameter]:
    """The click parameters a set of option decorators declares, by parameter name."""
    return {p.name: p for p in decorators(lambda **_: None).__click_params__}


RUN_PARAMS = _params(run_option_decorators)
SESSION_PARAMS = {**RUN_PARAMS, **_params(archive_option_decorators)}
"""The options a session of the batch file may set: those of 'run' and of 'archive'."""


def _batch_option(name: str, *flags: str, **kwargs) -> Callable:
    flag = kwargs.get("is_flag", False)
    spec = {f.name: f for f in dataclasses.fields(BatchOptions)}[name]
    return click.option(*flags, name, help=spec.metadata["help"] if flag
                        else described(BatchOptions, name), **kwargs)


def batch_option_decorators(func: Callable) -> Callable:
    for decorator in reversed((
            _batch_option("scheduler", "--scheduler", metavar="ADDRESS"),
            _batch_option("workers", "--workers", type=click.IntRange(min=0)),
            _batch_option("cores_per_session", "--cores-per-session", type=click.IntRange(min=0)),
            _batch_option("skip_bad", "--skip-bad", is_flag=True, default=None),
            _batch_option("archive_dir", "--archive", metavar="DIR",
                          type=click.Path(file_okay=False, path_type=Path)),
            _batch_option("force", "--force", is_flag=True, default=None))):
        func = decorator(func)
    return func


@main.command()
@click.argument("batch_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "root", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the batch: a session folder ROOT/NAME per session, and "
              "ROOT/batch.json.")
@run_option_decorators
@batch_option_decorators
@archive_option_decorators
@quiet_option
def batch(batch_file: Path, root: Path, quiet: bool, **given) -> None:
    """Run every session listed in BATCH_FILE (YAML or CSV) into ROOT/NAME, on Dask.

    Every row is checked before any work (recording, agenda, options, names), and every
    problem is reported with its line. The options given here apply to every session unless
    its row sets its own. Sessions run side by side on a local Dask cluster sized to this
    machine, or on a running cluster with --scheduler; each session resumes where it stood,
    and one that fails does not stop the others. Writes ROOT/batch.json and prints a table.

    Example: session-pipeline batch week.yaml --out sessions/ --to fr,es --archive bags/
    """
    from pipeline.batch import check_batch, read_batch_file, run_batch

    logging.getLogger("distributed").setLevel(logging.WARNING)   # Dask's own chatter
    clock = time.monotonic()
    run_given = {k: v for k, v in given.items() if k in RUN_PARAMS}
    archive_given = {k: v for k, v in given.items() if k in ARCHIVE_PARAMS}
    options = build_options(BatchOptions, {k: v for k, v in given.items()
                                           if k not in RUN_PARAMS and k not in ARCHIVE_PARAMS})
    run_options(**run_given)                 # a bad option of the command line stops here
    settings_for = settings_maker(run_given, archive_given, batch_file.parent)
    checked = check_batch(read_batch_file(batch_file, _session_keys()), settings_for)
    for sentence in checked.sentences():
        say(sentence)
    try:
        report = run_batch(checked, root, options=options, reporter=reporter_for(quiet))
    except BatchFileError as exc:
        raise click.ClickException(str(exc)) from exc
    _print_table(report)
    _summary(report, time.monotonic() - clock)
    if not report.ok:
        sys.exit(1)


def _session_keys() -> list[str]:
    """Every name a batch file may use for a session option (``asr-model``, ``mt-model``)."""
    keys = []
    for name, param in SESSION_PARAMS.items():
        keys.append(name)
        keys += [opt.lstrip("-") for opt in param.opts if opt.startswith("--")]
    return keys


def settings_maker(run_given: dict, archive_given: dict, base: Path):
    """``settings_for(entry, keys)``: a session's settings, its own options over the batch's."""
    from pipeline.batch import SessionSettings
    from pipeline.batch.file import option_key

    aliases = {option_key(key): name for name, param in SESSION_PARAMS.items()
               for key in (name, *param.opts)}
    run_given = {**{name: _unset(param) for name, param in RUN_PARAMS.items()}, **run_given}

    def settings_for(entry, keys: Collection[str] | None) -> SessionSettings:
        own = {aliases[key]: _value(SESSION_PARAMS[aliases[key]], value, base)
               for key, value in entry.options.items() if keys is None or key in keys}
        try:
            run = run_options(**{**run_given, **{k: v for k, v in own.items() if k in RUN_PARAMS}})
            archive = archive_options(**{**archive_given, **{k: v for k, v in own.items()
                                                             if k in ARCHIVE_PARAMS}})
        except click.ClickException as exc:
            raise InputError(exc.format_message()) from None
        return SessionSettings(run=run, archive=archive)

    return settings_for


def _unset(param: click.Parameter) -> Any:
    """What the command line passes for an option not given."""
    return () if param.multiple else False if getattr(param, "is_flag", False) else None


def _value(param: click.Parameter, value: Any, base: Path) -> Any:
    """A batch file's value as the command line would have given it (paths from the file's
    folder); a value the option does not take raises InputError."""
    if param.multiple:
        items = value.items() if isinstance(value, dict) else None
        values = ([f"{k}={v}" for k, v in items] if items is not None
                  else value if isinstance(value, list) else str(value).replace(";", " ").split())
        return tuple(_one(param, str(item), base) for item in values)
    if isinstance(value, list):
        value = ",".join(str(item) for item in value)
    return _one(param, value, base)


def _one(param: click.Parameter, value: Any, base: Path) -> Any:
    try:
        converted = param.type.convert(value, param, None)
    except click.BadParameter as exc:
        raise InputError(exc.format_message()) from None
    if isinstance(converted, Path):
        return base / converted.expanduser()
    if isinstance(converted, str) and param.name in ("asr_model", "mt_models"):
        return _local_model(converted, base)
    return converted


def _local_model(spec: str, base: Path) -> str:
    """A model named by a folder relative to the batch file is that folder; a name stays."""
    language, sep, name = spec.rpartition("=")
    candidate = base / Path(name).expanduser()
    if not Path(name).is_absolute() and candidate.exists():
        name = str(candidate)
    return f"{language}{sep}{name}"


def _print_table(report) -> None:
    """One row per session: status, audio, times, stages run, the error sentence."""
    click.echo(f"{'session':<24} {'status':<8} {'audio':>8} {'started':<9} {'took':>8}  "
               f"{'stages run':<10}  error")
    for outcome in report.outcomes.values():
        audio = _clock(outcome.duration_s) if outcome.duration_s else "-"
        started = outcome.started[11:19] if outcome.started else "-"
        took = f"{outcome.seconds:.0f} s" if outcome.started else "-"
        ran = (f"{sum(s.ran for s in outcome.stages)} of {len(outcome.stages)}"
               if outcome.stages else "-")
        click.echo(f"{outcome.name:<24} {outcome.status:<8} {audio:>8} {started:<9} {took:>8}  "
                   f"{ran:<10}  {outcome.error or ''}".rstrip())


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"


def _summary(report, seconds: float) -> None:
    counts = report.counts()
    say(f"{counts.get('done', 0)} done, {counts.get('failed', 0)} failed, "
        f"{counts.get('skipped', 0)} skipped; {report.audio_s('done') / 3600:.2f} h of audio in "
        f"{seconds:.0f} s. Details: {report.root / 'batch.json'}.")
