"""Progress reporting that stages use without knowing how (or whether) it is shown.

A stage asks its reporter for a bar (``with reporter.bar("Transcribing", total=3600,
unit="s") as bar: bar.advance(30)``); a batch counts hours of audio (``unit="h"``) and
notes the sessions done (``bar.note("3/40 sessions")``). The CLI passes a :class:`TqdmReporter` (bars with an
ETA on stderr) or, with ``--quiet``, the silent :class:`NullReporter`.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator, Protocol


class Bar(Protocol):
    def advance(self, amount: float = 1) -> None: ...

    def set_total(self, total: float) -> None: ...

    def note(self, text: str) -> None: ...


class Reporter(Protocol):
    def bar(self, description: str, total: float | None, unit: str) -> "contextmanager[Bar]": ...


class _NullBar:
    def advance(self, amount: float = 1) -> None:
        pass

    def set_total(self, total: float) -> None:
        pass

    def note(self, text: str) -> None:
        pass


class NullReporter:
    """Shows nothing; the default for library use and ``--quiet``."""

    @contextmanager
    def bar(self, description: str, total: float | None, unit: str) -> Iterator[Bar]:
        yield _NullBar()


class _TqdmBar:
    def __init__(self, bar):
        self._bar = bar

    def advance(self, amount: float = 1) -> None:
        self._bar.update(amount)

    def set_total(self, total: float) -> None:
        self._bar.total = total
        self._bar.refresh()

    def note(self, text: str) -> None:
        """A short status after the times (``3/40 sessions``)."""
        self._bar.set_postfix_str(text)


class TqdmReporter:
    """Progress bars with rate and ETA on stderr."""

    def __init__(self, stream=None):
        self._stream = stream or sys.stderr

    @contextmanager
    def bar(self, description: str, total: float | None, unit: str) -> Iterator[Bar]:
        from tqdm import tqdm

        fmt = None
        if unit == "s":
            fmt = "{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s audio [{elapsed}<{remaining}]"
        elif unit == "h":
            fmt = ("{desc}: {percentage:3.0f}%|{bar}| {n:.2f}/{total:.2f} h audio "
                   "[{elapsed}<{remaining}{postfix}]")
        with tqdm(total=total, desc=description, unit=unit, file=self._stream, leave=True,
                  dynamic_ncols=True, bar_format=fmt) as bar:
            yield _TqdmBar(bar)
