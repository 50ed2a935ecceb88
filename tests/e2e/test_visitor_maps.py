"""Issue 23 part C in real Chromium: the configured map approval number (审图号) in the attribution Leaflet draws on
the route viewer, the embed and the place page's map; the marker legend; the place page's map and way back; the
embed's sans-serif font; nothing wider than a 390 px phone. Tiles are blocked: only our own pages and assets load."""

from __future__ import annotations

import pytest
from harness import DESKTOP, PHONE, open_context, start_server, stop_server

APPROVAL = "GS(2099)0001"  # made up: the test checks that what is configured is what is drawn


@pytest.fixture(scope="module")
def approval_server(tmp_path_factory):
    """A server of its own, started with the number configured (the shared one runs without)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("GUIDE_MAP_APPROVAL_AMAP", APPROVAL)
    try:
        server = start_server(tmp_path_factory.mktemp("visitor-maps"))
    finally:
        mp.undo()
    yield server
    stop_server(server)


@pytest.fixture
def pages(chromium):
    made = []

    def make(viewport: dict, **options):
        ctx, traffic = open_context(chromium, viewport, **options)
        made.append(ctx)
        return ctx.new_page(), traffic

    yield make
    for ctx in made:
        ctx.close()


def _attribution(page, scope: str) -> str:
    loc = page.locator(f"{scope} .leaflet-control-attribution")
    loc.wait_for(state="visible")
    return loc.inner_text()


def test_route_viewer_and_embed_draw_the_approval_number(approval_server, pages):
    page, traffic = pages(DESKTOP)
    page.goto(f"{approval_server.url}/r/tianxiang")
    assert f"审图号：{APPROVAL}号" in _attribution(page, ".viewer-map")
    legend = page.locator("ul.marker-legend li")
    assert legend.count() >= 8 and legend.filter(has_text="厕所").locator(".mark").inner_text() == "厕"
    page.goto(f"{approval_server.url}/r/tianxiang/embed")
    assert f"审图号：{APPROVAL}号" in _attribution(page, ".viewer-map")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.startswith("system-ui") and "serif" not in font.replace("sans-serif", "")
    assert not traffic.foreign_non_tile()


def test_english_markers_are_distinct_and_explained(approval_server, pages):
    page, _ = pages(DESKTOP)
    page.goto(f"{approval_server.url}/r/tianxiang?lang=en")
    page.locator(".viewer-map .poi-icon").first.wait_for(state="attached")
    by_kind = {}
    for li in page.locator("ul.marker-legend li").all():
        mark = li.locator(".mark").inner_text()
        by_kind[li.inner_text()[len(mark):].strip()] = mark
    assert by_kind["Toilet"] == "WC" and by_kind["Tea garden"] == "T"
    assert by_kind["Village"] == "Vi" and by_kind["Viewpoint"] == "V"
    assert len(set(by_kind.values())) == len(by_kind)
    drawn = set(page.locator(".viewer-map .poi-icon span").all_inner_texts())
    assert drawn == set(by_kind.values())  # the legend lists exactly the marks on the map


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_place_page_map_and_way_back_on_a_phone(approval_server, pages, lang):
    page, traffic = pages(PHONE, has_touch=True, is_mobile=True)
    q = "&lang=en" if lang == "en" else ""
    page.goto(f"{approval_server.url}/r/tianxiang{'?lang=en' if lang == 'en' else ''}")
    page.locator('table.along a.poi-name[href*="seed-tea-terraces"]').click()
    page.wait_for_url(f"**/r/poi/seed-tea-terraces?from=tianxiang{q}")
    page.locator(".poi-map .poi-icon").wait_for(state="attached")
    assert page.locator(".poi-map path.poi-extent").count() == 1  # the tea gardens' outline
    if lang == "zh":
        assert f"审图号：{APPROVAL}号" in _attribution(page, ".poi-map")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], width
    back = page.locator("p.back a")
    assert back.inner_text() == ("← 返回天香骑行线" if lang == "zh" else "← Back to Tianxiang Cycling Line")
    back.click()
    page.wait_for_url(f"**/r/tianxiang{'?lang=en' if lang == 'en' else ''}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert not traffic.foreign_non_tile()
