"""Every time a person reads on the staff pages is in the guide's zone (Beijing time), like the race book and start
times; the store keeps UTC. A change made at 00:30 UTC reads 08:30 on the editor desk, the POI history,
the route status line and history, the accounts page and the race planner's saved plans."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from routes.race.plan import RacePlan, parse_start
from routes.store import open_store
from tests.app.test_editor_pages import PASSWORD, _app

#: When the changes below are stored (UTC; later than anything the test database holds, so the desk lists them
#: among its recent changes), and how the pages must show it (Asia/Shanghai, UTC+8).
STORED_AT = datetime(2030, 5, 1, 0, 30, tzinfo=UTC)
SHOWN = "2030-05-01 08:30"
#: The same moment as UTC digits: a page still showing UTC would show this.
SHOWN_AS_UTC = "2030-05-01 00:30"


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('times') / 'guide.db'}"
    store = open_store(url)
    for name, role in (("alice", "editor"), ("root", "admin"), ("early", "editor")):
        store.add_user(name, PASSWORD, role)
    return url


@pytest.fixture(scope="module")
def made_at_known_time(db_url):
    """A POI, a route change, a race plan and a sign-in, all stored at STORED_AT."""
    store = open_store(db_url)
    with pytest.MonkeyPatch.context() as m:
        m.setattr("routes.store.api._now", lambda: STORED_AT)
        poi = store.create_poi({"name_zh": "时间点", "name_en": "Time point", "category": "food", "lat": 30.05,
                                "lon": 120.86}, user="alice")
        info = store.get_route("caoe-riverside")
        store.update_route("caoe-riverside", {"season": "春季"}, user="alice", expected_version=info.version)
        plan = RacePlan("May Day", ("lianghu-loop",), parse_start("2030-05-01 08:00"), laps=2)
        store.save_race_plan("may-day", plan.to_dict(), user="alice", expected_version=None)
        store.record_login_success("early", at=STORED_AT)
    return poi


def _cells(at) -> str:
    frames = " ".join(str(v) for df in at.dataframe for v in df.value.to_numpy().ravel())
    return frames + " " + " ".join(str(e.value) for e in (*at.caption, *at.markdown))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_editor_desk_audit_log(db_url, monkeypatch, made_at_known_time, lang):
    at = _app(db_url, monkeypatch, "pages/editor.py", user="alice", lang=lang)
    assert not at.exception, at.exception
    text = _cells(at)
    assert SHOWN in text and SHOWN_AS_UTC not in text and "UTC" not in text


def test_poi_history(db_url, monkeypatch, made_at_known_time):
    at = _app(db_url, monkeypatch, "pages/editor_pois.py", user="alice")
    at.selectbox(key="ed_poi_pick").select(made_at_known_time.id).run()
    assert not at.exception, at.exception
    text = _cells(at)
    assert SHOWN in text and SHOWN_AS_UTC not in text


def test_route_status_line_and_history(db_url, monkeypatch, made_at_known_time):
    at = _app(db_url, monkeypatch, "pages/editor_routes.py", user="alice")
    at.selectbox(key="ed_route_pick").select("caoe-riverside").run()
    assert not at.exception, at.exception
    status = next(c.value for c in at.caption if c.value.startswith("状态")).replace("\\", "")  # escaped Markdown
    assert SHOWN in status and "UTC" not in status
    assert SHOWN_AS_UTC not in _cells(at)


def test_accounts_last_sign_in(db_url, monkeypatch, made_at_known_time):
    at = _app(db_url, monkeypatch, "pages/editor_admin.py", user="root", role="admin")
    assert not at.exception, at.exception
    accounts = at.dataframe[0].value
    last = dict(zip(accounts["用户名"], accounts.iloc[:, -1], strict=True))
    assert last["early"] == SHOWN


def test_saved_race_plans(db_url, monkeypatch, made_at_known_time):
    at = _app(db_url, monkeypatch, "pages/race.py", user="alice")
    assert not at.exception, at.exception
    text = _cells(at)
    assert SHOWN in text and SHOWN_AS_UTC not in text
    picker = at.selectbox(key="race_pick")
    assert SHOWN in picker.format_func("may-day")
