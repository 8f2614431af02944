"""Read a Markdown or plain-text programme into blocks: headings, bold lines, lists, table rows."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.agenda.blocks import WEAK_RANK, Block, Document
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
    """Blocks of a Markdown or plain-text document, one per non-empty line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    table, header_pending = 0, False
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.strip() or _RULE.match(line) and not _is_setext(lines, number):
            continue
        if _TABLE_RULE.match(line) and "|" in line:
            continue
        if line.lstrip().startswith("|"):
            if number < 2 or not lines[number - 2].lstrip().startswith("|"):
                table += 1
                header_pending = number < len(lines) and bool(_TABLE_RULE.match(lines[number]))
            yield _table_row(line, f"line {number}", table, header_pending)
            header_pending = False
            continue
        block = _line_block(line, number, lines)
        if block:
            yield block


def _is_setext(lines: list[str], number: int) -> bool:
    return number >= 2 and bool(lines[number - 2].strip()) and not lines[number - 2].startswith("|")


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
