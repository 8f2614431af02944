"""The README documents every command, and every command's help carries an example."""

from pathlib import Path

import click
import pytest

from pipeline.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from _commands(command, path + " ")
        else:
            yield path, command


COMMANDS = list(_commands(main))


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS])
def test_command_is_in_the_readme(path):
    assert f"session-pipeline {path}" in README


@pytest.mark.parametrize("path,command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_help_has_an_example(path, command):
    assert "Example:" in (command.help or ""), f"'{path}' --help has no example"
