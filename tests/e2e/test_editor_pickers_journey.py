"""Browser journey: the POI picker follows a rename and stays on the point after a restore (the browser answers with
the picker's old label, which AppTest does not imitate, so this is checked in real Chromium)."""

from __future__ import annotations

import re

import pytest
from harness import open_context, start_server, stop_server, wait_for_app

from routes.store import open_store

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
ACCOUNT = "editor2"


@pytest.fixture(scope="module")
def server(chromium, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pickers-e2e")
    guide = start_server(tmp)
    store = open_store(f"sqlite:///{tmp / 'guide.db'}")
    store.add_user(ACCOUNT, PASSWORD, "editor")
    yield guide.url, store
    stop_server(guide)


def sign_in(page, url: str) -> None:
    """The editor sign-in (one place: the sign-in flow may change, e.g. to a cookie session)."""
    page.goto(f"{url}/editor?lang=zh")
    wait_for_app(page)
    page.get_by_role("textbox", name="用户名", exact=True).fill(ACCOUNT)
    page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="编辑工作台").wait_for()
    wait_for_app(page)


def _picked(page) -> str:
    return page.get_by_label("选择兴趣点").evaluate("e => e.value || e.closest('[data-testid=stSelectbox]').innerText")


def test_poi_picker_shows_the_new_name_and_stays_after_a_restore(server, chromium):
    url, store = server
    poi = store.create_poi(
        {"name_zh": "旧名测试", "name_en": "Old name", "category": "food", "lat": 30.0, "lon": 120.85}, user="bob"
    )
    ctx, traffic = open_context(chromium, {"width": 1280, "height": 900})
    page = ctx.new_page()
    try:
        sign_in(page, url)
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="兴趣点编辑").click()
        page.get_by_role("heading", name="兴趣点编辑").first.wait_for()
        wait_for_app(page)
        page.get_by_label("选择兴趣点").click()
        page.keyboard.type("旧名测试")
        page.get_by_role("option", name=re.compile("旧名测试")).click()
        wait_for_app(page)

        page.get_by_role("textbox", name="中文名称", exact=True).fill("新名测试")
        page.get_by_role("button", name="保存修改").click()
        wait_for_app(page)
        page.get_by_text("已保存为第 2 版。").first.wait_for()
        assert store.get_poi(poi.id).name_zh == "新名测试"
        assert _picked(page).startswith("新名测试"), _picked(page)

        page.locator('[data-testid="stMain"]').get_by_role("tab", name="历史记录").click()
        page.get_by_role("button", name=re.compile("恢复到第")).click()
        wait_for_app(page)
        page.get_by_text(re.compile("已恢复第 1 版的内容")).first.wait_for()
        assert store.get_poi(poi.id).name_zh == "旧名测试"
        assert _picked(page).startswith("旧名测试"), _picked(page)  # not "新建兴趣点"
    finally:
        ctx.close()
    assert not traffic.foreign_non_tile(), traffic.foreign_non_tile()
