"""The offline worker (static/light/sw.js) keeps the POI photos a rider has seen and the public race pages, in real
Chromium on a phone (390×844, touch): a route page scrolled to its photos reloads offline with the page and every
photo shown, out of the worker's photo cache (the browser's HTTP cache is emptied first, so nothing else could answer);
a published race page and its closure notice read offline with the saved-copy banner, while the notice's PDF stays
network only; an unpublished race's saved copy is dropped.

The browser is this module's own, as in test_offline.py: the worker must see the real network, so foreign hosts are
refused by Chromium's resolver (harness.BLOCK_FOREIGN_ARG) rather than by Playwright's request interception, which
would stand between the page, its worker and the HTTP cache. Map tiles are refused too: the pages draw without them.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import pytest
from harness import BLOCK_FOREIGN_ARG, CHROMIUM, CHROMIUM_ARGS, PAGE_TIMEOUT_MS, PHONE, STAFF_USER

pytestmark = pytest.mark.e2e

#: Screenshots of this module go outside the repository (looked at by hand, never compared).
SCREENS = Path(tempfile.gettempdir()) / "shots-offline-photos"
#: How long the worker may take to install, take control and save what the page named (a loaded 2-core machine).
SAVE_TIMEOUT_MS = 30_000
#: The worker's caches (sw.js CACHE, schema v1).
PAGES_CACHE = "tianxiang-pages-v1"
PHOTOS_CACHE = "tianxiang-photos-v1"
#: A photo rendition's URL (routes/web/photos.py NAME_RE, routes/views/photos.py RENDITION_WIDTHS_PX).
PHOTO_URL_RE = re.compile(r"/r/photo/[0-9a-f]{32}-(320|640|1280)\.(webp|jpg)$")
#: Seed photos on the Tianxiang route page's photo grid (tests/e2e/test_light_photos.py counts the same three).
TIANXIANG_PHOTOS = 3
#: A race of this module's own, so no other module's plan is touched: 3 laps of the seed loop.
RACE_SLUG = "offline-lianghu"
RACE_NAME_ZH, RACE_NAME_EN = "两湖环湖赛", "Two Lakes Race"


@pytest.fixture(scope="module")
def sw_browser():
    from harness import require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, BLOCK_FOREIGN_ARG])
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


def _shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _cached(page, name: str) -> list[str]:
    return page.evaluate("async (name) => (await (await caches.open(name)).keys()).map(r => r.url)", name)


HAS_JS = "async ([name, url]) => !!(await (await caches.open(name)).match(url))"
HAS_ALL_JS = ("async ([name, urls]) => { const c = await caches.open(name);"
              " return (await Promise.all(urls.map(u => c.match(u)))).every(Boolean); }")


def _wait_until(page, js: str, arg: object) -> None:
    """Until the async ``js`` gives true. Not page.wait_for_function: it takes an async predicate's Promise itself
    for a truthy answer and returns at once (Playwright 1.65), so a cache that was never filled would pass."""
    deadline = time.monotonic() + SAVE_TIMEOUT_MS / 1000
    while page.evaluate(js, arg) is not True:
        assert time.monotonic() < deadline, f"not true within {SAVE_TIMEOUT_MS} ms: {js} {arg}"
        page.wait_for_timeout(250)


def _wait_controlled_and_saved(page, url: str) -> None:
    """Until the worker controls the page and has saved the page itself (the first visit names it to the worker)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=SAVE_TIMEOUT_MS)
    page.wait_for_function("() => (window.__workerSaved || []).length > 0", timeout=SAVE_TIMEOUT_MS)
    _wait_until(page, HAS_JS, [PAGES_CACHE, url])


def _empty_http_cache(page) -> None:
    """Offline, only the worker may answer: the browser's HTTP cache (a week for a photo) is emptied."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.clearBrowserCache")
    cdp.detach()


def _show_photos(page) -> list[str]:
    """Scroll each photo of the grid into view and wait until it is drawn; the renditions the browser chose."""
    imgs = page.locator(".photo-grid img")
    imgs.first.wait_for(state="attached")
    shown = []
    for i in range(imgs.count()):
        imgs.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=imgs.nth(i).element_handle(),
                               timeout=SAVE_TIMEOUT_MS)
        shown.append(imgs.nth(i).evaluate("img => img.currentSrc"))
    return shown


def _photo_responses(ctx) -> list[tuple[str, bool]]:
    """Every photo response the pages of ``ctx`` get from now on, and whether the worker answered it."""
    seen: list[tuple[str, bool]] = []

    def on_response(response) -> None:
        if PHOTO_URL_RE.search(response.url) and response.request.service_worker is None:
            seen.append((response.url, response.from_service_worker))

    ctx.on("response", on_response)
    return seen


def test_route_page_photos_seen_once_show_offline_from_the_worker(guide_server, phone):
    page, errors = phone
    base = guide_server.url
    page.goto(f"{base}/r/tianxiang")
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    _wait_controlled_and_saved(page, f"{base}/r/tianxiang")
    # Nothing below the first screen was shown yet, so no photo is kept: the worker prefetches none.
    assert _cached(page, PHOTOS_CACHE) == []

    # Scrolled down: the lazy photos load now, through the worker, which keeps each one it answered.
    shown = _show_photos(page)
    assert len(shown) == TIANXIANG_PHOTOS and all(PHOTO_URL_RE.search(u) for u in shown), shown
    _wait_until(page, HAS_ALL_JS, [PHOTOS_CACHE, shown])
    # Exactly the renditions shown: no other width or format of the same photos, no photo of another page.
    assert sorted(_cached(page, PHOTOS_CACHE)) == sorted(set(shown))

    _empty_http_cache(page)
    page.context.set_offline(True)
    answers = _photo_responses(page.context)
    page.reload()
    assert page.locator("h1").inner_text() == "天香骑行线"
    page.locator(".offline-banner").wait_for()  # the saved copy of the page
    again = _show_photos(page)
    assert again == shown
    for i in range(TIANXIANG_PHOTOS):
        assert page.locator(".photo-grid img").nth(i).evaluate("img => img.naturalWidth") > 0
    assert sorted(u for u, _ in answers) == sorted(shown)
    assert all(from_worker for _, from_worker in answers), answers
    _shot(page, "route-photos-offline")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert errors == []


def test_a_place_page_photo_shows_offline_after_a_view_with_the_worker(guide_server, phone):
    """A place page's photo is in its first screen: on the first visit it loads before the worker is installed, so it
    is kept from the next view on (offline.js names the first view's tiles to the worker, not yet its photos)."""
    page, errors = phone
    base = guide_server.url
    page.goto(f"{base}/r/tianxiang")
    place = page.locator(".photo-grid .photo-name a").first.get_attribute("href")
    assert re.fullmatch(r"/r/poi/[^/?]+", place), place
    page.goto(f"{base}{place}")
    _wait_controlled_and_saved(page, f"{base}{place}")
    page.reload()  # with the worker: the page and its photo pass through it
    photo = page.locator(".place-photo img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    src = photo.evaluate("img => img.currentSrc")
    assert PHOTO_URL_RE.search(src), src
    _wait_until(page, HAS_JS, [PHOTOS_CACHE, src])

    _empty_http_cache(page)
    page.context.set_offline(True)
    page.reload()
    page.locator(".offline-banner").wait_for()
    photo = page.locator(".place-photo img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle(),
                           timeout=SAVE_TIMEOUT_MS)
    assert photo.evaluate("img => img.currentSrc") == src
    _shot(page, "place-photo-offline")
    assert errors == []


@pytest.fixture(scope="module")
def published_race(guide_server):
    """A published plan of 3 laps of the seed loop, written to the running server's database as the planner does."""
    from routes.race.plan import Marker, RacePlan, parse_start
    from routes.race.roads import RoadName
    from routes.store import open_store

    plan = RacePlan(
        name=RACE_NAME_ZH,
        name_en=RACE_NAME_EN,
        route_slugs=("lianghu-loop",),
        start=parse_start("2026-05-01 08:00"),
        laps=3,
        markers=(Marker("feed", 5000.0, label="南穴村"), Marker("kom", 9000.0, category="4")),
        roads=(RoadName(0.0, "环湖路", "Lakeside Road"), RoadName(7000.0, "南穴路")),
        organiser="两湖体育协会",
        contact="0571-12345678",
    )
    store = open_store(guide_server.db_url)
    store.save_race_plan(RACE_SLUG, plan.to_dict(), user=STAFF_USER, expected_version=None)
    store.set_race_plan_published(RACE_SLUG, True, user=STAFF_USER)
    yield store
    store.set_race_plan_published(RACE_SLUG, False, user=STAFF_USER)


def test_a_published_race_page_and_its_closures_read_offline_but_not_its_pdf(guide_server, phone, published_race):
    page, errors = phone
    base = guide_server.url
    race, closures_en = f"{base}/r/race/{RACE_SLUG}", f"{base}/r/race/{RACE_SLUG}/closures?lang=en"
    page.goto(race)
    assert page.locator("h1").inner_text() == RACE_NAME_ZH
    _wait_controlled_and_saved(page, race)
    page.goto(closures_en)  # controlled now: the worker saves it as it passes
    closures_title = page.locator("h1").inner_text()
    _wait_until(page, HAS_JS, [PAGES_CACHE, closures_en])
    # The PDF and the CSV come from the network and are kept by no cache of the worker.
    pdf = f"/r/race/{RACE_SLUG}/closures.pdf?size=A4&lang=en"
    assert page.evaluate("async (u) => (await fetch(u)).status", pdf) == 200
    assert page.evaluate("async (u) => (await fetch(u)).status", f"/r/race/{RACE_SLUG}/closures.csv") == 200
    kept = page.evaluate("async () => { const out = [];"
                         " for (const n of await caches.keys()) out.push(...(await (await caches.open(n)).keys())"
                         ".map(r => r.url)); return out; }")
    assert not [u for u in kept if "/closures." in u], kept

    _empty_http_cache(page)
    page.context.set_offline(True)
    page.reload()
    page.locator(".offline-banner").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == closures_title
    assert re.match(r"Offline: saved on ", page.locator(".offline-banner").inner_text())
    _shot(page, "race-closures-offline-en")
    page.goto(race)
    page.locator(".offline-banner").wait_for()
    assert page.locator("h1").inner_text() == RACE_NAME_ZH
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    _shot(page, "race-offline-zh")
    # Network only: offline, the PDF is not there (no saved copy stands in for it).
    assert page.evaluate("async (u) => { try { await fetch(u); return 'answered'; }"
                         " catch (e) { return 'failed'; } }", pdf) == "failed"

    # Withdrawn: the next online visit gets the 404 and the phone drops its saved copy.
    page.context.set_offline(False)
    published_race.set_race_plan_published(RACE_SLUG, False, user=STAFF_USER)
    try:
        assert page.goto(race).status == 404
        _wait_until(page, "async ([name, url]) => !(await (await caches.open(name)).match(url))", [PAGES_CACHE, race])
    finally:
        published_race.set_race_plan_published(RACE_SLUG, True, user=STAFF_USER)
    assert errors == []


SW_KIND_JS = """async (paths) => {
  const text = await (await fetch('/r/sw.js')).text();
  const kind = new Function(text + '\\nreturn kind;')();
  return paths.map(p => kind(new URL(p, location.origin)));
}"""


def test_the_served_worker_classifies_photos_race_pages_and_their_downloads(guide_server, sw_browser):
    """sw.js's kind() on the script the server serves: which URLs are pages (saved), photos (kept when shown) and
    which stay network only. Run in a page of the site's origin with its policy bypassed, the worker not installed."""
    ctx = sw_browser.new_context(bypass_csp=True, service_workers="block")
    try:
        page = ctx.new_page()
        page.goto(f"{guide_server.url}/r/offline.html")
        photo = "/r/photo/" + "0123456789abcdef" * 2
        expected = {
            f"/r/race/{RACE_SLUG}": "page",
            f"/r/race/{RACE_SLUG}/closures": "page",
            f"/r/race/{RACE_SLUG}/closures?lang=en": "page",
            f"/r/race/{RACE_SLUG}/closures.pdf": "other",
            f"/r/race/{RACE_SLUG}/closures.csv": "other",
            f"/r/race/{RACE_SLUG}.png": "other",
            f"/r/race/{RACE_SLUG}/other": "other",
            "/r/tianxiang": "page",
            "/r/poi/seed-dongjiang-view": "page",
            "/r/tianxiang.gpx": "file",
            f"{photo}-320.webp": "photo",
            f"{photo}-640.webp": "photo",
            f"{photo}-1280.jpg": "photo",
            f"{photo}-800.webp": "other",  # not a rendition width: the server's 404, never kept
            f"{photo}-640.png": "other",
            "/r/photo/0123-640.webp": "other",
        }
        got = page.evaluate(SW_KIND_JS, list(expected))
        assert dict(zip(expected, got, strict=True)) == expected
    finally:
        ctx.close()
