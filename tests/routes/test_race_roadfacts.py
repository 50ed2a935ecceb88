"""The routes' surface and warnings on a race course (routes/race/roadfacts.py) and in the organisers' race book:
two synthetic straight routes joined into a lap, ridden twice."""

from __future__ import annotations

import io
from dataclasses import replace

import fitdecode
import numpy as np
import pytest
from lxml import etree
from pypdf import PdfReader

from routes.core.facts import EMPTY_FACTS, parse_facts
from routes.core.model import make_track
from routes.race.devices import course_fit, course_tcx
from routes.race.plan import RacePlan, build_course, parse_start
from routes.race.racebook import lay_out_race, race_book_pdf
from routes.race.roadfacts import course_stretches, device_points, stretch_rows

#: Each synthetic route: 21 points 100 m apart due north (one degree of latitude ≈ 111 195 m).
POINTS = 21
STEP_M = 100.0
M_PER_DEG_LAT = 111_195.0


def _route(start_lat: float):
    d = np.arange(POINTS) * STEP_M
    return make_track(start_lat + d / M_PER_DEG_LAT, np.full(POINTS, 120.8), np.full(POINTS, 50.0))


def _tracks():
    first = _route(30.0)
    return [first, _route(float(first.lat[-1]) + STEP_M / M_PER_DEG_LAT)]  # the second starts 100 m on


FACTS = parse_facts({"stretches": [
    {"from_km": 0, "to_km": 2, "surface": "gravel"},
    {"from_km": 1.0, "to_km": 1.5, "warning": {"kind": "narrow", "zh": "桥上路窄", "en": "Narrow bridge"}},
]})


def test_stretches_placed_at_race_km_on_every_lap():
    course = build_course(_tracks(), laps=2)
    # The second route starts where the lap reaches its first point (after the first route and the joining step).
    second = float(course.lap_distance_m[POINTS])
    assert second == pytest.approx(2100, rel=0.01)
    got = course_stretches(course, [EMPTY_FACTS, FACTS], [POINTS, POINTS])
    lap = course.lap_m
    assert [(s.lap, s.from_race_m, s.to_race_m, s.surface) for s in got] == [
        (1, pytest.approx(second), pytest.approx(lap), "gravel"),  # to km 2 is past the lap's end: clipped
        (1, pytest.approx(second + 1000), pytest.approx(second + 1500), None),
        (2, pytest.approx(lap + second), pytest.approx(2 * lap), "gravel"),
        (2, pytest.approx(lap + second + 1000), pytest.approx(lap + second + 1500), None)]
    head, rows = stretch_rows(got, "en", laps=2)
    assert head == ["Lap", "km", "Surface", "Warning"]
    a, b = f"{second / 1000 + 1:.1f}", f"{second / 1000 + 1.5:.1f}"
    assert rows[1] == ["1", f"{a}–{b}", "", "Narrow: Narrow bridge"]
    assert rows[0][2] == "Gravel" and [r[0] for r in rows] == ["1", "1", "2", "2"]
    head, rows = stretch_rows(got, "zh", laps=1)
    assert head == ["公里", "路面", "提醒"] and rows[1] == [f"{a}–{b}", "", "路窄：桥上路窄"]


def test_race_book_lists_the_surface_and_warnings():
    plan = RacePlan(name="测试赛", name_en="Test race", route_slugs=("a", "b"), start=parse_start("2025-10-01 08:30"),
                    laps=1)
    layout = lay_out_race(plan, _tracks())
    layout = replace(layout, road=course_stretches(layout.course, [EMPTY_FACTS, FACTS], [POINTS, POINTS]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(race_book_pdf(layout, lang="zh"))).pages)
    assert "路面与提醒" in text and "路窄：桥上路窄" in text and "碎石路" in text
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(race_book_pdf(layout, lang="en"))).pages)
    assert "Surface and warnings" in text and "Narrow: Narrow bridge" in text


def test_warnings_are_course_points_in_the_device_files():
    plan = RacePlan(name="测试赛", name_en="Test race", route_slugs=("a", "b"), start=parse_start("2025-10-01 08:30"),
                    laps=2)
    layout = lay_out_race(plan, _tracks())
    layout = replace(layout, road=course_stretches(layout.course, [EMPTY_FACTS, FACTS], [POINTS, POINTS]))
    points = device_points(layout)
    hazards = [p for p in points if p.kind == "hazard"]
    second = float(layout.course.lap_distance_m[POINTS])
    assert [(p.lap, round(p.race_m)) for p in hazards] == [(1, round(second + 1000)),
                                                          (2, round(layout.course.lap_m + second + 1000))]
    assert [p.course_m for p in points] == sorted(p.course_m for p in points)
    lat, lon, _ = layout.course.locate(second + 1000)
    assert (hazards[0].lat, hazards[0].lon) == (float(lat), float(lon))
    assert (hazards[0].label, hazards[0].label_en, hazards[0].note_en) == ("路窄", "Narrow", "Narrow bridge")
    root = etree.fromstring(course_tcx(layout.course, points, start=plan.start, lang="en", name="Test race"))
    ns = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
    danger = [cp for cp in root.findall(".//t:CoursePoint", ns) if "Narrow bridge" in cp.findtext("t:Notes", "", ns)]
    assert len(danger) == 2 and {cp.findtext("t:PointType", namespaces=ns) for cp in danger} == {"Danger"}
    fit = course_fit(layout.course, points, start=plan.start, lang="en", name="Test race")
    with fitdecode.FitReader(io.BytesIO(fit)) as reader:
        cps = [{f.name: f.value for f in frame.fields} for frame in reader
               if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "course_point"]
    danger = [c for c in cps if c["type"] == "danger"]
    assert [round(c["distance"]) for c in danger] == [round(p.race_m) for p in hazards]
    # The device naming code of routes/io/devicenames.py, with the warning's short name: "HAZ1·L1 Narrow".
    assert all(c["name"].endswith(" Narrow") for c in danger) and len({c["name"] for c in danger}) == 2
