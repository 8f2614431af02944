"""Draft an agenda YAML from a programme document (plain text or Markdown) in fr, en or es."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from pipeline.agenda.times import format_clock
from pipeline.errors import AgendaError

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_DMY = re.compile(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?:de\s+)?({_MONTH})\s+(?:de\s+)?(\d{{4}})\b", re.I)
DATE_MDY = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

_TIME = (r"(?P<{n}h>\d{{1,2}})(?:\s*(?P<{n}sep>[:hH])\s*(?P<{n}m>\d{{2}})?)?"
         r"(?:\s*(?P<{n}ap>[ap])\.?\s?m\.?(?![a-z]))?")
TIME_RANGE = re.compile(
    r"^\s*" + _TIME.format(n="a") + r"(?:\s*(?:[-–—]|to|à|a|hasta)\s*" + _TIME.format(n="b") + ")?",
    re.I)
IGNORE_HEADING = re.compile(r"\b(contexte|background|antecedentes|context|contexto|objecti|"
                            r"objetivo|purpose)", re.I)
STOP_HEADING = re.compile(r"\b(annexe?|anexo|documents de référence|background documents|"
                          r"reference documents|documentos de referencia)\b", re.I)
SPEAKER_LABEL = re.compile(r"^(intervenants?|orateurs?|speakers?|panell?ists?|moderators?|"
                           r"modérat\w+|ponentes?|oradores?|moderad\w+|panelistas?)\b", re.I)
STOPWORDS = {
    "fr": {"le", "la", "les", "des", "et", "du", "de", "pour", "une", "sur", "dans", "avec", "aux"},
    "en": {"the", "and", "of", "for", "with", "on", "to", "in", "by", "from", "their", "will"},
    "es": {"el", "los", "las", "y", "del", "de", "para", "una", "con", "por", "sobre", "en"},
}


@dataclass
class _Item:
    start: float
    end: float | None
    line: int
    title: str = ""
    description: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)


def import_programme(text: str, source: str = "the programme") -> str:
    """Draft agenda YAML (for a person to check) from a programme document's text."""
    lines = _clean_lines(text)
    language = detect_language(text)
    items = _drop_overall_ranges(_parse_items(lines))
    if not items:
        raise AgendaError(f"{source} has no recognisable times (such as '15:00-15:10' or "
                          "'3:00 pm'); write the agenda YAML by hand instead.")
    agenda: dict = {"title": _main_title(lines) or "Meeting"}
    date = find_date(text)
    if date:
        agenda["date"] = date
    agenda["recording_start"] = format_clock(items[0].start)[:5]
    agenda["items"] = [_item_dict(item, language) for item in items]
    header = (f"# Draft agenda imported from {source}: check every title, time and speaker,\n"
              "# and add the titles in the other languages (en, fr, es).\n")
    return header + yaml.safe_dump(agenda, sort_keys=False, allow_unicode=True, width=100)


def detect_language(text: str) -> str:
    """"fr", "en" or "es", by the commonest function words."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    counts = {lang: sum(1 for w in words if w in stop) for lang, stop in STOPWORDS.items()}
    return max(counts, key=lambda lang: counts[lang])


def find_date(text: str) -> str | None:
    """The first date in the text, as ISO "YYYY-MM-DD"."""
    found = []
    for pattern, order in ((DATE_DMY, "dmy"), (DATE_MDY, "mdy"), (DATE_ISO, "ymd")):
        match = pattern.search(text)
        if match:
            found.append((match.start(), _iso(match.groups(), order)))
    return min(found)[1] if found else None


def _iso(groups: tuple[str, ...], order: str) -> str:
    parts = dict(zip(order, groups))
    month = parts["m"]
    month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
    return f"{int(parts['y']):04d}-{month_number:02d}-{int(parts['d']):02d}"


def _clean_lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]


def _plain(line: str) -> str:
    """A line without Markdown emphasis, heading marks, list bullets or table bars."""
    line = re.sub(r"^\s*#+\s*", "", line)
    line = re.sub(r"^\s*[-*+]\s+", "", line)
    line = line.replace("**", "").replace("__", "")
    return line.strip().strip("|").strip()


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("#") or _shouted(stripped) or (
        stripped.startswith("**") and stripped.endswith("**") and len(stripped) > 4)


def _shouted(text: str) -> bool:
    """A plain-text heading: its letters are capitals (BACKGROUND, ANNEX: ...)."""
    letters = [c for c in text.split(":")[0] if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _main_title(lines: list[str]) -> str | None:
    for line in lines:
        if re.match(r"^\s*#{1,2}\s+\S", line):
            return _plain(line)
    candidates = [_plain(line) for line in lines if _plain(line)
                  and not _time_line(line) and not find_date(_plain(line))]
    calm = [c for c in candidates if not _shouted(c)]
    return (calm or candidates or [None])[0]


def _parse_times(match: re.Match) -> tuple[float, float | None]:
    start = _seconds(match.group("ah"), match.group("am"), match.group("aap"))
    end = None
    if match.group("bh") and (match.group("bsep") or match.group("bap")):
        end = _seconds(match.group("bh"), match.group("bm"), match.group("bap"))
    return start, end


def _seconds(hours: str, minutes: str | None, ampm: str | None) -> float:
    h = int(hours)
    if ampm:
        h = h % 12 + (12 if ampm.lower() == "p" else 0)
    return h * 3600 + int(minutes or 0) * 60


def _time_line(line: str) -> tuple[float, float | None, str] | None:
    """(start, end, rest of the line) when the line begins with a time or time range."""
    if line.strip().startswith("|"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = TIME_RANGE.match(_plain(cells[0])) if cells else None
        if not match or match.end() != len(_plain(cells[0])):
            return None
        start, end = _parse_times(match)
        return start, end, " | ".join(c for c in cells[1:] if c)
    plain = _plain(line)
    match = TIME_RANGE.match(plain)
    if not match or not (match.group("asep") or match.group("aap")):
        return None
    start, end = _parse_times(match)
    if start >= 24 * 3600:
        return None
    rest = plain[match.end():].strip(" \t-–—:|")
    return start, end, rest


def _parse_items(lines: list[str]) -> list[_Item]:
    items: list[_Item] = []
    current: _Item | None = None
    in_speakers = False
    for number, line in enumerate(lines, start=1):
        plain = _plain(line)
        if _is_heading(line) and STOP_HEADING.search(plain):
            break
        timed = _time_line(line)
        if timed:
            start, end, rest = timed
            current = _Item(start=start, end=end, line=number)
            items.append(current)
            in_speakers = False
            if rest:
                _fill_from_rest(current, rest, line.strip().startswith("|"))
            continue
        if current is None or not plain or re.fullmatch(r"[-=_*\s]{3,}", line.strip()):
            if re.fullmatch(r"[-=_*\s]{3,}", line.strip()):
                in_speakers = False
            continue
        if _is_heading(line) and IGNORE_HEADING.search(plain):
            current = None
            continue
        if not current.title:
            if not SPEAKER_LABEL.match(plain):
                current.title = plain.rstrip(" :")
            continue
        in_speakers = _add_detail(current, line, plain, in_speakers)
    return [item for item in items if item.title]


def _fill_from_rest(item: _Item, rest: str, table: bool) -> None:
    if table:
        cells = [c.strip() for c in rest.split("|") if c.strip()]
        item.title = _plain(cells[0]) if cells else ""
        for cell in cells[1:]:
            item.speakers.extend(n.strip() for n in re.split(r"[;,]", _plain(cell)) if n.strip())
    else:
        item.title = rest


def _add_detail(item: _Item, line: str, plain: str, in_speakers: bool) -> bool:
    label = SPEAKER_LABEL.match(plain)
    if label:
        names = plain[label.end():].strip(" :")
        item.speakers.extend(n.strip() for n in re.split(r"[;,]", names) if n.strip())
        return True
    bullet = re.match(r"^\s*[-*+•]\s+", line)
    if in_speakers and bullet:
        item.speakers.append(plain.rstrip(" ;."))
        return True
    if not bullet:
        item.description.append(plain)
    return False


def _drop_overall_ranges(items: list[_Item]) -> list[_Item]:
    """Drop a range that spans several other items (the meeting's overall hours)."""
    kept = []
    for item in items:
        inside = [o for o in items if o is not item and item.end is not None
                  and item.start <= o.start < item.end]
        if len(inside) < 2:
            kept.append(item)
    return kept


def _item_dict(item: _Item, language: str) -> dict:
    entry: dict = {"start": format_clock(item.start)[:5], "title": {language: item.title}}
    description = _short(" ".join(item.description))
    if description:
        entry["description"] = description
    if item.speakers:
        entry["speakers"] = item.speakers
    return entry


def _short(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    sentence_end = text.rfind(". ", 0, limit)
    if sentence_end > 60:
        return text[:sentence_end + 1]
    return text[:limit].rsplit(" ", 1)[0] + " …"
