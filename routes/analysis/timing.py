"""Ride-time estimate for a planned route from a power balance per short segment, with named rider profiles.

Power balance (Martin et al. 1998, no wind): η·P = v·m·g·(sin θ + Crr·cos θ) + ½·ρ·CdA·v³. For P > 0 it has exactly
one positive root v, found in closed form (Cardano) for all segments at once. Descents are capped (nobody lets a city
bike run at 60 km/h), climbs too steep for the rider's power are walked, and e-bike assistance stops at 25 km/h as
GB 17761-2018 requires of bikes sold in China. A stop allowance (photos, tea, lights) is added pro rata.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routes.core.limits import GRID_MAX_SAMPLES

#: Air density near sea level at 25 °C, kg/m³ (Lianghu is 5–300 m above the sea, mostly warm).
AIR_DENSITY_KG_M3 = 1.18
G_MPS2 = 9.81
#: Length of the segments the speed is solved on: long enough to ignore point noise, short enough for ramps.
SEGMENT_M = 25.0
#: Grades outside this are clipped: steeper figures on a planned route are elevation artefacts.
GRADE_LIMIT_PCT = 30.0
#: GB 17761-2018: e-bike motor assistance must stop at 25 km/h.
GB17761_ASSIST_CUTOFF_MPS = 25 / 3.6


@dataclass(frozen=True)
class RiderProfile:
    """A rider and bike: everything the power balance needs."""

    key: str
    name_zh: str
    name_en: str
    mass_kg: float  # rider + bike + luggage
    power_w: float  # the rider's sustained power at the pedals
    cda_m2: float  # drag area
    crr: float  # rolling resistance coefficient
    drivetrain_eff: float
    max_descent_speed_mps: float  # speed the rider will not exceed (braking on descents)
    assist_cutoff_mps: float | None  # e-bike: motor stops above this speed; None for a plain bike
    motor_power_w: float  # e-bike motor assistance at the wheel, W
    walk_speed_mps: float  # pushing the bike where riding would be slower than this
    stop_fraction: float  # stop allowance as a fraction of moving time


RIDER_PROFILES: dict[str, RiderProfile] = {
    p.key: p
    for p in (
        RiderProfile(
            key="leisure",
            name_zh="休闲骑行（城市车）",
            name_en="Leisure (city bike)",
            mass_kg=88.0,  # 70 kg rider, 16 kg city bike, 2 kg bag
            power_w=75.0,  # ≈ 17 km/h on the flat
            cda_m2=0.58,  # upright position
            crr=0.008,  # wide tyres, moderate pressure
            drivetrain_eff=0.95,
            max_descent_speed_mps=25 / 3.6,
            assist_cutoff_mps=None,
            motor_power_w=0.0,
            walk_speed_mps=4 / 3.6,
            stop_fraction=0.20,  # photos, tea-garden views, lights
        ),
        RiderProfile(
            key="sporty",
            name_zh="运动骑行（公路车）",
            name_en="Sporty (road bike)",
            mass_kg=82.0,
            power_w=160.0,
            cda_m2=0.36,  # hoods
            crr=0.005,
            drivetrain_eff=0.97,
            max_descent_speed_mps=50 / 3.6,
            assist_cutoff_mps=None,
            motor_power_w=0.0,
            walk_speed_mps=4.5 / 3.6,
            stop_fraction=0.08,
        ),
        RiderProfile(
            key="ebike",
            name_zh="电助力自行车",
            name_en="E-bike",
            mass_kg=97.0,  # 70 kg rider, 25 kg e-bike (GB 17761: ≤ 55 kg), 2 kg bag
            power_w=75.0,
            cda_m2=0.58,
            crr=0.008,
            drivetrain_eff=0.95,
            max_descent_speed_mps=35 / 3.6,
            assist_cutoff_mps=GB17761_ASSIST_CUTOFF_MPS,
            motor_power_w=250.0,  # well inside the 400 W limit of GB 17761-2018
            walk_speed_mps=4 / 3.6,
            stop_fraction=0.15,
        ),
        RiderProfile(
            key="racer",
            name_zh="竞赛选手",
            name_en="Racer",
            mass_kg=76.0,
            power_w=260.0,
            cda_m2=0.30,  # drops
            crr=0.004,
            drivetrain_eff=0.975,
            max_descent_speed_mps=70 / 3.6,
            assist_cutoff_mps=None,
            motor_power_w=0.0,
            walk_speed_mps=5 / 3.6,
            stop_fraction=0.0,
        ),
    )
}


@dataclass(frozen=True)
class RideEstimate:
    """Estimated ride time. ``cum_time_s`` is the elapsed time (stop allowance included pro rata) at each input
    distance."""

    distance_m: np.ndarray
    moving_s: float
    stop_s: float
    total_s: float
    cum_time_s: np.ndarray

    def time_at(self, distance_m: float | np.ndarray) -> float | np.ndarray:
        """Elapsed seconds from the start, stops included pro rata, on reaching ``distance_m``."""
        if not len(self.distance_m):
            return 0.0 if np.isscalar(distance_m) else np.zeros(np.shape(distance_m))
        out = np.interp(distance_m, self.distance_m, self.cum_time_s)
        return float(out) if np.isscalar(distance_m) else out


def solve_speed_mps(power_w: np.ndarray | float, grade: np.ndarray, rider: RiderProfile) -> np.ndarray:
    """The positive root v of η·P = v·m·g·(sin θ + Crr·cos θ) + ½ρ·CdA·v³ for each grade (rise/run), vectorised."""
    grade = np.asarray(grade, dtype=np.float64)
    theta = np.arctan(grade)
    a = 0.5 * AIR_DENSITY_KG_M3 * rider.cda_m2
    b = rider.mass_kg * G_MPS2 * (np.sin(theta) + rider.crr * np.cos(theta))
    # Depressed cubic v³ + p·v + q = 0 with q < 0: exactly one positive root.
    p = b / a
    q = -rider.drivetrain_eff * np.asarray(power_w, dtype=np.float64) / a
    q = np.broadcast_to(q, p.shape)
    disc = (q / 2) ** 2 + (p / 3) ** 3
    v = np.empty_like(p)
    one = disc >= 0
    sq = np.sqrt(np.where(one, disc, 0.0))
    v[one] = np.cbrt(-q[one] / 2 + sq[one]) + np.cbrt(-q[one] / 2 - sq[one])
    three = ~one  # steep descent (p < 0): three real roots, the largest is the positive one
    if three.any():
        pp, qq = p[three], q[three]
        r = 2 * np.sqrt(-pp / 3)
        phi = np.arccos(np.clip(3 * qq / (pp * r), -1.0, 1.0))
        v[three] = r * np.cos(phi / 3)
    return v


def segment_speeds_mps(grade: np.ndarray, rider: RiderProfile) -> np.ndarray:
    """Riding (or walking) speed on each grade for a rider, with assistance, caps and walking applied."""
    grade = np.clip(np.asarray(grade, dtype=np.float64), -GRADE_LIMIT_PCT / 100, GRADE_LIMIT_PCT / 100)
    v = solve_speed_mps(rider.power_w, grade, rider)
    if rider.assist_cutoff_mps is not None and rider.motor_power_w > 0:
        cutoff = rider.assist_cutoff_mps
        assisted = solve_speed_mps(rider.power_w + rider.motor_power_w, grade, rider)
        # Under the cut-off the motor helps fully; above it the rider alone decides, but the motor still holds the
        # bike at the cut-off where the rider alone would be slower.
        v = np.where(assisted <= cutoff, assisted, np.maximum(v, cutoff))
    v = np.minimum(v, rider.max_descent_speed_mps)
    return np.where(v < rider.walk_speed_mps, rider.walk_speed_mps, v)


def estimate_ride(distance_m: np.ndarray, ele_m: np.ndarray, rider: RiderProfile | str) -> RideEstimate:
    """Ride time along a profile (cumulative distance and elevation per point; NaN elevations count as flat)."""
    if isinstance(rider, str):
        rider = RIDER_PROFILES[rider]
    d = np.asarray(distance_m, dtype=np.float64)
    e = np.asarray(ele_m, dtype=np.float64)
    total = float(d[-1]) if len(d) else 0.0
    if total <= 0:
        return RideEstimate(d, 0.0, 0.0, 0.0, np.zeros(len(d)))
    finite = np.isfinite(e)
    if finite.any():
        e = np.interp(d, d[finite], e[finite])
    else:
        e = np.zeros(len(d))
    n = min(max(2, int(np.ceil(total / SEGMENT_M)) + 1), GRID_MAX_SAMPLES)  # bounded whatever the length
    grid = np.linspace(0.0, total, n)
    ge = np.interp(grid, d, e)
    run = np.diff(grid)
    grade = np.diff(ge) / run
    seconds = run / segment_speeds_mps(grade, rider)
    cum_moving = np.concatenate(([0.0], np.cumsum(seconds)))
    moving = float(cum_moving[-1])
    stop = moving * rider.stop_fraction
    cum = np.interp(d, grid, cum_moving) * (1 + rider.stop_fraction)
    return RideEstimate(d, moving, stop, moving + stop, cum)


def estimate_for_analysis(analysis: object, rider: RiderProfile | str) -> RideEstimate:
    """Ride time for an analysed track, on its smoothed profile; flat where it has no elevation.

    ``cum_time_s`` is aligned to the track's points (``analysis.point_distance_m``).
    """
    d_pts = analysis.point_distance_m  # type: ignore[attr-defined]
    prof_d = analysis.profile_distance_m  # type: ignore[attr-defined]
    prof_e = analysis.profile_ele_m  # type: ignore[attr-defined]
    if len(prof_d) >= 2 and np.isfinite(prof_e).any():
        est = estimate_ride(prof_d, prof_e, rider)
    else:
        total = float(d_pts.max()) if len(d_pts) else 0.0
        est = estimate_ride(np.array([0.0, total]), np.array([np.nan, np.nan]), rider)
    cum = est.time_at(d_pts) if len(d_pts) else np.zeros(0)
    return RideEstimate(np.asarray(d_pts, dtype=np.float64), est.moving_s, est.stop_s, est.total_s, np.asarray(cum))
