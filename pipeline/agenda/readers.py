"""Open a programme by its kind: Markdown, plain text, Word (.docx) or PDF."""

from __future__ import annotations

from pathlib import Path

from pipeline.agenda.blocks import Document
from pipeline.errors import AgendaError

KINDS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
         ".docx": "docx", ".pdf": "pdf"}


def read_programme(path: Path) -> Document:
    """The blocks of the programme at ``path``; AgendaError with one sentence when it cannot be read."""
    path = Path(path)
    kind = KINDS.get(path.suffix.lower())
    if not path.exists():
        raise AgendaError(f"The programme {path} does not exist.")
    if path.is_dir():
        raise AgendaError(f"The programme {path} is a folder, not a file.")
    if kind is None:
        raise AgendaError(_unknown_kind(path))
    if path.stat().st_size == 0:
        raise AgendaError(f"The programme {path} is empty.")
    try:
        return _read(path, kind)
    except OSError as exc:
        raise AgendaError(f"Cannot read the programme {path}: {exc.strerror or exc}.") from None


def _read(path: Path, kind: str) -> Document:
    if kind == "docx":
        from pipeline.agenda.read_docx import read_docx
        return read_docx(path)
    if kind == "pdf":
        from pipeline.agenda.read_pdf import read_pdf
        return read_pdf(path)
    from pipeline.agenda.read_text import read_text_file
    return read_text_file(path, markdown=kind == "markdown")


def _unknown_kind(path: Path) -> str:
    if path.suffix.lower() in (".doc", ".rtf", ".odt"):
        return (f"{path.name} is a {path.suffix} file, which cannot be read here: save it as "
                ".docx or .pdf and import that.")
    return (f"{path.name} is not a programme kind this command reads; give a .docx, .pdf, .md "
            "or .txt file.")
