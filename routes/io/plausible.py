"""Plausibility limits on a track as it is read: values no ride on Earth can hold are dropped and reported, and a
file that is mostly absurd, or longer than any route, is refused.

Every reader (GPX, TCX, FIT) passes its track through :func:`plausible_track`, so a few kilobytes of forged or
broken file cannot make the analysis lay its grids over a million kilometres, nor one ``<ele>1e300</ele>`` turn the
ascent into 1e285 m. What was dropped is said in the track's warnings (the CLI's ``warnings``, the quality report).
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from routes.core.errors import GpxError
from routes.core.geo import track_length_m
from routes.core.model import Track

#: Lowest and highest ground anyone rides on: the Dead Sea shore is at −430 m, Everest's summit at 8 849 m.
MIN_ELEVATION_M = -500.0
MAX_ELEVATION_M = 9_000.0
#: Earliest credible time of a recorded point, 1990-01-01 UTC: GPS receivers reached the public after 1989 (GPX
#: itself dates from 2002). Earlier dates are a clock that was never set (year 1, 1970).
EARLIEST_TIME_S = 631_152_000.0
#: Latest credible time, 2100-01-01 UTC: a later date is a forged or corrupt file, not a plan for the future.
LATEST_TIME_S = 4_102_444_800.0
#: Largest credible distance between consecutive points of one segment. A bad fix or a forged file jumps
#: thousands of kilometres ((0, 0) is 13 000 km from Shaoxing); a planner's straight legs between far-apart route
#: points can reach a few hundred (GDAL's test route has 460 km legs). Steps across a segment boundary are not
#: ridden and not counted, so they are not checked.
MAX_STEP_M = 500_000.0
#: Fastest credible speed between two timed points (a fast train left recording). A point reached and left at a
#: higher speed, between two points that join credibly, is a GPS spike and is dropped; checked only on steps longer
#: than SPEED_CHECK_MIN_STEP_M so that jitter at 1 Hz never trips it.
MAX_SPEED_MPS = 200 / 3.6
SPEED_CHECK_MIN_STEP_M = 2_000.0
#: The longest credible route, 3 000 km: beyond the longest audax (London–Edinburgh–London is 1 500 km) and a
#: month's tour in one file. It also bounds every grid the analysis lays along a route.
MAX_ROUTE_LENGTH_M = 3_000_000.0
#: A track that loses more than a tenth of its points to impossible jumps is not a ride with a few bad fixes but a
#: broken or forged file, and is refused rather than shown as whatever fragment happened to be largest.
MIN_KEPT_SHARE = 0.9
#: Mean Earth radius for the plausibility checks (a spherical distance errs by under 0.5 %).
EARTH_RADIUS_M = 6_371_008.8

#: The notes this module writes into a track's warnings (English, the CLI's contract; routes.views.notes translates).
FAR_POINTS_NOTE = "{count} points too far from the rest of the track were dropped"
ABSURD_ELEVATION_NOTE = "{count} elevations outside -500 to 9000 m were ignored"
ABSURD_TIME_NOTE = "{count} times outside a credible date range were ignored"
_NOTE_KINDS = {"far_points": FAR_POINTS_NOTE, "elevations": ABSURD_ELEVATION_NOTE, "times": ABSURD_TIME_NOTE}


def _sphere_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Haversine distance: cheap and vectorised; within 0.5 % of the ellipsoid, plenty for these limits."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def _same_segment_steps(track: Track) -> np.ndarray:
    """For each step (point i to i+1): True when both points belong to one segment."""
    return np.diff(track.segment_ids()) == 0


def _position_mask(track: Track) -> np.ndarray:
    """Points to keep: the largest run without an impossible step, then every run before and after it that joins
    the kept line credibly, so a lone bad fix, a glitch cluster or a forged zig-zag is left out; then GPS spikes."""
    n = track.n_points
    keep = np.ones(n, dtype=bool)
    if n < 2:
        return keep
    same = _same_segment_steps(track)
    step_m = _sphere_m(track.lat[:-1], track.lon[:-1], track.lat[1:], track.lon[1:])
    breaks = np.flatnonzero(same & (step_m > MAX_STEP_M)) + 1
    if len(breaks):
        starts = np.concatenate(([0], breaks))
        ends = np.concatenate((breaks, [n]))  # exclusive
        anchor = int(np.argmax(ends - starts))
        keep[:] = False
        keep[starts[anchor] : ends[anchor]] = True
        first = int(starts[anchor])
        for r in range(anchor - 1, -1, -1):  # backwards: each run must reach the earliest kept point
            i = int(ends[r]) - 1
            if float(_sphere_m(track.lat[i], track.lon[i], track.lat[first], track.lon[first])) <= MAX_STEP_M:
                keep[starts[r] : ends[r]] = True
                first = int(starts[r])
        last = int(ends[anchor]) - 1
        for r in range(anchor + 1, len(starts)):
            j = int(starts[r])
            if float(_sphere_m(track.lat[last], track.lon[last], track.lat[j], track.lon[j])) <= MAX_STEP_M:
                keep[starts[r] : ends[r]] = True
                last = int(ends[r]) - 1
    return keep & ~_spikes(track, same, step_m)


def _spikes(track: Track, same: np.ndarray, step_m: np.ndarray) -> np.ndarray:
    """Points reached and left impossibly fast while their neighbours join credibly: an out-and-back GPS spike."""
    spike = np.zeros(track.n_points, dtype=bool)
    if track.n_points < 3 or not track.has_time:
        return spike
    dt_s = np.diff(track.time_s)
    with np.errstate(invalid="ignore", divide="ignore"):
        fast = same & (step_m > SPEED_CHECK_MIN_STEP_M) & (dt_s > 0) & (step_m / dt_s > MAX_SPEED_MPS)
    candidates = np.flatnonzero(fast[:-1] & fast[1:]) + 1
    if len(candidates):
        before, after = candidates - 1, candidates + 1
        join_m = _sphere_m(track.lat[before], track.lon[before], track.lat[after], track.lon[after])
        join_s = np.abs(track.time_s[after] - track.time_s[before])
        with np.errstate(invalid="ignore", divide="ignore"):
            credible = (join_m <= SPEED_CHECK_MIN_STEP_M) | ~(join_m / join_s > MAX_SPEED_MPS)
        spike[candidates[credible]] = True
    return spike


def _subset(track: Track, keep: np.ndarray) -> Track:
    """The track's kept points; a segment that lost its first point starts at its next kept one."""
    seg_ids = track.segment_ids()[keep]
    new_starts = np.flatnonzero(np.diff(seg_ids, prepend=-1) != 0) if len(seg_ids) else np.zeros(0, dtype=np.int64)
    return replace(
        track,
        lat=track.lat[keep],
        lon=track.lon[keep],
        ele_m=track.ele_m[keep],
        time_s=track.time_s[keep],
        segment_starts=new_starts.astype(np.int64),
        sensors={k: v[keep] for k, v in track.sensors.items()},
    )


def _credible_times(time_s: np.ndarray) -> np.ndarray:
    """True for times inside the credible window (NaN stays NaN and is not counted)."""
    return np.isfinite(time_s) & (time_s >= EARLIEST_TIME_S) & (time_s < LATEST_TIME_S)


def plausible_track(track: Track) -> Track:
    """``track`` with what no ride can hold removed, each removal noted in its warnings.

    Raises :class:`GpxError` when most points are impossible or the remaining line is longer than any route.
    """
    n = track.n_points
    if n == 0:
        return track
    warnings = list(track.warnings)
    keep = _position_mask(track)
    dropped = n - int(keep.sum())
    if dropped:
        if keep.sum() < MIN_KEPT_SHARE * n:
            raise GpxError("implausible", dropped=dropped, total=n)
        track = _subset(track, keep)
        warnings.append(FAR_POINTS_NOTE.format(count=dropped))

    ele = track.ele_m
    bad_ele = np.isfinite(ele) & ((ele < MIN_ELEVATION_M) | (ele > MAX_ELEVATION_M))
    if bad_ele.any():
        ele = np.where(bad_ele, np.nan, ele)
        warnings.append(ABSURD_ELEVATION_NOTE.format(count=int(bad_ele.sum())))

    times = track.time_s
    finite_t = np.isfinite(times)
    bad_t = finite_t & ~_credible_times(times)
    if bad_t.any():
        times = np.where(bad_t, np.nan, times)
        warnings.append(ABSURD_TIME_NOTE.format(count=int(bad_t.sum())))

    length_m = track_length_m(track)
    if length_m > MAX_ROUTE_LENGTH_M:
        raise GpxError("too_long", length_km=length_m / 1000, limit_km=MAX_ROUTE_LENGTH_M / 1000)
    if len(warnings) == len(track.warnings):
        return track
    return replace(track, ele_m=ele, time_s=times, warnings=tuple(warnings))


def plausibility_counts(warnings: tuple[str, ...] | list[str]) -> dict[str, int]:
    """What :func:`plausible_track` removed, read back from a track's warnings: ``{"far_points": 1, ...}``."""
    counts: dict[str, int] = {}
    for kind, note in _NOTE_KINDS.items():
        pattern = re.compile("^" + re.escape(note).replace(re.escape("{count}"), r"(\d+)") + "$")
        for w in warnings:
            m = pattern.match(w)
            if m:
                counts[kind] = int(m.group(1))
    return counts
