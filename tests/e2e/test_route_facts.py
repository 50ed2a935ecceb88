"""Route facts on a phone: tapping a warning in the light route page's list highlights its stretch on the map (real
Chromium at 390×844 with touch, every foreign host blocked, the seed Tianxiang facts)."""

from __future__ import annotations

import pytest
from harness import PHONE, open_context

pytestmark = pytest.mark.e2e

#: The smallest comfortable tap target (CSS px; WCAG 2.5.5's 44 px).
TAP_PX = 44
#: The seed's second warning: the stream-valley descent, km 10.9–11.5 (data/seed/facts.json).
SEED_WARNING = 1


@pytest.fixture
def touch_phone(chromium):
    ctx, traffic = open_context(chromium, PHONE, has_touch=True, is_mobile=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, traffic, errors
    ctx.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tapping_a_warning_highlights_its_stretch_on_the_map(guide_server, touch_phone, lang):
    page, traffic, errors = touch_phone
    page.goto(f"{guide_server.url}/r/tianxiang" + ("?lang=en" if lang == "en" else ""))
    page.wait_for_selector(".viewer-map path.route-line")
    assert page.locator("path.warning-line").count() == 0
    item = page.locator(".warn-list li").nth(SEED_WARNING)
    assert ("陡下坡" if lang == "zh" else "Steep descent") in item.inner_text()
    button = item.locator("button.warn-show")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box and box["height"] >= TAP_PX and box["x"] + box["width"] <= PHONE["width"], box
    button.tap()
    line = page.locator("path.warning-line")
    line.wait_for()
    assert line.count() == 1
    assert page.locator(".viewer-map").get_attribute("data-warn-shown") == str(SEED_WARNING)
    assert "active" in (item.get_attribute("class") or "")
    # The map came into view and was fitted to the stretch: the highlight lies inside the map, on screen.
    page.wait_for_timeout(600)  # Leaflet's zoom animation
    map_box = page.locator(".viewer-map").bounding_box()
    line_box = line.bounding_box()
    assert map_box and line_box
    assert map_box["y"] >= -1 and map_box["y"] < PHONE["height"] / 2, map_box
    assert map_box["x"] <= line_box["x"] and line_box["x"] + line_box["width"] <= map_box["x"] + map_box["width"]
    assert map_box["y"] <= line_box["y"] and line_box["y"] + line_box["height"] <= map_box["y"] + map_box["height"]
    # A 600 m stretch fitted to the map is drawn larger than a dot: the map zoomed in to it.
    assert max(line_box["width"], line_box["height"]) > 60, line_box
    # Tapping the first warning moves the highlight (one overlay at a time).
    first = page.locator(".warn-list li").nth(0).locator("button.warn-show")
    first.scroll_into_view_if_needed()
    first.tap()
    page.wait_for_function("() => document.querySelector('.viewer-map').dataset.warnShown === '0'")
    assert page.locator("path.warning-line").count() == 1
    assert errors == []
    assert traffic.foreign_non_tile() == []


def test_facts_read_with_javascript_off(guide_server, chromium):
    ctx, traffic = open_context(chromium, PHONE, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{guide_server.url}/r/tianxiang?lang=en")
    assert "Nanxue village" in page.locator("#getting-there").inner_text()
    road = page.locator("#road")
    assert "Stream-valley descent" in road.inner_text() and "Last checked 20 Nov 2026" in road.inner_text()
    assert page.locator("button.warn-show").first.is_hidden()
    assert page.locator("#profile-figure rect[data-surface]").count() == 5
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]
    ctx.close()
