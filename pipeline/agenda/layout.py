"""Find a programme's timed items in its blocks: table rows, time ranges, headings, lone times."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pipeline.agenda.blocks import WEAK_RANK, Block
from pipeline.agenda.dates import find_date, is_date_line
from pipeline.agenda.model import Speaker
from pipeline.agenda.regions import PROGRAMME
from pipeline.agenda.speakers import looks_like_speaker, parse_speakers, speaker_label
from pipeline.agenda.tables import Columns, cell_text, find_columns, is_header
from pipeline.agenda.times import TimeSpan, match_time_span, search_time_span

TABLE = "a table"
RANGES = "time ranges followed by their titles"
HEADINGS = "headings with times"
LONE = "times alone on their line, the title on the next"
_LINK = re.compile(r"^(\S*(https?://|www\.)\S*|\S+\.(pdf|docx?|html?))$", re.I)
_EDGE = " \t-–—:|.,;·•"
_PLACEHOLDER = re.compile(r"^(tbc|tbd|tba|to be (confirmed|determined|announced)|à confirmer"
                          r"|à déterminer|à préciser|por confirmar|por determinar|a confirmar)\.?$",
                          re.I)
_ASIDE_LINE = re.compile(r"^(registration|inscription|inscripción|contacts?|links|liens"
                         r"|enlaces|note|nota|webcast|zoom|e-?mail|courriel|correo)\b[^:]{0,30}:",
                         re.I)


@dataclass
class Entry:
    """One timed item as found in the programme."""

    start: float
    end: float | None
    title: str
    where: str
    layout: str
    zone: str | None = None
    twelve_hour: bool = False
    day: int = 0
    description: list[str] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)


@dataclass(frozen=True)
class Unread:
    """Something that looks like an item but whose time or title could not be read."""

    where: str
    text: str
    reason: str


@dataclass
class Found:
    """Everything the layout pass found: items, unread lines, days, tables' column roles."""

    entries: list[Entry] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    days: list[tuple[str, str]] = field(default_factory=list)     # (ISO date, where)
    tables: list[str] = field(default_factory=list)              # "time | item | speakers"
    zones: list[str] = field(default_factory=list)


def find_items(blocks: list[tuple[int, Block]], language: str) -> Found:
    """The timed items in ``blocks`` (index in the document, block), in order."""
    finder = _Finder(language)
    for run in _runs(blocks):
        if run[0][1].table is None:
            finder.block(*run[0])
        else:
            finder.table(run)
    finder.flush_pending()
    return finder.found


def _runs(blocks: list[tuple[int, Block]]):
    """Blocks one by one, and the rows of each table together."""
    run: list[tuple[int, Block]] = []
    for index, block in blocks:
        if run and block.table is not None and block.table == run[-1][1].table \
                and index == run[-1][0] + 1:
            run.append((index, block))
            continue
        if run:
            yield run
        run = [(index, block)]
    if run:
        yield run


class _Finder:
    """Walks the blocks once, keeping the item whose details are being read."""

    def __init__(self, language: str):
        self.language = language
        self.found = Found()
        self.current: Entry | None = None
        self.pending: tuple[TimeSpan, str, str, int] | None = None   # a time awaiting its title
        self.speaker_role: str | None = None                        # under a "Speakers:" label
        self.listed_bullets = False                                 # and its list has begun
        self.placeholder: tuple[str, int] | None = None             # "TBC" where a time goes
        self.last_row: tuple[int, Entry] | None = None              # a table's last row's item

    # paragraphs -------------------------------------------------------------------------

    def block(self, index: int, block: Block) -> None:
        if len(block.cells) > 1:
            self.free_row(index, block)
            return
        text = " ".join(block.cells[0])
        if self.pending and self.pending[3] == index - 1 and self.title_after_time(text, block):
            return
        self.flush_pending()
        if _PLACEHOLDER.match(text.strip()):
            self.current, self.placeholder = None, (text.strip(), index)
            return
        if self.placeholder and self.placeholder[1] == index - 1:
            self.found.unread.append(Unread(block.where, text,
                                            f"has no time it can read ('{self.placeholder[0]}')"))
            self.placeholder = None
            return
        if is_date_line(text) and not match_time_span(text):
            self.date(text, block.where)
            return
        span = match_time_span(text)
        if span and not span.before:
            layout = HEADINGS if block.rank is not None and block.rank < WEAK_RANK else RANGES
            self.timed(span, span.after, block.where, layout, index)
            return
        if block.rank is not None and self.heading(text, block):
            return
        if self.current:
            self.detail(text, block.bullet)

    def title_after_time(self, text: str, block: Block) -> bool:
        if speaker_label(text) or match_time_span(text) or is_date_line(text) or _LINK.match(text):
            return False
        span, where, layout, _ = self.pending
        self.pending = None
        self.add(span, text, where, HEADINGS if layout == HEADINGS else LONE)
        return True

    def heading(self, text: str, block: Block) -> bool:
        """A heading or bold line: an item with its time at the end, or one with no time."""
        span = search_time_span(text)
        if span and span.before and not span.after.strip(_EDGE + "()"):
            self.add(span, span.before.rstrip(" (-–—,:"), block.where, HEADINGS)
            return True
        if speaker_label(text) or text.rstrip().endswith(":") or not self.found.entries:
            return False
        if PROGRAMME.search(text) and len(text.split()) <= 4:
            self.current = None
            return True
        if len(text.split()) <= 12 and not _LINK.match(text):
            self.found.unread.append(Unread(block.where, text, "has no time"))
            self.current = None
            return True
        return False

    def timed(self, span: TimeSpan, rest: str, where: str, layout: str, index: int) -> None:
        rest = rest.strip(_EDGE)
        if rest:
            self.add(span, rest, where, layout)
        else:
            self.current = None
            self.pending = (span, where, layout, index)

    def flush_pending(self) -> None:
        """A time whose title never came: kept untitled, to be told (or taken as the hours)."""
        if self.pending:
            span, where, layout, _ = self.pending
            self.pending = None
            self.add(span, "", where, layout)
            self.current = None

    def add(self, span: TimeSpan, title: str, where: str, layout: str) -> Entry:
        entry = Entry(start=span.start, end=span.end, title=_clean_title(title), where=where,
                      layout=layout, zone=span.zone, twelve_hour=span.twelve_hour,
                      day=max(len(self.found.days) - 1, 0))
        self.found.entries.append(entry)
        self.current, self.speaker_role = entry, None
        return entry

    def date(self, text: str, where: str) -> None:
        iso = find_date(text)
        days = self.found.days
        if not self.found.entries or not days:
            self.found.days[:] = [(iso, where)]
        elif iso != days[-1][0]:
            days.append((iso, where))
        self.current = None

    def detail(self, text: str, bullet: bool) -> None:
        """A line under the current item: speakers, a description, or a list to leave out."""
        entry = self.current
        if not entry.description and not entry.speakers and not bullet \
                and _unfinished(entry.title) and _continues(text):
            entry.title = _join_title(entry.title, text)
            return
        label = speaker_label(text)
        if label:
            role, rest = label
            entry.speakers.extend(parse_speakers(rest, self.language, role))
            self.speaker_role = None if rest else role
            self.listed_bullets = False
            return
        if self.speaker_role is not None:
            if bullet or not self.listed_bullets and (looks_like_speaker(text) or _short_line(text)):
                entry.speakers.extend(parse_speakers(text, self.language, self.speaker_role))
                self.listed_bullets = self.listed_bullets or bullet
                return
            self.speaker_role = None
        if _ASIDE_LINE.match(text) or text.endswith(":"):
            return
        if not bullet and looks_like_speaker(text) and not text.endswith("."):
            entry.speakers.extend(parse_speakers(text, self.language))
        elif not bullet and not _LINK.match(text):
            entry.description.append(text)

    # rows -------------------------------------------------------------------------------

    def free_row(self, index: int, block: Block) -> None:
        """A line whose parts are set apart by tabs or wide gaps: a time part and a title part."""
        texts = [" ".join(c) for c in block.cells]
        at = next((i for i, t in enumerate(texts) if (s := match_time_span(t)) and not s.before),
                  None)
        if at is None:
            self.block(index, Block(cells=((" ".join(texts),),), where=block.where,
                                    rank=block.rank, bold=block.bold, bullet=block.bullet))
            return
        self.flush_pending()
        span = match_time_span(texts[at])
        rest = [t for t in texts[at + 1:] if t]
        title = span.after.strip(_EDGE) or (rest.pop(0) if rest else "")
        if not title and at > 0:
            title = texts[at - 1]
        self.timed(span, title, block.where, RANGES, index)
        for text in rest:
            if self.current:
                self.detail(text, False)

    def table(self, run: list[tuple[int, Block]]) -> None:
        self.flush_pending()
        rows = [block for _, block in run]
        columns = find_columns(rows)
        if columns is None:                 # no column of times alone: "10:00 Opening | speakers"
            for index, block in run:
                self.free_row(index, replace(block, table=None))
            self.current = None
            return
        width = max(len(r.cells) for r in rows)
        self.found.tables.append(columns.describe(width))
        if columns.zone:
            self.found.zones.append(columns.zone)
        after_table = self.last_row is not None and self.last_row[0] == run[0][0] - 1
        for position, block in enumerate(rows):
            if position == 0 and columns.header or is_header(block):
                continue
            if after_table and position == (1 if columns.header else 0) \
                    and self.continued_row(block, columns):
                continue
            self.row(block, columns)
        self.last_row = (run[-1][0], self.current) if self.current else None
        self.current = None                 # text after a table belongs to no row of it

    def continued_row(self, block: Block, columns: Columns) -> bool:
        """A table's first row with no time, right after another table, that finishes the
        last row's unfinished title or holds only speakers: the rest of that row, cut by a
        page break."""
        entry = self.last_row[1]
        lines = list(block.cells[columns.title]) if columns.title < len(block.cells) else []
        texts = [" ".join(c) for c in block.cells if c]
        if cell_text(block, columns.time) or any(is_date_line(t) for t in texts) \
                or is_header(block) or not (lines and _unfinished(entry.title)
                                            or lines and speaker_label(lines[0])
                                            or not lines and columns.speakers):
            return False                    # a new day, a header, or an item of its own
        entry.title = _finish_title(entry.title, lines)
        self.current, self.speaker_role = entry, None
        for line in lines:
            self.detail(line, False)
        self.row_speakers(block, columns)
        self.speaker_role = None
        return True

    def row(self, block: Block, columns: Columns) -> None:
        filled = [" ".join(c) for c in block.cells if c]
        if len(filled) == 1 and (is_date_line(filled[0]) or len(block.cells) == 1):
            self.block(-1, Block(cells=((filled[0],),), where=block.where, rank=WEAK_RANK))
            return
        time_text = cell_text(block, columns.time)
        title_lines = list(block.cells[columns.title]) if columns.title < len(block.cells) else []
        span = match_time_span(time_text) if time_text else None
        if span is None or span.before or span.after.strip(_EDGE):
            self.untimed_row(block, columns, time_text, title_lines)
            return
        title = title_lines.pop(0) if title_lines and not speaker_label(title_lines[0]) else ""
        entry = self.add(span, _finish_title(title, title_lines), block.where, TABLE)
        for line in title_lines:
            self.detail(line, False)
        self.row_speakers(block, columns)
        for index in columns.other:
            text = cell_text(block, index)
            if text:
                entry.description.append(text)
        self.speaker_role = None

    def untimed_row(self, block: Block, columns: Columns, time_text: str, title: list[str]) -> None:
        if time_text and is_date_line(time_text):
            self.date(time_text, block.where)
        elif not time_text and not title and self.current:
            self.row_speakers(block, columns)
        elif title:
            reason = f"'{time_text}' is not a time it can read" if time_text else "has no time"
            self.found.unread.append(Unread(block.where, title[0], reason))
            self.current = None

    def row_speakers(self, block: Block, columns: Columns) -> None:
        for index in columns.speakers:
            self.speaker_role = ""
            for line in block.cells[index] if index < len(block.cells) else ():
                label = speaker_label(line)
                if label:
                    self.current.speakers.extend(parse_speakers(label[1], self.language, label[0]))
                    self.speaker_role = "" if label[1] else label[0]
                else:
                    self.current.speakers.extend(
                        parse_speakers(line, self.language, self.speaker_role or ""))


_OPEN_ENDS = frozenset("""a an the of and or to for in on at by with from into about as
    le la les de des du et ou à au aux en pour par sur dans avec un une
    el los las del y o al para por con sobre unos unas""".split())
"""Words a title never ends with: a line that does ends where the line was wrapped."""


def _unfinished(title: str) -> bool:
    """Whether ``title`` was cut where its line wrapped: its last word is an article, a
    preposition or a conjunction in lower case ("Aménager les"), it leaves a bracket or
    quote open, or (in a table cell, where the title is still as written) it ends with a
    comma or a hyphen."""
    title = title.rstrip()
    if not title:
        return False
    last = title.split()[-1]
    pairs = (("(", ")"), ("«", "»"), ("“", "”"), ("[", "]"))
    return (last in _OPEN_ENDS or title.endswith((",", "-", "–"))
            or any(title.count(a) > title.count(b) for a, b in pairs)
            or title.count('"') % 2 == 1)


def _join_title(title: str, rest: str) -> str:
    """A wrapped title and its next line: "Multi-" and "stakeholder" join without a space."""
    title = title.rstrip()
    glue = "" if re.search(r"[^\W\d_]-$", title) else " "
    return _clean_title(title + glue + rest.strip())


def _finish_title(title: str, lines: list[str]) -> str:
    """``title`` with the lines that finish it where it was wrapped, taken off ``lines``."""
    while lines and _unfinished(title) and _continues(lines[0]):
        title = _join_title(title, lines.pop(0))
    return title


def _continues(text: str) -> bool:
    """Whether a line can be the rest of a wrapped title: short, no sentence, and no time,
    label, date or link."""
    text = text.strip()
    return bool(text) and len(text) <= 100 and not text.endswith(".") and not (
        speaker_label(text) or match_time_span(text) or is_date_line(text) or _LINK.match(text))


def _short_line(text: str) -> bool:
    return len(text) <= 120 and not text.endswith((".", ":")) and not match_time_span(text)


def _clean_title(text: str) -> str:
    return " ".join(text.split()).strip(_EDGE)
