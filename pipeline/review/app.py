"""The workspace's ASGI application, and serving it on this machine's loopback address only."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from pipeline.review.errors import ReviewError
from pipeline.review.options import ReviewOptions
from pipeline.review.routes import ROUTES
from pipeline.review.security import Guard, new_token
from pipeline.review.view import LANGUAGE_NAMES
from pipeline.review.workspace import Workspace
from pipeline.session import Session

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
HOST = "127.0.0.1"


def create_app(session_dir: str | Path, options: ReviewOptions = ReviewOptions(), *,
               token: str | None = None) -> Starlette:
    """The workspace over ``session_dir`` (which must be a session folder); ``app.state.token``
    is the token every request needs (a new random one unless given)."""
    Session.open(session_dir, create=False)          # one clear sentence if it is not one
    app = Starlette(routes=ROUTES + [Mount("/static", StaticFiles(directory=HERE / "static"),
                                           name="static")],
                    exception_handlers={ReviewError: _refused})
    app.state.workspace = Workspace(Path(session_dir), options)
    app.state.token = token or new_token()
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.state.templates.env.globals["language_names"] = LANGUAGE_NAMES
    app.add_middleware(Guard, token=app.state.token, hosts=options.hosts)
    return app


async def _refused(request: Request, exc: ReviewError) -> JSONResponse:
    return JSONResponse({"ok": False, "message": str(exc)}, status_code=exc.status)


def bind(port: int = 0) -> socket.socket:
    """A listening socket on the loopback address (``port`` 0: a free one)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise ReviewError(f"Cannot listen on {HOST}:{port} ({exc.strerror or exc}); choose "
                          "another --port, or leave it out for a free one.") from None
    sock.listen(64)
    return sock


def address(app: Starlette, sock: socket.socket) -> str:
    """The address to open: this machine's loopback, the port, the token."""
    return f"http://{HOST}:{sock.getsockname()[1]}/?token={app.state.token}"


def serve(app: Starlette, sock: socket.socket, on_ready: Callable[[], None] | None = None) -> None:
    """Serve ``app`` on ``sock`` until interrupted (uvicorn, without its access log)."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    if on_ready is not None:
        on_ready()
    server.run(sockets=[sock])
