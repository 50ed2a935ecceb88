"""Climbs: one continuous climb is one climb, dips don't split, rollers aren't climbs, Strava categories, FIETS."""

from __future__ import annotations

import numpy as np
import pytest

from routes.analysis.climbs import category_for, detect_climbs, fiets_index
from routes.analysis.elevation import build_profile

STEP_M = 5.0


def profile(knots_d, knots_e, *, length_m=None, sigma_m=0.0, seed=0, extra=None):
    """Smoothed profile of a piecewise-linear truth (optionally noisy), as analyse() would build it."""
    length = knots_d[-1] if length_m is None else length_m
    d = np.arange(0.0, length + STEP_M / 2, STEP_M)
    e = np.interp(d, knots_d, knots_e)
    if extra is not None:
        e = e + extra(d)
    if sigma_m:
        e = e + np.random.default_rng(seed).normal(0, sigma_m, len(d))
    p = build_profile(d, e)
    return p.distance_m, p.ele_m


def test_five_km_at_six_percent_is_one_cat_3_climb():
    d, e = profile([0, 2000, 7000, 12000], [10, 10, 310, 10])
    (c,) = detect_climbs(d, e)
    assert c.category == "3"
    assert c.start_m == pytest.approx(2000, abs=80) and c.end_m == pytest.approx(7000, abs=80)
    assert c.gain_m == pytest.approx(300, abs=3)
    assert c.avg_grade_pct == pytest.approx(6.0, abs=0.15)
    assert c.max_grade_pct == pytest.approx(6.0, abs=0.05)
    assert c.summit_ele_m == pytest.approx(310, abs=2) and c.start_ele_m == pytest.approx(10, abs=2)
    assert c.score == pytest.approx(c.length_m * c.avg_grade_pct)


@pytest.mark.parametrize("seed", range(4))
def test_noisy_five_km_climb_is_still_one_cat_3_climb(seed):
    d, e = profile([0, 2000, 7000, 12000], [10, 10, 310, 10], sigma_m=3.0, seed=seed)
    climbs = detect_climbs(d, e)
    assert [c.category for c in climbs] == ["3"]
    assert climbs[0].gain_m == pytest.approx(300, abs=8)


def test_small_dip_does_not_split_a_climb():
    # 4 m down over 150 m in the middle of the climb, then on up.
    knots_d = [0, 2000, 4000, 4150, 7150, 12000]
    knots_e = [10, 10, 130, 126, 310, 10]
    d, e = profile(knots_d, knots_e)
    climbs = detect_climbs(d, e)
    assert len(climbs) == 1
    assert climbs[0].start_m == pytest.approx(2000, abs=80) and climbs[0].end_m == pytest.approx(7150, abs=80)


def test_real_descent_splits_two_climbs():
    # 40 m down over 800 m between two climbs: two climbs.
    d, e = profile([0, 1000, 3000, 3800, 5800, 8000], [0, 0, 120, 80, 200, 0])
    climbs = detect_climbs(d, e)
    assert len(climbs) == 2
    assert climbs[0].end_m == pytest.approx(3000, abs=80) and climbs[1].start_m == pytest.approx(3800, abs=80)


def test_rollers_of_a_few_metres_are_not_climbs():
    # ±4 m rollers every 500 m along 10 km of riverside.
    d, e = profile([0, 10_000], [8, 8], extra=lambda x: 4 * np.sin(2 * np.pi * x / 500))
    assert detect_climbs(d, e) == ()


def test_rollers_before_a_climb_do_not_dilute_it():
    # 3 km of ±3 m rollers on the flat, then 2 km at 5 %.
    d, e = profile(
        [0, 3000, 5000, 6000], [10, 10, 110, 110], extra=lambda x: np.where(x < 2900, 3 * np.sin(2 * np.pi * x / 400), 0)
    )
    (c,) = detect_climbs(d, e)
    assert c.start_m == pytest.approx(3000, abs=100)
    assert c.avg_grade_pct == pytest.approx(5.0, abs=0.2)
    assert c.category == "4"  # 2000 m × 5 % = 10 000


def test_short_steep_ramp_is_not_a_climb():
    d, e = profile([0, 1000, 1200, 2000], [0, 0, 20, 20])  # 200 m at 10 %: below Strava's 300 m
    assert detect_climbs(d, e) == ()


def test_gentle_drag_is_not_a_climb():
    d, e = profile([0, 5000], [0, 100])  # 2 %
    assert detect_climbs(d, e) == ()


def test_small_uncategorised_climb_is_listed_without_category():
    d, e = profile([0, 1000, 1500, 2500], [0, 0, 20, 20])  # 500 m at 4 %: score 2000
    (c,) = detect_climbs(d, e)
    assert c.category is None
    assert c.gain_m == pytest.approx(20, abs=1.0)  # trimming the foot and top costs under 1 m


def test_max_grade_is_the_steepest_100_m():
    d, e = profile([0, 1000, 2000, 2200, 3000, 4000], [0, 0, 50, 74, 114, 114])  # 5 %, 200 m at 12 %, 5 %
    (c,) = detect_climbs(d, e)
    assert c.max_grade_pct == pytest.approx(12.0, abs=0.3)
    assert c.avg_grade_pct == pytest.approx(5.7, abs=0.2)


@pytest.mark.parametrize(
    ("score", "category"),
    [(8_000, None), (8_001, "4"), (16_000, "4"), (16_001, "3"), (32_001, "2"), (64_001, "1"), (80_001, "HC")],
)
def test_strava_categories(score, category):
    assert category_for(score) == category


def test_fiets_index():
    assert fiets_index(300, 5000, 310) == pytest.approx(1.8)
    # Altitude term above 1000 m: 1500 m summit adds 0.5.
    assert fiets_index(300, 5000, 1500) == pytest.approx(2.3)
    assert fiets_index(0, 0, 0) == 0.0


def test_too_short_or_non_finite_profiles_have_no_climbs():
    assert detect_climbs(np.array([0.0, 5.0]), np.array([0.0, 1.0])) == ()
    assert detect_climbs(np.array([0.0, 5.0, 10.0]), np.array([0.0, np.nan, 1.0])) == ()
