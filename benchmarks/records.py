"""Benchmark records as committed: JSON and Markdown with no absolute path of the machine."""

from __future__ import annotations

import json
import platform
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOME = Path.home()


def scrub(value: Any) -> Any:
    """``value`` with every absolute path inside the repository made relative to it, and every
    other path under the home folder written from ``~``; other values as they are."""
    if isinstance(value, str):
        text = value.replace(str(ROOT) + "/", "").replace(str(ROOT), ".")
        return re.sub(re.escape(str(HOME)) + r"(?=/|\b)", "~", text)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(item) for item in value]
    return value


def write_json(path: Path, data: Any, **dumps: Any) -> None:
    """Write a record as indented JSON, scrubbed of machine paths."""
    path.write_text(json.dumps(scrub(data), indent=1, **dumps) + "\n", encoding="utf-8")


def write_text(path: Path, text: str) -> None:
    """Write a table or a note, scrubbed of machine paths."""
    path.write_text(scrub(text), encoding="utf-8")


def cpu_model() -> str:
    """The processor's name as the system gives it ("Intel(R) Xeon(R) Processor", "AMD EPYC"):
    figures from one processor family do not always hold on another (CTranslate2 multiplies
    with Intel MKL on Intel processors and with oneDNN on others)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
