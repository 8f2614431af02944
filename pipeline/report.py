"""The review page: every language side by side, sentence by sentence, cut by agenda item."""

from __future__ import annotations

import html
import json
from pathlib import Path

from pipeline import transcript as transcript_io
from pipeline.export.timestamps import format_timestamp
from pipeline.session import Session, WriteResult
from pipeline.transcript import Transcript

REPORT = "report.html"

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1400px;padding:0 1rem;color:#222}
h1{margin-bottom:.2rem} .meta{color:#555;font-size:.9rem} .meta td{padding:0 1rem 0 0}
table.t{border-collapse:collapse;width:100%;margin:1rem 0}
table.t td,table.t th{border-top:1px solid #ddd;padding:.35rem .5rem;vertical-align:top;text-align:left}
td.time{white-space:nowrap;color:#666;font-variant-numeric:tabular-nums}
h2{margin-top:2.5rem;border-bottom:2px solid #333} .how{color:#666;font-size:.85rem;font-weight:normal}
pre.summary{white-space:pre-wrap;background:#f6f6f2;padding:.8rem;border-left:3px solid #bb8}
nav a{margin-right:1rem}
"""


def write_report(session: Session) -> WriteResult:
    """Write ``report.html`` from what the session folder holds now."""
    transcripts = _transcripts(session)
    sections = _sections(session)
    page = render_report(session.manifest, transcripts, sections, _summaries(session, transcripts))
    return session.write_text(REPORT, page, stage="export")


def render_report(manifest: dict, transcripts: dict[str, Transcript], sections: list[dict],
                  summaries: dict[str, str]) -> str:
    languages = list(transcripts)
    title = (manifest.get("agenda") or {}).get("title") or "Session transcript"
    parts = [f"<!doctype html><html lang='en'><meta charset='utf-8'>"
             f"<title>{_e(title)}</title><style>{_STYLE}</style><body>",
             f"<h1>{_e(title)}</h1>", _meta(manifest, languages)]
    if sections:
        parts.append("<nav>" + "".join(f"<a href='#{_e(s['id'])}'>{_e(_title(s, 'en'))}</a>"
                                       for s in sections) + "</nav>")
    for group_id, group_title, how in _groups(sections):
        parts.append(f"<h2 id='{_e(group_id or 'all')}'>{_e(group_title)} "
                     f"<span class='how'>{_e(how)}</span></h2>")
        parts.append(_table(transcripts, languages, group_id, bool(sections)))
    for language, text in summaries.items():
        parts.append(f"<h2>Draft summary ({_e(language)})</h2><pre class='summary'>{_e(text)}</pre>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _meta(manifest: dict, languages: list[str]) -> str:
    source = manifest.get("input") or {}
    rows = [("Recording", source.get("path", "")), ("SHA-256", source.get("sha256", "")),
            ("Duration", _clock(source.get("duration_s") or 0)),
            ("Languages", ", ".join(languages)), ("Updated", manifest.get("updated", ""))]
    for name, stage in (manifest.get("stages") or {}).items():
        for role, model in (stage.get("models") or {}).items():
            label = model.get("name") if isinstance(model, dict) else model
            rows.append((f"Model ({name}, {role})", str(label)))
    body = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in rows)
    return f"<table class='meta'>{body}</table>"


def _groups(sections: list[dict]):
    if not sections:
        yield None, "Transcript", ""
        return
    for s in sections:
        how = f"{_clock(s.get('start', 0))}–{_clock(s.get('end', 0))}, {s.get('method', '')}"
        yield s["id"], _title(s, "en"), how


def _table(transcripts: dict[str, Transcript], languages: list[str], section: str | None,
           by_section: bool) -> str:
    rows_by_id: dict[int, dict[str, str]] = {}
    times: dict[int, float] = {}
    for language in languages:
        for sentence in transcripts[language].sentences:
            if by_section and sentence.section != section:
                continue
            rows_by_id.setdefault(sentence.id, {})[language] = sentence.text
            times.setdefault(sentence.id, sentence.start)
    head = "<tr><th>Time</th>" + "".join(f"<th>{_e(l)}</th>" for l in languages) + "</tr>"
    body = "".join(
        f"<tr id='s{i}'><td class='time'>{_clock(times[i])}</td>"
        + "".join(f"<td>{_e(rows_by_id[i].get(l, ''))}</td>" for l in languages) + "</tr>"
        for i in sorted(rows_by_id, key=lambda i: (times[i], i)))
    if not body:
        body = f"<tr><td colspan='{len(languages) + 1}'>No speech recorded for this item.</td></tr>"
    return f"<table class='t'>{head}{body}</table>"


def _transcripts(session: Session) -> dict[str, Transcript]:
    found: dict[str, Transcript] = {}
    for path in sorted(session.root.glob("*/transcript.json"), key=_language_order):
        found[path.parent.name] = transcript_io.load(path)
    return found


def _language_order(path: Path):
    return (path.parent.name != "en", path.parent.name)


def _sections(session: Session) -> list[dict]:
    path = session.path("sections.json")
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("sections", [])


def _summaries(session: Session, transcripts: dict[str, Transcript]) -> dict[str, str]:
    return {language: session.path(f"{language}/summary.md").read_text(encoding="utf-8")
            for language in transcripts if session.path(f"{language}/summary.md").exists()}


def _title(section: dict, language: str) -> str:
    titles = section.get("title") or section.get("titles") or {}
    if isinstance(titles, str):
        return titles
    return titles.get(language) or titles.get("en") or section.get("id", "")


def _clock(seconds: float) -> str:
    return format_timestamp(max(0.0, float(seconds)), "clock")


def _e(value) -> str:
    return html.escape(str(value), quote=True)
