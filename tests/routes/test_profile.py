"""The elevation-profile figure and the route-card sketch."""

from __future__ import annotations

import numpy as np

from routes.grades import GRADE_BANDS
from routes.profile import ProfileClimb, ProfilePoi, build_profile_figure, selected_range_m, sketch_svg

D = np.arange(0, 2001, 100.0)
E = np.concatenate([np.linspace(10, 110, 11), np.linspace(100, 10, 10)])
G = np.gradient(E, D) * 100


def test_one_filled_trace_per_band_present_plus_line():
    fig = build_profile_figure(D, E, G, lang="en", climbs=[ProfileClimb(0, 1000, "Cat 4")],
                               pois=[ProfilePoi(500.0, "Tea garden")])
    fills = [tr for tr in fig.data if tr.fill == "tozeroy"]
    colours = {tr.fillcolor for tr in fills}
    assert {b.colour for b in GRADE_BANDS if b.key in ("steep", "descent")} <= colours
    line = [tr for tr in fig.data if tr.name == "profile"][0]
    assert len(line.x) == len(D)
    poi = [tr for tr in fig.data if tr.mode == "markers"][0]
    assert list(poi.text) == ["Tea garden"]
    assert abs(poi.y[0] - 60.0) < 1e-6  # placed on the profile at 0.5 km
    assert fig.layout.shapes[0].x0 == 0 and fig.layout.shapes[0].x1 == 1.0
    assert fig.layout.xaxis.title.text == "Distance (km)"


def test_chinese_labels():
    fig = build_profile_figure(D, E, G, lang="zh")
    assert fig.layout.yaxis.title.text == "海拔（米）"


def test_stretch_is_shaded():
    fig = build_profile_figure(D, E, G, lang="en", stretch_m=(200.0, 800.0))
    assert (fig.layout.shapes[-1].x0, fig.layout.shapes[-1].x1) == (0.2, 0.8)


def test_selected_range_from_box_or_points():
    assert selected_range_m({"box": [{"x": [1.5, 0.5]}]}) == (500.0, 1500.0)
    assert selected_range_m({"box": [], "points": [{"x": 2.0}, {"x": 1.0}, {"x": 3.0}]}) == (1000.0, 3000.0)
    assert selected_range_m(None) is None
    assert selected_range_m({"box": [], "points": []}) is None


def test_sketch_svg():
    svg = sketch_svg(D, E)
    assert svg.startswith("<svg") and "polyline" in svg
    assert sketch_svg(D[:1], E[:1]) == ""
    assert sketch_svg(D, np.full(len(D), np.nan)) == ""
