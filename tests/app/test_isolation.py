"""One bad route never breaks another card or page: unavailable routes, routes without elevation, drafts, errors."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from routes.store import open_store
from routes.store import schema as s
from routes.store.auth import sign_in

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 90
HEAD = '<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
TAIL = "</trkseg></trk></gpx>"
#: A planned-route export: positions only, no <ele> (made the catalogue raise TypeError for every visitor).
NO_ELE = (
    HEAD + "".join(f'<trkpt lat="{30 + i * 0.001:.4f}" lon="{120.8 + i * 0.001:.4f}"/>' for i in range(20)) + TAIL
).encode()
#: Every point in one place: 0 km (made the route's own page raise StreamlitInvalidMinMaxError).
ZERO_KM = (HEAD + '<trkpt lat="30" lon="120.8"><ele>5</ele></trkpt>' * 5 + TAIL).encode()
#: Bytes the reader refuses (as if a reader grew stricter after they were stored).
UNREADABLE = b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "b">]><gpx>&a;</gpx>'


def _put_published(store, slug: str, gpx: bytes, name: str) -> None:
    """A published route holding ``gpx`` whatever the publishing checks say (stored before they existed)."""
    good = (HEAD + '<trkpt lat="30" lon="120.8"/><trkpt lat="30.01" lon="120.81"/>' + TAIL).encode()
    store.create_route(
        slug, gpx=good, filename=f"{slug}.gpx", user="t", fields={"name_zh": name, "name_en": name, "status": "draft"}
    )
    with store.engine.begin() as conn:
        conn.execute(update(s.Route).where(s.Route.slug == slug).values(status="published"))
        conn.execute(
            update(s.RouteRevisionRow)
            .where(s.RouteRevisionRow.filename == f"{slug}.gpx")
            .values(gpx=gpx, sha256=hashlib.sha256(gpx).hexdigest(), size_bytes=len(gpx))
        )


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('isolation') / 'guide.db'}"
    store = open_store(url)
    store.create_route(
        "planned",
        gpx=NO_ELE,
        filename="planned.gpx",
        user="t",
        fields={"name_zh": "规划路线", "name_en": "Planned", "status": "published"},
    )
    _put_published(store, "zero", ZERO_KM, "零公里")
    _put_published(store, "broken", UNREADABLE, "坏文件")
    store.create_route(
        "secret",
        gpx=NO_ELE.replace(b"<trkseg>", b"<trkseg><!-- draft -->"),
        filename="secret.gpx",
        user="t",
        fields={"name_zh": "草稿", "name_en": "Draft", "status": "draft"},
    )
    store.add_user("ed", "correct horse battery", "editor")
    return url


def _app(db_url, monkeypatch, *, lang="zh", page=None, editor=False, **params) -> AppTest:
    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    if editor:
        at.session_state["editor_session"] = sign_in(open_store(db_url), "ed", "correct horse battery")
    if page:
        at.switch_page(page)
    return at.run()


def _texts(at) -> str:
    parts = [e.value for e in (*at.title, *at.subheader, *at.markdown, *at.caption, *at.warning, *at.info, *at.error)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_catalogue_keeps_every_card_when_routes_are_broken(db_url, monkeypatch, lang):
    at = _app(db_url, monkeypatch, lang=lang)
    assert not at.exception, at.exception
    text = _texts(at)
    # The good seed routes after the bad ones (alphabetically) are all there, and so is the route without elevation.
    for name in ("天香骑行线", "规划路线") if lang == "zh" else ("Tianxiang Cycling Line", "Planned"):
        assert name in text
    unavailable = "这条路线暂时无法显示。" if lang == "zh" else "This route cannot be shown at the moment."
    assert [w.value for w in at.warning].count(unavailable) == 2
    assert "Traceback" not in text and "DOCTYPE" not in text  # visitors are not told why


def test_editor_sees_why_a_route_is_unavailable(db_url, monkeypatch):
    at = _app(db_url, monkeypatch, lang="en", editor=True)
    assert not at.exception, at.exception
    captions = "\n".join(c.value for c in at.caption)
    assert "The track has no length" in captions
    assert "The stored track file cannot be read" in captions


@pytest.mark.parametrize("slug", ["zero", "broken"])
def test_unavailable_route_page_says_so(db_url, monkeypatch, slug):
    at = _app(db_url, monkeypatch, lang="en", page="pages/route.py", id=slug)
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == ["This route cannot be shown at the moment."]


def test_route_without_elevation_shows_distance_only_figures(db_url, monkeypatch):
    at = _app(db_url, monkeypatch, lang="en", page="pages/route.py", id="planned")
    assert not at.exception, at.exception
    assert at.title[0].value == "Planned"
    assert "This route's track has no elevation: only distance figures are shown." in [i.value for i in at.info]
    assert "2.8 km" in _texts(at)  # 19 steps of 0.001° in latitude and longitude


def test_draft_is_not_found_like_an_unknown_slug_and_not_analysed(db_url, monkeypatch):
    from routes.views import guide

    before = guide._analyse_cached.cache_info().misses
    draft = _app(db_url, monkeypatch, lang="en", page="pages/route.py", id="secret")
    assert guide._analyse_cached.cache_info().misses == before  # nothing analysed for the draft
    unknown = _app(db_url, monkeypatch, lang="en", page="pages/route.py", id="nope")
    assert [e.value for e in draft.error] == ["No route called 'secret'."]
    assert [e.value for e in unknown.error] == ["No route called 'nope'."]


def test_script_error_handler_logs_the_traceback_and_shows_only_an_id(caplog):
    def script():
        from pages._safety import on_script_error

        try:
            raise RuntimeError("secret path /srv/guide/routes/x.py")
        except RuntimeError as exc:
            assert on_script_error(exc) is True

    with caplog.at_level(logging.ERROR, logger="guide.incidents"):
        at = AppTest.from_function(script).run()
    assert not at.exception
    (shown,) = [e.value for e in at.error]
    assert "/srv/guide" not in shown and "RuntimeError" not in shown
    error_id = shown.split("错误编号 ")[1].split(" ")[0]
    assert len(error_id) == 8
    (record,) = [r for r in caplog.records if error_id in r.getMessage()]
    assert record.exc_info and "secret path" in str(record.exc_info[1])


def test_served_app_uses_the_handler_and_hides_error_details():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    assert "on_script_error=on_script_error" in source


def test_a_failing_part_of_a_page_leaves_the_rest(caplog):
    def script():
        import streamlit as st

        from pages._safety import isolated

        with isolated("en", where="test part"):
            st.write("before the failure")
            raise ValueError("a defect in one card")
        st.write("the next card")
        with isolated("en", where="test stop"):
            st.stop()  # Streamlit's control flow is not swallowed
        st.write("never shown")

    with caplog.at_level(logging.ERROR, logger="guide.incidents"):
        at = AppTest.from_function(script).run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert "the next card" in texts and "never shown" not in texts
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("This part cannot be shown at the moment (error id ")
    assert any("a defect in one card" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
