"""Every page opens by direct URL as the very first request a freshly started server sees.

Until a session has run app.py, Streamlit treats the pages/ folder as an old-style multipage app; the frame leaves
that mode (pages/_shared.py) and each page's URL path equals its file name so the page survives the switch. Only the
first request of a process can show the problem, so each case gets its own new server.
"""

from __future__ import annotations

import re

import pytest
from harness import DESKTOP, open_context, start_server, stop_server, wait_for_app

from tests.conftest import ROOT

# url path -> the first heading a visitor sees there (Chinese, the default language; editors see the sign-in form).
FIRST_HEADING = {
    "catalogue": "骑行路线",
    "route": "天香骑行线",
    "pois": "沿途景点",
    "editor": "编辑登录",
    "editor_routes": "编辑登录",
    "editor_pois": "编辑登录",
    "editor_admin": "编辑登录",
    "race": "编辑登录",  # the race planner is for signed-in organisers and editors (issue 13)
}
#: What a visitor types for each page: the default page (the catalogue) lives at the root, as Streamlit serves it.
REQUEST = {"catalogue": "", "route": "route?id=tianxiang"}


def test_every_registered_page_is_covered():
    registered = set(re.findall(r'PageSpec\(\s*"\w+",\s*"pages/(\w+)\.py",\s*"(\w+)"', (ROOT / "app.py").read_text()))
    assert {url for _, url in registered} == set(FIRST_HEADING)
    # The URL path must be the file name: that is what keeps a first deep link on its page (module docstring).
    assert all(stem == url for stem, url in registered)


@pytest.mark.parametrize("url_path", sorted(FIRST_HEADING))
def test_first_request_is_a_deep_link(url_path, chromium, tmp_path):
    server = start_server(tmp_path)
    try:
        ctx, _ = open_context(chromium, DESKTOP)
        page = ctx.new_page()
        page.goto(f"{server.url}/{REQUEST.get(url_path, url_path)}")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().strip() == FIRST_HEADING[url_path]
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        # Visitors see the cyclists' pages and one "sign in" entry; the staff pages stay hidden (yet reachable).
        assert "骑行者" in nav and "编辑登录" in nav and "_shared" not in nav
        assert "路线编辑" not in nav and "账号管理" not in nav and "赛事规划" not in nav
        dialogs = page.get_by_role("dialog")
        assert not (dialogs.count() and "not found" in dialogs.first.inner_text().lower())
        assert "lang=zh" in page.url
        ctx.close()
    finally:
        stop_server(server)
