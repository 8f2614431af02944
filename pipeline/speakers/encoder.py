"""A small adapter around the voice encoder (Resemblyzer's GE2E model, weights inside its wheel)."""

from __future__ import annotations

import hashlib
import logging
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.errors import ModelUnavailableError
from pipeline.speakers.features import mel_spectrogram, raise_level

log = logging.getLogger(__name__)

FRAME_S = 0.01                      # the encoder's features: one frame every 10 ms
INSTALL_HINT = "pip install resemblyzer 'setuptools<81'"


@dataclass(frozen=True)
class EncoderInfo:
    """What the manifest records about the voice model."""

    name: str
    version: str | None
    path: str
    sha256: str
    dimensions: int

    def to_record(self) -> dict:
        return {"name": self.name, "version": self.version, "path": self.path,
                "source": "package", "sha256": self.sha256, "dimensions": self.dimensions}


class VoiceEncoder:
    """Turns 16 kHz mono speech into unit-length voice vectors; loads the model on first use."""

    name = "resemblyzer"

    def __init__(self, device: str = "cpu", threads: int | None = 1):
        self.device = device
        self.threads = threads
        self._model = None

    def _load(self):
        if self._model is None:
            try:
                with warnings.catch_warnings():   # pkg_resources, scipy.ndimage.morphology
                    warnings.simplefilter("ignore", UserWarning)
                    warnings.simplefilter("ignore", DeprecationWarning)
                    from resemblyzer import VoiceEncoder as Model
            except ImportError as exc:
                raise ModelUnavailableError(
                    f"The voice encoder cannot be imported ({exc}); {INSTALL_HINT}.") from exc
            self._model = Model(self.device, verbose=False)
        return self._model

    @property
    def dimensions(self) -> int:
        return int(self._load().linear.out_features)

    def mel(self, samples: np.ndarray) -> np.ndarray:
        """The encoder's features of ``samples``: (frames, 40), one frame per 10 ms, after
        raising the level to the encoder's working level (never lowering it), as its own
        preprocessing does."""
        return mel_spectrogram(raise_level(samples))

    def embed(self, frames: list[np.ndarray]) -> np.ndarray:
        """One unit vector per feature slice; slices of one length are run as one batch."""
        import torch

        model = self._load()
        out = np.zeros((len(frames), self.dimensions), np.float32)
        by_length: dict[int, list[int]] = {}
        for index, frame in enumerate(frames):
            by_length.setdefault(len(frame), []).append(index)
        with torch.inference_mode(), _threads(self.threads):
            for indices in by_length.values():
                batch = torch.from_numpy(np.stack([frames[i] for i in indices]))
                out[indices] = model(batch.to(self.device)).cpu().numpy()
        return out

    def info(self) -> EncoderInfo:
        import resemblyzer

        weights = Path(resemblyzer.__file__).resolve().parent / "pretrained.pt"
        return EncoderInfo(name=self.name, version=_version("resemblyzer"), path=str(weights),
                           sha256=_sha256(weights), dimensions=self.dimensions)


@contextmanager
def _threads(count: int | None):
    """Run torch on ``count`` threads meanwhile (None: leave it), then restore its setting."""
    import torch

    before = torch.get_num_threads()
    if count:
        torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _version(package: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
