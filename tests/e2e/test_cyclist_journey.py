"""Browser journeys of a visiting cyclist, in real Chromium with every foreign host blocked (tiles included)."""

from __future__ import annotations

import re

import pytest
from harness import (
    DESKTOP,
    main_text,
    map_frame,
    open_context,
    screenshot,
    start_server,
    stop_server,
    viewer_frame,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

CARD_NAMES = {
    "zh": ["天香骑行线", "曹娥江畔绿道", "两湖环线"],
    "en": ["Tianxiang Cycling Line", "Cao'e Riverside Greenway", "Lianghu Loop"],
}
NOTICE = {"zh": "示意数据", "en": "Illustrative data"}


def _assert_only_tiles_left_the_machine(traffic) -> None:
    assert traffic.foreign_non_tile() == [], "scripts/styles/fonts must come from the app itself"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_catalogue_shows_route_cards_and_a_map_of_everything(guide_server, desktop, lang):
    page, traffic = desktop
    page.goto(f"{guide_server.url}/?lang={lang}")
    wait_for_app(page)
    text = main_text(page)
    for name in CARD_NAMES[lang]:
        assert name in text
    assert NOTICE[lang] in text
    assert ("公里" if lang == "zh" else "km") in text
    frame = map_frame(page)
    frame.locator("path.route-line").first.wait_for(state="attached")
    assert frame.locator("path.route-line").count() >= 3  # one line per route, tiles or not
    assert frame.locator(".awesome-marker").count() >= 10  # POI markers with their icon font
    screenshot(page, f"catalogue-desktop-{lang}")
    _assert_only_tiles_left_the_machine(traffic)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_route_page_draws_line_profile_and_facts_without_foreign_hosts(guide_server, desktop, lang):
    page, traffic = desktop
    page.goto(f"{guide_server.url}/route?id=tianxiang&lang={lang}")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == CARD_NAMES[lang][0]
    frame = viewer_frame(page)
    frame.locator("path.route-line").first.wait_for(state="attached")
    # Drawn in colour bands of gradient on a blank background: every tile request was aborted.
    assert frame.locator("path.route-line").count() >= 2
    assert frame.locator(".legend button").inner_text() == ("坡度图例" if lang == "zh" else "Gradient key")
    assert frame.locator(".km-marker").count() >= 10
    assert frame.locator(".leaflet-control-layers").count() == 1
    assert frame.locator("svg.elevation-profile path.band").count() >= 2  # the profile, filled by gradient band
    assert page.locator(".js-plotly-plot").count() == 0
    text = main_text(page)
    for word in (["累计爬升", "最陡 100 米", "爬坡", "路面与提醒", "沿途景点", "不同骑行者的预计用时"] if lang == "zh"
                 else ["Ascent", "Steepest 100 m", "Climbs", "Surface and warnings", "Along the way",
                       "Estimated time by rider"]):
        assert word in text, word
    # climbs, surface and warnings by km, along the way, times (cards on a phone)
    assert page.locator("table.guide-table").count() == 4
    assert re.search(r"12\.\d (公里|km)", text)
    assert page.locator('[data-testid="stDownloadButton"]').count() == 2
    screenshot(page, f"route-desktop-{lang}")
    _assert_only_tiles_left_the_machine(traffic)
    tiles = traffic.tile_hosts()
    if lang == "zh":  # China basemap first in Chinese, OpenStreetMap in English
        assert tiles and all(h.endswith(".is.autonavi.com") for h in tiles), tiles
    else:
        assert tiles == {"tile.openstreetmap.org"}, tiles


def test_selecting_a_stretch_highlights_it_on_the_map(guide_server, desktop):
    page, _ = desktop
    page.goto(f"{guide_server.url}/route?id=tianxiang&lang=en")
    wait_for_app(page)
    thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
    thumb.scroll_into_view_if_needed()
    thumb.focus()
    for _ in range(20):  # 0.1 km a step: the stretch starts at 2.0 km
        page.keyboard.press("ArrowRight")
    page.get_by_text(re.compile(r"^Stretch ")).first.wait_for()
    wait_for_app(page)
    frame = viewer_frame(page)
    frame.locator("path.stretch-line").first.wait_for(state="attached")
    assert re.search(r"Stretch [\d.]+ km–[\d.]+ km: [\d.]+ km long", main_text(page))


def test_a_card_opens_its_route_page_and_keeps_the_language(guide_server, desktop):
    page, _ = desktop
    page.goto(f"{guide_server.url}/?lang=en")
    wait_for_app(page)
    page.locator('a[href*="id=tianxiang"]', has_text="Open route").first.click()
    page.wait_for_url(re.compile(r"/route\?.*id=tianxiang"))
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "Tianxiang Cycling Line"
    assert "lang=en" in page.url


def test_language_switch_applies_everywhere_and_survives_navigation(guide_server, desktop):
    page, _ = desktop
    page.goto(f"{guide_server.url}/")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "骑行路线"
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.wait_for_url(re.compile(r"lang=en"))
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "Cycling routes"
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Places", exact=True).click()
    page.wait_for_url(re.compile(r"/pois"))
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "Places along the routes"
    assert "lang=en" in page.url


@pytest.mark.parametrize("path", ["/?lang=zh", "/route?id=tianxiang&lang=zh", "/pois?lang=en"])
def test_phone_nothing_scrolls_sideways(guide_server, phone, path):
    page, traffic = phone
    page.goto(guide_server.url + path)
    wait_for_app(page)
    if "route" in path:
        viewer_frame(page).locator("path.route-line").first.wait_for(state="attached")
    elif "pois" not in path:
        map_frame(page).locator("path.route-line").first.wait_for(state="attached")
    widths = page.evaluate(
        """() => [document.scrollingElement.scrollWidth,
                  document.querySelector('[data-testid="stMain"]').scrollWidth]"""
    )
    assert max(widths) <= 390, widths
    name = {"/?lang=zh": "catalogue-phone-zh", "/route?id=tianxiang&lang=zh": "route-phone-zh",
            "/pois?lang=en": "pois-phone-en"}[path]
    screenshot(page, name)
    _assert_only_tiles_left_the_machine(traffic)


def test_every_page_opens_by_direct_url_on_a_fresh_server(chromium, tmp_path):
    """The first request a new server sees is a deep link: it must still get the frame, language and page."""
    server = start_server(tmp_path)
    try:
        ctx, traffic = open_context(chromium, DESKTOP)
        page = ctx.new_page()
        page.goto(f"{server.url}/pois?lang=en")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text() == "Places along the routes"
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Cyclists" in nav and "Routes" in nav and "_shared" not in nav
        page.goto(f"{server.url}/route?id=caoe-riverside")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text() == "曹娥江畔绿道"
        ctx.close()
        _assert_only_tiles_left_the_machine(traffic)
    finally:
        stop_server(server)
