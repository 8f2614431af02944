"""Transcript writers: pure functions from a transcript to text, in a registry by format name."""

from __future__ import annotations

import re
from typing import Callable, Iterator, Mapping, Sequence

from pipeline.formats.cues import CueOptions, build_cues
from pipeline.formats.timestamps import format_timestamp
from pipeline.formats.transcript import Sentence, Transcript, dumps

Titles = Mapping[str, str]
# A writer takes the transcript plus keyword options ``titles`` and ``cue_options``.
Writer = Callable[..., str]

HEADINGS = {"en": "Transcript", "fr": "Transcription", "es": "Transcripción"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def write_json(transcript: Transcript, *, titles: Titles | None = None,
               cue_options: CueOptions = CueOptions()) -> str:
    return dumps(transcript)


def write_srt(transcript: Transcript, *, titles: Titles | None = None,
              cue_options: CueOptions = CueOptions()) -> str:
    blocks = []
    for number, cue in enumerate(build_cues(transcript, cue_options), start=1):
        times = f"{format_timestamp(cue.start, 'srt')} --> {format_timestamp(cue.end, 'srt')}"
        blocks.append("\n".join([str(number), times, *cue.lines]))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def write_vtt(transcript: Transcript, *, titles: Titles | None = None,
              cue_options: CueOptions = CueOptions()) -> str:
    parts = [f"WEBVTT\nKind: subtitles\nLanguage: {transcript.language}"]
    for cue in build_cues(transcript, cue_options):
        times = f"{format_timestamp(cue.start, 'vtt')} --> {format_timestamp(cue.end, 'vtt')}"
        parts.append("\n".join([times, *(_vtt_escape(line) for line in cue.lines)]))
    return "\n\n".join(parts) + "\n"


def write_txt(transcript: Transcript, *, titles: Titles | None = None,
              cue_options: CueOptions = CueOptions()) -> str:
    paragraphs = []
    for section, sentence in _with_headings(transcript.sentences):
        if section is not None:
            title = _title(section, titles)
            paragraphs.append(f"{title}\n{'=' * len(title)}")
        paragraphs.append(f"[{format_timestamp(sentence.start, 'clock')}] {sentence.text}")
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def write_md(transcript: Transcript, *, titles: Titles | None = None,
             cue_options: CueOptions = CueOptions()) -> str:
    heading = HEADINGS.get(transcript.language, "Transcript")
    paragraphs = [f"# {heading} ({transcript.language})"]
    for section, sentence in _with_headings(transcript.sentences):
        if section is not None:
            paragraphs.append(f"## {_md_escape(_title(section, titles))}")
        stamp = format_timestamp(sentence.start, "clock")
        paragraphs.append(f"**[{stamp}]** {_md_escape(sentence.text)}")
    return "\n\n".join(paragraphs) + "\n"


WRITERS: dict[str, Writer] = {
    "json": write_json,
    "srt": write_srt,
    "vtt": write_vtt,
    "txt": write_txt,
    "md": write_md,
}


TRANSCRIPT_FORMATS = tuple(WRITERS)
"""Every format a language's transcript is written in (``<lang>/transcript.<fmt>``)."""


def render_all(transcript: Transcript, formats: Sequence[str] = TRANSCRIPT_FORMATS, *,
               titles: Titles | None = None,
               cue_options: CueOptions = CueOptions()) -> dict[str, str]:
    """The transcript in every format of ``formats``; an unknown format raises before any is
    rendered, so a caller writing them writes all or nothing."""
    unknown = [fmt for fmt in formats if fmt not in WRITERS]
    if unknown:
        raise ValueError(f"Unknown transcript format {unknown[0]!r}; choose from: "
                         f"{', '.join(WRITERS)}.")
    return {fmt: render(fmt, transcript, titles=titles, cue_options=cue_options)
            for fmt in dict.fromkeys(formats)}


def render(fmt: str, transcript: Transcript, *, titles: Titles | None = None,
           cue_options: CueOptions = CueOptions()) -> str:
    """The transcript as text in format ``fmt`` (one of :data:`WRITERS`)."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ValueError(f"Unknown transcript format {fmt!r}; choose one of: "
                         f"{', '.join(WRITERS)}.") from None
    return writer(transcript, titles=titles, cue_options=cue_options)


def _with_headings(sentences: tuple[Sentence, ...]) -> Iterator[tuple[str | None, Sentence]]:
    """Each sentence with its section id when a new section starts there, else None."""
    current: str | None = None
    for sentence in sentences:
        starts = sentence.section is not None and sentence.section != current
        if sentence.section is not None:
            current = sentence.section
        yield (sentence.section if starts else None), sentence


def _title(section: str, titles: Titles | None) -> str:
    title = (titles or {}).get(section)
    return title.strip() if isinstance(title, str) and title.strip() else section


def _md_escape(text: str) -> str:
    """Escape inline Markdown marks; no text here ever starts a line, so that is all."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
