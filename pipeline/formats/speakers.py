"""``speakers.json`` (who each voice is, and why) and the editors' ``speakers.yaml``.

Every sentence of every language carries the label of its voice (``S1``, ``S2`` … in the
order the voices are first heard); ``speakers.json`` says who each label is::

    {"schema": "session-pipeline/speakers/1",
     "model": {...}, "options": {...},
     "speakers": [{"label": "S1", "name": "Ingrid Solberg", "role": "Chair",
                   "roles": {"fr": "Présidente"}, "talk_s": 181.2, "turns": 14,
                   "evidence": [{"kind": "self-introduction", "name": "Ingrid Solberg",
                                 "text": "I am Ingrid Solberg", "sentence": 3, "weight": 3.0}]}]}

A label without evidence keeps no name ("Speaker 3"). Editors name or rename voices in
``speakers.yaml``, which the next run applies without recomputing the voices::

    S2: {name: Samuel Kipchumba, role: Member of the National Assembly of Kenya}
    S3: Ms. Ana Ruiz, OHCHR          # "Name, role" as one line also works
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import yaml

from pipeline.errors import InputError

SCHEMA = "session-pipeline/speakers/1"
SPEAKERS_FILE = "speakers.json"
EDITS_FILE = "speakers.yaml"


@dataclass(frozen=True)
class Evidence:
    """Why a voice got a name: what kind of clue, the sentence that said it, and its words."""

    kind: str                  # agenda, self-introduction, floor-given, thanked, role, editor
    name: str                  # the person it points to, as the agenda (or editor) spells it
    text: str                  # the words that gave it
    sentence: int | None = None
    weight: float = 1.0

    def to_record(self) -> dict:
        return {"kind": self.kind, "name": self.name, "text": self.text,
                "sentence": self.sentence, "weight": self.weight}


@dataclass(frozen=True)
class Speaker:
    """A voice: its ``label`` (S1, S2 … in order of first speech), the name and role the
    evidence gave (None without evidence), the role in other languages where the agenda
    gives it, and how long and how often it spoke."""

    label: str
    name: str | None = None
    role: str | None = None
    talk_s: float = 0.0
    turns: int = 0
    evidence: tuple[Evidence, ...] = ()
    roles: Mapping[str, str] = field(default_factory=dict)

    @property
    def display(self) -> str:
        """The name, else "Speaker N" (never a guessed name)."""
        return self.name or f"Speaker {self.label.lstrip('S')}"

    def role_in(self, language: str) -> str | None:
        """The role in ``language`` where the agenda gives it, else as written."""
        return self.roles.get(language) or self.role

    def to_record(self) -> dict:
        return {"label": self.label, "name": self.name, "role": self.role,
                "roles": dict(self.roles), "talk_s": round(self.talk_s, 3), "turns": self.turns,
                "evidence": [e.to_record() for e in self.evidence]}


def names(speakers: list[Speaker]) -> dict[str, str]:
    """Label → name, for the voices that have one (the writers call the others "Speaker N"
    in the transcript's language)."""
    return {s.label: s.name for s in speakers if s.name}


def dumps(speakers: list[Speaker], *, model: dict | None = None, options: dict | None = None) -> str:
    data = {"schema": SCHEMA, "model": model or {}, "options": options or {},
            "speakers": [s.to_record() for s in speakers]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def loads(text: str, source: str = SPEAKERS_FILE) -> list[Speaker]:
    """The speakers in ``text``; InputError when it is not a speakers file this version reads."""
    try:
        data = json.loads(text)
        if data.get("schema") != SCHEMA:
            raise ValueError(f"schema {data.get('schema')!r}")
        return [_speaker(item) for item in data["speakers"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{source} is not a speakers file this version can read ({exc}); "
                         "run 'session-pipeline speakers' again.") from None


def _speaker(item: dict) -> Speaker:
    evidence = tuple(Evidence(**e) for e in item.get("evidence") or ())
    return Speaker(label=item["label"], name=item.get("name"), role=item.get("role"),
                   talk_s=float(item.get("talk_s") or 0.0), turns=int(item.get("turns") or 0),
                   evidence=evidence, roles=dict(item.get("roles") or {}))


@dataclass(frozen=True)
class SpeakerEdit:
    """An editor's naming of one voice in ``speakers.yaml``, with the line it is on."""

    label: str
    name: str | None
    role: str | None
    line: int


def read_edits(text: str, source: str = EDITS_FILE) -> dict[str, SpeakerEdit]:
    """Label → the editor's name and role; InputError naming the file and line when the file
    is not a mapping of labels to a name (a text) or to ``{name, role}``."""
    try:
        root = yaml.compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else "?"
        problem = exc.problem or "a syntax error"
        raise InputError(f"{source}, line {line}: not valid YAML ({problem}); fix it there, "
                         "nothing else was changed.") from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise InputError(f"{source}, line {root.start_mark.line + 1}: expected labels such as "
                         "'S2: {name: Ana Ruiz, role: OHCHR}'.")
    edits = {}
    for key, value in root.value:
        label, line = str(key.value).strip(), key.start_mark.line + 1
        name, role = _edit_value(value, source, line)
        edits[label] = SpeakerEdit(label, name, role, line)
    return edits


def _edit_value(node, source: str, line: int) -> tuple[str | None, str | None]:
    if isinstance(node, yaml.ScalarNode):
        name, _, role = str(node.value).partition(",")
        return name.strip() or None, role.strip() or None
    if isinstance(node, yaml.MappingNode):
        fields = {str(k.value): v for k, v in node.value}
        unknown = set(fields) - {"name", "role"}
        if not unknown and all(isinstance(v, yaml.ScalarNode) for v in fields.values()):
            values = {k: str(v.value).strip() or None for k, v in fields.items()}
            return values.get("name"), values.get("role")
    raise InputError(f"{source}, line {line}: give a name ('S2: Ana Ruiz, OHCHR') or "
                     "'{name: ..., role: ...}'.")


def apply_edits(speakers: list[Speaker], edits: Mapping[str, SpeakerEdit],
                source: str = EDITS_FILE) -> list[Speaker]:
    """The speakers with the editors' names and roles laid over the found ones (each edit kept
    as evidence); an edit of a label no voice has is an error naming its line."""
    labels = {s.label for s in speakers}
    for edit in edits.values():
        if edit.label not in labels:
            raise InputError(f"{source}, line {edit.line}: there is no voice {edit.label!r} in "
                             f"this session (its voices are {', '.join(sorted(labels))}).")
    out = []
    for speaker in speakers:
        edit = edits.get(speaker.label)
        if edit is None:
            out.append(speaker)
            continue
        clue = Evidence("editor", edit.name or "", f"{EDITS_FILE}, line {edit.line}")
        out.append(replace(speaker, name=edit.name, role=edit.role or speaker.role,
                           evidence=(clue,), roles={} if edit.role else speaker.roles))
    return out
