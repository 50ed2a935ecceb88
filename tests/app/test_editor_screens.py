"""Editor screens stay true after every write: lists and pickers refresh, history and audit speak the page's language."""

from __future__ import annotations

import re

import pytest

from routes.store import open_store
from tests.app.test_editor_pages import PASSWORD, _app


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('screens') / 'guide.db'}"
    store = open_store(url)
    for name, role in (("alice", "editor"), ("bob", "editor"), ("root", "admin")):
        store.add_user(name, PASSWORD, role)
    return url


@pytest.fixture()
def store(db_url):
    return open_store(db_url)


#: Raw things a reader must never see in a history or audit table.
RAW = re.compile(r"photo_id|name_en|name_zh|\{'|\"|^\*$|[0-9a-f]{32}")


def _picker_label(at, key: str) -> str:
    box = at.selectbox(key=key)
    return box.format_func(box.value) if hasattr(box, "format_func") else str(box.value)


def test_new_account_is_listed_at_once(db_url, monkeypatch, store):
    at = _app(db_url, monkeypatch, "pages/editor_admin.py", user="root", role="admin")
    at.text_input(key="admin_new_name").input("dora")
    at.text_input(key="admin_new_password").input(PASSWORD)
    at.button(key="FormSubmitter:admin_add_user-创建账号").click().run()
    assert not at.exception, at.exception
    accounts = at.dataframe[0].value
    assert "dora" in list(accounts["用户名"])
    assert any("dora" in s.value for s in at.success)
    assert "dora" in at.selectbox(key="admin_pick").options


def test_change_password_field_is_not_called_first_password(db_url, monkeypatch, store):
    at = _app(db_url, monkeypatch, "pages/editor_admin.py", user="root", role="admin")
    labels = [w.label for w in at.text_input if (w.key or "").startswith("admin_pw_value_")]
    assert labels and all(label.startswith("新密码") for label in labels), labels


def test_audit_log_speaks_the_pages_language(db_url, monkeypatch, store):
    poi = store.create_poi(
        {
            "name_zh": "审计点",
            "name_en": "Audit point",
            "category": "food",
            "lat": 30.03,
            "lon": 120.86,
            "hours": "08:00–18:00",
        },
        user="bob",
    )
    store.update_poi(poi.id, {"name_en": "Audit point 2"}, user="bob", expected_version=poi.version)
    for lang, word in (
        ("zh", "英文名称：Audit point → Audit point 2"),
        ("en", "English name: Audit point → Audit point 2"),
    ):
        at = _app(db_url, monkeypatch, "pages/editor_admin.py", user="root", role="admin", lang=lang)
        audit = at.dataframe[-1].value
        cells = [str(v) for v in audit.to_numpy().ravel()]
        assert word in cells, cells[:12]
        assert not any(RAW.search(c) for c in cells), [c for c in cells if RAW.search(c)]
        assert poi.id not in " ".join(cells)


def test_poi_picker_shows_the_new_name_and_stays_after_a_restore(db_url, monkeypatch, store):
    poi = store.create_poi(
        {"name_zh": "旧名", "name_en": "Old name", "category": "food", "lat": 30.04, "lon": 120.86}, user="bob"
    )
    at = _app(db_url, monkeypatch, "pages/editor_pois.py", user="alice")
    at.selectbox(key="ed_poi_pick").select(poi.id).run()
    form = f"ed_poi_{poi.id}_1_k"
    at.text_input(key=f"{form}_name_zh").input("新名")
    at.button(key=f"FormSubmitter:{form}-保存修改").click().run()
    assert not at.exception, at.exception
    assert store.get_poi(poi.id).name_zh == "新名"
    assert at.selectbox(key="ed_poi_pick").value == poi.id
    assert "新名" in _picker_label(at, "ed_poi_pick")
    # history: field names and old → new in Chinese, no raw keys
    history = next(df.value for df in at.dataframe if "变更" in " ".join(df.value.columns) or len(df.value) >= 2)
    cells = " ".join(str(v) for v in history.to_numpy().ravel())
    assert "中文名称：旧名 → 新名" in cells and not RAW.search(cells)
    # restore version 1: the picker stays on this point and shows the restored name
    at.selectbox(key=f"ed_poi_rev_{poi.id}").select(1).run()
    at.button(key=f"ed_poi_rev_go_{poi.id}").click().run()
    assert not at.exception, at.exception
    assert store.get_poi(poi.id).name_zh == "旧名"
    assert at.selectbox(key="ed_poi_pick").value == poi.id
    assert "旧名" in _picker_label(at, "ed_poi_pick")


def test_route_history_changes_column_names_fields(db_url, monkeypatch, store):
    info = store.get_route("tianxiang")
    store.update_route("tianxiang", {"season": "春季"}, user="bob", expected_version=info.version)
    at = _app(db_url, monkeypatch, "pages/editor_routes.py", user="alice")
    at.selectbox(key="ed_route_pick").select("tianxiang").run()
    assert not at.exception, at.exception
    # The history table is the one naming the change (the route facts' table on the same screen has English prose)
    history = [df for df in at.dataframe if any("推荐季节：" in str(v) for v in df.value.to_numpy().ravel())]
    assert len(history) == 1
    cells = " ".join(str(v) for v in history[0].value.to_numpy().ravel())
    assert "推荐季节：" in cells and "→ 春季" in cells
    assert "season" not in cells


def test_editor_steps_are_numbered_without_gaps(db_url, monkeypatch):
    at = _app(db_url, monkeypatch, "pages/editor_routes.py", user="alice")
    steps = [int(m) for s in at.subheader for m in re.findall(r"第 (\d) 步", s.value)]
    assert steps and steps == list(range(1, len(steps) + 1)), steps


def test_conflict_view_names_fields_in_the_pages_language(db_url, monkeypatch, store):
    at = _app(db_url, monkeypatch, "pages/editor_routes.py", user="alice")
    at.selectbox(key="ed_route_pick").select("caoe-riverside").run()
    loaded = store.get_route("caoe-riverside")
    store.update_route("caoe-riverside", {"season": "春季"}, user="bob", expected_version=loaded.version)
    form = f"ed_route_caoe-riverside_{loaded.version}"
    at.text_input(key=f"{form}_season").input("秋季")
    at.button(key=f"FormSubmitter:{form}-保存修改").click().run()
    assert not at.exception, at.exception
    table = next(df.value for df in at.dataframe if "字段" in " ".join(map(str, df.value.columns)))
    assert list(table.iloc[:, 0]) == ["推荐季节"] and list(table.iloc[0, 1:]) == ["秋季", "春季"]
