"""Repetition loops in machine translation output: detect them and trim them."""

from __future__ import annotations

import re

_CHAR_RUN = re.compile(r"(\S)\1{5,}")              # "GGGGGG"
_UNIT_RUN = re.compile(r"(\S{2,12}?)\1{3,}")        # "orororor", "deladeladela"
_MIN_SOURCE_CHARS = 20


def _max_ngram_run(words: list[str], n: int) -> int:
    """The longest run of one n-gram repeated back to back (1 if none repeats)."""
    best = 1
    for start in range(n):
        run, previous = 1, None
        for i in range(start, len(words) - n + 1, n):
            gram = tuple(w.lower() for w in words[i:i + n])
            run = run + 1 if gram == previous else 1
            previous = gram
            best = max(best, run)
    return best


def _word_loop(source: str, output: str) -> str | None:
    src, out = source.split(), output.split()
    for n, times in ((1, 4), (2, 3), (3, 3), (4, 3)):
        run = _max_ngram_run(out, n)
        if run >= times and run > _max_ngram_run(src, n):
            return f"a {n}-word sequence repeated {run} times"
    return None


def _char_loop(source: str, output: str) -> str | None:
    for pattern, what in ((_CHAR_RUN, "a character"), (_UNIT_RUN, "a word piece")):
        match = pattern.search(output)
        if match and match.group(1) * 3 not in source:
            return f"{what} repeated ({match.group(0)[:24]}...)"
    return None


def find_loop(source: str, output: str, max_ratio: float) -> str | None:
    """Why ``output`` looks like a repetition loop, or ``None`` when it does not."""
    reason = _word_loop(source, output) or _char_loop(source, output)
    if reason:
        return reason
    if len(output) > max_ratio * max(len(source), _MIN_SOURCE_CHARS):
        return f"the output is {len(output) / max(len(source), 1):.1f} times longer than the input"
    return None


def _collapse_words(text: str) -> str:
    words = text.split()
    for n in (4, 3, 2, 1):
        out: list[str] = []
        i = 0
        while i < len(words):
            gram = words[i:i + n]
            out.extend(gram)
            i += n
            while len(gram) == n and [w.lower() for w in words[i:i + n]] == [w.lower() for w in gram]:
                i += n
        words = out
    return " ".join(words)


def trim_loop(source: str, output: str, max_ratio: float) -> str:
    """``output`` with repeated runs collapsed to one and cut to the length bound."""
    text = _CHAR_RUN.sub(r"\1", output)
    text = _UNIT_RUN.sub(r"\1", text)
    text = _collapse_words(text)
    bound = int(max_ratio * max(len(source), _MIN_SOURCE_CHARS))
    if len(text) > bound:
        cut = text[:bound]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return text.strip() or output.strip()[:bound]
