"""Call an ASGI app in-process with real HTTP semantics (no network, no test-client package): request in, response out."""

from __future__ import annotations

import asyncio
import gzip
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    #: Every header as sent, in order (``headers`` keeps the last of a repeated name).
    header_list: list[tuple[str, str]] = field(default_factory=list)

    @property
    def content(self) -> bytes:
        """The body as the browser sees it (gzip undone)."""
        return gzip.decompress(self.body) if self.headers.get("content-encoding") == "gzip" else self.body

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


def get(app, url: str, headers: dict[str, str] | None = None, *, host: str = "guide.test") -> Reply:
    parts = urlsplit(url)
    raw_headers = [(b"host", host.encode())] + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", 50000),
        "server": (host, 80),
    }
    out: dict = {"status": 0, "headers": {}, "body": b"", "header_list": []}
    sent = False

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["header_list"] = [(k.decode().lower(), v.decode()) for k, v in message["headers"]]
            out["headers"] = dict(out["header_list"])
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return Reply(out["status"], out["headers"], out["body"], out["header_list"])
