"""Bulk POI import: GeoJSON, CSV and GPX waypoints, the preview, and bad files that must change nothing."""

from __future__ import annotations

import json

import pytest

from routes.core.errors import GpxError
from routes.core.model import Waypoint, make_track
from routes.io.gpxio import write_gpx
from routes.store import ConflictError, Store, StoreError
from routes.store.exports import pois_geojson
from tests.routes.test_store import counts


def _fc(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def _feature(lon: float, lat: float, **props: object) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def test_geojson_preview_then_apply(store: Store) -> None:
    view = store.get_poi("seed-dongjiang-view")
    data = _fc(
        # changed: matched by id
        {**_feature(view.lon, view.lat, name_zh=view.name_zh, name_en=view.name_en, hours="全天开放"),
         "id": view.id},
        # unchanged: matched by name and position (no id)
        _feature(store.get_poi("seed-tea-terraces").lon, store.get_poi("seed-tea-terraces").lat,
                 name_zh="天香茶园梯田", category="tea_garden"),
        # added
        _feature(120.861, 29.981, name_zh="新观景点", name_en="New lookout", category="viewpoint",
                 desc="<script>alert(1)</script>"),
    )
    preview = store.preview_poi_import(data, "new.geojson")
    assert (len(preview.added), len(preview.changed), len(preview.unchanged), preview.problems) == (1, 1, 1, ())
    assert preview.changed[0].changes == {"hours": ("", "全天开放")}
    assert preview.added[0]["desc_en"] == "<script>alert(1)</script>"
    assert store.get_poi(view.id).hours == ""  # a preview writes nothing
    result = store.apply_poi_import(preview, user="ed")
    assert result == {"added": 1, "changed": 1, "unchanged": 1}
    assert store.get_poi(view.id).hours == "全天开放"
    assert store.poi_revisions(view.id)[-1].action == "import"
    added = [p for p in store.list_pois() if p.name_en == "New lookout"]
    assert len(added) == 1 and added[0].desc_en == "<script>alert(1)</script>"
    # importing the same file again changes nothing
    again = store.preview_poi_import(data, "new.geojson")
    assert (len(again.added), len(again.changed), len(again.unchanged)) == (0, 0, 3)


def test_export_then_import_is_a_no_op(store: Store) -> None:
    data = json.dumps(pois_geojson(store), ensure_ascii=False).encode()
    preview = store.preview_poi_import(data, "pois.geojson")
    assert (len(preview.added), len(preview.changed), len(preview.unchanged)) == (0, 0, len(store.list_pois()))


def test_csv_with_lat_lon_columns(empty_store: Store) -> None:
    data = ("名称,name_en,类别,纬度,经度,电话\n"
            "南穴补水点,Nanxue water,water,29.9665,120.8392,0575-1234 5678\n"
            "停车场,Car park,Parking Area,29.97,120.84,\n").encode("gb18030")
    preview = empty_store.preview_poi_import(data, "pois.csv")
    assert preview.source_format == "csv" and preview.ok
    assert [(a["name_zh"], a["category"], a["lat"]) for a in preview.added] == [
        ("南穴补水点", "water", 29.9665), ("停车场", "parking", 29.97)]
    empty_store.apply_poi_import(preview, user="ed")
    assert len(empty_store.list_pois()) == 2


def test_gpx_waypoints_with_default_category(empty_store: Store) -> None:
    gpx = write_gpx(make_track([], []), waypoints=[
        Waypoint(lat=29.98, lon=120.85, name="Viewpoint A", type="Scenic Area"),
        Waypoint(lat=29.981, lon=120.851, name="无名点"),
    ])
    preview = empty_store.preview_poi_import(gpx, "w.gpx")
    assert [p.error.field for p in preview.problems] == ["category"] and preview.problems[0].record == 2
    preview = empty_store.preview_poi_import(gpx, "w.gpx", default_category="village")
    assert [(a["name_zh"], a["name_en"], a["category"]) for a in preview.added] == [
        ("Viewpoint A", "Viewpoint A", "viewpoint"), ("无名点", "无名点", "village")]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"{not json", "x.geojson"),
        (b'{"type": "Topology"}', "x.geojson"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
         b'{"type": "LineString", "coordinates": [[1, 2], [3, 4]]}, "properties": {}}]}', "x.geojson"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null}]}', "x.geojson"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", '
         b'"coordinates": [1]}, "properties": {}}]}', "x.geojson"),
        (b"name,x,y2\na,1,2\n", "x.csv"),
        (b"", "x.csv"),
        (write_gpx(make_track([29.9, 29.91], [120.8, 120.81])), "track-only.gpx"),
    ],
)
def test_malformed_files_are_refused(store: Store, data: bytes, name: str) -> None:
    before = counts(store)
    with pytest.raises(StoreError) as err:
        store.preview_poi_import(data, name)
    assert err.value.key == "import_invalid"
    assert counts(store) == before


def test_hostile_gpx_is_refused(store: Store) -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]><gpx><wpt lat="1" lon="2"><name>&x;</name></wpt></gpx>'
    with pytest.raises(GpxError):
        store.preview_poi_import(evil, "evil.gpx")


def test_one_bad_record_imports_nothing(store: Store) -> None:
    data = _fc(_feature(120.86, 29.98, name_zh="好", name_en="Good", category="food"),
               _feature(120.86, 200.0, name_zh="坏", name_en="Bad", category="food"),
               _feature(120.87, 29.98, name_zh="也坏", name_en="Bad too", category="shop"))
    preview = store.preview_poi_import(data, "x.geojson")
    assert [(p.record, p.error.field) for p in preview.problems] == [(2, "lat"), (3, "category")]
    before = counts(store)
    with pytest.raises(StoreError) as err:
        store.apply_poi_import(preview, user="ed")
    assert err.value.key == "import_rows" and "2" in err.value.message("zh")
    assert counts(store) == before


def test_edit_between_preview_and_apply_is_a_conflict(store: Store) -> None:
    p = store.get_poi("seed-caoe-view")
    data = _fc({**_feature(p.lon, p.lat, name_zh=p.name_zh, name_en="Changed by import"), "id": p.id},
               _feature(120.86, 29.98, name_zh="新", name_en="New", category="food"))
    preview = store.preview_poi_import(data, "x.geojson")
    store.update_poi(p.id, {"hours": "9-5"}, user="someone", expected_version=p.version)
    n_before = len(store.list_pois())
    with pytest.raises(ConflictError):
        store.apply_poi_import(preview, user="ed")
    assert len(store.list_pois()) == n_before  # the added POI was rolled back with the rest
    assert store.get_poi(p.id).name_en == p.name_en
