"""POIs along a route: distance, offset, side, each passage of out-and-backs and loops, the corridor."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from routes.analysis.along import DEFAULT_CORRIDOR_M, pois_along, snap_to_route
from routes.core.model import make_track

_GEOD = Geod(ellps="WGS84")
LAT0, LON0 = 30.0, 120.84


def line(azimuth_deg: float, length_m: float, step_m: float = 10.0, lat0=LAT0, lon0=LON0):
    """Points every step_m along a geodesic from (lat0, lon0)."""
    dist = np.arange(0.0, length_m + step_m / 2, step_m)
    lon, lat, _ = _GEOD.fwd(np.full(len(dist), lon0), np.full(len(dist), lat0), np.full(len(dist), azimuth_deg), dist)
    return np.asarray(lat), np.asarray(lon)


def offset_point(lat, lon, azimuth_deg, dist_m):
    lo, la, _ = _GEOD.fwd(lon, lat, azimuth_deg, dist_m)
    return float(la), float(lo)


def east_track(length_m=4000.0):
    lat, lon = line(90.0, length_m)
    return make_track(lat, lon)


def test_poi_beside_a_straight_route_left_and_right():
    tr = east_track()
    mid_lat, mid_lon = offset_point(LAT0, LON0, 90.0, 1500.0)
    north = offset_point(mid_lat, mid_lon, 0.0, 50.0)
    south = offset_point(mid_lat, mid_lon, 180.0, 80.0)
    out = pois_along(tr, [("north", *north), ("south", *south)])
    assert sorted(p.poi_id for p in out) == ["north", "south"]
    by_id = {p.poi_id: p for p in out}
    # Heading east, north is on the left.
    assert by_id["north"].side == "left" and by_id["south"].side == "right"
    assert by_id["north"].offset_m == pytest.approx(50.0, abs=0.5)
    assert by_id["south"].offset_m == pytest.approx(80.0, abs=0.5)
    assert by_id["north"].distance_m == pytest.approx(1500.0, abs=2.0)


def test_pois_outside_the_corridor_are_not_along():
    tr = east_track()
    far = offset_point(*offset_point(LAT0, LON0, 90.0, 2000.0), 0.0, DEFAULT_CORRIDOR_M + 50)
    assert pois_along(tr, [("far", *far)]) == []
    assert len(pois_along(tr, [("far", *far)], corridor_m=DEFAULT_CORRIDOR_M + 100)) == 1


def test_results_are_sorted_by_distance():
    tr = east_track()
    pois = [(f"p{k}", *offset_point(*offset_point(LAT0, LON0, 90.0, 3500.0 - k * 1000), 0.0, 20.0)) for k in range(4)]
    out = pois_along(tr, pois)
    assert [p.poi_id for p in out] == ["p3", "p2", "p1", "p0"]
    assert all(a.distance_m < b.distance_m for a, b in zip(out, out[1:], strict=False))


def test_out_and_back_reports_each_passage():
    lat, lon = line(90.0, 3000.0)
    tr = make_track(np.concatenate([lat, lat[-2::-1]]), np.concatenate([lon, lon[-2::-1]]))
    poi = offset_point(*offset_point(LAT0, LON0, 90.0, 1000.0), 0.0, 30.0)
    out = pois_along(tr, [("teahouse", *poi)])
    assert [p.poi_id for p in out] == ["teahouse", "teahouse"]
    assert out[0].distance_m == pytest.approx(1000.0, abs=2.0)
    assert out[1].distance_m == pytest.approx(5000.0, abs=2.0)
    assert (out[0].side, out[1].side) == ("left", "right")


def test_turn_around_just_past_the_poi_still_gives_two_passages():
    lat, lon = line(90.0, 1100.0)
    tr = make_track(np.concatenate([lat, lat[-2::-1]]), np.concatenate([lon, lon[-2::-1]]))
    poi = offset_point(*offset_point(LAT0, LON0, 90.0, 1000.0), 0.0, 10.0)  # turn-around 100 m further on
    out = pois_along(tr, [("gate", *poi)])
    assert len(out) == 2
    assert out[0].distance_m == pytest.approx(1000.0, abs=2.0)
    assert out[1].distance_m == pytest.approx(1200.0, abs=2.0)


def test_loop_starting_at_a_poi_passes_it_at_start_and_finish():
    legs = [line(az, 1000.0) for az in (90.0,)]
    lat, lon = legs[0]
    for az in (0.0, 270.0, 180.0):
        la, lo = line(az, 1000.0, lat0=lat[-1], lon0=lon[-1])
        lat, lon = np.concatenate([lat, la[1:]]), np.concatenate([lon, lo[1:]])
    tr = make_track(lat, lon)
    poi = offset_point(LAT0, LON0, 225.0, 15.0)  # just outside the start corner
    out = pois_along(tr, [("start", *poi)])
    assert len(out) == 2
    assert out[0].distance_m == pytest.approx(0.0, abs=1.0)
    assert out[1].distance_m == pytest.approx(4000.0, abs=3.0)


def test_gap_between_segments_is_not_part_of_the_route():
    a_lat, a_lon = line(90.0, 1000.0)
    b_lat, b_lon = line(90.0, 1000.0, lat0=LAT0 + 0.02)  # second segment 2.2 km further north
    tr = make_track(np.concatenate([a_lat, b_lat]), np.concatenate([a_lon, b_lon]), segment_starts=[0, len(a_lat)])
    # A POI halfway up the jump between the segments, right beside where a straight join would run.
    poi = (LAT0 + 0.01, float(a_lon[-1]) + 0.0005)
    assert pois_along(tr, [("between", *poi)]) == []


def test_single_point_and_empty_inputs():
    tr = make_track([LAT0], [LON0])
    near = offset_point(LAT0, LON0, 45.0, 30.0)
    (p,) = pois_along(tr, [("x", *near)])
    assert p.distance_m == 0.0 and p.offset_m == pytest.approx(30.0, abs=0.2)
    assert pois_along(make_track([], []), [("x", *near)]) == []
    assert pois_along(tr, []) == []


def test_snap_to_route():
    tr = east_track()
    pt = offset_point(*offset_point(LAT0, LON0, 90.0, 2500.0), 180.0, 40.0)
    distance_m, offset_m = snap_to_route(tr, *pt)
    assert distance_m == pytest.approx(2500.0, abs=2.0)
    assert offset_m == pytest.approx(40.0, abs=0.5)
    assert snap_to_route(make_track([LAT0], [LON0]), LAT0, LON0) == (0.0, 0.0)
    with pytest.raises(ValueError):
        snap_to_route(make_track([], []), LAT0, LON0)
