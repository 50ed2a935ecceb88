"""The organisers' race planner page under Streamlit's AppTest: default plan, markers, timetable, downloads."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

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


# --- saving and reopening plans: the editor pages' own sign-in decides ------------------------------------------------

from routes.store import open_store  # noqa: E402
from routes.store.auth import sign_in  # noqa: E402

PASSWORD = "correct horse battery"


def _signed_in(page, tmp_path, user: str, role: str):
    store = open_store(f"sqlite:///{tmp_path / 'guide.db'}")
    store.add_user(user, PASSWORD, role)
    # A real session in the database, as the sign-in form makes it (AppTest has no cookie: this tab's state holds it).
    page.session_state["editor_session"] = sign_in(store, user, PASSWORD)
    return store


def test_not_signed_in_cannot_save_and_is_told_why(page):
    at = page.run()
    at.text_input(key="race_slug").input("spring-race")
    at.run()
    assert at.button(key="race_save").disabled
    assert any("登录编辑账号后可以保存计划" in c.value for c in at.caption)


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_signed_in_editor_saves_and_reopens_a_plan(page, tmp_path, role):
    store = _signed_in(page, tmp_path, "lin", role)
    at = page.run()
    assert not at.exception, at.exception
    at.text_input(key="race_name").input("春季两湖公路赛")
    at.number_input(key="race_laps").set_value(4)
    at.text_input(key="race_slug").input("spring-race")
    at.run()
    assert not at.button(key="race_save").disabled
    assert not any("登录编辑账号后可以保存计划" in c.value for c in at.caption)
    at.button(key="race_save").click()
    at.run()
    assert not at.exception, at.exception
    assert any("已保存，第 1 版" in s.value for s in at.success)
    saved = store.get_race_plan("spring-race")
    assert saved.updated_by == "lin" and saved.plan["laps"] == 4

    # the next day: a fresh browser session lists the plan with its last change and loads it back
    again = AppTest.from_file(str(ROOT / "pages" / "race.py"), default_timeout=RUN_TIMEOUT_S)
    again.session_state["guide_lang"] = "zh"
    again.run()
    listing = next(df.value for df in again.dataframe if "最后修改时间" in df.value.columns)
    row = listing.iloc[0]
    assert row["计划编号"] == "spring-race" and row["修改人"] == "lin" and row["赛事名称"] == "春季两湖公路赛"
    # Stored in UTC, shown in the guide's zone like the start times (Beijing time, UTC+8).
    assert row["最后修改时间"] == saved.updated_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    again.selectbox(key="race_pick").set_value("spring-race")
    again.run()
    again.button(key="race_load").click()
    again.run()
    assert not again.exception, again.exception
    assert again.number_input(key="race_laps").value == 4
    assert again.text_input(key="race_name").value == "春季两湖公路赛"
    assert again.text_input(key="race_slug").value == "spring-race"


def test_disabled_account_cannot_save(page, tmp_path):
    store = _signed_in(page, tmp_path, "gone", "editor")
    store.set_active("gone", False)
    at = page.run()
    at.text_input(key="race_slug").input("spring-race")
    at.run()
    assert at.button(key="race_save").disabled
