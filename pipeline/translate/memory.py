"""Translation memory: each sentence's translation, cached per model, engine and settings.

One JSON file per target language in the session's work folder, written atomically after
every batch, so it is also the checkpoint a killed run resumes from. The file carries a
checksum of its entries; a file that fails to parse or to match is discarded and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from pipeline.fsio import atomic_write_text

log = logging.getLogger(__name__)

SCHEMA = "session-pipeline/translation-memory/1"


def _digest(entries: dict) -> str:
    return hashlib.sha256(json.dumps(entries, sort_keys=True, ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


class TranslationMemory:
    """``memory.get(text)`` / ``memory.put(text, translation)`` within one ``scope``.

    ``scope`` names what makes a translation reusable: model checksum, engine and the
    decoding settings. Entries of other scopes stay in the file untouched.
    """

    def __init__(self, path: Path, scope: dict, entries: dict | None = None,
                 rebuilt: bool = False):
        self.path = Path(path)
        self.scope_key = hashlib.sha256(json.dumps(scope, sort_keys=True).encode()).hexdigest()
        self.entries: dict[str, str] = entries or {}
        self.rebuilt = rebuilt
        self._dirty = False

    @classmethod
    def load(cls, path: Path, scope: dict) -> "TranslationMemory":
        path = Path(path)
        if not path.exists():
            return cls(path, scope)
        entries = _read_entries(path)
        if entries is None:
            log.warning("The translation memory %s is damaged; it is discarded and rebuilt.", path)
            return cls(path, scope, rebuilt=True)
        return cls(path, scope, entries)

    def key(self, source: str) -> str:
        return hashlib.sha256(f"{self.scope_key}\n{source}".encode("utf-8")).hexdigest()

    def get(self, source: str) -> str | None:
        return self.entries.get(self.key(source))

    def put(self, source: str, translation: str) -> None:
        self.entries[self.key(source)] = translation
        self._dirty = True

    def save(self) -> None:
        if not self._dirty and self.path.exists():
            return
        data = {"schema": SCHEMA, "sha256": _digest(self.entries), "entries": self.entries}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False) + "\n")
        self._dirty = False


def _read_entries(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        return None
    entries = data.get("entries")
    if not isinstance(entries, dict) or not all(isinstance(v, str) for v in entries.values()):
        return None
    if data.get("sha256") != _digest(entries):
        return None
    return entries
