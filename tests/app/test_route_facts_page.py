"""The Streamlit route page shows the route facts (getting there, the road by km with its warnings, season, last
check) in both languages, and a warning picked there is the stretch highlighted on the embedded map."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
#: A cold process imports the app, seeds the database and analyses the routes on the first run.
RUN_TIMEOUT_S = 90


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('app-facts') / 'guide.db'}"


def _route_page(db_url, monkeypatch, lang: str) -> AppTest:
    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    at.query_params["lang"] = lang
    at.query_params["id"] = "tianxiang"
    at.switch_page("pages/route.py")
    return at.run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_route_page_shows_the_facts(db_url, monkeypatch, lang):
    at = _route_page(db_url, monkeypatch, lang)
    assert not at.exception, at.exception
    heads = [s.value for s in at.subheader]
    gt, road = ("交通与停车", "路面与提醒") if lang == "zh" else ("Getting there", "Surface and warnings")
    assert gt in heads and road in heads
    assert heads.index(gt) < heads.index("前往起点" if lang == "zh" else "Getting to the start") < heads.index(road)
    markdown = "\n".join(m.value for m in at.markdown)
    assert ("南穴村" if lang == "zh" else "Nanxue village") in markdown
    assert ("核实于 2026-11-20" if lang == "zh" else "Last checked 20 Nov 2026") in [c.value for c in at.caption]
    warnings = [w.value for w in at.warning]
    assert any(("陡下坡" if lang == "zh" else "Steep descent") in w for w in warnings)
    tables = [html.unescape(h.proto.body) for h in at.get("html")]
    (table,) = [h for h in tables if ("沥青路" if lang == "zh" else "Asphalt") in h]
    assert len(re.findall(r"<tr>", table)) == 1 + 7  # header + five surfaces and two warnings
    assert ("12–12.59 公里" if lang == "zh" else "km 12–12.59") in table


def test_picking_a_warning_highlights_its_stretch_on_the_map(db_url, monkeypatch):
    at = _route_page(db_url, monkeypatch, "en")
    assert at.get("iframe")[0].proto.src == "/r/tianxiang/embed?lang=en"
    at.selectbox(key="warn_tianxiang").set_value(1).run()
    assert not at.exception, at.exception
    assert at.get("iframe")[0].proto.src == "/r/tianxiang/embed?lang=en&from=10900&to=11500"
