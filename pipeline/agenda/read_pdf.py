"""Read a PDF programme's text layer into blocks: lines joined into paragraphs, table rows by column."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.agenda.blocks import WEAK_RANK, Block, Document
from pipeline.agenda.read_text import shouted
from pipeline.errors import AgendaError

_BULLETS = re.compile(r"^[•●▪◦○■□➢►‣∙·\-–\uf0a7\uf0b7\uf076\uf0d8\ue000-\uf8ff]$")
_PAGE_NUMBER = re.compile(r"^(page\s+)?\d{1,3}(\s*(/|of|sur|de)\s*\d{1,3})?$", re.I)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)


@dataclass
class _Line:
    """One visual line: its words, split into segments where a wide gap separates them."""

    segments: list[list[dict]]
    top: float
    bottom: float
    size: float
    bold: bool
    bullet: bool = False
    page: int = 0

    @property
    def x0(self) -> float:
        return self.segments[0][0]["x0"]

    @property
    def x1(self) -> float:
        return self.segments[-1][-1]["x1"]


@dataclass
class _Cell:
    x0: float
    lines: list[_Line] = field(default_factory=list)


def read_pdf(path: Path) -> Document:
    """The blocks of a PDF's text layer; AgendaError when it is encrypted, damaged or scanned."""
    try:
        import pdfplumber
    except ImportError as exc:                  # pragma: no cover - a dependency of the package
        raise AgendaError("Reading PDF programmes needs pdfplumber; install it with "
                          "'pip install pdfplumber'.") from exc
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = list(pdf.pages)
            if not any(page.chars for page in pages):
                raise AgendaError(
                    f"{path.name} has no text layer (it is a scanned image, {len(pages)} "
                    "page(s)): run it through OCR or give the programme as a Word or text file.")
            blocks = _blocks(pages)
    except AgendaError:
        raise
    except Exception as exc:                    # pdfminer's errors come wrapped, of many kinds
        raise AgendaError(_open_error(path, exc)) from None
    return Document(blocks=tuple(_drop_running_lines(blocks)), kind="PDF", source=path.name)


def _open_error(path: Path, exc: Exception) -> str:
    cause = exc.args[0] if exc.args else exc
    if type(cause).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError",
                                "PDFEncryptionWarning") or "password" in str(cause).lower():
        return (f"{path.name} is encrypted with a password: open it, save an unprotected copy "
                "(or export the programme as .docx), and import that.")
    return (f"{path.name} is not a readable PDF ({type(cause).__name__}: {cause}); it may be "
            "damaged or incomplete: download or export it again.")


def _body_size(pages) -> float:
    sizes = Counter(round(char["size"], 1) for page in pages for char in page.chars)
    return sizes.most_common(1)[0][0] if sizes else 11.0


def _blocks(pages) -> list[Block]:
    """Ruled tables page by page; the other lines of all pages in one stream, so that a table
    without rules may run on from one page to the next."""
    body = _body_size(pages)
    placed: list[tuple[int, float, Block]] = []
    lines: list[_Line] = []
    tables = 0
    for number, page in enumerate(pages, start=1):
        found = page.find_tables()
        boxes = [table.bbox for table in found]
        every = _words(page)
        for table in found:
            tables += 1
            for index, row in enumerate(table.rows, start=1):
                cells = tuple(_cell_text(every, box) if box else () for box in row.cells)
                if any(cells):
                    placed.append((number, row.bbox[1], Block(
                        cells=cells, table=tables, where=f"page {number}, table row {index}")))
        words = [w for w in every if not any(_inside(w, box) for box in boxes)]
        lines.extend(replace(line, page=number) for line in _lines(words))
    right = max((line.x1 for line in lines), default=0.0)
    for page, top, block in _text_blocks(lines, body, right):
        placed.append((page, top, block))
    placed.sort(key=lambda triple: (triple[0], triple[1]))
    return [block for _, _, block in placed]


def _words(page) -> list[dict]:
    return page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False,
                              use_text_flow=False)


def _inside(word: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    middle_x, middle_y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def _cell_text(words: list[dict], box) -> tuple[str, ...]:
    lines = _lines([w for w in words if _inside(w, box)])
    return tuple(_paragraphs(lines, box[2] - 6))


def _lines(words: list[dict]) -> list[_Line]:
    """Words grouped into visual lines (by baseline), each split at wide gaps."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        if rows and abs(rows[-1][-1]["bottom"] - word["bottom"]) <= 2.5:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        bullet = len(row) > 1 and bool(_BULLETS.match(row[0]["text"]))
        row = row[1:] if bullet else row
        segments = [[row[0]]]
        for before, word in zip(row, row[1:]):
            gap_limit = max(0.9 * word["size"], 8.0)
            if word["x0"] - before["x1"] > gap_limit:
                segments.append([word])
            else:
                segments[-1].append(word)
        sizes = Counter(round(w["size"], 1) for w in row)
        lines.append(_Line(segments=segments, top=min(w["top"] for w in row),
                           bottom=max(w["bottom"] for w in row), size=sizes.most_common(1)[0][0],
                           bold=all(_BOLD_FONT.search(w["fontname"]) for w in row),
                           bullet=bullet))
    return lines


def _segment_text(segment: list[dict]) -> str:
    return " ".join(w["text"] for w in segment)


def _text_blocks(lines: list[_Line], body: float, right: float):
    """(page, top, block) for paragraphs (wrapped lines joined) and rows of tables without rules."""
    row: list[_Cell] | None = None
    paragraph: list[_Line] = []
    previous = None
    for line in lines:
        if row is not None and _continues_row(row, line, previous):
            _add_to_row(row, line)
        elif len(line.segments) >= 2 and not _is_tabbed_heading(line, body):
            yield from _flush(paragraph, body, right)
            paragraph = []
            if row is not None:
                yield _row_block(row)
            row = [_Cell(s[0]["x0"], [_sub_line(line, s)]) for s in line.segments]
        else:
            if row is not None:
                yield _row_block(row)
                row = None
            if paragraph and not _joins(paragraph[-1], line, right):
                yield from _flush(paragraph, body, right)
                paragraph = []
            paragraph.append(line)
        previous = line
    if row is not None:
        yield _row_block(row)
    yield from _flush(paragraph, body, right)


def _is_tabbed_heading(line: _Line, body: float) -> bool:
    return line.size >= 1.1 * body


def _sub_line(line: _Line, segment: list[dict]) -> _Line:
    return replace(line, segments=[segment],
                   bold=all(_BOLD_FONT.search(w["fontname"]) for w in segment))


def _continues_row(row: list[_Cell], line: _Line, previous: _Line | None) -> bool:
    """A line inside the open row: it starts in one of the row's later columns (nothing in the
    first), or it holds the rest of a time range wrapped in the first column."""
    if previous is None:
        return False
    new_page = line.page != previous.page
    if not new_page and line.top - previous.bottom > 2.5 * line.size:
        return False
    if line.x0 > row[0].x0 + 3:
        return any(abs(line.x0 - cell.x0) <= 3 for cell in row[1:])
    earlier = " ".join(_segment_text(s) for held in row[0].lines for s in held.segments)
    wrapped_range = re.search(r"([-–—]|\bto|\bà|\ba|\bhasta)\s*$", earlier)
    return bool(wrapped_range) and not new_page and line.top - previous.bottom < 0.6 * line.size


def _add_to_row(row: list[_Cell], line: _Line) -> None:
    for segment in line.segments:
        x0 = segment[0]["x0"]
        cell = max((c for c in row if c.x0 <= x0 + 4), key=lambda c: c.x0, default=row[0])
        cell.lines.append(_sub_line(line, segment))


def _row_block(row: list[_Cell]) -> tuple[int, float, Block]:
    """A table row; a cell's lines wrapped at its widest line are joined into paragraphs."""
    cells = []
    for cell in row:
        right = max(line.x1 for line in cell.lines)
        cells.append(tuple(_paragraphs(cell.lines, right)))
    first = row[0].lines[0]
    return first.page, first.top, Block(cells=tuple(cells), where=f"page {first.page}", table=0)


def _joins(before: _Line, line: _Line, right: float) -> bool:
    """Whether ``line`` continues the paragraph of ``before`` (it wrapped there)."""
    if line.top - before.bottom > 0.6 * line.size or abs(line.size - before.size) > 0.5:
        return False
    if line.page != before.page or line.bold != before.bold or _bullet(line):
        return False
    first_word = line.segments[0][0]
    room = right - before.x1
    return first_word["x1"] - first_word["x0"] + 0.3 * line.size > room


def _bullet(line: _Line) -> bool:
    return line.bullet


def _paragraphs(lines: list[_Line], right: float) -> list[str]:
    """The text of ``lines`` with wrapped lines joined, one string per paragraph."""
    texts: list[str] = []
    for index, line in enumerate(lines):
        text = " ".join(_segment_text(s) for s in line.segments)
        if index and _joins(lines[index - 1], line, right) and texts:
            texts[-1] = _join_text(texts[-1], text)
        else:
            texts.append(text)
    return texts


def _join_text(before: str, after: str) -> str:
    if before.endswith("-") and not before.endswith(" -") and after[:1].islower():
        return before[:-1] + after
    return f"{before} {after}"


def _flush(lines: list[_Line], body: float, right: float):
    if not lines:
        return
    text = _paragraphs(lines, right)[0] if len(lines) > 1 else None
    parts = [text] if text is not None else [_segment_text(s) for s in lines[0].segments]
    first = lines[0]
    bullet = _bullet(first)
    rank = _rank(first, body, " ".join(parts))
    yield first.page, first.top, Block(cells=tuple((p,) for p in parts if p),
                                       where=f"page {first.page}",
                           rank=rank, bold=first.bold, bullet=bullet)


def _rank(line: _Line, body: float, text: str) -> int | None:
    ratio = line.size / body if body else 1.0
    for limit, rank in ((1.6, 1), (1.3, 2), (1.12, 3)):
        if ratio >= limit:
            return rank
    return WEAK_RANK if line.bold or shouted(text) else None


def _drop_running_lines(blocks: list[Block]):
    """Leave out page numbers and the header or footer repeated on every page."""
    pages = Counter(b.where.split(",")[0] for b in blocks)
    texts = Counter((b.text, b.where.split(",")[0]) for b in blocks)
    repeated = Counter(text for text, _ in texts)
    for block in blocks:
        text = block.text.strip()
        if _PAGE_NUMBER.match(text):
            continue
        if len(pages) >= 3 and repeated[block.text] >= len(pages) and not block.table:
            continue
        yield block
