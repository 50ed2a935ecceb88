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
    along = at.dataframe[1].value
    rows = dict(zip(along["Place"], along["How"], strict=True))
    assert rows["Dongjiang Lake"] == "around the lake (about 3.1 km)"
    assert rows["Nanxue village"].startswith("through the village")
    assert rows["Dongjiang Lake viewpoint"] == ""  # a point
