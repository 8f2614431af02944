"""Glossary enforcement on translations: official target terms and names kept as they are.

The mechanism is a post-edit, checked sentence by sentence. For every glossary term (or
kept name) found in the English sentence (case-insensitive, whole words):

1. the official target term already in the output is accepted (its spelling restored);
2. otherwise, the model's own rendering of the term, translated alone, is looked for in
   the output and replaced by the official term;
3. otherwise the sentence is a *miss*: listed in ``<lang>/glossary-report.json`` (and
   ``.md``) for a person to check. Nothing is claimed that was not verified.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from pipeline.glossary import Glossary

MIN_RENDERING_CHARS = 3


@dataclass(frozen=True)
class Requirement:
    """An English term found in a sentence and the text the translation must contain."""

    source: str
    expected: str
    kind: str            # "term" or "keep"


@dataclass(frozen=True)
class Outcome:
    sentence_id: int
    source: str
    expected: str
    kind: str
    result: str          # "present", "post-edited" or "missing"


def _pattern(text: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)


def requirements(glossary: Glossary, english: str, language: str) -> list[Requirement]:
    """The glossary entries that apply to one English sentence, longest term first."""
    found = []
    for term in glossary.terms:
        target = term.targets.get(language)
        if target and _pattern(term.source).search(english):
            found.append(Requirement(term.source, target, "term"))
    for name in glossary.keep:
        if _pattern(name).search(english):
            found.append(Requirement(name, name, "keep"))
    return sorted(found, key=lambda r: -len(r.source))


def enforce(text: str, needs: list[Requirement],
            renderings: dict[str, str]) -> tuple[str, list[tuple[Requirement, str]]]:
    """Apply the glossary to one translation: the new text and each requirement's result."""
    results = []
    for need in needs:
        expected = _pattern(need.expected)
        if expected.search(text):
            text = expected.sub(lambda _m, e=need.expected: e, text)
            results.append((need, "present"))
            continue
        rendering = (renderings.get(need.source) or "").strip().rstrip(".")
        if len(rendering) >= MIN_RENDERING_CHARS and _pattern(rendering).search(text):
            text = _pattern(rendering).sub(lambda _m, e=need.expected: e, text)
            results.append((need, "post-edited"))
        else:
            results.append((need, "missing"))
    return text, results


def report(language: str, outcomes: list[Outcome], sentences: dict[int, tuple[str, str]]) -> dict:
    """The glossary report for one language: counts and every sentence with a missing term."""
    misses = [{**asdict(o), "english": sentences[o.sentence_id][0],
               "translation": sentences[o.sentence_id][1]}
              for o in outcomes if o.result == "missing"]
    return {"schema": "session-pipeline/glossary-report/1", "language": language,
            "checked": len(outcomes),
            "present": sum(o.result == "present" for o in outcomes),
            "post_edited": sum(o.result == "post-edited" for o in outcomes),
            "missing": len(misses), "misses": misses}


def report_markdown(data: dict) -> str:
    lines = [f"# Glossary report ({data['language']})", "",
             f"{data['checked']} glossary uses checked: {data['present']} already right, "
             f"{data['post_edited']} corrected, {data['missing']} could not be enforced.", ""]
    for miss in data["misses"]:
        lines += [f"## Sentence {miss['sentence_id']}: {miss['expected']}", "",
                  f"- English: {miss['english']}", f"- Translation: {miss['translation']}",
                  f"- Expected: **{miss['expected']}** (for {miss['source']!r}, {miss['kind']})", ""]
    return "\n".join(lines) + "\n"
