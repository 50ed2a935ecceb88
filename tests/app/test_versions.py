"""One version number on the editor screens: the message after a save and the status line agree, restores show the
whole change, and two versions of a route can be compared (texts, figures, both lines on one map)."""

from __future__ import annotations

import json
import re

import pytest

from routes.store import open_store
from routes.views.compare import COMPARE_COLOURS
from tests.app.test_editor_pages import PASSWORD, _app
from tests.routes.test_compare import LONG_DESC_EN, LONG_DESC_ZH, _shorter_gpx

SLUG = "caoe-riverside"


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('versions') / 'guide.db'}"
    store = open_store(url)
    store.add_user("alice", PASSWORD, "editor")
    return url


@pytest.fixture()
def store(db_url):
    return open_store(db_url)


def _html(at) -> str:
    return "\n".join(str(e.proto.body) for e in at.get("html"))


def _status_version(at) -> int:
    line = next(c.value for c in at.caption if c.value.startswith("状态"))
    return int(re.search(r"第 (\d+) 版", line).group(1))


def _open(db_url, monkeypatch, lang="zh"):
    at = _app(db_url, monkeypatch, "pages/editor_routes.py", user="alice", lang=lang)
    at.selectbox(key="ed_route_pick").select(SLUG).run()
    assert not at.exception, at.exception
    return at


def test_save_message_and_status_show_the_same_version(db_url, monkeypatch, store):
    # a new track first: its own number (2) and the route's version (2) would have been told apart before
    v = store.get_route(SLUG)
    store.add_route_revision(SLUG, _shorter_gpx(store.get_route_gpx(SLUG)), filename="short.gpx", user="alice",
                             expected_version=v.version)
    store.update_route(SLUG, {"season": "冬季"}, user="alice", expected_version=v.version + 1)
    at = _open(db_url, monkeypatch)
    before = store.get_route(SLUG).version
    assert _status_version(at) == before == 3
    form = f"ed_route_{SLUG}_{before}"
    at.text_area(key=f"{form}_desc_zh").input(LONG_DESC_ZH)
    at.text_area(key=f"{form}_desc_en").input(LONG_DESC_EN)
    at.button(key=f"FormSubmitter:{form}-保存修改").click().run()
    assert not at.exception, at.exception
    saved = [s.value for s in at.success]
    assert saved == [f"已保存为第 {before + 1} 版。"], saved
    assert _status_version(at) == store.get_route(SLUG).version == before + 1
    # the track list names the same versions: track file 2 made version 2, and it is current
    tracks = next(df.value for df in at.dataframe if "轨迹文件" in df.value.columns)
    assert list(tracks["版本"]) == ["第 2 版 （当前）", "第 1 版"]
    assert list(tracks["轨迹文件"]) == ["轨迹第 2 份", "轨迹第 1 份"]
    changes = next(df.value for df in at.dataframe if "改动" in df.value.columns)
    assert list(changes["版本"])[:3] == [f"第 {before + 1} 版", "第 3 版", "第 2 版"]


def test_text_restore_shows_the_whole_change_in_both_languages(db_url, monkeypatch, store):
    at = _open(db_url, monkeypatch)
    box = at.selectbox(key=f"ed_text_pick_{SLUG}")
    labels = list(box.options)  # as shown
    current = store.get_route(SLUG).version
    assert labels[0].startswith(f"第 {current} 版 · ")
    html = next(e.proto.body for e in at.get("html") if "这次修改改了什么" in e.proto.body)
    # the newest change is the long descriptions: both languages, every word
    assert LONG_DESC_ZH in html and LONG_DESC_EN in html and "…" not in html
    at.button(key=f"ed_text_restore_{SLUG}").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        f"已把文字恢复到第 {current} 版修改之前：现为第 {current + 1} 版。"]
    assert _status_version(at) == current + 1
    assert store.get_route(SLUG).desc_zh != LONG_DESC_ZH


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_view_renders_both_versions(db_url, monkeypatch, store, lang):
    at = _open(db_url, monkeypatch, lang)
    current = store.get_route(SLUG).version
    at.selectbox(key=f"ed_cmp_a_{SLUG}_{current}").select(1).run()
    at.selectbox(key=f"ed_cmp_b_{SLUG}_{current}").select(3).run()
    assert not at.exception, at.exception
    html = _html(at)
    if lang == "zh":
        assert "第 1 版（轨迹第 1 份）" in html and "第 3 版（轨迹第 2 份）" in html  # figures' headings
        assert "推荐季节 · 有改动" in html and "冬季" in html
        assert "距离" in html and "公里" in html
    else:
        assert "version 1 (track file 1)" in html and "version 3 (track file 2)" in html
        assert "Season · changed" in html and "Distance" in html
    # the map of both lines is drawn (streamlit-folium's component): both colours and the legend naming them
    scripts = [json.loads(e.proto.json_args)["script"] for e in at.get("component_instance")]
    maps = [sc for sc in scripts if all(c in sc for c in COMPARE_COLOURS) and "compare-key" in sc]
    assert len(maps) == 1, "no compare map"
    legend = json.loads(re.search(r"div.innerHTML = (\"[^\n]*compare-key[^\n]*\");", maps[0]).group(1))
    want = ("第 1 版（轨迹第 1 份）", "第 3 版（轨迹第 2 份）") if lang == "zh" else (
        "version 1 (track file 1)", "version 3 (track file 2)")
    assert all(w in legend for w in want), legend


def test_poi_save_message_status_and_history_show_the_same_version(db_url, monkeypatch, store):
    poi = store.create_poi({"name_zh": "版本点", "name_en": "Version point", "category": "food", "lat": 30.02,
                            "lon": 120.86}, user="alice")
    at = _app(db_url, monkeypatch, "pages/editor_pois.py", user="alice")
    at.selectbox(key="ed_poi_pick").select(poi.id).run()
    assert any(c.value.startswith("第 1 版 · 最后修改：alice") for c in at.caption)
    form = f"ed_poi_{poi.id}_1_k"
    at.text_input(key=f"{form}_name_en").input("Version point 2")
    at.button(key=f"FormSubmitter:{form}-保存修改").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["已保存为第 2 版。"]
    assert any(c.value.startswith("第 2 版 · 最后修改：alice") for c in at.caption)
    history = next(df.value for df in at.dataframe if "改动" in df.value.columns)
    assert list(history["版本"]) == ["第 2 版", "第 1 版"]
    assert at.selectbox(key=f"ed_poi_rev_{poi.id}").options == ["第 1 版 · 版本点"]
