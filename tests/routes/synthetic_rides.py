"""Synthetic rides with a known true profile and the recording artefacts of real uploads, for accuracy tests.

The ride (40 km, 1 Hz, 3–7 m between points) climbs twice: climb A from 3 to 8 km averages 6 % with a 600 m wall at
11 % in it (the steepest 100 m of the ride), climb B from 12 to 14.5 km averages 4 % with 500 m at 8 %; then 23 km
of rollers (±3 m at 800 m on ±2 m at 2.1 km) that are not climbs. Heights are piecewise linear, so the true steepest
100 m of every stretch is exact.

Artefacts (all optional): the track is split into two segments at 24 km with a pause of 15 minutes, after which the
heights are 50 m lower (a segment join with a 50 m step, as in togeojson__mapsource_multitrack.gpx); two stops of
20 points at one position during which the height settles by +25 m and −30 m and stays there (zero-distance jumps);
one- and two-sample spikes of 20–60 m; a barometric drift (slow sine, ±5 m over 4 hours, about 1 hPa in 2 hours); white noise of σ metres.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routes.core.model import Track, make_track

RIDE_LENGTH_M = 40_000.0
#: Where the true profile changes slope (distance m, height m).
KNOTS_D = [0, 3000, 5000, 5600, 8000, 12000, 12800, 13300, 14500, 17000, RIDE_LENGTH_M]
KNOTS_E = [20.0, 20.0, 125.0, 191.0, 320.0, 20.0, 44.0, 84.0, 120.0, 20.0, 20.0]
#: Climbs of the true profile: (start m, end m, steepest 100 m in %).
TRUE_CLIMBS = ((3000.0, 8000.0, 11.0), (12000.0, 14500.0, 8.0))
TRUE_STEEPEST_100M_PCT = 11.0
#: The segment join: where, how long the pause, how far the heights drop after it.
JOIN_AT_M = 24_000.0
JOIN_PAUSE_S = 900.0
JOIN_STEP_M = -50.0
#: Stops with a settling height: (where, height change during the stop).
STOPS = ((1_500.0, 25.0), (19_000.0, -30.0))
STOP_POINTS = 20
#: Spikes: (where, height off, how many samples).
SPIKES = (
    (2_200.0, 35.0, 1),
    (6_100.0, -45.0, 2),
    (10_500.0, 60.0, 1),
    (15_700.0, -20.0, 2),
    (27_300.0, 50.0, 1),
    (33_800.0, 25.0, 2),
)
DRIFT_AMPLITUDE_M = 5.0
DRIFT_PERIOD_S = 4 * 3600.0
#: Metres per degree of latitude near 30° N (the track runs north along a meridian).
M_PER_DEG_LAT = 110_861.0


def true_ele(distance_m: np.ndarray) -> np.ndarray:
    d = np.asarray(distance_m, dtype=np.float64)
    base = np.interp(d, KNOTS_D, KNOTS_E)
    x = d - 17000
    return base + np.where(x > 0, 3 * np.sin(2 * np.pi * x / 800) + 2 * np.sin(2 * np.pi * x / 2100), 0.0)


def true_gain_loss() -> tuple[float, float]:
    steps = np.diff(true_ele(np.linspace(0, RIDE_LENGTH_M, 400_001)))
    return float(steps[steps > 0].sum()), float(-steps[steps < 0].sum())


@dataclass(frozen=True)
class SyntheticRide:
    track: Track
    distance_m: np.ndarray  # true distance of every point
    truth_m: np.ndarray  # true height of every point


def make_ride(seed: int, *, sigma_m: float = 0.0, artefacts: bool = True) -> SyntheticRide:
    """A ride along a meridian at 30° N with the true profile above, noise of ``sigma_m`` and (by default) every
    artefact listed in the module docstring. Deterministic for a seed."""
    rng = np.random.default_rng(seed)
    d = np.concatenate(([0.0], np.cumsum(rng.uniform(3.0, 7.0, int(RIDE_LENGTH_M / 5 * 1.1)))))
    d = np.append(d[d < RIDE_LENGTH_M], RIDE_LENGTH_M)
    t = np.arange(len(d), dtype=np.float64)
    seg_starts = [0]
    offset = np.zeros(len(d))
    if artefacts:
        # stops: the rider stands still for STOP_POINTS seconds while the height settles, then rides on
        for where, change in STOPS:
            i = int(np.searchsorted(d, where))
            d = np.concatenate((d[:i], np.full(STOP_POINTS, d[i]), d[i:]))
            t = np.arange(len(d), dtype=np.float64)
            offset = np.concatenate(
                (offset[:i], offset[i] + np.linspace(0.0, change, STOP_POINTS), offset[i:] + change)
            )
        j = int(np.searchsorted(d, JOIN_AT_M))
        t[j:] += JOIN_PAUSE_S
        offset[j:] += JOIN_STEP_M
        seg_starts.append(j)
    truth = true_ele(d)
    ele = truth + offset + rng.normal(0.0, sigma_m, len(d)) if sigma_m else truth + offset
    if artefacts:
        ele = ele + DRIFT_AMPLITUDE_M * np.sin(2 * np.pi * t / DRIFT_PERIOD_S)
        for where, off, n in SPIKES:
            i = int(np.searchsorted(d, where))
            ele[i : i + n] += off
    lat = 30.0 + d / M_PER_DEG_LAT
    lon = np.full(len(d), 120.85)
    track = make_track(lat, lon, ele, 1_700_000_000.0 + t, segment_starts=seg_starts)
    return SyntheticRide(track=track, distance_m=d, truth_m=truth)
