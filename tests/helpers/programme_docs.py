"""Build the Word programmes of the test corpus with python-docx, and PDFs of them with LibreOffice."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

_BOLD = re.compile(r"(\*\*.+?\*\*)")


def build_docx(spec_path: Path, out: Path) -> Path:
    """The Word document that ``spec_path`` (a list of paragraphs and tables) describes."""
    import docx

    document = docx.Document()
    for entry in yaml.safe_load(spec_path.read_text(encoding="utf-8")):
        if isinstance(entry, str):
            _paragraph(document.add_paragraph(), entry)
        elif "table" in entry:
            _table(document, entry["table"])
        else:
            _paragraph(document.add_paragraph(style=entry.get("style")), entry["text"])
    document.save(out)
    return out


def _paragraph(paragraph, text: str) -> None:
    """Text with **bold** runs; a newline is a line break inside the paragraph."""
    for number, line in enumerate(str(text).split("\n")):
        if number:
            paragraph.runs[-1].add_break()
        for part in _BOLD.split(line):
            if part.startswith("**") and part.endswith("**"):
                paragraph.add_run(part[2:-2]).bold = True
            elif part:
                paragraph.add_run(part)


def _table(document, spec: dict) -> None:
    rows = spec["rows"]
    width = max(len(row) for row in rows)
    table = document.add_table(rows=0, cols=width)
    if spec.get("style"):
        table.style = spec["style"]
    for row in rows:
        cells = table.add_row().cells
        if len(row) == 1 and width > 1:
            cells = [cells[0].merge(cells[-1])]       # a row across the whole table
        for cell, text in zip(cells, row):
            lines = str(text or "").split("\n")
            _paragraph(cell.paragraphs[0], lines[0])
            for line in lines[1:]:
                _paragraph(cell.add_paragraph(), line)


def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(documents: list[Path], out_dir: Path, options: str = "") -> list[Path]:
    """PDFs of ``documents`` made by LibreOffice headless (one run for all of them)."""
    profile = out_dir / ".libreoffice-profile"
    target = f"pdf:writer_pdf_Export:{options}" if options else "pdf"
    subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(out_dir), *map(str, documents)],
                   check=True, capture_output=True, timeout=240, env={**os.environ, "HOME": str(out_dir)})
    return [out_dir / (d.stem + ".pdf") for d in documents]
