"""Who spoke when: voices from a wheel-shipped encoder, clustered, mapped onto sentences, and named."""

from pipeline.formats.speakers import Evidence, Speaker
from pipeline.speakers.attribute import (
                                         Voices,
                                         find_voices,
                                         find_voices_in,
                                         known_people,
                                         name_voices,
                                         speaker_hint,
                                         voices_of,
)
from pipeline.speakers.model import SpokenSentence, Turn
from pipeline.speakers.names import Person
from pipeline.speakers.naming import NamingOptions
from pipeline.speakers.options import SpeakerOptions

__all__ = [
    "Evidence", "NamingOptions", "Person", "Speaker", "SpeakerOptions", "SpokenSentence", "Turn",
    "Voices", "find_voices", "find_voices_in", "known_people", "name_voices",
    "speaker_hint", "voices_of",
]
