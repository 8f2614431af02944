"""Speech recognition: a recording becomes English sentences with word timings.

Only light modules are imported here; faster-whisper loads inside the engine when used.
"""

from pipeline.transcribe.models import (
           ResolvedModel,
           asr_model_status,
           resolve_asr_model,
)
from pipeline.transcribe.options import TranscribeOptions, VadSettings
from pipeline.transcribe.stage import STAGE, transcribe_session
from pipeline.transcribe.vocabulary import build_prompt, correct_words, load_vocabulary

__all__ = ["ResolvedModel", "STAGE", "TranscribeOptions", "VadSettings", "asr_model_status",
           "build_prompt", "correct_words", "load_vocabulary", "resolve_asr_model",
           "transcribe_session"]
