"""The segmentation stage: agenda items become time ranges; every sentence gets its section."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict
from pathlib import Path

from pipeline import __version__
from pipeline.agenda import Agenda, check_against_duration
from pipeline.fsio import sha256_bytes, sha256_file
from pipeline.progress import NullReporter, Reporter
from pipeline.segment import sections as sections_io
from pipeline.segment.align import Boundary, find_boundaries
from pipeline.segment.options import SegmentOptions
from pipeline.segment.sections import Section, tag
from pipeline.session import Session, now
from pipeline.transcript import Transcript

log = logging.getLogger(__name__)

STAGE = "segment"
LANGUAGE_DIRS = ("en", "fr", "es")


def segment_session(session: Session, agenda: Agenda, options: SegmentOptions = SegmentOptions(),
                    reporter: Reporter | None = None, *, force: bool = False) -> list[Section]:
    """Find each agenda item's start and end; write sections.json and tag the transcripts."""
    from pipeline.export.files import read_transcript

    reporter = reporter or NullReporter()
    english = read_transcript(session, "en")
    duration = _duration(session, english)
    check_against_duration(agenda, duration)
    record = agenda_record(agenda)
    fingerprint = _fingerprint(english, record, agenda, options, duration)
    started, clock = now(), time.monotonic()
    if not force and session.stage_is_current(STAGE, fingerprint) \
            and session.path(sections_io.SECTIONS_FILE).exists():
        log.info("The sections are up to date; use --force to find them again.")
        sections = sections_io.load_sections(session)
        written = _tag_languages(session, agenda, sections, reporter)
        if written:
            session.record_stage(STAGE, written=session.stage(STAGE).get("written", []))
            session.save()
        return sections
    session.record_stage(STAGE, status="running", started=started, fingerprint=None)
    sections = build_sections(english, agenda, options, duration)
    result = session.write_text(sections_io.SECTIONS_FILE,
                                sections_io.dumps(sections, record, duration), stage=STAGE)
    written = [result.written.relative_to(session.root).as_posix()]
    written += _tag_languages(session, agenda, sections, reporter)
    session.manifest["agenda"] = record
    session.record_stage(
        STAGE, status="done", fingerprint=fingerprint, started=started, finished=now(),
        seconds=round(time.monotonic() - clock, 3), options=asdict(options), models={},
        counts=_counts(sections), written=written)
    session.save()
    return sections


def build_sections(english: Transcript, agenda: Agenda, options: SegmentOptions,
                   duration: float) -> list[Section]:
    """Sections of ``agenda`` in the English transcript (pure: writes nothing)."""
    sentences = sorted(english.sentences, key=lambda s: s.start)
    boundaries = find_boundaries(sentences, agenda, options)
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


def agenda_record(agenda: Agenda) -> dict:
    """What the manifest keeps about the agenda: its path, checksum and title."""
    source = agenda.source
    if source is not None and Path(source).exists():
        return {"path": str(Path(source).resolve()), "sha256": sha256_file(source),
                "title": agenda.title}
    digest = sha256_bytes(repr(agenda).encode("utf-8"))
    return {"path": None, "sha256": digest, "title": agenda.title}


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
    languages = dict.fromkeys(list(LANGUAGE_DIRS) + list(item.title))
    return {lang: item.title_in(lang) for lang in languages}


def _duration(session: Session, english: Transcript) -> float:
    recorded = (session.manifest.get("input") or {}).get("duration_s")
    last = max((s.end for s in english.sentences), default=0.0)
    return float(recorded) if recorded else last


def _fingerprint(english: Transcript, record: dict, agenda: Agenda, options, duration) -> str:
    words = [(s.id, round(s.start, 3), round(s.end, 3), s.text) for s in english.sentences]
    payload = {"transcript": sha256_bytes(json.dumps(words).encode("utf-8")),
               "agenda": record["sha256"], "glossary": repr(agenda.glossary),
               "options": asdict(options), "duration": round(duration, 3), "version": __version__}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def _tag_languages(session: Session, agenda: Agenda, sections: list[Section],
                   reporter: Reporter) -> list[str]:
    """Tag every language's transcript present; rewrite only those whose tags changed."""
    from pipeline.export.files import read_transcript, write_transcript_files

    languages = [p.parent.name for p in sorted(session.root.glob("*/transcript.json"))]
    written = []
    with reporter.bar("Tagging sections", total=len(languages), unit="lang") as bar:
        for language in languages:
            transcript = read_transcript(session, language)
            tagged = tag(transcript, sections)
            if tagged != transcript or _missing_files(session, language):
                results = write_transcript_files(session, tagged, stage=STAGE,
                                                 titles=agenda.titles_in(language))
                written += [r.written.relative_to(session.root).as_posix() for r in results]
                for r in results:
                    if r.kept_edit:
                        log.warning("%s was edited by hand and is kept; the tagged version is %s",
                                    r.path.name, r.written.name)
            bar.advance(1)
    return written


def _missing_files(session: Session, language: str) -> bool:
    return not all(session.path(f"{language}/transcript.{ext}").exists()
                   for ext in ("srt", "vtt", "txt", "md"))


def _counts(sections: list[Section]) -> dict:
    methods = {m: sum(1 for s in sections if s.method == m) for m in sections_io.METHODS}
    return {"items": len(sections), "sentences": sum(s.sentences for s in sections), **methods}
