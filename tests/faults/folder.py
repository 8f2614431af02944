"""What the fault tests look at in a session folder: its files, their checksums, completeness."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

# Files a reader may open; everything else (temporary files, the work folder) is internal.
COMPARED = re.compile(r"^(en|fr|es)/(transcript\.(json|srt|vtt|txt|md)|summary\.md|"
                      r"glossary-report\.(json|md))$|^(sections|speakers)\.json$|^report\.html$")
_TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?")


def visible_files(root: Path) -> dict[str, Path]:
    """Every file under ``root`` except temporary files (``.name.XXXX.tmp``), by relative path."""
    found = {}
    for path in root.rglob("*"):
        if path.is_file() and not is_temporary(path):
            found[path.relative_to(root).as_posix()] = path
    return found


def is_temporary(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(".tmp")


def checksums(root: Path, *, include_work: bool = True) -> dict[str, str]:
    return {rel: hashlib.sha256(path.read_bytes()).hexdigest()
            for rel, path in sorted(visible_files(root).items())
            if include_work or not rel.startswith(".work/")}


def outputs(root: Path) -> dict[str, bytes]:
    """The outputs a clean run is compared on; the review page's clock time is blanked out."""
    found = {}
    for rel, path in visible_files(root).items():
        if COMPARED.match(rel):
            data = path.read_bytes()
            found[rel] = _TIMESTAMP.sub(b"<time>", data) if rel == "report.html" else data
    return found


def incomplete_files(root: Path) -> list[str]:
    """Files visible under their final names that are not whole: a reader must never see one.

    JSON must parse; subtitles, text, Markdown and the page must end as their writers end
    them; Word files must be whole archives; transcripts must load; the manifest must open and match its integrity checksum.
    """
    from pipeline.formats.transcript import load
    from pipeline.session import Session

    problems = []
    for rel, path in sorted(visible_files(root).items()):
        if rel == ".work/lock":
            continue
        data = path.read_bytes()
        reason = _incomplete(rel, data)
        if reason is None and rel.endswith("/transcript.json"):
            try:
                load(path)
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                reason = f"does not load: {exc}"
        if reason:
            problems.append(f"{rel}: {reason}")
    if (root / "session.json").exists():
        try:
            Session.open(root, create=False)    # refuses a manifest failing its checksum
        except Exception as exc:  # noqa: BLE001
            problems.append(f"session.json: {exc}")
    return problems


def _incomplete(rel: str, data: bytes) -> str | None:
    if not data:
        return "empty"
    if rel.endswith(".json"):
        try:
            json.loads(data)
        except ValueError as exc:
            return f"not whole JSON ({exc})"
        return None
    if rel.endswith(".docx"):
        return _incomplete_zip(data)
    if rel.endswith(".vtt") and not data.startswith(b"WEBVTT"):
        return "no WEBVTT header"
    if rel.endswith(".html") and not data.rstrip().endswith(b"</html>"):
        return "page cut short"
    if not data.endswith(b"\n"):
        return "does not end with a newline"
    return None


def _incomplete_zip(data: bytes) -> str | None:
    """A Word file must be a whole zip archive whose every member reads back."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        return f"not a whole Word file ({exc})"
    return f"not a whole Word file ({bad} is damaged)" if bad else None
