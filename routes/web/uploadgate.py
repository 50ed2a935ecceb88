"""Streamlit's file-upload endpoint open only to signed-in staff: every uploader in the guide is on a staff page, so an
anonymous client posting files (each up to the upload limit, as many as it likes) only ever costs server memory."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any

from routes.web.session import COOKIE_NAME

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Streamlit's upload route (`/_stcore/upload_file/<session>/<file>`), also under a base URL path.
UPLOAD_PATH_PART = "/_stcore/upload_file"
#: One line each way: the uploader shows the body of a refused upload.
REFUSED_TEXT = "请先登录工作人员账号再上传文件。 / Please sign in with a staff account before uploading files."


def session_token(headers: list[tuple[bytes, bytes]]) -> str:
    """The guide's session cookie from raw request headers ("" when there is none or the header is malformed)."""
    for name, value in headers:
        if name.lower() != b"cookie":
            continue
        jar = SimpleCookie()
        try:
            jar.load(value.decode("latin-1"))
        except CookieError:
            continue
        if COOKIE_NAME in jar:
            return jar[COOKIE_NAME].value
    return ""


def _live_session(token: str) -> bool:
    from routes.store.auth import resolve_session
    from routes.web.session import _store

    sess, _why = resolve_session(_store(), token)
    return sess is not None


class UploadGateMiddleware:
    """Refuses uploads (and upload deletions) from a browser without a live staff session, before the body is read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or UPLOAD_PATH_PART not in str(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        from starlette.concurrency import run_in_threadpool

        token = session_token(list(scope.get("headers", [])))
        if token and await run_in_threadpool(_live_session, token):
            await self.app(scope, receive, send)
            return
        body = REFUSED_TEXT.encode()
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 403, "headers": headers})
        await send({"type": "http.response.body", "body": body})
