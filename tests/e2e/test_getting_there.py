"""Getting to the start on a phone: the map-app links on the light route page and on the Streamlit route page (real
Chromium, every foreign host blocked), and the poster that opens as a picture with a separate download."""

from __future__ import annotations

import pytest
from harness import PHONE, open_context, open_page, screenshot, screenshot_page

pytestmark = pytest.mark.e2e

#: The smallest comfortable tap target (CSS px; WCAG 2.5.5's 44 px).
TAP_PX = 44
APPS = ("amap", "baidu", "apple", "geo")


@pytest.fixture
def touch_phone(chromium):
    ctx, traffic = open_context(chromium, PHONE, has_touch=True, is_mobile=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, traffic, errors
    ctx.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_light_route_page_offers_map_apps_and_the_way_back(guide_server, touch_phone, lang):
    page, traffic, errors = touch_phone
    page.goto(f"{guide_server.url}/r/tianxiang" + ("?lang=en" if lang == "en" else ""))
    section = page.locator("#getting-there-start")
    section.scroll_into_view_if_needed()
    assert section.locator("h2").inner_text() == ("前往起点" if lang == "zh" else "Getting to the start")
    first = section.locator(".nav-links").first.locator("a")
    assert [a.get_attribute("data-app") for a in first.all()] == list(APPS)
    for a in first.all():
        box = a.bounding_box()
        assert box and box["height"] >= TAP_PX and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert first.nth(0).get_attribute("href").startswith("https://uri.amap.com/navigation?to=")
    assert first.nth(3).get_attribute("href").startswith("geo:")
    back = section.locator(".nav-back")
    assert ("3.3 公里" if lang == "zh" else "3.3 km") in back.inner_text()
    assert back.locator("a[data-app=amap]").get_attribute("href").startswith("https://uri.amap.com/navigation?from=")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]
    # A tap opens Amap (here: the request leaves for uri.amap.com and is blocked like every foreign host).
    with page.expect_request(lambda r: r.url.startswith("https://uri.amap.com/navigation")):
        first.nth(0).tap()
    screenshot_page(page, f"getting-there-light-phone-{lang}")
    assert errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_streamlit_route_page_offers_the_same_links(guide_server, touch_phone, lang):
    page, traffic, _ = touch_phone
    open_page(page, guide_server.url, f"route?id=tianxiang&lang={lang}")
    main = page.locator('[data-testid="stMain"]')
    heading = main.get_by_role("heading", name="前往起点" if lang == "zh" else "Getting to the start")
    heading.wait_for()
    block = main.locator('[data-testid="stMarkdownContainer"]').filter(has=page.locator('a[href^="https://uri.amap.com/"]'))
    links = block.locator("a")
    hrefs = [a.get_attribute("href") for a in links.all()]
    assert sum(h.startswith("https://uri.amap.com/navigation?") for h in hrefs) == 2
    assert sum(h.startswith("https://api.map.baidu.com/direction?") for h in hrefs) == 2
    # Streamlit's Markdown keeps the geo: links (it rewrites only javascript: ones)
    assert sum(h.startswith("geo:") for h in hrefs) == 2, hrefs
    assert any(h.startswith("/route?id=lianghu-loop") for h in hrefs)
    screenshot(page, f"getting-there-streamlit-phone-{lang}")
    assert traffic.foreign_non_tile() == []


def test_poster_opens_as_a_picture_and_downloads_from_its_own_link(guide_server, touch_phone):
    page, _, _ = touch_phone
    resp = page.goto(f"{guide_server.url}/r/tianxiang-poster.png")
    assert resp.status == 200 and resp.headers["content-disposition"].startswith("inline;")
    size = page.evaluate("() => { const i = document.querySelector('img'); return [i.naturalWidth, i.naturalHeight]; }")
    assert size == [1080, 1920]  # shown in the browser: a long press saves or forwards it
    page.goto(f"{guide_server.url}/r/tianxiang")
    with page.expect_download() as dl:
        page.locator('.share a[href$="download=1"]').click()
    assert dl.value.suggested_filename == "tianxiang-poster-zh.png"
