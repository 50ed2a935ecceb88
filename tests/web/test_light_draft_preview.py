"""A draft route on the light pages (issue 24): a signed-in editor previews it -- marked as a draft, not indexed,
private and no-store, never kept in the shared body cache -- while visitors, organisers and lapsed sessions get the
same 404 as for an unknown route."""

from __future__ import annotations

import pytest

from routes.store import open_store
from routes.store.auth import end_session, sign_in
from routes.web import light
from routes.web.session import COOKIE_NAME
from tests.web.asgi import get

PASSWORD = "correct horse battery"
SLUG = "preview-draft"
#: Every light URL of one route: the page, the Streamlit route page's viewer, the pictures and the downloads.
URLS = (f"/r/{SLUG}", f"/r/{SLUG}?lang=en", f"/r/{SLUG}/embed", f"/r/{SLUG}.png", f"/r/{SLUG}-poster.png",
        f"/r/{SLUG}.gpx", f"/r/{SLUG}.tcx")


@pytest.fixture(scope="module")
def store(app, db_url):
    from tests.routes.test_store import small_gpx

    store = open_store(db_url)
    store.create_route(SLUG, gpx=small_gpx(40), filename="d.gpx", user="t",
                       fields={"name_zh": "草稿路线", "name_en": "Draft route", "status": "draft"})
    for name, role in (("ed", "editor"), ("boss", "admin"), ("org", "organiser")):
        store.add_user(name, PASSWORD, role)
    return store


def _cookie(store, user: str) -> dict[str, str]:
    return {"cookie": f"{COOKIE_NAME}={sign_in(store, user, PASSWORD).token}"}


@pytest.mark.parametrize("user", ["ed", "boss"])
def test_an_editor_previews_a_draft_marked_private_and_not_indexed(app, store, user):
    cookie = _cookie(store, user)
    cached_before = len(light._BODIES)
    for url in URLS:
        r = get(app, url, cookie)
        assert r.status == 200, url
        assert r.headers["cache-control"] == "private, no-store", url
        assert "etag" not in r.headers, url  # nothing to revalidate against: it is never kept
    assert len(light._BODIES) == cached_before  # no draft body in the cache that answers everybody
    page = get(app, f"/r/{SLUG}", cookie).text
    assert "<h1>草稿路线 · 草稿</h1>" in page and "<title>草稿路线 · 草稿 ·" in page
    assert "草稿预览：骑行者看不到这条路线" in page
    assert '<meta name="robots" content="noindex">' in page
    english = get(app, f"/r/{SLUG}?lang=en", cookie).text
    assert "<h1>Draft route · draft</h1>" in english and "Draft preview: cyclists cannot see this route" in english
    assert '<meta name="robots" content="noindex">' in get(app, f"/r/{SLUG}/embed", cookie).text


def test_visitors_organisers_and_ended_sessions_get_the_404(app, store):
    ended = _cookie(store, "ed")
    end_session(store, ended["cookie"].split("=", 1)[1])
    for headers in ({}, _cookie(store, "org"), ended, {"cookie": f"{COOKIE_NAME}=forged"}):
        for url in URLS:
            r = get(app, url, headers)
            assert r.status == 404, (url, headers)
            assert "草稿路线" not in r.text and "Draft route" not in r.text
    # An editor's preview leaves nothing behind for the next visitor.
    get(app, f"/r/{SLUG}", _cookie(store, "ed"))
    assert get(app, f"/r/{SLUG}").status == 404


def test_a_published_route_is_unchanged_for_editors(app, store):
    r = get(app, "/r/tianxiang", _cookie(store, "ed"))
    assert r.status == 200 and r.headers["cache-control"] == "public, no-cache" and "etag" in r.headers
    assert 'name="robots"' not in r.text and "草稿" not in r.text.split("<main", 1)[1].split("</h1>", 1)[0]
