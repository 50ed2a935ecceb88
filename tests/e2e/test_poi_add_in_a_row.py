"""Adding POIs one after another by clicking the map, in real Chromium (issue 24): after each add the form is back on
"new point", so the next click and name make a new point -- never a change to the one just added. Picking a point is
the explicit way to change it; the map rings it, and a click then asks whether to move it or add a new one."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from harness import GuideServer, main_text, map_frame, start_server, stop_server, wait_for_app, wait_text

from routes.store import open_store

pytestmark = pytest.mark.e2e

ACCOUNT, PASSWORD = "poi-editor", "correct horse battery"
#: Three points added in a row: Chinese and English names.
NAMES = (("茶亭", "Tea pavilion"), ("观湖台", "Lake terrace"), ("竹林小憩", "Bamboo rest"))
#: Spots to click, as fractions of the map's width and height; a spot on a marker or control opens that instead of
#: picking a position, so the next one is tried.
SPOTS = ((0.3, 0.7), (0.65, 0.3), (0.2, 0.25), (0.75, 0.75), (0.45, 0.55), (0.55, 0.15), (0.15, 0.5), (0.85, 0.5))
#: What the page says once a map click has been read (and only while it is not used yet).
CLICKED = "地图上选中的位置"


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium) -> Iterator[GuideServer]:
    """A server of its own: the test adds points."""
    guide = start_server(tmp_path_factory.mktemp("poi-row-e2e"))
    open_store(guide.db_url).add_user(ACCOUNT, PASSWORD, "editor")
    yield guide
    stop_server(guide)


def _sign_in_to_poi_editor(page, url: str) -> None:
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


def _click_an_empty_spot(page, tried: set[tuple[float, float]]) -> None:
    """Click the map where nothing is yet, until the page says it read the click."""
    frame = map_frame(page)
    container = frame.locator(".leaflet-container")
    container.wait_for()
    box = container.bounding_box()
    for spot in SPOTS:
        if spot in tried:
            continue
        tried.add(spot)
        container.click(position={"x": box["width"] * spot[0], "y": box["height"] * spot[1]})
        try:
            wait_text(page, CLICKED, timeout_s=10)
        except AssertionError:
            continue  # a marker or a control was there
        wait_for_app(page)
        return
    raise AssertionError("no empty spot on the map took a click")


def _wait_gone(page, text: str, timeout_s: float = 20) -> None:
    """Until the main area no longer says ``text`` (Streamlit keeps the run before's elements, dimmed, until the new
    run has finished); fail if it still does."""
    deadline = time.monotonic() + timeout_s
    while text in main_text(page):
        assert time.monotonic() < deadline, f"{text!r} is still shown:\n{main_text(page)[:2000]}"
        time.sleep(0.2)


def test_three_points_in_a_row_by_map_clicks(server, desktop):
    page, traffic = desktop
    _sign_in_to_poi_editor(page, server.url)
    store = open_store(server.db_url)
    before = {p.id for p in store.list_pois()}
    tried: set[tuple[float, float]] = set()
    for zh, en in NAMES:
        page.get_by_role("heading", name="新建兴趣点").wait_for()  # the form adds, it does not edit
        _click_an_empty_spot(page, tried)
        map_frame(page).locator("path.poi-pending").wait_for()  # the picked spot is marked on the map
        page.get_by_role("textbox", name="中文名称", exact=True).fill(zh)
        page.get_by_role("textbox", name="英文名称", exact=True).fill(en)
        page.get_by_role("button", name="添加兴趣点").click()
        wait_text(page, f"已添加“{zh}”")
        wait_for_app(page)
        _wait_gone(page, CLICKED)  # the click is used up: it fills no second form
        assert page.get_by_role("textbox", name="中文名称", exact=True).input_value() == ""
    added = [p for p in store.list_pois() if p.id not in before]
    assert sorted((p.name_zh, p.name_en) for p in added) == sorted(NAMES)
    assert len({(p.lat, p.lon) for p in added}) == 3  # each where it was clicked
    assert all([r.action for r in store.poi_revisions(p.id)] == ["create"] for p in added)  # none overwritten
    assert not traffic.foreign_non_tile(), traffic.foreign_non_tile()


def test_a_click_while_editing_asks_and_changes_nothing(server, desktop):
    page, _ = desktop
    _sign_in_to_poi_editor(page, server.url)
    store = open_store(server.db_url)
    target = next(p for p in store.list_pois() if p.name_zh == NAMES[0][0])
    assert map_frame(page).locator("path.poi-selected").count() == 0  # nothing selected: no ring
    page.get_by_label("选择兴趣点").click()
    page.keyboard.type(NAMES[0][0])
    page.get_by_role("option", name=f"{NAMES[0][0]} · 观景点").click()
    page.get_by_role("heading", name=f"正在编辑：{NAMES[0][0]}").wait_for()
    wait_for_app(page)
    map_frame(page).locator("path.poi-selected").wait_for()  # the point being edited is ringed on the map
    _click_an_empty_spot(page, set())
    assert page.get_by_role("button", name="在这里新建兴趣点").count() == 1
    assert page.get_by_role("button", name="把选中的兴趣点移到这里").count() == 1
    assert store.get_poi(target.id).lat == target.lat  # a click alone moves nothing
    # "New point here" leaves the point alone and fills an empty new form with the clicked spot.
    page.get_by_role("button", name="在这里新建兴趣点").click()
    page.get_by_role("heading", name="新建兴趣点").wait_for()
    wait_for_app(page)
    assert page.get_by_role("textbox", name="中文名称", exact=True).input_value() == ""
    assert page.get_by_role("spinbutton", name="纬度（WGS-84）").input_value() != ""
    assert map_frame(page).locator("path.poi-selected").count() == 0
    assert store.get_poi(target.id).version == target.version
