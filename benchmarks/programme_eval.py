"""The agenda importer against a held-out set of programmes: right, wrong and missed items per case.

Every programme in ``benchmarks/programmes/`` (Markdown, text, and Word specs that
``tests/helpers/programme_docs.py`` builds into .docx, some also converted to PDF by LibreOffice)
is imported with ``pipeline.agenda.importer.import_programme`` (with ``day=N`` for the later
days of a multi-day programme) and compared with ``benchmarks/programmes/expected/<file>.yaml``.

Per case:

* ``refuse: true`` cases pass when the importer raises AgendaError (nothing drafted);
* otherwise every drafted item is RIGHT (start and title match an expected item; titles are
  compared after normalising case, whitespace and typographic apostrophes, with surrounding
  punctuation and quotes stripped, accents kept), WRONG START (title of an expected item, other
  start), WRONG TITLE (start of an expected item, other title) or EXTRA (neither); expected items
  with no drafted item at all are MISSED (and the report says whether the draft's "Not
  recognised" header mentions them);
* speakers are right for a right item when every expected name is found in one speaker entry
  and there is no other entry (reported, not part of pass); the date is reported the same way;
* a case passes when it is refused as expected, or when every expected item is there with the
  right start and title and there is no wrong or extra item.

Cases whose programme is listed as held out at the top of ``benchmarks/programmes/README.md``
are reported as pass/fail and counts only: nothing of their contents is printed or written.

Usage:
  .venv/bin/python benchmarks/programme_eval.py [--no-pdf] [--case SUBSTRING]
      [--keep DIR] [--json benchmarks/results/programmes.json]
      [--md benchmarks/results/programmes.md]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from helpers.programme_docs import build_docx, convert_to_pdf, soffice  # noqa: E402

from pipeline.agenda import parse_agenda  # noqa: E402
from pipeline.agenda.importer import import_programme  # noqa: E402
from pipeline.errors import AgendaError  # noqa: E402

PROGRAMMES = ROOT / "benchmarks" / "programmes"
EXPECTED = PROGRAMMES / "expected"
RESULTS = ROOT / "benchmarks" / "results"
# Word specs also scored as PDF (made from the built .docx).
PDF_SPECS = ("ecosoc-side-event.en.docx.yaml", "commission-affaires-sociales.fr.docx.yaml",
             "seminario-regional.es.docx.yaml")


# ---------------------------------------------------------------------------- cases

@dataclass
class Case:
    name: str            # the expected file's name without .yaml, e.g. "x.en.docx.day2"
    programme: str       # the file in benchmarks/programmes (spec for Word and PDF)
    fmt: str             # docx, pdf, md, txt
    language: str
    day: int
    expected: dict
    held_out: bool


def held_out_list(readme: Path = PROGRAMMES / "README.md") -> set[str]:
    """The programme files named in the bullet list under the README's "Held out" paragraph."""
    names: set[str] = set()
    lines = readme.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.lower().startswith("held out")), None)
    if start is None:
        return names
    seen_bullet = False
    for line in lines[start + 1:]:
        if line.startswith("- "):
            names.add(line[2:].strip().strip("`"))
            seen_bullet = True
        elif seen_bullet and not line.strip():
            break
        elif line.startswith("#"):
            break
    return names


def load_cases() -> list[Case]:
    held = held_out_list()
    cases = []
    for path in sorted(EXPECTED.glob("*.yaml")):
        name = path.name[:-len(".yaml")]
        expected = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        base = re.sub(r"\.day\d+$", "", name)
        fmt = base.rsplit(".", 1)[1]
        stem = base.rsplit(".", 1)[0]
        programme = f"{stem}.docx.yaml" if fmt in ("docx", "pdf") else base
        if not (PROGRAMMES / programme).exists():
            raise SystemExit(f"{path.name}: no programme {programme} in {PROGRAMMES}")
        language = stem.rsplit(".", 1)[1]
        cases.append(Case(name=name, programme=programme, fmt=fmt, language=language,
                          day=int(expected.get("day", 1)), expected=expected,
                          held_out=programme in held))
    return sorted(cases, key=lambda c: (re.sub(r"\.day\d+$", "", c.name), c.day))


# ---------------------------------------------------------------------------- comparing

_EDGE = " \t\"'«»“”‘’„‚.,;:!?-–—()[]{}*_#|/·•"


def norm(text: str) -> str:
    """Case, whitespace and typographic apostrophes normalised, surrounding punctuation and
    quotes stripped; accents kept."""
    text = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return text.strip(_EDGE)


def _titles(item: dict) -> set[str]:
    return {norm(t) for t in [item["title"], *item.get("accept", [])]}


@dataclass
class Got:
    start: str
    title: str
    speakers: list[str]


def drafted_items(draft: str) -> tuple[list[Got], str | None]:
    data = yaml.safe_load(draft)
    items = []
    for item in data.get("items") or []:
        title = item.get("title")
        if isinstance(title, dict):
            title = next(iter(title.values()), "")
        speakers = []
        for s in item.get("speakers") or []:
            if isinstance(s, dict):
                role = s.get("role")
                if isinstance(role, dict):
                    role = next(iter(role.values()), "")
                speakers.append(s.get("name") or str(role or ""))
            else:
                speakers.append(str(s))
        items.append(Got(start=str(item.get("start", ""))[:5], title=str(title or ""),
                         speakers=speakers))
    date = data.get("date")
    return items, (str(date) if date else None)


def header_unread(draft: str) -> list[str]:
    """The lines of the draft's header comment under "Not recognised"."""
    lines, on = [], False
    for line in draft.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        if body.startswith("Not recognised"):
            on = True
        elif on and body.startswith("Left out"):
            on = False
        elif on and body:
            lines.append(body)
    return lines


def _clock_forms(start: str) -> list[str]:
    h, m = int(start[:2]), start[3:5]
    h12 = h - 12 if h > 12 else h
    forms = {f"{h:02d}:{m}", f"{h}:{m}", f"{h}.{m}", f"{h}h{m}", f"{h} h {m}", f"{h:02d}h{m}"}
    if m == "00":
        forms |= {f"{h} h", f"{h}h", f"{h12} a.m.", f"{h12} p.m.", f"{h12} am", f"{h12} pm"}
    else:
        forms |= {f"{h12}:{m}", f"{h12}.{m}"}
    return sorted(forms)


def mentioned(item: dict, unread: list[str]) -> bool:
    """Whether a missed item seems named in the header's "Not recognised" lines: half its
    title's words, or its start time, in one line."""
    words = [w for w in re.findall(r"\w+", norm(item["title"])) if len(w) > 2]
    for line in unread:
        text = norm(line)
        found = set(re.findall(r"\w+", text))
        if words and sum(w in found for w in words) >= max(1, len(words) / 2):
            return True
        if any(re.search(rf"(?<![\d.:]){re.escape(f)}(?![\d])", text)
               for f in _clock_forms(item["start"])):
            return True
    return False


@dataclass
class Result:
    case: str
    programme: str
    language: str
    fmt: str
    layout: str
    day: int
    held_out: bool
    refuse_expected: bool
    refused: bool = False
    error: str | None = None
    expected_items: int = 0
    got_items: int = 0
    right: int = 0
    wrong_start: int = 0
    wrong_title: int = 0
    extra: int = 0
    missed: int = 0
    missed_in_header: int = 0
    speakers_expected: int = 0
    speakers_right: int = 0
    date_expected: str | None = None
    date_right: bool | None = None
    passed: bool = False
    seconds: float = 0.0
    details: list[str] = field(default_factory=list)

    @property
    def wrong(self) -> int:
        return self.wrong_start + self.wrong_title + self.extra


def speakers_match(expected: list[str], got: list[str]) -> bool:
    names = [norm(n) for n in got]
    left = list(range(len(names)))
    for name in expected:
        hit = next((i for i in left if norm(name) in names[i]), None)
        if hit is None:
            return False
        left.remove(hit)
    return not left


def score(case: Case, path: Path) -> Result:
    exp = case.expected
    result = Result(case=case.name, programme=case.programme, language=case.language,
                    fmt=case.fmt, layout=str(exp.get("layout", "")), day=case.day,
                    held_out=case.held_out, refuse_expected=bool(exp.get("refuse")),
                    expected_items=len(exp.get("items") or []),
                    date_expected=exp.get("date"))
    began = time.perf_counter()
    try:
        draft = import_programme(path, day=case.day)
    except AgendaError as error:
        result.refused = True
        result.error = str(error)
    except Exception as error:     # a crash: the case fails, with the error named
        result.error = f"{type(error).__name__}: {error}"
    result.seconds = round(time.perf_counter() - began, 3)

    if result.refuse_expected:
        result.passed = result.refused
        if not result.refused:
            if result.error:
                result.details.append(f"crashed instead of refusing: {result.error}")
            else:
                got, _ = drafted_items(draft)
                result.got_items = len(got)
                result.extra = len(got)
                result.details.append(f"not refused: drafted {len(got)} item(s):")
                result.details += [f"  EXTRA {g.start} {g.title!r}" for g in got]
        return result

    expected = list(exp.get("items") or [])
    result.speakers_expected = sum(1 for e in expected if e.get("speakers"))
    if result.error:
        result.missed = len(expected)
        what = "refused" if result.refused else "crashed"
        result.details.append(f"{what}: {result.error}")
        return result

    try:
        parse_agenda(draft, source=case.name)
    except AgendaError as error:
        result.details.append(f"the draft does not load as an agenda: {error}")
    got, date = drafted_items(draft)
    result.got_items = len(got)
    if result.date_expected:
        result.date_right = date == str(result.date_expected)
        if not result.date_right:
            result.details.append(f"date: expected {result.date_expected}, got {date}")

    pair: dict[int, int] = {}                 # got index -> expected index
    free = set(range(len(expected)))
    for g, item in enumerate(got):            # 1. right start and title
        hit = next((e for e in sorted(free) if expected[e]["start"] == item.start
                    and norm(item.title) in _titles(expected[e])), None)
        if hit is not None:
            pair[g] = hit
            free.discard(hit)
            result.right += 1
            want = expected[hit].get("speakers")
            if want:
                if speakers_match(want, item.speakers):
                    result.speakers_right += 1
                else:
                    result.details.append(f"speakers of {item.start} {item.title!r}: expected "
                                          f"{want}, got {item.speakers}")
    for g, item in enumerate(got):            # 2. right title, wrong start
        if g in pair:
            continue
        hit = next((e for e in sorted(free) if norm(item.title) in _titles(expected[e])), None)
        if hit is not None:
            pair[g] = hit
            free.discard(hit)
            result.wrong_start += 1
            result.details.append(f"WRONG START {expected[hit]['title']!r}: expected "
                                  f"{expected[hit]['start']}, got {item.start}")
    for g, item in enumerate(got):            # 3. right start, wrong title
        if g in pair:
            continue
        hit = next((e for e in sorted(free) if expected[e]["start"] == item.start), None)
        if hit is not None:
            pair[g] = hit
            free.discard(hit)
            result.wrong_title += 1
            result.details.append(f"WRONG TITLE at {item.start}: expected "
                                  f"{expected[hit]['title']!r}, got {item.title!r}")
    for g, item in enumerate(got):            # 4. extra
        if g not in pair:
            result.extra += 1
            result.details.append(f"EXTRA {item.start} {item.title!r}")
    unread = header_unread(draft)
    for e in sorted(free):                    # 5. missed
        result.missed += 1
        named = mentioned(expected[e], unread)
        result.missed_in_header += named
        result.details.append(f"MISSED {expected[e]['start']} {expected[e]['title']!r} "
                              f"({'named' if named else 'not named'} in the header's "
                              "'Not recognised')")
    if unread and result.missed:
        result.details.append("header 'Not recognised': " + " | ".join(unread))
    result.passed = result.right == len(expected) and result.wrong == 0
    return result


# ---------------------------------------------------------------------------- building

def build(cases: list[Case], folder: Path, with_pdf: bool) -> tuple[dict[str, Path], float]:
    """The file each case imports: Markdown/text in place, .docx and .pdf built in ``folder``."""
    began = time.perf_counter()
    files: dict[str, Path] = {}
    docx: dict[str, Path] = {}
    for case in cases:
        if case.fmt in ("docx", "pdf") and case.programme not in docx:
            out = folder / case.programme[:-len(".yaml")]
            docx[case.programme] = build_docx(PROGRAMMES / case.programme, out)
    pdfs: dict[str, Path] = {}
    wanted = [docx[p] for p in docx if any(c.programme == p and c.fmt == "pdf" for c in cases)]
    if with_pdf and wanted:
        pdf_dir = folder / "pdf"
        pdf_dir.mkdir(exist_ok=True)
        for spec, pdf in zip([p for p in docx if docx[p] in wanted],
                             convert_to_pdf(wanted, pdf_dir)):
            pdfs[spec] = pdf
    for case in cases:
        if case.fmt == "docx":
            files[case.name] = docx[case.programme]
        elif case.fmt == "pdf":
            if case.programme in pdfs:
                files[case.name] = pdfs[case.programme]
        else:
            files[case.name] = PROGRAMMES / case.programme
    return files, time.perf_counter() - began


# ---------------------------------------------------------------------------- reporting

def public(result: Result) -> dict:
    """The result as written and printed: only pass/fail and counts for held-out cases."""
    data = asdict(result)
    data["wrong"] = result.wrong
    if result.held_out:
        for key in ("details", "error", "layout", "date_expected"):
            data.pop(key, None)
        data["programme"] = result.programme
    return data


def markdown(results: list[Result], skipped: list[str], seconds: float) -> str:
    passed = sum(r.passed for r in results)
    lines = ["# Agenda importer on the held-out programmes", "",
             f"`benchmarks/programme_eval.py`: {passed}/{len(results)} cases pass "
             f"({sum(r.held_out for r in results)} held out: pass/fail and counts only); "
             f"{seconds:.1f} s in all.", "",
             "A case passes when refused as expected, or when every expected item has the right "
             "start and title and there is no wrong or extra item. Wrong = wrong start + wrong "
             "title + extra.", "",
             "| Case | Lang. | Format | Layout | Expected | Right | Wrong | Missed "
             "| Speakers right | Pass |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        layout = "(held out)" if r.held_out else r.layout.replace("|", "\\|")
        expected = "refuse" if r.refuse_expected else str(r.expected_items)
        if r.refuse_expected:
            right = "refused" if r.refused else "not refused"
            speakers = "–"
        else:
            right = str(r.right)
            speakers = f"{r.speakers_right}/{r.speakers_expected}" if r.speakers_expected else "–"
        missed = f"{r.missed}" + (f" ({r.missed_in_header} in header)"
                                  if r.missed_in_header else "")
        lines.append(f"| {r.case} | {r.language} | {r.fmt} | {layout} | {expected} | {right} | "
                     f"{r.wrong} | {missed} | {speakers} | {'yes' if r.passed else '**no**'} |")
    if skipped:
        lines += ["", "Skipped (no LibreOffice, or --no-pdf): " + ", ".join(skipped)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF cases")
    parser.add_argument("--case", help="only the cases whose name contains this")
    parser.add_argument("--keep", type=Path,
                        help="build the documents in this folder and keep them")
    parser.add_argument("--json", type=Path, default=RESULTS / "programmes.json")
    parser.add_argument("--md", type=Path, default=RESULTS / "programmes.md")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    cases = load_cases()
    if args.case:
        cases = [c for c in cases if args.case in c.name]
    with_pdf = not args.no_pdf and soffice() is not None
    with tempfile.TemporaryDirectory(prefix="programme-eval-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        files, build_seconds = build(cases, folder, with_pdf)
        skipped = [c.name for c in cases if c.name not in files]
        results = [score(c, files[c.name]) for c in cases if c.name in files]
    seconds = time.perf_counter() - began

    for r in results:
        counts = ("refused" if r.refused else "not refused") if r.refuse_expected else \
            (f"expected {r.expected_items}, right {r.right}, wrong {r.wrong} "
             f"(start {r.wrong_start}, title {r.wrong_title}, extra {r.extra}), missed {r.missed}"
             + (f", speakers {r.speakers_right}/{r.speakers_expected}"
                if r.speakers_expected else ""))
        tag = " [held out]" if r.held_out else ""
        print(f"{'PASS' if r.passed else 'FAIL'}  {r.case}{tag}: {counts}")
        if not r.held_out:
            for line in r.details:
                print(f"      {line}")
    for name in skipped:
        print(f"SKIP  {name}: no PDF (LibreOffice missing or --no-pdf)")
    passed = sum(r.passed for r in results)
    print(f"\n{passed}/{len(results)} cases pass; built documents in {build_seconds:.1f} s, "
          f"{seconds:.1f} s in all")

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "passed": passed, "cases": len(results), "skipped": skipped,
        "seconds": round(seconds, 1), "build_seconds": round(build_seconds, 1),
        "results": [public(r) for r in results]}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")
    args.md.write_text(markdown(results, skipped, seconds), encoding="utf-8")
    print(f"wrote {args.json} and {args.md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
