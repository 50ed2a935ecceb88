"""One ``Vary`` header per response, each name in it once.

The light pages say ``Vary: Accept-Encoding`` themselves (a 304 or a body too small to compress must say it as well),
and Starlette's GZipMiddleware appends ``Accept-Encoding`` again to every body it looks at, whatever is there already;
caches and checkers then see ``Accept-Encoding, Accept-Encoding``. This middleware sits around gzip and merges them.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def merged_vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with every Vary header merged into one (where the first was), each name once (case ignored)."""
    names: dict[bytes, bytes] = {}
    for key, value in headers:
        if key.lower() == b"vary":
            for name in value.split(b","):
                if name.strip():
                    names.setdefault(name.strip().lower(), name.strip())
    out: list[tuple[bytes, bytes]] = []
    for key, value in headers:
        if key.lower() != b"vary":
            out.append((key, value))
        elif names:
            out.append((key, b", ".join(names.values())))
            names = {}
    return out


class VaryOnceMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_merged(message: Message) -> None:
            if message["type"] == "http.response.start" and message.get("headers"):
                message["headers"] = merged_vary(list(message["headers"]))
            await send(message)

        await self.app(scope, receive, send_merged)
