"""Read a Word (.docx) programme into blocks: paragraphs with heading styles and bold, table rows."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from pipeline.agenda.blocks import TITLE_RANK, WEAK_RANK, Block, Document
from pipeline.agenda.read_text import shouted
from pipeline.errors import AgendaError

_HEADING_STYLE = re.compile(r"(heading|titre|título|titulo|encabezado|berschrift|kop)\s*(\d)", re.I)
_TITLE_STYLE = re.compile(r"^(title|titre|título|titulo)$", re.I)
_GAP = re.compile(r"\t+|\s{3,}")


def read_docx(path: Path) -> Document:
    """The blocks of a Word document, in reading order; AgendaError when it cannot be opened."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:                  # pragma: no cover - a dependency of the package
        raise AgendaError("Reading Word programmes needs python-docx; install it with "
                          "'pip install python-docx'.") from exc
    document = _open(path, docx)
    blocks: list[Block] = []
    counter = {"paragraph": 0, "table": 0}
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            counter["paragraph"] += 1
            blocks.extend(_paragraph_blocks(Paragraph(element, document), counter["paragraph"]))
        elif tag == "tbl":
            counter["table"] += 1
            blocks.extend(_table_blocks(Table(element, document), counter["table"]))
    return Document(blocks=tuple(blocks), kind="Word document", source=path.name)


def _open(path: Path, docx):
    if not zipfile.is_zipfile(path):
        raise AgendaError(f"{path.name} is not a Word document (.docx files are zip archives; "
                          "this one is not): save the programme from Word as .docx or .pdf again.")
    try:
        return docx.Document(str(path))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise AgendaError(f"{path.name} is a damaged or incomplete Word document ({exc}); save "
                          "the programme from Word as .docx or .pdf again.") from None
    except Exception as exc:                    # lxml and python-docx raise their own kinds
        raise AgendaError(f"{path.name} cannot be read as a Word document "
                          f"({type(exc).__name__}: {exc}); save it from Word as .docx again.") from None


def _paragraph_blocks(paragraph, number: int) -> list[Block]:
    text = paragraph.text
    if not text.strip():
        return []
    rank = _rank(paragraph)
    bold = _bold(paragraph)
    bullet = _is_list(paragraph)
    blocks = []
    for part in text.split("\n"):
        cells = tuple((" ".join(c.split()),) for c in _GAP.split(part.strip()) if c.strip())
        if not cells:
            continue
        own_rank = rank
        if own_rank is None and (bold or shouted(part)):
            own_rank = WEAK_RANK
        blocks.append(Block(cells=cells, where=f"paragraph {number}", rank=own_rank, bold=bold,
                            bullet=bullet))
    return blocks


def _rank(paragraph) -> int | None:
    style = paragraph.style
    while style is not None:
        for name in (style.name or "", style.style_id or ""):
            if _TITLE_STYLE.match(name.strip()):
                return TITLE_RANK
            match = _HEADING_STYLE.search(name)
            if match:
                return int(match.group(2))
        level = _outline_level(style.element)
        if level is not None:
            return level
        style = style.base_style
    return _outline_level(paragraph._p)


def _outline_level(element) -> int | None:
    found = element.xpath("./w:pPr/w:outlineLvl/@w:val")
    if found and found[0].isdigit() and int(found[0]) < 9:
        return int(found[0]) + 1
    return None


def _bold(paragraph) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs:
        return False
    style_bold = _style_bold(paragraph.style)
    return all(run.bold if run.bold is not None else
               (_style_bold(run.style) or style_bold) for run in runs)


def _style_bold(style) -> bool:
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def _is_list(paragraph) -> bool:
    if paragraph._p.xpath("./w:pPr/w:numPr"):
        return True
    style = paragraph.style
    return bool(style is not None and re.search(r"list|liste|lista", style.name or "", re.I))


def _table_blocks(table, number: int) -> list[Block]:
    blocks = []
    for index, row in enumerate(table.rows, start=1):
        seen, cells = [], []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):
                continue                        # a merged cell appears once per grid column
            seen.append(cell._tc)
            cells.append(tuple(" ".join(p.text.split()) for p in cell.paragraphs if p.text.strip()))
        if any(cells):
            blocks.append(Block(cells=tuple(cells), where=f"table {number}, row {index}",
                                table=number, bold=_row_bold(row)))
    return blocks


def _row_bold(row) -> bool:
    paragraphs = [p for cell in row.cells for p in cell.paragraphs if p.text.strip()]
    return bool(paragraphs) and all(_bold(p) for p in paragraphs)
