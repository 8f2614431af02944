"""Command-line interface: ``session-pipeline`` (also ``python -m pipeline``).

Each command family lives in its own module and registers itself on :data:`main`.
"""

from pipeline.cli import (
    agenda_cmd,  # noqa: F401
    archive_cmd,  # noqa: F401
    batch_cmd,  # noqa: F401
    models_cmd,  # noqa: F401
    review_cmd,  # noqa: F401
    run_cmd,  # noqa: F401
    segment_cmd,  # noqa: F401
    speakers_cmd,  # noqa: F401
    summarise_cmd,  # noqa: F401
    transcribe_cmd,  # noqa: F401
    translate_cmd,  # noqa: F401
    verify_cmd,  # noqa: F401
)
from pipeline.cli.app import main

__all__ = ["main"]
