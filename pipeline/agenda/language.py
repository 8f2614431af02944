"""Which of English, French and Spanish a programme is written in, by its function words."""

from __future__ import annotations

import re

STOPWORDS = {
    "en": {"the", "and", "of", "for", "with", "on", "to", "in", "by", "from", "their", "will",
           "is", "are", "this", "session", "remarks", "opening", "closing", "break"},
    "fr": {"le", "la", "les", "des", "et", "du", "pour", "une", "sur", "dans", "avec", "aux",
           "est", "sont", "ce", "cette", "séance", "allocution", "ouverture", "clôture", "pause"},
    "es": {"el", "los", "las", "y", "del", "para", "una", "con", "por", "sobre", "en", "es",
           "son", "este", "esta", "sesión", "palabras", "apertura", "clausura", "pausa"},
}
LANGUAGES = tuple(STOPWORDS)


def detect_language(text: str) -> tuple[str, float]:
    """("en", "fr" or "es", share of the function words found that belong to it)."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    counts = {lang: sum(1 for w in words if w in stop) for lang, stop in STOPWORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    total = sum(counts.values())
    return best, (counts[best] / total if total else 0.0)
