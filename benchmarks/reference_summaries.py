"""How long the editors' own summary records are, and how many key terms they keep.

The summary target asks a draft to mention 70% of each item's key terms (``key_terms.json``)
within 20% of the item's words. This script asks the same of the reference summary records
written by hand for each recording (``summary.yaml``): per item, the share of the key terms
the reference mentions (matched as in ``summary_eval.py``) and the reference's words over
the words said in the item (``truth.json``, every turn of the item). It reads only the
recordings' build folders: no transcript, no pipeline.

Usage:
  .venv/bin/python benchmarks/reference_summaries.py [NAME ...]
      [--json benchmarks/results/reference-summaries.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from records import write_json, write_text  # noqa: E402
from summary_eval import coverage, joined, load_reference  # noqa: E402

RECORDINGS = HERE / "recordings"
PANEL = HERE / "panel" / "build"


def build_folders(names: list[str]) -> list[Path]:
    if names:
        return [PANEL if name == "panel" else RECORDINGS / name / "build" for name in names]
    return [PANEL] + sorted(p.parent for p in RECORDINGS.glob("*/build/truth.json"))


def reference_of(build: Path) -> Path:
    """The build folder's copy of the reference record, else the one beside the script
    (the panel's)."""
    copy = build / "summary.yaml"
    return copy if copy.exists() else build.parent / "summary.yaml"


def measure(build: Path) -> dict:
    """Per item with key terms: the reference's key-term coverage and its share of the
    item's words."""
    truth = json.loads((build / "truth.json").read_text(encoding="utf-8"))
    terms = {item: joined(listed) for item, listed in json.loads(
        (build / "key_terms.json").read_text(encoding="utf-8"))["items"].items()}
    reference = load_reference(reference_of(build))
    items = []
    for item in truth["items"]:
        said = sum(len(truth["turns"][t]["text"].split()) for t in item["turns"])
        text = reference.get(item["id"], "")
        if not terms.get(item["id"]) or not said:
            continue
        items.append({"id": item["id"], "key_terms": len(terms[item["id"]]),
                      "coverage": round(coverage(terms[item["id"]], text), 3),
                      "words": len(text.split()), "of_words": said,
                      "share": round(len(text.split()) / said, 3)})
    return {"recording": build.parent.name, "items": items,
            "coverage": round(statistics.mean(i["coverage"] for i in items), 3),
            "share": round(statistics.mean(i["share"] for i in items), 3),
            "lowest_share": min(i["share"] for i in items)}


def table(results: list[dict]) -> str:
    lines = ["| recording | items | key terms the reference mentions (mean) | reference words / "
             "item words (mean) | lowest item share |", "|---|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['recording']} | {len(r['items'])} | {r['coverage']:.0%} "
                     f"| {r['share']:.0%} | {r['lowest_share']:.0%} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="recordings (default: every one built)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    folders = build_folders(args.names)
    missing = [str(f) for f in folders
               if not (f / "truth.json").exists() or not reference_of(f).exists()]
    if missing or not folders:
        print(f"No built recording in {', '.join(missing) or RECORDINGS}: generate it first "
              "(benchmarks/recordings/generate.py).", file=sys.stderr)
        return 1
    results = [measure(folder) for folder in folders]
    print(table(results), end="")
    if args.json:
        write_json(args.json, {"schema": 1, "recordings": results})
        write_text(args.json.with_suffix(".md"), table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
