"""The speaker stage: a voice label on every sentence, sentences split where the voice changes,
and the voices named from the agenda, from what is said, and from the editors' speakers.yaml.

The voices are found once per recognition of the recording (the fingerprint of the
transcription that made the sentences); naming them is a pure step over the labelled
sentences, so a changed agenda or ``speakers.yaml`` names them again without listening again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import asdict, replace
from importlib import metadata

import numpy as np

from pipeline.agenda import Agenda
from pipeline.audio import stream
from pipeline.audio.recording import Recording
from pipeline.audio.windows import prefetched
from pipeline.formats import speakers as speakers_io
from pipeline.formats.speakers import EDITS_FILE, SPEAKERS_FILE, apply_edits, read_edits
from pipeline.formats.transcript import Transcript
from pipeline.fsio import read_input_text, sha256_bytes
from pipeline.progress import NullReporter, Reporter
from pipeline.session import Session
from pipeline.speakers import assign
from pipeline.speakers.attribute import (
    Voices,
    find_voices_in,
    known_people,
    name_voices,
    speaker_hint,
    voices_of,
)
from pipeline.speakers.model import SpokenSentence
from pipeline.speakers.naming import NamingOptions
from pipeline.speakers.options import SpeakerOptions
from pipeline.stage import StageResult, StageRun, fingerprint

log = logging.getLogger(__name__)

STAGE = "speakers"


def speakers_session(session: Session, recording: Recording, agenda: Agenda | None, *,
                     options: SpeakerOptions = SpeakerOptions(),
                     naming: NamingOptions = NamingOptions(), channel: int | None = None,
                     reporter: Reporter | None = None, force: bool = False) -> StageResult:
    """Label every English sentence with its voice, split sentences where the voice changes,
    and write ``speakers.json``; ``recording`` is the one the transcript was recognised from."""
    reporter = reporter or NullReporter()
    cpu = time.process_time()
    english = session.read_transcript("en")
    known = known_people(agenda)
    edits_text = _edits_text(session)
    edits = read_edits(edits_text, str(session.path(EDITS_FILE))) if edits_text else {}
    listening = _listening(session, recording, options, channel)
    run = StageRun(session, STAGE, fingerprint(
        voices=listening, people=[asdict(p) for p in known], edits=sha256_bytes(
            edits_text.encode("utf-8")), naming=asdict(naming)),
        outputs=[SPEAKERS_FILE], force=force)
    labelled = all(s.speaker is not None for s in english.sentences)
    if run.up_to_date and labelled:
        return run.skip()
    reuse = labelled and not force and (run.record().get("listening") == listening)
    cut = {int(k): v for k, v in (run.record().get("pieces") or {}).items()}
    voices = _labelled_voices(english, options) if reuse else _listen(
        recording, Transcript("en", tuple(assign.rejoin(english.sentences, cut))), options,
        speaker_hint(known), channel, reporter)
    speakers = apply_edits(list(name_voices(voices, known, naming)), edits,
                           str(session.path(EDITS_FILE)))
    run.begin()
    run.write_text(SPEAKERS_FILE, speakers_io.dumps(speakers, model=voices.encoder,
                                                    options=asdict(options)))
    if not reuse:
        cut = assign.pieces(voices.sentences)
        run.write_transcript(Transcript("en", tuple(
            replace(s.sentence, speaker=s.speaker) for s in voices.sentences)))
    return run.done(
        listening=listening, options=asdict(options), naming=asdict(naming),
        models={"voices": voices.encoder} if voices.encoder else {},
        timings={"cpu_s": round(time.process_time() - cpu, 2)},
        pieces={str(k): v for k, v in cut.items()},
        counts={"voices": len(speakers), "named": sum(1 for s in speakers if s.name),
                "sentences": len(voices.sentences),
                "split": sum(1 for s in voices.sentences if s.split_from is not None),
                "listened": not reuse})


def _listening(session: Session, recording: Recording, options: SpeakerOptions,
               channel: int | None) -> str:
    """What finding the voices depends on: the recording, the recognition that made the
    sentences (its options and what it recognised, so a recognition run again finds the voices
    again only if its sentences changed), the options and the voice model."""
    transcription = session.stage("transcribe") or {}
    return fingerprint(recording=recording.sha256, channel=channel,
                       transcription=[transcription.get("fingerprint"),
                                      transcription.get("recognised")],
                       options=asdict(options), encoder=_encoder_version())


def _listen(recording: Recording, english: Transcript, options: SpeakerOptions,
            hint: int | None, channel: int | None, reporter: Reporter) -> Voices:
    """The voices heard in the recording, the audio decoded again in bounded memory."""
    blocks = prefetched(stream(recording.path, channel=channel, block_s=options.block_s))
    with reporter.bar("Finding speakers", total=round(recording.duration_s, 1), unit="s") as bar:
        return find_voices_in(_shown(blocks, bar), english, options=options, hint=hint)


def _shown(blocks: Iterator[np.ndarray], bar) -> Iterator[np.ndarray]:
    from pipeline.audio import SAMPLE_RATE

    for block in blocks:
        yield block
        bar.advance(len(block) / SAMPLE_RATE)


def _labelled_voices(english: Transcript, options: SpeakerOptions) -> Voices:
    """The voices as the English transcript's labels give them (found before, or corrected)."""
    return voices_of([SpokenSentence(s, s.speaker) for s in english.sentences], options,
                     renumber=False)


def _edits_text(session: Session) -> str:
    path = session.path(EDITS_FILE)
    return read_input_text(path, "the editors' speakers file") if path.exists() else ""


def _encoder_version() -> str | None:
    try:
        return metadata.version("resemblyzer")
    except metadata.PackageNotFoundError:
        return None
