"""The session folder and its manifest (``session.json``): what was written, by what, from what.

Every stage writes through :meth:`Session.write_text`, which writes atomically, records the
file's checksum, and never overwrites a file that a person has edited since the pipeline
wrote it: the new draft goes beside it (``summary.draft.md``) and the write is reported.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.errors import SessionError
from pipeline.formats import edits as edits_io
from pipeline.formats import sections as sections_io
from pipeline.formats import speakers as speakers_io
from pipeline.formats import transcript as transcript_io
from pipeline.formats.edits import Edits
from pipeline.formats.sections import Section
from pipeline.formats.speakers import Speaker
from pipeline.formats.transcript import Transcript
from pipeline.fsio import atomic_write_bytes, atomic_write_text, sha256_bytes, sha256_file

log = logging.getLogger(__name__)

SCHEMA = "session-pipeline/session/1"
MANIFEST = "session.json"
WORK_DIR = ".work"
EDITOR = "editor"
"""The ``stage`` recorded for a file the editors wrote (see :meth:`Session.write_edit`)."""
PACKAGES = ("faster-whisper", "ctranslate2", "av", "transformers", "torch", "sentencepiece",
            "numpy")


def transcript_relpath(language: str, fmt: str) -> str:
    """Where a language's transcript in format ``fmt`` lives in the session folder."""
    return f"{language}/transcript.{fmt}"


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class WriteResult:
    """Where a file went: ``path`` as asked, or ``draft_path`` beside an edited file."""

    path: Path
    written: Path
    kept_edit: bool = False


class Session:
    """A session folder and its manifest. Create with :meth:`open`."""

    def __init__(self, root: Path, manifest: dict):
        self.root = root
        self.manifest = manifest

    @classmethod
    def open(cls, root: str | Path, create: bool = True, *,
             check_integrity: bool = True) -> "Session":
        """The session at ``root``; a manifest whose integrity checksum fails is refused
        (``check_integrity=False`` opens it anyway, for ``verify`` to report on)."""
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise SessionError(f"{root} exists and is not a folder; choose another --out.")
        if not root.exists():
            if not create:
                raise SessionError(f"{root} does not exist; run 'session-pipeline transcribe' first.")
            try:
                root.mkdir(parents=True)
            except OSError as exc:
                raise SessionError(f"Cannot create the session folder {root}: "
                                   f"{exc.strerror or exc}; choose a folder you can write to.") from None
        manifest_path = root / MANIFEST
        if manifest_path.exists():
            manifest = _read_manifest(manifest_path, check_integrity)
            if check_integrity:
                _settle_pending(root, manifest)
        elif not create:
            raise SessionError(f"{root} is not a session folder (no {MANIFEST}); "
                               "run 'session-pipeline transcribe' first.")
        else:
            manifest = _new_manifest()
        return cls(root, manifest)

    # -- paths ---------------------------------------------------------------------
    def path(self, relpath: str) -> Path:
        return self.root / relpath

    @property
    def work_dir(self) -> Path:
        return self.root / WORK_DIR

    def transcript_path(self, language: str) -> Path:
        return self.root / transcript_relpath(language, "json")

    def languages(self) -> list[str]:
        """Languages with a transcript in the folder, English first, then by code."""
        found = [p.parent.name for p in self.root.glob(transcript_relpath("*", "json"))]
        return sorted(found, key=lambda language: (language != "en", language))

    # -- reading what earlier stages wrote ----------------------------------------
    def read_transcript(self, language: str) -> Transcript:
        """``<language>/transcript.json``; SessionError when the stage that writes it has not run."""
        path = self.transcript_path(language)
        if not path.exists():
            command = "transcribe" if language == "en" else "translate"
            raise SessionError(f"There is no {language} transcript in {self.root} yet; run "
                               f"'session-pipeline {command}' first.")
        transcript = transcript_io.load(path)
        if transcript.language != language:
            raise SessionError(f"{path} holds a {transcript.language!r} transcript, not "
                               f"{language!r}; re-run the stage that writes it.")
        return transcript

    def read_speakers(self) -> list[Speaker]:
        """Who each voice is (``speakers.json``); empty before the speaker stage ran or when it
        was turned off."""
        path = self.path(speakers_io.SPEAKERS_FILE)
        if not path.exists():
            return []
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SessionError(f"Cannot read {path} ({exc}); run 'session-pipeline speakers' "
                               "again.") from None
        return speakers_io.loads(text, str(path))

    def named_speakers(self) -> list[Speaker]:
        """The voices of ``speakers.json`` with the names the editors gave in ``speakers.yaml``
        laid over them (an entry for a voice this session does not have is left aside)."""
        speakers = self.read_speakers()
        path = self.path(speakers_io.EDITS_FILE)
        if not speakers or not path.exists():
            return speakers
        edits = speakers_io.read_edits(self._read_text(path, "speakers"), str(path))
        labels = {s.label for s in speakers}
        return speakers_io.apply_edits(
            speakers, {k: e for k, e in edits.items() if k in labels}, str(path))

    def read_edits(self) -> Edits:
        """The editors' corrections (``edits.json``); none when the editors made none."""
        path = self.path(edits_io.EDITS_FILE)
        if not path.exists():
            return Edits()
        return edits_io.loads(self._read_text(path, "review"), str(path))

    def _read_text(self, path: Path, command: str) -> str:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SessionError(f"Cannot read {path} ({exc}); restore it, or correct it in "
                               f"'session-pipeline {command}'.") from None

    def read_sections(self) -> list[Section]:
        """The agenda items' time ranges; SessionError when 'segment' has not run."""
        path = self.path(sections_io.SECTIONS_FILE)
        if not path.exists():
            raise SessionError(f"{self.root} has no {sections_io.SECTIONS_FILE} yet; run "
                               "'session-pipeline segment' first.")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SessionError(f"Cannot read {path} ({exc}); run 'session-pipeline segment' "
                               "again.") from None
        return sections_io.loads(text, str(path))

    # -- files ---------------------------------------------------------------------
    def file_record(self, relpath: str) -> dict | None:
        return self.manifest["files"].get(relpath)

    def is_edited(self, relpath: str) -> bool:
        """True when the file differs from what the pipeline last wrote.

        An edit accepted with :meth:`accept_edit` is still an edit: it stops being reported
        by ``verify``, but no run ever overwrites it.
        """
        record = self.file_record(relpath)
        target = self.path(relpath)
        if record is None or not target.exists():
            return False
        current = sha256_file(target)
        return current not in (record.get("sha256"), record.get("pending_sha256"))

    def write_text(self, relpath: str, text: str, *, stage: str) -> WriteResult:
        """Write a pipeline output atomically, keeping a person's edit if there is one."""
        return self.write_bytes(relpath, text.encode("utf-8"), stage=stage)

    def write_bytes(self, relpath: str, data: bytes, *, stage: str) -> WriteResult:
        """Write a pipeline output (a Word file, say) atomically, keeping a person's edit if
        there is one: the new version then goes beside it (``summary.draft.docx``)."""
        target = self.path(relpath)
        if self.is_edited(relpath):
            draft = _draft_path(target)
            atomic_write_bytes(draft, data)
            draft_rel = draft.relative_to(self.root).as_posix()
            self._record_file(draft_rel, data, stage)
            self.manifest["files"][relpath]["edited"] = True
            log.warning("%s was edited by hand and is kept; the new draft is %s", relpath, draft_rel)
            return WriteResult(path=target, written=draft, kept_edit=True)
        self._note_pending(relpath, data)
        atomic_write_bytes(target, data)
        self._record_file(relpath, data, stage)
        return WriteResult(path=target, written=target)

    def write_edit(self, relpath: str, text: str, *, by: str = "") -> Path:
        """Write an editor's change atomically, in place (never as a draft beside it).

        A file the pipeline wrote keeps its record and the new content is recorded as an
        accepted edit, which no run overwrites; a file of the editors' own (``edits.json``,
        ``speakers.yaml``) is recorded as written by the editors. The manifest is saved.
        """
        target = self.path(relpath)
        record = self.file_record(relpath)
        sha = sha256_bytes(text.encode("utf-8"))
        atomic_write_text(target, text)
        if record is None or record.get("stage") == EDITOR:
            self._record_file(relpath, text.encode("utf-8"), EDITOR)
            self.manifest["files"][relpath]["by"] = by
        elif sha != record.get("sha256"):
            record.update(accepted_sha256=sha, accepted=now(), edited=True, by=by)
        self.save()
        return target

    def accept_edit(self, relpath: str) -> bool:
        """Record the current content of an edited file as accepted; True if it was edited."""
        record = self.file_record(relpath)
        if record is None:
            raise SessionError(f"{relpath} is not a file this session wrote.")
        if not self.path(relpath).exists():
            raise SessionError(f"{relpath} is missing, so there is no edit to accept.")
        current = sha256_file(self.path(relpath))
        if current == record["sha256"]:
            return False
        record["accepted_sha256"] = current
        record["accepted"] = now()
        record["edited"] = True
        return True

    def _note_pending(self, relpath: str, data: bytes) -> None:
        """Record the checksum about to be written before writing it, so that a run killed
        between the write and the next :meth:`save` is not mistaken for a person's edit."""
        record = self.manifest["files"].get(relpath)
        sha = sha256_bytes(data)
        if record is None or record.get("sha256") == sha:
            return          # never recorded (so never an edit), or the same content again
        record["pending_sha256"] = sha
        self._write_manifest()

    def _record_file(self, relpath: str, data: bytes, stage: str) -> None:
        self.manifest["files"][relpath] = {
            "sha256": sha256_bytes(data), "bytes": len(data), "stage": stage, "written": now()}

    # -- stages --------------------------------------------------------------------
    def stage(self, name: str) -> dict | None:
        return self.manifest["stages"].get(name)

    def stage_is_current(self, name: str, fingerprint: str) -> bool:
        record = self.stage(name)
        return bool(record and record.get("status") == "done"
                    and record.get("fingerprint") == fingerprint)

    def record_stage(self, name: str, **fields) -> None:
        """Merge ``fields`` (status, fingerprint, seconds, options, models, ...) into the stage."""
        record = self.manifest["stages"].setdefault(name, {})
        record.update(fields)
        record["updated"] = now()

    def save(self) -> None:
        self.manifest["updated"] = now()
        self.manifest["environment"] = environment()
        self._write_manifest()

    def _write_manifest(self) -> None:
        self.manifest["integrity"] = {"sha256": manifest_digest(self.manifest)}
        text = json.dumps(self.manifest, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
        atomic_write_text(self.root / MANIFEST, text)


def _settle_pending(root: Path, manifest: dict) -> None:
    """Finish the records of writes a killed run began: the file holds the pending content
    (the write happened) or not (it did not); either way the pending mark goes."""
    for relpath, record in manifest["files"].items():
        pending = record.pop("pending_sha256", None)
        target = root / relpath
        if pending and target.is_file() and sha256_file(target) == pending:
            record["sha256"] = pending
            record["bytes"] = target.stat().st_size


def manifest_digest(manifest: dict) -> str:
    """Checksum of the manifest's content (all but its own ``integrity`` field)."""
    body = {key: value for key, value in manifest.items() if key != "integrity"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return sha256_bytes(canonical.encode("utf-8"))


def _draft_path(target: Path) -> Path:
    return target.with_name(f"{target.stem}.draft{target.suffix}")


def _new_manifest() -> dict:
    return {"schema": SCHEMA, "created": now(), "updated": now(),
            "pipeline": {"name": "session-pipeline", "version": __version__},
            "input": {}, "agenda": None, "stages": {}, "files": {}, "environment": environment()}


def _read_manifest(path: Path, check_integrity: bool = True) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SessionError(f"The manifest {path} is unreadable ({exc}); restore it from a "
                           "backup or start a new session folder.") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise SessionError(f"The manifest {path} is not a session manifest this version can read "
                           f"(expected schema {SCHEMA!r}).")
    recorded = (data.get("integrity") or {}).get("sha256")
    if check_integrity and recorded and recorded != manifest_digest(data):
        raise SessionError(f"The manifest {path} was changed outside the pipeline (its integrity "
                           "checksum does not match), so it cannot be trusted; restore it from a "
                           "backup or start a new session folder.")
    for key in ("stages", "files"):
        data.setdefault(key, {})
    return data


def environment() -> dict:
    """Versions of Python, the platform and the packages that shape the results."""
    return {"python": sys.version.split()[0], "platform": platform.platform(),
            "machine": platform.machine(), "packages": package_versions(PACKAGES)}


def package_versions(names) -> dict[str, str | None]:
    """Installed version of each package (None where it is not installed)."""
    from importlib import metadata

    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions
