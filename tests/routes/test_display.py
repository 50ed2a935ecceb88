"""Display helpers: Douglas–Peucker to a point budget, profile decimation, kilometre markers."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from routes.core.geo import cumulative_distance_m
from routes.core.model import make_track
from routes.views.display import decimate_profile, km_markers, simplify_indices

_GEOD = Geod(ellps="WGS84")


def square(side_m=1000.0, step_m=1.0, ele=None):
    lat, lon = [30.0], [120.84]
    for az in (90.0, 0.0, 270.0, 180.0):
        n = int(side_m / step_m)
        lo, la, _ = _GEOD.fwd(np.full(n, lon[-1]), np.full(n, lat[-1]), np.full(n, az), np.arange(1, n + 1) * step_m)
        lat += list(la)
        lon += list(lo)
    return make_track(lat, lon, ele)


def test_budget_respected_and_corners_kept():
    tr = square()
    idx = simplify_indices(tr, 10)
    assert len(idx) <= 10
    corners = [0, 1000, 2000, 3000, 4000]
    assert set(corners) <= set(idx.tolist())
    assert (np.diff(idx) > 0).all()


def test_zigzag_keeps_the_largest_deviations_first():
    # A straight line with three one-point bumps of different sizes: the biggest bump goes in first, then its two
    # neighbours (they sit ≈ 55 m off the chords to the bump), then the next biggest bump.
    n = 3001
    lat = np.full(n, 30.0)
    lon = np.linspace(120.80, 120.83, n)
    lat[500] += 0.0001  # ≈ 11 m
    lat[1500] += 0.0005  # ≈ 55 m
    lat[2500] += 0.0002
    tr = make_track(lat, lon)
    assert simplify_indices(tr, 3).tolist() == [0, 1500, n - 1]
    assert simplify_indices(tr, 5).tolist() == [0, 1499, 1500, 1501, n - 1]
    assert simplify_indices(tr, 6).tolist() == [0, 1499, 1500, 1501, 2500, n - 1]


def test_segment_ends_summit_and_requested_points_are_kept():
    n = 2000
    lat = np.full(n, 30.0)
    lon = np.linspace(120.80, 120.82, n)
    ele = np.zeros(n)
    ele[1234] = 80.0  # the summit
    tr = make_track(lat, lon, ele, segment_starts=[0, 700])
    idx = simplify_indices(tr, 8, keep=[321])
    assert {0, 699, 700, n - 1, 1234, 321} <= set(idx.tolist())
    assert len(idx) <= 8


def test_small_tracks_are_returned_whole():
    tr = make_track([30.0, 30.001, 30.002], [120.0, 120.0, 120.001])
    assert simplify_indices(tr, 100).tolist() == [0, 1, 2]
    assert simplify_indices(make_track([], []), 100).tolist() == []


def test_decimate_profile_keeps_peaks_and_budget():
    d = np.arange(0.0, 50_000.0, 5.0)
    e = np.sin(d / 700.0) * 30
    e[7777] = 500.0
    e[4321] = -200.0
    idx = decimate_profile(d, e, 200)
    assert len(idx) <= 200
    assert {0, len(d) - 1, 7777, 4321} <= set(idx.tolist())
    assert decimate_profile(d[:50], e[:50], 200).tolist() == list(range(50))


def test_km_markers_on_a_straight_line():
    dist = np.arange(0.0, 5501.0, 7.0)
    lon, lat, _ = _GEOD.fwd(np.full(len(dist), 120.84), np.full(len(dist), 30.0), np.full(len(dist), 90.0), dist)
    tr = make_track(lat, lon)
    marks = km_markers(cumulative_distance_m(tr), tr.lat, tr.lon)
    assert [m[0] for m in marks] == [1.0, 2.0, 3.0, 4.0, 5.0]
    for km, la, lo in marks:
        _, _, dd = _GEOD.inv(120.84, 30.0, lo, la)
        assert dd == pytest.approx(km * 1000, abs=0.05)
    assert [m[0] for m in km_markers(cumulative_distance_m(tr), tr.lat, tr.lon, every_m=2000)] == [2.0, 4.0]


def test_km_markers_never_interpolate_across_a_segment_gap():
    # Segment 1: 0–1.5 km east at 30.00 N; segment 2 starts 0.1° further north.
    d1 = np.arange(0.0, 1501.0, 10.0)
    lo1, la1, _ = _GEOD.fwd(np.full(len(d1), 120.84), np.full(len(d1), 30.0), np.full(len(d1), 90.0), d1)
    lo2, la2, _ = _GEOD.fwd(np.full(len(d1), 120.84), np.full(len(d1), 30.1), np.full(len(d1), 90.0), d1)
    tr = make_track(np.concatenate([la1, la2]), np.concatenate([lo1, lo2]), segment_starts=[0, len(d1)])
    marks = km_markers(cumulative_distance_m(tr), tr.lat, tr.lon, every_m=500)
    lats = [m[1] for m in marks]
    assert all(abs(la - 30.0) < 1e-6 or abs(la - 30.1) < 1e-6 for la in lats)
    assert [m[0] for m in marks][:5] == [0.5, 1.0, 1.5, 2.0, 2.5]
    assert km_markers(np.zeros(1), np.array([30.0]), np.array([120.0])) == []
