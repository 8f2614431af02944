"""What a refused request says, with the HTTP status the page receives."""

from __future__ import annotations

from pipeline.errors import PipelineError


class ReviewError(PipelineError):
    """A request the workspace refuses, with one sentence the page shows."""

    status = 400


class NotFound(ReviewError):
    status = 404


class Forbidden(ReviewError):
    status = 403


class Conflict(ReviewError):
    """The thing changed since the page read it (another tab, or a run): nothing was saved."""

    status = 409


class Busy(ReviewError):
    """A run (or another save) holds the session: nothing was saved."""

    status = 423


STALE = ("{what} was changed elsewhere (in another tab, or by a run) since this page read it, "
         "so your change was not saved; your text is kept here: copy it, reload the page, and "
         "apply it again.")
