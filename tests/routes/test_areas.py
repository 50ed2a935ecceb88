"""Places that are areas: extents checked, "along the way" with areas (inside, along the edge, near, far), the seed
lake found along the Tianxiang line, GeoJSON polygon import/export, revisions, migration and backup with extents."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import inspect

from routes.analysis.along import areas_along, to_metric
from routes.analysis.areas import (
    AREA_MAX_VERTICES,
    AreaError,
    contains,
    metric_shape,
    normalise_area,
    representative_point,
)
from routes.core.model import make_track
from routes.store import Store, ValidationError, open_store
from routes.store.backup import restore_backup, write_backup
from routes.store.exports import pois_geojson
from routes.views import guide
from tests.routes.test_store import POI_FIELDS

M_PER_DEG_LAT = 110_861.0
M_PER_DEG_LON = 96_486.0  # at 30° N (WGS-84); only used to lay out test shapes, the code projects with pyproj


def square(lat0: float, lon0: float, east_m: float, north_m: float, size_m: float) -> dict:
    """A GeoJSON square whose south-west corner is (east_m, north_m) metres from (lat0, lon0)."""
    x0, y0 = east_m / M_PER_DEG_LON, north_m / M_PER_DEG_LAT
    s_lon, s_lat = size_m / M_PER_DEG_LON, size_m / M_PER_DEG_LAT
    ring = [
        [lon0 + x0, lat0 + y0],
        [lon0 + x0 + s_lon, lat0 + y0],
        [lon0 + x0 + s_lon, lat0 + y0 + s_lat],
        [lon0 + x0, lat0 + y0 + s_lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


# --- checking an extent -----------------------------------------------------------------------------------------


def test_outline_is_closed_rounded_and_checked():
    geo = normalise_area(
        json.dumps(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[120.81, 29.97], [120.82, 29.97], [120.82, 29.98123456789]]],
                },
            }
        )
    )
    assert geo["coordinates"][0][-1] == geo["coordinates"][0][0]
    assert geo["coordinates"][0][2] == [120.82, 29.9812346]
    multi = normalise_area(
        {"type": "MultiPolygon", "coordinates": [geo["coordinates"], [[[121, 30], [121.1, 30], [121.1, 30.1]]]]}
    )
    assert len(multi["coordinates"]) == 2
    assert normalise_area(None) is None and normalise_area("") is None


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ({"type": "Point", "coordinates": [120.8, 30.0]}, "Polygon"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1]]]}, "crosses itself"),  # a bow tie
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}, "at least 3"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [200, 1], [1, 0]]]}, "outside"),
        ({"type": "Polygon", "coordinates": [[[0, 0], ["a", 1], [1, 0]]]}, "longitude, latitude"),
        ("{not json", "not GeoJSON"),
    ],
)
def test_unusable_outlines_are_refused(value, why):
    with pytest.raises(AreaError, match=why):
        normalise_area(value)


def test_outline_vertex_cap():
    a = np.linspace(0, 2 * np.pi, AREA_MAX_VERTICES + 1, endpoint=False)
    ring = np.column_stack([120.8 + 0.01 * np.cos(a), 30 + 0.01 * np.sin(a)]).tolist()
    with pytest.raises(AreaError, match="vertices"):
        normalise_area({"type": "Polygon", "coordinates": [ring]})


def test_representative_point_is_inside_even_for_a_crescent():
    ring = [[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 3.0], [3.0, 3.0], [3.0, 1.0], [0.0, 1.0]]
    area = normalise_area({"type": "Polygon", "coordinates": [ring]})
    lat, lon = representative_point(area)
    assert contains(area, lat, lon)


def test_store_checks_extents(empty_store: Store):
    with pytest.raises(ValidationError) as exc:
        empty_store.create_poi({**POI_FIELDS, "radius_m": 9000}, user="ed")
    assert exc.value.field == "radius_m" and "5000" in exc.value.message("en")
    with pytest.raises(ValidationError) as exc:
        empty_store.create_poi(
            {**POI_FIELDS, "area": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1]]]}}, user="ed"
        )
    assert exc.value.field == "area" and "多边形" in exc.value.message("zh")
    with pytest.raises(ValidationError) as exc:
        empty_store.create_poi({**POI_FIELDS, "radius_m": 100, "area": square(29.99, 120.85, 0, 0, 100)}, user="ed")
    assert exc.value.field == "radius_m"
    assert empty_store.create_poi({**POI_FIELDS, "radius_m": "0"}, user="ed").radius_m is None


# --- along the way ------------------------------------------------------------------------------------------------

LAT0, LON0 = 29.99, 120.85


def road_north(length_m: float = 3000.0, step_m: float = 10.0):  # noqa: ANN201
    n = int(length_m / step_m) + 1
    return make_track(LAT0 + np.arange(n) * step_m / M_PER_DEG_LAT, np.full(n, LON0), np.full(n, 10.0))


def passages_of(track, extents):  # noqa: ANN001, ANN201
    shapes = [(pid, metric_shape(lat, lon, radius, area)) for pid, lat, lon, radius, area in extents]
    return {p.poi_id: p for p in areas_along(track, shapes)}


def test_inside_along_edge_near_and_far():
    track = road_north()
    lake = square(LAT0, LON0, 50.0, 1000.0, 400.0)  # its west shore 50 m east of the road, 400 m long
    village_lat = LAT0 + 2500 / M_PER_DEG_LAT
    found = passages_of(
        track,
        [
            ("village", village_lat, LON0, 150.0, None),  # the road runs through its middle
            ("lake", *representative_point(lake), None, lake),
            ("farm", LAT0 + 500 / M_PER_DEG_LAT, LON0 - 120 / M_PER_DEG_LON, 30.0, None),  # 90 m off the road
            ("far", LAT0 + 1500 / M_PER_DEG_LAT, LON0 + 600 / M_PER_DEG_LON, 100.0, None),  # 500 m off
        ],
    )
    assert set(found) == {"village", "lake", "farm"}
    v = found["village"]
    assert (v.relation, v.offset_m) == ("inside", 0.0)
    assert v.length_m == pytest.approx(300.0, abs=1.0)  # the diameter of the (32-gon) circle
    assert v.distance_m == pytest.approx(2350.0, abs=1.5)  # where it enters the village
    lk = found["lake"]
    assert lk.relation == "along_edge" and lk.side == "right"
    assert lk.offset_m == pytest.approx(50.0, abs=1.0)
    # within 150 m of the shore: the 400 m side plus √(150² − 50²) = 141.4 m at each end
    assert lk.length_m == pytest.approx(400 + 2 * 141.4, abs=3.0)
    assert lk.distance_m == pytest.approx(1000 - 141.4, abs=3.0)
    f = found["farm"]
    assert (f.relation, f.length_m) == ("near", 0.0)
    assert f.offset_m == pytest.approx(90.0, abs=1.0) and f.side == "left"


def test_an_out_and_back_passes_an_area_twice():
    out = road_north(1000.0)
    track = make_track(
        np.concatenate([out.lat, out.lat[::-1][1:]]),
        np.concatenate([out.lon, out.lon[1:]]),
        np.full(2 * out.n_points - 1, 10.0),
    )
    found = areas_along(track, [("v", metric_shape(LAT0 + 500 / M_PER_DEG_LAT, LON0, 100.0, None))])
    assert [p.relation for p in found] == ["inside", "inside"]
    assert found[0].distance_m == pytest.approx(400.0, abs=1.5)
    assert found[1].distance_m == pytest.approx(1400.0, abs=1.5)
    # turning round inside the village is one visit
    found = areas_along(track, [("v", metric_shape(LAT0 + 950 / M_PER_DEG_LAT, LON0, 100.0, None))])
    assert len(found) == 1 and found[0].length_m == pytest.approx(300.0, abs=1.5)


def test_the_tianxiang_line_goes_round_dongjiang_lake(store: Store):
    info, ra = guide.load_route(store, "tianxiang")
    along = guide.passages(ra, guide.visible_pois(store))
    lake = next(p for p in along if p.poi.id == "seed-dongjiang-lake")
    assert lake.relation == "along_edge" and lake.length_m > 2500
    assert guide.passage_label(lake, "zh").startswith("环湖")
    assert guide.passage_label(lake, "en").startswith("around the lake")
    tea = next(p for p in along if p.poi.id == "seed-tea-terraces")
    assert tea.relation == "inside" and guide.passage_label(tea, "en").startswith("through the tea gardens")
    village = next(p for p in along if p.poi.id == "seed-nanxue-village")
    assert guide.passage_label(village, "zh").startswith("穿过村庄")
    # and the POI page's search for 东江湖 lists the Tianxiang line under the lake
    found = guide.route_passages_by_poi(guide.route_cards(store), guide.visible_pois(store))
    assert "tianxiang" in [r.slug for r, _ in found["seed-dongjiang-lake"]]
    assert "1.11" in guide.extent_label(store.get_poi("seed-dongjiang-lake"), "en")


def test_route_map_draws_extents_shifted_for_gcj(store: Store):
    info, ra = guide.load_route(store, "tianxiang")
    along = guide.passages(ra, guide.visible_pois(store))
    html = guide.route_map(info, ra, along, lang="zh").get_root().render()
    # the lake outline and village circles, once in WGS-84 and once shifted for the Chinese basemap
    assert html.count("poi-extent") >= 2 * 3
    lake = store.get_poi("seed-dongjiang-lake")
    lon, lat = lake.area["coordinates"][0][0]
    assert f"[{round(lat, 6)}, {round(lon, 6)}]" in html
    from routes.io.chinacoords import wgs84_to_gcj02

    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    assert f"[{round(float(g_lat), 6)}, {round(float(g_lon), 6)}]" in html


# --- import, export, revisions -------------------------------------------------------------------------------------


def test_geojson_polygons_become_area_pois(empty_store: Store):
    village = square(29.99, 120.85, 0.0, 0.0, 300.0)
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": village, "properties": {"name": "测试村", "category": "村庄"}},
            {
                "type": "Feature",
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                        square(29.98, 120.84, 0, 0, 100)["coordinates"],
                        square(29.98, 120.84, 300, 0, 100)["coordinates"],
                    ],
                },
                "properties": {
                    "name_zh": "两片茶园",
                    "name_en": "Two tea gardens",
                    "category": "tea",
                    "lat": 29.9801,
                    "lon": 120.8401,
                },
            },
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1]]]},
                "properties": {"name": "bad", "category": "lake"},
            },
        ],
    }
    preview = empty_store.preview_poi_import(json.dumps(doc).encode(), "areas.geojson")
    assert [pr.record for pr in preview.problems] == [3] and preview.problems[0].error.field == "area"
    good = {"type": "FeatureCollection", "features": doc["features"][:2]}
    preview = empty_store.preview_poi_import(json.dumps(good).encode(), "areas.geojson")
    empty_store.apply_poi_import(preview, user="ed")
    pois = {p.name_zh: p for p in empty_store.list_pois()}
    v = pois["测试村"]
    assert v.category == "village" and v.area["type"] == "Polygon" and v.is_area
    assert contains(v.area, v.lat, v.lon)  # its marker: a representative point inside
    t = pois["两片茶园"]
    assert (t.lat, t.lon) == (29.9801, 120.8401)  # the file's marker is kept
    assert len(t.area["coordinates"]) == 2
    # export → import changes nothing (the outline is the geometry, the marker in lat/lon)
    exported = pois_geojson(empty_store)
    kinds = sorted(f["geometry"]["type"] for f in exported["features"])
    assert kinds == ["MultiPolygon", "Polygon"]
    again = empty_store.preview_poi_import(json.dumps(exported).encode(), "export.geojson")
    assert not again.added and not again.changed and len(again.unchanged) == 2


def test_csv_radius_column(empty_store: Store):
    data = "name_zh,name_en,category,lat,lon,radius\n古村,Old village,village,29.99,120.85,250\n".encode()
    empty_store.apply_poi_import(empty_store.preview_poi_import(data, "v.csv"), user="ed")
    assert empty_store.list_pois()[0].radius_m == 250.0


def test_extents_have_history_and_old_revisions_restore(empty_store: Store):
    p = empty_store.create_poi(POI_FIELDS, user="ed")
    p = empty_store.update_poi(p.id, {"radius_m": 200}, user="ed", expected_version=p.version)
    p = empty_store.update_poi(
        p.id, {"radius_m": None, "area": square(29.99, 120.85, -100, -100, 200)}, user="ed", expected_version=p.version
    )
    revs = empty_store.poi_revisions(p.id)
    assert [(r.fields["radius_m"], bool(r.fields["area"])) for r in revs] == [
        (None, False),
        (200.0, False),
        (None, True),
    ]
    p = empty_store.restore_poi_revision(p.id, 2, user="ed", expected_version=p.version)
    assert (p.radius_m, p.area) == (200.0, None)
    # a revision written before extents existed (no such keys) restores as a point
    with empty_store.engine.begin() as conn:
        from sqlalchemy import text

        row = conn.execute(text("SELECT id, fields FROM poi_revisions WHERE number = 1")).one()
        old = {k: v for k, v in json.loads(row.fields).items() if k not in ("radius_m", "area")}
        conn.execute(text("UPDATE poi_revisions SET fields = :f WHERE id = :i"), {"f": json.dumps(old), "i": row.id})
    p = empty_store.restore_poi_revision(p.id, 1, user="ed", expected_version=p.version)
    assert (p.radius_m, p.area) == (None, None)


# --- migration and backup -----------------------------------------------------------------------------------------


def _migrate(store: Store, target: str, *, down: bool) -> None:
    from alembic import command

    from routes.store.db import WRITE_OPTION
    from routes.store.migrate import _alembic_config

    with store.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        (command.downgrade if down else command.upgrade)(_alembic_config(conn), target)


def test_existing_database_at_0002_upgrades_and_gets_the_seed_extents(store: Store, db_url: str):
    from routes.store.db import dispose_engine
    from routes.store.migrate import current_revision, head_revision

    mine = store.create_poi({**POI_FIELDS, "name_zh": "编辑加的点"}, user="ed")
    edited = store.get_poi("seed-xinhuapu-village")
    store.update_poi(edited.id, {"desc_en": "edited"}, user="ed", expected_version=edited.version)
    _migrate(store, "0002", down=True)
    dispose_engine(db_url)
    assert "area" not in {c["name"] for c in inspect(store.engine).get_columns("pois")}
    upgraded = open_store(db_url)  # the next start of the app
    with upgraded.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    assert upgraded.get_poi("seed-dongjiang-lake").area["type"] == "Polygon"
    assert upgraded.get_poi("seed-nanxue-village").radius_m == 300.0
    assert upgraded.get_poi("seed-xinhuapu-village").radius_m is None  # edited since seeding: left alone
    assert upgraded.get_poi(mine.id).radius_m is None and upgraded.get_poi(mine.id).area is None


def test_downgrade_refuses_to_drop_an_editors_extent(store: Store):
    p = store.create_poi({**POI_FIELDS, "radius_m": 120}, user="ed")
    with pytest.raises(RuntimeError, match="extent"):
        _migrate(store, "0002", down=True)
    assert store.get_poi(p.id).radius_m == 120.0


def test_backup_round_trip_with_extents(store: Store, other_db_url: str, tmp_path: Path):
    p = store.create_poi({**POI_FIELDS, "area": square(29.99, 120.85, 0, 0, 250)}, user="ed")
    store.update_poi(
        "seed-nanxue-village",
        {"radius_m": 420},
        user="ed",
        expected_version=store.get_poi("seed-nanxue-village").version,
    )
    before = store.dump_canonical()
    out = tmp_path / "b.zip"
    write_backup(store.engine, out)
    target = open_store(other_db_url, seed=False)
    restore_backup(target.engine, out)
    after = target.dump_canonical()
    assert {**after, "audit_log": after["audit_log"][:-1]} == before
    assert target.get_poi(p.id).area == store.get_poi(p.id).area
    assert target.get_poi("seed-nanxue-village").radius_m == 420.0


def test_backup_taken_before_0003_restores_as_points(store: Store, other_db_url: str, tmp_path: Path):
    new_backup, old_backup = tmp_path / "new.zip", tmp_path / "old.zip"
    write_backup(store.engine, new_backup)
    with zipfile.ZipFile(new_backup) as zin, zipfile.ZipFile(old_backup, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                data = json.dumps({**json.loads(data), "schema_revision": "0002"}).encode()
            elif info.filename == "tables/pois.json":
                data = json.dumps(
                    [{k: v for k, v in row.items() if k not in ("radius_m", "area")} for row in json.loads(data)]
                ).encode()
            zout.writestr(info.filename, data)
    target = open_store(other_db_url, seed=False)
    restore_backup(target.engine, old_backup)
    assert all(p.radius_m is None and p.area is None for p in target.list_pois())
    assert len(target.list_pois()) == len(store.list_pois())


def test_metric_shape_is_in_utm_metres():
    x, y = to_metric(np.array([LAT0]), np.array([LON0]))
    circle = metric_shape(LAT0, LON0, 100.0, None)
    assert circle.centroid.distance(__import__("shapely").Point(x[0], y[0])) < 1e-6
    assert circle.area == pytest.approx(np.pi * 100**2, rel=0.01)
