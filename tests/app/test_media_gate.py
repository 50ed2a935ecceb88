"""Streamlit's media files behind the staff session (routes/web/mediagate.py), with the files the real pages make: a
draft's revision GPX from the editor's history is refused to a browser without a session and served to staff as
private, no-store; the route page's public GPX download still works for anyone.

The pages run under AppTest; the files they hand to Streamlit's media manager are stored and served the way the
server does it (Streamlit's own media routes), behind the gate."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from streamlit.runtime.download_data_util import convert_data_to_bytes_and_infer_mime
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.web.server.starlette.starlette_routes import create_media_routes

from routes.store import open_store
from routes.store.auth import sign_in
from routes.web.mediagate import REFUSED_STATUS, MediaGateMiddleware
from routes.web.session import COOKIE_NAME

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 90
PASSWORD = "correct horse battery"
DRAFT = "draft-ride"
#: A short ride with heights: enough for the editor's history and its download.
DRAFT_GPX = (
    '<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
    + "".join(f'<trkpt lat="{30 + i * 0.001:.4f}" lon="{120.8 + i * 0.001:.4f}"><ele>{5 + i}</ele></trkpt>'
              for i in range(20))
    + "</trkseg></trk></gpx>"
).encode()


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('mediagate') / 'guide.db'}"
    store = open_store(url)
    store.add_user("alice", PASSWORD, "editor")
    store.create_route(DRAFT, gpx=DRAFT_GPX, filename="secret-recce.gpx", user="alice",
                       fields={"name_zh": "草稿", "name_en": "Draft", "status": "draft"})
    return url


@pytest.fixture()
def served(monkeypatch):
    """The media files pages create during the test, stored as the server stores them; (storage, urls by filename)."""
    storage = MemoryMediaFileStorage("/media")
    urls: dict[str, str] = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def recording_add(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        kind = MediaFileKind.DOWNLOADABLE if is_for_static_download else MediaFileKind.MEDIA
        urls[file_name or coordinates] = storage.get_url(storage.load_and_get_id(data, mimetype, kind, file_name))
        return add(self, data, mimetype, coordinates, file_name, is_for_static_download)

    def recording_add_deferred(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):
        # What MediaFileManager.execute_deferred does when the visitor clicks the button.
        data, inferred = convert_data_to_bytes_and_infer_mime(data_callable(), unsupported_error=TypeError())
        file_id = storage.load_and_get_id(data, mimetype or inferred, MediaFileKind.DOWNLOADABLE, file_name)
        urls[file_name] = storage.get_url(file_id)
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, element_id=element_id)

    monkeypatch.setattr(MediaFileManager, "add", recording_add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", recording_add_deferred)
    return storage, urls


def _get(storage, url: str, *, cookie: str | None = None, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One request to Streamlit's media route behind the gate: (status, headers, body)."""
    app = Starlette(routes=create_media_routes(storage, None), middleware=[Middleware(MediaGateMiddleware)])
    headers = [(b"host", b"guide.test")] + ([(b"cookie", cookie.encode())] if cookie else [])
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": url, "raw_path": url.encode(), "query_string": b"", "headers": headers,
             "client": ("127.0.0.1", 5000), "server": ("guide.test", 80), "root_path": ""}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    out = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], out, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def _app(db_url, monkeypatch, page: str, *, signed_in: bool = False, **params: str) -> AppTest:
    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    at.query_params["lang"] = "en"
    for k, v in params.items():
        at.query_params[k] = v
    if signed_in:  # this tab's session, as right after the sign-in form (AppTest has no cookies)
        at.session_state["editor_session"] = sign_in(open_store(db_url), "alice", PASSWORD)
    at.run()
    at.switch_page(page)
    return at.run()


def test_a_drafts_revision_download_needs_a_live_staff_session(db_url, monkeypatch, served):
    storage, urls = served
    at = _app(db_url, monkeypatch, "pages/editor_routes.py", signed_in=True)
    at.selectbox(key="ed_route_pick").select(DRAFT).run()
    assert not at.exception, at.exception
    url = urls[f"{DRAFT}-r1.gpx"]
    assert url.startswith("/media/")
    # No session, a made-up one, or an ended one: refused, and not a byte of the track goes out.
    for cookie in (None, f"{COOKIE_NAME}=made-up", "theme=dark"):
        status, headers, body = _get(storage, url, cookie=cookie)
        assert status == REFUSED_STATUS and b"trkpt" not in body, cookie
        assert headers["cache-control"] == "no-store"
    assert _get(storage, url, method="HEAD")[0] == REFUSED_STATUS
    # A live staff session: the file, kept by no cache.
    token = sign_in(open_store(db_url), "alice", PASSWORD).token
    status, headers, body = _get(storage, url, cookie=f"{COOKIE_NAME}={token}")
    assert status == 200 and b"trkpt" in body
    assert headers["cache-control"] == "private, no-store"
    assert headers["content-disposition"] == f'attachment; filename="{DRAFT}-r1.gpx"'
    from routes.store.auth import end_session

    end_session(open_store(db_url), token)
    assert _get(storage, url, cookie=f"{COOKIE_NAME}={token}")[0] == REFUSED_STATUS


def test_the_route_pages_downloads_stay_public(db_url, monkeypatch, served):
    storage, urls = served
    at = _app(db_url, monkeypatch, "pages/route.py", id="tianxiang")
    assert not at.exception, at.exception
    for name, mime in (("tianxiang.gpx", "application/gpx+xml"), ("tianxiang.tcx", "application/vnd.garmin.tcx+xml")):
        status, headers, body = _get(storage, urls[name])
        assert status == 200 and body.startswith(b"<?xml"), name
        assert headers["content-type"] == mime  # the public mark is taken off before the browser sees it
        assert headers["content-disposition"] == f'attachment; filename="{name}"'
