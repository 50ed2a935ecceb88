"""Areas drawn by mouse on the POI editor's map, in real Chromium (issue 24): a rectangle and a polygon drawn with the
map's tools are saved as the points' outlines, stored like imported ones; one vertex dragged and saved again changes
the outline, and the history keeps both versions. The drawing tools come from the app itself (no CDN)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from harness import (
    MAP_FRAME_SELECTOR,
    GuideServer,
    map_frame,
    open_context,
    start_server,
    stop_server,
    wait_for_app,
    wait_text,
)

from routes.store import open_store

pytestmark = pytest.mark.e2e

ACCOUNT, PASSWORD = "area-editor", "correct horse battery"
#: Two points to give an outline to (WGS-84), far enough apart that one fills the map at DRAW_ZOOM alone.
POINTS = {"rect": ("矩形范围测试", "Rectangle test", 30.0300, 120.9300),
          "poly": ("多边形范围测试", "Polygon test", 30.0600, 120.9700)}
#: Zoom the map is set to before drawing: one CSS pixel is about 2 m, so each vertex is placed to a few metres.
DRAW_ZOOM = 16
#: The drawn and the stored vertices agree to this many degrees (the store keeps 6 decimals of a drawn vertex: 0.1 m;
#: the mouse lands on whole pixels, which Leaflet turns into positions exactly as the test computes them).
TOLERANCE_DEG = 3e-6
#: Where the vertices go, as fractions of the map's width and height (clear of the controls in the corners and of the
#: point's own marker in the middle).
RECT_CORNERS = ((0.25, 0.3), (0.7, 0.75))
POLYGON = ((0.3, 0.25), (0.75, 0.3), (0.7, 0.75), (0.35, 0.7))
#: How far the edited vertex is dragged, CSS pixels.
DRAG_PX = (40, 30)
PENDING = "尚未保存"


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium) -> Iterator[GuideServer]:
    guide = start_server(tmp_path_factory.mktemp("poi-draw-e2e"))
    store = open_store(guide.db_url)
    store.add_user(ACCOUNT, PASSWORD, "editor")
    for zh, en, lat, lon in POINTS.values():
        store.create_poi({"name_zh": zh, "name_en": en, "category": "viewpoint", "lat": lat, "lon": lon}, user="seed")
    yield guide
    stop_server(guide)


def _open_editor(page, url: str) -> None:
    page.goto(f"{url}/editor?lang=zh")
    wait_for_app(page)
    page.get_by_role("textbox", name="用户名", exact=True).fill(ACCOUNT)
    page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="编辑工作台").wait_for()
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="兴趣点编辑").click()
    page.get_by_role("heading", name="兴趣点编辑").first.wait_for()
    wait_for_app(page)
    # OpenStreetMap's frame is WGS-84: what is drawn is what is stored (the GCJ-02 round trip has its unit test).
    page.get_by_label("底图").click()
    page.get_by_role("option", name="OpenStreetMap").click()
    wait_for_app(page)


def _pick(page, name: str) -> None:
    page.get_by_label("选择兴趣点").click()
    page.keyboard.type(name)
    page.get_by_role("option", name=re.compile(name)).click()
    page.get_by_role("heading", name=f"正在编辑：{name}").wait_for()
    wait_for_app(page)


def _draw_frame(page, lat: float, lon: float, *, outline: bool = False):
    """The editor map's frame once its drawing tools are up (with the point's saved outline loaded to edit, when
    ``outline``: the frame of the run before the save is replaced), zoomed in on (lat, lon)."""
    wait_for_app(page)
    tools = map_frame(page).locator(".leaflet-draw-draw-polygon")
    tools.wait_for()
    if outline:
        map_frame(page).locator("path.poi-drawn-area").wait_for()
    frame = page.locator(MAP_FRAME_SELECTOR).first.element_handle().content_frame()
    frame.wait_for_function("() => !!window.map")
    frame.evaluate(f"() => window.map.setView([{lat}, {lon}], {DRAW_ZOOM}, {{animate: false}})")
    page.wait_for_timeout(300)
    return frame


def _spots(frame, fractions) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Page coordinates of spots given as fractions of the map, and the (lat, lon) Leaflet puts there."""
    box = frame.locator("#map_div").bounding_box()
    pixels, positions = [], []
    for fx, fy in fractions:
        x, y = box["width"] * fx, box["height"] * fy
        pixels.append((box["x"] + x, box["y"] + y))
        ll = frame.evaluate(f"() => {{ const p = window.map.containerPointToLatLng([{x}, {y}]); return [p.lat, p.lng]; }}")
        positions.append((ll[0], ll[1]))
    return pixels, positions


def _ring(store, name: str) -> list[tuple[float, float]]:
    """The stored outline's ring as (lat, lon), closing vertex left out."""
    poi = next(p for p in store.list_pois() if p.name_zh == name)
    assert poi.area and poi.area["type"] == "Polygon", poi.area
    return [(lat, lon) for lon, lat in poi.area["coordinates"][0][:-1]]


def _same_vertices(got: list[tuple[float, float]], want: list[tuple[float, float]]) -> bool:
    """The same vertices in any order and either direction (Leaflet starts a rectangle at its south-west corner)."""
    return len(got) == len(want) and all(
        any(abs(g[0] - w[0]) <= TOLERANCE_DEG and abs(g[1] - w[1]) <= TOLERANCE_DEG for g in got) for w in want)


def _save(page, version: int) -> None:
    wait_text(page, PENDING)
    page.get_by_role("button", name="保存修改").click()
    wait_text(page, f"已保存为第 {version} 版。")
    wait_for_app(page)


def test_draw_a_rectangle_and_a_polygon_then_edit_a_vertex(server, chromium):
    store = open_store(server.db_url)
    ctx, traffic = open_context(chromium, {"width": 1280, "height": 1000})
    page = ctx.new_page()
    try:
        _open_editor(page, server.url)

        # --- a rectangle, dragged with the mouse ----------------------------------------------------------------
        zh, _en, lat, lon = POINTS["rect"]
        _pick(page, zh)
        page.get_by_text("在地图上画范围（多边形或矩形）").click()
        wait_for_app(page)
        frame = _draw_frame(page, lat, lon)
        (a, b), ((lat1, lon1), (lat2, lon2)) = _spots(frame, RECT_CORNERS)
        frame.locator(".leaflet-draw-draw-rectangle").click()
        page.mouse.move(*a)
        page.mouse.down()
        page.mouse.move(*b, steps=12)
        page.mouse.up()
        _save(page, 2)
        corners = [(lat1, lon1), (lat1, lon2), (lat2, lon2), (lat2, lon1)]
        assert _same_vertices(_ring(store, zh), corners), (_ring(store, zh), corners)

        # --- a polygon, clicked vertex by vertex and closed on the first -------------------------------------------
        zh, _en, lat, lon = POINTS["poly"]
        _pick(page, zh)
        frame = _draw_frame(page, lat, lon)
        pixels, positions = _spots(frame, POLYGON)
        frame.locator(".leaflet-draw-draw-polygon").click()
        for x, y in [*pixels, pixels[0]]:
            page.mouse.click(x, y)
            page.wait_for_timeout(350)
        _save(page, 2)
        first = _ring(store, zh)
        assert _same_vertices(first, positions), (first, positions)

        # --- one vertex dragged to a new place, then saved --------------------------------------------------------
        frame = _draw_frame(page, lat, lon, outline=True)
        frame.locator(".leaflet-draw-edit-edit").click()
        page.wait_for_timeout(300)
        vlat, vlon = first[1]
        start = frame.evaluate(f"() => {{ const p = window.map.latLngToContainerPoint([{vlat}, {vlon}]);"
                               " return [p.x, p.y]; }")
        box = frame.locator("#map_div").bounding_box()
        sx, sy = box["x"] + start[0], box["y"] + start[1]
        ex, ey = start[0] + DRAG_PX[0], start[1] + DRAG_PX[1]
        moved = frame.evaluate(f"() => {{ const p = window.map.containerPointToLatLng([{ex}, {ey}]);"
                               " return [p.lat, p.lng]; }")
        page.mouse.move(sx, sy)
        page.mouse.down()
        page.mouse.move(box["x"] + ex, box["y"] + ey, steps=10)
        page.mouse.up()
        frame.get_by_role("link", name="确认").click()
        _save(page, 3)
        second = _ring(store, zh)
        want = [tuple(moved) if i == 1 else v for i, v in enumerate(first)]
        assert _same_vertices(second, want), (second, want)
        assert not _same_vertices(second, first)

        # --- the history has both outlines -----------------------------------------------------------------------
        poi = next(p for p in store.list_pois() if p.name_zh == zh)
        outlines = [r.fields.get("area") for r in store.poi_revisions(poi.id)]
        assert outlines[0] is None and outlines[1] and outlines[2] and outlines[1] != outlines[2]
        page.locator('[data-testid="stMain"]').get_by_role("tab", name="历史记录").click()
        page.get_by_label("要恢复的版本").click()
        page.get_by_role("option").first.wait_for()
        options = [o.inner_text() for o in page.get_by_role("option").all()]
        assert options == [f"第 2 版 · {zh}", f"第 1 版 · {zh}"], options  # version 3 is the current one
    finally:
        ctx.close()
    assert not traffic.foreign_non_tile(), traffic.foreign_non_tile()
