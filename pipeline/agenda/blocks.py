"""What every programme reader produces: the document as paragraphs and table rows, with marks."""

from __future__ import annotations

from dataclasses import dataclass, field

TITLE_RANK = 0           # the document's title (Word's Title style, a Markdown "#")
WEAK_RANK = 7            # a paragraph that stands out without a heading style: bold or CAPITALS


@dataclass(frozen=True)
class Block:
    """One paragraph, line or table row of a programme.

    ``cells`` holds each cell's lines: one cell for a paragraph, several for a table row (or a
    line whose parts are set apart by tabs or wide gaps). ``rank`` is a heading's level
    (0 the title, 1-6 headings, 7 a bold or capitalised paragraph), None for body text.
    """

    cells: tuple[tuple[str, ...], ...]
    where: str
    rank: int | None = None
    bold: bool = False
    bullet: bool = False
    table: int | None = None
    header: bool = False

    @property
    def text(self) -> str:
        """The block's text on one line, cells joined by " | "."""
        return " | ".join(" ".join(lines) for lines in self.cells if lines)

    @property
    def is_row(self) -> bool:
        return len(self.cells) > 1 or self.table is not None


@dataclass(frozen=True)
class Document:
    """A programme read by one of the readers: its blocks in reading order, and what it was."""

    blocks: tuple[Block, ...]
    kind: str                     # "Markdown", "plain text", "Word document", "PDF"
    source: str
    notes: tuple[str, ...] = field(default=())


def paragraph(text: str, where: str, **marks) -> Block:
    """A paragraph block of one cell, one line."""
    return Block(cells=((text,),), where=where, **marks)
