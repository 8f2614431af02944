"""The editors' ``speakers.yaml``: one voice's entry set in place, every other line kept."""

from __future__ import annotations

import yaml

from pipeline.formats.speakers import read_edits


def with_name(text: str, label: str, name: str | None, role: str | None, source: str) -> str:
    """``text`` (a speakers.yaml, possibly empty) with ``label`` named ``name`` (and ``role``);
    the other entries and the comments stay as they were."""
    read_edits(text, source)                       # refuse a file that is not valid first
    value: dict = {"name": name or ""}
    if role:
        value["role"] = role
    entry = f"{label}: " + yaml.safe_dump(value, default_flow_style=True, allow_unicode=True,
                                          sort_keys=False, width=10**6).strip()
    root = yaml.compose(text) if text.strip() else None
    for key, node in (root.value if root is not None else []):
        if str(key.value).strip() == label:
            start, end = key.start_mark.index, node.end_mark.index
            newline = "\n" if text[start:end].endswith("\n") else ""
            return text[:start] + entry + newline + text[end:]
    if text and not text.endswith("\n"):
        text += "\n"
    return text + entry + "\n"
