"""Read and validate an agenda YAML file, keeping line numbers for every error."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pipeline.agenda.model import Agenda, AgendaItem, Speaker
from pipeline.agenda.speakers import split_name_role
from pipeline.agenda.times import format_clock, parse_clock, parse_offset
from pipeline.errors import AgendaError, InputError, SessionError
from pipeline.fsio import read_input_text
from pipeline.glossary import Glossary, glossary_from_data, load_glossary

TOP_FIELDS = ("title", "date", "recording_start", "items", "glossary")
ITEM_FIELDS = ("id", "start", "title", "description", "speakers", "pinned_start")
SPEAKER_FIELDS = ("name", "role")
# Meetings start late and end early: a scheduled start may lie this far outside the recording
# (the schedule is only a prior); further out, the agenda or recording_start is wrong.
SCHEDULE_SLACK_S = 120.0
if TYPE_CHECKING:
    from pipeline.session import Session

LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


def load_agenda(path: str | Path) -> Agenda:
    """Read the agenda at ``path``; raise :class:`AgendaError` naming file, line and field."""
    path = Path(path)
    text = read_input_text(path, "the agenda", AgendaError)
    return parse_agenda(text, source=str(path), base_dir=path.parent)


def parse_agenda(text: str, source: str = "agenda", base_dir: Path | None = None) -> Agenda:
    """Build an :class:`Agenda` from YAML text (``source`` names it in error messages)."""
    reader = _Reader(source)
    root = reader.compose(text)
    fields = reader.mapping(root, "the agenda", TOP_FIELDS)
    title = reader.text(fields, "title", required=True)
    date = reader.text(fields, "date")
    items_node = fields.get("items")
    if items_node is None:
        raise reader.error(root, "items", "the agenda has no 'items' list; list the agenda "
                           "items in order, each with a 'start' and a 'title'")
    item_nodes = reader.sequence(items_node, "items")
    if len(item_nodes) < 2:
        raise reader.error(items_node, "items", f"the agenda has {len(item_nodes)} item(s); "
                           "sectioning needs at least two items")
    zero_node = fields.get("recording_start")
    items = _items(reader, item_nodes)
    first_clock = items[0][1]
    zero = reader.clock(zero_node, "recording_start") if zero_node is not None else first_clock
    if zero > first_clock + SCHEDULE_SLACK_S:
        raise reader.error(zero_node, "recording_start",
                           f"the recording start {format_clock(zero)} is after the first item's "
                           f"start {format_clock(first_clock)}; the recording must begin by then")
    agenda_items = tuple(_with_offset(item, clock, zero) for item, clock in items)
    _check_order(reader, agenda_items)
    glossary = _glossary(reader, fields.get("glossary"), base_dir)
    return Agenda(title=title, date=date, recording_start=format_clock(zero), items=agenda_items,
                  glossary=glossary, source=Path(source))


def check_against_duration(agenda: Agenda, duration_s: float) -> None:
    """Raise :class:`AgendaError` when a scheduled or pinned time lies outside the recording.

    A scheduled start may overrun the end by :data:`SCHEDULE_SLACK_S` (meetings end early);
    a pinned start, an editor's exact time, must lie inside the recording.
    """
    source = agenda.source or "agenda"
    for item in agenda.items:
        for name, value, limit in (("start", item.start, duration_s + SCHEDULE_SLACK_S),
                                   ("pinned_start", item.pinned_start, duration_s)):
            if value is not None and value >= limit:
                raise AgendaError(
                    f"{source}, line {item.line_of(name)}, item {item.id!r} field '{name}': "
                    f"{_describe(name, value, agenda)} is outside the recording, which lasts "
                    f"{duration_s:.0f} s; correct the time or 'recording_start'.")


def _describe(name: str, value: float, agenda: Agenda) -> str:
    if name == "pinned_start":
        return f"the pinned start at {value:.0f} s into the recording"
    clock = format_clock((parse_clock(agenda.recording_start) or 0) + value)
    return f"the scheduled start {clock} ({value:.0f} s into the recording)"


def _items(reader: "_Reader", nodes: list[Node]) -> list[tuple[AgendaItem, float]]:
    items, seen = [], {}
    for number, node in enumerate(nodes, start=1):
        where = f"item {number}"
        fields = reader.mapping(node, where, ITEM_FIELDS)
        title = reader.titles(fields, where)
        clock = reader.clock(reader.need(node, fields, "start", where), f"{where} 'start'")
        item_id = reader.text(fields, "id") or _unique_slug(title.get("en") or next(iter(title.values())), seen)
        if item_id in seen:
            raise reader.error(fields.get("id", node), f"{where} 'id'",
                               f"the id {item_id!r} is already used by item {seen[item_id]}; "
                               "give every item its own id")
        seen[item_id] = number
        pinned_node = fields.get("pinned_start")
        pinned = reader.offset(pinned_node, f"{where} 'pinned_start'") if pinned_node else None
        lines = {"item": node.start_mark.line + 1}
        lines.update({name: n.start_mark.line + 1 for name, n in fields.items()})
        people = reader.speakers(fields, where)
        items.append((AgendaItem(id=item_id, start=clock, title=title,
                                 description=reader.text(fields, "description") or "",
                                 speakers=tuple(text for text, _ in people),
                                 people=tuple(person for _, person in people),
                                 pinned_start=pinned, lines=lines), clock))
    return items


def _with_offset(item: AgendaItem, clock: float, zero: float) -> AgendaItem:
    return replace(item, start=clock - zero)


def _check_order(reader: "_Reader", items: tuple[AgendaItem, ...]) -> None:
    for before, after in zip(items, items[1:]):
        if after.start < before.start:
            raise AgendaError(
                f"{reader.source}, line {after.line_of('start')}, item {after.id!r} field "
                f"'start': it is scheduled before the previous item {before.id!r}; list the "
                "items in the order they are held.")
    pinned = [item for item in items if item.pinned_start is not None]
    for before, after in zip(pinned, pinned[1:]):
        if after.pinned_start <= before.pinned_start:
            raise AgendaError(
                f"{reader.source}, line {after.line_of('pinned_start')}, item {after.id!r} field "
                f"'pinned_start': it is not after the pinned start of {before.id!r}; pinned "
                "starts must follow the order of the items.")


def _glossary(reader: "_Reader", node: Node | None, base_dir: Path | None) -> Glossary:
    if node is None:
        return Glossary()
    where = f"{reader.source}, line {node.start_mark.line + 1}, field 'glossary'"
    try:
        if isinstance(node, ScalarNode):
            path = Path(node.value)
            if not path.is_absolute() and base_dir is not None:
                path = base_dir / path
            return load_glossary(path)
        return glossary_from_data(reader.construct(node), where)
    except AgendaError:
        raise
    except InputError as exc:
        raise AgendaError(f"{where}: {exc}") from None


def _unique_slug(title: str, seen: dict[str, int]) -> str:
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    base = "-".join(words[:6]) or "item"
    slug, n = base, 2
    while slug in seen:
        slug, n = f"{base}-{n}", n + 1
    return slug


class _Reader:
    """Turns YAML nodes into values, raising errors that name the file, line and field."""

    def __init__(self, source: str):
        self.source = source
        self._loader = yaml.SafeLoader("")

    def compose(self, text: str) -> Node:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else "?"
            problem = exc.problem or exc.context or "syntax error"
            opened = exc.context_mark
            if opened is not None and mark is not None and opened.line != mark.line:
                problem += f", in what begins on line {opened.line + 1}"
            raise AgendaError(f"{self.source}, line {line}: the agenda is not valid YAML "
                              f"({problem}); fix the syntax there.") from None
        except yaml.YAMLError as exc:
            raise AgendaError(f"{self.source}: the agenda is not valid YAML ({exc}).") from None
        finally:
            loader.dispose()
        if root is None:
            raise AgendaError(f"{self.source}, line 1: the agenda is empty; it needs a 'title' "
                              "and an 'items' list.")
        return root

    def error(self, node: Node, field: str, message: str) -> AgendaError:
        return AgendaError(f"{self.source}, line {node.start_mark.line + 1}, field {field}: "
                           f"{message}.")

    def construct(self, node: Node):
        return self._loader.construct_object(node, deep=True)

    def mapping(self, node: Node, where: str, allowed: tuple[str, ...]) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.error(node, where, f"{where} must be a mapping of fields "
                             f"({', '.join(allowed)})")
        fields: dict[str, Node] = {}
        for key, value in node.value:
            name = str(key.value)
            if name not in allowed:
                raise self.error(key, f"'{name}'", f"{where} has an unknown field {name!r}; "
                                 f"the fields are {', '.join(allowed)}")
            if name in fields:
                raise self.error(key, f"'{name}'", f"{where} gives {name!r} twice")
            fields[name] = value
        return fields

    def sequence(self, node: Node, field: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise self.error(node, f"'{field}'", f"'{field}' must be a list")
        return list(node.value)

    def need(self, parent: Node, fields: dict[str, Node], name: str, where: str) -> Node:
        if name not in fields:
            raise self.error(parent, f"'{name}'", f"{where} has no {name!r} field")
        return fields[name]

    def text(self, fields: dict[str, Node], name: str, required: bool = False) -> str | None:
        node = fields.get(name)
        if node is None or (isinstance(node, ScalarNode) and node.tag.endswith(":null")):
            if required:
                raise AgendaError(f"{self.source}, line 1, field '{name}': the agenda has no "
                                  f"{name!r}; add one.")
            return None
        if not isinstance(node, ScalarNode):
            raise self.error(node, f"'{name}'", f"{name!r} must be a plain text")
        return " ".join(str(node.value).split())

    def titles(self, fields: dict[str, Node], where: str) -> dict[str, str]:
        node = fields.get("title")
        if node is None:
            raise AgendaError(f"{self.source}: {where} has no 'title' field.")
        if isinstance(node, ScalarNode) and str(node.value).strip():
            return {"en": " ".join(str(node.value).split())}
        if isinstance(node, MappingNode):
            titles = {}
            for key, value in node.value:
                if not LANGUAGE.match(str(key.value)) or not isinstance(value, ScalarNode) \
                        or not str(value.value).strip():
                    raise self.error(key, f"{where} 'title'", "each title must be a language "
                                     "code with a text, e.g. {en: Welcome, fr: Bienvenue}")
                titles[str(key.value)] = " ".join(str(value.value).split())
            if titles:
                return titles
        raise self.error(node, f"{where} 'title'", "the title must be a text or "
                         "{en: ..., fr: ..., es: ...}")

    def speakers(self, fields: dict[str, Node], where: str) -> list[tuple[str, Speaker]]:
        """(the speaker as a line of text, name and role apart) for each speaker listed.

        A speaker is a string "Name, role" or a mapping {name, role}, the role a text or
        {en: ..., fr: ...}; a plain string instead of a list is a comma-separated list of names.
        """
        node = fields.get("speakers")
        if node is None or (isinstance(node, ScalarNode) and node.tag.endswith(":null")):
            return []
        if isinstance(node, ScalarNode):
            names = [n.strip() for n in str(node.value).split(",") if n.strip()]
            return [(name, Speaker(name=name)) for name in names]
        if not isinstance(node, SequenceNode):
            raise self.error(node, f"{where} 'speakers'", "'speakers' must be a list of speakers, "
                             "each \"Name, role\" or {name: ..., role: ...}")
        return [self._speaker(entry, where) for entry in node.value
                if not (isinstance(entry, ScalarNode) and not str(entry.value).strip())]

    def _speaker(self, node: Node, where: str) -> tuple[str, Speaker]:
        if isinstance(node, ScalarNode):
            text = " ".join(str(node.value).split())
            name, role = split_name_role(text)
            return text, Speaker(name=name, roles={"": role} if role else {})
        fields = self.mapping(node, f"{where} speaker", SPEAKER_FIELDS)
        name = self.text(fields, "name") or ""
        roles = self._roles(fields.get("role"), where)
        if not name and not roles:
            raise self.error(node, f"{where} speaker", "a speaker needs a 'name', a 'role' or both")
        person = Speaker(name=name, roles=roles)
        return person.text("en"), person

    def _roles(self, node: Node | None, where: str) -> dict[str, str]:
        if node is None or (isinstance(node, ScalarNode) and node.tag.endswith(":null")):
            return {}
        if isinstance(node, ScalarNode):
            return {"": " ".join(str(node.value).split())} if str(node.value).strip() else {}
        if isinstance(node, MappingNode):
            roles = {}
            for key, value in node.value:
                if not LANGUAGE.match(str(key.value)) or not isinstance(value, ScalarNode):
                    break
                roles[str(key.value)] = " ".join(str(value.value).split())
            else:
                return roles
        raise self.error(node, f"{where} speaker 'role'", "a role must be a text or one per "
                         "language, e.g. {en: Chair, fr: Présidente}")

    def clock(self, node: Node, field: str) -> float:
        value = parse_clock(node.value) if isinstance(node, ScalarNode) else None
        if value is None:
            shown = node.value if isinstance(node, ScalarNode) else "a list or mapping"
            raise self.error(node, field, f"{shown!r} is not a wall-clock time; write it "
                             "as \"HH:MM\" or \"HH:MM:SS\"")
        return value

    def offset(self, node: Node, field: str) -> float:
        value = parse_offset(node.value) if isinstance(node, ScalarNode) else None
        if value is None:
            shown = node.value if isinstance(node, ScalarNode) else "a list or mapping"
            raise self.error(node, field, f"{shown!r} is not a time in the recording; write "
                             "it as \"HH:MM:SS\" or a number of seconds")
        return value


def recorded_agenda(session: "Session", path: str | Path | None = None, *,
                    required: bool = False) -> Agenda | None:
    """The agenda at ``path``, else the one 'segment' recorded in the session's manifest.

    None when there is neither and ``required`` is false; a recorded agenda that has gone
    is an error, as the stages that use it would otherwise quietly lose its glossary.
    """
    if path is not None:
        return load_agenda(path)
    recorded = (session.manifest.get("agenda") or {}).get("path")
    if not recorded:
        if required:
            raise SessionError(f"{session.root} records no agenda; give --agenda AGENDA or run "
                               "'session-pipeline segment' first.")
        return None
    if not Path(recorded).exists():
        raise SessionError(f"The agenda {recorded} that 'segment' recorded is gone; put it "
                           "back, or give --agenda AGENDA to 'segment' again.")
    return load_agenda(recorded)
