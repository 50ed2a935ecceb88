"""Streamlit's upload endpoint behind the staff session: no cookie, a made-up cookie or an ended session is refused
before the app sees the body; a live session passes through."""

from __future__ import annotations

import asyncio

import pytest

from routes.store.auth import end_session, sign_in
from routes.web.session import COOKIE_NAME
from routes.web.uploadgate import REFUSED_TEXT, UploadGateMiddleware, session_token

PASSWORD = "correct horse battery"
UPLOAD = "/_stcore/upload_file/3f6c1b1e-session/abc-file"


@pytest.fixture()
def store(empty_store, monkeypatch):
    empty_store.add_user("alice", PASSWORD, "editor")
    monkeypatch.setenv("GUIDE_DATABASE_URL", empty_store.engine.url.render_as_string(hide_password=False))
    return empty_store


def _call(path: str, cookie: str | None) -> tuple[int, bytes, bool]:
    """(status, body, whether the inner app was reached) for one PUT through the gate."""
    reached = []

    async def inner(scope, receive, send):
        reached.append(True)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    headers = [(b"host", b"guide.test")] + ([(b"cookie", cookie.encode())] if cookie is not None else [])
    scope = {"type": "http", "method": "PUT", "path": path, "headers": headers, "query_string": b""}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"x" * 10, "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(UploadGateMiddleware(inner)(scope, receive, send))
    status = next(m for m in sent if m["type"] == "http.response.start")["status"]
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body, bool(reached)


def _signed_in_token(store) -> str:
    return sign_in(store, "alice", PASSWORD, client="127.0.0.1").token


def test_an_anonymous_upload_is_refused_with_one_bilingual_line(store):
    status, body, reached = _call(UPLOAD, None)
    assert (status, reached) == (403, False)
    assert body.decode() == REFUSED_TEXT and "\n" not in REFUSED_TEXT


def test_a_made_up_cookie_is_refused(store):
    status, _body, reached = _call(UPLOAD, f"{COOKIE_NAME}=not-a-session; other=1")
    assert (status, reached) == (403, False)


def test_a_live_session_uploads_and_an_ended_one_does_not(store):
    token = _signed_in_token(store)
    assert _call(UPLOAD, f"theme=dark; {COOKIE_NAME}={token}") == (204, b"", True)
    end_session(store, token)
    status, _body, reached = _call(UPLOAD, f"{COOKIE_NAME}={token}")
    assert (status, reached) == (403, False)


def test_other_paths_pass_untouched(store):
    assert _call("/_stcore/health", None) == (204, b"", True)


def test_the_cookie_is_found_among_others_and_bad_headers_are_ignored():
    assert session_token([(b"cookie", f"a=1; {COOKIE_NAME}=tok; b=2".encode())]) == "tok"
    assert session_token([(b"cookie", b"\xff\x00garbage")]) == ""
    assert session_token([]) == ""
