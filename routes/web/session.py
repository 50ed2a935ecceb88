"""The sign-in cookie: HTTP routes that set it (from a one-time exchange token) and clear it; never imports Streamlit.

A Streamlit script run cannot set a cookie (it talks to the browser over a WebSocket), so the sign-in form checks the
password, stores a session with a one-time exchange token, and sends the browser to ``/auth/session?t=…&next=…``.
That route swaps the token for a fresh cookie token (made here, so the cookie value never appears in a URL or in a
page's memory) and redirects back.

Login CSRF: whoever signs in can read their own exchange URL and could send it to someone else, whose browser would
then be signed in to the sender's account. So the exchange is bound to the signing browser: the page that sends the
browser here first puts the sign-in's random nonce in a short-lived cookie (:data:`NONCE_COOKIE`, scoped to this
route, SameSite=Strict), and the store only knows the digest of token *and* nonce. Another browser has no such cookie,
so the token matches nothing and stays unused. A request the browser marks as coming from another site
(``Sec-Fetch-Site`` other than ``same-origin``; the real hand-over is a same-origin script navigation) is refused
before the store is asked at all.

Sign-out ends the session on the server first (in the page run, or by ``POST /auth/signout``), so the cookie is
worthless from then on. ``GET /auth/signout`` only clears a cookie whose session is already over: a link or an image on
another site pointing at it cannot sign anybody out. ``POST /auth/signout`` ends a live session, but only for a request
from this site (the Origin header must be ours, and a SameSite=Lax cookie is not sent with another site's POST at all).

Cookie attributes: HttpOnly (page scripts cannot read it), SameSite=Lax (sent when a person follows a link to the
guide, so a link from a chat message opens signed in; not sent with other sites' POSTs, frames or WebSockets), Path=/
(Streamlit's WebSocket at /_stcore/stream must carry it), Secure when the request came over HTTPS (directly or through
the proxy's X-Forwarded-Proto), and a Max-Age equal to the session's absolute lifetime.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

#: The cookie's name (no "__Host-" prefix: that needs Secure, and a one-machine install runs on plain http).
COOKIE_NAME = "guide_session"
#: Where a sign-in lands when ``next`` is missing or not a path on this site.
DEFAULT_NEXT = "/editor"
#: Longest ``next`` accepted (a page path and a few query parameters).
NEXT_MAX_CHARS = 500
#: The cookie carrying a sign-in's nonce from the signing page to the exchange route (set by the page's script, read
#: and cleared here; see the module docstring).
NONCE_COOKIE = "guide_signin_nonce"
#: The exchange route's path: the nonce cookie is sent to it and nowhere else.
EXCHANGE_PATH = "/auth/session"
#: ``Sec-Fetch-Site`` values the exchange accepts: the hand-over is a script navigation from our own page. A browser
#: that sends no such header (older ones, scripts) still needs the nonce cookie.
EXCHANGE_FETCH_SITES = ("same-origin",)


def nonce_cookie(nonce: str, *, path: str = EXCHANGE_PATH) -> str:
    """The ``document.cookie`` assignment that gives the signing browser its nonce: only sent to the exchange route,
    SameSite=Strict, and gone after the exchange token's life (the page adds ``Secure`` over HTTPS)."""
    from routes.store.auth import EXCHANGE_TOKEN_TTL_S

    return f"{NONCE_COOKIE}={nonce}; Path={path}; Max-Age={EXCHANGE_TOKEN_TTL_S}; SameSite=Strict"


def safe_next(value: object, *, default: str = DEFAULT_NEXT) -> str:
    """``value`` if it is a path on this site, else ``default``: never another host ("//evil", "https://…",
    "/\\evil", control characters), so the sign-in cannot be used to bounce people elsewhere."""
    text = str(value or "")
    if not text or len(text) > NEXT_MAX_CHARS or not text.startswith("/") or text.startswith(("//", "/\\")):
        return default
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F or ch == "\\" for ch in text):
        return default
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        return default
    return text


def _is_https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the exchange token must not travel on in a Referer
    return response


def _clear_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(COOKIE_NAME, path="/", secure=_is_https(request), httponly=True, samesite="lax")


def _store() -> Any:
    from routes.store import open_store

    return open_store()


async def _session(request: Request) -> Response:
    """Swap a one-time exchange token (with the signing browser's nonce cookie) for the session cookie and go back to
    the page; from another site, or without the right nonce, only go back (the page then shows its sign-in form)."""
    from starlette.concurrency import run_in_threadpool

    from routes.store.auth import SESSION_ABSOLUTE_TIMEOUT_S, redeem_exchange

    target = safe_next(request.query_params.get("next"))
    fetch_site = request.headers.get("sec-fetch-site")
    response = _no_store(RedirectResponse(target, status_code=303))
    if fetch_site is not None and fetch_site.strip().lower() not in EXCHANGE_FETCH_SITES:
        return response  # another site sent the browser here: the token is neither used nor spent
    nonce = request.cookies.get(NONCE_COOKIE)
    token = None
    if nonce:
        token = await run_in_threadpool(lambda: redeem_exchange(_store(), request.query_params.get("t"), nonce))
        response.delete_cookie(NONCE_COOKIE, path=request.url.path, secure=_is_https(request), samesite="strict")
    if token is not None:
        response.set_cookie(
            COOKIE_NAME,
            token,
            max_age=SESSION_ABSOLUTE_TIMEOUT_S,
            path="/",
            secure=_is_https(request),
            httponly=True,
            samesite="lax",
        )
    return response


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin") or request.headers.get("referer") or ""
    parts = urlsplit(origin)
    return bool(parts.netloc) and parts.netloc == request.headers.get("host", "")


async def _signout(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    from routes.store.auth import end_session, resolve_session

    target = safe_next(request.query_params.get("next"), default="/")
    token = request.cookies.get(COOKIE_NAME)
    if request.method == "POST":
        if not _same_origin(request):
            return PlainTextResponse("cross-site sign-out refused", status_code=403)
        if token:
            await run_in_threadpool(lambda: end_session(_store(), token))
    elif token:
        live, _why = await run_in_threadpool(lambda: resolve_session(_store(), token))
        if live is not None:  # a GET never ends a live session: see the module docstring
            return _no_store(RedirectResponse(target, status_code=303))
    response = _no_store(RedirectResponse(target, status_code=303))
    _clear_cookie(response, request)
    return response


def session_routes() -> list[BaseRoute]:
    return [
        Route(EXCHANGE_PATH, _session, methods=["GET"]),
        Route("/auth/signout", _signout, methods=["GET", "POST"]),
    ]
