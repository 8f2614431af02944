"""Read a Markdown or plain-text programme into blocks: headings, bold lines, lists, table rows."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.agenda.blocks import WEAK_RANK, Block, Document
from pipeline.agenda.dates import is_date_line
from pipeline.agenda.speakers import speaker_label
from pipeline.agenda.times import match_time_span
from pipeline.errors import AgendaError

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+•▪◦–]|\d{1,2}[.)](?!\d))\s+")
_RULE = re.compile(r"^\s*([-=_*])(\s*\1){2,}\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_GAP = re.compile(r"\t+|\s{3,}")


def read_text_file(path: Path, markdown: bool) -> Document:
    """The blocks of a UTF-8 (or UTF-16, or Windows-1252) text or Markdown file."""
    text, notes = decode(path.read_bytes(), path.name)
    blocks = tuple(text_blocks(text))
    return Document(blocks=blocks, kind="Markdown" if markdown else "plain text",
                    source=path.name, notes=notes)


def decode(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """The text of ``data`` and a note when it was not UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), ()
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise AgendaError(f"{name} is not a text file (it holds binary data); give the programme "
                          "as a .docx, .pdf, .md or .txt file.")
    return data.decode("cp1252", errors="replace"), ("read as Windows-1252 (it is not UTF-8)",)


def text_blocks(text: str):
    """Blocks of a Markdown or plain-text document: one per line, a paragraph's wrapped lines
    joined."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    width = max((len(line.rstrip()) for line in lines if "|" not in line), default=0)
    held: tuple[Block, int] | None = None
    for block, number in _line_blocks(lines):
        if held and _wraps(lines[held[1] - 1], lines[number - 1], held[0], block,
                           number - held[1], width):
            held = (_joined(held[0], block), number)
            continue
        if held:
            yield held[0]
        held = (block, number)
    if held:
        yield held[0]


def _wraps(before: str, line: str, first: Block, second: Block, distance: int, width: int) -> bool:
    """Whether ``line`` continues the paragraph that ``before`` ended: hard-wrapped prose, where
    the next word would not have fitted on the line before (the widest line is the margin)."""
    if distance != 1 or first.is_row or second.is_row or second.bullet or second.rank is not None:
        return False
    if first.rank is not None and first.rank < WEAK_RANK or before.endswith("  "):
        return False
    indent = len(before) - len(before.lstrip())
    if indent != len(line) - len(line.lstrip()) or len(before.strip()) < 40:
        return False
    if len(before.rstrip()) + 1 + len(line.split()[0]) <= width:
        return False
    return not (match_time_span(second.text) or speaker_label(second.text)
                or is_date_line(second.text))


def _joined(first: Block, second: Block) -> Block:
    return Block(cells=((f"{first.text} {second.text}",),), where=first.where, rank=first.rank,
                 bold=first.bold and second.bold, bullet=first.bullet)


def _line_blocks(lines: list[str]):
    """(block, line number) for each line that holds text."""
    table, header_pending = 0, False
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.strip() or _RULE.match(line):
            continue
        if _TABLE_RULE.match(line) and "|" in line:
            continue
        if line.lstrip().startswith("|"):
            if number < 2 or not lines[number - 2].lstrip().startswith("|"):
                table += 1
                header_pending = number < len(lines) and bool(_TABLE_RULE.match(lines[number]))
            yield _table_row(line, f"line {number}", table, header_pending), number
            header_pending = False
            continue
        block = _line_block(line, number, lines)
        if block:
            yield block, number


def _table_row(line: str, where: str, table: int, header: bool) -> Block:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = [c.replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]
    return Block(cells=tuple(_cell_lines(c) for c in cells), where=where, table=table,
                 header=header)


def _cell_lines(cell: str) -> tuple[str, ...]:
    parts = re.split(r"<br\s*/?>", cell, flags=re.I)
    return tuple(p for p in (plain(part) for part in parts) if p)


def _line_block(line: str, number: int, lines: list[str]) -> Block | None:
    where = f"line {number}"
    heading = _HEADING.match(line)
    underline = number < len(lines) and _RULE.match(lines[number]) and line.strip()
    rank = None
    if heading:
        rank, line = len(heading.group(1)), heading.group(2)
    elif underline and lines[number].strip()[0] in "=-":
        rank = 1 if lines[number].strip()[0] == "=" else 2
    line = re.sub(r"^\s{0,3}(>\s?)+", "", line)             # a quotation's marks
    bullet = bool(_BULLET.match(line))
    if bullet:
        line = _BULLET.sub("", line, count=1)
    bold = _all_bold(line)
    cells = tuple((p,) for p in (plain(part) for part in _GAP.split(line.strip())) if p)
    if not cells:
        return None
    if rank is None and (bold or shouted(" ".join(c[0] for c in cells))):
        rank = WEAK_RANK
    return Block(cells=cells, where=where, rank=rank, bold=bold, bullet=bullet)


def _all_bold(line: str) -> bool:
    text = line.strip()
    for mark in ("**", "__"):
        if text.startswith(mark) and text.rstrip(":. ").endswith(mark) and len(text) > 4:
            return mark not in text[2:].rstrip(":. ")[:-2]
    return False


def plain(text: str) -> str:
    """Text without Markdown marks: emphasis, links, images, escapes, inline HTML."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\1", text)
    text = re.sub(r"<[^>]{1,40}>", " ", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])", r"\1", text)
    text = text.replace("**", "").replace("\\", "")
    return " ".join(text.split())


def shouted(text: str) -> bool:
    """A plain-text heading: its letters are capitals (BACKGROUND, ANNEX: ...)."""
    letters = [c for c in text.split(":")[0] if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)
