"""Sign-in in real Chromium: the cookie session survives reloads and new tabs, sign-out ends it on the server, visitors
see one "sign in" entry instead of the staff menu, and an organiser can save from the race planner."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from harness import (
    DESKTOP,
    PAGE_TIMEOUT_MS,
    GuideServer,
    open_context,
    screenshot,
    start_server,
    stop_server,
    wait_for_app,
)

from routes.store import open_store

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
COOKIE = "guide_session"


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium) -> Iterator[GuideServer]:
    tmp = tmp_path_factory.mktemp("signin-e2e")
    srv = start_server(tmp)
    store = open_store(f"sqlite:///{tmp / 'guide.db'}")
    store.add_user("editor1", PASSWORD, "editor")
    store.add_user("org1", PASSWORD, "organiser")
    yield srv
    stop_server(srv)


@pytest.fixture
def ctx(chromium):
    context, _traffic = open_context(chromium, DESKTOP)
    yield context
    context.close()


def _heading(page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text()


def _menu(page) -> list[str]:
    return [x.strip().split("\n")[-1] for x in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]


def _sign_in(page, url: str, user: str, *, path: str = "editor", landing: str = "编辑工作台") -> None:
    page.goto(f"{url}/{path}?lang=zh")
    wait_for_app(page)
    assert _heading(page) == "编辑登录"
    page.get_by_role("textbox", name="用户名", exact=True).fill(user)
    page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**/{path}?lang=zh")
    page.get_by_role("heading", name=landing).first.wait_for()
    wait_for_app(page)


def _cookie(context) -> dict:
    found = [c for c in context.cookies() if c["name"] == COOKIE]
    assert len(found) == 1, context.cookies()
    return found[0]


def test_visitors_see_one_sign_in_entry_and_deep_links_show_the_form(server, ctx):
    page = ctx.new_page()
    page.goto(f"{server.url}/?lang=zh")
    wait_for_app(page)
    menu = _menu(page)
    assert "编辑登录" in menu
    assert not {"路线编辑", "兴趣点编辑", "账号管理", "赛事规划", "编辑工作台"} & set(menu), menu
    screenshot(page, "signin-visitor-menu-desktop-zh")
    for path in ("race", "editor_routes", "editor_admin"):
        page.goto(f"{server.url}/{path}?lang=zh")
        wait_for_app(page)
        assert _heading(page) == "编辑登录"
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "Traceback" not in main and "not found" not in main.lower()
        assert page.get_by_role("dialog").count() == 0


def test_sign_in_survives_reload_and_new_tab_and_sign_out_ends_it(server, ctx):
    page = ctx.new_page()
    _sign_in(page, server.url, "editor1")
    cookie = _cookie(ctx)
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax" and cookie["secure"] is False
    assert "editor1" not in cookie["value"]
    assert "路线编辑" in _menu(page) and "赛事规划" in _menu(page)

    page.reload()
    wait_for_app(page)
    assert _heading(page) == "编辑工作台"

    tab = ctx.new_page()
    tab.goto(f"{server.url}/editor_pois?lang=zh")
    wait_for_app(tab)
    assert _heading(tab) == "兴趣点编辑"
    tab.close()

    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="退出登录").click()
    page.get_by_role("heading", name="编辑登录").first.wait_for()
    wait_for_app(page)
    assert not [c for c in ctx.cookies() if c["name"] == COOKIE]
    page.reload()
    wait_for_app(page)
    assert _heading(page) == "编辑登录"
    screenshot(page, "signin-after-signout-desktop-zh")

    # The old cookie, copied back in, is worthless: the session ended on the server.
    ctx.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path", "httpOnly", "sameSite")}])
    page.goto(f"{server.url}/editor?lang=zh")
    wait_for_app(page)
    assert _heading(page) == "编辑登录"


def test_an_organiser_opens_the_race_planner_and_may_save(server, ctx):
    page = ctx.new_page()
    _sign_in(page, server.url, "org1", path="race", landing="赛事规划")
    menu = _menu(page)
    assert "赛事规划" in menu and "路线编辑" not in menu and "账号管理" not in menu
    page.get_by_role("textbox", name="计划编号（字母、数字、短横线）").fill("org-test-race")
    page.get_by_role("textbox", name="计划编号（字母、数字、短横线）").press("Enter")
    wait_for_app(page)
    save = page.get_by_role("button", name="保存计划")
    save.scroll_into_view_if_needed()
    # The plan id's rerun enables the button; on a busy machine it can land just after the app looked idle.
    page.wait_for_function("el => !el.disabled", arg=save.element_handle(), timeout=PAGE_TIMEOUT_MS)
    assert save.is_enabled()
    assert "登录编辑账号后可以保存计划" not in page.locator('[data-testid="stMain"]').inner_text()
    screenshot(page, "signin-organiser-race-desktop-zh")
    # An organiser opening an editor page by URL is told it needs an editor account: no traceback, no form.
    page.goto(f"{server.url}/editor_routes?lang=zh")
    page.get_by_text("此页面需要编辑账号。").wait_for()
    assert "Traceback" not in page.locator('[data-testid="stMain"]').inner_text()


def test_behind_our_proxy_failures_count_against_the_visitors_address(server, chromium):
    """From loopback (our own nginx) the last X-Forwarded-For hop is the visitor: guesses from one visitor must not
    count against everyone the proxy serves."""
    context, _traffic = open_context(chromium, DESKTOP, extra_http_headers={"X-Forwarded-For": "10.9.9.9, 203.0.113.7"})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/editor?lang=zh")
        wait_for_app(page)
        page.get_by_role("textbox", name="用户名", exact=True).fill("editor1")
        page.get_by_role("textbox", name="密码", exact=True).fill("wrong password!")
        page.get_by_role("button", name="登录").click()
        page.get_by_text("用户名或密码不正确。").wait_for()
    finally:
        context.close()
    store = open_store(server.db_url)
    assert store.throttle_failures("addr:203.0.113.7") == 1
    assert store.throttle_failures("addr:127.0.0.1") == 0
