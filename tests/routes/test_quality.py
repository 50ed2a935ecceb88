"""Upload quality report: gaps, duplicates, spikes, time/elevation, GCJ-02 detection and conversion, DEM offer."""

from __future__ import annotations

import numpy as np
import pytest

from routes.analysis.quality import (
    check_gcj02,
    convert_gcj02_to_wgs84,
    count_duplicates,
    count_elevation_spikes,
    count_speed_spikes,
    creator_hint,
    dem_covers,
    find_gaps,
    find_position_spikes,
    quality_report,
)
from routes.core.geo import geodesic_m
from routes.core.model import Waypoint, make_track
from routes.io.chinacoords import wgs84_to_gcj02

# A reference line heading north-east through Lianghu, ≈ 55 m steps, 200 points (≈ 11 km).
N = 200
REF_LAT = 29.97 + np.arange(N) * 0.0004
REF_LON = 120.82 + np.arange(N) * 0.0003
REFS = [(REF_LAT, REF_LON)]


def keys(report):
    return [f.key for f in report.findings]


def test_gaps_between_segments_with_time():
    track = make_track([30.0, 30.001, 30.01, 30.011], [120.85] * 4, time_s=[0, 10, 500, 510], segment_starts=[0, 2])
    (gap,) = find_gaps(track)
    assert gap.after_segment == 0
    assert gap.gap_m == pytest.approx(float(geodesic_m(30.001, 120.85, 30.01, 120.85)))
    assert gap.gap_s == 490.0


def test_duplicates_are_counted_within_segments_only():
    track = make_track([30.0, 30.0, 30.001, 30.001, 30.001], [120.85] * 5, segment_starts=[0, 3])
    assert count_duplicates(track) == 2  # 0→1 and 3→4; 2→3 crosses a segment boundary


def test_out_and_back_jump_is_a_position_spike():
    lat = [30.0, 30.0001, 30.01, 30.0002, 30.0003]  # point 2 is ≈ 1.1 km off and straight back
    assert find_position_spikes(make_track(lat, [120.85] * 5)) == (2,)
    # A real corner is not a spike: the neighbours are far apart.
    assert find_position_spikes(make_track([30.0, 30.002, 30.002], [120.85, 120.85, 120.853])) == ()


def test_speed_spike():
    track = make_track([30.0, 30.0001, 30.01], [120.85] * 3, time_s=[0, 2, 4])  # 1.1 km in 2 s
    assert count_speed_spikes(track) == 1


def test_elevation_spike():
    track = make_track([30.0, 30.0001, 30.0002, 30.0003], [120.85] * 4, ele_m=[20, 21, 300, 22])
    assert count_elevation_spikes(track) == 1


def test_clean_track_reports_all_good():
    track = make_track(REF_LAT, REF_LON, ele_m=np.linspace(10, 60, N), time_s=np.arange(N) * 10.0)
    report = quality_report(track, references=REFS)
    assert report.points == N and report.segments == 1
    assert report.distance_m == pytest.approx(float(np.sum(geodesic_m(REF_LAT[:-1], REF_LON[:-1], REF_LAT[1:],
                                                                      REF_LON[1:]))))
    assert report.duration_s == (N - 1) * 10.0
    assert report.gcj.verdict == "wgs84"
    assert keys(report) == ["gcj_wgs84", "all_good"]
    assert report.can_save


def test_missing_time_and_elevation_are_reported():
    report = quality_report(make_track(REF_LAT, REF_LON), references=REFS)
    assert {"no_time", "no_elevation", "dem_missing"} <= set(keys(report))
    assert not report.dem_fill_available


def test_zero_elevations_count_as_missing():
    report = quality_report(make_track(REF_LAT, REF_LON, ele_m=np.zeros(N)))
    assert report.elevation_all_zero
    assert "elevation_zero" in keys(report)


def test_single_point_cannot_be_saved():
    report = quality_report(make_track([30.0], [120.85]))
    assert not report.can_save
    assert keys(report)[0] == "too_few_points"


def test_gcj02_track_is_detected_and_converted_back():
    g_lat, g_lon = wgs84_to_gcj02(REF_LAT, REF_LON)
    shifted = make_track(g_lat, g_lon, waypoints=(Waypoint(float(g_lat[5]), float(g_lon[5]), "x"),))
    check = check_gcj02(shifted, REFS)
    assert check.verdict == "gcj02"
    assert check.fit_as_is_m > 400 and check.fit_converted_m < 1.0
    assert 400 < check.local_shift_m < 700
    back = convert_gcj02_to_wgs84(shifted)
    assert np.max(geodesic_m(back.lat, back.lon, REF_LAT, REF_LON)) < 0.1
    assert geodesic_m(back.waypoints[0].lat, back.waypoints[0].lon, REF_LAT[5], REF_LON[5]) < 0.1
    assert "GCJ-02" in back.warnings[-1]
    assert "gcj_gcj02" in keys(quality_report(shifted, references=REFS))


def test_gcj02_detected_when_only_part_of_the_route_is_known():
    # The new route shares its first 40 % with the reference, then leaves it to the east.
    lat = np.concatenate([REF_LAT[:80], REF_LAT[79] + np.zeros(120)])
    lon = np.concatenate([REF_LON[:80], REF_LON[79] + np.arange(1, 121) * 0.0005])
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    assert check_gcj02(make_track(g_lat, g_lon), REFS).verdict == "gcj02"
    assert check_gcj02(make_track(lat, lon), REFS).verdict == "wgs84"


def test_approximate_reference_still_decides():
    # References drawn by hand are off by tens of metres; a 60 m error must not hide a ≈ 500 m shift.
    rough = [(REF_LAT + 0.0004, REF_LON)]
    g_lat, g_lon = wgs84_to_gcj02(REF_LAT, REF_LON)
    assert check_gcj02(make_track(g_lat, g_lon), rough).verdict == "gcj02"
    assert check_gcj02(make_track(REF_LAT, REF_LON), rough).verdict == "wgs84"


def test_no_reference_nearby_gives_no_verdict():
    far = make_track(REF_LAT + 0.3, REF_LON)
    assert check_gcj02(far, REFS).verdict == "no_reference"
    assert check_gcj02(far, ()).verdict == "no_reference"


def test_outside_china():
    assert check_gcj02(make_track([47.0, 47.01], [8.0, 8.01]), REFS).verdict == "outside_china"


def test_creator_hint():
    raw = b'<?xml version="1.0"?>\n<gpx version="1.1" creator="Amap Cycling 3.2" xmlns="x">'
    assert creator_hint(raw) == "Amap Cycling 3.2"
    assert creator_hint(b'<gpx creator="Garmin Connect">') == ""
    assert creator_hint(b"", "高德导出.gpx") == "高德导出.gpx"
    report = quality_report(make_track(REF_LAT + 0.3, REF_LON), raw=raw)
    assert "gcj_hint" in keys(report)


def test_dem_fill_offered_only_when_tiles_cover_the_track(tmp_path):
    track = make_track(REF_LAT[:50], REF_LON[:50])
    assert not dem_covers(track, tmp_path)
    (tmp_path / "N29E120.hgt").write_bytes(np.full(1201 * 1201, 50, dtype=">i2").tobytes())
    assert dem_covers(track, tmp_path)  # REF_LAT stays below 30.0 N ...
    longer = make_track(REF_LAT, REF_LON)
    assert not dem_covers(longer, tmp_path)  # ... this one reaches into N30E120
    report = quality_report(track, dem_folder=tmp_path)
    assert report.dem_fill_available
    assert "dem_available" in keys(report)
