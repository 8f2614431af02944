"""The workspace's routes: the page and its JSON, the recording, the session's files, the saves."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from pipeline.errors import InputError, PipelineError
from pipeline.review import corrections
from pipeline.review.errors import NotFound, ReviewError
from pipeline.review.retranslate import translate_again
from pipeline.review.state import SessionState
from pipeline.review.view import page_view, plain, row_view, summary_view
from pipeline.review.workspace import Workspace
from pipeline.session import WORK_DIR

log = logging.getLogger(__name__)

TEXT_TYPES = {".json": "application/json", ".srt": "text/plain", ".vtt": "text/vtt",
              ".txt": "text/plain", ".md": "text/plain", ".yaml": "text/plain"}


def _workspace(request: Request) -> Workspace:
    return request.app.state.workspace


def _page_view(request: Request):
    ws = _workspace(request)
    state = ws.state()
    return state, page_view(state, ws.recording.status(state.session.manifest.get("input")),
                            ws.options)


def page(request: Request) -> Response:
    try:
        _, view = _page_view(request)
    except PipelineError as exc:
        return request.app.state.templates.TemplateResponse(
            request, "problem.html", {"message": str(exc)}, status_code=409)
    return request.app.state.templates.TemplateResponse(
        request, "page.html", {"page": view, "token": request.app.state.token})


def session_json(request: Request) -> Response:
    try:
        _, view = _page_view(request)
    except PipelineError as exc:
        return _problem(409, str(exc))
    return JSONResponse(plain(view))


def audio(request: Request) -> Response:
    """The recording named in the manifest, and nothing else; ranges for seeking."""
    ws = _workspace(request)
    status = ws.recording.status(ws.open().manifest.get("input"))
    if not status.playable:
        return _problem(404, status.problem or "The recording cannot be played.")
    return FileResponse(status.path, media_type=status.media_type)


def session_file(request: Request) -> Response:
    """A file the manifest lists, inside the session folder; nothing else can be read."""
    ws = _workspace(request)
    relpath = request.path_params["path"]
    session = ws.open()
    root = session.root.resolve()
    target = (session.root / relpath).resolve()
    if (relpath not in session.manifest["files"] or not target.is_relative_to(root)
            or Path(relpath).parts[0] == WORK_DIR or not target.is_file()):
        return _problem(404, f"{relpath!r} is not a file of this session.")
    kind = TEXT_TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0]
    return FileResponse(target, media_type=kind or "application/octet-stream",
                        headers={"content-disposition": "inline"})


async def save_sentence(request: Request) -> Response:
    data = await _json(request)
    language, ident = _text(data, "language"), _int(data, "id")
    return await _saved(request, corrections.correct_text, language, ident,
                        _text(data, "text"), _text(data, "version"),
                        after=lambda s: {"row": _row_html(request, s, ident)})


async def save_voice(request: Request) -> Response:
    data = await _json(request)
    ids = data.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        return _problem(400, "'ids' must be a list of sentence ids.")
    return await _saved(request, corrections.correct_voices, ids, _text(data, "speaker"),
                        _text(data, "version"))


async def save_speaker(request: Request) -> Response:
    data = await _json(request)
    return await _saved(request, corrections.name_speaker, _text(data, "label"),
                        _text(data, "name", ""), _text(data, "role", ""), _text(data, "version"))


async def save_boundary(request: Request) -> Response:
    data = await _json(request)
    ident = data.get("sentence")
    if ident is not None and not isinstance(ident, int):
        return _problem(400, "'sentence' must be a sentence id, or null.")
    return await _saved(request, corrections.move_boundary, _text(data, "item"), ident,
                        _text(data, "version"))


async def save_summary(request: Request) -> Response:
    data = await _json(request)
    language, item = _text(data, "language"), _text(data, "item")
    return await _saved(request, corrections.correct_summary, language, item,
                        _text(data, "text"), _text(data, "version"),
                        after=lambda s: {"summary": _summary_html(request, s, language, item)})


async def retranslate(request: Request) -> Response:
    await _json(request)
    try:
        result = await run_in_threadpool(translate_again, _workspace(request))
    except PipelineError as exc:
        return _problem(_status(exc), str(exc))
    return JSONResponse({"ok": not result.missing, "message": result.message,
                         "translated": result.translated, "missing": result.missing})


async def export(request: Request) -> Response:
    await _json(request)
    try:
        result = await run_in_threadpool(corrections.export_files, _workspace(request))
    except PipelineError as exc:
        return _problem(_status(exc), str(exc))
    kept = "".join(f" {path} was edited by hand and is kept; the new version is beside it."
                   for path in result.kept_edits)
    message = (f"Exported {len(result.written)} files from the corrected transcripts." + kept
               if result.ran else "The exported files already follow every correction.")
    return JSONResponse({"ok": True, "message": message, "written": list(result.written)})


async def _saved(request: Request, action, *args, after=None) -> Response:
    """Run a correction off the event loop; the refusal's status and sentence, or what the
    page needs to show the result (``after``: more fields from the state after the save)."""
    ws = _workspace(request)
    try:
        await run_in_threadpool(action, ws, *args)
        extra = await run_in_threadpool(lambda: after(ws.state())) if after else {}
    except PipelineError as exc:
        return _problem(_status(exc), str(exc))
    return JSONResponse({"ok": True, "message": "Saved.", **extra})


def _row_html(request: Request, state: SessionState, ident: int) -> str:
    row = row_view(state, ident, _workspace(request).options)
    if row is None:
        raise NotFound(f"There is no sentence {ident} any more.")
    template = request.app.state.templates.get_template("row.html")
    return template.render(row=row, languages=state.languages, speakers=bool(state.speakers),
                           has_tools=bool(state.speakers or state.sections))


def _summary_html(request: Request, state: SessionState, language: str, item: str) -> str:
    template = request.app.state.templates.get_template("summary.html")
    return template.render(summary=summary_view(state, language, item), item_id=item)


async def _json(request: Request) -> dict:
    try:
        data = await request.json()
    except ValueError:
        raise _BadBody("The body of a change must be a JSON object.") from None
    if not isinstance(data, dict):
        raise _BadBody("The body of a change must be a JSON object.")
    return data


class _BadBody(ReviewError):
    pass


def _text(data: dict, key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise _BadBody(f"The change lacks its {key!r} (a text).")
    return value


def _int(data: dict, key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _BadBody(f"The change lacks its {key!r} (a whole number).")
    return value


def _status(exc: PipelineError) -> int:
    """A refusal's status; a bad input 400, a session in a state that forbids it 409."""
    if isinstance(exc, ReviewError):
        return exc.status
    return 400 if isinstance(exc, InputError) else 409


def _problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "message": message}, status_code=status)


ROUTES = [
    Route("/", page),
    Route("/api/session", session_json),
    Route("/audio", audio),
    Route("/files/{path:path}", session_file),
    Route("/api/sentence", save_sentence, methods=["POST"]),
    Route("/api/voice", save_voice, methods=["POST"]),
    Route("/api/speaker", save_speaker, methods=["POST"]),
    Route("/api/boundary", save_boundary, methods=["POST"]),
    Route("/api/summary", save_summary, methods=["POST"]),
    Route("/api/translate", retranslate, methods=["POST"]),
    Route("/api/export", export, methods=["POST"]),
]
