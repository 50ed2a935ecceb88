"""Browser-test helpers: start a fresh Streamlit server, block foreign hosts, wait for the app, take screenshots."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: For benchmarks: every host but loopback fails to resolve inside Chromium's network service, so nothing leaves the
#: machine without routing each request through the driver (as open_context does), which costs a round trip through
#: Python per request and would be counted as the page's own time.
BLOCK_FOREIGN_ARG = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"
#: A cold Streamlit process imports the app, creates and seeds the database before /_stcore/health answers.
SERVER_START_TIMEOUT_S = 60
#: First view of a page analyses the seed routes; later views hit the cache.
PAGE_TIMEOUT_MS = 60_000
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
#: Map tiles are the only thing allowed to come from elsewhere (and are blocked here too: the line must still draw).
TILE_HOST_SUFFIXES = (".is.autonavi.com", "tile.openstreetmap.org", ".tile.opentopomap.org", ".tianditu.gov.cn")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class GuideServer:
    url: str
    proc: subprocess.Popen
    log: Path
    db_url: str = ""


def start_server(tmp: Path) -> GuideServer:
    """`streamlit run app.py` on a free loopback port with a new SQLite database in ``tmp``."""
    port = _free_port()
    db_url = f"sqlite:///{tmp / 'guide.db'}"
    env = {**os.environ, "GUIDE_DATABASE_URL": db_url}
    env.pop("GUIDE_TIANDITU_KEY", None)
    log = tmp / "streamlit.log"
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return GuideServer(url, proc, log, db_url)
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"streamlit did not answer within {SERVER_START_TIMEOUT_S} s:\n{log.read_text(errors='replace')}")


def stop_server(server: GuideServer) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()


@dataclass
class Traffic:
    """Requests the page tried to make outside the machine; all of them were aborted."""

    blocked: list[str] = field(default_factory=list)

    def foreign_non_tile(self) -> list[str]:
        return [u for u in self.blocked if not (urlsplit(u).hostname or "").endswith(TILE_HOST_SUFFIXES)]

    def tile_hosts(self) -> set[str]:
        return {urlsplit(u).hostname or "" for u in self.blocked} - {
            urlsplit(u).hostname or "" for u in self.foreign_non_tile()
        }


def open_context(chromium, viewport: dict, *, locale: str = "zh-CN", **options):
    """A browser context in which every request to a host other than loopback is aborted and recorded; the browser's
    own language is ``locale`` (a Chinese browser unless told otherwise)."""
    ctx = chromium.new_context(viewport=viewport, locale=locale, **options)
    traffic = Traffic()

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or urlsplit(url).hostname in LOOPBACK_HOSTS:
            route.continue_()
        else:
            traffic.blocked.append(url)
            route.abort()

    ctx.route("**/*", guard)
    ctx.set_default_timeout(PAGE_TIMEOUT_MS)
    return ctx, traffic


def wait_for_app(page, *, settle_s: float = 0.5) -> None:
    """Until Streamlit has finished running the script and no element is a loading skeleton."""
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_selector('[data-testid="stMain"] h1')
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    quiet_since = None
    while time.monotonic() < deadline:
        busy = page.locator('[data-testid="stStatusWidget"]').count() + page.locator(
            '[data-testid="stSkeleton"]'
        ).count()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= settle_s:
            return
        time.sleep(0.1)
    raise AssertionError("the app kept running past the page timeout")


#: streamlit-folium's frame, whatever title the page script has given it (Streamlit titles it with the component name).
#: A map that returns nothing to the page is a plain srcdoc frame (pages._shared.show_static_map: the editor's upload
#: preview).
MAP_FRAME_SELECTOR = ('iframe[src*="streamlit_folium.st_folium"], iframe[title="streamlit_folium.st_folium"], '
                      'iframe[srcdoc*="leaflet"]')


def map_frame(page, index: int = 0):
    return page.frame_locator(MAP_FRAME_SELECTOR).nth(index)


def screenshot_page(page, name: str) -> Path:
    """The whole page of a plain HTML page (the light pages scroll the document itself)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def viewer_frame(page, index: int = 0):
    """The map + profile viewer the Streamlit route page embeds from /r/<slug>/embed."""
    return page.frame_locator('iframe[src*="/embed"]').nth(index)


def screenshot(page, name: str) -> Path:
    """The whole page (Streamlit scrolls inside its main element, so the viewport is stretched to fit first)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]');
                   return Math.max(m ? m.scrollHeight : 0, document.scrollingElement.scrollHeight); }"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 10_000)})
    page.wait_for_timeout(600)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


#: The staff account the shared e2e server has (conftest.guide_server): the race planner is behind the sign-in.
STAFF_USER, STAFF_PASSWORD = "organiser1", "correct horse battery"
#: URL paths only signed-in staff can see (app.py); opening one signs in on the form it shows first.
STAFF_PATHS = ("race",)


def open_page(page, base_url: str, path: str, *, user: str = STAFF_USER, password: str = STAFF_PASSWORD) -> None:
    """Open ``path`` (with its query) and wait for the app; a staff page is opened by signing in on the sign-in form
    the visitor sees there (language-independent: the inputs are found by their autocomplete role)."""
    page.goto(f"{base_url}/{path}")
    wait_for_app(page)
    if path.split("?")[0] not in STAFF_PATHS or not page.locator('input[autocomplete="username"]').count():
        return
    page.locator('input[autocomplete="username"]').fill(user)
    page.locator('input[type="password"]').fill(password)
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    page.wait_for_function("() => !document.querySelector('input[autocomplete=\"username\"]')", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_url(f"**/{path.split('?')[0]}*")
    wait_for_app(page)


def touch(page, points: list[tuple[float, float]]) -> None:
    """One finger down at the first point, through the others (a frame apart), up: real touch events through the
    DevTools protocol, which the browser handles as a phone's (scrolling, flings, taps)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": points[0][0], "y": points[0][1]}]})
    for x, y in points[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def main_text(page) -> str:
    """What the page's main area says (Streamlit's stMain), as a person reads it."""
    return page.locator('[data-testid="stMain"]').inner_text()


def wait_text(page, text: str, timeout_s: float = 60) -> None:
    """Wait until the main area says ``text``; fail with what it says instead."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if text in main_text(page):
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear; page says:\n{main_text(page)[:2000]}")


def require_chromium() -> None:
    """Skip on a developer machine without Debian's Chromium; in CI, where .ci/run installs it, fail instead."""
    if not Path(CHROMIUM).exists():
        message = "Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


#: How often an asynchronous browser check is asked again.
ASYNC_POLL_MS = 250


def wait_async_true(page, js: str, arg: object = None, *, timeout_ms: float) -> None:
    """Until the async function ``js`` resolves to true. Not ``page.wait_for_function``: it takes an async
    predicate's Promise itself as a truthy answer and returns at once (Playwright 1.65), so a cache that was never
    filled would pass."""
    deadline = time.monotonic() + timeout_ms / 1000
    while page.evaluate(js, arg) is not True:
        assert time.monotonic() < deadline, f"not true within {timeout_ms:.0f} ms: {js[:200]}"
        page.wait_for_timeout(ASYNC_POLL_MS)
