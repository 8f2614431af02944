"""Who spoke when: voices from a wheel-shipped encoder, clustered, mapped onto sentences, and named."""

from pipeline.speakers.attribute import (
                                         Voices,
                                         find_voices,
                                         find_voices_in,
                                         known_people,
                                         name_voices,
                                         speaker_hint,
                                         voices_of,
)
from pipeline.speakers.model import Evidence, Speaker, SpokenSentence, Turn
from pipeline.speakers.names import Person
from pipeline.speakers.naming import NamingOptions, apply_edits
from pipeline.speakers.options import SpeakerOptions

__all__ = [
    "Evidence", "NamingOptions", "Person", "Speaker", "SpeakerOptions", "SpokenSentence", "Turn",
    "Voices", "apply_edits", "find_voices", "find_voices_in", "known_people", "name_voices",
    "speaker_hint", "voices_of",
]
