"""The architecture as the imports show it: layers import downwards only.

formats and text import nothing above them; no stage imports another stage or the command
line; only pipeline/cli imports click; the export stage reads what the stages wrote
without importing them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
STAGES = {"transcribe", "segment", "translate", "summarise", "speakers"}
BOTTOM = {"formats": {"formats", "errors"}, "text": {"text"}}


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _part(module: str) -> str | None:
    """``pipeline.translate.stage`` -> ``translate``; ``pipeline.session`` -> ``session``."""
    parts = module.split(".")
    return parts[1] if parts[0] == "pipeline" and len(parts) > 1 else None


FILES = sorted(p for p in PACKAGE.rglob("*.py"))


def _layer(path: Path) -> str:
    relative = path.relative_to(PACKAGE).parts
    return relative[0] if len(relative) > 1 else relative[0].removesuffix(".py")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_run_downwards(path):
    layer = _layer(path)
    used = {_part(m) for m in _imports(path)} - {None}
    if layer in BOTTOM:
        assert used <= BOTTOM[layer], f"{layer} imports {used - BOTTOM[layer]}"
    if layer in STAGES:
        others = used & (STAGES - {layer})
        assert not others, f"the {layer} stage imports the {others} stage"
        assert not used & {"cli", "runner", "export", "review", "batch", "archive"}
    if layer != "cli":
        assert "click" not in {m.split(".")[0] for m in _imports(path)}, "only cli imports click"
    if layer == "export":
        assert not used & STAGES, f"export imports the stages {used & STAGES}"
