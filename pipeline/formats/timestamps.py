"""The one timestamp formatter every writer shares: SRT, WebVTT and clock styles."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

STYLES = ("srt", "vtt", "clock")


def milliseconds(seconds: float) -> int:
    """Whole milliseconds, rounding halves up as written (0.9995 s -> 1000 ms)."""
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not math.isfinite(seconds):
        raise ValueError(f"A timestamp must be a finite number of seconds, not {seconds!r}.")
    if seconds < 0:
        raise ValueError(f"A timestamp cannot be negative ({seconds} s).")
    return int(Decimal(repr(float(seconds))).scaleb(3).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_timestamp(seconds: float, style: str = "srt") -> str:
    """``00:01:02,345`` (srt), ``00:01:02.345`` (vtt) or ``00:01:02`` (clock, whole seconds down).

    Hours keep counting past 99 (``100:00:00,000``) rather than wrapping.
    """
    if style not in STYLES:
        raise ValueError(f"Unknown timestamp style {style!r}; choose one of: {', '.join(STYLES)}.")
    total_ms = milliseconds(seconds)
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    if style == "clock":
        return clock
    return f"{clock}{',' if style == 'srt' else '.'}{ms:03d}"
