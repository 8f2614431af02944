"""The transcription stage: a recording becomes the English transcript of the session."""

from __future__ import annotations

import logging
import time

from pipeline.audio.recording import Recording
from pipeline.errors import LanguageMismatchError, NoSpeechError
from pipeline.formats.transcript import Transcript, Word, dumps
from pipeline.fsio import sha256_bytes
from pipeline.heap import release_free_memory
from pipeline.progress import NullReporter, Reporter
from pipeline.session import Session
from pipeline.stage import StageResult, StageRun, fingerprint
from pipeline.transcribe import checkpoint as ckpt
from pipeline.transcribe.clips import GROUPING
from pipeline.transcribe.engine import AsrEngine
from pipeline.transcribe.language import check_detected, check_text, too_few_words
from pipeline.transcribe.models import ResolvedModel
from pipeline.transcribe.options import TranscribeOptions
from pipeline.transcribe.sentences import sentences_from_words
from pipeline.transcribe.vocabulary import build_prompt, common_words, correct_words

log = logging.getLogger(__name__)

STAGE = "transcribe"
CHECKPOINT = "transcribe/checkpoint.json"


def transcribe_session(session: Session, recording: Recording, model: ResolvedModel, *,
                       options: TranscribeOptions, reporter: Reporter | None = None,
                       force: bool = False) -> StageResult:
    """Recognise ``recording`` into ``session`` (``en/transcript.*``), resuming a killed run.

    ``recording`` and ``model`` are checked and resolved once by the caller
    (:func:`pipeline.audio.inspect_recording`, :func:`resolve_asr_model`).
    """
    reporter = reporter or NullReporter()
    run = StageRun(session, STAGE, fingerprint(input=recording.sha256, options=options.to_record(),
                                               model=model.sha256, clips=GROUPING), force=force)
    if run.up_to_date:
        return run.skip()
    with AsrEngine(model, options) as engine:   # loading while the first window is decoded
        state = _recognise_all(session, recording, options, engine, run.fingerprint, reporter,
                               force)
    words, corrections = _apply_vocabulary(state.words, options, model)
    transcript = Transcript(language="en", sentences=tuple(
        sentences_from_words(words, options.sentences)))
    result = _write(run, transcript, recording, options, engine, state, corrections)
    ckpt.remove(session.work_dir / CHECKPOINT)
    return result


def _recognise_all(session: Session, source: Recording, options: TranscribeOptions,
                   engine: AsrEngine, fingerprint: str, reporter: Reporter,
                   force: bool) -> ckpt.Checkpoint:
    """Window by window, clip by clip, with a checkpoint about every minute of audio (see
    :data:`checkpoint.EVERY_S`); no words at all is an error."""
    from pipeline.audio.windows import prefetched, windows

    path = session.work_dir / CHECKPOINT
    state = None if force else ckpt.load(path, fingerprint)
    if state is not None:
        log.info("Resuming at %.0f s (window %d, clip %d) from the checkpoint.",
                 _position(state), state.next_index + 1, state.next_clip + 1)
    state = state or ckpt.Checkpoint(fingerprint=fingerprint)
    prompt = build_prompt(options.vocabulary, options.vocabulary_prompt_tokens) \
        if engine.wants_prompt(options.vocabulary_prompt) else None
    first_clip = [state.next_clip]             # where the first window resumes; then 0

    def prepare(window):
        """The window's speech found and (where clips are decoded in parallel on a CPU) its
        clips queued, in the background while the window before is decoded: the workers go
        on from one window's clips to the next's. Whether its first clip tells the language."""
        plan = engine.plan(window.samples, options)
        first = first_clip.pop() if first_clip else 0
        listen = state.language is None and engine.hears_language(plan, options, first)
        clips = engine.recognise(window.samples, window.start_s, plan, options, prompt,
                                 first_clip=first, listen=listen)
        return window, plan, clips, listen

    with reporter.bar("Transcribing", total=round(source.duration_s, 1), unit="s") as bar:
        shown = _position(state)
        bar.advance(shown)
        for window, plan, clips, listen in prefetched(windows(
                source.path, channel=options.channel, start_index=state.next_index,
                start_s=state.next_start_s, **options.window_cuts()), prepare=prepare):
            clock = began = time.monotonic()
            saved_at = shown
            if state.language is None and not listen:     # while the workers decode
                state.language = check_detected(source.path, engine.detect_language(
                    window.samples, plan), options)
            for clip in clips:
                if state.language is None and listen:
                    # The language heard in the window's first clip, before any word is
                    # kept (detected from the window's speech should the clip not tell).
                    listen = False
                    state.language = check_detected(source.path, clip.language or (
                        engine.detect_language(window.samples, plan)), options)
                state.words.extend(clip.words)
                logprob, weight = state.window_logprob
                state.window_logprob = (logprob + clip.logprob, weight + clip.length)
                state.next_clip = clip.index + 1
                bar.advance(max(0.0, clip.end_s - shown))
                shown = max(shown, clip.end_s)
                if clip.resumable and clip.end_s - saved_at >= ckpt.EVERY_S:
                    state.seconds += time.monotonic() - clock
                    clock = time.monotonic()
                    ckpt.save(path, state)
                    saved_at = clip.end_s
            if state.language is None and not engine.multilingual:
                logprob, weight = state.window_logprob
                state.language = check_text(source.path, state.words,
                                            logprob / weight if weight else None, options)
            state.seconds += time.monotonic() - clock
            state.windows.append({"index": window.index, "start_s": round(window.start_s, 3),
                                  "end_s": round(window.end_s, 3),
                                  "clips": len(plan.clips), "speech_s": round(plan.speech_s, 2),
                                  "words": sum(1 for w in state.words if w.start >= window.start_s),
                                  "seconds": round(time.monotonic() - began, 2)})
            state.next_index, state.next_start_s, state.next_clip = window.index + 1, window.end_s, 0
            state.window_logprob = (0.0, 0.0)
            ckpt.save(path, state)
            bar.advance(max(0.0, window.end_s - shown))
            shown = window.end_s
            del window, plan, clips         # nothing of this window outlives it
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


def _position(state: ckpt.Checkpoint) -> float:
    """Where in the recording the work of ``state`` stops (the end of its last clip done)."""
    return max([state.next_start_s] + [w.end for w in state.words[-1:]])


def _apply_vocabulary(words: list[Word], options: TranscribeOptions, resolved: ResolvedModel):
    if not options.vocabulary or not options.vocabulary_correction:
        return words, []
    common = common_words(resolved.path / "tokenizer.json")
    corrected, corrections = correct_words(words, options.vocabulary, common=common)
    for c in corrections:
        log.info("Vocabulary: %r -> %r at %.1f s", c.heard, c.term, c.start)
    return corrected, corrections


def _write(run: StageRun, transcript: Transcript, source: Recording,
           options: TranscribeOptions, engine: AsrEngine, state: ckpt.Checkpoint,
           corrections: list) -> StageResult:
    run.begin()
    run.write_transcript(transcript)
    run.session.manifest["input"] = source.to_record()
    recognition_s = state.seconds
    return run.done(
        options=options.to_record(), models={"asr": engine.describe()}, language=state.language,
        timings={"recognition_s": round(recognition_s, 2),
                 "real_time_factor": round(recognition_s / source.duration_s, 4),
                 "windows": state.windows},
        counts={"windows": len(state.windows),
                "words": sum(len(s.words) for s in transcript.sentences),
                "sentences": len(transcript.sentences), "vocabulary_terms": len(options.vocabulary),
                "vocabulary_corrections": len(corrections)},
        vocabulary_corrections=[c.__dict__ for c in corrections],
        recognised=sha256_bytes(dumps(transcript).encode("utf-8")))
