"""Transcript writers: pure functions from a transcript to text, in a registry by format name."""

from __future__ import annotations

import re
from typing import Callable, Iterator, Mapping, Sequence

from pipeline.formats.cues import CueOptions, build_cues
from pipeline.formats.timestamps import format_timestamp
from pipeline.formats.transcript import Sentence, Transcript, dumps

Titles = Mapping[str, str]
"""Agenda item id → its title in the transcript's language."""
Names = Mapping[str, str]
"""Voice label → what the transcript shows for it (a name, or "Speaker N")."""
# A writer takes the transcript plus keyword options ``titles``, ``speakers``, ``cue_options``.
Writer = Callable[..., str]

HEADINGS = {"en": "Transcript", "fr": "Transcription", "es": "Transcripción"}
UNNAMED = {"en": "Speaker", "fr": "Intervenant", "es": "Orador"}
"""How a transcript calls a voice nobody named ("Speaker 3"), per language."""
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def write_json(transcript: Transcript, *, titles: Titles | None = None,
               speakers: Names | None = None, cue_options: CueOptions = CueOptions()) -> str:
    return dumps(transcript)


def write_srt(transcript: Transcript, *, titles: Titles | None = None,
              speakers: Names | None = None, cue_options: CueOptions = CueOptions()) -> str:
    """SubRip: a new speaker's turn begins with the speaker's name."""
    lead_ins = {turn[0].id: f"{_name(speaker, speakers, transcript.language)}:"
                for _, speaker, turn in _turns(transcript.sentences) if speaker is not None}
    blocks = []
    for number, cue in enumerate(build_cues(transcript, cue_options, lead_ins=lead_ins),
                                 start=1):
        times = f"{format_timestamp(cue.start, 'srt')} --> {format_timestamp(cue.end, 'srt')}"
        blocks.append("\n".join([str(number), times, *cue.lines]))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def write_vtt(transcript: Transcript, *, titles: Titles | None = None,
              speakers: Names | None = None, cue_options: CueOptions = CueOptions()) -> str:
    """WebVTT: each cue of a known voice is a voice span (``<v Name>``)."""
    voice = {s.id: s.speaker for s in transcript.sentences}
    parts = [f"WEBVTT\nKind: subtitles\nLanguage: {transcript.language}"]
    for cue in build_cues(transcript, cue_options):
        times = f"{format_timestamp(cue.start, 'vtt')} --> {format_timestamp(cue.end, 'vtt')}"
        lines = [_vtt_escape(line) for line in cue.lines]
        if voice.get(cue.sentence_id) is not None:
            name = _name(voice[cue.sentence_id], speakers, transcript.language)
            lines[0] = f"<v {_vtt_voice(name)}>{lines[0]}"
        parts.append("\n".join([times, *lines]))
    return "\n\n".join(parts) + "\n"


def write_txt(transcript: Transcript, *, titles: Titles | None = None,
              speakers: Names | None = None, cue_options: CueOptions = CueOptions()) -> str:
    """Plain text: one paragraph per sentence, or per turn headed by its speaker when the
    voices are known; a heading where each agenda item begins."""
    paragraphs = []
    for section, speaker, turn in _paragraphs(transcript.sentences):
        if section is not None:
            title = _title(section, titles)
            paragraphs.append(f"{title}\n{'=' * len(title)}")
        stamp = f"[{format_timestamp(turn[0].start, 'clock')}]"
        text = " ".join(s.text for s in turn)
        who = f" {_name(speaker, speakers, transcript.language)}:" if speaker is not None else ""
        paragraphs.append(f"{stamp}{who} {text}")
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def write_md(transcript: Transcript, *, titles: Titles | None = None,
             speakers: Names | None = None, cue_options: CueOptions = CueOptions()) -> str:
    """Markdown: like the text, with ``##`` item headings and the time (and speaker) in bold."""
    heading = HEADINGS.get(transcript.language, "Transcript")
    paragraphs = [f"# {heading} ({transcript.language})"]
    for section, speaker, turn in _paragraphs(transcript.sentences):
        if section is not None:
            paragraphs.append(f"## {_md_escape(_title(section, titles))}")
        stamp = format_timestamp(turn[0].start, "clock")
        name = _name(speaker, speakers, transcript.language) if speaker is not None else ""
        who = f" {_md_escape(name)}:" if speaker is not None else ""
        text = " ".join(_md_escape(s.text) for s in turn)
        paragraphs.append(f"**[{stamp}]{who}** {text}")
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
               titles: Titles | None = None, speakers: Names | None = None,
               cue_options: CueOptions = CueOptions()) -> dict[str, str]:
    """The transcript in every format of ``formats``; an unknown format raises before any is
    rendered, so a caller writing them writes all or nothing."""
    unknown = [fmt for fmt in formats if fmt not in WRITERS]
    if unknown:
        raise ValueError(f"Unknown transcript format {unknown[0]!r}; choose from: "
                         f"{', '.join(WRITERS)}.")
    return {fmt: render(fmt, transcript, titles=titles, speakers=speakers,
                        cue_options=cue_options)
            for fmt in dict.fromkeys(formats)}


def render(fmt: str, transcript: Transcript, *, titles: Titles | None = None,
           speakers: Names | None = None, cue_options: CueOptions = CueOptions()) -> str:
    """The transcript as text in format ``fmt`` (one of :data:`WRITERS`)."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ValueError(f"Unknown transcript format {fmt!r}; choose one of: "
                         f"{', '.join(WRITERS)}.") from None
    return writer(transcript, titles=titles, speakers=speakers, cue_options=cue_options)


def _paragraphs(sentences: tuple[Sentence, ...]
                ) -> Iterator[tuple[str | None, str | None, list[Sentence]]]:
    """Paragraphs: a turn of one voice (one sentence each when no voice is known), each with
    its section id when a new section starts there, else None."""
    known = any(s.speaker is not None for s in sentences)
    current: str | None = None
    for section, speaker, turn in _turns(sentences):
        pieces = [turn] if known else [[s] for s in turn]
        for k, piece in enumerate(pieces):
            starts = k == 0 and section is not None and section != current
            yield (section if starts else None), speaker, piece
        if section is not None:
            current = section


def _turns(sentences: tuple[Sentence, ...]
           ) -> Iterator[tuple[str | None, str | None, list[Sentence]]]:
    """Runs of consecutive sentences with the same section and the same voice."""
    run: list[Sentence] = []
    for sentence in sentences:
        if run and (sentence.section, sentence.speaker) != (run[-1].section, run[-1].speaker):
            yield run[-1].section, run[-1].speaker, run
            run = []
        run.append(sentence)
    if run:
        yield run[-1].section, run[-1].speaker, run


def _name(label: str, speakers: Names | None, language: str) -> str:
    """What a transcript shows for a voice: its name, else "Speaker N" in the language."""
    name = (speakers or {}).get(label)
    if name and name.strip():
        return name.strip()
    return f"{UNNAMED.get(language, UNNAMED['en'])} {label.lstrip('S')}"


def _vtt_voice(name: str) -> str:
    """A name as a WebVTT voice annotation allows it (no ``>``, no line break)."""
    return " ".join(name.replace(">", "").replace("&", "&amp;").replace("<", "").split())


def _title(section: str, titles: Titles | None) -> str:
    title = (titles or {}).get(section)
    return title.strip() if isinstance(title, str) and title.strip() else section


def _md_escape(text: str) -> str:
    """Escape inline Markdown marks; no text here ever starts a line, so that is all."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
