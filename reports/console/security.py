"""Who may use the console: the access code off this computer, and no cross-site requests.

- Bound to this computer (127.0.0.1, localhost, ::1) the console needs no code, but only
  answers requests addressed to those names, so a web page cannot reach it by DNS rebinding.
- Bound to any other address it needs the access code printed at start, on every request:
  as ``?code=`` once (which sets a cookie and drops the code from the address bar), the
  cookie, or an ``X-Standby-Access`` header. Only the sign-in page and its stylesheet are
  open.
- Every state-changing request carries the page's token in ``X-Standby-CSRF`` (a custom
  header another site's form or script cannot send), and any ``Origin`` must be this host.
- Every page is served with a Content-Security-Policy that allows only the console's own
  script and stylesheet, so text from the room is never run even if it were mis-escaped.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed easily
CODE_LENGTH = 12  # 31 ** 12 is about 2 ** 59
COOKIE = "standby_access"
CSRF_HEADER = "x-standby-csrf"
ACCESS_HEADER = "x-standby-access"
OPEN_PATHS = ("/login", "/static/console.css")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
HEADERS = (
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
        b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


def is_local(host: str) -> bool:
    """Whether ``host`` is this computer only."""
    return host.strip("[]") in LOCAL_HOSTS


def new_access_code() -> str:
    """A random access code such as ``K7QM-2XPA-W9RT``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(text: str) -> str:
    """What a person typed, as the code compares: capitals, no spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a supplied secret with the expected one."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class Guard:
    """ASGI middleware: host check, access code, cross-site request checks, page headers."""

    def __init__(
        self, app: ASGIApp, *, csrf_token: str, access_code: str | None, local_only: bool
    ) -> None:
        self.app = app
        self.csrf_token = csrf_token
        self.code = normalise_code(access_code) if access_code else None
        self.local_only = local_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await refusal(send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _refusal(
        self, scope: Scope, headers: dict[str, str]
    ) -> Callable[[Send], Awaitable[None]] | None:
        host = headers.get("host", "")
        hostname = urlsplit(f"//{host}").hostname or ""
        if self.local_only and not is_local(hostname):
            return _plain(400, "This console only answers on this computer (127.0.0.1).")
        path = scope["path"]
        method = scope["method"]
        if self.code is not None and path not in OPEN_PATHS:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            given = query.get("code", [None])[0]
            if given is not None and same_secret(normalise_code(given), self.code):
                kept = {k: v for k, v in query.items() if k != "code"}
                target = path + ("?" + urlencode(kept, doseq=True) if kept else "")
                return _redirect(target, cookie=self.code)
            supplied = _cookie(headers.get("cookie", ""), COOKIE) or headers.get(ACCESS_HEADER)
            if not same_secret(normalise_code(supplied or ""), self.code):
                if method in SAFE_METHODS and not path.startswith("/api/"):
                    return _redirect("/login?" + urlencode({"next": path}))
                return _json(401, "The access code is missing or wrong; sign in again.")
        if method not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin and urlsplit(origin).netloc != host:
                return _json(403, "Refused: the request came from another site.")
            if path != "/login" and not same_secret(headers.get(CSRF_HEADER), self.csrf_token):
                return _json(403, "Refused: the page's security token is missing; reload the page.")
        return None


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def access_cookie(code: str) -> str:
    """The Set-Cookie value that signs a browser in (session cookie, not sent cross-site)."""
    return f"{COOKIE}={normalise_code(code)}; Path=/; HttpOnly; SameSite=Strict"


def _redirect(location: str, cookie: str | None = None) -> Callable[[Send], Awaitable[None]]:
    headers = [(b"location", location.encode("latin-1")), *HEADERS]
    if cookie is not None:
        headers.append((b"set-cookie", access_cookie(cookie).encode("latin-1")))
    return _respond(303, headers, b"")


def _json(status: int, message: str) -> Callable[[Send], Awaitable[None]]:
    body = json.dumps({"error": message}).encode()
    return _respond(status, [(b"content-type", b"application/json"), *HEADERS], body)


def _plain(status: int, message: str) -> Callable[[Send], Awaitable[None]]:
    return _respond(
        status, [(b"content-type", b"text/plain; charset=utf-8"), *HEADERS], message.encode()
    )


def _respond(
    status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> Callable[[Send], Awaitable[None]]:
    async def respond(send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return respond
