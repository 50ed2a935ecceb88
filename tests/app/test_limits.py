"""Bounded work on the pages: race plans within limits, the POI list paginated and the map capped, one upload limit,
editor previews held per session and released, a 0 km upload previewed with its reason."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from routes.core.limits import MAP_MAX_POIS, POIS_PER_PAGE, UPLOAD_MAX_BYTES, UPLOAD_MAX_MB
from routes.race.plan import MAX_LAPS
from routes.store import open_store
from routes.store.auth import sign_in
from routes.views import guide

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 120
HEAD = '<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
TAIL = "</trkseg></trk></gpx>"


def _app(url: str, monkeypatch, page: str, *, lang: str = "en", editor: bool = False, **params) -> AppTest:
    monkeypatch.setenv("GUIDE_DATABASE_URL", url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    if editor:
        at.session_state["editor_session"] = sign_in(open_store(url), "alice", "correct horse battery")
    at.run()
    at.switch_page(page)
    return at.run()


def test_upload_limit_is_one_number():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == UPLOAD_MAX_MB
    from routes.store.importers import IMPORT_MAX_BYTES
    from routes.views.editing import UPLOAD_MAX_BYTES as editing_limit

    assert editing_limit == IMPORT_MAX_BYTES == UPLOAD_MAX_BYTES == UPLOAD_MAX_MB * 1024 * 1024


def test_race_planner_refuses_a_race_beyond_the_limits(editor_url, monkeypatch):
    at = _app(editor_url, monkeypatch, "pages/race.py", editor=True)
    assert not at.exception, at.exception
    at.number_input(key="race_laps").set_value(MAX_LAPS).run()  # 200 laps of the 23.8 km loop: 4 755 km
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors and "the race is too long" in errors[0] and "the limit is 400 km" in errors[0]
    assert not at.get("download_button")  # nothing was laid out or built


@pytest.fixture(scope="module")
def many_pois_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('pois') / 'g.db'}"
    store = open_store(url)
    n = MAP_MAX_POIS + 20
    rows = [
        f"泉{i:03d},Spring {i:03d},{29.95 + (i % 20) * 2e-3:.6f},{120.80 + (i // 20) * 2e-3:.6f},water"
        for i in range(n)
    ]
    data = ("name_zh,name_en,lat,lon,category\n" + "\n".join(rows)).encode()
    store.apply_poi_import(store.preview_poi_import(data, "springs.csv"), user="t")
    return url


def test_poi_list_is_paginated_and_the_map_capped(many_pois_url, monkeypatch):
    at = _app(many_pois_url, monkeypatch, "pages/pois.py")
    assert not at.exception, at.exception
    total = len(guide.visible_pois(open_store(many_pois_url)))
    pages = -(-total // POIS_PER_PAGE)
    assert at.number_input(key="pois_page").max == pages
    captions = [c.value for c in at.caption]
    assert f"Page 1 of {pages} ({POIS_PER_PAGE} per page)" in captions
    assert f"The map shows the first {MAP_MAX_POIS} of {total} matching places." in " ".join(captions)
    listed = [m.value for m in at.markdown if m.value.startswith("**")]
    assert len(listed) == POIS_PER_PAGE
    at.number_input(key="pois_page").set_value(pages).run()
    assert not at.exception, at.exception
    assert len([m.value for m in at.markdown if m.value.startswith("**")]) == total - (pages - 1) * POIS_PER_PAGE


@pytest.fixture()
def editor_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    open_store(url).add_user("alice", "correct horse battery", "editor")
    return url


def _ride(n: int, lat0: float) -> bytes:
    pts = "".join(
        f'<trkpt lat="{lat0 + i * 1e-4:.5f}" lon="120.85"><ele>{10 + i * 0.1:.1f}</ele></trkpt>' for i in range(n)
    )
    return (HEAD + pts + TAIL).encode()


def test_editor_preview_is_held_per_session_and_released(editor_url, monkeypatch):
    at = _app(editor_url, monkeypatch, "pages/editor_routes.py", editor=True)
    at.selectbox(key="ed_route_pick").select("caoe-riverside").run()
    uploader = "ed_up_rev_caoe-riverside"
    before = guide._analyse_cached.cache_info().currsize
    at.file_uploader(key=uploader).set_value(("a.gpx", _ride(60, 29.99), "application/gpx+xml")).run()
    assert not at.exception, at.exception
    first = at.session_state["ed_preview_prep_rev_caoe-riverside"]
    at.file_uploader(key=uploader).set_value(("b.gpx", _ride(70, 29.98), "application/gpx+xml")).run()
    second = at.session_state["ed_preview_prep_rev_caoe-riverside"]
    assert second[1].sha256 != first[1].sha256  # the previous preview was replaced, not kept beside it
    assert guide._analyse_cached.cache_info().currsize == before  # previews stay out of the visitors' route cache
    at.file_uploader(key=uploader).set_value(None).run()
    assert "ed_preview_prep_rev_caoe-riverside" not in at.session_state
    assert "ed_preview_ra_rev_caoe-riverside" not in at.session_state


def test_a_zero_km_upload_gets_its_reason_not_a_traceback(editor_url, monkeypatch):
    at = _app(editor_url, monkeypatch, "pages/editor_routes.py", editor=True)
    at.selectbox(key="ed_route_pick").select("caoe-riverside").run()
    same_place = (HEAD + '<trkpt lat="30" lon="120.8"><ele>5</ele></trkpt>' * 5 + TAIL).encode()
    at.file_uploader(key="ed_up_rev_caoe-riverside").set_value(("z.gpx", same_place, "application/gpx+xml")).run()
    assert not at.exception, at.exception
    shown = [m.value for m in (*at.warning, *at.error, *at.info)]
    # The quality report names the cause in one line, and the file cannot be saved or published.
    assert "All 5 track points are at the same place: there is no route to show." in shown
    assert "This file cannot be saved; see the red notes above." in shown


def test_import_says_what_it_did_and_cannot_be_applied_again(editor_url, monkeypatch):
    # A browser's second click of a double click carries the same preview: the store refuses its used token
    # (tests/routes/test_import_idempotent.py); here the page after the first click offers nothing more to import.
    at = _app(editor_url, monkeypatch, "pages/editor_pois.py", editor=True)
    data = "name_zh,name_en,lat,lon,category\n甲泉,Spring A,29.97,120.83,water\n乙泉,Spring B,29.98,120.84,water\n"
    at.file_uploader(key="ed_poi_import_file").set_value(("springs.csv", data.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    at.button(key="ed_poi_import_go").click().run()
    assert not at.exception, at.exception
    assert "Imported\\: 2 added, 0 changed\\." in [m.value for m in at.success]  # Markdown-escaped
    assert at.button(key="ed_poi_import_go").disabled
    names = [p.name_en for p in open_store(editor_url).list_pois() if p.name_en.startswith("Spring ")]
    assert sorted(names) == ["Spring A", "Spring B"]
