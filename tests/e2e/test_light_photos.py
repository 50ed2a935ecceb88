"""POI photos on the light pages in real Chromium at 390×844 on a weak signal (CDP: 1.6 Mbit/s down, 150 ms): the
route page's first screen stays within its byte budget with the seed photos present and fetches no photo until the
photo grid comes near the screen; then the right renditions load. Every foreign host is blocked (map tiles too).

Run alone with ``-s`` to print the measured figures (docs/performance.md quotes them)."""

from __future__ import annotations

import re

import pytest
from harness import PHONE, open_context

pytestmark = pytest.mark.e2e

#: Issue 10's and 23's budget for the light route page's first screen, images included, in bytes on the wire.
FIRST_SCREEN_BUDGET_BYTES = 300_000
#: The weak signal of the budget: 1.6 Mbit/s down, 0.75 Mbit/s up, 150 ms latency (as benchmarks/bench_light.py).
WEAK_SIGNAL = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
               "uploadThroughput": 750_000 / 8}
#: After the first screen is drawn, how long to watch for requests that should not come (lazy photos), in ms.
QUIET_MS = 1500


class _Wire:
    """Bytes of every response as Chromium's network layer counts them (encodedDataLength: headers and compressed
    body), with each request's URL."""

    def __init__(self, cdp) -> None:
        self.urls: dict[str, str] = {}
        self.done: dict[str, int] = {}
        cdp.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: self.done.__setitem__(e["requestId"], int(e["encodedDataLength"])))

    def total(self) -> int:
        return sum(self.done.values())

    def photo_urls(self) -> list[str]:
        return sorted(u for u in self.urls.values() if "/r/photo/" in u)


@pytest.fixture
def weak_phone(chromium):
    ctx, traffic = open_context(chromium, PHONE, has_touch=True, is_mobile=True,
                                service_workers="block")  # the first screen alone, without the offline worker
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", WEAK_SIGNAL)
    yield page, cdp, traffic
    ctx.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_route_page_first_screen_stays_in_budget_and_photos_load_lazily(guide_server, weak_phone, lang, capsys):
    page, cdp, traffic = weak_phone
    wire = _Wire(cdp)
    page.goto(f"{guide_server.url}/r/tianxiang" + ("?lang=en" if lang == "en" else ""), wait_until="load")
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    page.wait_for_timeout(QUIET_MS)
    first_screen = wire.total()
    # The photos sit far below the first screen: not one rendition has been asked for yet.
    assert wire.photo_urls() == []
    assert page.locator("#photos").evaluate("e => e.getBoundingClientRect().top") > PHONE["height"] * 2
    assert first_screen <= FIRST_SCREEN_BUDGET_BYTES, first_screen
    with capsys.disabled():
        print(f"\n[{lang}] /r/tianxiang first screen at 390x844, 1.6 Mbit/s + 150 ms: {first_screen} bytes "
              f"in {len(wire.done)} responses")

    # Scrolled to the photos: each card's WebP for its drawn width (358 CSS px at 1× → the 640 px rendition).
    page.locator("#photos").scroll_into_view_if_needed()
    imgs = page.locator(".photo-grid img")
    assert imgs.count() == 3
    for i in range(3):
        imgs.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=imgs.nth(i).element_handle())
    fetched = wire.photo_urls()
    assert len(fetched) == 3 and all(re.search(r"/r/photo/[0-9a-f]{32}-640\.webp$", u) for u in fetched), fetched
    # The browser took the 640 px candidate for a 358 px box (naturalWidth is then scaled by 358/640, the density).
    sizes = [imgs.nth(i).evaluate("img => [img.currentSrc, img.naturalWidth, img.naturalHeight]") for i in range(3)]
    assert all(src.endswith("-640.webp") and (w, h) == (358, 238) for src, w, h in sizes), sizes
    # Width and height attributes keep each box's shape: the drawn box is 3:2 like the photo.
    box = imgs.first.bounding_box()
    assert abs(box["width"] / box["height"] - 1.5) < 0.02, box
    with capsys.disabled():
        print(f"[{lang}] after scrolling to the photos: {wire.total()} bytes; photos fetched: {len(fetched)}")
    assert traffic.foreign_non_tile() == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_place_page_shows_its_photo_at_once_with_alt_and_credit(guide_server, weak_phone, lang, capsys):
    page, cdp, _ = weak_phone
    wire = _Wire(cdp)
    page.goto(f"{guide_server.url}/r/poi/seed-dongjiang-view" + ("?lang=en" if lang == "en" else ""),
              wait_until="load")
    img = page.locator(".place-photo img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    assert img.get_attribute("alt") == ("东江湖观景台" if lang == "zh" else "Dongjiang Lake viewpoint")
    assert img.get_attribute("loading") is None  # in the first screen: not lazy
    assert img.evaluate("img => img.currentSrc").endswith("-640.webp")
    credit = page.locator(".place-photo .credit").inner_text()
    assert credit == ("示意图，由程序绘制，并非实景照片" if lang == "zh"
                      else "Illustrative drawing made by code, not a photograph")
    assert img.evaluate("img => img.getBoundingClientRect().bottom") < PHONE["height"]  # seen without scrolling
    with capsys.disabled():
        print(f"\n[{lang}] /r/poi/seed-dongjiang-view first screen with its photo: {wire.total()} bytes")
    assert wire.total() <= FIRST_SCREEN_BUDGET_BYTES
