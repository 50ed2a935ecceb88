"""The POI editor with an area drawn on the map (what streamlit-folium sends back is put in the session as the
browser would): a new point drawn as an area gets the outline and a marker inside it; a shape over the vertex limit is
refused in one line and nothing changes. The drawing by mouse itself is tests/e2e/test_poi_draw_area.py."""

from __future__ import annotations

import math

import pytest

from routes.analysis.areas import AREA_MAX_VERTICES, contains
from routes.io.chinacoords import wgs84_to_gcj02
from routes.store import open_store
from tests.app.test_editor_pages import PASSWORD, _app

#: A drawn rectangle by the lake, WGS-84 (lon, lat).
RECT = [[120.85, 30.0], [120.86, 30.0], [120.86, 30.01], [120.85, 30.01], [120.85, 30.0]]


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('poi-draw') / 'guide.db'}"
    open_store(url).add_user("alice", PASSWORD, "editor")
    return url


def _features(ring_lonlat, *, gcj: bool):
    """The ring as the Amap basemap's frame sends it back (GCJ-02 positions)."""
    ring = [list(reversed(wgs84_to_gcj02(lat, lon))) for lon, lat in ring_lonlat] if gcj else ring_lonlat
    return [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]


def _drawn(db_url, monkeypatch, ring):
    at = _app(db_url, monkeypatch, "pages/editor_pois.py", user="alice")
    at.toggle(key="ed_poi_draw").set_value(True).run()
    assert not at.exception, at.exception
    # the default basemap is Amap (GCJ-02): the page converts the drawn vertices back to WGS-84
    at.session_state["ed_poi_map_amap_zh_draw___new___0"] = {"all_drawings": _features(ring, gcj=True)}
    return at.run()


def test_a_new_point_drawn_as_an_area(db_url, monkeypatch):
    at = _drawn(db_url, monkeypatch, RECT)
    assert "地图上画好的范围（5 个顶点）尚未保存：点击下面的按钮保存。" in [w.value for w in at.warning]
    form = "ed_poi_new_none"
    at.text_input(key=f"{form}_name_zh").input("画出来的湖")
    at.text_input(key=f"{form}_name_en").input("Drawn lake")
    at.button(key=f"FormSubmitter:{form}-添加兴趣点").click().run()
    assert not at.exception, at.exception
    poi = next(p for p in open_store(db_url).list_pois() if p.name_zh == "画出来的湖")
    ring = poi.area["coordinates"][0]
    assert len(ring) == 5 and poi.radius_m is None
    for (lon, lat), (lon0, lat0) in zip(ring, RECT, strict=True):
        assert abs(lon - lon0) < 1e-5 and abs(lat - lat0) < 1e-5  # the GCJ-02 round trip: ≈ 1 m
    assert contains(poi.area, poi.lat, poi.lon)  # its marker inside the area


def test_too_many_vertices_are_refused_and_nothing_is_saved(db_url, monkeypatch):
    n = AREA_MAX_VERTICES + 1
    ring = [[120.855 + 0.01 * math.cos(2 * math.pi * i / n), 30.005 + 0.01 * math.sin(2 * math.pi * i / n)]
            for i in range(n)]
    at = _drawn(db_url, monkeypatch, ring)
    form = "ed_poi_new_none"
    at.text_input(key=f"{form}_name_zh").input("太细的湖")
    at.text_input(key=f"{form}_name_en").input("Too detailed")
    before = len(open_store(db_url).list_pois())
    at.button(key=f"FormSubmitter:{form}-添加兴趣点").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert f"范围轮廓有 {n + 1} 个顶点，超过每个范围 {AREA_MAX_VERTICES} 个的上限；请先简化轮廓再导入" in errors, errors
    assert len(open_store(db_url).list_pois()) == before
