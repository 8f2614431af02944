"""Fit over-long sentences to the model's input: split at clauses, then words; never truncate."""

from __future__ import annotations

import re
from typing import Callable

# Break points, strongest first: after ; or :, after a comma, before a dash, then any space.
_LEVELS = (re.compile(r"(?<=[;:])\s+"), re.compile(r"(?<=,)\s+"),
           re.compile(r"\s+(?=[–—-]\s)"), re.compile(r"\s+"))

Counter = Callable[[list[str]], list[int]]


def split_to_fit(text: str, count: Counter, limit: int) -> list[str]:
    """Parts of ``text`` that each fit in ``limit`` tokens and that join back to ``text``.

    ``count`` gives the token counts of several texts at once. Parts are joined with one
    space: ``" ".join(parts)`` equals ``text`` up to whitespace.
    """
    if count([text])[0] <= limit:
        return [text]
    return _split(text.strip(), count, limit, 0)


def _split(text: str, count: Counter, limit: int, level: int) -> list[str]:
    if level == len(_LEVELS):
        return _split_characters(text, count, limit)
    pieces = [p for p in _LEVELS[level].split(text) if p]
    if len(pieces) == 1:
        return _split(text, count, limit, level + 1)
    parts: list[str] = []
    for chunk in _pack(pieces, count, limit):
        if count([chunk])[0] <= limit:
            parts.append(chunk)
        else:
            parts.extend(_split(chunk, count, limit, level + 1))
    return parts


def _pack(pieces: list[str], count: Counter, limit: int) -> list[str]:
    """Greedily join consecutive pieces while the joined text still fits."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current} {piece}" if current else piece
        if current and count([candidate])[0] > limit:
            chunks.append(current)
            current = piece
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


def _split_characters(text: str, count: Counter, limit: int) -> list[str]:
    """A single word longer than the limit (a URL, a run of digits): cut it in fitting slices."""
    parts, start = [], 0
    while start < len(text):
        end = len(text)
        while end - start > 1 and count([text[start:end]])[0] > limit:
            end = start + max(1, (end - start) * 3 // 4)
        parts.append(text[start:end])
        start = end
    return parts


def join_parts(parts: list[str]) -> str:
    return " ".join(p.strip() for p in parts if p.strip())
