"""Moving time and stops of a recorded track, robust to GPS jitter while standing still.

gpxpy decides "moving" from each 1-second step: a phone standing at a café wanders a few metres per second, which
reads as 10–20 km/h, so the stop counts as riding. Here each point's speed is the straight-line displacement across
a window of SPEED_WINDOW_S seconds centred on it: jitter goes back and forth and cancels out over the window, riding
does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routes.core.geo import WGS84_A_M
from routes.core.model import Track

#: Below this speed (over the window) a rider is stopped. 1 m/s = 3.6 km/h: slower than anyone rides, about the
#: pace of pushing a bike up a steep ramp, which we count as moving.
MOVING_SPEED_MPS = 1.0
#: Width of the centred window the displacement is measured over. Standing still, a phone's position wanders
#: σ ≈ 3–5 m; over 20 s that is ≈ 0.3 m/s, well under the threshold.
SPEED_WINDOW_S = 20.0
#: Stops at least this long are listed (shorter ones — traffic lights — still count as not moving).
MIN_STOP_S = 60.0


@dataclass(frozen=True)
class Stop:
    """A pause in a recorded ride."""

    start_s: float  # epoch seconds, UTC
    end_s: float
    duration_s: float
    lat: float
    lon: float


@dataclass(frozen=True)
class MovingResult:
    duration_s: float
    moving_time_s: float
    stops: tuple[Stop, ...]
    warnings: tuple[str, ...]


def analyse_moving(
    track: Track,
    *,
    moving_speed_mps: float = MOVING_SPEED_MPS,
    window_s: float = SPEED_WINDOW_S,
    min_stop_s: float = MIN_STOP_S,
) -> MovingResult | None:
    """Elapsed time, moving time and stops; None when the track has fewer than two timed points."""
    valid = np.flatnonzero(np.isfinite(track.time_s))
    if len(valid) < 2:
        return None
    t = track.time_s[valid]
    lat = track.lat[valid]
    lon = track.lon[valid]
    seg = track.segment_ids()[valid]
    warnings: list[str] = []
    dt = np.diff(t)
    backwards = dt < 0
    if backwards.any():
        warnings.append(f"time goes backwards at {int(backwards.sum())} points; those steps are not counted")
    # Chunks: a new one at each segment start and wherever time goes backwards. Windows never cross chunks.
    breaks = (np.diff(seg) != 0) | backwards
    chunk = np.concatenate(([0], np.cumsum(breaks)))
    # Sort key that keeps chunks apart by far more than any window.
    key = (t - t[0]) + chunk * 1e10
    if not np.all(np.diff(key) >= 0):
        key = np.maximum.accumulate(key)  # equal or tiny reversals inside a chunk
    # Local metric coordinates: an equirectangular projection is exact to < 0.1 % over a ride's few tens of km.
    lat0 = np.radians(np.nanmean(lat))
    x = np.radians(lon - lon[0]) * WGS84_A_M * np.cos(lat0)
    y = np.radians(lat - lat[0]) * WGS84_A_M
    half = window_s / 2
    lo = np.searchsorted(key, key - half, side="left")
    hi = np.searchsorted(key, key + half, side="right") - 1
    span_s = key[hi] - key[lo]
    disp = np.hypot(x[hi] - x[lo], y[hi] - y[lo])
    speed = np.divide(disp, span_s, out=np.zeros_like(disp), where=span_s > 0)
    step_dt = np.where(breaks, 0.0, dt)
    step_d = np.hypot(np.diff(x), np.diff(y))
    # Short steps: the windowed speed at both ends. Long gaps (auto-pause, lost fix): the step's own speed.
    long_gap = step_dt > window_s
    step_speed = np.where(
        long_gap,
        np.divide(step_d, step_dt, out=np.zeros_like(step_d), where=step_dt > 0),
        (speed[:-1] + speed[1:]) / 2,
    )
    moving = (step_speed >= moving_speed_mps) & ~breaks
    # Steps across a segment boundary are pauses (the rider stopped recording), never moving.
    pause_dt = np.where(backwards, 0.0, dt)
    moving_time = float(step_dt[moving].sum())
    duration = float(t.max() - t.min()) if backwards.any() else float(t[-1] - t[0])
    stops = _stops(~moving, pause_dt, t, lat, lon, min_stop_s)
    return MovingResult(duration, moving_time, stops, tuple(warnings))


def _stops(
    stopped: np.ndarray, dt: np.ndarray, t: np.ndarray, lat: np.ndarray, lon: np.ndarray, min_stop_s: float
) -> tuple[Stop, ...]:
    """Runs of stopped steps lasting at least ``min_stop_s``."""
    if not stopped.any():
        return ()
    edges = np.diff(np.concatenate(([0], stopped.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)  # first stopped step
    ends = np.flatnonzero(edges == -1)  # one past the last stopped step
    csum = np.concatenate(([0.0], np.cumsum(dt)))
    out = []
    for a, b in zip(starts, ends, strict=True):
        duration = float(csum[b] - csum[a])
        if duration >= min_stop_s:
            out.append(
                Stop(
                    start_s=float(t[a]),
                    end_s=float(t[b]),
                    duration_s=duration,
                    lat=float(np.median(lat[a : b + 1])),
                    lon=float(np.median(lon[a : b + 1])),
                )
            )
    return tuple(out)
