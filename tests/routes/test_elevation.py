"""Elevation: spike rejection, noise estimate, smoothing, dead-band ascent, and the accuracy targets of issue 3."""

from __future__ import annotations

import numpy as np
import pytest

from routes.analysis.elevation import (
    DEAD_BAND_M,
    ascent_descent,
    build_profile,
    estimate_noise_m,
    reject_spikes,
    smooth,
    sum_raw_differences,
    turning_points,
    window_grades_pct,
)

RIDE_LENGTH_M = 40_000.0


def ride_truth(distance_m: np.ndarray) -> np.ndarray:
    """True profile of the synthetic 40 km ride: flat, a 5 km climb at 6 %, a descent, a 2.5 km climb at 4 %, a
    descent, then 23 km of rollers (6 m at 800 m wavelength on 4 m at 2.1 km) by a river."""
    knots_d = [0, 3000, 8000, 12000, 14500, 17000, RIDE_LENGTH_M]
    knots_e = [20.0, 20.0, 320.0, 20.0, 120.0, 20.0, 20.0]
    base = np.interp(distance_m, knots_d, knots_e)
    x = distance_m - 17000
    rollers = np.where(x > 0, 6 * np.sin(2 * np.pi * x / 800) + 4 * np.sin(2 * np.pi * x / 2100), 0.0)
    return base + rollers


def true_gain_loss(truth_fn, length_m: float) -> tuple[float, float]:
    fine = truth_fn(np.linspace(0, length_m, 400_001))
    steps = np.diff(fine)
    return float(steps[steps > 0].sum()), float(-steps[steps < 0].sum())


def ride_points(seed: int, length_m: float = RIDE_LENGTH_M) -> np.ndarray:
    """Distances of 1 Hz points for a rider whose speed wanders between 3 and 7 m/s (≈ 5 m apart)."""
    rng = np.random.default_rng(seed)
    steps = rng.uniform(3.0, 7.0, int(length_m / 5 * 1.1))
    d = np.concatenate(([0.0], np.cumsum(steps)))
    return np.append(d[d < length_m], length_m)


def noisy_ride(sigma_m: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    d = ride_points(seed)
    rng = np.random.default_rng(1000 + seed)
    return d, ride_truth(d) + rng.normal(0.0, sigma_m, len(d))


TRUE_GAIN, TRUE_LOSS = true_gain_loss(ride_truth, RIDE_LENGTH_M)


def test_truth_of_the_synthetic_ride_is_what_the_profile_says():
    # 300 + 100 m of climbs plus the rollers; the rollers add a few hundred metres both ways.
    assert 700 < TRUE_GAIN < 800
    assert TRUE_LOSS == pytest.approx(TRUE_GAIN, abs=12)  # ends where it started, give or take the roller phase


@pytest.mark.parametrize("seed", range(5))
def test_gps_noise_sigma_3_within_5_percent(seed):
    d, e = noisy_ride(3.0, seed)
    p = build_profile(d, e)
    assert p.kind == "gps"
    assert p.ascent_m == pytest.approx(TRUE_GAIN, rel=0.05)
    assert p.descent_m == pytest.approx(TRUE_LOSS, rel=0.05)


@pytest.mark.parametrize("seed", range(5))
def test_gps_noise_sigma_1_within_3_percent(seed):
    d, e = noisy_ride(1.0, seed)
    p = build_profile(d, e)
    assert p.ascent_m == pytest.approx(TRUE_GAIN, rel=0.03)
    assert p.descent_m == pytest.approx(TRUE_LOSS, rel=0.03)


def test_naive_sum_is_several_times_the_truth_on_the_same_data():
    # The reason for all of this: gpxpy and GPXSee sum (lightly averaged) raw differences.
    d, e = noisy_ride(3.0, 0)
    naive_gain, _ = sum_raw_differences(e)
    assert naive_gain > 5 * TRUE_GAIN


def test_gpxpy_uphill_is_far_off_on_the_same_data():
    gpxpy_gpx = pytest.importorskip("gpxpy.gpx")
    d, e = noisy_ride(3.0, 0)
    seg = gpxpy_gpx.GPXTrackSegment(
        [gpxpy_gpx.GPXTrackPoint(30.0 + di / 110_861.0, 120.85, elevation=ei) for di, ei in zip(d, e, strict=True)]
    )
    up, down = seg.get_uphill_downhill()
    assert up > 2 * TRUE_GAIN and down > 2 * TRUE_LOSS


@pytest.mark.parametrize("seed", range(3))
def test_flat_riverside_with_sigma_2_under_2_m_per_km(seed):
    rng = np.random.default_rng(seed)
    d = np.cumsum(np.concatenate(([0.0], rng.uniform(3, 7, 4000))))
    e = 6.0 + rng.normal(0.0, 2.0, len(d))
    p = build_profile(d, e)
    assert p.ascent_m / (d[-1] / 1000) < 2.0
    assert p.descent_m / (d[-1] / 1000) < 2.0


def test_clean_ramp_gives_exactly_its_height():
    d = np.arange(0.0, 2001.0, 5.0)
    e = 10.0 + d * 0.05  # 100 m over 2 km
    p = build_profile(d, e)
    assert p.ascent_m == pytest.approx(100.0, abs=1e-9)
    assert p.descent_m == 0.0
    assert p.kind == "barometric"


def test_clean_ramp_with_uneven_points_gives_exactly_its_height():
    d = np.array([0.0, 3.0, 17.0, 40.0, 41.0, 400.0, 950.0, 1000.0])
    p = build_profile(d, 5 + 0.08 * d)
    assert p.ascent_m == pytest.approx(80.0, abs=1e-9)


def test_sawtooth_below_dead_band_is_zero():
    # 1.8 m teeth every 400 m: wide enough to survive smoothing, too small to pass the 2 m dead-band.
    d = np.arange(0.0, 10_001.0, 5.0)
    e = 50 + 1.8 * np.abs(((d / 400.0) % 1.0) * 2 - 1)
    assert ascent_descent(e, DEAD_BAND_M) == (0.0, 0.0)
    p = build_profile(d, e)
    assert p.ascent_m == 0.0 and p.descent_m == 0.0


def test_dead_band_counts_a_rise_once_it_passes_the_band():
    e = np.array([0.0, 1.0, 0.5, 2.5, 2.0, 6.0, 3.0, 3.5])
    up, down = ascent_descent(e, 2.0)
    assert up == 6.0  # 0 → 6; the 0.5 and 0.5 dips are under the band
    assert down == 3.0  # 6 → 3; the final 0.5 rise is under the band
    tp = turning_points(e, 2.0)
    assert list(tp) == [0, 5, 6]


def test_missing_elevations_are_not_zero():
    d = np.arange(0.0, 1001.0, 5.0)
    e = 100 + d * 0.03
    e[50:80] = np.nan
    p = build_profile(d, e)
    assert p.ascent_m == pytest.approx(30.0, abs=1e-9)
    assert p.spikes_dropped == 0


def test_single_spike_is_dropped():
    d = np.arange(0.0, 2001.0, 5.0)
    e = np.full(len(d), 40.0)
    e[200] = 140.0  # a 100 m GPS spike
    keep = reject_spikes(d, e)
    assert not keep[200] and keep.sum() == len(d) - 1
    p = build_profile(d, e)
    assert p.ascent_m == 0.0 and p.spikes_dropped == 1


def test_zero_dropouts_in_a_hilly_track_are_missing_not_sea_level():
    d = np.arange(0.0, 1001.0, 5.0)
    e = 300 + d * 0.02
    e[[10, 11, 12, 13, 14, 15, 100]] = 0.0  # a run of 6 zeros: too long for the median filter alone
    p = build_profile(d, e)
    assert p.ascent_m == pytest.approx(20.0, abs=1e-9)
    assert p.raw_ele_m.min() == pytest.approx(300.0)


def test_sparse_route_keeps_real_summits():
    # Planner output: points 500 m apart over a 150 m hill. Not spikes.
    d = np.arange(0.0, 5001.0, 500.0)
    e = np.array([10, 40, 80, 120, 150, 160, 150, 120, 80, 40, 10], dtype=float)
    assert reject_spikes(d, e).all()


def test_noise_estimate_recovers_sigma():
    d, e = noisy_ride(3.0, 1)
    assert estimate_noise_m(d, e) == pytest.approx(3.0, rel=0.1)
    assert estimate_noise_m(d, ride_truth(d)) < 0.1


def test_smoothing_window_adapts_to_the_source():
    d, e = noisy_ride(3.0, 2)
    noisy = build_profile(d, e)
    clean = build_profile(d, ride_truth(d))
    dem = build_profile(d, ride_truth(d), source="dem")
    assert (noisy.kind, clean.kind, dem.kind) == ("gps", "barometric", "dem")
    assert noisy.window_m == pytest.approx(150.0, abs=15.0)  # 50 m per metre of noise
    assert clean.window_m == 50.0 and dem.window_m == 150.0


def test_smooth_keeps_straight_lines_and_ends():
    x = np.linspace(-3.0, 7.0, 101)
    np.testing.assert_allclose(smooth(x, 10), x, atol=1e-12)
    y = np.array([0.0, 10.0, 0.0, 10.0, 0.0])
    assert smooth(y, 1)[0] == 0.0 and smooth(y, 1)[2] == pytest.approx(20 / 3)


def test_grade_series_and_max_grade_over_100_m():
    d = np.arange(0.0, 3001.0, 5.0)
    e = np.interp(d, [0, 1000, 1300, 3000], [0, 50, 86, 86])  # 5 %, then 300 m at 12 %, then flat
    p = build_profile(d, e)
    g = window_grades_pct(p.ele_m, p.step_m, 100.0)
    assert g.max() == pytest.approx(12.0, abs=0.05)
    mid = np.searchsorted(p.distance_m, 500.0)
    assert p.grade_pct[mid] == pytest.approx(5.0, abs=1e-6)
    assert abs(p.grade_pct[-1]) < 1e-9


def test_no_usable_elevation_gives_no_profile():
    d = np.arange(0.0, 100.0, 5.0)
    assert build_profile(d, np.full(len(d), np.nan)) is None


def test_single_point_and_zero_length():
    p = build_profile(np.zeros(1), np.array([12.0]))
    assert p.ascent_m == 0.0 and len(p.distance_m) == 1
    p2 = build_profile(np.zeros(3), np.array([12.0, 14.0, 13.0]))
    assert p2.ascent_m == 0.0
