"""GPX with waypoints, TCX course and QR code."""

from __future__ import annotations

import numpy as np
from lxml import etree

from routes.core.model import Waypoint, make_track
from routes.io.downloads import FALLBACK_SPEED_MPS, CoursePoint, gpx_with_waypoints, qr_png, qr_svg, tcx_course
from routes.io.gpxio import read_gpx

TCX_NS = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}


def _track():
    return make_track([30.0, 30.0, 30.0], [120.80, 120.81, 120.82], [10.0, 20.0, float("nan")])


def test_gpx_round_trips_with_waypoints():
    data = gpx_with_waypoints(_track(), [Waypoint(30.001, 120.805, name="茶园 & <tea>", type="茶园")], name="天香线")
    back = read_gpx(data)
    assert back.n_points == 3
    assert back.name == "天香线"
    assert [w.name for w in back.waypoints] == ["茶园 & <tea>"]


def test_tcx_course_has_distances_times_and_course_points():
    d = np.array([0.0, 1000.0, 2000.0])
    data = tcx_course(_track(), d, name="A very long course name", course_points=[
        CoursePoint(1500.0, "补水点<1>", "Water"),
    ])
    root = etree.fromstring(data)
    assert root.find(".//t:Course/t:Name", TCX_NS).text == "A very long cou"  # 15 characters
    points = root.findall(".//t:Trackpoint", TCX_NS)
    assert [p.find("t:DistanceMeters", TCX_NS).text for p in points] == ["0.0", "1000.0", "2000.0"]
    assert points[2].find("t:AltitudeMeters", TCX_NS) is None  # missing elevation is left out, never 0
    assert points[0].find("t:Time", TCX_NS).text == "2025-01-01T00:00:00Z"
    cp = root.find(".//t:CoursePoint", TCX_NS)
    assert cp.find("t:Name", TCX_NS).text == "补水点<1>"
    assert cp.find("t:PointType", TCX_NS).text == "Water"
    assert abs(float(cp.find(".//t:LongitudeDegrees", TCX_NS).text) - 120.815) < 1e-9
    lap_time = float(root.find(".//t:Lap/t:TotalTimeSeconds", TCX_NS).text)
    assert lap_time == round(2000.0 / FALLBACK_SPEED_MPS)


def test_tcx_uses_given_times():
    data = tcx_course(_track(), np.array([0.0, 1000.0, 2000.0]), name="x", time_s=np.array([0.0, 60.0, 3600.0]))
    times = [e.text for e in etree.fromstring(data).findall(".//t:Trackpoint/t:Time", TCX_NS)]
    assert times[1] == "2025-01-01T00:01:00Z"
    assert times[2] == "2025-01-01T01:00:00Z"


def test_qr_codes():
    svg = qr_svg("http://localhost:8501/route?id=tianxiang&lang=zh")
    assert svg.startswith("<svg") and "path" in svg
    assert qr_png("http://x/route?id=a").startswith(b"\x89PNG")


def test_tcx_course_point_names_stay_apart_and_a_toilet_is_no_first_aid_post():
    from routes.io.downloads import TCX_POINT_TYPES

    assert TCX_POINT_TYPES["toilet"] == "Generic"
    d = np.array([0.0, 1000.0, 2000.0])
    names = ["Dongjiang viewpoint", "Dongjiang tea garden", "Dongjiang bridge"]
    data = tcx_course(_track(), d, name="x", course_points=[CoursePoint(500.0 * i, n) for i, n in enumerate(names)])
    got = [e.text for e in etree.fromstring(data).findall(".//t:CoursePoint/t:Name", TCX_NS)]
    assert got == ["Dongjiang", "Dongjiang2", "Dongjiang3"]
