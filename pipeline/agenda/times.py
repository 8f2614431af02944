"""Clock times ("HH:MM[:SS]") and recording offsets ("HH:MM:SS" or seconds) as seconds."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


# Times as programmes write them: "10:00", "10.00", "10h00", "10 h 00", "10 h", "10:00 a.m.",
# "3 p.m.", "12 noon", "noon"; ranges "15:00-15:10", "15:00 – 15:10", "from 15:00 to 15:10",
# "de 15 h à 15 h 10", "desde las 15:00 hasta las 15:10"; a time zone after either end.
_ZONE_WORDS = (r"CET|CEST|UTC|GMT|BST|EST|EDT|CST|CDT|PST|PDT|EAT|WAT|CAT|SAST|IST|JST|AEST|AEDT"
               r"|HAEC|HNEC|HEC|HNE|HAE|HNP|HNC|HNR|HAP|HAC")
_ZONE_HINT = re.compile(rf"\b({_ZONE_WORDS}|UTC|GMT|time|heure|hora|horario|Gen[eè]v[ea]|Ginebra"
                        r"|New York|Nairobi|Vienna|Vienne|Viena|local|locale)\b", re.I)
_AMPM = r"(?:[ap]\.?\s?m\b\.?|noon\b|midday\b|midi\b|mediod[ií]a\b)"
_NOON = r"(?P<{n}noon>(?<![\w-])(?:noon|midday|midi|mediod[ií]a)\b)"
_CLOCK_PART = (r"(?:" + _NOON + r"|(?P<{n}h>[01]?\d|2[0-3])"
               r"(?:(?P<{n}colon>\s?[:.]\s?)(?P<{n}m>[0-5]\d)(?!\d|[.,:]\d)"
               r"|\s?(?P<{n}hsep>[hH])(?:\s?(?P<{n}hm>[0-5]\d))?(?![a-zA-Z\d])"
               r"|(?=\s?" + _AMPM + r"|\s?[-–—]|\s+(?:to|à|a|au|hasta|till|until|and|et|y)\s))"
               r"(?:\s?(?P<{n}ap>" + _AMPM + r"))?"
               r"(?:\s?(?:hrs?\b\.?|hours\b|heures\b|horas\b|h\b\.?))?)")
_ZONE = (r"(?:\s*(?P<{n}zone>\((?:[^()]{{0,60}})\)|(?:" + _ZONE_WORDS + r")(?:\s?[+\-−]\s?\d{{1,2}})?"
         r"(?![A-Za-z])))?")
_PREFIX = (r"(?:(?:from|starting\s+at|at|de|dès|des|à\s+partir\s+de|a\s+partir\s+de|desde|entre"
           r"|between|à|a)\s+(?:las?\s+|les\s+)?)?")
_JOIN = r"\s*(?:[-–—−]|\bto\b|\bà\b|\ba\b|\bau\b|\bhasta\b|\btill\b|\buntil\b|\band\b|\bet\b|\by\b)\s*(?:las?\s+)?"
_SPAN = re.compile(
    _PREFIX + _CLOCK_PART.format(n="a") + _ZONE.format(n="a")
    + r"(?:" + _JOIN + _CLOCK_PART.format(n="b") + _ZONE.format(n="b") + r")?", re.I)


@dataclass(frozen=True)
class TimeSpan:
    """A time or time range found in a programme: seconds since midnight, and what surrounds it.

    ``twelve_hour`` is True when the start gives no a.m./p.m. nor a leading zero and could be
    either (such as "2.00", an afternoon time in many English programmes); ``zone`` is a time zone written
    next to it, such as "(CET)".
    """

    start: float
    end: float | None
    before: str
    after: str
    zone: str | None
    twelve_hour: bool


def match_time_span(text: str) -> TimeSpan | None:
    """The time or time range that ``text`` begins with (prefixes such as "from" allowed)."""
    text = _normal(text)
    match = _SPAN.match(text)
    if match and match.group("anoon") and not match.group("bh") \
            and not re.match(r"\s*$|\s*[-–—:|](?=\s|$)|\s{2}", text[match.end():]):
        return None                         # "Midday break", "Midi-Pyrénées": no time
    return _span(match, text) if match else None


def search_time_span(text: str) -> TimeSpan | None:
    """The first time or time range anywhere in ``text``, starting at a word boundary."""
    text = _normal(text)
    for match in _SPAN.finditer(text):
        if match.start() and text[match.start() - 1].isalnum():
            continue
        if match.group("anoon") and not match.group("bh"):
            continue                        # "ends at noon" in a sentence: no item's time
        span = _span(match, text)
        if span:
            return span
    return None


def is_time_only(text: str) -> bool:
    """Whether ``text`` is nothing but a time or time range (with its time zone)."""
    span = match_time_span(text)
    return span is not None and not span.after.strip(" .,;:-–—|")


def _normal(text: str) -> str:
    return re.sub(r"[\u00a0\u202f\u2009\t]", " ", text).strip()


def _span(match: re.Match, text: str) -> TimeSpan | None:
    start, end = _clock(match, "a"), _clock(match, "b")
    if start is None or (match.group("bh") and end is None):
        return None
    start_ap, end_ap = match.group("aap"), match.group("bap")
    if start_ap is None and end_ap is not None and end is not None:
        start = _shared_ampm(start, end, end_ap)
    zone, after_start = None, match.end()
    for n in ("a", "b"):
        written = match.group(f"{n}zone")
        if written and _is_zone(written):
            zone = zone or written.strip()
        elif written:                       # "(tbc)", "(virtual)": text after the time
            after_start = min(after_start, match.start(f"{n}zone"))
    return TimeSpan(start=start, end=end, before=text[:match.start()].strip(),
                    after=text[after_start:].strip(), zone=zone,
                    twelve_hour=start_ap is None and end_ap is None and 1 <= start // 3600 <= 12
                    and not match.group("anoon") and not match.group("ah").startswith("0"))


def _marked(match: re.Match, n: str) -> bool:
    return bool(match.group(f"{n}colon") or match.group(f"{n}hsep"))


def _clock(match: re.Match, n: str) -> float | None:
    """Seconds since midnight of one end of the span; None where it is not a time."""
    if match.group(f"{n}noon"):
        return 12 * 3600
    if not match.group(f"{n}h"):
        return None
    hours = int(match.group(f"{n}h"))
    minutes = int(match.group(f"{n}m") or match.group(f"{n}hm") or 0)
    ampm = (match.group(f"{n}ap") or "").lower()
    if not (_marked(match, n) or ampm):
        return _bare(match, n)
    if ampm.startswith(("a", "p")):
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if ampm[0] == "p" else 0)
    elif ampm and hours != 12:              # noon, midday, midi, mediodía
        return None
    return hours * 3600 + minutes * 60


def _bare(match: re.Match, n: str) -> float | None:
    """A start hour without minutes or marks ("3" in "3–4 p.m."): valid only with a marked end."""
    if n == "a" and match.group("bh") and (_marked(match, "b") or match.group("bap")):
        return int(match.group("ah")) * 3600
    return None


def _shared_ampm(start: float, end: float, end_ampm: str) -> float:
    """"11 – 1 p.m." starts at 11 a.m., "3 – 4 p.m." at 3 p.m.: the end's half of the day if
    that keeps the start before the end, else the other half."""
    if start >= 13 * 3600 or end_ampm.lower()[0] not in "ap":
        return start
    base = start % (12 * 3600)
    same = base + (12 * 3600 if end_ampm.lower()[0] == "p" else 0)
    return same if same <= end else base


def _is_zone(text: str) -> bool:
    return bool(_ZONE_HINT.search(text)) or bool(re.fullmatch(rf"(?:{_ZONE_WORDS}).*", text, re.I))
