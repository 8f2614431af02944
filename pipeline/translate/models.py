"""Find a Marian translation model: a local folder, the Hugging Face cache, or a download."""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ModelUnavailableError
from pipeline.fsio import atomic_write_text, sha256_file
from pipeline.modelcache import cache_root, is_offline

log = logging.getLogger(__name__)

WEIGHTS = ("model.safetensors", "pytorch_model.bin")
TOKENIZER_FILES = ("vocab.json", "source.spm", "target.spm")
DOWNLOAD_PATTERNS = ["config.json", "generation_config.json", "tokenizer_config.json",
                     "special_tokens_map.json", "vocab.json", "source.spm", "target.spm",
                     "*.safetensors", "pytorch_model.bin"]
_PAIR = re.compile(r"(?:opus-mt|opus-mt-tc-big|tc-big)-([a-z]{2,3})-([a-z]{2,3})\b", re.I)


@dataclass(frozen=True)
class MarianModel:
    """A Marian model ready to load, and what it is (checksum, revision, input limit)."""

    spec: str
    language: str
    path: Path
    source: str          # "directory", "huggingface-cache" or "download"
    sha256: str
    revision: str | None
    max_input_tokens: int

    def to_record(self) -> dict:
        return {"name": self.spec, "language": self.language, "path": str(self.path),
                "source": self.source, "sha256": self.sha256, "revision": self.revision,
                "max_input_tokens": self.max_input_tokens}


def how_to_provide(language: str) -> str:
    return (f"pass a local model folder with --mt-model {language}=DIR (config.json, vocab.json, "
            f"source.spm, target.spm and the weights), or run 'session-pipeline models fetch "
            f"--to {language}' on a machine with network access and copy its Hugging Face cache "
            "(HF_HOME) here; then set HF_HUB_OFFLINE=1 or SESSION_PIPELINE_OFFLINE=1")


def resolve_marian_model(spec: str, language: str, *, offline: bool | None = None) -> MarianModel:
    """Turn ``--mt-model LANG=NAME_OR_DIR`` into a checked local folder, or say why not."""
    offline = is_offline() if offline is None else offline
    spec = str(spec).strip()
    path = Path(spec).expanduser()
    if path.is_dir():
        folder, source, revision = path.resolve(), "directory", None
    elif spec.startswith((".", "/", "~")) or spec.count("/") != 1:
        raise ModelUnavailableError(f"The translation model {spec!r} for {language} is neither a "
                                    f"folder nor a hub name like Helsinki-NLP/opus-mt-en-{language}; "
                                    f"{how_to_provide(language)}.")
    else:
        folder, source = _hub_snapshot(spec, language, offline)
        revision = folder.name
    _check_files(folder, spec)
    _check_pair(folder, spec, language)
    return MarianModel(spec=spec, language=language, path=folder, source=source,
                       sha256=folder_checksum(folder), revision=revision,
                       max_input_tokens=max_input_tokens(folder))


def model_status(spec: str, language: str) -> tuple[bool, str]:
    """Whether the model can be loaded here without a download; where it is or how to get it."""
    try:
        model = resolve_marian_model(spec, language, offline=True)
        return True, f"{model.path} ({model.source})"
    except ModelUnavailableError as exc:
        return False, str(exc)


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment at call time."""
    explicit = os.environ.get("HF_HUB_CACHE") or os.environ.get("HUGGINGFACE_HUB_CACHE")
    if explicit:
        return Path(explicit)
    home = os.environ.get("HF_HOME") or Path(os.environ.get("XDG_CACHE_HOME")
                                             or Path.home() / ".cache") / "huggingface"
    return Path(home) / "hub"


def _hub_snapshot(spec: str, language: str, offline: bool) -> tuple[Path, str]:
    from huggingface_hub import snapshot_download

    cache = hub_cache_dir()
    try:
        return Path(snapshot_download(spec, cache_dir=cache, local_files_only=True,
                                      allow_patterns=DOWNLOAD_PATTERNS)), "huggingface-cache"
    except Exception as exc:  # huggingface_hub raises several kinds for "not in the cache"
        log.debug("%s is not in the cache %s: %s", spec, cache, exc)
    if offline:
        raise ModelUnavailableError(
            f"The translation model {spec} for {language} is not in the cache {cache} and "
            f"downloads are off (offline mode); {how_to_provide(language)}.")
    try:
        return Path(snapshot_download(spec, cache_dir=cache,
                                      allow_patterns=DOWNLOAD_PATTERNS)), "download"
    except Exception as exc:
        raise ModelUnavailableError(
            f"Cannot download the translation model {spec} for {language} "
            f"({type(exc).__name__}); {how_to_provide(language)}.") from None


def _check_files(folder: Path, spec: str) -> None:
    missing = [n for n in ("config.json",) + TOKENIZER_FILES if not (folder / n).is_file()]
    if not any((folder / n).is_file() for n in WEIGHTS):
        missing.append("model.safetensors or pytorch_model.bin")
    if missing:
        raise ModelUnavailableError(f"{folder} is not a Marian model folder for {spec}: it lacks "
                                    f"{', '.join(missing)}.")


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def model_languages(folder: Path, spec: str = "") -> tuple[str | None, str | None]:
    """The (source, target) languages the model declares, where it declares them."""
    tokenizer = _read_json(folder / "tokenizer_config.json")
    source, target = tokenizer.get("source_lang"), tokenizer.get("target_lang")
    names = [spec, str(_read_json(folder / "config.json").get("_name_or_path", "")), folder.name]
    for name in names:
        match = _PAIR.search(name or "")
        if match:
            source = source or match.group(1)
            target = target or match.group(2)
            break
    return (source.lower() if isinstance(source, str) else None,
            target.lower() if isinstance(target, str) else None)


def _check_pair(folder: Path, spec: str, language: str) -> None:
    source, target = model_languages(folder, spec)
    if source not in (None, "en") or target not in (None, language):
        raise ModelUnavailableError(
            f"The translation model {spec} translates {source or '?'}→{target or '?'}, not "
            f"en→{language}; pass an en→{language} model with --mt-model {language}=NAME_OR_DIR.")


def max_input_tokens(folder: Path) -> int:
    """The longest input the model takes, in tokens (with the end-of-sentence token)."""
    config = _read_json(folder / "config.json")
    limits = [config.get("max_position_embeddings"),
              _read_json(folder / "tokenizer_config.json").get("model_max_length")]
    usable = [int(v) for v in limits if isinstance(v, (int, float)) and 0 < v < 100_000]
    return min(usable) if usable else 512


def folder_checksum(folder: Path) -> str:
    """sha256 over the files that define the model, remembered by path, size and mtime."""
    files = [folder / n for n in ("config.json",) + TOKENIZER_FILES + WEIGHTS
             if (folder / n).is_file()]
    stats = [f"{f.resolve()}|{f.stat().st_size}|{f.stat().st_mtime_ns}" for f in files]
    key = "marian|" + ";".join(stats)
    index_path = cache_root() / "marian-sha256.json"
    index = _read_json(index_path)
    if key in index:
        return index[key]
    import hashlib

    digest = hashlib.sha256()
    for f in files:
        digest.update(f"{f.name}:{sha256_file(f)}\n".encode())
    index[key] = digest.hexdigest()
    try:
        atomic_write_text(index_path, json.dumps(index, indent=1))
    except Exception as exc:  # a read-only cache only costs a recomputation next time
        log.debug("Cannot remember the model checksum: %s", exc)
    return index[key]
