"""The glossary: official terms per language and names that stay as they are.

One YAML file serves both recognition (English terms and names become vocabulary hints)
and translation (official French and Spanish terms are enforced and checked)::

    terms:
      - {en: Inter-Parliamentary Union, fr: Union interparlementaire, es: Unión Interparlamentaria}
    keep: [CMW, UN Women]        # names and acronyms that are never translated

A plain text file with one term per line is read as a list of ``keep`` names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.errors import InputError
from pipeline.fsio import read_input_text


@dataclass(frozen=True)
class GlossaryTerm:
    """An English term and its official equivalents (``{"fr": ..., "es": ...}``)."""

    source: str
    targets: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Glossary:
    terms: tuple[GlossaryTerm, ...] = ()
    keep: tuple[str, ...] = ()

    def vocabulary(self) -> list[str]:
        """English terms and kept names, in order, without repeats: recognition hints."""
        seen: dict[str, None] = {}
        for text in [t.source for t in self.terms] + list(self.keep):
            seen.setdefault(text.strip(), None)
        return [t for t in seen if t]

    def merged(self, other: "Glossary") -> "Glossary":
        return Glossary(terms=self.terms + other.terms, keep=self.keep + other.keep)


def load_glossary(path: str | Path) -> Glossary:
    """Read a glossary YAML file, or a text file with one term per line."""
    path = Path(path)
    text = read_input_text(path, "the glossary")
    if path.suffix.lower() not in (".yaml", ".yml"):
        return Glossary(keep=tuple(line.strip() for line in text.splitlines()
                                   if line.strip() and not line.lstrip().startswith("#")))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"The glossary {path} is not valid YAML{where}.") from None
    return glossary_from_data(data, str(path))


def glossary_from_data(data: object, source: str) -> Glossary:
    """Build a glossary from parsed YAML (also used for a glossary inline in an agenda)."""
    if data is None:
        return Glossary()
    if not isinstance(data, dict):
        raise InputError(f"The glossary {source} must be a mapping with 'terms' and/or 'keep'.")
    terms = []
    for index, entry in enumerate(data.get("terms") or [], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("en"), str) or not entry["en"].strip():
            raise InputError(f"The glossary {source}, term {index}, needs an 'en' text.")
        targets = {lang: str(value).strip() for lang, value in entry.items()
                   if lang != "en" and value is not None}
        terms.append(GlossaryTerm(source=entry["en"].strip(), targets=targets))
    keep = data.get("keep") or []
    if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
        raise InputError(f"The glossary {source}: 'keep' must be a list of names.")
    return Glossary(terms=tuple(terms), keep=tuple(k.strip() for k in keep if k.strip()))
