"""Speaker attribution end to end: voices found in the recording, then named (a separate pure step)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from pipeline.audio import stream
from pipeline.audio.probe import ChannelSelection
from pipeline.audio.windows import prefetched
from pipeline.formats.speakers import Speaker
from pipeline.formats.transcript import Transcript
from pipeline.speakers import assign
from pipeline.speakers.cluster import cluster
from pipeline.speakers.embed import embed_blocks, sentence_span
from pipeline.speakers.encoder import VoiceEncoder
from pipeline.speakers.model import SpokenSentence, Turn
from pipeline.speakers.names import Person, glossary_names, people
from pipeline.speakers.naming import NamingOptions, clues, name_speakers
from pipeline.speakers.options import SpeakerOptions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Voices:
    """Who spoke when, by voice label: the sentences (split where the voice changes), the
    turns, and one unnamed :class:`Speaker` per voice with its talk time and turn count."""

    sentences: tuple[SpokenSentence, ...]
    turns: tuple[Turn, ...]
    speakers: tuple[Speaker, ...]
    encoder: dict = field(default_factory=dict)


def find_voices(path: str | os.PathLike, transcript: Transcript, *,
                options: SpeakerOptions = SpeakerOptions(), hint: int | None = None,
                encoder: VoiceEncoder | None = None,
                channel: ChannelSelection = None) -> Voices:
    """The voices of ``transcript``'s sentences in the recording at ``path`` (``hint``: how
    many people the agenda lists). Reads the recording once, in bounded memory."""
    blocks = prefetched(stream(path, channel=channel, block_s=options.block_s))
    return find_voices_in(blocks, transcript, options=options, hint=hint, encoder=encoder)


def find_voices_in(blocks: Iterable[np.ndarray], transcript: Transcript, *,
                   options: SpeakerOptions = SpeakerOptions(), hint: int | None = None,
                   encoder: VoiceEncoder | None = None) -> Voices:
    """Like :func:`find_voices`, from the recording as consecutive 16 kHz mono blocks from
    its start (e.g. the windows the transcription stage decoded)."""
    sentences = list(transcript.sentences)
    if not sentences:
        return Voices((), (), ())
    encoder = encoder or VoiceEncoder(options.device, options.threads)
    windows = embed_blocks(blocks, sentences, encoder, options)
    vectors, seconds = assign.sentence_vectors(windows, len(sentences))
    voices = cluster(vectors, seconds, options, hint)
    spoken = assign.split(sentences, assign.word_voices(sentences, windows, voices, options),
                          options)
    return voices_of(spoken, options, encoder.info().to_record())


def voices_of(spoken: Sequence[SpokenSentence], options: SpeakerOptions = SpeakerOptions(),
              encoder: dict | None = None, *, renumber: bool = True) -> Voices:
    """Voices from sentences that already have a voice label each (from this package or
    another diarizer): labels renumbered S1, S2 … in the order first heard (unless
    ``renumber`` is false: labels a transcript already carries), turns, speakers."""
    spoken = _in_order_of_speech(list(spoken)) if renumber else list(spoken)
    found = assign.turns(spoken, options.turn_gap_s)
    return Voices(tuple(spoken), tuple(found), tuple(_speakers(spoken, found)), encoder or {})


def name_voices(voices: Voices, known: Sequence[Person] = (),
                options: NamingOptions = NamingOptions()) -> tuple[Speaker, ...]:
    """The voices' speakers with names where the evidence is enough (pure: no audio)."""
    found = clues(voices.sentences, voices.turns, known, options)
    return tuple(name_speakers(voices.speakers, found, known, options))


def known_people(agenda) -> list[Person]:
    """People the agenda lists (items' speakers), then names from its glossary."""
    if agenda is None:
        return []
    listed = people(entry for item in agenda.items for entry in item.speakers)
    keys = {p.key for p in listed}
    glossary = agenda.glossary.vocabulary() if agenda.glossary else []
    return listed + [p for p in glossary_names(glossary) if p.key not in keys]


def speaker_hint(known: Iterable[Person]) -> int | None:
    """How many people the agenda lists (glossary names are not a count), or None."""
    count = sum(1 for p in known if p.source == "agenda")
    return count or None


def _in_order_of_speech(spoken: list[SpokenSentence]) -> list[SpokenSentence]:
    """Labels renumbered S1, S2 … in the order the voices are first heard."""
    order: dict[str, str] = {}
    for item in spoken:
        order.setdefault(item.speaker, assign.label(len(order)))
    return [replace(item, speaker=order[item.speaker]) for item in spoken]


def _speakers(spoken: Sequence[SpokenSentence], found: Sequence[Turn]) -> list[Speaker]:
    talk: dict[str, float] = {}
    for item in spoken:
        start, end = sentence_span(item.sentence)
        talk[item.speaker] = talk.get(item.speaker, 0.0) + max(0.0, end - start)
    count = {label: sum(1 for t in found if t.speaker == label) for label in talk}
    return [Speaker(label, talk_s=talk[label], turns=count[label]) for label in talk]
