"""The review page: every language side by side, sentence by sentence, cut by agenda item."""

from __future__ import annotations

import html

from pipeline.formats.sections import Section
from pipeline.formats.timestamps import format_timestamp
from pipeline.formats.transcript import Transcript

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


def render_report(manifest: dict, transcripts: dict[str, Transcript], sections: list[Section],
                  summaries: dict[str, str]) -> str:
    """The page: the meeting, then each agenda item's sentences in every language side by side."""
    languages = list(transcripts)
    title = (manifest.get("agenda") or {}).get("title") or "Session transcript"
    parts = [f"<!doctype html><html lang='en'><meta charset='utf-8'>"
             f"<title>{_e(title)}</title><style>{_STYLE}</style><body>",
             f"<h1>{_e(title)}</h1>", _meta(manifest, languages)]
    if sections:
        parts.append("<nav>" + "".join(f"<a href='#{_e(s.id)}'>{_e(s.title_in('en'))}</a>"
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


def _groups(sections: list[Section]):
    if not sections:
        yield None, "Transcript", ""
        return
    for s in sections:
        yield s.id, s.title_in("en"), f"{_clock(s.start)}–{_clock(s.end)}, {s.method}"


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


def _clock(seconds: float) -> str:
    return format_timestamp(max(0.0, float(seconds)), "clock")


def _e(value) -> str:
    return html.escape(str(value), quote=True)
