"""Gradient runs merged to what a map or profile can show: exact runs on tiny synthetic lines."""

from __future__ import annotations

import numpy as np
import pytest

from routes.analysis.graderuns import GradeRun, fit_zoom, merge_runs, metres_per_px, runs_for_zooms


def test_runs_longer_than_the_minimum_are_kept_as_they_are():
    grades = [0, 0, 5, 5, 5, -5]
    assert merge_runs([100] * 6, grades, min_run_m=50) == [GradeRun(0, 2, 1), GradeRun(2, 5, 2), GradeRun(5, 6, 0)]


def test_a_short_blip_takes_the_band_of_its_closest_neighbour():
    # 500 m at 4 % (moderate), 20 m at 7 % (hard), 500 m at 4 %: one moderate run, not a red speck.
    assert merge_runs([500, 20, 500], [4, 7, 4], min_run_m=50) == [GradeRun(0, 3, 2)]


def test_between_two_bands_the_blip_joins_the_closer_band():
    # flat | 10 m of wall | steep: the wall speck joins "steep" (closer band), flat stays.
    assert merge_runs([300, 10, 300], [0, 13, 10], min_run_m=50) == [GradeRun(0, 1, 1), GradeRun(1, 3, 4)]


def test_a_tie_goes_to_the_longer_neighbour():
    # descent 100 m | flat 10 m | moderate 400 m: flat is one band from both; the longer (moderate) takes it.
    assert merge_runs([100, 10, 400], [-5, 0, 4], min_run_m=50) == [GradeRun(0, 1, 0), GradeRun(1, 3, 2)]


def test_alternating_noise_collapses_to_one_run():
    grades = [0, 4] * 50
    runs = merge_runs([5] * 100, grades, min_run_m=100)
    assert len(runs) == 1 and runs[0].start == 0 and runs[0].end == 100


def test_runs_cover_every_step_in_order():
    rng = np.random.default_rng(3)
    grades = rng.normal(0, 8, 2000)
    runs = merge_runs(rng.uniform(1, 20, 2000), grades, min_run_m=80)
    assert runs[0].start == 0 and runs[-1].end == 2000
    assert all(a.end == b.start for a, b in zip(runs, runs[1:], strict=False))
    assert all(a.band != b.band for a, b in zip(runs, runs[1:], strict=False))


def test_empty_and_single_step_lines():
    assert merge_runs([], [], min_run_m=10) == []
    assert merge_runs([3], [20], min_run_m=10) == [GradeRun(0, 1, 5)]


def test_nan_grades_count_as_flat():
    assert merge_runs([100, 100], [np.nan, 0], min_run_m=10) == [GradeRun(0, 2, 1)]


def test_scale_of_a_pixel():
    assert metres_per_px(0, 0.0) == pytest.approx(156_543.03, rel=1e-6)
    assert metres_per_px(15, 30.0) == pytest.approx(4.137, rel=1e-3)  # near Lianghu at zoom 15
    assert fit_zoom(12_000, 800) == 13  # 12 km across 800 px needs 15 m/px: zoom 13 (16.5 m/px) is the closest fit
    assert fit_zoom(0, 800) == 17


def test_fewer_runs_when_zoomed_out():
    d = np.cumsum(np.r_[0, np.full(999, 10.0)])
    grades = np.where(np.arange(999) % 7 < 3, 5.0, 0.0)  # 30 m moderate, 40 m flat, repeating
    by_zoom = runs_for_zooms(d, grades, lat_deg=30.0, zooms=(12, 17))
    assert len(by_zoom[17]) > len(by_zoom[12])
    assert len(by_zoom[12]) == 1
