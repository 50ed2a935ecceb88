"""An editor's journey in real Chromium: sign in, upload, read the report, publish, place/edit/restore a POI, and a
hostile POI name that must show as text and run nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from harness import (
    MAP_FRAME_SELECTOR,
    PHONE,
    GuideServer,
    main_text,
    map_frame,
    open_context,
    screenshot,
    start_server,
    stop_server,
    wait_for_app,
    wait_text,
)

from routes.store import open_store

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
HOSTILE = "<img src=x onerror=alert(1)>"
#: A 12.8 km recorded ride with time and elevation (outside China, so no datum question).
UPLOAD = "georust__garmin-activity.gpx"


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory, chromium) -> Iterator[GuideServer]:
    """A server of its own (the journey publishes a route and adds POIs) with one editor account."""
    tmp = tmp_path_factory.mktemp("editor-e2e")
    server = start_server(tmp)
    open_store(f"sqlite:///{tmp / 'guide.db'}").add_user("editor1", PASSWORD, "editor")
    yield server
    stop_server(server)


def _assert_no_page_not_found(page) -> None:
    """A direct URL on a fresh server lands on its page with no "Page not found" notice (see pages/_shared.py)."""
    dialog = page.get_by_role("dialog")
    assert not (dialog.count() and "not found" in dialog.first.inner_text().lower())


def _sign_in(page, url: str) -> None:
    page.goto(f"{url}/editor?lang=zh")
    wait_for_app(page)
    _assert_no_page_not_found(page)
    page.get_by_role("textbox", name="用户名", exact=True).fill("editor1")
    page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="编辑工作台").wait_for()
    wait_for_app(page)


def _nav(page, label: str) -> None:
    """Follow a sidebar link (the same browser session, so the sign-in is kept)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=label).click()
    page.get_by_role("heading", name=label).first.wait_for()
    wait_for_app(page)


def test_direct_url_without_sign_in_shows_only_the_form(editor_server, desktop):
    page, _ = desktop
    for path in ("editor", "editor_routes", "editor_pois", "editor_admin"):
        page.goto(f"{editor_server.url}/{path}?lang=zh")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text() == "编辑登录"
        assert page.locator('[data-testid="stFileUploader"]').count() == 0
        assert page.locator(MAP_FRAME_SELECTOR).count() == 0
    screenshot(page, "editor-signin-desktop-zh")


def test_editor_journey(editor_server, desktop, corpus_dir):
    page, traffic = desktop
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    url = editor_server.url
    _sign_in(page, url)
    screenshot(page, "editor-desk-desktop-zh")

    # --- upload, quality report, details, publish ---------------------------------------------------------------
    _nav(page, "路线编辑")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(corpus_dir / UPLOAD))
    wait_text(page, "已读取：GPX 文件")  # the report itself: the step's heading already says "质量报告"
    wait_for_app(page)
    text = main_text(page)
    assert "988" in text and "12.82 公里" in text
    assert "轨迹不在中国境内，无需坐标转换。" in text
    map_frame(page).locator("path.route-line").first.wait_for()
    screenshot(page, "editor-upload-report-desktop-zh")
    page.get_by_role("textbox", name="网址名（英文小写，例如 tianxiang-east）", exact=True).fill("casual-stroll")
    page.get_by_role("textbox", name="中文名称", exact=True).fill("休闲骑行测试")
    page.get_by_role("textbox", name="英文名称", exact=True).fill("Casual stroll test")
    page.get_by_role("textbox", name="中文介绍", exact=True).fill("编辑测试上传的路线。")
    page.get_by_role("button", name="保存为草稿").click()
    wait_text(page, "已创建路线“休闲骑行测试”（草稿）")
    wait_for_app(page)
    # The corpus track lies abroad: publishing it as a Lianghu route needs the editor's explicit confirmation.
    page.locator('[data-testid="stCheckbox"]').filter(has_text="仍要发布").locator("label").click()
    wait_for_app(page)
    page.get_by_role("button", name="发布（骑行者可见）").click()
    wait_text(page, "已发布为第 2 版。骑行者现在可以在路线目录中看到它。")
    wait_for_app(page)
    screenshot(page, "editor-route-published-desktop-zh")

    # The public catalogue (a new visitor, no sign-in) lists it.
    visitor = page.context.new_page()
    visitor.goto(f"{url}/?lang=zh")
    wait_for_app(visitor)
    assert "休闲骑行测试" in main_text(visitor)
    visitor.close()

    # --- a POI placed by clicking the map -----------------------------------------------------------------------
    _nav(page, "兴趣点编辑")
    frame = map_frame(page)
    frame.locator(".leaflet-container").wait_for()
    box = frame.locator(".leaflet-container").bounding_box()
    for dx, dy in ((0.3, 0.7), (0.65, 0.25), (0.2, 0.2)):
        frame.locator(".leaflet-container").click(position={"x": box["width"] * dx, "y": box["height"] * dy})
        try:
            wait_text(page, "地图上选中的位置", timeout_s=10)
            break
        except AssertionError:
            continue  # the click landed on a marker; try an empty spot
    wait_for_app(page)
    lat = float(page.get_by_role("spinbutton", name="纬度（WGS-84）").input_value())
    assert 29.0 < lat < 31.0
    page.get_by_role("textbox", name="中文名称", exact=True).fill(HOSTILE)
    page.get_by_role("textbox", name="英文名称", exact=True).fill("Tea stop")
    page.get_by_role("button", name="添加兴趣点").click()
    wait_text(page, "已添加")
    wait_for_app(page)
    screenshot(page, "editor-pois-desktop-zh")

    # --- edit it (picking it first: after adding, the form is back on "new point"), then restore revision 1 ------
    page.get_by_label("选择兴趣点").click()
    page.keyboard.type("onerror")  # the picker lists the Chinese name
    page.get_by_role("option", name=re.compile(re.escape(HOSTILE))).click()
    page.get_by_role("heading", name=f"正在编辑：{HOSTILE}").wait_for()
    wait_for_app(page)
    page.get_by_role("textbox", name="英文名称", exact=True).fill("Tea stop (edited)")
    page.get_by_role("button", name="保存修改").click()
    wait_text(page, "已保存为第 2 版。")  # the version the history lists
    wait_for_app(page)
    page.get_by_role("tab", name="历史记录").click()
    page.get_by_role("button", name="恢复到第 1 版").click()
    wait_text(page, "已恢复第 1 版的内容：现为第 3 版。")
    wait_for_app(page)
    store = open_store(f"sqlite:///{editor_server.log.parent / 'guide.db'}")
    poi = next(p for p in store.list_pois() if p.name_zh == HOSTILE)
    assert poi.name_en == "Tea stop"
    assert [r.action for r in store.poi_revisions(poi.id)] == ["create", "update", "restore_revision"]
    assert store.get_route("casual-stroll").status == "published"

    # --- the hostile name is text in the popup, and nothing ran ------------------------------------------------
    frame = map_frame(page)
    page.locator(MAP_FRAME_SELECTOR).first.scroll_into_view_if_needed()
    frame.locator(".leaflet-container").wait_for()
    markers = frame.locator(".awesome-marker")
    assert markers.count() >= 2
    found = False
    for i in range(markers.count()):
        markers.nth(i).click(force=True)
        content = frame.locator(".leaflet-popup-content")
        content.first.wait_for()
        if HOSTILE in content.first.inner_text():
            found = True
            assert content.first.locator("img").count() == 0
            break
    assert found, "no popup showed the POI's name literally"
    screenshot(page, "editor-hostile-popup-desktop-zh")

    # The public POI page shows it as text too.
    visitor = page.context.new_page()
    visitor.on("dialog", on_dialog)
    visitor.goto(f"{url}/pois?lang=zh")
    wait_for_app(visitor)
    assert HOSTILE in main_text(visitor)
    visitor.close()

    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert traffic.foreign_non_tile() == []


def test_editor_pages_on_a_phone(editor_server, chromium):
    ctx, _ = open_context(chromium, PHONE)
    page = ctx.new_page()
    try:
        page.goto(f"{editor_server.url}/editor?lang=zh")
        wait_for_app(page)
        screenshot(page, "editor-signin-phone-zh")
        page.get_by_role("textbox", name="用户名", exact=True).fill("editor1")
        page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("heading", name="编辑工作台").wait_for()
        wait_for_app(page)
        screenshot(page, "editor-desk-phone-zh")
        # On a phone the sidebar is collapsed: the desk's own links lead on.
        page.locator('[data-testid="stMain"]').get_by_role("link", name="兴趣点编辑").click()
        page.get_by_role("heading", name="兴趣点编辑").wait_for()
        wait_for_app(page)
        map_frame(page).locator(".leaflet-container").wait_for()
        screenshot(page, "editor-pois-phone-zh")
        page.locator('[data-testid="stMain"]').get_by_role("tab", name="批量导入").click()
        assert page.locator('[data-testid="stFileUploader"]').count() >= 1
    finally:
        ctx.close()


def test_uploader_speaks_chinese_while_dragging_and_when_it_refuses_a_file(editor_server, desktop, tmp_path):
    """Streamlit's own uploader texts (the drop hint while a file is dragged over it, the browser's refusal of a file
    over the limit, the remove button's name) read in Chinese on a Chinese page."""
    page, _ = desktop
    _sign_in(page, editor_server.url)
    _nav(page, "路线编辑")
    uploader = page.locator('[data-testid="stFileUploader"]').first
    zone = uploader.locator('[data-testid="stFileUploaderDropzone"]')
    dragged = page.evaluate_handle(
        "() => { const dt = new DataTransfer(); dt.items.add(new File(['x'], 'ride.gpx')); return dt; }"
    )
    zone.dispatch_event("dragenter", {"dataTransfer": dragged})
    zone.dispatch_event("dragover", {"dataTransfer": dragged})
    page.wait_for_function(
        "z => z.innerText.includes('把文件拖放到这里')", arg=zone.element_handle(), timeout=10_000
    )
    assert "Drag" not in zone.inner_text()
    screenshot(page, "editor-uploader-dragging-desktop-zh")
    zone.dispatch_event("dragleave", {"dataTransfer": dragged})
    page.wait_for_function("z => !z.innerText.includes('把文件拖放到这里')", arg=zone.element_handle(), timeout=10_000)

    too_big = tmp_path / "too-big.gpx"
    too_big.write_bytes(b"<gpx>" + b" " * (21 * 1024 * 1024) + b"</gpx>")  # over the 20 MB limit
    uploader.locator('input[type="file"]').set_input_files(str(too_big))
    page.wait_for_function(
        "u => u.innerText.includes('文件不能超过')", arg=uploader.element_handle(), timeout=20_000
    )
    said = uploader.inner_text()
    assert "File must be" not in said and "Error" not in said, said
    remove = uploader.locator('[data-testid="stFileChipDeleteBtn"] button')
    assert remove.get_attribute("aria-label") == "移除 too-big.gpx"
    screenshot(page, "editor-uploader-refused-desktop-zh")
    # Nothing reached the server: no file was read.
    assert "已读取" not in main_text(page)
