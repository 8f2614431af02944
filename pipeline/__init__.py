"""Session pipeline: transcripts, translations and agenda summaries of multilingual meetings."""

__version__ = "0.1.0"
