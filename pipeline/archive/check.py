"""Validate a BagIt bag with the bagit library and say, file by file, what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BagCheck:
    """What validating a bag found: ``problems`` holds one sentence each."""

    path: Path
    problems: tuple[str, ...]
    files: int = 0
    version: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def is_bag(path: str | Path) -> bool:
    """True when ``path`` is a folder holding a bagit.txt (a bag, valid or not)."""
    return (Path(path) / "bagit.txt").is_file()


def validate_bag(path: str | Path) -> BagCheck:
    """Validate every manifest (payload and tag files, every algorithm) of the bag at ``path``."""
    import bagit

    path = Path(path)
    problems = bag_problems(path)
    try:
        bag = bagit.Bag(str(path))
    except bagit.BagError:
        return BagCheck(path, tuple(problems))
    return BagCheck(path, tuple(problems), files=len(bag.payload_entries()),
                    version=".".join(str(part) for part in bag.version_info))


def bag_problems(path: Path) -> list[str]:
    """One sentence per problem of the bag at ``path``; empty when it is valid.

    bagit stops at a Payload-Oxum mismatch (payload bytes or file count) before it looks
    at any file; the files are then checked again without it, to say which are wrong.
    """
    import bagit

    try:
        _validate(path, with_oxum=True)
    except bagit.BagValidationError as exc:
        if exc.details:
            return [describe(detail) for detail in exc.details]
        try:
            _validate(path, with_oxum=False)
        except bagit.BagValidationError as inner:
            details = [describe(detail) for detail in inner.details or []]
            return details or [_sentence(inner.message)]
        return [_sentence(exc.message)]
    except bagit.BagError as exc:
        return [_sentence(str(exc))]
    return []


def _validate(path: Path, *, with_oxum: bool) -> None:
    import bagit

    bag = bagit.Bag(str(path))
    if not with_oxum:
        bag.info.pop("Payload-Oxum", None)
    bag.validate(processes=1)


def describe(detail) -> str:
    """One sentence for one of bagit's validation details."""
    import bagit

    if isinstance(detail, bagit.ChecksumMismatch):
        return (f"{detail.path}: its {detail.algorithm} checksum is {detail.found}, not the "
                f"{detail.expected} the manifest recorded (the file was changed)")
    if isinstance(detail, bagit.FileMissing):
        return f"{detail.path}: listed in the manifest but missing"
    if isinstance(detail, bagit.UnexpectedFile):
        return f"{detail.path}: in the payload but listed in no manifest"
    return _sentence(str(detail))


def _sentence(text: str) -> str:
    return text.strip().rstrip(".")


def holds_session(bag_dir: Path, session_dir: Path) -> bool:
    """True when the bag at ``bag_dir`` is valid and holds the session's manifest as it is
    now (so every file the manifest lists, as verify checked them)."""
    import bagit

    from pipeline.fsio import sha256_file
    from pipeline.session import MANIFEST

    if not is_bag(bag_dir) or bag_problems(bag_dir):
        return False
    recorded = (bagit.Bag(str(bag_dir)).entries.get(f"data/{MANIFEST}") or {}).get("sha256")
    manifest = session_dir / MANIFEST
    return manifest.is_file() and recorded == sha256_file(manifest)
