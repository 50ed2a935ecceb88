"""Outlines simplified for drawing (routes.analysis.areas.display_areas): a square drawn with hundreds of collinear
and jittered vertices is drawn as its four corners, a hole stays a hole, the result stays valid where a plain
Douglas–Peucker would cross, a page's areas share one vertex budget, and the stored outline is never touched. And the
import limit: an outline over AREA_MAX_VERTICES is refused with one zh/en message."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
import shapely

from routes.analysis.areas import (
    AREA_DETAIL_ZOOM,
    AREA_DISPLAY_VERTEX_BUDGET,
    AREA_MAX_VERTICES,
    AREA_TOLERANCE_PX,
    display_areas,
    normalise_area,
)
from routes.analysis.graderuns import metres_per_px
from routes.store import Store, ValidationError
from tests.routes.test_store import POI_FIELDS

LAT0, LON0 = 29.99, 120.85
#: Metres per degree at LAT0, only to lay out test shapes (display_areas works in its own local metres).
M_PER_DEG_LAT = 110_861.0
M_PER_DEG_LON = 96_486.0
#: What display_areas may move an outline by at LAT0: a pixel at the detail zoom, ≈ 2.07 m.
TOL_M = AREA_TOLERANCE_PX * metres_per_px(AREA_DETAIL_ZOOM, LAT0)


def lonlat(xy_m: np.ndarray) -> list[list[float]]:
    """Metres east/north of (LAT0, LON0) as GeoJSON [lon, lat] positions."""
    xy = np.asarray(xy_m, dtype=np.float64)
    return np.column_stack([LON0 + xy[:, 0] / M_PER_DEG_LON, LAT0 + xy[:, 1] / M_PER_DEG_LAT]).tolist()


def metres(area: dict) -> shapely.Geometry:
    """An outline back in the test's metres, to compare shapes."""
    return shapely.transform(
        shapely.geometry.shape(area),
        lambda c: np.column_stack([(c[:, 0] - LON0) * M_PER_DEG_LON, (c[:, 1] - LAT0) * M_PER_DEG_LAT]),
    )


def jittered_square(size_m: float, per_side: int, jitter_m: float, seed: int = 0) -> np.ndarray:
    """A square's outline with ``per_side`` vertices on each side, all but the corners moved up to ``jitter_m``
    across the side."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, size_m, per_side, endpoint=False)
    off = rng.uniform(-jitter_m, jitter_m, per_side)
    off[0] = 0.0  # the corners themselves are exact
    sides = [
        np.column_stack([t, off]),
        np.column_stack([size_m + off, t]),
        np.column_stack([size_m - t, size_m + off]),
        np.column_stack([off, size_m - t]),
    ]
    return np.concatenate(sides)


def circle(cx: float, cy: float, r_m: float, n: int, jitter_m: float = 0.0, seed: int = 1) -> np.ndarray:
    a = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = r_m + np.random.default_rng(seed).uniform(-jitter_m, jitter_m, n)
    return np.column_stack([cx + r * np.cos(a), cy + r * np.sin(a)])


def test_tolerance_is_a_pixel_at_the_detail_zoom():
    assert TOL_M == pytest.approx(2.07, abs=0.01)


def test_a_square_of_many_collinear_and_jittered_vertices_is_drawn_as_its_four_corners():
    stored = normalise_area({"type": "Polygon", "coordinates": [lonlat(jittered_square(200.0, 250, 0.5))]})
    assert len(stored["coordinates"][0]) == 1001
    drawn = display_areas([stored])[0]
    ring = drawn["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]  # four corners, closed
    corners = {tuple(p) for p in normalise_area({"type": "Polygon", "coordinates": [lonlat(
        np.array([[0.0, 0.0], [200.0, 0.0], [200.0, 200.0], [0.0, 200.0]]))]})["coordinates"][0]}
    assert {tuple(p) for p in ring} == corners  # the very positions of the file, not moved ones
    assert shapely.hausdorff_distance(metres(drawn), metres(stored)) <= TOL_M


def test_a_hole_stays_a_hole():
    shell = jittered_square(300.0, 200, 0.5)
    hole = circle(150.0, 150.0, 50.0, 1000, jitter_m=0.3)[::-1]
    stored = normalise_area({"type": "Polygon", "coordinates": [lonlat(shell), lonlat(hole)]})
    drawn = display_areas([stored])[0]
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"]) == 2
    assert len(drawn["coordinates"][0]) == 5
    assert 8 <= len(drawn["coordinates"][1]) < 100  # a circle of 50 m to 2 m: a few dozen vertices, not 1 000
    shape = metres(drawn)
    assert shape.is_valid
    assert shapely.Polygon(shape.interiors[0]).area == pytest.approx(np.pi * 50.0**2, rel=0.03)
    assert shapely.hausdorff_distance(shape, metres(stored)) <= TOL_M


def test_topology_stays_valid_where_plain_douglas_peucker_would_cross():
    # The shell's south side has a 3 m dent (more than the tolerance: it stays); a hole sits just above it with a
    # 1.6 m bump (less: it may go). Cutting the bump alone puts the hole's edge across the dent.
    shell = np.array([[0.0, 0.0], [50.0, 3.0], [100.0, 0.0], [100.0, 50.0], [0.0, 50.0]])
    hole = np.array([[40.0, 2.5], [60.0, 2.5], [60.0, 20.0], [40.0, 20.0]])
    hole = np.insert(hole, 1, [50.0, 4.1], axis=0)[::-1]
    stored = normalise_area({"type": "Polygon", "coordinates": [lonlat(shell), lonlat(hole)]})
    # The case is real: each ring simplified on its own (plain Douglas–Peucker) gives a broken polygon.
    shell_m, hole_m = (shapely.simplify(shapely.LineString(r), TOL_M) for r in (shell, hole))
    assert not shapely.Polygon(shell_m.coords, [hole_m.coords]).is_valid
    drawn = display_areas([stored])[0]
    assert shapely.geometry.shape(drawn).is_valid and len(drawn["coordinates"]) == 2


def test_multipolygons_and_places_without_an_outline_keep_their_place():
    square = lonlat(jittered_square(100.0, 50, 0.2))
    far = lonlat(jittered_square(100.0, 50, 0.2) + 500.0)
    stored = normalise_area({"type": "MultiPolygon", "coordinates": [[square], [far]]})
    drawn = display_areas([None, stored, None])
    assert drawn[0] is None and drawn[2] is None
    assert drawn[1]["type"] == "MultiPolygon" and [len(p[0]) for p in drawn[1]["coordinates"]] == [5, 5]
    assert display_areas([]) == [] and display_areas([None]) == [None]


def test_the_stored_outline_is_not_touched():
    stored = normalise_area({"type": "Polygon", "coordinates": [lonlat(circle(0.0, 0.0, 200.0, 3000, 1.0))]})
    before = copy.deepcopy(stored)
    display_areas([stored])
    assert stored == before


def test_a_page_of_detailed_areas_fits_the_vertex_budget():
    # 20 lakes of 4 999 vertices with ±5 m of digitising noise: at a pixel's tolerance each would keep ~900.
    areas = [
        normalise_area({"type": "Polygon", "coordinates": [lonlat(circle(600.0 * k, 0.0, 200.0, 4999, 5.0, seed=k))]})
        for k in range(20)
    ]
    alone = display_areas(areas[:1], budget=10**6)[0]
    assert len(alone["coordinates"][0]) > AREA_DISPLAY_VERTEX_BUDGET // 20  # one alone is over its share
    drawn = display_areas(areas)
    counts = [len(a["coordinates"][0]) for a in drawn]
    assert sum(counts) <= AREA_DISPLAY_VERTEX_BUDGET
    assert min(counts) >= 8  # still round: the tolerance grew as far as needed, not to nothing
    assert all(shapely.geometry.shape(a).is_valid for a in drawn)


def test_an_impossible_budget_still_ends_with_every_area_drawn():
    areas = [
        normalise_area({"type": "Polygon", "coordinates": [lonlat(circle(600.0 * k, 0.0, 200.0, 500, 1.0, seed=k))]})
        for k in range(10)
    ]
    drawn = display_areas(areas, budget=10)
    assert all(4 <= len(a["coordinates"][0]) <= 6 for a in drawn)
    assert all(shapely.geometry.shape(a).is_valid for a in drawn)


def test_the_folium_maps_draw_the_simplified_outlines():
    from types import SimpleNamespace

    from routes.views.maps import map_poi_extent, map_poi_extents

    outline = normalise_area({"type": "Polygon", "coordinates": [lonlat(jittered_square(200.0, 250, 0.5))]})
    lake = SimpleNamespace(area=outline, radius_m=None)
    village = SimpleNamespace(area=None, radius_m=300.0)
    point = SimpleNamespace(area=None, radius_m=None)
    extents = map_poi_extents([lake, village, point])
    assert [len(r) for r in extents[0]["outline"]] == [5]  # (lat, lon) rings for folium: the four corners
    assert extents[0]["outline"][0][0] == tuple(reversed(lake.area["coordinates"][0][0]))
    assert extents[1:] == [{"radius_m": 300.0}, {}]
    assert map_poi_extent(lake) == extents[0]


# --- the import limit ----------------------------------------------------------------------------------------------


def ring_of(n_distinct: int) -> list[list[float]]:
    return lonlat(circle(0.0, 0.0, 300.0, n_distinct))


def test_an_outline_over_the_vertex_limit_is_refused_in_both_languages(empty_store: Store):
    count = AREA_MAX_VERTICES + 1  # the closing position counts: limit distinct + 1 closing
    with pytest.raises(ValidationError) as exc:
        empty_store.create_poi(
            {**POI_FIELDS, "area": {"type": "Polygon", "coordinates": [ring_of(AREA_MAX_VERTICES)]}}, user="ed"
        )
    assert exc.value.field == "area" and exc.value.key == "area_vertices"
    assert exc.value.message("zh") == (
        f"范围轮廓有 {count} 个顶点，超过每个范围 {AREA_MAX_VERTICES} 个的上限；请先简化轮廓再导入"
    )
    assert exc.value.message("en") == (
        f"the outline has {count} vertices, more than the limit of {AREA_MAX_VERTICES} per area; "
        "simplify it before importing"
    )
    at_limit = empty_store.create_poi(
        {**POI_FIELDS, "area": {"type": "Polygon", "coordinates": [ring_of(AREA_MAX_VERTICES - 1)]}}, user="ed"
    )
    assert len(at_limit.area["coordinates"][0]) == AREA_MAX_VERTICES  # kept whole: only drawing simplifies


def test_the_bulk_import_lists_an_outline_over_the_limit_and_imports_nothing_of_it(empty_store: Store):
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring_of(AREA_MAX_VERTICES + 10)]},
             "properties": {"name": "大湖", "category": "lake"}},
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring_of(100)]},
             "properties": {"name": "小湖", "category": "lake"}},
        ],
    }
    preview = empty_store.preview_poi_import(json.dumps(doc).encode(), "lakes.geojson")
    assert [pr.record for pr in preview.problems] == [1]
    error = preview.problems[0].error
    assert error.field == "area" and error.key == "area_vertices"
    assert f"{AREA_MAX_VERTICES + 11} 个顶点" in error.message("zh")
    assert f"limit of {AREA_MAX_VERTICES} per area" in error.message("en")
