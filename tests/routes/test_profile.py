"""The elevation-profile figure and the route-card sketch."""

from __future__ import annotations

import numpy as np

from routes.analysis.grades import GRADE_BANDS
from routes.views.profile import (
    ProfileClimb,
    ProfilePoi,
    band_polygon,
    build_profile_figure,
    selected_range_m,
    sketch_svg,
)

D = np.arange(0, 2001, 100.0)
E = np.concatenate([np.linspace(10, 110, 11), np.linspace(100, 10, 10)])
G = np.gradient(E, D) * 100


def test_one_filled_trace_per_band_present_plus_line():
    fig = build_profile_figure(D, E, G, lang="en", climbs=[ProfileClimb(0, 1000, "Cat 4")],
                               pois=[ProfilePoi(500.0, "Tea garden")])
    fills = [tr for tr in fig.data if tr.fill == "toself"]
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


def test_band_outline_drops_to_the_base_between_runs():
    """Two separate steep runs of one band: the outline goes down to the base between them, so no area is filled
    there (plotly bridges NaN gaps in a fill, which once drew a wrong triangle across a bumpy track)."""
    x = np.arange(8, dtype=float)
    y = np.array([10, 20, 30, 25, 20, 40, 60, 50], dtype=float)
    show = np.array([True, True, True, False, False, True, True, False])
    bx, by = band_polygon(x, y, show, 0.0)
    assert bx.tolist() == [0, 0, 1, 2, 2, 5, 5, 6, 6]
    assert by.tolist() == [0, 10, 20, 30, 0, 0, 40, 60, 0]
    # Shoelace area equals the two runs' areas above the base: (10+20)/2+(20+30)/2 and (40+60)/2.
    area = 0.5 * abs(np.dot(bx, np.roll(by, -1)) - np.dot(by, np.roll(bx, -1)))
    assert area == 40.0 + 50.0
