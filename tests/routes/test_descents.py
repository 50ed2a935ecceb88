"""Descents: steepest 100 m downhill and the longest descent, on a synthetic profile and on the seed Tianxiang line,
through analyse(), the CLI JSON/text and the shared page wording."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from routes.analysis.climbs import detect_climbs
from routes.analysis.descents import detect_descents, longest_descent
from routes.analysis.summary import analyse
from routes.core.model import make_track
from routes.io.gpxio import read_gpx
from routes.views.descentfacts import MINUS, NBSP, descent_facts, descent_text, fmt_down_pct
from tests.conftest import ROOT

M_PER_DEG_LAT = 110_861.0
#: Flat at 50 m, a short wall down (300 m at −10 %), flat, a 2 km climb at 5 %, a long descent of 1.6 km at −6.25 %.
KNOTS_D = [0, 1000, 1300, 2000, 4000, 5600, 6000]
KNOTS_E = [50, 50, 20, 20, 120, 20, 20]
#: Smoothing rounds the corners of the knots, and trimming moves the ends to where the height leaves the flat:
#: the same tolerance the climb tests allow at a knot.
END_TOLERANCE_M = 20.0
TIANXIANG = ROOT / "data" / "seed" / "tianxiang.gpx"


def synthetic():
    d = np.arange(0.0, 6000.1, 5.0)
    e = np.interp(d, KNOTS_D, KNOTS_E)
    return make_track(30.0 + d / M_PER_DEG_LAT, np.full(len(d), 120.85), e, None)


def test_steepest_downhill_and_longest_descent_of_a_known_profile():
    an = analyse(synthetic())
    assert an.min_grade_100m_pct == pytest.approx(-10.0, abs=0.01)
    assert an.max_grade_100m_pct == pytest.approx(5.0, abs=0.01)
    assert len(an.descents) == 2
    wall, long = an.descents
    assert wall.start_m == pytest.approx(1000, abs=END_TOLERANCE_M)
    assert wall.end_m == pytest.approx(1300, abs=END_TOLERANCE_M)
    assert wall.max_grade_pct == pytest.approx(-10.0, abs=0.01)
    assert an.longest_descent is long
    assert long.start_m == pytest.approx(4000, abs=END_TOLERANCE_M)
    assert long.end_m == pytest.approx(5600, abs=END_TOLERANCE_M)
    assert long.length_m == pytest.approx(long.end_m - long.start_m, abs=1e-6)
    assert long.drop_m == pytest.approx(100, abs=2.0)
    assert long.avg_grade_pct == pytest.approx(-6.25, abs=0.1)
    assert long.max_grade_pct == pytest.approx(-6.25, abs=0.01)
    assert long.top_ele_m - long.foot_ele_m == pytest.approx(long.drop_m, abs=1e-9)


def test_a_descent_is_the_climb_of_the_profile_ridden_backwards():
    d = np.arange(0.0, 6000.1, 5.0)
    e = np.interp(d, KNOTS_D, KNOTS_E)
    back = detect_climbs(d, e[::-1])
    down = detect_descents(d, e)
    assert [(6000 - c.end_m, 6000 - c.start_m, c.gain_m) for c in reversed(back)] == [
        (x.start_m, x.end_m, x.drop_m) for x in down
    ]


def test_a_flat_or_uphill_route_has_no_descent():
    d = np.arange(0.0, 3000.1, 5.0)
    assert detect_descents(d, np.full(len(d), 10.0)) == ()
    assert detect_descents(d, 10.0 + 0.05 * d) == ()
    assert longest_descent(()) is None
    an = analyse(make_track(30.0 + d / M_PER_DEG_LAT, np.full(len(d), 120.85), None, None))
    assert an.descents == () and an.longest_descent is None
    assert descent_facts(an, "zh") == [] and descent_facts(an, "en") == []


def test_tianxiang_descent_figures():
    an = analyse(read_gpx(TIANXIANG))
    assert round(an.min_grade_100m_pct, 2) == -9.91
    assert [(round(x.start_m), round(x.end_m)) for x in an.descents] == [(6570, 7445), (10274, 12434)]
    long = an.longest_descent
    assert (round(long.length_m), round(long.drop_m, 1), round(long.avg_grade_pct, 2)) == (2160, 89.4, -4.14)


def test_descent_wording_in_both_languages():
    an = analyse(read_gpx(TIANXIANG))
    assert descent_facts(an, "zh") == [
        ("最陡 100 米下坡", f"{MINUS}9.9{NBSP}%"),
        ("最长下坡", f"2.2 公里，下降 89 米，平均 {MINUS}4.1{NBSP}%（第 10.3–12.4 公里）"),
    ]
    assert descent_facts(an, "en") == [
        ("Steepest 100 m downhill", f"{MINUS}9.9{NBSP}%"),
        ("Longest descent", f"2.2 km, 89 m down at {MINUS}4.1{NBSP}% (km 10.3–12.4)"),
    ]
    assert descent_text(None, "en") == "No descent to speak of"
    assert fmt_down_pct(None) == "–"


def test_info_json_and_text_give_the_descent_figures():
    run = [sys.executable, "-m", "routes", "info", str(TIANXIANG)]
    res = subprocess.run([*run, "--json"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert info["min_grade_100m_pct"] == -9.91
    assert info["longest_descent"] == {
        "start_m": 10274.4, "end_m": 12434.3, "length_m": 2159.9, "drop_m": 89.4, "avg_grade_pct": -4.14,
        "max_grade_pct": -7.96,
    }  # fmt: skip
    text = subprocess.run(run, cwd=ROOT, capture_output=True, text=True)
    assert "steepest 100 m downhill -9.9%" in text.stdout
    assert "longest descent 10.3–12.4 km: 2160 m, 89 m down at -4.1%" in text.stdout
