"""What the page shows, built once per request: the page's template and its JSON share it."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from itertools import groupby

from pipeline.formats.sections import Section
from pipeline.formats.timestamps import format_timestamp
from pipeline.formats.transcript import Sentence
from pipeline.review import summaries
from pipeline.review.options import ReviewOptions
from pipeline.review.recording import RecordingStatus
from pipeline.review.state import (
    SessionState,
    boundary_version,
    sentence_version,
    speaker_version,
    summary_version,
    voices_version,
)

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
"""Each language by its own name, as the columns are headed."""
ENGLISH_NAMES = {"en": "English", "fr": "French", "es": "Spanish"}
"""Each language as the page's English sentences name it."""


@dataclass(frozen=True)
class WordView:
    """A recognised word: the space before it, its text, when it starts, how sure the
    recogniser was, and whether that is low enough to mark."""

    space: str
    text: str
    start: float
    probability: float
    low: bool


@dataclass(frozen=True)
class CellView:
    """One sentence in one language."""

    language: str
    text: str
    version: str
    words: tuple[WordView, ...] = ()    # English, while the words still spell the text
    corrected: bool = False             # an editor's text
    outdated: bool = False              # translated from the English before its correction


@dataclass(frozen=True)
class RowView:
    """One sentence in every language, with its times and voice."""

    id: int
    start: float
    end: float
    clock: str
    cells: dict[str, CellView | None]
    speaker: str | None = None          # the voice's label
    speaker_name: str | None = None     # its name, else "Speaker N"
    turn: tuple[int, ...] = ()          # the sentences of its turn (same voice, one after another)
    turn_version: str = ""
    sentence_voice_version: str = ""
    voice_corrected: bool = False
    low_words: int = 0


@dataclass(frozen=True)
class SummaryView:
    language: str
    text: str | None                    # None: this language has no summary of the item
    version: str
    edited: bool = False                # an editor's text, kept by every run
    draft: str | None = None            # a newer draft the pipeline wrote beside it


@dataclass(frozen=True)
class ItemView:
    """An agenda item (or the whole transcript when there is no agenda) and its sentences."""

    id: str | None
    title: str
    clock: str
    method: str
    by_editor: bool
    version: str
    rows: tuple[RowView, ...]
    summaries: tuple[SummaryView, ...]


@dataclass(frozen=True)
class SpeakerView:
    label: str
    display: str
    name: str
    role: str
    version: str


@dataclass(frozen=True)
class PageView:
    title: str
    date: str
    languages: tuple[str, ...]
    language_names: dict[str, str]
    english_names: dict[str, str]
    items: tuple[ItemView, ...]
    speakers: tuple[SpeakerView, ...]
    recording: RecordingStatus
    outdated: dict[str, int]           # per language: sentences out of date
    notes: tuple[str, ...]
    low_confidence: float
    sentences: int


def page_view(state: SessionState, recording: RecordingStatus,
              options: ReviewOptions) -> PageView:
    """Everything the page shows of ``state``."""
    session = state.session
    agenda = session.manifest.get("agenda") or {}
    title = agenda.get("title") or "Session transcript"
    names = {s.label: s.display for s in state.speakers}
    rows = _rows(state, names, options.low_confidence)
    items = tuple(_items(state, rows))
    return PageView(
        title=title, date=str(agenda.get("date") or ""), languages=tuple(state.languages),
        language_names={lang: LANGUAGE_NAMES.get(lang, lang) for lang in state.languages},
        english_names={lang: ENGLISH_NAMES.get(lang, lang) for lang in state.languages},
        items=items,
        speakers=tuple(SpeakerView(s.label, s.display, s.name or "", s.role or "",
                                   speaker_version(s)) for s in state.speakers),
        recording=recording, outdated=state.outdated_counts(), notes=tuple(_notes(state)),
        low_confidence=options.low_confidence, sentences=len(rows))


def row_view(state: SessionState, ident: int, options: ReviewOptions) -> RowView | None:
    """One row, as the page shows it after a save."""
    names = {s.label: s.display for s in state.speakers}
    return next(iter(_rows(state, names, options.low_confidence, only=ident)), None)


def summary_view(state: SessionState, language: str, item: str) -> SummaryView:
    section = state.section(item)
    return _summary(state, language, section) if section else SummaryView(language, None, "")


def _rows(state: SessionState, names: dict[str, str], threshold: float,
          only: int | None = None) -> list[RowView]:
    """Every row (``only``: just the row of that sentence)."""
    english = state.transcripts.get("en")
    if english is None:
        return []
    by_language = {lang: {s.id: s for s in t.sentences} for lang, t in state.transcripts.items()}
    turns = _turns(english.sentences)
    voiced = {e.id for e in state.edits.of_language("en").values() if e.speaker is not None}
    rows = []
    for sentence in english.sentences:
        if only is not None and sentence.id != only:
            continue
        cells = {lang: _cell(state, lang, by_language[lang].get(sentence.id), threshold)
                 for lang in state.languages}
        ids, version = turns[sentence.id]
        rows.append(RowView(
            id=sentence.id, start=sentence.start, end=sentence.end,
            clock=format_timestamp(sentence.start, "clock"), cells=cells,
            speaker=sentence.speaker,
            speaker_name=names.get(sentence.speaker) or _unnamed(sentence.speaker),
            turn=ids, turn_version=version, sentence_voice_version=voices_version([sentence]),
            voice_corrected=sentence.id in voiced,
            low_words=sum(1 for w in cells["en"].words if w.low) if cells.get("en") else 0))
    return rows


def _cell(state: SessionState, language: str, sentence: Sentence | None,
          threshold: float) -> CellView | None:
    if sentence is None:
        return None
    edit = state.edits.sentence(language, sentence.id)
    corrected = bool(edit and edit.text is not None and edit.text == sentence.text)
    words = ()
    spelled = "".join(w.text for w in sentence.words).strip()
    if sentence.words and spelled == sentence.text:
        words = tuple(WordView(w.text[:len(w.text) - len(w.text.lstrip())], w.text.lstrip(),
                               round(w.start, 3), round(w.probability, 2),
                               w.probability < threshold)
                      for w in sentence.words)
    return CellView(language, sentence.text, sentence_version(language, sentence), words,
                    corrected, state.outdated(language, sentence.id))


def _turns(sentences: tuple[Sentence, ...]) -> dict[int, tuple[tuple[int, ...], str]]:
    """Sentence id → the ids of its turn (one voice, one after another, within one agenda
    item; a sentence of no known voice is a turn of its own) and the turn's version."""
    out: dict[int, tuple[tuple[int, ...], str]] = {}
    for (speaker, _), group in groupby(sentences, key=lambda s: (s.speaker, s.section)):
        turns = [list(group)] if speaker is not None else [[s] for s in group]
        for turn in turns:
            _turn(turn, out)
    return out


def _turn(turn: list[Sentence], out: dict[int, tuple[tuple[int, ...], str]]) -> None:
    found = (tuple(s.id for s in turn), voices_version(turn))
    for sentence in turn:
        out[sentence.id] = found


def _unnamed(label: str | None) -> str | None:
    return f"Speaker {label.lstrip('S')}" if label else None


def _items(state: SessionState, rows: list[RowView]):
    if not state.sections or "en" not in state.transcripts:
        yield ItemView(None, "Transcript", "", "", False, "", tuple(rows), ())
        return
    english = {s.id: s for s in state.transcripts["en"].sentences}
    before = tuple(r for r in rows if english[r.id].section is None)
    if before:
        yield ItemView(None, "Before the first agenda item", "", "", False, "", before, ())
    pins = state.edits.pins()
    for section in state.sections:
        own = tuple(r for r in rows if english[r.id].section == section.id)
        clock = (f"{format_timestamp(section.start, 'clock')} – "
                 f"{format_timestamp(section.end, 'clock')}")
        yield ItemView(section.id, section.title_in("en"), clock, section.method,
                       section.id in pins, boundary_version(section), own,
                       tuple(_summary(state, lang, section) for lang in state.languages))


def _summary(state: SessionState, language: str, section: Section) -> SummaryView:
    relpath = f"{language}/summary.md"
    path = state.session.path(relpath)
    if not path.exists():
        return SummaryView(language, None, summary_version(language, section.id, None))
    text = path.read_text(encoding="utf-8")
    part = summaries.item_parts(text, state.sections, language).get(section.id)
    body = summaries.body(text, part) if part else None
    draft = f"{language}/summary.draft.md"
    edited = state.session.is_edited(relpath)
    return SummaryView(language, body, summary_version(language, section.id, body), edited,
                       draft if edited and state.session.path(draft).exists() else None)


def _notes(state: SessionState) -> list[str]:
    notes = []
    for orphan in state.orphans:
        notes.append(f"An editor's correction of {orphan.language} sentence {orphan.id} no "
                     "longer fits a sentence (the recording was recognised again), so it is "
                     "not applied; it is kept in edits.json.")
    if "en" not in state.transcripts:
        notes.append("This session has no English transcript yet; run "
                     "'session-pipeline transcribe' first.")
    elif not state.sections:
        notes.append("This session has no agenda items yet ('session-pipeline segment' finds "
                     "them), so the sentences are shown in one list.")
    if _summaries_behind(state):
        notes.append("The agenda items' boundaries changed after the summaries were drafted; "
                     "the next 'session-pipeline run' drafts them again (an edited summary is "
                     "kept, its new draft written beside it).")
    return notes


def _summaries_behind(state: SessionState) -> bool:
    files = state.session.manifest.get("files") or {}
    sections = (files.get("sections.json") or {}).get("written") or ""
    drafted = [(files.get(f"{lang}/summary.md") or {}).get("written") or ""
               for lang in state.languages]
    return bool(sections and any(d and d < sections for d in drafted))


def plain(value):
    """A view as JSON-ready values (dataclasses.asdict, without its deep copies)."""
    if isinstance(value, _SCALARS):
        return value
    names = _FIELDS.get(type(value))
    if names is None and is_dataclass(value):
        names = _FIELDS.setdefault(type(value), tuple(f.name for f in fields(value)))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


_FIELDS: dict[type, tuple[str, ...]] = {}
_SCALARS = (str, int, float, bool, type(None))
