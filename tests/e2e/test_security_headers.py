"""The served app's own security layer: headers on every response, a CSP under which every page still works (no
violation in any frame, maps drawn), a closed metrics endpoint, and clear_cache refused from any WebSocket client."""

from __future__ import annotations

import asyncio
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    GuideServer,
    map_frame,
    open_context,
    require_chromium,
    start_server,
    stop_server,
    wait_for_app,
)

from routes.web.security import METRICS_TOKEN_ENV

TOKEN = "test-metrics-token"
#: Streamlit recomputes its cache-size metrics at most every 5 s.
METRICS_TTL_S = 5.5
PUBLIC_PAGES = ("/?lang=zh", "/route?id=tianxiang&lang=en", "/pois?lang=zh", "/race?lang=zh", "/editor?lang=zh")
#: The app's own server-rendered pages (routes/web/light.py): no Streamlit on them, same policy.
LIGHT_PAGES = ("/r/?lang=zh", "/r/tianxiang", "/r/tianxiang/embed?lang=en")
#: Pages with a folium map (same-origin component iframe) and the route page with the shared viewer (/r/.../embed).
MAP_PAGES = ("/?lang=zh", "/pois?lang=zh")
VIEWER_PAGES = ("/route?id=tianxiang&lang=en",)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[GuideServer]:
    require_chromium()
    before = os.environ.get(METRICS_TOKEN_ENV)
    os.environ[METRICS_TOKEN_ENV] = TOKEN
    try:
        srv = start_server(tmp_path_factory.mktemp("security"))
    finally:
        if before is None:
            os.environ.pop(METRICS_TOKEN_ENV, None)
        else:
            os.environ[METRICS_TOKEN_ENV] = before
    yield srv
    stop_server(srv)


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], str]:
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read().decode(errors="replace")
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, ""


@pytest.mark.parametrize("path", ["/", "/r/ping", "/app/static/NOTICE.md", "/_stcore/health"])
def test_security_headers_on_every_response(server, path):
    status, headers, _ = _get(server.url + path)
    assert status in (200, 404)
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert "object-src 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-content-type-options"] == "nosniff"


def test_metrics_are_closed_without_the_token(server):
    assert _get(server.url + "/_stcore/metrics")[0] == 404
    assert _get(server.url + "/_stcore/metrics", Authorization="Bearer wrong")[0] == 404
    status, _, body = _get(server.url + "/_stcore/metrics", Authorization=f"Bearer {TOKEN}")
    assert status == 200 and "cache_" in body


def _store_cache_lines(server) -> list[str]:
    body = _get(server.url + "/_stcore/metrics", Authorization=f"Bearer {TOKEN}")[2]
    return [line for line in body.splitlines() if line.startswith("cache_memory_bytes") and "_store_for" in line]


def test_clear_cache_from_a_websocket_client_is_refused(server):
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg

    async def session() -> tuple[list[str], list[str]]:
        url = server.url.replace("http", "ws", 1) + "/_stcore/stream"
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
            run = BackMsg()
            run.rerun_script.query_string = "lang=zh"
            await ws.send(run.SerializeToString())
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # until the script run has finished sending
                try:
                    await asyncio.wait_for(ws.recv(), 3)
                except TimeoutError:
                    break
            await asyncio.sleep(METRICS_TTL_S)
            before = _store_cache_lines(server)
            clear = BackMsg()
            clear.clear_cache = True
            await ws.send(clear.SerializeToString())
            await asyncio.sleep(METRICS_TTL_S)
            return before, _store_cache_lines(server)

    before, after = asyncio.run(session())
    assert before, "the script run filled the store cache"
    assert after == before  # without the middleware every cache is empty now, for every visitor


def test_every_page_works_under_the_csp(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for path in PUBLIC_PAGES:
                ctx, _ = open_context(browser, DESKTOP)
                page = ctx.new_page()
                refused: list[str] = []
                page.on(
                    "console",
                    lambda m, out=refused: out.append(m.text) if "Content Security Policy" in m.text else None,
                )
                page.goto(server.url + path)
                wait_for_app(page)
                page.wait_for_timeout(1500)
                assert refused == [], (path, refused)
                if path in MAP_PAGES:  # the map's same-origin iframe is allowed and its scripts ran
                    assert map_frame(page).locator(".leaflet-container").count() == 1, path
                if path in VIEWER_PAGES:  # the viewer's iframe is framed by its own origin and draws its map
                    viewer = page.frame_locator('iframe[src*="/embed"]').locator(".leaflet-container")
                    viewer.first.wait_for()
                    assert viewer.count() >= 1, path
                ctx.close()
            for path in LIGHT_PAGES:
                ctx, _ = open_context(browser, DESKTOP)
                page = ctx.new_page()
                refused = []
                page.on(
                    "console",
                    lambda m, out=refused: out.append(m.text) if "Content Security Policy" in m.text else None,
                )
                response = page.goto(server.url + path)
                assert response is not None and response.status == 200, path
                page.wait_for_load_state("networkidle")
                assert refused == [], (path, refused)
                ctx.close()
        finally:
            browser.close()
