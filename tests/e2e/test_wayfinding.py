"""Where people land, in real Chromium (issue 24): a page path the guide does not have opens the catalogue in the
page's language (never Streamlit's English "Page not found" over it); an organiser's first page after signing in is
the race planner; an editor previews a draft's route page, viewer included, and a visitor is told it is not found."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from harness import DESKTOP, GuideServer, main_text, open_context, start_server, stop_server, wait_for_app, wait_text
from test_language_sweep import BROWSER_LOCALE, _check, _read

from routes.store import open_store

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
ORGANISER, EDITOR = "organiser-land", "editor-land"
DRAFT_SLUG, DRAFT_NAME = "draft-preview", "草稿预览线"
#: The catalogue's heading in each language.
CATALOGUE_HEADING = {"zh": "骑行路线", "en": "Cycling routes"}
#: What the catalogue says when a path named no page (routes/text/cyclists.py page.not_found).
NO_SUCH_PAGE = {"zh": "没有这个页面，已为您打开路线目录。", "en": "There is no such page; here are the routes instead."}


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium) -> Iterator[GuideServer]:
    """A server of its own: an organiser, an editor and a draft route."""
    from tests.routes.test_store import small_gpx

    guide = start_server(tmp_path_factory.mktemp("wayfinding-e2e"))
    store = open_store(guide.db_url)
    store.add_user(ORGANISER, PASSWORD, "organiser")
    store.add_user(EDITOR, PASSWORD, "editor")
    store.create_route(DRAFT_SLUG, gpx=small_gpx(60), filename="draft.gpx", user=EDITOR,
                       fields={"name_zh": DRAFT_NAME, "name_en": "Draft preview line", "status": "draft"})
    yield guide
    stop_server(guide)


def _no_streamlit_not_found(page) -> None:
    page.wait_for_timeout(500)  # Streamlit's dialog opens as its first message arrives
    for dialog in page.get_by_role("dialog").all():
        assert not dialog.is_visible(), dialog.inner_text()
    assert "not found" not in page.locator("body").inner_text().lower()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_path_naming_no_page_opens_the_catalogue_in_the_pages_language(server, chromium, lang):
    ctx, _ = open_context(chromium, DESKTOP, locale=BROWSER_LOCALE[lang])  # a browser of the other language
    page = ctx.new_page()
    seen = []
    try:
        for path, note in (("catalogue", False), ("no-such-page", True)):
            page.goto(f"{server.url}/{path}?lang={lang}")
            wait_for_app(page)
            _no_streamlit_not_found(page)
            assert page.locator("h1").first.inner_text().strip() == CATALOGUE_HEADING[lang], path
            assert (NO_SUCH_PAGE[lang] in main_text(page)) is note, path
            assert f"lang={lang}" in page.url and "notfound" not in page.url.split("?", 1)[0]
            seen += _read(page, server.url, f"/{path}")
    finally:
        ctx.close()
    _check(seen, lang, server)


def _sign_in(page, url: str, user: str) -> None:
    page.goto(f"{url}/editor?lang=zh")  # the visitors' one entry, 编辑登录
    wait_for_app(page)
    page.get_by_role("textbox", name="用户名", exact=True).fill(user)
    page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_function("() => !document.querySelector('input[autocomplete=\"username\"]')")


def test_an_organisers_first_page_after_signing_in_is_the_race_planner(server, desktop):
    page, _ = desktop
    _sign_in(page, server.url, ORGANISER)
    page.get_by_role("heading", name="赛事规划").first.wait_for()
    wait_for_app(page)
    assert "/race" in page.url
    assert "此页面需要编辑账号" not in main_text(page)


def test_an_editor_previews_a_draft_and_a_visitor_is_told_it_is_not_found(server, desktop, chromium):
    page, _ = desktop
    _sign_in(page, server.url, EDITOR)
    page.get_by_role("heading", name="编辑工作台").wait_for()
    page.goto(f"{server.url}/route?id={DRAFT_SLUG}&lang=zh")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == f"{DRAFT_NAME} · 草稿"
    wait_text(page, "草稿预览：骑行者看不到这条路线")
    # The viewer inside is the light embed, which serves the draft to the editor's session cookie too.
    page.frame_locator('iframe[src*="/embed"]').first.locator(".leaflet-container").wait_for()
    assert "找不到" not in page.frame_locator('iframe[src*="/embed"]').first.locator("body").inner_text()

    ctx, _ = open_context(chromium, DESKTOP)
    visitor = ctx.new_page()
    try:
        visitor.goto(f"{server.url}/route?id={DRAFT_SLUG}&lang=zh")
        visitor.wait_for_selector('[data-testid="stMain"]')  # no heading there: a route that is not found has none
        wait_text(visitor, f"找不到路线“{DRAFT_SLUG}”。")
        assert DRAFT_NAME not in main_text(visitor)
        assert visitor.request.get(f"{server.url}/r/{DRAFT_SLUG}").status == 404
    finally:
        ctx.close()
