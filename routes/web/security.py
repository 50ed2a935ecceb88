"""Security middleware around Streamlit's server: response headers, a closed metrics endpoint, and refusal of the
WebSocket messages that let any visitor empty every cache or switch on developer features."""

from __future__ import annotations

import hmac
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Hosts the basemap tiles come from (routes/views/maps.py): the only images the page loads from elsewhere.
TILE_SOURCES = (
    "https://tile.openstreetmap.org",
    "https://*.tile.opentopomap.org",
    "https://*.is.autonavi.com",
    "https://*.tianditu.gov.cn",
)
#: The policy the app fits, checked in Chromium on every page (tests/e2e/test_security_headers.py: no violation in
#: any frame). Streamlit's front end and the folium and plotly components run inline scripts and styles in
#: same-origin iframes, so 'unsafe-inline' stays for scripts and styles (without it every map stays blank); nothing
#: needs 'unsafe-eval'. What the policy buys: no script, frame, font or connection from any other host, no plugin,
#: no <base> hijack, no framing by another site; images only from here and the basemap tile hosts.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: " + " ".join(TILE_SOURCES),
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "frame-src 'self' blob: data:",
        "frame-ancestors 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)
#: The policy of the light pages' service worker (/r/sw.js, routes/web/offline.py), sent with the script itself: a
#: worker is bound by the policy of its own script, not the page's. It fetches the map tiles the page shows in order to
#: keep them for offline use, so it may connect to the tile hosts the page may show images from; nothing else.
SERVICE_WORKER_CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "connect-src 'self' " + " ".join(TILE_SOURCES),
        "object-src 'none'",
        "base-uri 'self'",
    )
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    # SAMEORIGIN, not DENY: streamlit-folium and Streamlit's components render in iframes of this same origin.
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-content-type-options", b"nosniff"),
)
#: Streamlit's Prometheus endpoint: session counts and cache sizes are nobody's business but the operator's.
METRICS_PATH_SUFFIX = "/_stcore/metrics"
#: Set to a secret to let a monitoring system read the metrics with ``Authorization: Bearer <secret>``.
METRICS_TOKEN_ENV = "GUIDE_METRICS_TOKEN"
STREAM_PATH_SUFFIX = "/_stcore/stream"
#: BackMsg fields (streamlit/proto/BackMsg.proto, the ``type`` oneof) no visitor may send: 5 clear_cache empties
#: every cache for every user; 6 set_run_on_save, 14 debug_disconnect_websocket and 15 debug_shutdown_runtime are
#: developer tools. A viewer-mode front end never sends them; a hand-made WebSocket client could.
REFUSED_BACKMSG_FIELDS = frozenset({5, 6, 14, 15})


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def backmsg_fields(data: bytes) -> set[int]:
    """Numbers of the top-level protobuf fields in a message (wire format only: no Streamlit import needed)."""
    fields: set[int] = set()
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        fields.add(number)
        if wire == 0:
            _, pos = _varint(data, pos)
        elif wire == 1:
            pos += 8
        elif wire == 2:
            length, pos = _varint(data, pos)
            pos += length
        elif wire == 5:
            pos += 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        if pos > len(data):
            raise ValueError("truncated field")
    return fields


def refused_backmsg(data: bytes | None) -> bool:
    """True for a BackMsg a visitor may not send (or one that is not a well-formed message at all)."""
    if not data:
        return False
    try:
        return bool(backmsg_fields(data) & REFUSED_BACKMSG_FIELDS)
    except ValueError:
        return True


def metrics_allowed(headers: list[tuple[bytes, bytes]]) -> bool:
    token = os.environ.get(METRICS_TOKEN_ENV, "")
    if not token:
        return False
    given = dict(headers).get(b"authorization", b"").decode("latin-1")
    return hmac.compare_digest(given, f"Bearer {token}")


class SecurityMiddleware:
    """Pure ASGI middleware (so it sees WebSocket messages too, which Starlette's BaseHTTPMiddleware does not)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] == "websocket" and path.endswith(STREAM_PATH_SUFFIX):
            await self.app(scope, self._filtered(receive), send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if path.rstrip("/").endswith(METRICS_PATH_SUFFIX) and not metrics_allowed(list(scope.get("headers", []))):
            await self._not_found(send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _filtered(receive: Receive) -> Receive:
        async def receive_allowed() -> Message:
            while True:
                message = await receive()
                if message["type"] == "websocket.receive" and refused_backmsg(message.get("bytes")):
                    continue  # dropped: the session goes on as if it had never been sent
                return message

        return receive_allowed

    @staticmethod
    async def _not_found(send: Send) -> None:
        body = b"Not Found"
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 404, "headers": headers + list(SECURITY_HEADERS)})
        await send({"type": "http.response.body", "body": body})
