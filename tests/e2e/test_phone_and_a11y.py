"""On a phone and for everyone: swipes over maps scroll the page, the menu closes after navigation, nothing scrolls
sideways at 360 px, the document speaks the page's language, and axe-core finds no serious or critical problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import (
    DESKTOP,
    MAP_FRAME_SELECTOR,
    map_frame,
    open_context,
    open_page,
    screenshot,
    touch,
    viewer_frame,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

#: axe-core 4.14.1, the single minified file from its npm package (licence beside it).
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
#: Every page a visitor can open, by URL path ("" is the catalogue; editor pages show a visitor the sign-in form).
PAGES = ("", "route?id=tianxiang", "pois", "race", "editor", "editor_routes", "editor_pois", "editor_admin")
#: Pages with a folium map a swipe must scroll past.
MAP_PAGES = ("", "pois", "race")
NARROW = {"width": 360, "height": 780}
PHONE_TOUCH = {"width": 390, "height": 844}
#: How far the test swipes (CSS px) and the least the page must move for it to count as scrolled.
SWIPE_PX = 300
MIN_SCROLL_PX = 100
#: Streamlit widgets axe flags that this app cannot change; each entry is (rule, exact CSS selector, why).
#: Empty: every finding on these pages is fixed in the app (the page script repairs the menu's list structure).
AXE_ACCEPTED: tuple[tuple[str, str, str], ...] = ()
TITLES = {
    "": ("路线", "Routes"),
    "pois": ("沿途景点", "Places"),
    "race": ("赛事规划", "Race planner"),
}




def _open(page, server, path: str, lang: str) -> None:
    """Open ``path`` in ``lang``; the race planner sits behind the sign-in, which open_page fills in."""
    open_page(page, server.url, _with_lang(path, lang))


def _with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


@pytest.fixture
def touch_phone(chromium):
    ctx, traffic = open_context(chromium, PHONE_TOUCH, has_touch=True, is_mobile=True, device_scale_factor=2)
    page = ctx.new_page()
    yield page
    ctx.close()


@pytest.fixture
def narrow(chromium):
    ctx, traffic = open_context(chromium, NARROW, has_touch=True, is_mobile=True)
    page = ctx.new_page()
    yield page
    ctx.close()


def _scroll_position(page) -> float:
    """How far the page has scrolled: Streamlit scrolls its main element, a plain page the window."""
    return page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]');
                   return (m ? m.scrollTop : 0) + window.scrollY; }"""
    )


def _swipe_down(page, x: float, y: float, distance: float) -> None:
    """A one-finger swipe downwards (the page should move back towards its top) as real touch events through the
    DevTools protocol. Downwards, because a map can be the last thing on a page, with nothing left to scroll to."""
    steps = 12
    touch(page, [(x, y + distance * i / steps) for i in range(steps + 1)])
    page.wait_for_timeout(600)  # let any fling settle


def _swipe_over(page, locator) -> float:
    """Bring ``locator`` near the top of the screen, swipe down starting on it; returns how far the page scrolled."""
    locator.scroll_into_view_if_needed()
    page.evaluate(
        """(sel) => { const el = document.querySelector(sel);
                      const m = document.querySelector('[data-testid="stMain"]');
                      const r = el.getBoundingClientRect(); m.scrollTop += r.top - 120; }""",
        locator.evaluate("el => { el.setAttribute('data-swipe-target', '1'); return '[data-swipe-target]'; }"),
    )
    page.wait_for_timeout(300)
    box = locator.bounding_box()
    assert box and box["height"] > 100, box
    x, y = box["x"] + box["width"] / 2, box["y"] + min(60, box["height"] / 4)
    before = _scroll_position(page)
    assert before > SWIPE_PX  # room to scroll back up
    _swipe_down(page, x, y, SWIPE_PX)
    locator.evaluate("el => el.removeAttribute('data-swipe-target')")
    return before - _scroll_position(page)


@pytest.mark.parametrize("path", MAP_PAGES)
def test_a_swipe_over_the_map_scrolls_the_page(guide_server, touch_phone, path):
    page = touch_phone
    _open(page, guide_server, path, "zh")
    frame = map_frame(page)
    frame.locator(".leaflet-container").wait_for()
    # two-finger panning is on: one finger no longer drags the map
    assert frame.locator(".leaflet-container").evaluate("el => el.classList.contains('leaflet-touch-drag')") is False
    moved = _swipe_over(page, page.locator(MAP_FRAME_SELECTOR).first)
    assert moved >= MIN_SCROLL_PX, f"the page moved {moved} px"
    hint = frame.locator(".leaflet-container").get_attribute("data-gesture-handling-touch-content")
    assert hint == "用双指移动地图，单指滑动可滚动页面"


#: The four one-finger swipes over the route page's viewer, in the direction the finger moves: alternating, because
#: a frame that could scroll inside itself took the swipe whenever it still had room that way (issue 22).
ALTERNATING_SWIPES = ("down", "up", "down", "up")
#: Where the viewer's frame sits before each swipe (CSS px below the top of the screen), and how far below the
#: frame's top each swipe starts: "down" near the top of the map, "up" near its foot (the map is the frame's top
#: ≈ 440 px).
FRAME_TOP_PX = 100
SWIPE_START_PX = {"down": 60, "up": 400}


def _settle(page) -> None:
    """Until the page's scroller has stopped moving (a fling may still be running after the finger is up)."""
    page.wait_for_function(
        """() => new Promise(done => { const m = document.querySelector('[data-testid="stMain"]');
             const y0 = m.scrollTop; setTimeout(() => done(m.scrollTop === y0), 250); })""",
        timeout=10_000,
    )


def swipe_moves(page, frame_locator, directions=ALTERNATING_SWIPES, *, distance: float = SWIPE_PX) -> list[float]:
    """One-finger swipes over the frame, one per direction; before each the frame is put FRAME_TOP_PX below the top
    of the screen (where the page can move both ways). Returns how far the page moved each time, positive when it
    moved the way the finger asked (down: back towards the top; up: on towards the end)."""
    moves = []
    for direction in directions:
        page.evaluate(
            """(top) => { const m = document.querySelector('[data-testid="stMain"]');
                          const f = document.querySelector('iframe[src*="/embed"]');
                          m.scrollTop += f.getBoundingClientRect().top - top; }""",
            FRAME_TOP_PX,
        )
        _settle(page)
        box = frame_locator.bounding_box()
        room = page.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]');
                                        return {above: m.scrollTop, below: m.scrollHeight - m.clientHeight - m.scrollTop}; }""")
        assert room["above" if direction == "down" else "below"] > distance, (direction, room)
        x, y0 = box["x"] + box["width"] / 2, box["y"] + SWIPE_START_PX[direction]
        sign = 1 if direction == "down" else -1
        before = _scroll_position(page)
        steps = 12
        touch(page, [(x, y0 + sign * distance * i / steps) for i in range(steps + 1)])
        page.wait_for_timeout(600)  # let any fling settle
        _settle(page)
        moves.append(sign * (before - _scroll_position(page)))
    return moves


def test_alternating_swipes_over_the_route_viewer_scroll_the_page(guide_server, touch_phone):
    """Down, up, down, up over the map of the route page's viewer (/r/<slug>/embed in a frame): every swipe moves the
    page, and the viewer's own document never scrolls inside its frame."""
    page = touch_phone
    _open(page, guide_server, "route?id=tianxiang", "zh")
    viewer = viewer_frame(page)
    viewer.locator(".viewer-map.leaflet-container").wait_for()
    viewer.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    frame = page.locator('iframe[src*="/embed"]')
    inner = next(f for f in page.frames if "/embed" in f.url)
    fits = "() => { const s = document.scrollingElement; return [s.scrollHeight, s.clientHeight, s.scrollTop]; }"
    height, client, _ = inner.evaluate(fits)
    moves = swipe_moves(page, frame)
    assert all(m >= MIN_SCROLL_PX for m in moves), f"the page moved {moves} px (down, up, down, up)"
    assert height <= client, f"the viewer's document is {height} px in a {client} px frame"
    assert inner.evaluate(fits)[2] == 0  # the frame itself never scrolled


def test_a_swipe_over_the_stage_profile_scrolls_the_page(guide_server, touch_phone):
    page = touch_phone
    _open(page, guide_server, "race", "en")
    image = page.locator('[data-testid="stImage"] img').first
    image.wait_for()
    moved = _swipe_over(page, image)
    assert moved >= MIN_SCROLL_PX, f"the page moved {moved} px"


def test_the_menu_closes_after_navigation_on_a_phone(guide_server, touch_phone):
    page = touch_phone
    page.goto(f"{guide_server.url}/?lang=zh")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_attribute("data-collapsed") == "true"  # Streamlit starts it closed on a phone
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').getAttribute('data-collapsed') === 'false'"
    )
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="沿途景点").click()
    page.wait_for_url("**/pois**")
    wait_for_app(page)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').getAttribute('data-collapsed') === 'true'",
        timeout=5_000,
    )
    assert page.locator("h1").first.inner_text() == "沿途景点"
    screenshot(page, "phone-menu-closed-after-navigation")


def test_the_menu_stays_open_on_a_desktop(guide_server, desktop):
    page, _ = desktop
    page.goto(f"{guide_server.url}/?lang=zh")
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="沿途景点").click()
    page.wait_for_url("**/pois**")
    wait_for_app(page)
    page.wait_for_timeout(1000)
    assert page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "false"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_nothing_scrolls_sideways_at_360_px(guide_server, narrow, path, lang):
    page = narrow
    open_page(page, guide_server.url, _with_lang(path, lang))
    page.wait_for_timeout(800)
    sizes = page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]');
                   return {doc: document.documentElement.scrollWidth, win: window.innerWidth,
                           main: m.scrollWidth, mainClient: m.clientWidth}; }"""
    )
    assert sizes["doc"] <= sizes["win"], sizes
    assert sizes["main"] <= sizes["mainClient"], sizes
    screenshot(page, f"narrow-{path.split('?')[0] or 'catalogue'}-{lang}")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", ["", "pois", "race"])
def test_the_document_speaks_the_page_language(guide_server, desktop, path, lang):
    page, _ = desktop
    _open(page, guide_server, path, lang)
    page.wait_for_function(f"() => document.documentElement.lang === '{'zh-CN' if lang == 'zh' else 'en'}'")
    title = TITLES[path][0 if lang == "zh" else 1]
    page.wait_for_function("(t) => document.title.startsWith(t + ' · ')", arg=title)
    frame = page.locator(MAP_FRAME_SELECTOR).first
    assert frame.get_attribute("title") == ("交互地图" if lang == "zh" else "Interactive map")
    # the skip link comes before the map and moves the focus past it
    skip = page.locator("a.guide-skip").first
    skip.focus()
    assert skip.is_visible()
    skip.press("Enter")
    page.wait_for_timeout(300)
    focused = page.evaluate("() => document.activeElement.id")
    assert focused.startswith("after-"), focused
    names = map_frame(page).locator(".leaflet-control-zoom-in").get_attribute("aria-label")
    assert names == ("放大" if lang == "zh" else "Zoom in")
    if lang == "zh":
        expand = page.locator('[data-testid="stSidebarCollapseButton"] button, [data-testid="stExpandSidebarButton"]')
        assert expand.first.get_attribute("aria-label") in ("收起侧边栏", "展开侧边栏")


@pytest.mark.parametrize(
    ("lang", "title"),
    [("zh", "天香骑行线 · 天香骑行导览"), ("en", "Tianxiang Cycling Line · Tianxiang Cycling Guide")],
)
def test_each_route_has_its_own_title(guide_server, desktop, lang, title):
    page, _ = desktop
    page.goto(f"{guide_server.url}/route?id=tianxiang&lang={lang}")
    wait_for_app(page)
    page.wait_for_function("(t) => document.title === t", arg=title)


def _axe(page) -> list[dict]:
    """axe-core over the page and every same-origin frame (the maps), serious and critical violations only."""
    source = AXE_JS.read_text()
    for frame in page.frames:
        frame.evaluate(source)
    exclude = [[sel] for _, sel, _ in AXE_ACCEPTED]
    return page.evaluate(
        """async (exclude) => {
             const r = await axe.run({include: [document], exclude: exclude}, {resultTypes: ['violations']});
             return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
               id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' >> '))}));
           }""",
        exclude,
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(guide_server, chromium, path, lang):
    for viewport, options in ((DESKTOP, {}), (PHONE_TOUCH, {"has_touch": True, "is_mobile": True})):
        ctx, _ = open_context(chromium, viewport, **options)
        try:
            page = ctx.new_page()
            open_page(page, guide_server.url, _with_lang(path, lang))
            if page.locator(MAP_FRAME_SELECTOR).count():
                map_frame(page).locator(".leaflet-control-zoom-in[aria-label]").wait_for(state="attached")
            found = _axe(page)
            assert found == [], f"{viewport['width']} px: " + json.dumps(found, ensure_ascii=False, indent=1)
        finally:
            ctx.close()


def _standalone_map(page, guide_server, *, width: int) -> None:
    """A build_map() page with the gradient legend and a POI, opened on the app's origin so /app/static loads."""
    import numpy as np

    from routes.views.maps import MapLine, MapPoi, build_map, map_html

    lat = np.linspace(29.98, 30.01, 50)
    lon = np.linspace(120.82, 120.88, 50)
    m = build_map(
        lang="zh", legend=True, basemap="osm",
        lines=[MapLine("t", "测试路线", lat, lon, grade_pct=np.linspace(-8, 12, 49))],
        pois=[MapPoi("p1", 30.0, 120.85, "东江湖观景台", "viewpoint", text="看湖")],
    )
    page.set_viewport_size({"width": width, "height": 600})
    page.goto(f"{guide_server.url}/r/ping")
    page.set_content(map_html(m).replace('height:100.0%', 'height:460px'), wait_until="load")
    page.locator(".leaflet-control-zoom-in[aria-label]").wait_for(state="attached")


def test_the_legend_folds_on_a_narrow_map_and_popups_are_never_covered(guide_server, touch_phone):
    page = touch_phone
    _standalone_map(page, guide_server, width=390)
    toggle = page.locator(".guide-legend-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.inner_text() == "坡度图例"
    assert not page.locator(".guide-legend > div").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator(".guide-legend > div").is_visible()
    # a popup opened right under the basemap switcher (top right): the switcher steps aside, the close button is free
    page.evaluate(
        """() => { const map = Object.keys(window).filter(k => /^map_[0-9a-f]+$/.test(k)).map(k => window[k])[0];
                   const size = map.getSize();
                   L.popup({autoPan: false}).setLatLng(map.containerPointToLatLng([size.x - 60, 90]))
                     .setContent('<b>弹窗</b>').openOn(map); }"""
    )
    close = page.locator(".leaflet-popup-close-button")
    close.wait_for()
    assert close.get_attribute("aria-label") == "关闭弹窗"
    close.scroll_into_view_if_needed()  # elementFromPoint only sees what is inside the viewport
    box = close.bounding_box()
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('.leaflet-popup-close-button') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top, "a control covers the popup's close button"
    assert page.locator(".leaflet-control-layers.guide-under-popup").count() == 1
    page.wait_for_timeout(500)  # past the re-check after the auto-pan
    close.click()
    page.wait_for_timeout(500)  # and a late re-check must not hide the control again
    assert page.locator(".guide-under-popup").count() == 0


def test_the_legend_starts_open_on_a_wide_map(guide_server, desktop):
    page, _ = desktop
    _standalone_map(page, guide_server, width=1000)
    assert page.locator(".guide-legend-toggle").get_attribute("aria-expanded") == "true"
    assert page.locator(".guide-legend > div").is_visible()


ADMIN_PASSWORD = "staple battery horse correct"
EDITOR_PAGES = {"zh": ("编辑工作台", "路线编辑", "兴趣点编辑", "账号管理"),
                "en": ("Editor desk", "Edit routes", "Edit points of interest", "Accounts")}


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    """A server of its own with one administrator, to check the pages behind the sign-in."""
    from harness import start_server, stop_server

    from routes.store import open_store

    tmp = tmp_path_factory.mktemp("a11y-admin")
    server = start_server(tmp)
    open_store(f"sqlite:///{tmp / 'guide.db'}").add_user("admin1", ADMIN_PASSWORD, "admin")
    yield server
    stop_server(server)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_axe_finds_nothing_serious_behind_the_sign_in(admin_server, chromium, lang):
    ctx, _ = open_context(chromium, DESKTOP)
    try:
        page = ctx.new_page()
        page.goto(f"{admin_server.url}/editor?lang={lang}")
        wait_for_app(page)
        page.locator('input[type="text"]').first.fill("admin1")
        page.locator('input[type="password"]').first.fill(ADMIN_PASSWORD)
        page.locator('[data-testid="stMain"] button').filter(has_text="登录" if lang == "zh" else "Sign in").click()
        page.get_by_role("heading", name=EDITOR_PAGES[lang][0]).wait_for()
        wait_for_app(page)
        for label in EDITOR_PAGES[lang]:
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=label).click()
            page.get_by_role("heading", name=label).first.wait_for()
            wait_for_app(page)
            page.wait_for_timeout(800)
            assert page.evaluate("() => document.documentElement.lang") == ("zh-CN" if lang == "zh" else "en")
            found = _axe(page)
            assert found == [], f"{label}: " + json.dumps(found, ensure_ascii=False, indent=1)
    finally:
        ctx.close()
