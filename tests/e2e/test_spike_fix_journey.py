"""In real Chromium: an editor uploads a recording with elevation spikes and jumps, reads them in the quality report,
removes the spikes with one click and saves; the store keeps the upload as the revision's original."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from harness import GuideServer, main_text, screenshot, start_server, stop_server, wait_for_app, wait_text

from routes.store import open_store

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
#: A hike with two elevation spikes, jumps and a +31 m step at a segment join (docs/analysis.md).
UPLOAD = "gpxpy__korita-zbevnica.gpx"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[GuideServer, str]]:
    tmp = tmp_path_factory.mktemp("spike-e2e")
    srv = start_server(tmp)
    url = f"sqlite:///{tmp / 'guide.db'}"
    open_store(url).add_user("editor1", PASSWORD, "editor")
    yield srv, url
    stop_server(srv)


def test_remove_spikes_in_one_click(server, desktop, corpus_dir):
    srv, db_url = server
    page, traffic = desktop
    page.goto(f"{srv.url}/editor?lang=zh")
    wait_for_app(page)
    page.get_by_role("textbox", name="用户名", exact=True).fill("editor1")
    page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="编辑工作台").wait_for()
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="路线编辑").click()
    page.get_by_role("heading", name="路线编辑").first.wait_for()
    wait_for_app(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(corpus_dir / UPLOAD))
    wait_text(page, "海拔有 5 处几乎原地的跳变或分段处的落差")
    wait_for_app(page)
    assert "有 2 个海拔尖峰" in main_text(page)
    page.get_by_role("button", name="去除海拔尖峰").click()
    wait_text(page, "已去除海拔尖峰（跳变和分段落差由分析自动抹平）。")
    wait_for_app(page)
    assert page.get_by_role("button", name="恢复原始海拔").count() == 1
    assert "海拔尖峰（单点" not in main_text(page)  # the report now describes the file to be saved
    screenshot(page, "editor-spikes-removed-desktop-zh")
    page.get_by_role("textbox", name="网址名（英文小写，例如 tianxiang-east）", exact=True).fill("korita")
    page.get_by_role("textbox", name="中文名称", exact=True).fill("科里塔")
    page.get_by_role("textbox", name="英文名称", exact=True).fill("Korita")
    page.get_by_role("button", name="保存为草稿").click()
    wait_text(page, "已创建路线“科里塔”（草稿）")
    store = open_store(db_url)
    (rev,) = store.route_revisions("korita")
    assert rev.derivation == "elevation spikes removed" and rev.derived
    assert store.get_route_source("korita")[0] == (corpus_dir / UPLOAD).read_bytes()
    assert traffic.foreign_non_tile() == []
