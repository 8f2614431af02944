"""Command-line interface: ``session-pipeline`` (also ``python -m pipeline``).

Each command family lives in its own module and registers itself on :data:`main`.
"""

from pipeline.cli.app import main

__all__ = ["main"]
