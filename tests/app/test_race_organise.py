"""The race planner's start waves, marker English names and contacts, marshal list and nearest hospitals (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 90


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDE_DATABASE_URL", f"sqlite:///{tmp_path / 'guide.db'}")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages" / "race.py"), default_timeout=RUN_TIMEOUT_S)
    at.session_state["guide_lang"] = "en"
    return at


def _html_tables(at) -> list[str]:
    return [h.proto.body for h in at.get("html") if h.proto.body.startswith("<table")]


def _add(at, label: str = "Add"):
    at.button[[b.label for b in at.button].index(label)].click()
    return at.run()


def test_waves_marshal_with_contact_and_nearest_hospital(page):
    at = page.run()
    at.text_area(key="race_waves").input("A 组, +0, 38, Group A\nB 组, +10, 32")
    at.run()
    at.selectbox(key="race_new_kind").set_value("marshal")
    at.number_input(key="race_new_km").set_value(5.0)
    at.text_input(key="race_new_label").input("南穴村路口")
    at.text_input(key="race_new_label_en").input("Nanxue junction")
    at.text_input(key="race_new_contact").input("Wang Jun")
    at.text_input(key="race_new_phone").input("138 0000 0001")
    at = _add(at)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    tables = _html_tables(at)
    timetable = next(t for t in tables if "40 km/h" in t)
    assert "Group A · 38 km/h" in timetable and "Wave 2 · 32 km/h" in timetable
    assert "南穴村" not in timetable and timetable.count("Marshal · Nanxue junction") == 3
    marshals = next(t for t in tables if "Passes" in t)
    assert "Wang Jun" in marshals and "138 0000 0001" in marshals and "L3 " in marshals
    hospitals = next(t for t in tables if "Nearest hospital" in t)
    assert "Lianghu Subdistrict Community Health Service Centre (Clinic)" in hospitals
    labels = [b.label for b in at.get("download_button")]
    assert "Download marshal list (CSV)" in labels


def test_a_bad_wave_line_or_phone_shows_one_line_and_changes_nothing(page):
    at = page.run()
    at.text_area(key="race_waves").input("Group A, soon, 38")
    at.run()
    assert [e.value for e in at.error] == ["unreadable wave start: soon (HH:MM, or +minutes)"]
    timetable = next(t for t in _html_tables(at) if "40 km/h" in t)
    assert "Group A" not in timetable
    at.selectbox(key="race_new_kind").set_value("marshal")
    at.text_input(key="race_new_phone").input("call me")
    at = _add(at)
    assert any("unreadable phone number: call me" in e.value for e in at.error)
    assert "Marshal" not in next(t for t in _html_tables(at) if "40 km/h" in t)
