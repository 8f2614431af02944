"""The static review page: every language side by side, sentence by sentence, cut by agenda item.

One self-contained file for archives: the speakers' names beside the sentences, and, when
the recording sits beside the page (in the session folder, or next to it), a player that
plays a sentence when it is clicked.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import quote

from pipeline.formats.sections import Section
from pipeline.formats.timestamps import format_timestamp
from pipeline.formats.transcript import Sentence, Transcript

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
td.who{white-space:nowrap;color:#345;font-size:.9rem}
.player{position:sticky;top:0;background:#fff;padding:.4rem 0;border-bottom:1px solid #ddd}
.player audio{width:100%} tr[data-start]{cursor:pointer} tr.now{background:#fff6c8}
"""

# Plays a row's sentence when it is clicked and marks the one being heard; hides the
# player with a note when the recording is in neither place.
_SCRIPT = """
(function(){var a=document.getElementById('rec');if(!a)return;
var s=a.querySelectorAll('source'),rows=[].slice.call(document.querySelectorAll('tr[data-start]'));
s[s.length-1].addEventListener('error',function(){a.hidden=true;
document.getElementById('rec-missing').hidden=false;});
document.addEventListener('click',function(e){var r=e.target.closest('tr[data-start]');
if(!r||a.hidden)return;a.currentTime=parseFloat(r.dataset.start);a.play();});
var on=null;a.addEventListener('timeupdate',function(){var t=a.currentTime,hit=null;
rows.forEach(function(r){if(parseFloat(r.dataset.start)<=t+0.05&&t<parseFloat(r.dataset.end))hit=r;});
if(hit!==on){if(on)on.classList.remove('now');if(hit)hit.classList.add('now');on=hit;}});})();
"""


def render_report(manifest: dict, transcripts: dict[str, Transcript], sections: list[Section],
                  summaries: dict[str, str], speakers: Mapping[str, str] | None = None) -> str:
    """The page: the meeting, then each agenda item's sentences in every language side by side,
    with who spoke (``speakers``: voice label → name) where the voices are known."""
    languages = list(transcripts)
    title = (manifest.get("agenda") or {}).get("title") or "Session transcript"
    recording = (manifest.get("input") or {}).get("name")
    parts = [f"<!doctype html><html lang='en'><meta charset='utf-8'>"
             f"<title>{_e(title)}</title><style>{_STYLE}</style><body>",
             f"<h1>{_e(title)}</h1>", _meta(manifest, languages)]
    if recording:
        parts.append(_player(recording))
    if sections:
        parts.append("<nav>" + "".join(f"<a href='#{_e(s.id)}'>{_e(s.title_in('en'))}</a>"
                                       for s in sections) + "</nav>")
    layout = _Layout(languages, bool(sections), bool(recording), _voices(transcripts, speakers))
    for group_id, group_title, how in _groups(sections):
        parts.append(f"<h2 id='{_e(group_id or 'all')}'>{_e(group_title)} "
                     f"<span class='how'>{_e(how)}</span></h2>")
        parts.append(_table(transcripts, layout, group_id))
    for language, text in summaries.items():
        parts.append(f"<h2>Draft summary ({_e(language)})</h2><pre class='summary'>{_e(text)}</pre>")
    if recording:
        parts.append(f"<script>{_SCRIPT}</script>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


@dataclass(frozen=True)
class _Layout:
    """What the tables show: the languages, by item or not, rows to play, who spoke."""

    languages: list[str]
    by_section: bool
    playable: bool
    voices: dict[str, str] | None       # voice label → what the page shows; None: no column


def _player(name: str) -> str:
    """The recording by its file name, beside the page or next to the session folder."""
    sources = "".join(f"<source src='{_e(prefix + quote(name))}'>" for prefix in ("", "../"))
    note = (f"The recording {_e(name)} is not beside this page: copy it into this folder "
            "(or next to it) to hear a sentence by clicking it.")
    return (f"<div class='player'><audio id='rec' controls preload='metadata'>{sources}</audio>"
            f"<p id='rec-missing' class='meta' hidden>{note}</p></div>")


def _voices(transcripts: dict[str, Transcript],
            speakers: Mapping[str, str] | None) -> dict[str, str] | None:
    """Voice label → the speaker's name, else "Speaker N"; None when no voice is known."""
    labels = {s.speaker for t in transcripts.values() for s in t.sentences if s.speaker}
    if not labels:
        return None
    names = speakers or {}
    return {label: (names.get(label) or "").strip() or f"Speaker {label.lstrip('S')}"
            for label in labels}


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


def _table(transcripts: dict[str, Transcript], layout: _Layout, section: str | None) -> str:
    languages = layout.languages
    rows_by_id: dict[int, dict[str, str]] = {}
    first: dict[int, Sentence] = {}
    for language in languages:
        for sentence in transcripts[language].sentences:
            if layout.by_section and sentence.section != section:
                continue
            rows_by_id.setdefault(sentence.id, {})[language] = sentence.text
            first.setdefault(sentence.id, sentence)
    who = "<th>Speaker</th>" if layout.voices is not None else ""
    head = f"<tr><th>Time</th>{who}" + "".join(f"<th>{_e(l)}</th>" for l in languages) + "</tr>"
    body = "".join(
        _row(first[i], layout) + "".join(f"<td>{_e(rows_by_id[i].get(l, ''))}</td>"
                                         for l in languages) + "</tr>"
        for i in sorted(rows_by_id, key=lambda i: (first[i].start, i)))
    if not body:
        columns = len(languages) + 1 + (layout.voices is not None)
        body = f"<tr><td colspan='{columns}'>No speech recorded for this item.</td></tr>"
    return f"<table class='t'>{head}{body}</table>"


def _row(sentence: Sentence, layout: _Layout) -> str:
    """A row's opening: its id, its times when it can be played, its time and speaker cells."""
    play = (f" data-start='{sentence.start:.3f}' data-end='{sentence.end:.3f}'"
            if layout.playable else "")
    cells = f"<td class='time'>{_clock(sentence.start)}</td>"
    if layout.voices is not None:
        name = layout.voices.get(sentence.speaker, "") if sentence.speaker else ""
        cells += f"<td class='who'>{_e(name)}</td>"
    return f"<tr id='s{sentence.id}'{play}>{cells}"


def _clock(seconds: float) -> str:
    return format_timestamp(max(0.0, float(seconds)), "clock")


def _e(value) -> str:
    return html.escape(str(value), quote=True)
