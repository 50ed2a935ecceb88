"""Places that are areas on the cyclists' pages (AppTest): searching the POI page for 东江湖 finds the Tianxiang line
with how it passes the lake, and the route page's "along the way" says so too, in Chinese and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 90


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('areas') / 'guide.db'}"


def _app(db_url, monkeypatch, *, lang: str, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page)
    return at.run()


@pytest.mark.parametrize(
    ("lang", "how", "route"),
    [("zh", "环湖（约 3.1 公里）", "天香骑行线"), ("en", "around the lake (about 3.1 km)", "Tianxiang Cycling Line")],
)
def test_searching_the_lake_finds_the_tianxiang_line(db_url, monkeypatch, lang, how, route):
    at = _app(db_url, monkeypatch, lang=lang, page="pages/pois.py")
    at.text_input(key="pois_search").set_value("东江湖").run()
    assert not at.exception, at.exception
    cards = [m.value for m in at.markdown if m.value.startswith("**")]
    assert any(("东江湖" if lang == "zh" else "Dongjiang Lake") + "** ·" in c for c in cards)
    captions = [c.value.replace("\\", "") for c in at.caption]  # md_text escapes markdown characters
    assert how in captions
    assert any(c.startswith("范围" if lang == "zh" else "Extent") and "1.11" in c for c in captions)
    links = [el.proto.label for el in at.get("page_link")]
    assert route in links


def test_route_page_says_how_it_passes_areas(db_url, monkeypatch):
    at = _app(db_url, monkeypatch, lang="en", page="pages/route.py", id="tianxiang")
    assert not at.exception, at.exception
    # the tables are plain HTML (one card per row on a phone); the along table names how each area is passed
    along = next(h.proto.body for h in at.get("html") if "Dongjiang Lake viewpoint" in h.proto.body)
    assert "around the lake (about 3.1 km)" in along
    assert "through the village (about 0.6 km)" in along
    assert along.index("Dongjiang Lake</") < along.index("around the lake")


# --- the POI editor: an extent radius ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def editor_db(tmp_path_factory):
    from routes.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('area_editor') / 'guide.db'}"
    open_store(url).add_user("alice", "correct horse battery", "editor")
    return url


def test_editor_sets_a_radius_and_it_replaces_an_outline(editor_db, monkeypatch):
    from routes.store import open_store
    from routes.store.auth import sign_in

    store = open_store(editor_db)
    lake = store.get_poi("seed-dongjiang-lake")
    assert lake.area is not None
    monkeypatch.setenv("GUIDE_DATABASE_URL", editor_db)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    at.query_params["lang"] = "en"
    at.session_state["editor_session"] = sign_in(store, "alice", "correct horse battery")
    at.run()
    at.switch_page("pages/editor_pois.py")
    at.run()
    at.selectbox(key="ed_poi_pick").select(lake.id).run()
    assert not at.exception, at.exception
    form = f"ed_poi_{lake.id}_{lake.version}_k"
    assert any("polygon outline (49 vertices," in c.value for c in at.caption)
    at.number_input(key=f"{form}_radius_m").set_value(600.0)
    at.button(key=f"FormSubmitter:{form}-Save changes").click().run()
    assert not at.exception, at.exception
    after = store.get_poi(lake.id)
    assert (after.radius_m, after.area) == (600.0, None)
    assert store.poi_revisions(lake.id)[-2].fields["area"] == lake.area  # the outline stays in the history
