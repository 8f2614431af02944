"""A small adapter around faster-whisper: load a model once, turn samples into timed words."""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from types import SimpleNamespace

import numpy as np

from pipeline.audio.decode import SAMPLE_RATE
from pipeline.cpu import ctranslate2_isa, load_ctranslate2, prepare_ctranslate2
from pipeline.errors import ModelUnavailableError
from pipeline.formats.transcript import Word
from pipeline.transcribe.models import ResolvedModel
from pipeline.transcribe.options import TranscribeOptions

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Recognition:
    """What one stretch of audio gave: words in recording time, and how sure the model was."""

    words: tuple[Word, ...]
    avg_logprob: float | None = None      # mean over segments, weighted by their length
    speech_s: float = 0.0                 # seconds of speech the VAD kept


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
    """One loaded faster-whisper model; ``recognise`` may be called for every window."""

    def __init__(self, resolved: ResolvedModel, options: TranscribeOptions):
        self.resolved = resolved
        self.device = pick_device(options.device)
        self.compute_type = pick_compute_type(options.compute_type, self.device)
        try:
            from faster_whisper import BatchedInferencePipeline, WhisperModel
        except ImportError as exc:
            raise ModelUnavailableError("faster-whisper is not installed; "
                                        "pip install faster-whisper.") from exc
        self.batch_size = pick_batch_size(options.batch_size, self.device)
        self.workers, threads = pick_workers(options, self.device, self.batch_size)
        if self.device == "cpu":
            prepare_ctranslate2()
        try:
            self.model = load_ctranslate2(lambda: WhisperModel(
                str(resolved.path), device=self.device, compute_type=self.compute_type,
                cpu_threads=threads, num_workers=self.workers))
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelUnavailableError(
                f"Cannot load the speech model {resolved.spec} from {resolved.path} on "
                f"{self.device} ({self.compute_type}): {str(exc).splitlines()[0]}; check the "
                "folder, or try --device cpu / --compute-type int8.") from None
        self.batched = BatchedInferencePipeline(self.model) if self.batch_size > 0 else None
        self._vad_cache: tuple = (None, [])

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

    def detect_language(self, samples: np.ndarray, options: TranscribeOptions
                        ) -> tuple[str, float] | None:
        """The main language of the speech in ``samples``, or None (English-only model)."""
        if not self.multilingual or samples.size < SAMPLE_RATE:
            return None
        if options.vad:  # listen to the first 30 s of speech, found by the VAD once
            speech = [samples[int(c["start"] * SAMPLE_RATE):int(c["end"] * SAMPLE_RATE)]
                      for c in self._speech(samples, options)]
            samples = np.concatenate(speech)[:30 * SAMPLE_RATE] if speech else samples[:0]
            if samples.size < SAMPLE_RATE:
                return None
        language, probability, _ = self.model.detect_language(
            samples, vad_filter=False, language_detection_segments=1)
        return language, float(probability)

    def _speech(self, samples: np.ndarray, options: TranscribeOptions) -> list[dict]:
        """The VAD's speech segments of ``samples``, computed once per window."""
        if self._vad_cache[0] is not samples:
            self._vad_cache = (samples, speech_clips(samples, options))
        return self._vad_cache[1]

    def recognise(self, samples: np.ndarray, offset_s: float, options: TranscribeOptions,
                  prompt: str | None = None) -> Recognition:
        """Words of ``samples`` (16 kHz mono float32), times shifted by ``offset_s``."""
        if samples.size == 0:
            return Recognition(words=())
        segments, info = self._transcribe(samples, options, prompt)
        words: list[Word] = []
        logprob_sum = weight = 0.0
        for segment in segments:
            length = max(segment.end - segment.start, 0.01)
            logprob_sum += segment.avg_logprob * length
            weight += length
            for w in segment.words or ():
                if not w.word.strip():
                    continue
                start = offset_s + float(w.start)
                words.append(Word(start=round(start, 3),
                                  end=round(max(offset_s + float(w.end), start), 3),
                                  text=w.word, probability=round(float(w.probability), 3)))
        speech_s = float(getattr(info, "duration_after_vad", 0.0) or 0.0)
        self._vad_cache = (None, [])  # the window is done: do not keep it alive
        return Recognition(words=tuple(words), avg_logprob=logprob_sum / weight if weight else None,
                           speech_s=speech_s)

    def _transcribe(self, samples: np.ndarray, options: TranscribeOptions, prompt: str | None):
        kwargs = dict(
            language=options.language if not options.allow_other_language else None,
            beam_size=options.beam_size, word_timestamps=options.word_timestamps,
            vad_filter=options.vad, vad_parameters=_vad(options),
            temperature=list(options.temperatures),
            compression_ratio_threshold=options.compression_ratio_threshold,
            log_prob_threshold=options.log_prob_threshold,
            no_speech_threshold=options.no_speech_threshold,
            condition_on_previous_text=options.condition_on_previous_text,
            repetition_penalty=options.repetition_penalty,
            no_repeat_ngram_size=options.no_repeat_ngram_size,
            hotwords=prompt or None)
        if not self.multilingual:
            kwargs["language"] = "en"
        if self.batched is None and options.vad:
            parts = self._speech(samples, options)
            speech = SimpleNamespace(duration_after_vad=sum(c["end"] - c["start"] for c in parts))
            clips = group_clips(parts, options.clip_max_s, options.clip_max_gap_s)
            return self._parallel_clips(samples, clips, options, kwargs), speech
        if self.batched is not None:
            # The batched pipeline decodes VAD chunks independently; it has no
            # hallucination_silence_threshold (no long-silence loops to guard against).
            # Each speech segment is its own clip: left to itself, the pipeline glues
            # segments into 30 s chunks with the pauses cut out, and drops or merges short
            # turns at their joins (benchmarks/README.md, "Sweep").
            clips = speech_clips(samples, options) if options.vad else []
            segments, info = self.batched.transcribe(
                samples, batch_size=self.batch_size, **kwargs,
                **({"clip_timestamps": clips} if clips else {}))
            return self._redo_doubtful(segments, samples, options, kwargs), info
        return self.model.transcribe(
            samples, hallucination_silence_threshold=options.hallucination_silence_threshold,
            **kwargs)

    def _parallel_clips(self, samples: np.ndarray, clips: list[list[dict]],
                        options: TranscribeOptions, kwargs: dict):
        """Clips of neighbouring speech segments, decoded ``workers`` at a time, in order.

        Every clip gets the sequential decoder's safeguards (temperature fallback, silence
        and repetition checks). A speech segment of a clip that came out with no word at
        all (Whisper sometimes stops before a short last turn) is decoded again on its own.
        Clips are independent, so the words do not depend on how the work was shared.
        """
        kwargs = {**kwargs, "vad_filter": False,
                  "hallucination_silence_threshold": options.hallucination_silence_threshold}

        def decode(span: dict) -> list:
            start, end = int(span["start"] * SAMPLE_RATE), int(span["end"] * SAMPLE_RATE)
            segments, _ = self.model.transcribe(samples[start:end], **kwargs)
            # Text still doubtful after the temperature fallback is a hallucination (an
            # English-only model on French speech loops or invents): it is dropped.
            return [_shifted(segment, span["start"]) for segment in segments
                    if _confident(segment, options)]

        def decode_clip(parts: list[dict]) -> list:
            segments = decode({"start": parts[0]["start"], "end": parts[-1]["end"]})
            if len(parts) > 1:
                words = [w for segment in segments for w in segment.words or ()]
                for part in parts:
                    if not any(w.end > part["start"] and w.start < part["end"] for w in words):
                        segments += decode(part)
            return sorted(segments, key=lambda segment: segment.start)

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            # Longest clips first, so that no worker is left alone with a long one at the end.
            order = sorted(range(len(clips)), key=lambda i: clips[i][0]["start"]
                           - clips[i][-1]["end"])
            futures = {i: pool.submit(decode_clip, clips[i]) for i in order}
            for i in range(len(clips)):
                yield from futures[i].result()

    def _redo_doubtful(self, segments, samples: np.ndarray, options: TranscribeOptions,
                       kwargs: dict):
        """Batched segments that look like a repetition loop or unlikely text are decoded
        again sequentially, with the temperature fallback and silence checks the batched
        pipeline lacks; what is still doubtful then is dropped as a hallucination (e.g. an
        English-only model looping on French speech)."""
        for segment in segments:
            if _confident(segment, options):
                yield segment
                continue
            start = max(int(segment.start * SAMPLE_RATE), 0)
            end = max(int(segment.end * SAMPLE_RATE), start)
            redo, _ = self.model.transcribe(
                samples[start:end], hallucination_silence_threshold=(
                    options.hallucination_silence_threshold), **kwargs)
            for again in redo:
                if _confident(again, options):
                    yield _shifted(again, segment.start)
                else:
                    log.debug("Dropped doubtful text at %.1f s: %r", segment.start, again.text)


def group_clips(parts: list[dict], max_s: float, max_gap_s: float) -> list[list[dict]]:
    """Neighbouring speech segments grouped into clips of at most ``max_s`` seconds (one
    encoder pass each), never across a pause longer than ``max_gap_s``."""
    clips: list[list[dict]] = []
    for part in parts:
        last = clips[-1] if clips else None
        if last and part["end"] - last[0]["start"] <= max_s \
                and part["start"] - last[-1]["end"] <= max_gap_s:
            last.append(part)
        else:
            clips.append([part])
    return clips


def pick_batch_size(batch_size: int | None, device: str) -> int:
    if batch_size is not None:
        return batch_size
    return 8 if device == "cuda" else 0


def pick_workers(options: TranscribeOptions, device: str, batch_size: int) -> tuple[int, int]:
    """(parallel decoders, threads each): on a CPU one decoder per core, at most four."""
    cores = os.cpu_count() or 1
    if device == "cuda" or batch_size > 0:
        return 1, options.cpu_threads
    workers = options.workers or min(4, cores)
    return workers, options.cpu_threads or max(1, cores // workers)


def _confident(segment, options: TranscribeOptions) -> bool:
    return (segment.compression_ratio <= options.compression_ratio_threshold
            and segment.avg_logprob >= options.log_prob_threshold)


def _shifted(segment, offset_s: float):
    words = [replace(w, start=w.start + offset_s, end=w.end + offset_s)
             for w in segment.words or ()]
    return replace(segment, start=segment.start + offset_s, end=segment.end + offset_s,
                   words=words)


def speech_clips(samples: np.ndarray, options: TranscribeOptions) -> list[dict]:
    """The VAD's speech segments of ``samples`` as clips in seconds, one per segment."""
    from faster_whisper.vad import get_speech_timestamps

    return [{"start": s["start"] / SAMPLE_RATE, "end": s["end"] / SAMPLE_RATE}
            for s in get_speech_timestamps(samples, _vad(options))]


def _vad(options: TranscribeOptions):
    from faster_whisper.vad import VadOptions

    settings = options.vad_settings
    return VadOptions(threshold=settings.threshold,
                      min_speech_duration_ms=settings.min_speech_duration_ms,
                      max_speech_duration_s=settings.max_speech_duration_s,
                      min_silence_duration_ms=settings.min_silence_duration_ms,
                      speech_pad_ms=settings.speech_pad_ms)
