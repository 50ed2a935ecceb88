"""Race plans: laps, neutralised start, markers repeated per lap, JSON round trip."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import numpy as np
import pytest
from pyproj import Geod

from routes.core.model import Track, make_track
from routes.race.plan import (
    Marker,
    RaceError,
    RacePlan,
    build_course,
    course_climbs,
    default_markers,
    expand_markers,
    parse_start,
)

KM = 1000.0
_GEOD = Geod(ellps="WGS84")


def square_loop(
    side_m: float = 7_500.0,
    *,
    step_m: float = 100.0,
    lat0: float = 29.99,
    lon0: float = 120.84,
    ele_m: object = None,
    name: str = "测试环线",
) -> Track:
    """East, north, west, south legs of ``side_m`` in geodesic steps of ``step_m``: a lap of exactly 4 x side_m."""
    lats, lons = [lat0], [lon0]
    steps = int(round(side_m / step_m))
    for azimuth in (90.0, 0.0, 270.0, 180.0):
        for _ in range(steps):
            lon, lat, _back = _GEOD.fwd(lons[-1], lats[-1], azimuth, step_m)
            lats.append(lat)
            lons.append(lon)
    n = len(lats)
    ele = np.full(n, 10.0) if ele_m is None else np.asarray(ele_m, dtype=np.float64)
    return make_track(lats, lons, ele, name=name)


def straight_line(
    length_m: float,
    *,
    step_m: float = 100.0,
    lat0: float = 29.99,
    lon0: float = 120.84,
    azimuth: float = 90.0,
    name: str = "",
) -> Track:
    lats, lons = [lat0], [lon0]
    for _ in range(int(round(length_m / step_m))):
        lon, lat, _back = _GEOD.fwd(lons[-1], lats[-1], azimuth, step_m)
        lats.append(lat)
        lons.append(lon)
    return make_track(lats, lons, np.full(len(lats), 5.0), name=name)


@pytest.fixture(scope="module")
def loop30():
    return square_loop(7_500.0)


def test_loop_of_thirty_km_is_exact(loop30):
    course = build_course([loop30], laps=3)
    assert course.lap_m == pytest.approx(30 * KM, abs=0.05)
    assert course.race_m == pytest.approx(90 * KM, abs=0.15)
    assert course.is_loop


def test_three_laps_repeat_markers_at_the_right_km_and_finish_after_the_rollout(loop30):
    course = build_course([loop30], laps=3, neutral_m=2 * KM)
    markers = [Marker("feed", 12 * KM, label="补给"), Marker("kom", 20 * KM, category="4"), Marker("water", 5 * KM)]
    points = expand_markers(markers, course)
    lap = course.lap_m

    feeds = [p for p in points if p.kind == "feed"]
    assert [p.race_m for p in feeds] == pytest.approx([12 * KM, 12 * KM + lap, 12 * KM + 2 * lap])
    assert [p.lap for p in feeds] == [1, 2, 3]
    assert [p.course_m for p in feeds] == pytest.approx([14 * KM, 14 * KM + lap, 14 * KM + 2 * lap])
    assert [p.race_m for p in points if p.kind == "kom"] == pytest.approx([20 * KM + k * lap for k in range(3)])
    assert all(p.category == "4" for p in points if p.kind == "kom")

    finish = points[-1]
    assert finish.kind == "finish"
    assert finish.race_m == pytest.approx(90 * KM, abs=0.15)
    assert finish.course_m == pytest.approx(92 * KM, abs=0.15)
    assert finish.to_go_m == 0 and finish.lap == 3

    assert points[0].kind == "neutral" and points[0].course_m == 0 and points[0].lap is None
    assert points[1].kind == "start" and points[1].course_m == 2 * KM and points[1].race_m == 0 and points[1].lap == 1
    laps = [p for p in points if p.kind == "lap"]
    assert [p.race_m for p in laps] == pytest.approx([lap, 2 * lap]) and [p.lap for p in laps] == [2, 3]
    # riding order, start and finish once each
    assert [p.course_m for p in points] == sorted(p.course_m for p in points)
    assert sum(p.kind == "start" for p in points) == 1 and sum(p.kind == "finish" for p in points) == 1
    assert feeds[1].to_go_m == pytest.approx(course.race_m - feeds[1].race_m)


def test_repeated_markers_sit_on_the_lap_geometry(loop30):
    course = build_course([loop30], laps=2)
    points = [p for p in expand_markers([Marker("sprint", 7.5 * KM)], course) if p.kind == "sprint"]
    corner = 75  # index of the east corner of the square (75 steps of 100 m)
    for p in points:
        assert p.lat == pytest.approx(loop30.lat[corner], abs=1e-9)
        assert p.lon == pytest.approx(loop30.lon[corner], abs=1e-9)


def test_marker_can_be_kept_to_one_lap_and_start_finish_never_repeat(loop30):
    course = build_course([loop30], laps=3)
    markers = [Marker("kom", 50 * KM, every_lap=False, category="3"), Marker("finish", 90 * KM, every_lap=True)]
    points = expand_markers(markers, course)
    koms = [p for p in points if p.kind == "kom"]
    assert len(koms) == 1 and koms[0].race_m == 50 * KM and koms[0].lap == 2
    assert sum(p.kind == "finish" for p in points) == 1


def test_marker_at_the_line_belongs_to_the_lap_it_repeats_on(loop30):
    course = build_course([loop30], laps=3)
    points = [p for p in expand_markers([Marker("medical", 0.0)], course) if p.kind == "medical"]
    assert [p.lap for p in points] == [1, 2, 3]


def test_single_lap_has_no_lap_rows_and_markers_use_race_distance():
    course = build_course([straight_line(10 * KM)], laps=1)
    points = expand_markers([Marker("hazard", 4 * KM, note="急弯下坡")], course)
    assert [p.kind for p in points] == ["start", "hazard", "finish"]
    assert points[1].note == "急弯下坡" and points[1].lap == 1
    assert not course.is_loop


def test_marker_outside_the_lap_is_refused_with_a_chinese_message(loop30):
    course = build_course([loop30], laps=3)
    with pytest.raises(RaceError) as err:
        expand_markers([Marker("feed", 45 * KM, label="补给")], course)
    assert "超出" in err.value.message("zh") and "the lap" in err.value.message("en")


def test_routes_join_end_to_start_with_the_connecting_step_counted():
    first = straight_line(3 * KM, name="A")
    second = straight_line(2 * KM, lat0=29.99, lon0=float(first.lon[-1]) + 0.001)
    course = build_course([first, second])
    from routes.core.geo import geodesic_m

    gap = float(np.asarray(geodesic_m(first.lat[-1], first.lon[-1], second.lat[0], second.lon[0])))
    assert course.lap_m == pytest.approx(5 * KM + gap, abs=0.01)
    assert course.name == "A"


def test_bad_inputs_raise_race_errors(loop30):
    start = parse_start("2025-10-01 08:00")
    with pytest.raises(RaceError):
        RacePlan(name="x", route_slugs=(), start=start)
    with pytest.raises(RaceError):
        RacePlan(name="x", route_slugs=("a",), start=start, laps=0)
    with pytest.raises(RaceError):
        RacePlan(name="x", route_slugs=("a",), start=start, speeds_kmh=(0.0,))
    with pytest.raises(RaceError):
        Marker("banana", 1.0)
    with pytest.raises(RaceError):
        Marker("kom", 1.0, category="5")
    with pytest.raises(RaceError):
        parse_start("tomorrow morning")
    with pytest.raises(RaceError):
        parse_start("2025-10-01 08:00", "Mars/Olympus")


def test_start_naive_is_shanghai_and_utc_input_keeps_its_instant():
    local = parse_start("2025-10-01 08:00")
    assert local.utcoffset().total_seconds() == 8 * 3600
    from_utc = parse_start("2025-10-01T00:00:00Z")
    assert from_utc == local and from_utc.hour == 8
    assert parse_start(datetime(2025, 10, 1, 0, 0, tzinfo=UTC)) == local


def test_plan_json_round_trip():
    plan = RacePlan(
        name="两湖环线公路赛",
        name_en="Lianghu Loop Road Race",
        route_slugs=("lianghu-loop",),
        start=parse_start("2025-10-01 08:30"),
        laps=3,
        neutral_m=2500.0,
        markers=(Marker("feed", 15000.0, label="补给区"), Marker("hazard", 800.0, note="窄桥", every_lap=False)),
        rider_profiles=("road",),
        cutoff_speed_kmh=None,
    )
    data = plan.to_dict()
    assert data["start"] == "2025-10-01T08:30:00+08:00"
    again = RacePlan.from_dict(data)
    assert again == plan and again.to_dict() == data
    import json

    assert RacePlan.from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == plan
    with pytest.raises(RaceError):
        RacePlan.from_dict({"name": "x"})


def test_default_markers_put_koms_on_categorised_summits_and_a_feed_at_half_distance(loop30):
    course = build_course([loop30], laps=1)
    climbs = [
        SimpleNamespace(start_m=2000.0, end_m=4000.0, category="3"),
        SimpleNamespace(start_m=9000.0, end_m=9500.0, category=None),
        SimpleNamespace(start_m=20000.0, end_m=23000.0, category="2"),
    ]
    markers = default_markers(course, climbs)
    koms = [m for m in markers if m.kind == "kom"]
    assert [(m.at_m, m.category) for m in koms] == [(4000.0, "3"), (23000.0, "2")]
    feeds = [m for m in markers if m.kind == "feed"]
    assert len(feeds) == 1 and feeds[0].at_m == pytest.approx(15 * KM, abs=0.05)


def test_course_climbs_repeat_per_lap_and_take_the_kom_name(loop30):
    course = build_course([loop30], laps=2)
    climb = SimpleNamespace(
        start_m=2000.0,
        end_m=4000.0,
        length_m=2000.0,
        gain_m=100.0,
        avg_grade_pct=5.0,
        max_grade_pct=9.0,
        summit_ele_m=120.0,
        category="3",
    )
    out = course_climbs(course, [climb], [Marker("kom", 4100.0, label="覆卮山", category="2")])
    assert [c.start_m for c in out] == pytest.approx([2000.0, 2000.0 + course.lap_m])
    assert [c.lap for c in out] == [1, 2]
    assert all(c.name == "覆卮山" and c.category == "2" for c in out)


def test_race_profile_and_track_repeat_the_lap(loop30):
    course = build_course([loop30], laps=3)
    dist, ele = course.race_profile(course.lap_distance_m, course.lap.ele_m)
    assert np.all(np.diff(dist) > 0)
    assert dist[-1] == pytest.approx(course.race_m)
    track = course.race_track()
    assert track.n_points == 3 * loop30.n_points - 2


def test_a_map_click_snaps_to_the_lap_and_a_far_click_is_refused(loop30):
    from routes.race.plan import snap_marker_m

    course = build_course([loop30], laps=3)
    corner = 75  # the east corner, 7.5 km into the lap
    lat, lon = float(loop30.lat[corner]), float(loop30.lon[corner]) + 0.0003  # ~30 m east of it
    assert snap_marker_m(course, lat, lon) == pytest.approx(7.5 * KM, abs=1.0)
    with pytest.raises(RaceError) as err:
        snap_marker_m(course, lat, lon + 0.05)
    assert "离赛道" in err.value.message("zh")


def test_a_click_snaps_in_whichever_frame_lands_nearer_the_course(loop30):
    from routes.io.chinacoords import wgs84_to_gcj02
    from routes.race.plan import snap_click_m

    course = build_course([loop30], laps=3)
    corner = 75
    lat, lon = float(loop30.lat[corner]), float(loop30.lon[corner]) + 0.0003
    # a click on a WGS-84 basemap (OSM) is taken as it is: the GCJ-02 reading lands ~490 m away and must lose
    assert snap_click_m(course, lat, lon) == pytest.approx(7.5 * KM, abs=1.0)
    # the same place clicked on a GCJ-02 basemap (Amap) is read back to WGS-84
    g_lat, g_lon = map(float, wgs84_to_gcj02(lat, lon))
    assert snap_click_m(course, g_lat, g_lon) == pytest.approx(7.5 * KM, abs=2.0)
    with pytest.raises(RaceError):
        snap_click_m(course, lat, lon + 0.05)


def test_an_empty_race_name_falls_back_to_a_name_in_the_same_language():
    from routes.race.plan import default_race_name

    assert default_race_name("两湖环线", "zh") == "两湖环线公路赛"
    assert default_race_name("Lianghu Loop", "en") == "Lianghu Loop road race"
