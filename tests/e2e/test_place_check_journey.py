"""In real Chromium (issue 24): an editor uploads a ride from Seattle as a new route. The upload says it is far from
the guide's region; the draft cannot be published until the editor ticks the confirmation that names the distance;
with it, it publishes and the history keeps the confirmation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from harness import GuideServer, main_text, start_server, stop_server, wait_for_app, wait_text

from routes.store import open_store

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
#: A Strava route through Seattle (47.63 N, 122.34 W): 9 330 km from Lianghu.
UPLOAD = "georust__strava_route_example.gpx"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[GuideServer, str]]:
    tmp = tmp_path_factory.mktemp("place-e2e")
    srv = start_server(tmp)
    url = f"sqlite:///{tmp / 'guide.db'}"
    open_store(url).add_user("editor1", PASSWORD, "editor")
    yield srv, url
    stop_server(srv)


def sign_in_to_route_editor(page, base_url: str) -> None:
    page.goto(f"{base_url}/editor?lang=zh")
    wait_for_app(page)
    page.get_by_role("textbox", name="用户名", exact=True).fill("editor1")
    page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="编辑工作台").wait_for()
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="路线编辑").click()
    page.get_by_role("heading", name="路线编辑").first.wait_for()
    wait_for_app(page)


def test_far_upload_publishes_only_when_confirmed(server, desktop, corpus_dir):
    srv, db_url = server
    page, traffic = desktop
    sign_in_to_route_editor(page, srv.url)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(corpus_dir / UPLOAD))
    wait_text(page, "此路线不在上虞两湖一带（距中心 9 3")
    wait_for_app(page)
    page.get_by_role("textbox", name="网址名（英文小写，例如 tianxiang-east）", exact=True).fill("seattle")
    page.get_by_role("textbox", name="中文名称", exact=True).fill("西雅图")
    page.get_by_role("textbox", name="英文名称", exact=True).fill("Seattle")
    page.get_by_role("button", name="保存为草稿").click()
    wait_text(page, "已创建路线“西雅图”（草稿）")
    wait_for_app(page)

    # The draft's page warns and offers the confirmation; publishing without it is refused and changes nothing.
    confirm = page.get_by_role("checkbox", name="此路线不在上虞两湖一带（距中心 9 3", exact=False)
    assert confirm.count() == 1 and not confirm.is_checked()
    label = page.locator('[data-testid="stCheckbox"]').filter(has_text="仍要发布").inner_text()
    assert label.strip().endswith("公里），仍要发布")
    page.get_by_role("button", name="发布（骑行者可见）").click()
    wait_text(page, "不能发布：此路线不在上虞两湖一带")
    wait_for_app(page)
    store = open_store(db_url)
    assert store.get_route("seattle").status == "draft"

    # Ticked, it publishes, and the history says it was confirmed.
    page.locator('[data-testid="stCheckbox"]').filter(has_text="仍要发布").locator("label").click()
    wait_for_app(page)
    page.get_by_role("button", name="发布（骑行者可见）").click()
    wait_text(page, "已发布")
    wait_for_app(page)
    assert store.get_route("seattle").status == "published"
    entry = store.audit_log(limit=1, target="route:seattle")[0]
    assert 9_300 <= entry.detail["confirm_far"]["distance_km"] <= 9_400
    assert "不能发布" not in main_text(page)
    assert traffic.foreign_non_tile() == []
