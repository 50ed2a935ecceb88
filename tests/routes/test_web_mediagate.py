"""The media gate's rules over plain ASGI calls: which paths are Streamlit's media route, the public mark, errors
passing through, a refused file's bytes never sent (the pages' real files: tests/app/test_media_gate.py)."""

from __future__ import annotations

import asyncio

import pytest

from routes.store.auth import sign_in
from routes.web.mediagate import (
    REFUSED_STATUS,
    REFUSED_TEXT,
    STAFF_CACHE_CONTROL,
    MediaGateMiddleware,
    is_media_path,
    public_mime,
)
from routes.web.session import COOKIE_NAME

PASSWORD = "correct horse battery"
SECRET = b"<gpx>draft</gpx>"


@pytest.fixture()
def store(empty_store, monkeypatch):
    empty_store.add_user("alice", PASSWORD, "editor")
    monkeypatch.setenv("GUIDE_DATABASE_URL", empty_store.engine.url.render_as_string(hide_password=False))
    return empty_store


def _call(path: str, *, mime: str = "application/gpx+xml", status: int = 200, cookie: str | None = None,
          method: str = "GET") -> tuple[int, dict[bytes, bytes], bytes]:
    """(status, headers, body) of one request through the gate to an app answering ``status`` with SECRET."""

    async def inner(scope, receive, send):
        headers = [(b"content-type", mime.encode()), (b"content-length", str(len(SECRET)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": SECRET[:5], "more_body": True})
        await send({"type": "http.response.body", "body": SECRET[5:]})

    headers = [(b"host", b"guide.test")] + ([(b"cookie", cookie.encode())] if cookie is not None else [])
    scope = {"type": "http", "method": method, "path": path, "headers": headers, "query_string": b""}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(MediaGateMiddleware(inner)(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


@pytest.mark.parametrize(
    "path, media",
    [
        ("/media/3f2a9c.gpx", True),
        ("/media/3f2a9c", True),
        ("/guide/media/3f2a9c.png", True),  # under a base URL path
        ("/static/media/SourceSans.woff2", False),  # Streamlit's own fonts: every visitor needs them
        ("/component/streamlit_folium.st_folium/static/media/x.png", False),
        ("/r/tianxiang.gpx", False),
        ("/media/", False),
        ("/_stcore/upload_file/abc", False),
    ],
)
def test_only_streamlits_media_route_is_gated(path, media):
    assert is_media_path(path) is media


def test_an_unmarked_file_is_refused_without_a_session_and_its_bytes_never_leave(store):
    status, headers, body = _call("/media/abc.gpx")
    assert status == REFUSED_STATUS and body.decode() == REFUSED_TEXT and "\n" not in REFUSED_TEXT
    assert SECRET not in body and headers[b"cache-control"] == b"no-store"
    assert _call("/media/abc.gpx", cookie=f"{COOKIE_NAME}=forged")[0] == REFUSED_STATUS
    assert _call("/media/abc.gpx", status=206)[0] == REFUSED_STATUS  # a range request is a download too


def test_a_live_session_gets_every_file_private_and_unstored(store):
    token = sign_in(store, "alice", PASSWORD).token
    for mime in ("application/gpx+xml", public_mime("application/gpx+xml")):
        status, headers, body = _call("/media/abc.gpx", mime=mime, cookie=f"{COOKIE_NAME}={token}")
        assert (status, body) == (200, SECRET)
        assert headers[b"cache-control"] == STAFF_CACHE_CONTROL and headers[b"content-type"] == b"application/gpx+xml"


def test_a_public_file_goes_to_anyone_without_its_mark():
    status, headers, body = _call("/media/abc.gpx", mime=public_mime("application/gpx+xml"))
    assert (status, body, headers[b"content-type"]) == (200, SECRET, b"application/gpx+xml")
    assert b"cache-control" not in headers


def test_errors_and_other_paths_pass_untouched():
    assert _call("/media/gone.gpx", status=404)[0] == 404  # an expired file: nothing to hide
    status, _headers, body = _call("/static/media/font.woff2", mime="font/woff2")
    assert (status, body) == (200, SECRET)
    assert _call("/media/abc.gpx", method="OPTIONS")[0] == 200  # CORS preflight: no content
