"""The server-drawn SVG profile: valid XML, bands, climbs, POIs, scale data for the viewer, escaping, text alternative."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np

from routes.views.svgprofile import SVG_HEIGHT_PX, SvgClimb, SvgPoi, build_profile_svg, nice_step

NS = {"s": "http://www.w3.org/2000/svg"}


def _hill():
    d = np.arange(0, 10_001, 100.0)  # 10 km every 100 m
    e = np.where(d <= 5000, 100 + d * 0.06, 400 - (d - 5000) * 0.06)  # up 6 % to 400 m, down 6 %
    g = np.where(d < 5000, 6.0, -6.0)
    return d, e, g


def _svg(**kw):
    d, e, g = _hill()
    args = {"title": "Profile of <Hill>", "desc": "10 km & 300 m up", **kw}
    return build_profile_svg(d, e, g, **args)


def test_is_one_well_formed_svg_with_the_class_and_a_text_alternative():
    root = ET.fromstring(_svg())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("class") == "elevation-profile"
    assert root.get("role") == "img"
    assert root.find("s:title", NS).text == "Profile of <Hill>"  # escaped in the markup, literal as text
    assert root.find("s:desc", NS).text == "10 km & 300 m up"
    assert root.get("aria-labelledby") == "profile-t profile-d"
    assert root.get("height") == str(SVG_HEIGHT_PX)


def test_bands_follow_the_gradient():
    root = ET.fromstring(_svg())
    bands = {p.get("class") for p in root.iter("{http://www.w3.org/2000/svg}path")}
    assert bands == {"band band-hard", "band band-descent"}  # +6 % is "hard", −6 % "descent"


def test_scale_for_the_viewer():
    root = ET.fromstring(_svg())
    assert float(root.get("data-distance-max")) == 10_000
    floor, top = float(root.get("data-ele-floor")), float(root.get("data-ele-top"))
    assert floor < 100 and top > 400


def test_climbs_are_shaded_and_labelled_and_pois_marked_at_their_distance():
    root = ET.fromstring(_svg(climbs=[SvgClimb(0, 5000, "四级")], pois=[SvgPoi(2500, "<b>茶园</b>", "p1")]))
    rect = next(r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("class") == "climb")
    assert float(rect.get("x")) == 0 and float(rect.get("width")) == 500  # half of the 1000-unit plot
    label = next(t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "climb-label")
    assert label.text == "四级" and label.get("x") == "25%"
    poi = next(c for c in root.iter("{http://www.w3.org/2000/svg}circle") if c.get("class") == "poi")
    assert poi.get("cx") == "25%" and poi.get("data-poi") == "p1"
    assert poi.find("s:title", NS).text == "<b>茶园</b>"
    assert "<b>" not in _svg(pois=[SvgPoi(2500, "<b>茶园</b>")])


def test_km_labels_are_round_and_fit_a_phone():
    root = ET.fromstring(_svg())
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "km"]
    assert labels == ["0", "2", "4", "6", "8"]  # 10 would sit under the unit label at the right end
    unit = next(t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "unit")
    assert unit.text == "km" and unit.get("x") == "100%"
    assert nice_step(12.6, 6) == 5 and nice_step(300, 3) == 100


def test_missing_elevations_do_not_break_the_figure():
    d, e, g = _hill()
    e = e.copy()
    e[10:20] = np.nan
    root = ET.fromstring(build_profile_svg(d, e, g, title="t", desc="d"))
    assert "nan" not in ET.tostring(root, encoding="unicode").lower()
    flat = ET.fromstring(build_profile_svg(d, np.full(len(d), np.nan), g, title="t", desc="d"))
    assert flat.get("class") == "elevation-profile"
