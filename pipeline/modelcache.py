"""Where the pipeline keeps models it assembles or converts, and whether it may download."""

from __future__ import annotations

import os
from pathlib import Path

OFFLINE_VARIABLES = ("SESSION_PIPELINE_OFFLINE", "HF_HUB_OFFLINE")


def cache_root() -> Path:
    """Where assembled models and checksums go (``SESSION_PIPELINE_CACHE`` overrides)."""
    explicit = os.environ.get("SESSION_PIPELINE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "session-pipeline"


def is_offline() -> bool:
    """Whether the user forbade every download (``SESSION_PIPELINE_OFFLINE`` or ``HF_HUB_OFFLINE``)."""
    return any(os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
               for name in OFFLINE_VARIABLES)
