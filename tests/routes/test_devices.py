"""Device course files: GPX waypoints typed for Garmin, TCX course points, FIT course read back with fitdecode."""

from __future__ import annotations

import io

import fitdecode
import numpy as np
import pytest
from lxml import etree

from routes.core.model import make_track
from routes.io.gpxio import read_gpx
from routes.race.devices import course_fit, course_gpx, course_tcx, point_name
from routes.race.plan import Marker, build_course, expand_markers, parse_start

TCX_NS = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
TCX_POINT_TYPES = {
    "Generic",
    "Summit",
    "Valley",
    "Water",
    "Food",
    "Danger",
    "Left",
    "Right",
    "Straight",
    "First Aid",
    "4th Category",
    "3rd Category",
    "2nd Category",
    "1st Category",
    "Hors Category",
    "Sprint",
}


@pytest.fixture(scope="module")
def course_and_points():
    angle = np.linspace(0, 2 * np.pi, 200)
    track = make_track(
        29.99 + 0.01 * np.sin(angle), 120.85 + 0.012 * np.cos(angle), 20 + 10 * np.sin(angle), name="两湖环线"
    )
    course = build_course([track], laps=2, neutral_m=500.0)
    markers = [
        Marker("feed", 2000.0),
        Marker("kom", 3000.0, category="4"),
        Marker("hazard", 4000.0, note="窄桥"),
        Marker("medical", 1000.0),
    ]
    return course, expand_markers(markers, course)


def test_gpx_has_the_race_track_and_typed_waypoints(course_and_points):
    course, points = course_and_points
    track = read_gpx(course_gpx(course, points, lang="zh"))
    assert track.n_points == course.race_track().n_points
    wpts = track.waypoints
    # start, 2 x (medical, feed, kom, hazard), lap line, finish; the roll-out has no place on the line
    assert len(wpts) == 11
    types = [w.type for w in wpts]
    assert types.count("FOOD") == 2 and types.count("FOURTH_CATEGORY") == 2 and types.count("DANGER") == 2
    assert types.count("FIRST_AID") == 2 and types[0] == "SEGMENT_START" and types[-1] == "SEGMENT_END"
    hazard = next(w for w in wpts if w.type == "DANGER")
    assert "窄桥" in hazard.desc and hazard.sym == "Danger Area"


def test_tcx_course_points_use_schema_point_types(course_and_points):
    course, points = course_and_points
    root = etree.fromstring(course_tcx(course, points, start=parse_start("2025-10-01 08:00"), lang="en"))
    cps = root.findall(".//t:CoursePoint", TCX_NS)
    assert len(cps) == 11
    kinds = [cp.findtext("t:PointType", namespaces=TCX_NS) for cp in cps]
    assert set(kinds) <= TCX_POINT_TYPES and kinds.count("4th Category") == 2 and kinds.count("First Aid") == 2
    assert all(len(cp.findtext("t:Name", namespaces=TCX_NS)) <= 10 for cp in cps)
    tcx_names = [cp.findtext("t:Name", namespaces=TCX_NS) for cp in cps]
    assert len(set(tcx_names)) == len(tcx_names), tcx_names
    trackpoints = root.findall(".//t:Trackpoint", TCX_NS)
    assert len(trackpoints) == course.race_track().n_points
    assert trackpoints[0].findtext("t:Time", namespaces=TCX_NS) == "2025-10-01T00:00:00Z"
    total = float(root.findtext(".//t:Lap/t:DistanceMeters", namespaces=TCX_NS))
    assert total == pytest.approx(course.race_m, abs=0.1)


def test_fit_course_reads_back(course_and_points):
    course, points = course_and_points
    data = course_fit(course, points, start=parse_start("2025-10-01 08:00"), lang="zh", name="两湖环线公路赛")
    messages: dict[str, list[dict]] = {}
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                messages.setdefault(frame.name, []).append({f.name: f.value for f in frame.fields})
    assert messages["file_id"][0]["type"] == "course"
    assert messages["course"][0]["sport"] == "cycling"
    assert messages["course"][0]["name"] == "两湖环线公路赛"  # whole, not "两湖环线公"
    assert len(messages["record"]) == course.race_track().n_points
    cps = messages["course_point"]
    assert [c["type"] for c in cps].count("fourth_category") == 2
    assert [c["type"] for c in cps].count("food") == 2
    assert cps[-1]["distance"] == pytest.approx(course.race_m, abs=0.01)
    assert all(len(c["name"].encode()) <= 15 for c in cps)
    assert len({c["name"] for c in cps}) == len(cps), "every course point reads differently"
    assert messages["record"][-1]["distance"] == pytest.approx(course.race_m, abs=0.01)


def test_point_names_carry_the_lap_on_a_circuit(course_and_points):
    course, points = course_and_points
    feeds = [p for p in points if p.kind == "feed"]
    assert [point_name(p, "zh", laps=2) for p in feeds] == ["补给区 圈1", "补给区 圈2"]
    # the generated English name: kind and number, never the Chinese label
    assert point_name(feeds[1], "en", laps=2) == "Feed zone 1 L2"
