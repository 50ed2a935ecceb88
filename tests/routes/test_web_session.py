"""The cookie routes over real ASGI calls: the exchange sets an HttpOnly, SameSite=Lax cookie (Secure behind HTTPS)
only for the browser that signed in (its nonce cookie, not cross-site), ``next`` never leaves the site, a GET never
ends a live session, and a cross-site POST is refused."""

from __future__ import annotations

import asyncio

import pytest
from starlette.applications import Starlette

from routes.store.auth import SESSION_ABSOLUTE_TIMEOUT_S, resolve_session, sign_in
from routes.web.session import (
    COOKIE_NAME,
    DEFAULT_NEXT,
    EXCHANGE_PATH,
    NONCE_COOKIE,
    nonce_cookie,
    safe_next,
    session_routes,
)

PASSWORD = "correct horse battery"
HOST = "guide.test"


@pytest.fixture()
def store(empty_store, monkeypatch):
    empty_store.add_user("alice", PASSWORD, "editor")
    monkeypatch.setenv("GUIDE_DATABASE_URL", empty_store.engine.url.render_as_string(hide_password=False))
    return empty_store


def _call(
    method: str, path: str, *, query: str = "", headers: dict[str, str] | None = None, scheme: str = "http"
) -> tuple[int, dict[str, list[str]]]:
    """One request through the routes' Starlette app; (status, response headers)."""
    app = Starlette(routes=session_routes())
    sent: list[dict] = []
    raw = [(b"host", HOST.encode())] + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": raw,
        "client": ("127.0.0.1", 5000),
        "server": (HOST, 443 if scheme == "https" else 80),
        "root_path": "",
    }

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    out: dict[str, list[str]] = {}
    for k, v in start["headers"]:
        out.setdefault(k.decode().lower(), []).append(v.decode())
    return start["status"], out


def _set_cookie(headers, name: str = COOKIE_NAME) -> str:
    cookies = [c for c in headers.get("set-cookie", []) if c.startswith(name + "=")]
    assert len(cookies) == 1, headers
    return cookies[0]


def _session_cookies(headers) -> list[str]:
    return [c for c in headers.get("set-cookie", []) if c.startswith(COOKIE_NAME + "=")]


def _exchange(sess, *, query: str = "", nonce: str | None = None, site: str | None = "same-origin",
              headers: dict[str, str] | None = None):
    """The signing browser's hand-over: its nonce cookie, and the same-origin navigation its page makes."""
    sent = dict(headers or {})
    nonce = sess.exchange_nonce if nonce is None else nonce
    if nonce:
        sent["Cookie"] = f"{NONCE_COOKIE}={nonce}"
    if site is not None:
        sent["Sec-Fetch-Site"] = site
    return _call("GET", EXCHANGE_PATH, query=f"t={sess.exchange}" + (f"&{query}" if query else ""), headers=sent)


def _cookie_value(set_cookie: str) -> str:
    return set_cookie.split(";", 1)[0].split("=", 1)[1].strip('"')


@pytest.mark.parametrize(
    "value, expected",
    [
        ("/race?lang=en", "/race?lang=en"),
        ("/editor", "/editor"),
        ("", DEFAULT_NEXT),
        (None, DEFAULT_NEXT),
        ("//evil.example/x", DEFAULT_NEXT),
        ("https://evil.example/", DEFAULT_NEXT),
        ("/\\evil.example", DEFAULT_NEXT),
        ("javascript:alert(1)", DEFAULT_NEXT),
        ("/ok\r\nSet-Cookie: x=1", DEFAULT_NEXT),
        ("race", DEFAULT_NEXT),
        ("/" + "a" * 600, DEFAULT_NEXT),
    ],
)
def test_next_stays_on_this_site(value, expected):
    assert safe_next(value) == expected


def test_the_exchange_sets_the_cookie_once(store):
    sess = sign_in(store, "alice", PASSWORD)
    status, headers = _exchange(sess, query="next=/race%3Flang%3Den")
    assert status == 303 and headers["location"] == ["/race?lang=en"]
    cookie = _set_cookie(headers)
    low = cookie.lower()
    assert "httponly" in low and "samesite=lax" in low and "path=/" in low and "secure" not in low
    assert f"max-age={SESSION_ABSOLUTE_TIMEOUT_S}" in low
    assert headers["cache-control"] == ["no-store"] and headers["referrer-policy"] == ["no-referrer"]
    assert resolve_session(store, _cookie_value(cookie))[0].user == "alice"
    # The nonce cookie has done its work: cleared.
    assert "max-age=0" in _set_cookie(headers, NONCE_COOKIE).lower()
    # Used once: a second visit (a copied link) sets nothing.
    status, headers = _exchange(sess, query="next=//evil.example")
    assert status == 303 and headers["location"] == [DEFAULT_NEXT] and not _session_cookies(headers)


@pytest.mark.parametrize("site", ["cross-site", "same-site", "none"])
def test_an_exchange_from_another_site_sets_nothing_and_spends_nothing(store, site):
    """Login CSRF: another site sending a visitor to someone's exchange URL signs the visitor into nothing."""
    sess = sign_in(store, "alice", PASSWORD)
    status, headers = _exchange(sess, query="next=/editor", site=site)
    assert status == 303 and headers["location"] == ["/editor"] and not _session_cookies(headers)
    # Not consumed either: the signing browser's own hand-over still works.
    _status, headers = _exchange(sess)
    assert resolve_session(store, _cookie_value(_set_cookie(headers)))[0].user == "alice"


def test_an_exchange_replayed_without_the_signing_browsers_nonce_sets_nothing(store):
    sess = sign_in(store, "alice", PASSWORD)
    other = sign_in(store, "alice", PASSWORD)
    for nonce, site in (("", "same-origin"), ("", None), (other.exchange_nonce, "same-origin"), ("made-up", None)):
        status, headers = _exchange(sess, nonce=nonce, site=site)
        assert status == 303 and not _session_cookies(headers), (nonce, site)
    # A browser that sends no Sec-Fetch-Site (an older one) still signs in with its nonce.
    _status, headers = _exchange(sess, site=None)
    assert resolve_session(store, _cookie_value(_set_cookie(headers)))[0].user == "alice"


def test_the_nonce_cookie_goes_only_to_the_exchange_and_expires_with_the_token():
    from routes.store.auth import EXCHANGE_TOKEN_TTL_S

    text = nonce_cookie("abc", path="/guide/auth/session")
    assert text.startswith(f"{NONCE_COOKIE}=abc;")
    assert "Path=/guide/auth/session" in text and f"Max-Age={EXCHANGE_TOKEN_TTL_S}" in text
    assert "SameSite=Strict" in text and "HttpOnly" not in text  # the page's script sets it
    assert f"Path={EXCHANGE_PATH}" in nonce_cookie("abc")


def test_the_cookie_is_secure_behind_https(store):
    sess = sign_in(store, "alice", PASSWORD)
    _status, headers = _exchange(sess, headers={"X-Forwarded-Proto": "https"})
    assert "secure" in _set_cookie(headers).lower()


def test_a_get_to_signout_never_ends_a_live_session(store):
    sess = sign_in(store, "alice", PASSWORD)
    _s, headers = _exchange(sess)
    token = _cookie_value(_set_cookie(headers))
    status, headers = _call("GET", "/auth/signout", headers={"Cookie": f"{COOKIE_NAME}={token}"})
    assert status == 303 and "set-cookie" not in headers
    assert resolve_session(store, token)[0] is not None


def test_signout_post_from_another_site_is_refused_and_from_ours_ends_the_session(store):
    sess = sign_in(store, "alice", PASSWORD)
    _s, headers = _exchange(sess)
    token = _cookie_value(_set_cookie(headers))
    status, _h = _call(
        "POST", "/auth/signout", headers={"Cookie": f"{COOKIE_NAME}={token}", "Origin": "https://evil.example"}
    )
    assert status == 403 and resolve_session(store, token)[0] is not None
    status, headers = _call(
        "POST",
        "/auth/signout",
        query="next=/editor",
        headers={"Cookie": f"{COOKIE_NAME}={token}", "Origin": f"http://{HOST}"},
    )
    assert status == 303 and headers["location"] == ["/editor"]
    assert "max-age=0" in _set_cookie(headers).lower()
    assert resolve_session(store, token) == (None, "ended")
    # Now the cookie is dead, a plain GET clears it (what the page's sign-out button does after ending the session).
    _s, headers = _call("GET", "/auth/signout", headers={"Cookie": f"{COOKIE_NAME}={token}"})
    assert "max-age=0" in _set_cookie(headers).lower()
