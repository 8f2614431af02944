"""Write a verified session folder as a BagIt bag: built beside its place, checked, moved in."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.archive.check import bag_problems
from pipeline.archive.info import default_description, recorded_agenda_file, session_fields
from pipeline.archive.options import BAGIT_VERSION, CHECKSUMS, ArchiveOptions
from pipeline.errors import ArchiveError
from pipeline.fsio import describe_os_error, sha256_file
from pipeline.lock import SessionLock
from pipeline.session import MANIFEST, Session
from pipeline.verify import verify_session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PayloadFile:
    """One file to put in the bag: where it is, where it goes under data/, its checksum."""

    source: Path
    target: str
    sha256: str


@dataclass(frozen=True)
class ArchiveResult:
    """A bag written and validated: where, how many payload files and bytes, with what."""

    bag_dir: Path
    files: int
    bytes: int
    recording: str | None          # where the recording lies in the bag, if it was put in
    agenda: str | None             # where the agenda lies in the bag, if it was still there


def archive_session(session_dir: str | Path, bag_dir: str | Path, *,
                    options: ArchiveOptions = ArchiveOptions()) -> ArchiveResult:
    """Bag the finished, verified session at ``session_dir`` into the new folder ``bag_dir``.

    The bag is built and validated in a hidden folder beside ``bag_dir`` and renamed into
    place only once valid, so ``bag_dir`` never holds half a bag; an existing ``bag_dir`` is
    never written over. The session is locked meanwhile, so no run changes it.
    """
    session_dir, bag_dir = Path(session_dir), Path(bag_dir)
    _refuse_existing(bag_dir)
    Session.open(session_dir, create=False)      # a clear error before the lock makes a folder
    with SessionLock(session_dir, "archive"):
        session = Session.open(session_dir, create=False)
        _require_finished(session)
        _require_verified(session)
        payload = _payload(session, options)
        staging = _staging_folder(bag_dir)
        try:
            _copy(payload, staging)
            _make_bag(staging, _bag_info(session, options, payload))
            _check(staging, payload, bag_dir)
            _move_into_place(staging, bag_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    log.info("Bagged %s into %s (%d files).", session_dir, bag_dir, len(payload))
    return ArchiveResult(bag_dir=bag_dir, files=len(payload),
                         bytes=sum(p.source.stat().st_size for p in payload),
                         recording=_placed(payload, "recording/"),
                         agenda=_placed(payload, "agenda/"))


def _refuse_existing(bag_dir: Path) -> None:
    if bag_dir.exists() or bag_dir.is_symlink():
        raise ArchiveError(f"{bag_dir} already exists and is never written over; choose a new "
                           "folder for the bag.")


def _require_finished(session: Session) -> None:
    stages = session.manifest.get("stages") or {}
    unfinished = [name for name, record in stages.items() if record.get("status") != "done"]
    if unfinished or "export" not in stages:
        what = (f"its stage '{unfinished[0]}' has not finished" if unfinished
                else "it has not been exported")
        raise ArchiveError(f"{session.root} is not a finished session ({what}); run "
                           "'session-pipeline run' to the end, then archive it.")


def _require_verified(session: Session) -> None:
    report = verify_session(session.root)
    if report.ok:
        return
    shown = ", ".join(f"{c.path} {c.status}" for c in report.problems[:3])
    more = f" and {len(report.problems) - 3} more" if len(report.problems) > 3 else ""
    raise ArchiveError(
        f"{session.root} does not pass 'session-pipeline verify' ({shown}{more}), so it is not "
        "archived: record editors' changes with 'session-pipeline accept' (or re-run the "
        "session), then archive it again.")


def _payload(session: Session, options: ArchiveOptions) -> list[PayloadFile]:
    """Every file the manifest lists (with the checksum verify accepted), the manifest, the
    agenda if it is still there unchanged, and the recording if asked."""
    files = []
    for relpath, record in sorted(session.manifest["files"].items()):
        source = session.path(relpath)
        accepted = record.get("accepted_sha256")
        current = sha256_file(source)
        files.append(PayloadFile(source, relpath, accepted if current == accepted
                                 else record["sha256"]))
    manifest = session.path(MANIFEST)
    files.append(PayloadFile(manifest, MANIFEST, sha256_file(manifest)))
    agenda = recorded_agenda_file(session)
    if agenda is not None:
        files.append(PayloadFile(agenda, f"agenda/{agenda.name}",
                                 session.manifest["agenda"]["sha256"]))
    if options.with_recording:
        files.append(_recording(session))
    return files


def _recording(session: Session) -> PayloadFile:
    record = session.manifest.get("input") or {}
    path = Path(record.get("path") or "")
    if not record.get("path") or not path.is_file():
        raise ArchiveError(f"The recording {record.get('path') or '(none recorded)'} this session "
                           "was made from is not there; put it back, or archive without "
                           "--with-recording.")
    return PayloadFile(path, f"recording/{path.name}", record["sha256"])


def _staging_folder(bag_dir: Path) -> Path:
    try:
        bag_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{bag_dir.name}.", suffix=".partial",
                                        dir=bag_dir.parent))
    except OSError as exc:
        raise ArchiveError(describe_os_error(exc, bag_dir)) from None
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    return staging


def _copy(payload: list[PayloadFile], staging: Path) -> None:
    for item in payload:
        target = staging / item.target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item.source, target)
        except OSError as exc:
            raise ArchiveError(describe_os_error(exc, target)) from None


def _bag_info(session: Session, options: ArchiveOptions,
              payload: list[PayloadFile]) -> dict:
    import bagit

    fields = session_fields(session, recording_included=_placed(payload, "recording/"))
    fields["External-Description"] = default_description(fields)
    fields.update(options.archivist_fields())
    fields["Bag-Software-Agent"] = f"session-pipeline {__version__} (bagit.py {bagit.VERSION})"
    fields["Bag-Size"] = _size(sum(p.source.stat().st_size for p in payload))
    return fields


def _make_bag(staging: Path, info: dict) -> None:
    """Make ``staging`` a bag with SHA-256 and SHA-512 manifests, declared BagIt 1.0."""
    import bagit

    try:
        bagit.make_bag(str(staging), bag_info=info, checksums=list(CHECKSUMS))
        (staging / "bagit.txt").write_text(
            f"BagIt-Version: {BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n",
            encoding="utf-8")
        bagit.Bag(str(staging)).save()          # tag manifests again, over the new bagit.txt
    except (bagit.BagError, OSError) as exc:
        raise ArchiveError(f"Cannot write the bag in {staging}: {exc}.") from None


def _check(staging: Path, payload: list[PayloadFile], bag_dir: Path) -> None:
    """The bag validates, and holds exactly the bytes that were verified."""
    import bagit

    problems = bag_problems(staging)
    if not problems:
        entries = bagit.Bag(str(staging)).entries
        problems = [f"data/{item.target} differs from the file the session recorded"
                    for item in payload
                    if (entries.get(f"data/{item.target}") or {}).get("sha256") != item.sha256]
    if problems:
        raise ArchiveError(f"The bag was not kept ({problems[0]}), so nothing was written to "
                           f"{bag_dir}; put back the file the session was made from, or run the "
                           "session again, then archive it.")


def _move_into_place(staging: Path, bag_dir: Path) -> None:
    _refuse_existing(bag_dir)
    try:
        os.rename(staging, bag_dir)
    except OSError as exc:
        raise ArchiveError(describe_os_error(exc, bag_dir)) from None
    fd = os.open(bag_dir.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _placed(payload: list[PayloadFile], folder: str) -> str | None:
    return next((f"data/{p.target}" for p in payload if p.target.startswith(folder)), None)


def _size(count: int) -> str:
    """Bag-Size as people read it (decimal units)."""
    if count < 1000:
        return f"{count} bytes"
    value = float(count)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000:
            break
    return f"{value:.1f} {unit}"
