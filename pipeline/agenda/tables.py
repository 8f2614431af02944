"""Which column of a programme's table holds the time, the item and the speakers (any order)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.agenda.blocks import Block
from pipeline.agenda.speakers import looks_like_speaker, speaker_label
from pipeline.agenda.times import is_time_only, match_time_span

TIME_HEAD = re.compile(r"^(time|times|hours?|heures?|horaires?|horas?|horario|when|timing|schedule"
                       r"|cuándo|quand)\b", re.I)
TITLE_HEAD = re.compile(r"^(agenda item|items?|sessions?|topics?|subjects?|titles?|activit\w*"
                        r"|programme|program|programa|description|events?|sujets?|thèmes?|titres?"
                        r"|points?|séances?|temas?|títulos?|puntos?|actividad\w*|sesi\w+"
                        r"|descripci\w+|ordre du jour|orden del d[ií]a|what|quoi|qué)\b", re.I)
SPEAKER_HEAD = re.compile(r"^(speakers?|panell?ists?|presenters?|moderators?|chairs?|who"
                          r"|intervenant\w*|orat\w+|modérat\w+|présidence|panélistes?|responsables?"
                          r"|ponentes?|orador\w*|moderador\w*|presidencia|panelistas?|qui|quién"
                          r"|quiénes|rapporteu\w*|relator\w*)\b", re.I)
_ZONE_IN_HEAD = re.compile(r"\(([^()]+)\)|\b(CET|CEST|UTC|GMT|EST|EDT)\b")


@dataclass(frozen=True)
class Columns:
    """The role of each column of a table; ``header`` when its first row names the columns."""

    time: int
    title: int
    speakers: tuple[int, ...] = ()
    other: tuple[int, ...] = ()
    header: bool = False
    zone: str | None = None

    def describe(self, width: int) -> str:
        """"time | item | speakers", in the table's own order."""
        names = {self.time: "time", self.title: "item"} | {i: "speakers" for i in self.speakers}
        return " | ".join(names.get(i, "other") for i in range(width))


def cell_text(block: Block, index: int) -> str:
    """The text of one cell of a row, its lines joined; "" for a missing cell."""
    return " ".join(block.cells[index]) if index < len(block.cells) else ""


def is_header(block: Block) -> bool:
    """A row that names columns: no time, and a cell that reads as a column name."""
    texts = [" ".join(c) for c in block.cells]
    if any(match_time_span(t) for t in texts if t):
        return False
    named = [t for t in texts if TIME_HEAD.match(t) or TITLE_HEAD.match(t) or SPEAKER_HEAD.match(t)]
    return bool(named) and all(len(t.split()) <= 5 for t in texts)


def find_columns(rows: list[Block]) -> Columns | None:
    """The columns of a table, from its header row if it has one, else from what its cells hold;
    None when no column holds times."""
    width = max(len(r.cells) for r in rows)
    header = rows[0].header or is_header(rows[0])
    body = rows[1:] if header else rows
    named = _named(rows[0]) if header else {}
    time = named.get("time", _time_column(body, width))
    if time is None:
        return None
    rest = [i for i in range(width) if i != time]
    title = named.get("title", _title_column(body, rest))
    if title is None:
        return None
    speakers = tuple(i for i in rest if i != title and (
        i in named.get("speakers", ()) or not header and _mostly_speakers(body, i)))
    other = tuple(i for i in rest if i != title and i not in speakers)
    zone = _zone(cell_text(rows[0], time)) if header else None
    return Columns(time=time, title=title, speakers=speakers, other=other, header=header, zone=zone)


def _named(row: Block) -> dict:
    named: dict = {}
    for index, lines in enumerate(row.cells):
        text = " ".join(lines)
        if TIME_HEAD.match(text) and "time" not in named:
            named["time"] = index
        elif SPEAKER_HEAD.match(text):
            named.setdefault("speakers", []).append(index)
        elif TITLE_HEAD.match(text) and "title" not in named:
            named["title"] = index
    return named


def _time_column(rows: list[Block], width: int) -> int | None:
    counts = [sum(1 for r in rows if is_time_only(cell_text(r, i))) for i in range(width)]
    best = max(range(width), key=lambda i: counts[i])
    return best if counts[best] and counts[best] * 2 >= len(rows) else None


def _title_column(rows: list[Block], columns: list[int]) -> int | None:
    filled = [i for i in columns if any(cell_text(r, i) for r in rows)]
    if not filled:
        return None
    return min(filled, key=lambda i: (_speaker_share(rows, i) > 0.5, filled.index(i)))


def _mostly_speakers(rows: list[Block], index: int) -> bool:
    return _speaker_share(rows, index) > 0.5


def _speaker_share(rows: list[Block], index: int) -> float:
    texts = [cell_text(r, index) for r in rows if cell_text(r, index)]
    if not texts:
        return 0.0
    return sum(1 for t in texts if speaker_label(t) or looks_like_speaker(t)) / len(texts)


def _zone(text: str) -> str | None:
    found = _ZONE_IN_HEAD.search(text)
    return (found.group(1) or found.group(2)).strip() if found else None
