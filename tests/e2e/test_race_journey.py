"""Browser journey: an organiser plans three laps of lianghu-loop with a feed zone, reads the timetable, downloads
the race book."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from harness import open_context, start_server, stop_server

from routes.store import open_store

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
#: Laying out the race and building the race book and device files on first view.
PAGE_TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def server(chromium, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("race-e2e")
    guide = start_server(tmp)
    open_store(f"sqlite:///{tmp / 'guide.db'}").add_user("org1", PASSWORD, "organiser")
    yield guide.url
    stop_server(guide)


@pytest.fixture
def page(chromium, server):
    context, traffic = open_context(chromium, {"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(PAGE_TIMEOUT_MS)
    yield pg
    context.close()
    # Nothing but map tiles may be asked of another host (and those are refused here too).
    assert not traffic.foreign_non_tile(), traffic.foreign_non_tile()


def _wait_idle(page) -> None:
    """Streamlit shows a running indicator while the script runs; wait until it is gone."""
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=PAGE_TIMEOUT_MS)


def test_plan_three_laps_with_a_feed_zone_and_download_the_race_book(server, page):
    page.goto(server + "/race?lang=zh")
    # The planner is for signed-in organisers: the deep link shows the sign-in form and returns here after it.
    page.get_by_role("textbox", name="用户名", exact=True).fill("org1")
    page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="赛事规划").wait_for()
    _wait_idle(page)

    laps = page.get_by_label("圈数")
    laps.fill("3")
    laps.press("Enter")
    _wait_idle(page)

    # a feed zone at km 12 of the lap, repeated on every lap
    page.get_by_label("位置（第 1 圈的公里数）").fill("12")
    page.get_by_label("名称", exact=True).fill("一号补给")
    page.get_by_role("button", name="添加").click()
    _wait_idle(page)

    timetable = page.locator("table.guide-table").filter(has_text="40 公里/时").first
    timetable.get_by_text("补给区 · 一号补给").first.wait_for()
    assert timetable.get_by_text("补给区 · 一号补给").count() == 3
    assert timetable.get_by_text("终点").count() == 1
    assert page.get_by_text("40 公里/时").first.is_visible()
    assert page.get_by_text("交通管制时段").first.is_visible()

    with page.expect_download() as info:
        page.get_by_role("button", name="下载赛事手册（PDF）").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 4
    assert "两湖环线" in text and "时间表" in text and "一号补给" in text
