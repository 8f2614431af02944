"""Read recordings of any length in bounded memory: probe, stream at 16 kHz, cut into windows."""

from pipeline.audio.decode import SAMPLE_RATE, read, samples, stream
from pipeline.audio.probe import (
    AudioInfo,
    ChannelSelection,
    check_channel,
    probe,
    sha256,
)
from pipeline.audio.recording import Recording, inspect_recording
from pipeline.audio.windows import Window, windows

__all__ = [
    "SAMPLE_RATE", "AudioInfo", "ChannelSelection", "Recording", "Window", "check_channel",
    "inspect_recording", "probe", "read", "samples", "sha256", "stream", "windows",
]
