"""Browser journey of an organiser with an editor account: sign in, click the course to place a marker, save the plan,
and reopen it the next day in a fresh browser."""

from __future__ import annotations

import re
import time

import pytest
from harness import MAP_FRAME_SELECTOR, open_context, screenshot, start_server, stop_server, wait_for_app

from routes.store import open_store

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
ACCOUNT = "organiser1"
#: Laying out the race and building the race book and device files on first view.
PAGE_TIMEOUT_MS = 90_000
#: lianghu-loop's lap, as the planner lays it out (km); a click a third of the way round must land near a third of it.
CLICK_SHARE = 0.37


@pytest.fixture(scope="module")
def server(chromium, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("race-plans-e2e")
    guide = start_server(tmp)
    open_store(f"sqlite:///{tmp / 'guide.db'}").add_user(ACCOUNT, PASSWORD, "editor")
    yield guide.url
    stop_server(guide)


@pytest.fixture
def browser_page(chromium):
    def new_page():
        context, traffic = open_context(chromium, {"width": 1400, "height": 1000})
        pages.append((context, traffic))
        pg = context.new_page()
        pg.set_default_timeout(PAGE_TIMEOUT_MS)
        return pg

    pages: list = []
    yield new_page
    for context, traffic in pages:
        context.close()
        assert not traffic.foreign_non_tile(), traffic.foreign_non_tile()


def fill_sign_in_form(page) -> None:
    """The editor sign-in form, wherever it is shown (the sign-in steps live only here and in sign_in)."""
    page.get_by_role("textbox", name="用户名", exact=True).fill(ACCOUNT)
    page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def sign_in(page, url: str) -> None:
    """Sign in from the editor desk."""
    page.goto(f"{url}/editor?lang=zh")
    wait_for_app(page)
    fill_sign_in_form(page)
    page.get_by_role("heading", name="编辑工作台").wait_for()
    wait_for_app(page)


def _open_planner(page) -> None:
    """Follow the sidebar link (the same browser session, so the sign-in is kept)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="赛事规划").click()
    page.get_by_role("heading", name="赛事规划").first.wait_for()
    wait_for_app(page)


def _km_field(page):
    return page.get_by_label(re.compile(r"^位置（"))


#: A rerun can move the page between measuring the course on the map and clicking it (the point then lands outside
#: the map's frame); each try measures again.
COURSE_CLICK_TRIES = 4
COURSE_CLICK_TIMEOUT_MS = 15_000


def _click_on_course(page, share: float, *, offset_px: float = 0.0) -> None:
    """Click the drawn course ``share`` of the way along its line, ``offset_px`` beside it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(COURSE_CLICK_TRIES):
        frame_el = page.locator(MAP_FRAME_SELECTOR).first
        frame_el.scroll_into_view_if_needed()
        frame = frame_el.content_frame
        frame.locator("path.route-casing").first.wait_for()
        point = frame.locator(".leaflet-container").evaluate(
            """(container, [share, off]) => {
                const paths = [...document.querySelectorAll('path.route-casing')].filter(p => p.getTotalLength() > 0);
                const p = paths[0], len = p.getTotalLength();
                const a = p.getPointAtLength(len * share), b = p.getPointAtLength(Math.min(len, len * share + 2));
                const m = p.getScreenCTM();
                const toClient = q => ({x: q.x * m.a + q.y * m.c + m.e, y: q.x * m.b + q.y * m.d + m.f});
                const ca = toClient(a), cb = toClient(b);
                const dx = cb.x - ca.x, dy = cb.y - ca.y, n = Math.hypot(dx, dy) || 1;
                const box = container.getBoundingClientRect();
                return {x: ca.x - box.left - dy / n * off, y: ca.y - box.top + dx / n * off};
            }""",
            [share, offset_px],
        )
        try:
            frame.locator(".leaflet-container").click(position=point, timeout=COURSE_CLICK_TIMEOUT_MS)
            return
        except PlaywrightTimeout:
            if attempt == COURSE_CLICK_TRIES - 1:
                raise
            page.wait_for_timeout(1000)


def _choose(page, label: str, option: str, attempts: int = 5) -> None:
    """Pick ``option`` in a selectbox. The map click's rerun can redraw the form just as the list opens (closing
    it), so open it again until the option shows."""
    for _ in range(attempts):
        page.get_by_label(label).click()
        choice = page.get_by_role("option", name=option)
        try:
            choice.wait_for(timeout=5_000)
        except Exception:  # noqa: BLE001 - the list closed under a rerun: open it again
            wait_for_app(page)
            continue
        choice.click()
        return
    raise AssertionError(f"the list {label!r} never offered {option!r}")


def _wait_km_change(page, before: str, timeout_s: float = 30) -> float:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = _km_field(page).input_value()
        if value != before:
            return float(value)
        time.sleep(0.2)
    raise AssertionError(f"the position field stayed at {before}")


def test_signed_in_editor_places_a_marker_by_click_saves_and_reopens_the_plan(server, browser_page):
    page = browser_page()
    sign_in(page, server)
    _open_planner(page)
    assert "登录编辑账号后可以保存计划" not in page.locator('[data-testid="stMain"]').inner_text()

    # a click 12 px beside the course, a third of the way round, fills the position with that km
    lap_km = float(re.search(r"(\d+\.\d) 公里\）", page.locator('[data-testid="stMain"]').inner_text()).group(1))
    before = _km_field(page).input_value()
    _click_on_course(page, CLICK_SHARE, offset_px=12)
    wait_for_app(page)
    km = _wait_km_change(page, before)
    assert abs(km - CLICK_SHARE * lap_km) < 0.15 * lap_km, (km, lap_km)
    _choose(page, "类型", "补给站")
    page.get_by_label("名称", exact=True).fill("点选补给")
    page.get_by_role("button", name="添加").click()
    wait_for_app(page)
    page.locator('[data-testid="stMain"]').get_by_text("补给站 · 点选补给").first.wait_for()  # in the timetable
    screenshot(page, "race-plan-click-placed-desktop-zh")

    page.get_by_label("计划编号（字母、数字、短横线）").fill("spring-race")
    page.get_by_label("计划编号（字母、数字、短横线）").press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="保存计划").click()
    page.get_by_text("已保存，第 1 版").wait_for()

    # the next day, another browser (signed in again): the plan is listed with its last change and loads back
    later = browser_page()
    later.goto(f"{server}/race?lang=zh")
    # a new browser has no cookie: the planner's deep link shows the sign-in form and comes back after it
    fill_sign_in_form(later)
    later.get_by_role("heading", name="赛事规划").first.wait_for()
    wait_for_app(later)
    main = later.locator('[data-testid="stMain"]')
    main.get_by_text("已保存的计划").wait_for()
    later.get_by_label("赛事计划").first.click()
    later.get_by_role("option", name=re.compile(rf"^spring-race（.* 由 {ACCOUNT} 修改）$")).click()
    wait_for_app(later)
    later.get_by_role("button", name="载入").click()
    wait_for_app(later)
    later.locator('[data-testid="stMain"]').get_by_text("补给站 · 点选补给").first.wait_for()
    assert later.get_by_label("计划编号（字母、数字、短横线）").input_value() == "spring-race"


#: Corpus files that showed a ValueError traceback in 路线编辑 → 新建路线, and the line each must show instead.
ODD_UPLOADS = {
    "togeojson__osmand_empty-trk.gpx": "文件里没有任何轨迹点",
    "togeojson__xcode_waypoints-only_no-namespace.gpx": "文件里只有",
    "gpxpy__unicode2.gpx": "文件里没有任何轨迹点",
}


def test_odd_uploads_get_a_message_never_a_traceback(server, browser_page, corpus_dir):
    page = browser_page()
    sign_in(page, server)
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="路线编辑").click()
    page.get_by_role("heading", name="路线编辑").first.wait_for()
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    for name, expected in ODD_UPLOADS.items():
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(corpus_dir / name))
        wait_for_app(page)
        main.get_by_text(f"“{name}”").first.wait_for(timeout=30_000)  # "read as GPX file “name”": this file's run
        wait_for_app(page)
        text = main.inner_text()
        assert expected in text, (name, text[:1500])
        assert "Traceback" not in text and "ValueError" not in text, name
        assert page.locator('[data-testid="stException"]').count() == 0, name
    screenshot(page, "editor-odd-upload-desktop-zh")
