"""Read a batch file (YAML or CSV): one entry per session, every value with its line."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Collection, Union

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pipeline.errors import BatchFileError
from pipeline.fsio import read_input_text

REQUIRED = ("name", "recording", "agenda")
Value = Union[str, bool, int, float, list, dict, None]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a batch file, at a line (1 is the first)."""

    line: int
    message: str
    name: str | None = None         # the session it concerns, when its name is known

    def sentence(self, source: str | Path) -> str:
        session = f" (session '{self.name}')" if self.name else ""
        return f"{source}, line {self.line}{session}: {self.message}."


@dataclass(frozen=True)
class BatchEntry:
    """One session as the batch file gives it: paths resolved against the file's folder,
    ``options`` by their normalised name (``asr-model``), ``lines`` of the entry and each key."""

    name: str | None
    recording: Path | None
    agenda: Path | None
    line: int
    options: dict[str, Value] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()      # found while reading: unknown options, no name...

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass(frozen=True)
class BatchFile:
    """A batch file read: its entries in order; ``problems`` are the file's own, outside any
    session (each entry carries its own)."""

    path: Path
    entries: tuple[BatchEntry, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def base_dir(self) -> Path:
        return self.path.parent


def option_key(key: str) -> str:
    """``asr_model``, ``--asr-model``, ``ASR-Model`` → ``asr-model``."""
    return key.strip().lower().lstrip("-").replace("_", "-")


def read_batch_file(path: str | Path, option_names: Collection[str]) -> BatchFile:
    """Read the batch file at ``path``: YAML (``sessions:`` list) or CSV (``.csv``).

    ``option_names`` are the per-session options allowed besides name, recording and agenda.
    A file that cannot be read at all raises :class:`BatchFileError`; bad rows are returned
    as :attr:`BatchFile.problems`, every one of them, each with its line.
    """
    path = Path(path)
    text = read_input_text(path, "the batch file", BatchFileError)
    allowed = {option_key(name) for name in option_names}
    reader = _read_csv if path.suffix.lower() == ".csv" else _read_yaml
    entries, problems = reader(text, path, allowed)
    entries = _with_name_problems([_resolved(entry, path.parent) for entry in entries])
    return BatchFile(path=path, entries=tuple(entries), problems=tuple(problems))


# -- YAML ---------------------------------------------------------------------------------

def _read_yaml(text: str, path: Path, allowed: set[str]):
    root = _compose(text, path)
    if not isinstance(root, MappingNode):
        raise BatchFileError(f"{path}, line {_line(root)}: a batch file is a mapping with a "
                             "'sessions' list (or a CSV file named .csv).")
    top = {key.value: (key, value) for key, value in root.value}
    problems = [Problem(_line(key), f"unknown key '{key.value}'; a batch file has 'sessions'")
                for key, _ in root.value if key.value != "sessions"]
    if "sessions" not in top or not isinstance(top["sessions"][1], SequenceNode):
        raise BatchFileError(f"{path}, line {_line(root)}: the batch file has no 'sessions' list; "
                             "list the sessions, each with name, recording and agenda.")
    entries = []
    for node in top["sessions"][1].value:
        if isinstance(node, MappingNode):
            entries.append(_yaml_entry(node, allowed))
        else:
            problems.append(Problem(_line(node), "a session is a mapping with name, recording "
                                    "and agenda"))
    if not entries and not problems:
        problems.append(Problem(_line(top["sessions"][1]), "the 'sessions' list is empty"))
    return entries, problems


def _compose(text: str, path: Path) -> Node | None:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "it is not valid YAML"
        raise BatchFileError(f"{path}{where}: {problem}; fix the YAML (or give a CSV file "
                             "named .csv).") from None
    if root is None:
        raise BatchFileError(f"{path} is empty; list the sessions under 'sessions:'.")
    return root


def _yaml_entry(node: MappingNode, allowed: set[str]) -> BatchEntry:
    values: dict[str, Value] = {}
    lines: dict[str, int] = {}
    problems = []
    for key_node, value_node in node.value:
        key = option_key(str(key_node.value))
        if key not in REQUIRED and key not in allowed:
            problems.append(Problem(_line(key_node), _unknown(key_node.value, allowed)))
            continue
        values[key], lines[key] = _plain(value_node), _line(key_node)
    return _entry(values, lines, _line(node), problems)


def _plain(node: Node) -> Value:
    """A node's value as Python data (strings stay strings: ``to: no`` is 'no')."""
    if isinstance(node, ScalarNode):
        if node.tag.endswith(":bool"):
            return yaml.safe_load(node.value)
        return None if node.tag.endswith(":null") else node.value
    if isinstance(node, SequenceNode):
        return [_plain(item) for item in node.value]
    return {str(key.value): _plain(value) for key, value in node.value}


def _line(node: Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


# -- CSV ----------------------------------------------------------------------------------

def _read_csv(text: str, path: Path, allowed: set[str]):
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if not header:
        raise BatchFileError(f"{path} is empty; its first line names the columns "
                             "name,recording,agenda.")
    columns = [option_key(column) for column in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise BatchFileError(f"{path}, line 1: the header has no {', '.join(missing)} column; "
                             "the first line names the columns, e.g. name,recording,agenda.")
    entries = []
    for row in rows:
        if any(cell.strip() for cell in row):
            entries.append(_csv_entry(header, columns, row, rows.line_num, allowed))
    if not entries:
        return [], [Problem(1, "the file lists no session")]
    return entries, []


def _csv_entry(header: list[str], columns: list[str], row: list[str], line: int,
               allowed: set[str]) -> BatchEntry:
    """One row: a value in a column that is no option is an unknown option of that row."""
    problems = []
    if len(row) > len(columns):
        problems.append(Problem(line, f"the row has {len(row)} cells but the header names "
                                f"{len(columns)} columns"))
    values = {}
    for title, key, cell in zip(header, columns, row):
        if not cell.strip():
            continue
        if key in REQUIRED or key in allowed:
            values[key] = cell.strip()
        else:
            problems.append(Problem(line, _unknown(title, allowed)))
    return _entry(values, dict.fromkeys(values, line), line, problems)


# -- entries -----------------------------------------------------------------------------

def _entry(values: dict[str, Value], lines: dict[str, int], line: int,
           problems: list[Problem]) -> BatchEntry:
    def text(key: str) -> str | None:
        value = values.get(key)
        return None if value is None or isinstance(value, (list, dict)) else str(value).strip()

    name, recording, agenda = text("name"), text("recording"), text("agenda")
    return BatchEntry(name=name or None, recording=Path(recording) if recording else None,
                      agenda=Path(agenda) if agenda else None, line=line,
                      options={k: v for k, v in values.items() if k not in REQUIRED},
                      lines=lines, problems=tuple(replace(p, name=name) for p in problems))


def _resolved(entry: BatchEntry, base: Path) -> BatchEntry:
    """The entry with its recording and agenda relative to the batch file's folder."""
    def resolve(path: Path | None) -> Path | None:
        return None if path is None else (base / path.expanduser()).resolve()

    return replace(entry, recording=resolve(entry.recording), agenda=resolve(entry.agenda))


NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _with_name_problems(entries: list[BatchEntry]) -> list[BatchEntry]:
    """The entries, each with its missing fields, a bad name or a name used before."""
    seen: dict[str, int] = {}
    checked = []
    for entry in entries:
        problems = [Problem(entry.line_of(key), f"the session has no {key}", entry.name)
                    for key in REQUIRED if getattr(entry, key) is None]
        name = entry.name
        if name is not None and not NAME.match(name):
            problems.append(Problem(entry.line_of("name"), f"the name '{name}' is not a folder "
                                    "name: use letters, digits, '.', '_' and '-' (no '/', not "
                                    "starting with '.')", name))
        elif name is not None and name in seen:
            problems.append(Problem(entry.line_of("name"), f"the name '{name}' is already used "
                                    f"on line {seen[name]}; each session needs its own folder",
                                    name))
        elif name is not None:
            seen[name] = entry.line_of("name")
        checked.append(replace(entry, problems=entry.problems + tuple(problems)))
    return checked


def _unknown(key: str, allowed: set[str]) -> str:
    choices = ", ".join(sorted(set(REQUIRED) | allowed))
    return f"unknown option '{key}'; a session may have {choices}"
