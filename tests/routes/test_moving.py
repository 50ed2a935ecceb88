"""Moving time and stops: jitter while standing still is not riding; pauses, gaps and bad clocks."""

from __future__ import annotations

import numpy as np
import pytest

from routes.analysis.moving import analyse_moving
from routes.core.model import make_track

M_PER_DEG_LAT = 110_861.0  # at 30° N
T0 = 1_714_550_400.0  # 2024-05-01T08:00:00Z


def track_from_xy(x_m, y_m, t_s, **kw):
    lat = 30.0 + np.asarray(y_m) / M_PER_DEG_LAT
    lon = 120.85 + np.asarray(x_m) / (M_PER_DEG_LAT * np.cos(np.radians(30.0)))
    return make_track(lat, lon, None, T0 + np.asarray(t_s, dtype=float), **kw)


def ride_stand_ride(jitter_m: float, seed: int = 0):
    """600 s at 5 m/s, 300 s standing with white position jitter, 600 s at 5 m/s; 1 Hz."""
    rng = np.random.default_rng(seed)
    y = np.concatenate([np.arange(600) * 5.0, 3000 + rng.normal(0, jitter_m, 300), 3000 + np.arange(1, 601) * 5.0])
    x = np.concatenate([np.zeros(600), rng.normal(0, jitter_m, 300), np.zeros(600)])
    return track_from_xy(x, y, np.arange(len(y)))


@pytest.mark.parametrize("jitter_m", [2.0, 5.0])
def test_standing_jitter_is_a_stop_not_riding(jitter_m):
    r = analyse_moving(ride_stand_ride(jitter_m))
    assert r.duration_s == 1499.0
    assert r.moving_time_s == pytest.approx(1200, abs=25)
    (stop,) = r.stops
    assert stop.duration_s == pytest.approx(300, abs=25)
    assert stop.start_s == pytest.approx(T0 + 600, abs=15)
    assert stop.lat == pytest.approx(30.0 + 3000 / M_PER_DEG_LAT, abs=5 / M_PER_DEG_LAT)


def test_gpxpy_counts_the_same_jitter_as_moving():
    gpx = pytest.importorskip("gpxpy.gpx")
    from datetime import UTC, datetime

    tr = ride_stand_ride(5.0)
    seg = gpx.GPXTrackSegment(
        [
            gpx.GPXTrackPoint(la, lo, time=datetime.fromtimestamp(t, UTC))
            for la, lo, t in zip(tr.lat, tr.lon, tr.time_s, strict=True)
        ]
    )
    assert seg.get_moving_data().moving_time > 1400  # the 300 s stop mostly counted as riding


def test_steady_ride_is_all_moving():
    n = 1000
    r = analyse_moving(track_from_xy(np.zeros(n), np.arange(n) * 6.0, np.arange(n)))
    assert r.moving_time_s == r.duration_s == n - 1
    assert r.stops == ()


def test_pushing_the_bike_at_walking_pace_is_moving():
    n = 600
    r = analyse_moving(track_from_xy(np.zeros(n), np.arange(n) * 1.2, np.arange(n)))
    assert r.moving_time_s == n - 1


def test_auto_pause_gap_is_a_stop():
    # 300 s riding, the device pauses for 600 s (no points), 300 s riding from the same place.
    t = np.concatenate([np.arange(300), 900 + np.arange(300)])
    y = np.concatenate([np.arange(300) * 5.0, 1495 + np.arange(300) * 5.0])
    r = analyse_moving(track_from_xy(np.zeros(600), y, t))
    assert r.moving_time_s == 598
    (stop,) = r.stops
    assert stop.duration_s == 601 and stop.start_s == T0 + 299


def test_lost_fix_while_riding_is_moving():
    # 60 s without a fix in a tunnel, covering 300 m: 5 m/s, riding.
    t = np.concatenate([np.arange(100), 160 + np.arange(100)])
    y = t * 5.0
    r = analyse_moving(track_from_xy(np.zeros(200), y, t))
    assert r.moving_time_s == r.duration_s == 259


def test_segment_break_is_a_pause():
    t = np.concatenate([np.arange(100), 400 + np.arange(100)])
    y = np.concatenate([np.arange(100) * 5.0, 495 + np.arange(100) * 5.0])
    r = analyse_moving(track_from_xy(np.zeros(200), y, t, segment_starts=[0, 100]))
    assert r.moving_time_s == 198
    assert [s.duration_s for s in r.stops] == [301]


def test_time_going_backwards_is_reported_not_counted():
    t = np.concatenate([np.arange(100), 50 + np.arange(100)])
    y = np.arange(200) * 5.0
    r = analyse_moving(track_from_xy(np.zeros(200), y, t))
    assert any("backwards" in w for w in r.warnings)
    assert r.moving_time_s == 198
    assert r.duration_s == 149


def test_points_without_time_are_skipped():
    t = np.arange(300, dtype=float)
    t[100:120] = np.nan
    r = analyse_moving(track_from_xy(np.zeros(300), np.arange(300) * 5.0, t))
    assert r.moving_time_s == 299


def test_fewer_than_two_timed_points_gives_none():
    assert analyse_moving(track_from_xy([0.0], [0.0], [0.0])) is None
    assert analyse_moving(make_track([30.0, 30.001], [120.0, 120.0])) is None
