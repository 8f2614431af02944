"""Clock times ("HH:MM[:SS]") and recording offsets ("HH:MM:SS" or seconds) as seconds."""

from __future__ import annotations

import re

from pipeline.formats.timestamps import format_timestamp

_CLOCK = re.compile(r"^\s*(\d{1,2})\s*[:h.]\s*(\d{2})(?:\s*:\s*(\d{2}(?:\.\d+)?))?\s*$")


def parse_clock(text: str) -> float | None:
    """Seconds since midnight of a wall-clock time "HH:MM" or "HH:MM:SS"; None if not a time."""
    match = _CLOCK.match(str(text))
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    seconds = float(match.group(3) or 0)
    if hours > 23 or minutes > 59 or seconds >= 60:
        return None
    return hours * 3600 + minutes * 60 + seconds


def parse_offset(text: str) -> float | None:
    """Seconds into the recording of "HH:MM:SS", "MM:SS" or a number of seconds; None if neither."""
    text = str(text).strip()
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        return value if value >= 0 else None
    parts = text.split(":")
    if not 2 <= len(parts) <= 3 or not all(re.fullmatch(r"\d{1,2}(\.\d+)?", p) for p in parts):
        return None
    numbers = [float(p) for p in parts]
    if any(n >= 60 for n in numbers[1:]):
        return None
    while len(numbers) < 3:
        numbers.insert(0, 0.0)
    return numbers[0] * 3600 + numbers[1] * 60 + numbers[2]


def format_clock(seconds: float) -> str:
    """Seconds since midnight as the time of day "HH:MM:SS"."""
    return format_timestamp(round(seconds) % 86400, "clock")
