"""Dates as programmes write them in English, French and Spanish, as ISO "YYYY-MM-DD"."""

from __future__ import annotations

import re

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
_DMY = re.compile(rf"\b(\d{{1,2}})(?:er|ᵉʳ|st|nd|rd|th|º|°)?\.?\s+(?:de\s+)?({_MONTH})\.?,?\s+"
                  rf"(?:de\s+|del\s+)?(\d{{4}})\b", re.I)
_MDY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
WEEKDAYS = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi"
                      r"|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|miercoles"
                      r"|jueves|viernes|sábado|sabado|domingo)\b", re.I)


def find_date(text: str) -> str | None:
    """The first date in ``text`` ("Mardi 21 novembre 2023", "March 14, 2024",
    "martes 21 de noviembre de 2023", "2024-03-14"), as "YYYY-MM-DD"; None if there is none."""
    found = []
    for pattern, order in ((_DMY, "dmy"), (_MDY, "mdy"), (_ISO, "ymd")):
        for match in pattern.finditer(text):
            iso = _iso(match.groups(), order)
            if iso:
                found.append((match.start(), iso))
                break
    return min(found)[1] if found else None


def is_date_line(text: str) -> bool:
    """Whether ``text`` is mostly a date ("Thursday 14 March 2024", "Mardi 21 novembre 2023, Genève")."""
    if not find_date(text):
        return False
    rest = _DMY.sub("", _MDY.sub("", _ISO.sub("", text)))
    rest = WEEKDAYS.sub("", rest)
    return len(re.findall(r"[^\W\d_]{3,}", rest)) <= 4


def _iso(groups: tuple[str, ...], order: str) -> str | None:
    parts = dict(zip(order, groups))
    month = parts["m"]
    month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
    day = int(parts["d"])
    if not (1 <= month_number <= 12 and 1 <= day <= 31):
        return None
    return f"{int(parts['y']):04d}-{month_number:02d}-{day:02d}"
