"""Installable and offline light pages in real Chromium on a phone (390×844, touch): the service worker saves the
route page, its assets, GPX and TCX and the map tiles shown; without a network the route page still shows its name,
map line, profile and tiles with a banner saying when it was saved, a repeat offline visit costs no byte from the
network, and a page never opened gets the offline page in its language.

The browser is this module's own: the worker must see the real network, so foreign hosts are kept out by Chromium's
resolver (no request interception through Playwright), and the tile hosts resolve to a TLS tile server on loopback
drawing plain tiles, so the tiles the map asks for really come and are really kept.
"""

from __future__ import annotations

import io
import re
import shutil
import ssl
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from harness import CHROMIUM, CHROMIUM_ARGS, PAGE_TIMEOUT_MS, PHONE, wait_async_true
from PIL import Image

pytestmark = pytest.mark.e2e

#: Screenshots of this module go to the machine's temporary folder, never into the repository.
SCREENS = Path(tempfile.gettempdir()) / "guide-offline-screens"
#: How long the worker may take to install, take control and save what the page named (a loaded 2-core machine).
SAVE_TIMEOUT_MS = 30_000
#: sw.js TILE_CACHE_MAX_ENTRIES: the bound the tile test fills past.
TILE_CACHE_MAX_ENTRIES = 800
#: Assets a route page needs offline, kept by the worker from the first visit on (under /r/s/<version>/).
ASSETS = ["leaflet/leaflet.js", "leaflet/leaflet.css", "light/viewer.js", "light/viewer.css", "light/light.css",
          "light/offline.js"]
#: The tile servers' two kinds: OpenStreetMap's sends CORS headers (the worker keeps its tiles at their real size),
#: Amap's (the default basemap of a Chinese page, routes/views/maps.py) is played here without them: its tiles are
#: kept opaque, and Chrome counts each for megabytes against the storage quota.
CORS_TILE_HOST = "tile.openstreetmap.org"
OPAQUE_TILE_HOST = "webrd01.is.autonavi.com"


@dataclass
class TileServer:
    port: int
    hits: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def total(self) -> int:
        with self.lock:
            return sum(self.hits.values())


def _tile_png() -> bytes:
    out = io.BytesIO()
    img = Image.new("RGB", (256, 256), (214, 232, 200))
    for i in range(0, 256, 32):  # a grid, so a kept tile is visible in a screenshot
        img.paste((170, 200, 160), (i, 0, i + 2, 256))
        img.paste((170, 200, 160), (0, i, 256, i + 2))
    img.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def tile_server(tmp_path_factory):
    """HTTPS on a loopback port with a self-signed certificate (the browser is told to accept it); no CORS header,
    like Amap's hosts: the worker keeps opaque tiles."""
    openssl = shutil.which("openssl")
    if not openssl:
        pytest.skip("openssl is needed to make the tile server's certificate")
    tmp = tmp_path_factory.mktemp("tiles")
    key, cert = tmp / "key.pem", tmp / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=tiles.test"],
        check=True, capture_output=True,
    )
    png = _tile_png()
    state: dict = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            server = state["server"]
            with server.lock:
                server.hits[f"{self.headers.get('Host')}{self.path}"] += 1
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.send_header("Cache-Control", "no-store")  # only the worker may keep it
            if (self.headers.get("Host") or "").startswith(CORS_TILE_HOST):
                self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    state["server"] = TileServer(httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state["server"]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def sw_browser(tile_server):
    """Chromium whose resolver sends the tile hosts to the loopback tile server and refuses every other foreign host
    (harness.BLOCK_FOREIGN_ARG, with the tile hosts mapped first): nothing leaves the machine, and no request passes
    through Playwright's interception, which would stand between the page, its worker and the HTTP cache."""
    from harness import require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    rules = (
        f"MAP *.is.autonavi.com 127.0.0.1:{tile_server.port} , MAP tile.openstreetmap.org 127.0.0.1:{tile_server.port}"
        " , MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, f"--host-resolver-rules={rules}", "--ignore-certificate-errors"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(sw_browser):
    ctx = sw_browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, locale="zh-CN",
                                 service_workers="allow")
    ctx.set_default_timeout(PAGE_TIMEOUT_MS)
    # The worker answers each "save" with the URLs it kept: the tests wait for that, not for a guess of its duration.
    ctx.add_init_script(
        "navigator.serviceWorker && navigator.serviceWorker.addEventListener('message', e => {"
        " if (e.data && e.data.type === 'saved') (window.__workerSaved = window.__workerSaved || []).push(e.data); });"
    )
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, errors
    ctx.close()


def _shot(page, name: str) -> Path:
    SCREENS.mkdir(exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


CACHE_URLS_JS = """async (name) => {
  const cache = await caches.open(name);
  return (await cache.keys()).map(r => r.url);
}"""


def _cached(page, name: str) -> list[str]:
    return page.evaluate(CACHE_URLS_JS, name)


def _wait_saved(page, base: str, route: str, *, lang_q: str = "") -> None:
    """Until the worker controls the page and has kept the page itself, its GPX and TCX and every tile the map shows
    (those of the first view were loaded before the worker was there: the page names them to it)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=SAVE_TIMEOUT_MS)
    page.wait_for_function("() => (window.__workerSaved || []).length > 0", timeout=SAVE_TIMEOUT_MS)  # all done
    wait_async_true(
        page,
        """async ([page, files, assets]) => {
             const has = async (name, url) => !!(await (await caches.open(name)).match(url));
             const kept = (await (await caches.open('tianxiang-assets-v1')).keys()).map(r => r.url);
             const tiles = [...document.querySelectorAll('.viewer-map img.leaflet-tile-loaded')].map(t => t.src);
             return tiles.length > 0
               && await has('tianxiang-pages-v1', page)
               && (await Promise.all(files.map(f => has('tianxiang-files-v1', f)))).every(Boolean)
               && (await Promise.all(tiles.map(t => has('tianxiang-tiles-v1', t)))).every(Boolean)
               && assets.every(a => kept.some(k => k.endsWith(a)));
           }""",
        [f"{base}/r/{route}{lang_q}", [f"{base}/r/{route}.gpx{lang_q}", f"{base}/r/{route}.tcx{lang_q}"], ASSETS],
        timeout_ms=SAVE_TIMEOUT_MS,
    )


class Wire:
    """What crossed the network during a visit: every response the page got that its worker did not answer, and
    every request the worker itself sent (Playwright reports both; the worker's own carry ``service_worker``)."""

    def __init__(self, ctx) -> None:
        self.page_from_network: list[tuple[str, int]] = []
        self.page_from_worker: list[str] = []
        self.worker_requests: list[str] = []
        self.worker_finished: list[tuple[str, int]] = []
        ctx.on("request", self._request)
        ctx.on("requestfinished", self._finished)

    def _request(self, request) -> None:
        if request.service_worker is not None:
            self.worker_requests.append(request.url)

    def _finished(self, request) -> None:
        size = request.sizes()
        received = size["responseBodySize"] + size["responseHeadersSize"]
        if request.service_worker is not None:
            self.worker_finished.append((request.url, received))
            return
        response = request.response()
        if response is not None and response.from_service_worker:
            self.page_from_worker.append(request.url)
        elif not request.url.startswith("data:"):
            self.page_from_network.append((request.url, received))

    def network_bytes(self) -> int:
        return sum(n for _, n in self.page_from_network) + sum(n for _, n in self.worker_finished)


def test_a_route_page_opened_once_reads_offline_with_line_profile_tiles_and_banner(guide_server, phone, tile_server):
    page, errors = phone
    base = guide_server.url
    ctx = page.context
    # The worker's script is asked for only after the page's load event: nothing of the first visit waits for it.
    moments: dict[str, float] = {}
    page.on("load", lambda _: moments.setdefault("load", time.monotonic()))
    ctx.on("request", lambda r: r.url.endswith("/r/sw.js") and moments.setdefault("sw", time.monotonic()))
    page.goto(f"{base}/r/tianxiang")
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    moments.setdefault("line", time.monotonic())
    _wait_saved(page, base, "tianxiang")
    assert moments["line"] < moments["sw"] and moments["load"] < moments["sw"], moments
    assert page.evaluate("() => navigator.serviceWorker.controller.scriptURL") == f"{base}/r/sw.js"
    assert page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).scope") == f"{base}/r/"
    assert tile_server.total() > 0
    # Both offline pages are kept from the install on.
    assert set(_cached(page, "tianxiang-offline-v1")) == {f"{base}/r/offline.html", f"{base}/r/offline.html?lang=en"}
    assert page.locator(".offline-banner").count() == 0  # online: no banner

    ctx.set_offline(True)
    tiles_before = tile_server.total()
    page.reload()
    assert page.locator("h1").inner_text() == "天香骑行线"
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    assert page.locator(".viewer-map path.route-line").count() >= 2
    assert page.locator("svg.elevation-profile path.band").count() >= 2
    page.locator(".viewer-map img.leaflet-tile-loaded").first.wait_for(state="attached")  # tiles from the worker
    banner = page.locator(".offline-banner")
    assert banner.is_visible()
    assert banner.get_attribute("role") == "status"
    assert re.fullmatch(r"离线浏览：本页保存于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）", banner.inner_text()), (
        banner.inner_text()
    )
    saved = page.locator('meta[name="offline-saved"]').get_attribute("content")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", saved)
    # Beijing time is UTC+8: the banner's clock is the saved moment's.
    hh = (int(saved[11:13]) + 8) % 24
    assert f"{hh:02d}:{saved[14:16]}" in banner.inner_text()
    page.wait_for_load_state("load")
    _shot(page, "offline-route-zh")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]

    # A second offline visit: everything from the worker, nothing from the network.
    page.wait_for_timeout(1500)  # the first offline visit's own late requests are not the second's
    wire = Wire(ctx)
    page.reload()
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    page.locator(".viewer-map img.leaflet-tile-loaded").first.wait_for(state="attached")
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)  # offline.js asks the worker to save the downloads again: it cannot, and must not try
    assert wire.page_from_network == []
    assert wire.network_bytes() == 0, (wire.worker_finished, wire.page_from_network)
    assert any(u.endswith("/r/tianxiang") for u in wire.page_from_worker)
    assert any("leaflet.js" in u for u in wire.page_from_worker)
    assert any(urlsplit(u).hostname.endswith(".is.autonavi.com") for u in wire.page_from_worker)
    assert tile_server.total() == tiles_before

    # The route's downloads open offline too.
    gpx = page.evaluate("async () => { const r = await fetch('/r/tianxiang.gpx'); return [r.status, await r.text()]; }")
    assert gpx[0] == 200 and "<gpx" in gpx[1] and "</gpx>" in gpx[1]
    tcx = page.evaluate("async () => (await fetch('/r/tianxiang.tcx')).status")
    assert tcx == 200
    assert errors == []


def test_a_page_never_opened_gets_the_offline_page_in_its_language(guide_server, phone):
    page, errors = phone
    base = guide_server.url
    page.goto(f"{base}/r/tianxiang")
    _wait_saved(page, base, "tianxiang")
    page.context.set_offline(True)

    page.goto(f"{base}/r/caoe-riverside?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "You are offline"
    page.wait_for_load_state("load")
    main = page.locator("main").inner_text()
    assert not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", main), main
    assert "No page has been saved yet." in main  # only a Chinese page is saved: the English list is empty
    _shot(page, "offline-never-opened-en")

    page.goto(f"{base}/r/poi/seed-dongjiang-view")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "现在没有网络"
    saved = page.locator(".saved-pages a")
    saved.first.wait_for()
    assert saved.first.inner_text() == "天香骑行线"
    # The language switch leads to this same page in English (the offline page stood in for it).
    assert page.locator(".top .lang").get_attribute("href") == "/r/poi/seed-dongjiang-view?lang=en"
    main = page.locator("main").inner_text()
    assert not re.search(r"[A-Za-z]", main), main
    assert not page.locator("[data-offline-none]").is_visible()
    _shot(page, "offline-never-opened-zh")

    # From the offline page to the saved route: the saved copy, with its banner.
    saved.first.click()
    page.wait_for_url(f"{base}/r/tianxiang")
    page.locator(".offline-banner").wait_for()
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    assert errors == []


LOAD_IMAGES_JS = """async (urls) => {
  await Promise.all(urls.map(u => new Promise(done => {
    const img = new Image(); img.onload = img.onerror = () => done(); img.src = u;
  })));
}"""


def _tile_count(page) -> int:
    return page.evaluate("async () => (await (await caches.open('tianxiang-tiles-v1')).keys()).length")


def test_tiles_the_rider_has_seen_are_kept_up_to_the_bound_oldest_dropped(guide_server, phone, tile_server):
    page, errors = phone
    base = guide_server.url
    page.goto(f"{base}/r/tianxiang?lang=en")  # the English page's map starts on OpenStreetMap
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=SAVE_TIMEOUT_MS)
    first = [f"https://{CORS_TILE_HOST}/18/{i}/1.png" for i in range(20)]
    later = [f"https://{CORS_TILE_HOST}/18/{i}/2.png" for i in range(TILE_CACHE_MAX_ENTRIES)]
    page.evaluate(LOAD_IMAGES_JS, first)
    wait_async_true(
        page,
        "async (urls) => { const c = await caches.open('tianxiang-tiles-v1');"
        " return (await Promise.all(urls.map(u => c.match(u)))).every(Boolean); }",
        first, timeout_ms=SAVE_TIMEOUT_MS,
    )
    for i in range(0, len(later), 100):  # in order, a hundred at a time: the oldest are the first ones
        page.evaluate(LOAD_IMAGES_JS, later[i : i + 100])
    kept: list[str] = []
    deadline = time.monotonic() + SAVE_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        kept = _cached(page, "tianxiang-tiles-v1")
        if len(kept) == TILE_CACHE_MAX_ENTRIES and set(kept) == set(later):
            break
        page.wait_for_timeout(250)
    assert len(kept) == TILE_CACHE_MAX_ENTRIES
    assert set(kept) == set(later)  # the map's own tiles and the first twenty were the oldest: dropped
    # Kept at their real size (CORS), not padded: 800 tiles are far below what 800 opaque ones would count.
    usage = page.evaluate("async () => (await navigator.storage.estimate()).usageDetails.caches")
    assert usage < 100_000_000, usage
    # A kept tile is served by the worker, not fetched again.
    hits = tile_server.total()
    page.evaluate(LOAD_IMAGES_JS, later[-5:])
    assert tile_server.total() == hits
    assert errors == []


def test_opaque_tiles_past_the_storage_quota_never_cost_the_saved_pages(guide_server, phone, tile_server):
    """Tiles without CORS are opaque and count megabytes each against the quota: a rider who pans far enough fills
    it. The worker then drops the oldest half of the tiles and goes on; the saved page and its files stay."""
    page, errors = phone
    base = guide_server.url
    page.goto(f"{base}/r/tianxiang")
    _wait_saved(page, base, "tianxiang")
    quota_errors_seen = 0
    previous = _tile_count(page)
    for i in range(0, TILE_CACHE_MAX_ENTRIES, 100):
        page.evaluate(LOAD_IMAGES_JS, [f"https://{OPAQUE_TILE_HOST}/appmaptile?x={i + j}&y=7&z=18" for j in range(100)])
        count = _tile_count(page)
        quota_errors_seen += count < previous + 50  # a put was refused and the oldest half went
        previous = count
    assert quota_errors_seen, "the quota was never reached: this test no longer tests the quota"
    assert 0 < _tile_count(page) <= TILE_CACHE_MAX_ENTRIES
    page.context.set_offline(True)
    page.reload()
    page.locator(".offline-banner").wait_for()
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    assert page.evaluate("async () => (await fetch('/r/tianxiang.gpx')).status") == 200
    assert errors == []
