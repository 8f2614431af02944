"""Domain exceptions: each carries one sentence that tells the user what is wrong and what to do."""


class PipelineError(Exception):
    """Base class of every error the pipeline reports to a user."""


class InputError(PipelineError):
    """An input file (recording, agenda, transcript, glossary) is missing, unreadable or invalid."""


class NoSpeechError(InputError):
    """The recording holds no recognisable speech."""


class LanguageMismatchError(InputError):
    """The speech is not in the language the session expects."""


class ModelUnavailableError(PipelineError):
    """A model cannot be loaded: not a known name, not a directory, or not available offline."""


class SessionError(PipelineError):
    """The session folder is unusable: unwritable, inconsistent, or missing a stage's output."""


class SessionLockedError(SessionError):
    """Another run holds the session folder."""


class AgendaError(InputError):
    """The agenda file is invalid; the message names the file, line and field."""


class BatchFileError(InputError):
    """The batch file is invalid; ``problems`` holds one sentence per bad row, with its line."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()):
        super().__init__(message)
        self.problems = problems


class ArchiveError(PipelineError):
    """A session cannot be archived (not verified, not finished) or a bag is not valid."""
