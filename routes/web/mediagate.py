"""Streamlit's media files (``/media/<id>``: every st.download_button's file and every st.image) served only to a
browser with a live staff session, except files a public page marks public; never imports Streamlit.

Streamlit serves a media file to anyone who has its URL, for as long as any session still shows it (minutes), with no
Cache-Control: a draft's GPX downloaded from the editor's history, a race book, a POI photo not yet published. The
rule here is "staff only unless marked public", so a new staff download is protected without anyone remembering to,
and a new public one that forgot its mark fails visibly (a visitor gets a refusal) rather than leaking quietly.

A public page marks a file by giving it a type from :func:`public_mime` (the real type plus a parameter Streamlit
keeps with the file). The mark is read from the response Streamlit built and taken off before the browser sees it.
Why the response and not Streamlit's own record of which session made a file: a deferred download (``data=`` a
callable, as on the route page) is stored belonging to no session at all, and that record is Streamlit's private
state. Files served to staff get ``Cache-Control: private, no-store``; error answers (an expired file's 404) pass
through unchanged, because they reveal nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from routes.web.uploadgate import session_token

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Streamlit's media route is ``<base URL path>/media/<file id>``.
MEDIA_SEGMENT = "media"
#: Folders whose ``media/`` sub-folder holds front-end build files (fonts, images of Streamlit's own page and of
#: components such as streamlit-folium), not media files: ``/static/media/…``, ``/component/…/media/…``.
NOT_MEDIA_SEGMENTS = frozenset({"static", "component"})
#: The content-type parameter that marks a file public (:func:`public_mime`).
PUBLIC_PARAMETER = "guide-access=public"
#: Sent with every media file a staff session fetches: a shared cache or the browser's disk keeps no copy.
STAFF_CACHE_CONTROL = b"private, no-store"
#: One line each way, as the browser shows the body of a refused download.
REFUSED_TEXT = "此文件仅限已登录的工作人员下载。 / This file is only for signed-in staff."
#: Status of a refused media request: 403 says "not for you" (a 404 would invite retrying a link that works).
REFUSED_STATUS = 403


def public_mime(mime: str) -> str:
    """``mime`` with the mark that lets visitors without a session fetch the file (public pages' downloads)."""
    return f"{mime}; {PUBLIC_PARAMETER}"


def is_media_path(path: str) -> bool:
    """Whether ``path`` is Streamlit's media route (``/media/<id>``, also under a base URL path)."""
    parts = path.split("/")
    if len(parts) < 3 or parts[-2] != MEDIA_SEGMENT or not parts[-1]:
        return False
    return not NOT_MEDIA_SEGMENTS.intersection(parts[:-2])


def _split_public(content_type: bytes) -> tuple[bytes, bool]:
    """(the content type without the public mark, whether it had it)."""
    params = [p.strip() for p in content_type.decode("latin-1").split(";")]
    kept = [p for p in params if p.replace(" ", "").lower() != PUBLIC_PARAMETER]
    return "; ".join(kept).encode("latin-1"), len(kept) != len(params)


def _live_staff_session(token: str) -> bool:
    from routes.store.auth import resolve_session
    from routes.web.session import _store

    sess, _why = resolve_session(_store(), token)
    return sess is not None


async def _refuse(send: Send) -> None:
    body = REFUSED_TEXT.encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
    ]
    await send({"type": "http.response.start", "status": REFUSED_STATUS, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class MediaGateMiddleware:
    """Lets a media file through to a live staff session (marked private, no-store) or, when it is marked public, to
    anyone; refuses it otherwise. Only successful answers are judged: errors pass through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD") or not is_media_path(path):
            await self.app(scope, receive, send)
            return
        from starlette.concurrency import run_in_threadpool

        token = session_token(list(scope.get("headers", [])))
        staff = bool(token) and await run_in_threadpool(_live_staff_session, token)
        refused = False

        async def gated_send(message: Message) -> None:
            nonlocal refused
            if refused:
                return  # the file's bytes never leave
            if message["type"] == "http.response.start":
                headers, public = [], False
                for name, value in message.get("headers", []):
                    if name.lower() == b"content-type":
                        value, public = _split_public(value)
                    if name.lower() != b"cache-control" or not staff:
                        headers.append((name, value))
                if 200 <= int(message["status"]) < 300 and not staff and not public:
                    refused = True
                    await _refuse(send)
                    return
                if staff:
                    headers.append((b"cache-control", STAFF_CACHE_CONTROL))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, gated_send)
