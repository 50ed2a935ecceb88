"""The route editor's facts tab under AppTest (issue #23): a stretch typed by km is added and saved with the rest of
the form; a stretch running backwards is refused in one line in the page's language and nothing is saved; a stale
form is refused as a conflict."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from routes.store import open_store
from routes.store.auth import sign_in

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 120
PASSWORD = "correct horse battery"


@pytest.fixture()
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'guide.db'}"
    open_store(url).add_user("alice", PASSWORD, "editor")
    return url


def _facts_tab(db_url, monkeypatch, lang: str):
    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    at.query_params["lang"] = lang
    at.session_state["editor_session"] = sign_in(open_store(db_url), "alice", PASSWORD)
    at.run()
    at.switch_page("pages/editor_routes.py")
    at.run()
    at.selectbox(key="ed_route_pick").select("tianxiang").run()
    assert not at.exception, at.exception
    return at


def _add_stretch(at, base: str, from_km: float, to_km: float, *, kind: str, zh: str, en: str) -> None:
    at.number_input(key=f"{base}_from").set_value(from_km)
    at.number_input(key=f"{base}_to").set_value(to_km)
    at.selectbox(key=f"{base}_kind").select(kind)
    at.text_input(key=f"{base}_warning_zh").input(zh)
    at.text_input(key=f"{base}_warning_en").input(en)
    at.button(key=f"{base}_add").click().run()
    assert not at.exception, at.exception


def test_a_warning_added_by_km_is_saved_with_the_texts_and_shown_in_history(db_url, monkeypatch):
    store = open_store(db_url)
    before = store.get_route("tianxiang")
    at = _facts_tab(db_url, monkeypatch, "zh")
    base = f"ed_facts_tianxiang_{before.version}"
    # the form starts from the stored facts
    assert at.text_area(key=f"{base}_gt_zh").value == before.facts.getting_there.zh
    assert at.date_input(key=f"{base}_checked").value == before.facts.checked_on
    _add_stretch(at, base, 6.6, 7.3, kind="steep_descent", zh="观景台下坡，弯急", en="Descent from the viewpoint")
    at.text_area(key=f"{base}_season_en").input("Spring and autumn.")
    at.date_input(key=f"{base}_checked").set_value(date(2026, 12, 1))
    at.button(key=f"{base}_save").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["到达与路况已保存。"]
    after = store.get_route("tianxiang")
    assert (after.version, after.updated_by) == (before.version + 1, "alice")
    assert after.facts.season.en == "Spring and autumn." and after.facts.checked_on == date(2026, 12, 1)
    added = [(w.from_km, w.to_km, w.warning.kind, w.warning.text.zh) for w in after.facts.warnings
             if w.from_km == 6.6]
    assert added == [(6.6, 7.3, "steep_descent", "观景台下坡，弯急")]
    assert after.facts.surfaces == before.facts.surfaces  # the table's other rows came back unchanged
    entry = store.route_history("tianxiang")[-1]
    assert (entry.action, entry.user, list(entry.detail["changes"])) == ("route.update", "alice", ["facts"])
    # the history table of the page says what changed in words, not as JSON
    history = "\n".join(str(v) for df in at.dataframe for v in df.value.to_numpy().ravel())
    assert "到达、季节与路况：交通与停车、季节提示、核实于 2026-11-20、路面 5 段、提醒 2 处 → " in history
    assert "核实于 2026-12-01、路面 5 段、提醒 3 处" in history and '"stretches"' not in history


def test_a_backwards_stretch_is_refused_in_one_line_and_nothing_is_saved(db_url, monkeypatch):
    store = open_store(db_url)
    before = store.get_route("tianxiang")
    at = _facts_tab(db_url, monkeypatch, "en")
    base = f"ed_facts_tianxiang_{before.version}"
    _add_stretch(at, base, 9.0, 3.0, kind="traffic", zh="车多", en="Traffic")
    at.button(key=f"{base}_save").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["stretch 8: from 9 km must be less than to 3 km"]
    assert not at.success
    assert store.get_route("tianxiang") == before


def test_km_inputs_are_required_to_add_a_stretch(db_url, monkeypatch):
    at = _facts_tab(db_url, monkeypatch, "zh")
    base = f"ed_facts_tianxiang_{open_store(db_url).get_route('tianxiang').version}"
    at.button(key=f"{base}_add").click().run()
    assert [e.value for e in at.error] == ["请先填好起点和终点的公里数。"]


def test_a_stale_form_is_refused_as_a_conflict(db_url, monkeypatch):
    store = open_store(db_url)
    before = store.get_route("tianxiang")
    at = _facts_tab(db_url, monkeypatch, "en")
    base = f"ed_facts_tianxiang_{before.version}"
    store.update_route("tianxiang", {"name_en": "Renamed meanwhile"}, user="bob", expected_version=before.version)
    at.text_area(key=f"{base}_gt_en").input("Drive there.")
    at.button(key=f"{base}_save").click().run()
    assert not at.exception, at.exception
    assert not at.success
    assert "bob" in "\n".join(str(e.value) for e in (*at.error, *at.warning))
    assert store.get_route("tianxiang").facts == before.facts
