"""Areas drawn on the POI editor's map (routes.views.drawing): local assets, the toolbar's language, the drawn shape
back in WGS-84, and the store's check and vertex limit, the same as for an imported outline."""

from __future__ import annotations

import json
import math

import pytest

from routes.analysis.areas import AREA_MAX_VERTICES
from routes.io.chinacoords import gcj02_to_wgs84, wgs84_to_gcj02
from routes.store import ValidationError
from routes.views.drawing import DRAW_LOCAL_KEYS, draw_local, drawn_area, same_outline
from routes.views.editing import editor_map
from routes.views.maps import external_asset_urls, map_html

#: A small rectangle by the lake (WGS-84, lon/lat as GeoJSON).
RECT = [[120.85, 30.0], [120.86, 30.0], [120.86, 30.01], [120.85, 30.01], [120.85, 30.0]]


class _Poi:
    def __init__(self, area):
        self.id, self.lat, self.lon, self.name_zh, self.name_en = "p1", 30.005, 120.855, "湖边", "Lakeside"
        self.category, self.desc_zh, self.desc_en, self.radius_m, self.area = "viewpoint", "", "", None, area


def _feature(ring):
    return {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_toolbar_words_are_ours_in_both_languages():
    zh, en = draw_local("zh"), draw_local("en")
    assert zh["draw"]["toolbar"]["buttons"]["rectangle"] == "画矩形范围"
    assert en["edit"]["toolbar"]["buttons"]["edit"] == "Edit the area's vertices"
    assert len(DRAW_LOCAL_KEYS) == 30


@pytest.mark.parametrize("basemap", ["amap", "osm"])
def test_editor_map_with_drawing_tools_loads_nothing_from_elsewhere(basemap):
    m = editor_map(lang="zh", pois=[_Poi({"type": "Polygon", "coordinates": [RECT]})], basemap=basemap,
                   selected_id="p1", draw_area=True)
    assert external_asset_urls(m) == []
    page = map_html(m)
    assert "/app/static/leaflet-draw/leaflet.draw.js" in page and "/app/static/leaflet-draw/leaflet.draw.css" in page
    assert json.dumps("画矩形范围") in page  # the toolbar's words, as the page's script carries them
    assert page.count("poi-drawn-area") == 1  # the outline is loaded once, editable
    # on the Chinese road map the outline is shifted into GCJ-02, on OSM it stays WGS-84
    lat, lon = wgs84_to_gcj02(30.0, 120.85) if basemap == "amap" else (30.0, 120.85)
    assert f"[{lat}, {lon}]" in page


def test_without_drawing_the_map_has_no_drawing_tools():
    page = map_html(editor_map(lang="zh", pois=[_Poi(None)], basemap="osm", selected_id="p1"))
    assert "leaflet-draw" not in page and "poi-drawn-area" not in page


def test_drawn_shape_in_gcj02_comes_back_in_wgs84():
    shifted = [[*reversed(wgs84_to_gcj02(lat, lon))] for lon, lat in RECT]
    area = drawn_area([_feature(shifted)], to_wgs84=gcj02_to_wgs84)
    assert area["type"] == "Polygon"
    for (lon, lat), (lon0, lat0) in zip(area["coordinates"][0], RECT, strict=True):
        assert abs(lon - lon0) < 1e-5 and abs(lat - lat0) < 1e-5  # ≈ 1 m
    assert same_outline(area, {"type": "Polygon", "coordinates": [RECT]}, tolerance_deg=1e-5)


def test_several_shapes_are_one_multipolygon_and_none_left_is_no_area():
    other = [[lon + 0.02, lat] for lon, lat in RECT]
    area = drawn_area([_feature(RECT), _feature(other)], to_wgs84=lambda a, b: (a, b))
    assert area["type"] == "MultiPolygon" and len(area["coordinates"]) == 2
    assert drawn_area([], to_wgs84=lambda a, b: (a, b)) is None
    assert drawn_area([{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}],
                      to_wgs84=lambda a, b: (a, b)) is None


def test_drawn_outline_is_stored_like_an_imported_one(empty_store):
    poi = empty_store.create_poi({"name_zh": "湖", "name_en": "Lake", "category": "viewpoint", "lat": 30.005,
                                  "lon": 120.855, "radius_m": 200.0}, user="ed")
    area = drawn_area([_feature(RECT)], to_wgs84=lambda a, b: (a, b))
    saved = empty_store.update_poi(poi.id, {"area": area, "radius_m": None}, user="ed", expected_version=poi.version)
    assert saved.area == {"type": "Polygon", "coordinates": [RECT]} and saved.radius_m is None
    assert saved.version == 2


def test_too_many_vertices_are_refused_in_one_line_in_both_languages(empty_store):
    poi = empty_store.create_poi({"name_zh": "湖", "name_en": "Lake", "category": "viewpoint", "lat": 30.005,
                                  "lon": 120.855}, user="ed")
    n = AREA_MAX_VERTICES + 1
    ring = [[120.855 + 0.01 * math.cos(2 * math.pi * i / n), 30.005 + 0.01 * math.sin(2 * math.pi * i / n)]
            for i in range(n)]
    area = drawn_area([_feature(ring)], to_wgs84=lambda a, b: (a, b))
    with pytest.raises(ValidationError) as err:
        empty_store.update_poi(poi.id, {"area": area}, user="ed", expected_version=poi.version)
    count = n + 1  # the ring is closed
    assert err.value.message("zh") == (
        f"范围轮廓有 {count} 个顶点，超过每个范围 {AREA_MAX_VERTICES} 个的上限；请先简化轮廓再导入")
    assert "\n" not in err.value.message("en") and f"{count} vertices" in err.value.message("en")
    assert empty_store.get_poi(poi.id).area is None and empty_store.get_poi(poi.id).version == poi.version
