"""A small adapter around faster-whisper: load a model once, turn samples into timed words."""

from __future__ import annotations

import logging
import math
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Callable, Iterator

import numpy as np

from pipeline.audio.decode import SAMPLE_RATE
from pipeline.cpu import ctranslate2_isa, load_ctranslate2, prepare_ctranslate2, usable_cores
from pipeline.errors import ModelUnavailableError
from pipeline.formats.transcript import Word
from pipeline.transcribe.clips import Clip, Fill, group_clips
from pipeline.transcribe.models import ResolvedModel
from pipeline.transcribe.options import TranscribeOptions, VadSettings

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class WindowPlan:
    """How one window is decoded: its clips in order (see :mod:`pipeline.transcribe.clips`)
    and the seconds of speech in them."""

    clips: tuple[Clip, ...]
    speech_s: float


@dataclass(frozen=True)
class ClipResult:
    """What one clip of a window gave: its words in recording time and how sure the model was.

    ``resumable``: the clips after this one can be decoded without it (a checkpoint here
    gives a resumed run the very words of an uninterrupted one). ``language``: the language
    the model heard in the clip and how sure it was, where it was asked to listen.
    """

    index: int
    end_s: float
    words: tuple[Word, ...]
    logprob: float = 0.0          # sum over its segments of avg_logprob x segment length
    length: float = 0.0           # sum of its segments' lengths
    resumable: bool = True
    language: tuple[str, float] | None = None


#: Seconds of speech a clip must hold for its language to be judged from it alone.
LISTEN_MIN_SPEECH_S = 15.0


def pick_device(device: str) -> str:
    if device != "auto":
        return device
    try:
        import ctranslate2

        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    except Exception:  # no CUDA runtime at all
        return "cpu"


def pick_compute_type(compute_type: str, device: str) -> str:
    if compute_type != "default":
        return compute_type
    return "float16" if device == "cuda" else "int8"


class AsrEngine:
    """One faster-whisper model; ``recognise`` may be called for every window.

    The model loads in the background from the start (``model`` waits for it), so that the
    first window is decoded and searched for speech meanwhile; a model that cannot be loaded
    raises :class:`ModelUnavailableError` where it is first used."""

    def __init__(self, resolved: ResolvedModel, options: TranscribeOptions):
        self.resolved = resolved
        self.device = pick_device(options.device)
        self.compute_type = pick_compute_type(options.compute_type, self.device)
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise ModelUnavailableError("faster-whisper is not installed; "
                                        "pip install faster-whisper.") from exc
        self.batch_size = pick_batch_size(options.batch_size, self.device)
        self.workers, threads = pick_workers(options, self.device, self.batch_size)
        if self.device == "cpu":
            prepare_ctranslate2()

        def load():
            try:
                return load_ctranslate2(lambda: WhisperModel(
                    str(resolved.path), device=self.device, compute_type=self.compute_type,
                    cpu_threads=threads, num_workers=self.workers))
            except (RuntimeError, ValueError, OSError) as exc:
                raise ModelUnavailableError(
                    f"Cannot load the speech model {resolved.spec} from {resolved.path} on "
                    f"{self.device} ({self.compute_type}): {str(exc).splitlines()[0]}; check "
                    "the folder, or try --device cpu / --compute-type int8.") from None

        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="model-load")
        self._loaded = self._loader.submit(load)
        self._batched = None
        # The CPU workers, kept from window to window: the next window's clips queue behind
        # this one's, so no worker waits for the window's last clip (see recognise).
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="clips")
        self._local = threading.local()

    @property
    def model(self):
        """The loaded faster-whisper ``WhisperModel`` (waits for the load)."""
        return self._loaded.result()

    @property
    def batched(self):
        """faster-whisper's batched pipeline over the model, where batches are decoded."""
        if self._batched is None and self.batch_size > 0:
            from faster_whisper import BatchedInferencePipeline

            self._batched = BatchedInferencePipeline(self.model)
        return self._batched

    def close(self) -> None:
        """Stop the workers: clips not started are dropped, those running are waited for."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._loader.shutdown(wait=True)

    def __enter__(self) -> "AsrEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def multilingual(self) -> bool:
        return bool(self.model.model.is_multilingual)

    @property
    def tiny(self) -> bool:
        """Whisper tiny (about 75 MB in int8/float16): too small to follow a prompt safely."""
        try:
            return (self.resolved.path / "model.bin").stat().st_size < 100_000_000
        except OSError:
            return False

    def wants_prompt(self, setting: str) -> bool:
        return setting == "on" or (setting == "auto" and not self.tiny)

    def describe(self) -> dict:
        return {**self.resolved.to_record(), "device": self.device,
                "compute_type": self.compute_type, "multilingual": self.multilingual,
                "batch_size": self.batch_size, "workers": self.workers,
                **({"cpu_isa": ctranslate2_isa()} if self.device == "cpu" else {})}

    def detect_language(self, samples: np.ndarray, plan: WindowPlan
                        ) -> tuple[str, float] | None:
        """The main language of the first 30 s of speech in the window, or None (an
        English-only model, or too little speech)."""
        if not self.multilingual or samples.size < SAMPLE_RATE:
            return None
        speech = [samples[int(p["start"] * SAMPLE_RATE):int(p["end"] * SAMPLE_RATE)]
                  for clip in plan.clips for p in clip.parts]
        samples = np.concatenate(speech)[:30 * SAMPLE_RATE] if speech else samples[:0]
        if samples.size < SAMPLE_RATE:
            return None
        language, probability, _ = self.model.detect_language(
            samples, vad_filter=False, language_detection_segments=1)
        return language, float(probability)

    def plan(self, samples: np.ndarray, options: TranscribeOptions) -> WindowPlan:
        """The window's clips: the VAD's speech parts grouped into clips on a CPU (long pauses
        shortened inside them), neighbouring parts with their pauses kept whole for the
        batched pipeline, the whole window when the VAD is off."""
        if not options.vad or samples.size == 0:
            whole = [{"start": 0.0, "end": samples.size / SAMPLE_RATE}]
            clips = group_clips(whole, math.inf, math.inf) if samples.size else []
            return WindowPlan(clips=tuple(clips), speech_s=whole[0]["end"])
        parts = speech_clips(samples, options)
        speech_s = sum(p["end"] - p["start"] for p in parts)
        if self.batch_size > 0:           # one stretch of the window a clip: see _batched
            clips = group_clips(parts, options.clip_max_s, options.clip_max_gap_s)
        else:
            fill = (Fill(samples, SAMPLE_RATE, min_room_s=options.clip_fill_s)
                    if options.clip_fill_s is not None else None)
            clips = group_clips(parts, options.clip_max_s, options.clip_max_gap_s,
                                options.clip_keep_gap_s, fill)
        return WindowPlan(clips=tuple(clips), speech_s=speech_s)

    def recognise(self, samples: np.ndarray, offset_s: float, plan: WindowPlan,
                  options: TranscribeOptions, prompt: str | None = None, *,
                  first_clip: int = 0, listen: bool = False) -> Iterator[ClipResult]:
        """The words of each clip of ``plan`` from ``first_clip`` on, in order; ``samples`` is
        the window (16 kHz mono float32), ``offset_s`` its start in the recording.

        Clips decoded in parallel on a CPU are queued at once, behind those of any window
        queued before: called for the next window while this one's results are read (from
        another thread), its clips start as soon as a worker is free. The others are decoded
        as their results are read. ``listen``: the first clip's result also tells the
        language the model heard in it, from the encoder pass that decodes it, where it can
        (a multilingual model, one pass per clip, at least :data:`LISTEN_MIN_SPEECH_S` of
        speech in the clip); else :meth:`detect_language` is the way."""
        kwargs = self._decode_settings(options, prompt)
        heard: list[tuple[str, float]] = []
        if not options.vad:
            clips = self._sequential(samples, options, kwargs, first_clip)
        elif self.batch_size > 0:
            clips = self._batched(samples, plan, options, kwargs, first_clip)
        else:
            listen_to = plan.clips[first_clip] if listen and self.hears_language(
                plan, options, first_clip) else None
            clips = self._parallel_clips(samples, plan, options, kwargs, first_clip,
                                         listen_to, heard)
        return self._results(clips, plan, offset_s, first_clip, heard)

    def hears_language(self, plan: WindowPlan, options: TranscribeOptions,
                       first_clip: int = 0) -> bool:
        """Whether the decoding of the window's first clip (from ``first_clip``) can tell its
        language (see :meth:`recognise`); where not, :meth:`detect_language` is the way."""
        if not (options.vad and self.batch_size == 0 and options.clip_decoding == "single"
                and first_clip < len(plan.clips) and self.multilingual):
            return False
        clip = plan.clips[first_clip]
        return sum(p["end"] - p["start"] for p in clip.parts) >= LISTEN_MIN_SPEECH_S

    @staticmethod
    def _results(clips, plan: WindowPlan, offset_s: float, first_clip: int,
                 heard: list) -> Iterator[ClipResult]:
        for index, segments, resumable in clips:
            words, logprob, length = _words(segments, offset_s)
            language = heard[0] if heard and index == first_clip else None
            yield ClipResult(index=index, end_s=offset_s + plan.clips[index].end,
                             words=words, logprob=logprob, length=length, resumable=resumable,
                             language=language)

    def _decode_settings(self, options: TranscribeOptions, prompt: str | None) -> dict:
        kwargs = dict(
            language=options.language if not options.allow_other_language else None,
            beam_size=options.beam_size, word_timestamps=options.word_timestamps,
            vad_filter=False, temperature=list(options.temperatures),
            compression_ratio_threshold=options.compression_ratio_threshold,
            log_prob_threshold=options.log_prob_threshold,
            no_speech_threshold=options.no_speech_threshold,
            condition_on_previous_text=options.condition_on_previous_text,
            repetition_penalty=options.repetition_penalty,
            no_repeat_ngram_size=options.no_repeat_ngram_size,
            hotwords=prompt or None)
        if not self.multilingual:
            kwargs["language"] = "en"
        return kwargs

    def _sequential(self, samples: np.ndarray, options: TranscribeOptions, kwargs: dict,
                    first_clip: int):
        """The whole window through the sequential decoder: one clip (none left when a
        resumed run has it already)."""
        if samples.size and first_clip == 0:
            segments, _ = self.model.transcribe(
                samples, hallucination_silence_threshold=options.hallucination_silence_threshold,
                **kwargs)
            yield 0, list(self._settle(segments, samples, options, kwargs)), True

    def _batched(self, samples: np.ndarray, plan: WindowPlan, options: TranscribeOptions,
                 kwargs: dict, first_clip: int):
        """faster-whisper's batched pipeline, one call per batch of clips (each clip one
        stretch of the window, its pauses kept whole: left to itself, the pipeline glues parts
        into 30 s chunks with the pauses cut out, and drops or merges short turns at their
        joins; benchmarks/README.md, "Sweep"). A checkpoint falls only between batches, so
        resuming decodes the very batches an uninterrupted run does."""
        size = self.batch_size
        for first in range(first_clip - first_clip % size, len(plan.clips), size):
            batch = [{"start": clip.start, "end": clip.end}
                     for clip in plan.clips[first:first + size]]
            segments, _ = self.batched.transcribe(samples, batch_size=size,
                                                  clip_timestamps=batch, **kwargs)
            owned: list[list] = [[] for _ in batch]
            for segment in self._settle(segments, samples, options, kwargs):
                middle = (segment.start + segment.end) / 2
                owner = max([k for k, part in enumerate(batch) if part["start"] <= middle] or [0])
                owned[owner].append(segment)
            for offset, own in enumerate(owned):
                if first + offset >= first_clip:
                    yield first + offset, own, offset == len(batch) - 1

    def _parallel_clips(self, samples: np.ndarray, plan: WindowPlan, options: TranscribeOptions,
                        kwargs: dict, first_clip: int, listen_to: Clip | None = None,
                        heard: list | None = None):
        """Clips of neighbouring speech segments, queued now on the ``workers``; their
        results in order.

        Every clip gets the sequential decoder's safeguards (silence and repetition checks,
        doubtful text decoded again: :meth:`_settle`), and its speech parts that came out
        with no word at all are decoded again (:func:`decode_with_missed_parts`).
        Clips are independent, so the words do not depend on how the work was shared, nor on
        where a resumed run starts. The language heard in ``listen_to`` goes to ``heard``.
        """
        kwargs = {**kwargs, "hallucination_silence_threshold":
                  options.hallucination_silence_threshold}
        local = self._local

        def one_pass(audio: np.ndarray, listen: bool = False):
            """The clip in exactly one encoder and one decoder pass (no timestamp tokens; the
            words are timed by alignment), the silence rule applied as the sequential
            decoder applies it; ``listen``: the language heard, from the same encoder pass,
            goes to ``heard``."""
            if not hasattr(local, "pipeline"):     # its state is per call: one per thread
                local.pipeline = _listening_pipeline(self.model, local)
            local.listen, local.heard = listen, None
            single = {k: v for k, v in kwargs.items()
                      if k not in ("hallucination_silence_threshold", "vad_filter")}
            segments, _ = local.pipeline.transcribe(
                audio, batch_size=1, without_timestamps=True,
                clip_timestamps=[{"start": 0.0, "end": len(audio) / SAMPLE_RATE}], **single)
            segments = [s for s in segments if not _silent(s, options)]
            if listen and local.heard is not None:
                heard.append(local.heard)
            return segments

        def decode(audio: np.ndarray, to_window, span_to_window=None, listen=False) -> list:
            if options.clip_decoding == "single":
                segments = one_pass(audio, listen)
            else:
                segments, _ = self.model.transcribe(audio, **kwargs)
            return [_mapped(segment, to_window, span_to_window)
                    for segment in self._settle(segments, audio, options, kwargs)]

        def decode_clip(clip: Clip) -> list:
            return decode(clip.samples(samples, SAMPLE_RATE), clip.to_window,
                          clip.span_to_window, listen=clip is listen_to)

        def regroup(parts: list[dict]) -> list[Clip]:
            return group_clips(parts, options.clip_max_s, options.clip_max_gap_s,
                               options.clip_keep_gap_s)

        # Queued in the order they were said, so that clips finish (and the checkpoint moves
        # on) in order.
        todo = range(first_clip, len(plan.clips))
        futures = [self._pool.submit(decode_with_missed_parts, plan.clips[i], decode_clip,
                                     regroup) for i in todo]
        return ((i, future.result(), True) for i, future in zip(todo, futures))

    def _settle(self, segments, samples: np.ndarray, options: TranscribeOptions, kwargs: dict):
        """The segments, each doubtful one (a repetition loop, or unlikely text) decoded again
        with repeated 3-grams forbidden and repetition penalised, with the sequential
        decoder's silence checks; what is still doubtful then is dropped as a hallucination
        (e.g. an English-only model looping on French speech). Deterministic, unlike
        sampling at higher temperatures, so a resumed run gives the very same words."""
        retry = {**kwargs, "temperature": [0.0],
                 "no_repeat_ngram_size": options.retry_no_repeat_ngram_size,
                 "repetition_penalty": options.retry_repetition_penalty,
                 "hallucination_silence_threshold": options.hallucination_silence_threshold}
        for segment in segments:
            if _confident(segment, options):
                yield segment
                continue
            start = max(int(segment.start * SAMPLE_RATE), 0)
            end = max(int(segment.end * SAMPLE_RATE), start)
            redo, _ = self.model.transcribe(samples[start:end], **retry)
            redo = list(redo)
            if _looping(redo, options):
                log.debug("Dropped a loop at %.1f s: %r", segment.start,
                          " ".join(again.text for again in redo))
                continue
            for again in redo:
                if _confident(again, options):
                    yield _mapped(again, lambda t, at=segment.start: t + at)
                else:
                    log.debug("Dropped doubtful text at %.1f s: %r", segment.start, again.text)


def _listening_pipeline(model, local: threading.local):
    """faster-whisper's batched pipeline over ``model`` that, when ``local.listen`` is set,
    also leaves in ``local.heard`` the language the model hears in the encoder output it
    decodes, and how sure it is (one decoder step: no second encoder pass, as a separate
    language detection would make)."""
    from faster_whisper import BatchedInferencePipeline

    pipeline = BatchedInferencePipeline(model)
    generate = pipeline.generate_segment_batched

    def generate_and_listen(features, tokenizer, options):
        encoder_output, output = generate(features, tokenizer, options)
        if local.listen:
            token, probability = model.model.detect_language(encoder_output)[0][0]
            local.heard = (token[2:-2], float(probability))
        return encoder_output, output

    pipeline.generate_segment_batched = generate_and_listen
    return pipeline


def decode_with_missed_parts(clip: Clip, decode: Callable[[Clip], list],
                             regroup: Callable[[list[dict]], list[Clip]]) -> list:
    """The segments of ``clip`` (``decode`` gives them in window time), with its speech parts
    that came out with no word at all decoded again.

    Without timestamp tokens Whisper sometimes stops early (after a change of speaker, or
    before a short last turn) and leaves the rest of the clip out. The parts it missed are
    decoded again together, in clips of their own (``regroup``), so that a missed passage
    costs one more encoder pass rather than one for each of its parts, and its sentences
    keep the words around them. Each run of missed parts next to each other goes alone, so
    that no audio of a part that was heard is decoded twice; where parts decoded together
    still give no word at all, each is decoded on its own. Each round decodes fewer parts
    than the one before.
    """
    segments = decode(clip)
    if len(clip.parts) == 1:
        return segments
    words = [w for segment in segments for w in segment.words or ()]
    missed = [part for part in clip.parts
              if not any(w.end > part["start"] and w.start < part["end"] for w in words)]
    if not missed:
        return segments
    if len(missed) == len(clip.parts):
        again = [clip for part in missed for clip in group_clips([part], math.inf, math.inf)]
    else:       # each run of missed parts on its own: no audio of a part heard between
        again = [clip for run in _runs(clip.parts, missed) for clip in regroup(run)]
    for other in again:
        segments += decode_with_missed_parts(other, decode, regroup)
    return sorted(segments, key=lambda segment: segment.start)


def _runs(parts: tuple[dict, ...], missed: list[dict]) -> list[list[dict]]:
    """``missed`` (some of ``parts``, in order) as runs of parts next to each other."""
    runs: list[list[dict]] = []
    previous = None
    for index, part in enumerate(parts):
        if any(part is m for m in missed):
            if previous is None or previous != index - 1:
                runs.append([])
            runs[-1].append(part)
            previous = index
    return runs


def pick_batch_size(batch_size: int | None, device: str) -> int:
    if batch_size is not None:
        return batch_size
    return 8 if device == "cuda" else 0


def pick_workers(options: TranscribeOptions, device: str, batch_size: int) -> tuple[int, int]:
    """(parallel decoders, threads each): on a CPU one decoder per usable core, at most four."""
    cores = usable_cores()
    if device == "cuda" or batch_size > 0:
        return 1, options.cpu_threads
    workers = options.workers or min(4, cores)
    return workers, options.cpu_threads or max(1, cores // workers)


def _words(segments, offset_s: float) -> tuple[tuple[Word, ...], float, float]:
    """The segments' words in recording time, their length-weighted log probability sum, and
    their total length."""
    words: list[Word] = []
    logprob = length = 0.0
    for segment in segments:
        span = max(segment.end - segment.start, 0.01)
        logprob += segment.avg_logprob * span
        length += span
        for w in segment.words or ():
            if not w.word.strip():
                continue
            start = offset_s + float(w.start)
            words.append(Word(start=round(start, 3), end=round(max(offset_s + float(w.end), start), 3),
                              text=w.word, probability=round(float(w.probability), 3)))
    return tuple(words), logprob, length


def _silent(segment, options: TranscribeOptions) -> bool:
    """Whisper's own rule for a stretch without speech: likely silent and unlikely text."""
    return (segment.no_speech_prob > options.no_speech_threshold
            and segment.avg_logprob < options.log_prob_threshold)


def _looping(segments, options: TranscribeOptions) -> bool:
    """Whether the segments decoded again for one doubtful stretch repeat themselves as a
    whole: each piece can pass on its own ("I'm not sure." three times, one segment each)
    while their text together is the loop the first pass made."""
    from faster_whisper.transcribe import get_compression_ratio

    text = " ".join(segment.text.strip() for segment in segments)
    return len(segments) > 1 and (
        get_compression_ratio(text) > options.compression_ratio_threshold or _repeats(text))


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def _repeats(text: str, times: int = 3, min_words: int = 4) -> bool:
    """The same sentence of ``min_words`` words or more said ``times`` times in a row: the
    loop Whisper falls into on speech it cannot follow (e.g. an English-only model on
    French), short enough that the text still compresses like speech."""
    said = [" ".join(re.findall(r"[\w']+", part.lower()))
            for part in _SENTENCE_END.split(text.strip())]
    run = 1
    for before, sentence in zip(said, said[1:]):
        run = run + 1 if sentence == before and len(sentence.split()) >= min_words else 1
        if run >= times:
            return True
    return False


def _confident(segment, options: TranscribeOptions) -> bool:
    return (not _repeats(segment.text)
            and segment.compression_ratio <= options.compression_ratio_threshold
            and segment.avg_logprob >= options.log_prob_threshold)


def _mapped(segment, to_window, span_to_window=None):
    """The segment with its and its words' times mapped by ``to_window`` (each word's as a
    span by ``span_to_window``, where given: :meth:`Clip.span_to_window`)."""
    span = span_to_window or (lambda start, end: (to_window(start), to_window(end)))
    words = [replace(w, start=start, end=end)
             for w in segment.words or () for start, end in [span(w.start, w.end)]]
    return replace(segment, start=to_window(segment.start), end=to_window(segment.end),
                   words=words)


#: Samples the VAD reads at a time (faster-whisper's Silero model at 16 kHz).
VAD_WINDOW = 512


def speech_clips(samples: np.ndarray, options: TranscribeOptions) -> list[dict]:
    """The VAD's speech segments of ``samples`` as clips in seconds, one per segment, padded
    as faster-whisper pads them; each with the ``"pause"`` before it, the silence the VAD
    heard there (before padding, which hides it: two segments closer than twice the pad
    meet halfway)."""
    from faster_whisper.vad import get_speech_timestamps

    settings = options.vad_settings
    # Found unpadded, with the longest segment allowed shortened by the pad faster-whisper
    # reserves for it, so that the segments are the very ones it finds with the pad. Its
    # limit, in samples, is compared with whole numbers of samples: halfway between the
    # whole numbers around it is the same limit, safe from rounding.
    pad = SAMPLE_RATE * settings.speech_pad_ms / 1000
    limit = SAMPLE_RATE * settings.max_speech_duration_s - VAD_WINDOW - 2 * pad
    unpadded = replace(settings, speech_pad_ms=0, max_speech_duration_s=(
        (math.floor(limit) + 0.5 + VAD_WINDOW) / SAMPLE_RATE))
    found = get_speech_timestamps(samples, _vad(unpadded))
    parts = []
    for k, speech in enumerate(found):
        start, end = speech["start"], speech["end"]
        before = start - found[k - 1]["end"] if k else math.inf
        after = found[k + 1]["start"] - end if k + 1 < len(found) else math.inf
        start -= before // 2 if before < 2 * pad else pad
        end += after // 2 if after < 2 * pad else pad
        parts.append({"start": max(0, int(start)) / SAMPLE_RATE,
                      "end": min(samples.size, int(end)) / SAMPLE_RATE,
                      "pause": before / SAMPLE_RATE if k else 0.0})
    return parts


def _vad(settings: VadSettings):
    from faster_whisper.vad import VadOptions

    return VadOptions(threshold=settings.threshold,
                      min_speech_duration_ms=settings.min_speech_duration_ms,
                      max_speech_duration_s=settings.max_speech_duration_s,
                      min_silence_duration_ms=settings.min_silence_duration_ms,
                      speech_pad_ms=settings.speech_pad_ms)
