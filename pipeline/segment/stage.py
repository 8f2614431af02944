"""The segmentation stage: agenda items become time ranges; every sentence gets its section."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

from pipeline.agenda import Agenda, check_against_duration
from pipeline.errors import InputError
from pipeline.formats import sections as sections_io
from pipeline.formats.edits import EDITS_FILE
from pipeline.formats.sections import SECTIONS_FILE, Section, tag
from pipeline.formats.speakers import Speaker
from pipeline.formats.timestamps import format_timestamp
from pipeline.formats.transcript import Transcript
from pipeline.formats.writers import TRANSCRIPT_FORMATS
from pipeline.fsio import sha256_bytes, sha256_file
from pipeline.progress import NullReporter, Reporter
from pipeline.segment.align import Boundary, find_boundaries
from pipeline.segment.options import SegmentOptions
from pipeline.session import Session, transcript_relpath
from pipeline.stage import StageResult, StageRun, fingerprint

log = logging.getLogger(__name__)

STAGE = "segment"
TITLE_LANGUAGES = ("en", "fr", "es")
EDITORS_EVIDENCE = f"start given by an editor ({EDITS_FILE})"


def segment_session(session: Session, agenda: Agenda, *,
                    options: SegmentOptions = SegmentOptions(), reporter: Reporter | None = None,
                    force: bool = False) -> StageResult:
    """Find each agenda item's start and end; write sections.json and tag the transcripts."""
    reporter = reporter or NullReporter()
    english = session.read_transcript("en")
    duration = _duration(session, english)
    check_against_duration(agenda, duration)
    record = agenda_record(agenda)
    pins = session.read_edits().pins()
    agenda = with_editors_starts(agenda, pins, str(session.path(EDITS_FILE)))
    speakers = session.read_speakers()
    run = StageRun(session, STAGE, fingerprint(
        transcript=_content(english), agenda=record["sha256"], glossary=repr(agenda.glossary),
        speakers=[(s.label, s.name, s.role) for s in speakers],
        options=asdict(options), duration=round(duration, 3),
        **({"editors_starts": pins} if pins else {})),
        outputs=[SECTIONS_FILE], force=force)
    if run.up_to_date and _all_tagged(session, session.read_sections()):
        return run.skip()
    sections = [replace(s, evidence=(EDITORS_EVIDENCE,) + s.evidence) if s.id in pins else s
                for s in build_sections(english, agenda, options, duration, speakers=speakers)]
    run.begin()
    run.write_text(SECTIONS_FILE, sections_io.dumps(sections, record, duration))
    _tag_languages(run, sections, reporter)
    session.manifest["agenda"] = record
    return run.done(options=asdict(options), models={}, counts=_counts(sections))


def build_sections(english: Transcript, agenda: Agenda, options: SegmentOptions,
                   duration: float, *, speakers: Sequence[Speaker] = ()) -> list[Section]:
    """Sections of ``agenda`` in the English transcript (pure: writes nothing); ``speakers``
    (speakers.json) say who the sentences' voices are."""
    sentences = sorted(english.sentences, key=lambda s: s.start)
    boundaries = find_boundaries(sentences, agenda, options, speakers)
    starts = [_start_time(sentences, item, b) for item, b in zip(agenda.items, boundaries)]
    starts = [min(max(0.0, s), duration) for s in starts]
    ends = starts[1:] + [max(duration, starts[-1])]
    sections = []
    for k, (item, boundary) in enumerate(zip(agenda.items, boundaries)):
        own = [s for s in sentences if starts[k] <= (s.start + s.end) / 2 + 1e-6
               and (k + 1 == len(starts) or (s.start + s.end) / 2 + 1e-6 < starts[k + 1])]
        sections.append(Section(
            id=item.id, titles=_titles(agenda, item), start=starts[k], end=ends[k],
            scheduled_start=item.start, pinned_start=item.pinned_start,
            method=_method(item, boundary, options), score=_finite(boundary.score),
            evidence=boundary.evidence, first_sentence=own[0].id if own else None,
            last_sentence=own[-1].id if own else None, sentences=len(own),
            description=item.description, speakers=item.speakers))
    return sections


def with_editors_starts(agenda: Agenda, pins: dict[str, float], source: str) -> Agenda:
    """The agenda with the items' starts the editors gave pinned, like an agenda's
    ``pinned_start`` (a hard constraint); a start for an item the agenda no longer has is
    left aside, and pinned starts out of order are an error naming ``source``."""
    unknown = sorted(set(pins) - {item.id for item in agenda.items})
    if unknown:
        log.warning("%s gives a start for %s, which the agenda has no more; it is left aside.",
                    source, ", ".join(repr(i) for i in unknown))
    items = tuple(replace(item, pinned_start=pins[item.id]) if item.id in pins else item
                  for item in agenda.items)
    pinned = [item for item in items if item.pinned_start is not None]
    for before, after in zip(pinned, pinned[1:]):
        if after.pinned_start <= before.pinned_start:
            raise InputError(
                f"{source}: the start an editor gave item {after.id!r} "
                f"({format_timestamp(after.pinned_start, 'clock')}) is not after the pinned start "
                f"of {before.id!r} ({format_timestamp(before.pinned_start, 'clock')}); move one of "
                "them in 'session-pipeline review'.")
    return replace(agenda, items=items)


def agenda_record(agenda: Agenda) -> dict:
    """What the manifest keeps about the agenda: its path, checksum, title and date."""
    source = agenda.source
    if source is not None and Path(source).exists():
        return {"path": str(Path(source).resolve()), "sha256": sha256_file(source),
                "title": agenda.title, "date": agenda.date}
    digest = sha256_bytes(repr(agenda).encode("utf-8"))
    return {"path": None, "sha256": digest, "title": agenda.title, "date": agenda.date}


def _start_time(sentences, item, boundary: Boundary) -> float:
    if item.pinned_start is not None:
        return item.pinned_start
    if boundary.index < len(sentences):
        return sentences[boundary.index].start
    return sentences[-1].end if sentences else item.start


def _method(item, boundary: Boundary, options: SegmentOptions) -> str:
    if item.pinned_start is not None:
        return "pinned"
    cue_score = sum(1 for _ in boundary.evidence)
    if boundary.index != boundary.prior_index or (cue_score and boundary.score is not None
                                                 and boundary.score > -options.min_evidence):
        return "aligned"
    return "scheduled"


def _finite(value: float) -> float | None:
    return value if value not in (float("inf"), float("-inf")) else None


def _titles(agenda: Agenda, item) -> dict[str, str]:
    languages = dict.fromkeys(list(TITLE_LANGUAGES) + list(item.title))
    return {lang: item.title_in(lang) for lang in languages}


def _duration(session: Session, english: Transcript) -> float:
    recorded = (session.manifest.get("input") or {}).get("duration_s")
    last = max((s.end for s in english.sentences), default=0.0)
    return float(recorded) if recorded else last


def _content(english: Transcript) -> str:
    """A checksum of the English sentences and their voices: what the boundaries are found in."""
    sentences = [(s.id, round(s.start, 3), round(s.end, 3), s.text, s.speaker)
                 for s in english.sentences]
    return sha256_bytes(json.dumps(sentences).encode("utf-8"))


def _all_tagged(session: Session, sections: list[Section]) -> bool:
    """Whether every language's transcript carries the sections as ``sections`` give them."""
    for language in session.languages():
        transcript = session.read_transcript(language)
        if tag(transcript, sections) != transcript or _missing_files(session, language):
            return False
    return True


def _tag_languages(run: StageRun, sections: list[Section], reporter: Reporter) -> None:
    """Tag every language's transcript; rewrite only those whose tags changed."""
    session = run.session
    languages = session.languages()
    with reporter.bar("Tagging sections", total=len(languages), unit="lang") as bar:
        for language in languages:
            transcript = session.read_transcript(language)
            tagged = tag(transcript, sections)
            if tagged != transcript or _missing_files(session, language):
                run.write_transcript(tagged)
            bar.advance(1)


def _missing_files(session: Session, language: str) -> bool:
    return not all(session.path(transcript_relpath(language, fmt)).exists()
                   for fmt in TRANSCRIPT_FORMATS)


def _counts(sections: list[Section]) -> dict:
    methods = {m: sum(1 for s in sections if s.method == m) for m in sections_io.METHODS}
    return {"items": len(sections), "sentences": sum(s.sentences for s in sections), **methods}
