"""Issue 25: an organiser saves a plan of 3 laps of lianghu-loop in the race planner and publishes it; until then a
visitor's browser gets "not found" at /r/race/<slug>, afterwards the race page with its map, profile and timetable,
in Chinese and in English, and the closure notice."""

from __future__ import annotations

import pytest
from harness import DESKTOP, PHONE, open_context, open_page, start_server, stop_server, wait_for_app, wait_text

from routes.store import open_store

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
ACCOUNT = "racer1"
SLUG = "lianghu-open"
#: Laying out the race and building the race book and device files on first view.
PAGE_TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def server(chromium, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("race-publish-e2e")
    guide = start_server(tmp)
    open_store(f"sqlite:///{tmp / 'guide.db'}").add_user(ACCOUNT, PASSWORD, "organiser")
    yield guide.url
    stop_server(guide)


def _visit(chromium, url: str, viewport: dict, *, touch: bool = False):
    """A visitor's browser (no cookie) on ``url``: (context, traffic, page, HTTP status)."""
    options = {"has_touch": True, "is_mobile": True} if touch else {}
    context, traffic = open_context(chromium, viewport, **options)
    page = context.new_page()
    reply = page.goto(url)
    return context, traffic, page, reply.status


def _race_page_shows_map_profile_and_timetable(page, *, heading: str, timetable: str, speeds: str) -> None:
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    page.locator(".viewer-map.leaflet-container").wait_for()  # the light viewer drew the map with its own Leaflet
    page.locator(".viewer-map path.leaflet-interactive").first.wait_for(state="attached")  # the course line
    assert page.locator(".viewer-map .poi-marker").count() == 2  # the race's pins: the feed zone and the KOM
    assert page.locator("svg.elevation-profile").count() == 1
    page.get_by_role("heading", name=timetable, exact=True).wait_for()
    rows = page.locator("table.timetable tbody tr")
    assert rows.count() == 10  # start, feed and KOM on each of 3 laps, 2 lap lines, finish
    assert speeds in page.locator("table.timetable thead").inner_text()
    # nothing wider than the window: no clipped button or table
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_organiser_publishes_and_a_visitor_then_sees_the_race_page(server, chromium):
    context, traffic = open_context(chromium, DESKTOP)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    open_page(page, server, "race?lang=zh", user=ACCOUNT, password=PASSWORD)
    page.get_by_role("heading", name="赛事规划").first.wait_for()
    # the planner's default markers: a KOM at the top of the lap's climb and a feed zone at half a lap
    page.get_by_role("button", name="按爬坡与中点生成默认标记").click()
    wait_for_app(page)
    page.get_by_label("计划编号（字母、数字、短横线）").fill(SLUG)
    page.get_by_label("计划编号（字母、数字、短横线）").press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="保存计划").click()
    page.get_by_text("已保存，第 1 版").wait_for()
    wait_text(page, "未发布")

    race_url = f"{server}/r/race/{SLUG}"
    ctx, visitor_traffic, visitor, status = _visit(chromium, race_url, DESKTOP)
    assert status == 404 and "找不到这个页面" in visitor.content()
    ctx.close()

    page.get_by_role("button", name="发布赛事页面").click()
    wait_text(page, "已发布")
    page.get_by_role("button", name="撤回发布").wait_for()
    context.close()
    assert not traffic.foreign_non_tile(), traffic.foreign_non_tile()

    for url, viewport, touch, heading, timetable, speeds in (
        (race_url, DESKTOP, False, "两湖", "时间表", "40 公里/时"),
        (f"{race_url}?lang=en", PHONE, True, "Lianghu", "Timetable", "40 km/h"),
    ):
        ctx, visitor_traffic, visitor, status = _visit(chromium, url, viewport, touch=touch)
        assert status == 200
        name = visitor.locator("h1").inner_text()
        assert heading in name and "草稿" not in name and "draft" not in name
        _race_page_shows_map_profile_and_timetable(visitor, heading=name, timetable=timetable, speeds=speeds)
        visitor.locator('a[href*="/closures"]').first.click()
        visitor.locator("h1.notice-title").wait_for()
        assert visitor.locator("table.closures tbody tr").count() == 3  # start→feed, feed→KOM, KOM→line/finish
        ctx.close()
        assert not visitor_traffic.foreign_non_tile(), visitor_traffic.foreign_non_tile()
