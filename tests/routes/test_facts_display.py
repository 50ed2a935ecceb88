"""Route facts as shown to visitors (routes/views/routefacts.py): the page's view, the profile's surface band and
warning marks, the GPX waypoints and surface extension (parsed back by gpxpy), the TCX course points — on small
synthetic facts and a synthetic straight track."""

from __future__ import annotations

from datetime import date

import gpxpy
import numpy as np
from lxml import etree

from routes.core.facts import Bilingual, RouteFacts, Stretch, StretchWarning, parse_facts
from routes.core.model import make_track
from routes.io.downloads import GUIDE_GPX_NS, gpx_with_waypoints, tcx_course
from routes.views import routefacts
from routes.views.svgprofile import SURFACE_ROW_PX, SVG_HEIGHT_PX, SvgSurface, SvgWarning, build_profile_svg

TCX_NS = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
#: The synthetic track: a point every 100 m due north for 10 km (one degree of latitude ≈ 111 195 m).
STEP_M = 100.0
N_POINTS = 101
M_PER_DEG_LAT = 111_195.0


def _facts() -> RouteFacts:
    return parse_facts({
        "getting_there": {"zh": "乘公交到南穴村。", "en": "Take the bus to Nanxue."},
        "season": {"zh": "春季采茶。", "en": ""},
        "checked_on": "2026-11-20",
        "stretches": [
            {"from_km": 0, "to_km": 2.4, "surface": "asphalt"},
            {"from_km": 2.4, "to_km": 6.6, "surface": "gravel", "road": {"zh": "茶园小路", "en": "Tea-garden track"}},
            {"from_km": 6.6, "to_km": 10, "surface": "cobbles"},
            {"from_km": 6.6, "to_km": 7.3,
             "warning": {"kind": "steep_descent", "zh": "陡下坡，请控速", "en": "Steep descent: slow down"}},
        ],
    })


def _track():
    d = np.arange(N_POINTS) * STEP_M
    lat = 30.0 + d / M_PER_DEG_LAT
    lon = np.full(N_POINTS, 120.8)
    ele = 100.0 + d / 100.0
    return make_track(lat, lon, ele), d


def test_view_in_both_languages():
    zh, en = routefacts.facts_view(_facts(), "zh"), routefacts.facts_view(_facts(), "en")
    assert [r.km for r in zh.rows] == ["0–2.4 公里", "2.4–6.6 公里", "6.6–7.3 公里", "6.6–10 公里"]
    assert [r.km for r in en.rows] == ["km 0–2.4", "km 2.4–6.6", "km 6.6–7.3", "km 6.6–10"]
    assert [r.surface_label for r in en.rows] == ["Asphalt", "Gravel", "", "Cobbles"]
    assert [r.surface_label for r in zh.rows] == ["沥青路", "碎石路", "", "石板路"]
    assert en.rows[1].road == "Tea-garden track"
    assert [(w.kind, w.kind_label, w.warning) for w in en.warnings] == [
        ("steep_descent", "Steep descent", "Steep descent: slow down")]
    assert zh.checked == "核实于 2026-11-20" and en.checked == "Last checked 20 Nov 2026"
    assert en.getting_there == "Take the bus to Nanxue." and en.getting_there_note == ""
    # No English season text: the Chinese is shown under a note saying so; the Chinese page has its own text.
    assert en.season == "春季采茶。" and en.season_note.startswith("(Not yet translated")
    assert zh.season == "春季采茶。" and zh.season_note == ""
    assert [(item.key, item.label) for item in en.legend] == [("asphalt", "Asphalt"), ("gravel", "Gravel"),
                                                              ("cobbles", "Cobbles")]
    assert not routefacts.facts_view(RouteFacts(), "en")
    assert routefacts.viewer_stretches(_facts()) == [[6600, 7300]]


def test_profile_surface_band_and_warning_marks():
    d = np.arange(N_POINTS) * STEP_M
    e = 100.0 + d / 100.0
    surfaces = [SvgSurface(0, 2400, "asphalt", "#4a4a4a", "Asphalt"), SvgSurface(2400, 6600, "gravel", "#d4a017", "G"),
                SvgSurface(6600, 10_000, "cobbles", "#5c6f91", "Cobbles")]
    warnings = [SvgWarning(6600, 7300, "steep_descent", "Steep descent · km 6.6–7.3: slow down")]
    svg = build_profile_svg(d, e, np.ones(N_POINTS), title="t", desc="d", surfaces=surfaces, warnings=warnings)
    root = etree.fromstring(svg.encode())
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.get("height") == str(SVG_HEIGHT_PX + SURFACE_ROW_PX)
    rects = root.findall(".//s:rect[@data-surface]", ns)
    assert [(r.get("data-surface"), r.get("data-from-km"), r.get("data-to-km"), r.get("x"), r.get("width"))
            for r in rects] == [("asphalt", "0", "2.4", "0.00%", "24.00%"), ("gravel", "2.4", "6.6", "24.00%", "42.00%"),
                                ("cobbles", "6.6", "10", "66.00%", "34.00%")]
    assert [r.get("fill") for r in rects] == ["#4a4a4a", "#d4a017", "#5c6f91"]
    marks = root.findall(".//s:g[@data-warning]", ns)
    assert len(marks) == 1 and marks[0].get("data-warning") == "steep_descent"
    assert (marks[0].get("data-from-km"), marks[0].get("data-to-km")) == ("6.6", "7.3")
    assert marks[0].find("s:title", ns).text == "Steep descent · km 6.6–7.3: slow down"
    assert marks[0].find("s:circle", ns).get("cx") == "66.00%"
    # Without facts the figure is exactly as before: no band, the usual height.
    plain = etree.fromstring(build_profile_svg(d, e, np.ones(N_POINTS), title="t", desc="d").encode())
    assert plain.get("height") == str(SVG_HEIGHT_PX) and not plain.findall(".//s:rect[@data-surface]", ns)


def test_gpx_warning_waypoint_at_the_track_point_and_surface_extension():
    track, d = _track()
    wpts = routefacts.warning_waypoints(_facts(), track, d, "en")
    gpx = gpx_with_waypoints(track, wpts, name="Synthetic", surfaces=routefacts.surface_stretches(_facts()))
    parsed = gpxpy.parse(gpx.decode("utf-8"))
    assert len(parsed.waypoints) == 1
    w = parsed.waypoints[0]
    # km 6.6 is track point 66 exactly.
    assert (w.latitude, w.longitude) == (float(track.lat[66]), float(track.lon[66]))
    assert w.name == "Steep descent: slow down"
    assert w.description == "Steep descent (km 6.6–7.3): Steep descent: slow down"
    assert w.type == "steep_descent"
    assert len(parsed.tracks[0].segments[0].points) == N_POINTS  # the extension does not disturb the track
    (ext,) = parsed.tracks[0].extensions
    assert ext.tag == f"{{{GUIDE_GPX_NS}}}surfaces"
    assert [(s.get("from_km"), s.get("to_km"), s.get("surface")) for s in ext] == [
        ("0", "2.4", "asphalt"), ("2.4", "6.6", "gravel"), ("6.6", "10", "cobbles")]
    zh = gpxpy.parse(gpx_with_waypoints(track, routefacts.warning_waypoints(_facts(), track, d, "zh"), name="x")
                     .decode("utf-8"))
    assert zh.waypoints[0].name == "陡下坡，请控速" and zh.waypoints[0].description.startswith("陡下坡（6.6–7.3 公里）")


def test_waypoint_snaps_to_the_nearest_track_point():
    assert routefacts.track_index_at([0, 100, 200], 140) == 1
    assert routefacts.track_index_at([0, 100, 200], 160) == 2
    assert routefacts.track_index_at([0, 100, 200], -5) == 0
    assert routefacts.track_index_at([0, 100, 200], 999) == 2


def test_tcx_course_point_for_a_warning():
    track, d = _track()
    tcx = tcx_course(track, d, name="Synthetic", course_points=routefacts.warning_course_points(_facts(), "en"))
    root = etree.fromstring(tcx)
    (cp,) = root.findall(".//t:CoursePoint", TCX_NS)
    assert cp.findtext("t:Name", namespaces=TCX_NS) == "Steep down"  # within the schema's 10 characters
    assert cp.findtext("t:PointType", namespaces=TCX_NS) == "Danger"
    assert cp.findtext("t:Notes", namespaces=TCX_NS) == "Steep descent: slow down"
    assert float(cp.findtext(".//t:LatitudeDegrees", namespaces=TCX_NS)) == round(float(track.lat[66]), 7)


def test_fallback_is_marked_and_empty_text_stays_empty():
    facts = RouteFacts(getting_there=Bilingual("", "Bus 1."), checked_on=date(2026, 1, 5),
                       stretches=(Stretch(0.0, 1.0, warning=StretchWarning("closure", Bilingual("封闭", "Closed"))),))
    zh = routefacts.facts_view(facts, "zh")
    assert zh.getting_there == "Bus 1." and zh.getting_there_note == "（暂无中文版，以下为英文原文）"
    assert routefacts.facts_view(facts, "en").checked == "Last checked 5 Jan 2026"
    assert zh.season == "" and zh.season_note == "" and zh.legend == ()
    assert [(r.surface, r.kind_label) for r in zh.rows] == [("", "封闭")]
