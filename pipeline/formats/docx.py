"""Word files: pure functions from a summary's Markdown or a transcript to ``.docx`` bytes.

Built-in styles only (Title, Heading 1 and 2, List Bullet, List Number), so Word's table of
contents and navigation pane work; a draft notice in the page header; fixed document
properties and zip timestamps, so the same input always gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Iterable

from pipeline.formats.summary import Block, Run, parse_markdown
from pipeline.formats.timestamps import format_timestamp
from pipeline.formats.transcript import Transcript
from pipeline.formats.writers import HEADINGS, Names, _name, _paragraphs

LABELS = {
    "en": {"agenda": "Agenda", "date": "Date",
           "draft": "DRAFT — transcript made by session-pipeline, not checked by an editor."},
    "fr": {"agenda": "Ordre du jour", "date": "Date",
           "draft": "PROJET — transcription faite par session-pipeline, non relue."},
    "es": {"agenda": "Orden del día", "date": "Fecha",
           "draft": "BORRADOR — transcripción hecha por session-pipeline, sin revisar."},
}
_EPOCH = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
AUTHOR = "session-pipeline"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class AgendaLine:
    """An agenda item as the files show it: its id, title in the language and time range."""

    id: str
    title: str
    start: float
    end: float


@dataclass(frozen=True)
class Meeting:
    """What heads every Word file of a session in one language."""

    title: str
    language: str
    date: str | None = None              # the meeting's date as the agenda gives it
    agenda: tuple[AgendaLine, ...] = ()


def summary_docx(markdown: str, meeting: Meeting) -> bytes:
    """``summary.docx`` from a summary's Markdown as it stands (an editor's corrections
    included): its title, the meeting's date and agenda, then every heading, paragraph and
    bullet with its bold and italic runs; its ``>`` notice goes to the page header."""
    blocks = parse_markdown(markdown)
    notice = " ".join(b.text for b in blocks if b.kind == "notice")
    title = next((b.text for b in blocks if b.kind == "title"), meeting.title)
    document = _document(meeting, title, notice)
    _front(document, meeting)
    for block in blocks:
        if block.kind not in ("title", "notice"):
            _block(document, block)
    return _save(document, meeting, title)


def transcript_docx(transcript: Transcript, meeting: Meeting, *,
                    speakers: Names | None = None) -> bytes:
    """``transcript.docx``: the meeting's title, date and agenda, then per agenda item a
    heading with its time range, and a paragraph per turn: ``[hh:mm:ss]``, the speaker in
    bold, what was said (a paragraph per sentence when no voice is known)."""
    labels = LABELS.get(meeting.language, LABELS["en"])
    heading = HEADINGS.get(meeting.language, HEADINGS["en"])
    title = f"{meeting.title} — {heading}"
    document = _document(meeting, title, labels["draft"])
    _front(document, meeting)
    items = {line.id: line for line in meeting.agenda}
    for section, speaker, turn in _paragraphs(transcript.sentences):
        if section is not None:
            _item_heading(document, items.get(section), section)
        paragraph = document.add_paragraph()
        paragraph.add_run(f"[{format_timestamp(turn[0].start, 'clock')}] ")
        if speaker is not None:
            paragraph.add_run(f"{_name(speaker, speakers, meeting.language)}:").bold = True
            paragraph.add_run(" ")
        paragraph.add_run(_xml_safe(" ".join(s.text.strip() for s in turn)))
    return _save(document, meeting, title)


def _document(meeting: Meeting, title: str, notice: str):
    try:
        import docx
    except ImportError as exc:          # a dependency; only a broken install lacks it
        raise RuntimeError("Word files need python-docx; install it with "
                           "'pip install python-docx'.") from exc
    document = docx.Document()
    header = document.sections[0].header
    header.is_linked_to_previous = False
    if notice:
        header.paragraphs[0].text = notice
    document.add_paragraph(title, style="Title")
    return document


def _front(document, meeting: Meeting) -> None:
    """The meeting's date and its agenda with each item's time range."""
    labels = LABELS.get(meeting.language, LABELS["en"])
    if meeting.date:
        document.add_paragraph(f"{labels['date']}: {meeting.date}", style="Subtitle")
    if meeting.agenda:
        document.add_paragraph(labels["agenda"], style="Heading 1")
        for line in meeting.agenda:
            document.add_paragraph(f"{line.title} ({_span(line)})", style="List Number")


def _item_heading(document, line: AgendaLine | None, section: str) -> None:
    document.add_paragraph(line.title if line else section, style="Heading 1")
    if line is not None:
        document.add_paragraph().add_run(_span(line)).italic = True


def _block(document, block: Block) -> None:
    style = {"heading": "Heading 1", "subheading": "Heading 2", "bullet": "List Bullet"}
    paragraph = document.add_paragraph(style=style.get(block.kind))
    _runs(paragraph, block.runs)


def _runs(paragraph, runs: Iterable[Run]) -> None:
    for run in runs:
        added = paragraph.add_run(_xml_safe(run.text))
        if run.bold:
            added.bold = True
        if run.italic:
            added.italic = True


def _xml_safe(text: str) -> str:
    """Text without the control characters a Word file cannot hold."""
    return _CONTROL.sub("", text)


def _span(line: AgendaLine) -> str:
    return f"{format_timestamp(line.start, 'clock')} – {format_timestamp(line.end, 'clock')}"


def _save(document, meeting: Meeting, title: str) -> bytes:
    """The document's bytes, with fixed properties and zip entry times."""
    properties = document.core_properties
    moment = _date(meeting.date)
    properties.author = properties.last_modified_by = AUTHOR
    properties.created = properties.modified = moment
    properties.revision = 1
    properties.title = title
    properties.language = meeting.language
    properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


def _date(text: str | None) -> _dt.datetime:
    """The meeting's date at midnight UTC (fixed, so files can be compared), else 2000-01-01."""
    try:
        day = _dt.date.fromisoformat(str(text))
    except ValueError:
        return _EPOCH
    return _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.timezone.utc)


def _stable_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, in the same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
