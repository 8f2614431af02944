"""Export: subtitle cues, transcript writers and the per-language files of a session."""

from pipeline.export.cues import Cue, CueOptions, build_cues
from pipeline.export.files import (TRANSCRIPT_FORMATS, read_transcript, transcript_relpath,
                                   write_transcript_files)
from pipeline.export.timestamps import format_timestamp
from pipeline.export.writers import WRITERS, Writer, render

__all__ = ["Cue", "CueOptions", "TRANSCRIPT_FORMATS", "WRITERS", "Writer", "build_cues",
           "format_timestamp", "read_transcript", "render", "transcript_relpath",
           "write_transcript_files"]
