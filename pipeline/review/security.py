"""The workspace's guard: only this machine's addresses, and the token on every request.

Every request but the package's own static files needs the random token the command
printed: a page or the recording in the ``token`` query parameter of the printed address,
a change in the ``X-Review-Token`` header that the page's script sets (never a cookie, so
another page open in the same browser cannot post changes), with a JSON body and no foreign
``Origin``. Every response forbids framing, caching and sending the address onwards.
"""

from __future__ import annotations

import json
import secrets
from urllib.parse import parse_qs

TOKEN_HEADER = "x-review-token"
SAFE_METHODS = ("GET", "HEAD")
PUBLIC_PREFIX = "/static/"
HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; media-src 'self'; frame-ancestors 'none'; "
     b"base-uri 'none'; form-action 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Guard:
    """ASGI middleware: refuses what does not come from this machine with the token."""

    def __init__(self, app, *, token: str, hosts: tuple[str, ...]):
        self.app = app
        self.token = token
        self.hosts = hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        refusal = self.refusal(scope)
        if refusal is not None:
            return await _refuse(send, *refusal)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in HEADERS if k not in present]
            await send(message)

        await self.app(scope, receive, with_headers)

    def refusal(self, scope) -> tuple[int, str] | None:
        """(status, sentence) when the request is refused, else None."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if _hostname(host) not in self.hosts:
            return 400, (f"This workspace answers only at {', '.join(self.hosts)}, not "
                         f"{host or 'an unnamed host'}.")
        path, method = scope.get("path", ""), scope.get("method", "GET")
        if path.startswith(PUBLIC_PREFIX) and method in SAFE_METHODS:
            return None
        if method in SAFE_METHODS:
            given = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])
            if not secrets.compare_digest(given[0].encode(), self.token.encode()):
                return 403, ("This address lacks the workspace's token: open the address "
                             "'session-pipeline review' printed (it ends with ?token=...).")
            return None
        return self._change_refusal(headers, host)

    def _change_refusal(self, headers: dict[str, str], host: str) -> tuple[int, str] | None:
        given = headers.get(TOKEN_HEADER, "")
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            return 403, ("A change needs the workspace's token in the X-Review-Token header, "
                         "which the page sends; reload the page from the address "
                         "'session-pipeline review' printed.")
        origin = headers.get("origin")
        if origin is not None and origin != f"http://{host}":
            return 403, f"Changes are taken only from the workspace's own page, not from {origin}."
        if not headers.get("content-type", "").startswith("application/json"):
            return 415, "A change is sent as JSON (Content-Type: application/json)."
        return None


def _hostname(host: str) -> str:
    """``127.0.0.1:8000`` → ``127.0.0.1``; ``[::1]:80`` → ``::1``."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def _refuse(send, status: int, message: str) -> None:
    body = json.dumps({"ok": False, "message": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())] + HEADERS})
    await send({"type": "http.response.body", "body": body})
