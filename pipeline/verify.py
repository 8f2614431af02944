"""Integrity check of a session folder against the checksums its manifest recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.formats.edits import EDITS_FILE, Edits, apply
from pipeline.formats.sections import SECTIONS_FILE
from pipeline.formats.timestamps import format_timestamp
from pipeline.fsio import sha256_file
from pipeline.session import (
    MANIFEST,
    WORK_DIR,
    Session,
    manifest_digest,
    transcript_relpath,
)


@dataclass(frozen=True)
class FileCheck:
    path: str
    status: str  # "ok" | "accepted-edit" | "changed" | "missing" | "unexpected"
    detail: str = ""


@dataclass(frozen=True)
class VerifyReport:
    checks: tuple[FileCheck, ...] = field(default_factory=tuple)

    @property
    def problems(self) -> tuple[FileCheck, ...]:
        return tuple(c for c in self.checks if c.status in ("changed", "missing", "unexpected"))

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, status: str) -> int:
        return sum(1 for c in self.checks if c.status == status)


def verify_session(root: str | Path) -> VerifyReport:
    """Compare every file the manifest lists with its recorded (or accepted) checksum."""
    session = Session.open(root, create=False, check_integrity=False)
    checks = [_check_manifest(session)]
    for relpath, record in sorted(session.manifest["files"].items()):
        target = session.path(relpath)
        if not target.is_file():
            checks.append(FileCheck(relpath, "missing", "listed in the manifest but not found"))
            continue
        actual = sha256_file(target)
        if actual == record.get("sha256"):
            checks.append(FileCheck(relpath, "ok"))
        elif actual == record.get("pending_sha256"):
            checks.append(FileCheck(relpath, "changed", "written by a run that was interrupted "
                                    "before it finished; run the same command again"))
        elif actual == record.get("accepted_sha256"):
            checks.append(FileCheck(relpath, "accepted-edit", f"edit accepted {record.get('accepted')}"))
        else:
            checks.append(FileCheck(relpath, "changed",
                                    f"sha256 {actual[:12]}… differs from the recorded "
                                    f"{record.get('sha256', '')[:12]}…; if this is an editor's "
                                    "correction, record it with 'session-pipeline accept'"))
    listed = set(session.manifest["files"])
    for target in sorted(_files(session.root)):
        relpath = target.relative_to(session.root).as_posix()
        if relpath not in listed:
            checks.append(FileCheck(relpath, "unexpected", "not written by the pipeline"))
    return VerifyReport(tuple(checks + _corrections(session)))


def _corrections(session: Session) -> list[FileCheck]:
    """The editors' corrections in ``edits.json``, as accepted edits of the files they change:
    how many, which sentences, which item starts, and any that no longer fit a sentence."""
    if not session.path(EDITS_FILE).exists():
        return []
    try:
        edits = session.read_edits()
    except PipelineError as exc:
        return [FileCheck(EDITS_FILE, "changed", str(exc))]
    checks = []
    for language in sorted({e.language for e in edits.sentences}, key=lambda l: (l != "en", l)):
        relpath = transcript_relpath(language, "json")
        checks.append(FileCheck(relpath, "accepted-edit",
                                _sentences_detail(session, language, edits)))
    for boundary in edits.boundaries:
        sentence = f"sentence {boundary.sentence}, " if boundary.sentence is not None else ""
        checks.append(FileCheck(SECTIONS_FILE, "accepted-edit", (
            f"{EDITS_FILE}: an editor starts item {boundary.item!r} at {sentence}"
            f"{format_timestamp(boundary.start, 'clock')}")))
    return checks


def _sentences_detail(session: Session, language: str, edits: Edits) -> str:
    mine = [e for e in edits.sentences if e.language == language]
    texts = sorted(e.id for e in mine if e.text is not None)
    voices = sorted(e.id for e in mine if e.speaker is not None)
    parts = []
    if texts:
        parts.append(f"{_count(len(texts), 'corrected sentence')} ({_ids(texts)})")
    if voices:
        parts.append(f"the speaker of {_count(len(voices), 'sentence')} ({_ids(voices)})")
    detail = f"{EDITS_FILE}: " + "; ".join(parts)
    if not session.transcript_path(language).exists():
        return detail + "; the transcript is not there yet"
    try:
        transcript = session.read_transcript(language)
    except PipelineError as exc:
        return f"{detail}; {exc}"
    applied = apply(transcript, edits)
    if applied.orphans:
        detail += (f"; {_count(len(applied.orphans), 'correction')} no longer fit their sentence "
                   f"({_ids([o.id for o in applied.orphans])}), not applied")
    elif applied.transcript != transcript:
        detail += "; not yet written into the transcript (the next run writes them)"
    return detail


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _ids(ids: list[int], shown: int = 20) -> str:
    text = ", ".join(str(i) for i in ids[:shown])
    return text + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


def _check_manifest(session: Session) -> FileCheck:
    recorded = (session.manifest.get("integrity") or {}).get("sha256")
    if recorded == manifest_digest(session.manifest):
        return FileCheck(MANIFEST, "ok")
    return FileCheck(MANIFEST, "changed", "its content does not match its integrity checksum")


def _files(root: Path):
    for target in root.rglob("*"):
        rel = target.relative_to(root)
        if rel.parts[0] in (WORK_DIR, MANIFEST) or not target.is_file():
            continue
        yield target
