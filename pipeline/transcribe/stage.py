"""The transcription stage: a recording becomes the English transcript of the session."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.errors import InputError, LanguageMismatchError, NoSpeechError
from pipeline.fsio import sha256_file
from pipeline.heap import release_free_memory
from pipeline.progress import NullReporter, Reporter
from pipeline.session import Session, now
from pipeline.transcribe import checkpoint as ckpt
from pipeline.transcribe.engine import AsrEngine
from pipeline.transcribe.language import check_detected, check_text, too_few_words
from pipeline.transcribe.models import ResolvedModel, resolve_asr_model
from pipeline.transcribe.options import TranscribeOptions
from pipeline.transcribe.sentences import sentences_from_words
from pipeline.transcribe.vocabulary import build_prompt, common_words, correct_words
from pipeline.transcript import Transcript, Word
from pipeline import transcript as transcript_io

log = logging.getLogger(__name__)

STAGE = "transcribe"
CHECKPOINT = "transcribe/checkpoint.json"


@dataclass(frozen=True)
class _Input:
    path: Path
    sha256: str
    duration_s: float
    channels: int
    sample_rate: int

    def to_record(self) -> dict:
        return {"path": str(self.path.resolve()), "name": self.path.name, "sha256": self.sha256,
                "duration_s": round(self.duration_s, 3), "channels": self.channels,
                "sample_rate": self.sample_rate}


def transcribe_session(session: Session, recording: str | Path, options: TranscribeOptions,
                       reporter: Reporter | None = None, *, force: bool = False) -> Transcript:
    """Recognise ``recording`` into ``session`` (``en/transcript.*``), resuming a killed run."""
    reporter = reporter or NullReporter()
    source = inspect_recording(Path(recording), options)
    resolved = resolve_asr_model(options.asr_model)
    fingerprint = stage_fingerprint(source, options, resolved)
    if not force and _is_current(session, fingerprint):
        log.info("The transcript is up to date; use --force to recognise again.")
        return transcript_io.load(session.transcript_path("en"))
    engine = AsrEngine(resolved, options)   # loaded before any long work
    started, clock = now(), time.monotonic()
    state = _recognise_all(session, source, options, engine, fingerprint, reporter, force)
    words, corrections = _apply_vocabulary(state.words, options, resolved)
    sentences = sentences_from_words(words, options.sentences)
    transcript = Transcript(language="en", sentences=tuple(sentences))
    _write(session, transcript, source, options, engine, fingerprint, state, corrections,
           started, time.monotonic() - clock)
    ckpt.remove(session.work_dir / CHECKPOINT)
    return transcript


def inspect_recording(path: Path, options: TranscribeOptions) -> _Input:
    """Check the recording up front: it exists, is audio, has sound and the asked channel."""
    from pipeline.audio import check_channel, probe
    from pipeline.audio.probe import check_file

    check_file(path)
    info = probe(path)
    if not info.duration_s or info.duration_s <= 0:
        raise InputError(f"The recording {path} holds no audio (zero length).")
    check_channel(options.channel, info.channels, path)
    return _Input(path=path, sha256=sha256_file(path), duration_s=float(info.duration_s),
                  channels=int(info.channels), sample_rate=int(info.sample_rate))


def stage_fingerprint(source: _Input, options: TranscribeOptions, resolved: ResolvedModel) -> str:
    """What the transcript depends on: the audio, every option, and the model's checksum."""
    payload = {"input": source.sha256, "options": options.to_record(), "model": resolved.sha256,
               "pipeline": __version__}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _is_current(session: Session, fingerprint: str) -> bool:
    record = session.stage(STAGE) or {}
    outputs = record.get("outputs") or []
    return (session.stage_is_current(STAGE, fingerprint) and bool(outputs)
            and all(session.path(rel).exists() for rel in outputs))


def _recognise_all(session: Session, source: _Input, options: TranscribeOptions,
                   engine: AsrEngine, fingerprint: str, reporter: Reporter,
                   force: bool) -> ckpt.Checkpoint:
    """Window by window, with a checkpoint after each; no words at all is an error."""
    from pipeline.audio.windows import prefetched, windows

    path = session.work_dir / CHECKPOINT
    state = None if force else ckpt.load(path, fingerprint)
    if state is not None:
        log.info("Resuming at %.0f s (window %d) from the checkpoint.", state.next_start_s,
                 state.next_index + 1)
    state = state or ckpt.Checkpoint(fingerprint=fingerprint)
    prompt = build_prompt(options.vocabulary, options.vocabulary_prompt_tokens) \
        if engine.wants_prompt(options.vocabulary_prompt) else None
    search_s = min(options.window_search_s, options.window_s / 4)
    with reporter.bar("Transcribing", total=round(source.duration_s, 1), unit="s") as bar:
        if state.next_start_s:
            bar.advance(state.next_start_s)
        for window in prefetched(windows(
                source.path, channel=options.channel, target_s=options.window_s,
                search_s=search_s, start_index=state.next_index, start_s=state.next_start_s)):
            clock = time.monotonic()
            if state.language is None:
                state.language = check_detected(source.path, engine.detect_language(
                    window.samples, options), options)
            result = engine.recognise(window.samples, window.start_s, options, prompt)
            if state.language is None and not engine.multilingual:
                state.language = check_text(source.path, state.words + list(result.words),
                                            result.avg_logprob, options)
            state.words.extend(result.words)
            state.seconds += time.monotonic() - clock
            state.windows.append({"index": window.index, "start_s": round(window.start_s, 3),
                                  "end_s": round(window.end_s, 3), "words": len(result.words),
                                  "speech_s": round(result.speech_s, 2),
                                  "seconds": round(time.monotonic() - clock, 2)})
            state.next_index, state.next_start_s = window.index + 1, window.end_s
            ckpt.save(path, state)
            bar.advance(window.end_s - window.start_s)
            del window, result              # nothing of this window outlives it
            release_free_memory()           # so the next one starts from the same footprint
    speech_s = sum(w.get("speech_s", 0.0) for w in state.windows)
    if not engine.multilingual and too_few_words(len(state.words), speech_s):
        # No words, or a handful the text check cannot judge, from seconds of speech: the
        # model threw the speech away as doubtful, as it does with another language.
        ckpt.remove(path)
        raise LanguageMismatchError(
            f"The recording {source.path} holds {speech_s:.0f} s of speech but no "
            f"recognisable English ({len(state.words)} words kept): pick the floor channel "
            "with --channel N, or pass --allow-other-language with a multilingual model "
            "(--asr-model base).")
    if not state.words:
        ckpt.remove(path)
        raise NoSpeechError(f"No speech was found in {source.path}: it holds only silence or "
                            "noise; check the file, or pick another channel with --channel N.")
    return state


def _apply_vocabulary(words: list[Word], options: TranscribeOptions, resolved: ResolvedModel):
    if not options.vocabulary or not options.vocabulary_correction:
        return words, []
    common = common_words(resolved.path / "tokenizer.json")
    corrected, corrections = correct_words(words, options.vocabulary, common=common)
    for c in corrections:
        log.info("Vocabulary: %r -> %r at %.1f s", c.heard, c.term, c.start)
    return corrected, corrections


def _write(session: Session, transcript: Transcript, source: _Input, options: TranscribeOptions,
           engine: AsrEngine, fingerprint: str, state: ckpt.Checkpoint, corrections: list,
           started: str, seconds: float) -> None:
    from pipeline.export.files import write_transcript_files

    results = write_transcript_files(session, transcript, stage=STAGE)
    session.manifest["input"] = source.to_record()
    outputs = [r.path.relative_to(session.root).as_posix() for r in results]
    written = [r.written.relative_to(session.root).as_posix() for r in results]
    recognition_s = state.seconds
    session.record_stage(
        STAGE, status="done", fingerprint=fingerprint, started=started, finished=now(),
        seconds=round(seconds, 2), options=options.to_record(),
        models={"asr": engine.describe()}, outputs=outputs, written=written, language=state.language,
        timings={"recognition_s": round(recognition_s, 2),
                 "real_time_factor": round(recognition_s / source.duration_s, 4),
                 "windows": state.windows},
        counts={"windows": len(state.windows), "words": sum(len(s.words) for s in transcript.sentences),
                "sentences": len(transcript.sentences), "vocabulary_terms": len(options.vocabulary),
                "vocabulary_corrections": len(corrections)},
        vocabulary_corrections=[c.__dict__ for c in corrections])
    session.save()
