"""Ride-time model: the power balance root, caps, walking, e-bike assistance, timetables along the route."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from routes.analysis.timing import (
    AIR_DENSITY_KG_M3,
    G_MPS2,
    RIDER_PROFILES,
    estimate_ride,
    segment_speeds_mps,
    solve_speed_mps,
)

GRADES = np.array([-0.20, -0.12, -0.08, -0.06, -0.03, 0.0, 0.02, 0.05, 0.08, 0.12, 0.20])


def residual_w(v, grade, rider, power_w):
    theta = np.arctan(grade)
    resist = v * rider.mass_kg * G_MPS2 * (np.sin(theta) + rider.crr * np.cos(theta))
    return rider.drivetrain_eff * power_w - resist - 0.5 * AIR_DENSITY_KG_M3 * rider.cda_m2 * v**3


@pytest.mark.parametrize("key", sorted(RIDER_PROFILES))
def test_solved_speed_balances_the_power_on_every_grade(key):
    rider = RIDER_PROFILES[key]
    for power in (50.0, rider.power_w, 400.0):
        v = solve_speed_mps(power, GRADES, rider)
        assert (v > 0).all()
        np.testing.assert_allclose(residual_w(v, GRADES, rider, power), 0.0, atol=1e-6)


def test_profiles_exist_with_the_chinese_e_bike_cut_off():
    assert {"leisure", "sporty", "ebike", "racer"} <= set(RIDER_PROFILES)
    ebike = RIDER_PROFILES["ebike"]
    assert ebike.assist_cutoff_mps == pytest.approx(25 / 3.6)
    assert 0 < ebike.motor_power_w <= 400  # GB 17761-2018
    for p in RIDER_PROFILES.values():
        assert p.name_zh and p.name_en and p.key


def test_flat_speeds_are_believable():
    kmh = {k: float(segment_speeds_mps(np.array([0.0]), p)[0] * 3.6) for k, p in RIDER_PROFILES.items()}
    assert 14 < kmh["leisure"] < 20
    assert 26 < kmh["sporty"] < 33
    assert kmh["ebike"] == pytest.approx(25.0)  # the motor carries it exactly to the cut-off
    assert 35 < kmh["racer"] < 42
    assert kmh["leisure"] < kmh["ebike"] < kmh["sporty"] < kmh["racer"]


def test_e_bike_assist_stops_at_25_kmh():
    ebike = RIDER_PROFILES["ebike"]
    v = segment_speeds_mps(GRADES, ebike)
    rider_only = solve_speed_mps(ebike.power_w, GRADES, ebike)
    # Climbing, the motor helps: faster than the same rider without it.
    assert (v[GRADES > 0] > rider_only[GRADES > 0]).all()
    # Never pushed past 25 km/h by the motor: above it, only the rider's own power (or gravity) counts.
    above = v > ebike.assist_cutoff_mps + 1e-9
    np.testing.assert_allclose(v[above], np.minimum(rider_only[above], ebike.max_descent_speed_mps))
    assert (v[GRADES <= 0] >= ebike.assist_cutoff_mps - 1e-9).all()


@pytest.mark.parametrize("key", sorted(RIDER_PROFILES))
def test_descents_are_capped(key):
    rider = RIDER_PROFILES[key]
    v = segment_speeds_mps(np.array([-0.10, -0.12]), rider)
    np.testing.assert_allclose(v, rider.max_descent_speed_mps)


def test_uncapped_model_would_run_away_on_a_descent():
    rider = dataclasses.replace(RIDER_PROFILES["sporty"], max_descent_speed_mps=1e9)
    assert segment_speeds_mps(np.array([-0.06]), rider)[0] * 3.6 > 55  # hence the caps


def test_walks_where_the_power_is_not_enough():
    leisure = RIDER_PROFILES["leisure"]
    v = segment_speeds_mps(np.array([0.18, 0.25]), leisure)
    assert (v == leisure.walk_speed_mps).all()
    assert segment_speeds_mps(np.array([0.04]), leisure)[0] > leisure.walk_speed_mps


def test_flat_route_time_and_pro_rata_stops():
    sporty = RIDER_PROFILES["sporty"]
    d = np.linspace(0, 10_000, 2001)
    est = estimate_ride(d, np.full(len(d), 8.0), "sporty")
    v = segment_speeds_mps(np.array([0.0]), sporty)[0]
    assert est.moving_s == pytest.approx(10_000 / v)
    assert est.stop_s == pytest.approx(est.moving_s * sporty.stop_fraction)
    assert est.total_s == pytest.approx(est.moving_s + est.stop_s)
    assert est.time_at(5_000.0) == pytest.approx(est.total_s / 2)
    assert est.time_at(10_000.0) == pytest.approx(est.total_s)
    assert est.cum_time_s[0] == 0.0 and est.cum_time_s[-1] == pytest.approx(est.total_s)
    np.testing.assert_allclose(est.time_at(np.array([0.0, 2_500.0])), [0.0, est.total_s / 4])


def test_climb_takes_longer_than_the_flat_and_descent_is_quicker():
    d = np.linspace(0, 4_000, 801)
    up = estimate_ride(d, 0.06 * d, "leisure")
    flat = estimate_ride(d, np.zeros(len(d)), "leisure")
    down = estimate_ride(d, -0.06 * d, "leisure")
    assert up.total_s > 2 * flat.total_s
    assert down.total_s < flat.total_s


def test_timetable_is_monotone_on_a_hilly_route():
    d = np.linspace(0, 20_000, 4001)
    e = 50 + 40 * np.sin(d / 1500)
    est = estimate_ride(d, e, RIDER_PROFILES["racer"])
    assert (np.diff(est.cum_time_s) >= 0).all()
    assert est.stop_s == 0.0


def test_missing_elevation_counts_as_flat_and_empty_routes_take_no_time():
    d = np.linspace(0, 1000, 11)
    a = estimate_ride(d, np.full(11, np.nan), "sporty")
    b = estimate_ride(d, np.zeros(11), "sporty")
    assert a.total_s == pytest.approx(b.total_s)
    assert estimate_ride(np.zeros(1), np.zeros(1), "sporty").total_s == 0.0
    empty = estimate_ride(np.zeros(0), np.zeros(0), "sporty")
    assert empty.total_s == 0.0 and empty.time_at(5.0) == 0.0
