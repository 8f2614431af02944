"""Integrity check of a session folder against the checksums its manifest recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.fsio import sha256_file
from pipeline.session import MANIFEST, WORK_DIR, Session, manifest_digest


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
    return VerifyReport(tuple(checks))


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
