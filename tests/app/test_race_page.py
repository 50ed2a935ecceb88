"""The organisers' race planner page under Streamlit's AppTest: default plan, markers, timetable, downloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
#: Building the layout, the race book and the device files takes a few seconds on a cold process.
RUN_TIMEOUT_S = 90


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDE_DATABASE_URL", f"sqlite:///{tmp_path / 'guide.db'}")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages" / "race.py"), default_timeout=RUN_TIMEOUT_S)
    at.session_state["guide_lang"] = "zh"
    return at


def _table_texts(at) -> list[str]:
    """Grids as CSV and the plain HTML tables (timetable, closures, climbs) as their markup."""
    html_tables = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<table")]
    return [df.value.to_csv() for df in [*at.dataframe, *at.table]] + html_tables


def test_opens_on_three_laps_of_the_loop_with_timetable_and_downloads(page):
    at = page.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "赛事规划"
    assert at.multiselect(key="race_routes").value == ["lianghu-loop"]
    assert at.number_input(key="race_laps").value == 3
    tables = _table_texts(at)
    timetable = next(t for t in tables if "40 公里/时" in t)
    assert "起点" in timetable and "终点" in timetable and "圈点" in timetable
    assert any("封路" in t for t in tables)
    assert any(w.value for w in at.warning), "the illustrative-data notice is shown"
    labels = [b.label for b in at.get("download_button")]
    assert "下载赛事手册（PDF）" in labels and "下载 TCX 赛道" in labels and "下载 FIT 赛道" in labels


def test_add_a_feed_zone_by_km_and_it_repeats_every_lap(page):
    at = page.run()
    at.selectbox(key="race_new_kind").set_value("feed")
    at.number_input(key="race_new_km").set_value(5.0)
    at.text_input(key="race_new_label").input("一号补给")
    at.button[[b.label for b in at.button].index("添加")].click()
    at.run()
    assert not at.exception, at.exception
    timetable = next(t for t in _table_texts(at) if "40 公里/时" in t)
    assert timetable.count("补给区 · 一号补给") == 3


def test_hazard_without_a_note_is_refused(page):
    at = page.run()
    at.selectbox(key="race_new_kind").set_value("hazard")
    at.button[[b.label for b in at.button].index("添加")].click()
    at.run()
    assert any("危险路段需要填写说明" in e.value for e in at.error)


def test_english_page_and_default_markers(page):
    page.session_state["guide_lang"] = "en"
    at = page.run()
    at.button(key="race_defaults").click()
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Race planner"
    timetable = next(t for t in _table_texts(at) if "40 km/h" in t)
    assert "Feed zone" in timetable and "Finish" in timetable
