"""Command-line interface: ``session-pipeline`` (also ``python -m pipeline``).

Each command family lives in its own module and registers itself on :data:`main`.
"""

from pipeline.cli.app import main
from pipeline.cli import verify_cmd  # noqa: F401
from pipeline.cli import transcribe_cmd  # noqa: F401
from pipeline.cli import translate_cmd  # noqa: F401
from pipeline.cli import models_cmd  # noqa: F401
from pipeline.cli import agenda_cmd  # noqa: F401
from pipeline.cli import segment_cmd  # noqa: F401
from pipeline.cli import summarise_cmd  # noqa: F401
from pipeline.cli import run_cmd  # noqa: F401

__all__ = ["main"]
