"""The language check: is the speech English (the floor), or another channel's language?"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Sequence

from pipeline.errors import LanguageMismatchError
from pipeline.formats.transcript import Word
from pipeline.transcribe.options import TranscribeOptions

log = logging.getLogger(__name__)

LANGUAGE_NAMES = {"en": "English", "fr": "French", "es": "Spanish", "de": "German",
                  "it": "Italian", "pt": "Portuguese", "ar": "Arabic", "zh": "Chinese",
                  "ru": "Russian", "nl": "Dutch", "ja": "Japanese", "ko": "Korean"}
# The most frequent English words: a fifth or more of any English speech.
ENGLISH_FUNCTION_WORDS = frozenset("""
    the of and to a in is that it for on with as was be by this are at from or have an
    not we you i he she they our their his her its will would can which has had were been
    there all but so do what about more us my me your them these those also if no one now
""".split())
MIN_WORDS_FOR_TEXT_CHECK = 25
# English speech gives two to three words a second. An English-only model that keeps less
# than one word a second of the speech it heard has thrown most of it away as doubtful.
MIN_WORDS_PER_SPEECH_SECOND = 1.0
MIN_SPEECH_S_FOR_RATE_CHECK = 5.0


def too_few_words(words: int, speech_s: float) -> bool:
    """Whether an English-only model kept too few words of ``speech_s`` seconds of speech
    for it to be English (judged only where the text check had too few words to judge)."""
    return (speech_s >= MIN_SPEECH_S_FOR_RATE_CHECK and words < MIN_WORDS_FOR_TEXT_CHECK
            and words < MIN_WORDS_PER_SPEECH_SECOND * speech_s)


def name_of(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def check_detected(recording: Path, detected: tuple[str, float] | None,
                   options: TranscribeOptions) -> dict | None:
    """Raise when a multilingual model hears another language with confidence."""
    if detected is None:
        return None
    language, probability = detected
    record = {"language": language, "probability": round(probability, 3),
              "method": "whisper language detection"}
    if (language != options.language and probability >= options.language_min_probability
            and not options.allow_other_language):
        raise _mismatch(recording, language, f"p={probability:.2f}", options)
    return record


def check_text(recording: Path, words: Sequence[Word], avg_logprob: float | None,
               options: TranscribeOptions) -> dict | None:
    """English-only models cannot detect a language: judge the recognised text instead.

    Such a model forced onto French or Spanish produces unlikely text (low log-probability)
    in which the frequent English words are rare. Needs a few dozen words to judge.
    """
    tokens = [t for t in (re.sub(r"[^a-z']", "", w.text.lower()) for w in words) if t]
    if len(tokens) < MIN_WORDS_FOR_TEXT_CHECK or options.language != "en":
        return None
    share = sum(t in ENGLISH_FUNCTION_WORDS for t in tokens) / len(tokens)
    record = {"language": "en" if share >= 0.12 else "not English",
              "english_word_share": round(share, 3),
              "avg_logprob": None if avg_logprob is None else round(avg_logprob, 3),
              "method": "English word share (English-only model)"}
    if share < 0.12 and (avg_logprob is None or avg_logprob < -0.5):
        if options.allow_other_language:
            return record
        raise _mismatch(recording, "not English", f"{share:.0%} common English words", options)
    return record


def _mismatch(recording: Path, language: str, evidence: str,
              options: TranscribeOptions) -> LanguageMismatchError:
    return LanguageMismatchError(
        f"The speech in {recording} is {name_of(language)} ({evidence}), not "
        f"{name_of(options.language)}: pick the floor channel with --channel N, or pass "
        "--allow-other-language.")

