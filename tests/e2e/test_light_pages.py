"""The light public pages (/r/...) on a phone in real Chromium, every foreign host blocked (map tiles too)."""

from __future__ import annotations

import json
import re

import pytest
from harness import PHONE, open_context, screenshot_page, touch

pytestmark = pytest.mark.e2e

HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">Tea & <b>bold</b>'


@pytest.fixture
def touch_phone(chromium):
    ctx, traffic = open_context(chromium, PHONE, has_touch=True, is_mobile=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    yield page, traffic, errors
    ctx.close()


@pytest.fixture(scope="module")
def hostile_poi(guide_server):
    """A published POI right on the Tianxiang line whose name is HTML, added through the store like an editor would."""
    from routes.store import open_store

    store = open_store(guide_server.db_url)
    info = store.get_route("tianxiang")
    from routes.views.guide import load_route

    _, ra = load_route(store, "tianxiang")
    i = len(ra.map_lat) // 3
    return store.create_poi(
        {
            "name_zh": HOSTILE_NAME,
            "name_en": HOSTILE_NAME,
            "category": "food",
            "lat": float(ra.map_lat[i]),
            "lon": float(ra.map_lon[i]),
            "desc_zh": "</script><script>window.__pwned=2</script>",
            "desc_en": "</script><script>window.__pwned=2</script>",
        },
        user="e2e",
    ), info


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_route_page_shows_line_profile_facts_and_places_on_a_phone(guide_server, touch_phone, lang):
    page, traffic, errors = touch_phone
    page.goto(f"{guide_server.url}/r/tianxiang" + ("?lang=en" if lang == "en" else ""))
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")
    assert page.locator("h1").inner_text() == ("天香骑行线" if lang == "zh" else "Tianxiang Cycling Line")
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    assert page.locator(".viewer-map path.route-line").count() >= 2  # gradient runs, drawn without any tile
    assert page.locator("svg.elevation-profile path.band").count() >= 2
    facts = page.locator("dl.facts").inner_text()
    assert ("累计爬升" if lang == "zh" else "Ascent") in facts and re.search(r"12\.\d (公里|km)", facts)
    assert page.locator("table.along tbody tr").count() >= 5
    assert page.locator(".poi-marker").count() >= 5
    assert ("东江湖" if lang == "zh" else "Dongjiang Lake") in page.locator("table.along").inner_text()
    # The legend is a small button on a phone-width map, and opens on demand.
    legend = page.locator(".legend")
    assert "collapsed" in legend.get_attribute("class")
    legend.locator("button").click()
    assert legend.locator("li").first.is_visible()
    widths = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert widths <= PHONE["width"], widths
    screenshot_page(page, f"light-route-phone-{lang}")
    assert errors == []
    assert traffic.foreign_non_tile() == []


def test_moving_along_the_profile_shows_the_spot_on_the_map(guide_server, touch_phone):
    page, _, errors = touch_phone
    page.goto(f"{guide_server.url}/r/tianxiang?lang=en")
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    profile = page.locator("svg.elevation-profile")
    profile.scroll_into_view_if_needed()
    box = profile.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    dot = page.locator(".viewer-map .route-dot")
    dot.wait_for()
    label = page.locator(".viewer-map .route-dot-label").inner_text()
    assert re.match(r"^\d+\.\d km · \d+ m · grade -?\d+\.\d %$", label), label
    km_half = float(label.split(" ")[0])
    assert 5.0 <= km_half <= 7.5  # half way along a 12.6 km line
    assert page.locator(".cursor-readout").inner_text() == label
    first = dot.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2)
    page.wait_for_function(
        "(km) => !document.querySelector('.route-dot-label').textContent.startsWith(km)", arg=label.split(" ")[0]
    )
    assert dot.bounding_box() != first  # the dot moved along the line
    # Keyboard: the profile takes focus and arrow keys move the spot.
    profile.focus()
    page.keyboard.press("Home")
    assert page.locator(".cursor-readout").inner_text().startswith("0.0 km")
    assert errors == []


def test_tapping_the_line_shows_the_spot_on_the_profile(guide_server, touch_phone):
    page, _, _ = touch_phone
    page.goto(f"{guide_server.url}/r/tianxiang?lang=en")
    page.locator(".viewer-map path.route-hit").first.wait_for(state="attached")
    # The middle vertex of the line, in page pixels, from Leaflet itself.
    page.locator(".viewer-map").scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # let Leaflet finish fitting the line before reading pixel positions
    # A vertex of the line far from every marker: a finger near a marker would (rightly) open the marker.
    xy = page.evaluate("""() => { const v = document.querySelector('[data-viewer]').viewer;
        const pt = (ll) => v.map.latLngToContainerPoint(ll);
        const marks = v.data.pois.map(p => pt([p.lat, p.lon])).concat(v.data.km.map(k => pt([k[1], k[2]])));
        let best = 0, bestGap = -1;
        for (let i = 0; i < v.latlngs.length; i++) {
            const p = pt(v.latlngs[i]);
            if (p.x < 20 || p.y < 20 || p.x > v.mapEl.clientWidth - 20 || p.y > v.mapEl.clientHeight - 40) continue;
            const gap = Math.min(...marks.map(m => Math.hypot(m.x - p.x, m.y - p.y + 13)));
            if (gap > bestGap) { bestGap = gap; best = i; }
        }
        const p = pt(v.latlngs[best]), r = v.mapEl.getBoundingClientRect();
        return [r.left + p.x, r.top + p.y, v.data.d[best]]; }""")
    assert page.evaluate(f"() => document.elementFromPoint({xy[0]}, {xy[1]}).classList.contains('route-hit')")
    page.touchscreen.tap(xy[0], xy[1])
    cursor = page.locator("svg.elevation-profile line.cursor")
    page.wait_for_function(
        "() => document.querySelector('svg.elevation-profile line.cursor').getAttribute('visibility') === 'visible'",
        timeout=10_000,
    )
    shown_km = float(page.locator(".cursor-readout").inner_text().split(" ")[0])
    assert abs(shown_km - xy[2] / 1000) < 0.3, (shown_km, xy[2])
    x_pct = float(cursor.get_attribute("x1").rstrip("%"))
    assert abs(x_pct - 100 * xy[2] / 12_600) < 3  # the cursor stands where that spot is along the profile


def test_hostile_poi_name_stays_literal_text(guide_server, touch_phone, hostile_poi):
    page, _, errors = touch_phone
    poi, _ = hostile_poi
    page.goto(f"{guide_server.url}/r/tianxiang?lang=en")
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    cell = page.locator("table.along a.poi-name", has_text="onerror")
    assert cell.inner_text() == HOSTILE_NAME
    assert page.locator("table.along img").count() == 0
    page.get_by_title(HOSTILE_NAME, exact=True).click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("a").first.inner_text() == HOSTILE_NAME
    assert popup.locator("img, b").count() == 0
    page.goto(f"{guide_server.url}/r/poi/{poi.id}?lang=en")
    assert page.locator("h1").inner_text() == HOSTILE_NAME
    assert page.title().startswith(HOSTILE_NAME)
    assert page.evaluate("() => window.__pwned === undefined")
    assert errors == []


def test_catalogue_lists_the_flagship_first_and_links_each_route(guide_server, touch_phone):
    page, traffic, errors = touch_phone
    page.goto(f"{guide_server.url}/r/")
    names = page.locator(".card h2").all_inner_texts()
    assert names[0] == "天香骑行线" and len(names) == 3
    page.locator(".card h2 a").nth(1).click()
    page.wait_for_url(re.compile(r"/r/[a-z-]+$"))
    assert page.locator("h1").inner_text() == names[1]
    screenshot_page(page, "light-route-second-phone-zh")
    assert errors == [] and traffic.foreign_non_tile() == []


def test_drafts_and_unknown_routes_get_the_same_not_found_page(guide_server, touch_phone):
    page, _, _ = touch_phone
    from routes.store import open_store

    store = open_store(guide_server.db_url)
    if store.get_route("e2e-draft") is None:
        gpx = store.get_route_gpx("caoe-riverside")
        store.create_route(
            "e2e-draft",
            gpx=gpx,
            filename="d.gpx",
            user="e2e",
            fields={"name_zh": "草稿", "name_en": "Draft", "status": "draft"},
        )
    bodies = []
    for slug in ("e2e-draft", "no-such-route"):
        resp = page.goto(f"{guide_server.url}/r/{slug}")
        assert resp.status == 404
        bodies.append(page.locator("main").inner_text())
    assert bodies[0] == bodies[1]
    assert "找不到这个页面" in bodies[0] and "Page not found" in bodies[0]


@pytest.mark.parametrize("path", ["/r/", "/r/tianxiang", "/r/tianxiang?lang=en", "/r/poi/seed-dongjiang-view",
                                  "/r/no-such-route"])
def test_axe_finds_no_serious_or_critical_violation_on_light_pages(guide_server, chromium, path):
    from test_phone_and_a11y import _axe

    for viewport, options in (({"width": 1280, "height": 900}, {}), (PHONE, {"has_touch": True, "is_mobile": True})):
        ctx, _ = open_context(chromium, viewport, **options)
        try:
            page = ctx.new_page()
            page.goto(guide_server.url + path)
            if "/r/tianxiang" in path:
                page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
            found = _axe(page)
            assert found == [], f"{viewport['width']} px: " + json.dumps(found, ensure_ascii=False, indent=1)
        finally:
            ctx.close()


def _settled_scroll(page) -> None:
    """Wait until the page has stopped scrolling (a tap during a fling only stops the fling: no click)."""
    page.wait_for_function(
        """() => new Promise(done => { const y0 = window.scrollY;
             setTimeout(() => done(window.scrollY === y0), 300); })""",
        timeout=10_000,
    )


def _map_near_the_top(page, url: str):
    """The light route page with its map 80 px below the top of the screen, the scroll settled; the map's locator."""
    page.goto(url)
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    page.evaluate("() => window.scrollTo(0, document.querySelector('.viewer-map').getBoundingClientRect().top"
                  " + window.scrollY - 80)")
    _settled_scroll(page)
    return page.locator(".viewer-map")


def test_a_one_finger_swipe_over_the_map_scrolls_the_page(guide_server, touch_phone):
    from test_phone_and_a11y import SWIPE_PX, _swipe_down

    page, _, errors = touch_phone
    mapel = _map_near_the_top(page, f"{guide_server.url}/r/tianxiang")
    before = page.evaluate("() => window.scrollY")
    assert before > SWIPE_PX
    box = mapel.bounding_box()
    _swipe_down(page, box["x"] + box["width"] / 2, box["y"] + 60, SWIPE_PX)
    # the page moved, not the map (the scroll may still be settling on a busy machine)
    page.wait_for_function("(b) => b - window.scrollY >= 100", arg=before, timeout=5_000)
    assert mapel.evaluate("el => el.classList.contains('leaflet-touch-drag')") is False
    assert errors == []


def test_a_tap_on_the_map_lets_one_finger_pan_it_until_done(guide_server, touch_phone):
    page, _, errors = touch_phone
    mapel = _map_near_the_top(page, f"{guide_server.url}/r/tianxiang")
    # An empty spot of the map: no line, marker or control under the finger (those have taps of their own).
    spot = page.evaluate("""() => { const m = document.querySelector('.viewer-map'), r = m.getBoundingClientRect();
        for (let fy = 0.3; fy <= 0.8; fy += 0.05) for (let fx = 0.2; fx <= 0.8; fx += 0.05) {
            const x = r.left + fx * r.width, y = r.top + fy * r.height, e = document.elementFromPoint(x, y);
            if (e && e.classList.contains('leaflet-container')) return [x, y]; }
        return null; }""")
    assert spot is not None
    assert not mapel.evaluate("el => el.classList.contains('map-active')")
    touch(page, [tuple(spot)])
    page.wait_for_function("() => document.querySelector('.viewer-map').classList.contains('map-active')",
                           timeout=5_000)
    # Now one finger moves the map, not the page.
    y0 = page.evaluate("() => window.scrollY")
    centre0 = page.evaluate("() => document.querySelector('[data-viewer]').viewer.map.getCenter()")
    x, y = spot
    touch(page, [(x, y - 60 + i * 10) for i in range(13)])
    _settled_scroll(page)
    centre1 = page.evaluate("() => document.querySelector('[data-viewer]').viewer.map.getCenter()")
    assert centre1["lat"] != centre0["lat"] and page.evaluate("() => window.scrollY") == y0
    # "Done" gives the finger back to the page.
    done = page.locator(".viewer-map .map-done")
    box = done.bounding_box()
    touch(page, [(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)])
    page.wait_for_function("() => !document.querySelector('.viewer-map').classList.contains('map-active')",
                           timeout=5_000)
    assert errors == []
