"""Climb detection on a smoothed elevation profile, with Strava-style categories and the FIETS index.

A climb runs from a low point to a later high point of the smoothed profile. Runs separated by a small dip are one
climb (a rider does not see two climbs because the road drops 4 m for 100 m); the flat lead-in and run-out are
trimmed; what is left must pass Strava's gates (≥ 300 m at ≥ 3 %) and gain a minimum height so that rollers of a few
metres are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routes.analysis.elevation import turning_points, window_grades_pct

#: Strava's gates: a climb averages at least this grade ...
MIN_CLIMB_GRADE_PCT = 3.0
#: ... over at least this length.
MIN_CLIMB_LENGTH_M = 300.0
#: And gains at least this much, so 5–10 m rollers on the riverside are not listed (Strava lists only
#: categorised climbs; we also list uncategorised ones a rider would feel, from 15 m up).
MIN_CLIMB_GAIN_M = 15.0
#: Reversals smaller than this on the smoothed profile are not dips at all (same idea as the ascent dead-band).
CLIMB_TURN_DEAD_BAND_M = 2.0
#: A dip splits a climb only when it loses more than max(this, DIP_FRACTION × gain so far) ...
DIP_MAX_LOSS_M = 10.0
DIP_FRACTION = 0.10
#: ... or lasts longer than this.
DIP_MAX_LENGTH_M = 500.0
#: Lead-ins and run-outs flatter than this over TRIM_WINDOW_M are not part of the climb.
TRIM_GRADE_PCT = 2.0
TRIM_WINDOW_M = 100.0
#: Height a climb's foot may rise above the flat before it (and its top fall short of the summit) when trimming:
#: about the residual noise of the smoothed profile.
TRIM_RISE_M = 0.5
#: Window of a climb's maximum grade: steepest 100 m, as riders and climb databases quote it.
MAX_GRADE_WINDOW_M = 100.0

#: Strava category by score = length_m × avg_grade_pct (= 100 × gain), lowest first: the score must exceed it.
CATEGORY_MIN_SCORE = (("4", 8_000.0), ("3", 16_000.0), ("2", 32_000.0), ("1", 64_000.0), ("HC", 80_000.0))


@dataclass(frozen=True)
class Climb:
    """One climb along the route; distances from the start of the route."""

    start_m: float
    end_m: float
    length_m: float
    gain_m: float
    avg_grade_pct: float
    max_grade_pct: float  # steepest 100 m
    start_ele_m: float
    summit_ele_m: float
    category: str | None  # "4", "3", "2", "1", "HC"; None below Cat 4
    score: float  # Strava: length_m × avg_grade_pct
    fiets: float  # FIETS index: H² / (10 D) + max(0, (T − 1000) / 1000)


def category_for(score: float) -> str | None:
    """Strava category of a climb score (length_m × avg_grade_pct)."""
    found = None
    for name, threshold in CATEGORY_MIN_SCORE:
        if score > threshold:
            found = name
    return found


def fiets_index(gain_m: float, length_m: float, summit_ele_m: float) -> float:
    """FIETS climb index (Dutch cycling magazine Fiets): H²/(10·D) + max(0, (T − 1000)/1000)."""
    if length_m <= 0:
        return 0.0
    return gain_m**2 / (10.0 * length_m) + max(0.0, (summit_ele_m - 1000.0) / 1000.0)


def _merge_runs(e: np.ndarray, d: np.ndarray, tp: np.ndarray) -> list[tuple[int, int]]:
    """(start, top) sample indices of rising runs, merged across small dips."""
    vals = e[tp]
    runs: list[tuple[int, int]] = []
    # Turning points alternate low/high; find the first low.
    k = 0
    if len(tp) >= 2 and vals[1] < vals[0]:
        k = 1
    while k + 1 < len(tp):
        start, top = k, k + 1
        while top + 2 < len(tp):
            gain = vals[top] - vals[start]
            dip = vals[top] - vals[top + 1]
            dip_len = d[tp[top + 1]] - d[tp[top]]
            added_len = d[tp[top + 2]] - d[tp[top]]
            added_grade = (vals[top + 2] - vals[top]) / added_len * 100 if added_len > 0 else 0.0
            # Merge only onto something that already is a climb (so rollers never chain up), across a small dip,
            # and only if the part added (dip and the rise after it) is itself steep enough not to dilute it.
            is_climb = gain >= MIN_CLIMB_GAIN_M
            small_dip = dip < max(DIP_MAX_LOSS_M, DIP_FRACTION * gain) and dip_len < DIP_MAX_LENGTH_M
            goes_higher = vals[top + 2] > vals[top]
            stays_steep = added_grade >= MIN_CLIMB_GRADE_PCT
            if is_climb and small_dip and goes_higher and stays_steep:
                top += 2
            else:
                break
        runs.append((int(tp[start]), int(tp[top])))
        k = top + 1
    return runs


def detect_climbs(
    distance_m: np.ndarray,
    ele_m: np.ndarray,
    *,
    min_grade_pct: float = MIN_CLIMB_GRADE_PCT,
    min_length_m: float = MIN_CLIMB_LENGTH_M,
    min_gain_m: float = MIN_CLIMB_GAIN_M,
    max_grade_window_m: float = MAX_GRADE_WINDOW_M,
    valid_windows: np.ndarray | None = None,
) -> tuple[Climb, ...]:
    """Climbs of a smoothed profile sampled on a uniform distance grid.

    ``max_grade_window_m``: window of the maximum grade; analyse() widens it to the smoothing window on noisy data,
    where the steepest of many short windows is mostly noise. ``valid_windows`` (one flag per window start, as from
    ``routes.analysis.elevation.valid_windows``): windows that cross a segment join, time gap or jump are not used for it.
    """
    d = np.asarray(distance_m, dtype=np.float64)
    e = np.asarray(ele_m, dtype=np.float64)
    if len(d) < 3 or not np.isfinite(e).all():
        return ()
    step = float(d[1] - d[0])
    if step <= 0:
        return ()
    tp = turning_points(e, CLIMB_TURN_DEAD_BAND_M)
    if len(tp) < 2:
        return ()
    k_trim = max(1, int(round(TRIM_WINDOW_M / step)))
    fwd = window_grades_pct(e, step, TRIM_WINDOW_M)  # fwd[i]: grade from i to i + k_trim
    steep = window_grades_pct(e, step, max_grade_window_m)
    k_max = max(1, int(round(max_grade_window_m / step)))
    climbs: list[Climb] = []
    for s, t in _merge_runs(e, d, tp):
        if t - s > k_trim and len(fwd):
            # Trim: the first 100 m window climbing at TRIM_GRADE_PCT starts the climb and the last one ends it ...
            starts = np.flatnonzero(fwd[s : t - k_trim + 1] >= TRIM_GRADE_PCT)
            if not len(starts):
                continue
            s2 = s + int(starts[0])
            t2 = min(s + int(starts[-1]) + k_trim, t)
            # ... then, since such a window may begin up to 100 m before the road tilts up, move to where the
            # height has actually left the flat (and back from where it reaches the top).
            lead = np.flatnonzero(e[s2 : s2 + k_trim + 1] <= e[s2] + TRIM_RISE_M)
            s2 += int(lead[-1]) if len(lead) else 0
            tail = np.flatnonzero(e[max(s2, t2 - k_trim) : t2 + 1] >= e[t2] - TRIM_RISE_M)
            t2 = max(s2, t2 - k_trim) + int(tail[0]) if len(tail) else t2
            s, t = s2, t2
        length = float(d[t] - d[s])
        gain = float(e[t] - e[s])
        if length < min_length_m or gain < min_gain_m:
            continue
        avg = gain / length * 100.0
        if avg < min_grade_pct:
            continue
        window = steep[s : max(s + 1, t - k_max + 1)] if len(steep) else np.zeros(0)
        if valid_windows is not None and len(window):
            window = window[valid_windows[s : s + len(window)]]
        max_grade = float(window.max()) if len(window) else avg
        score = length * avg
        climbs.append(
            Climb(
                start_m=float(d[s]),
                end_m=float(d[t]),
                length_m=length,
                gain_m=gain,
                avg_grade_pct=avg,
                max_grade_pct=max(max_grade, avg),
                start_ele_m=float(e[s]),
                summit_ele_m=float(e[t]),
                category=category_for(score),
                score=score,
                fiets=fiets_index(gain, length, float(e[t])),
            )
        )
    return tuple(climbs)
