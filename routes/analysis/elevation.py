"""Elevation profile: clean, resample by distance, smooth over a distance window, sum ascent with a dead-band, grade.

Why this shape: GPS and phone elevations carry metres of white noise at every point, and summing raw differences
(gpxpy, GPXSee) counts that noise as climbing — several times the truth on a 1 Hz ride. A dead-band alone does not
help on dense noise. Smoothing over a *distance* window (not a point count, so it does not depend on the recording
rate or on the rider's speed) removes the noise; a small dead-band afterwards removes what is left. The window is
chosen from the source: DEM samples are smooth but blocky (wide window), barometric altimeters are smooth and precise
(narrow window), GPS heights are noisy (medium). docs/analysis.md lists the measured error of each choice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routes.core.limits import GRID_MAX_SAMPLES

#: Uniform distance step of the resampled profile. 5 m is the spacing of a 1 Hz ride at 18 km/h: finer adds nothing.
RESAMPLE_STEP_M = 5.0
#: Cap on profile samples, so a 1 000 km audax or a route with far-apart points stays cheap (the step grows instead).
MAX_PROFILE_SAMPLES = 200_000
#: Residual noise left after smoothing is ignored below this rise or fall (hysteresis on the smoothed profile).
DEAD_BAND_M = 2.0

#: Smoothing window (full width, metres) by kind of elevation data. For GPS heights the window grows with the
#: measured noise (below); this entry is the smallest GPS window.
SMOOTH_WINDOW_M = {
    "gps": 50.0,  # satellite heights, σ of a few metres per point
    "barometric": 50.0,  # pressure altimeter: centimetre-smooth, a narrow window keeps short ramps
    "dem": 150.0,  # DEM cells are 30–90 m wide; interpolation leaves steps at cell edges
}
#: GPS window per metre of measured noise σ: 50 m at σ = 1 m, 150 m at σ = 3 m. Measured on 1 Hz synthetic rides
#: (docs/analysis.md): a fixed 100 m window is +4 % at σ = 3 m and 150 m is −3 % at σ = 1 m; this rule is within
#: ±2 % from σ = 0.5 to 5 m.
GPS_WINDOW_PER_NOISE_M = 50.0
#: Widest GPS window: wider flattens real short ramps more than it removes noise.
GPS_WINDOW_MAX_M = 200.0
#: Point-to-point noise (robust σ, metres) below which a recording is treated as barometric-like. Barometric and
#: planner (DEM) heights measure ~0.0–0.2 m here; phone GPS 1–5 m.
BAROMETRIC_NOISE_M = 0.5
#: Only point triples closer together than this are used to estimate the noise: on sparse planned routes the
#: terrain itself, not noise, makes the second difference.
NOISE_MAX_SPAN_M = 30.0
#: Fewer usable triples than this: no estimate, the data is treated as smooth.
NOISE_MIN_TRIPLES = 20

#: Spike rejection: a point further than this from the median of its neighbours is dropped ... (real one- and
#: two-sample spikes of GPS and phone recordings are 15–60 m; 10 m is > 10σ of barometric heights)
SPIKE_MIN_M = 10.0
#: ... or further than this many σ of the measured noise (5σ: a white-noise point is that far out once in 3 million),
#: ... or further than this grade times the half-span of the neighbourhood, whichever is largest (so sparse routes
#: over real hills keep their summits).
SPIKE_NOISE_FACTOR = 5.0
SPIKE_GRADE = 0.3
#: Neighbourhood of the median for spike rejection, in points (odd).
SPIKE_WINDOW_POINTS = 9
#: Exact zeros in a track whose other heights are all above this are treated as missing: several apps write 0 when
#: the fix has no altitude.
ZERO_DROPOUT_MIN_M = 20.0

#: Window of the "maximum grade" figure (steepest 100 m), metres.
MAX_GRADE_WINDOW_M = 100.0

# --- what is not terrain: joins, time gaps and jumps ---------------------------------------------------------------
#: Steepest grade (as a fraction) a road or path can climb between two points. Across a time gap the recorded height
#: change is kept up to this grade times the distance covered; anything more is a recording artefact, not a slope.
#: Across a segment join (no distance counted) nothing is kept. 0.4 = 40 %: steeper than any public road
#: (Baldwin Street, Dunedin, 35 % at its steepest; Ffordd Pen Llech, 37 %).
PLAUSIBLE_GRADE = 0.4
#: A pause of at least this long between two points of one segment is a time gap (device paused, fix lost): the
#: height may have drifted meanwhile, so the step across it is treated like a segment join (limited as above).
TIME_GAP_S = 60.0
#: A jump: the cleaned, resampled height changes by more than this (and by more than JUMP_NOISE_FACTOR σ) beyond
#: PLAUSIBLE_GRADE over at most JUMP_WINDOW_M. Typical causes: a GPS altitude that settles by 20–40 m while the rider
#: stands at the start, a barometer recalibrating, two recordings joined in one segment.
JUMP_MIN_M = 8.0
JUMP_NOISE_FACTOR = 5.0
JUMP_WINDOW_M = 20.0
#: Fastest sustained climbing rate of a person on a bike or on foot: 0.6 m/s = 2 160 m/h, above the VAM of the best
#: professional climbers (about 1 800–1 900 m/h). A timed rise faster than this between two points, by more than
#: the jump limit, is a recording artefact whatever the distance (GPS heights re-acquired after a gap).
MAX_CLIMB_RATE_MPS = 0.6
#: Samples of the resampled profile on each side of a jump or join whose straight-line fit gives the levels the step
#: is measured between (12 × 5 m = 60 m: long enough to average noise, short enough to stay on one slope).
LEVEL_FIT_SAMPLES = 12
#: Grade windows closer than this share of the smoothing window to a join, time gap or jump are not used for the
#: steepest-grade figures (the smoothing mixes both sides there).
BREAK_GUARD_SHARE = 0.5
#: A step at a join or time gap smaller than this is not worth a warning (it is removed all the same).
STEP_REPORT_M = 5.0


@dataclass(frozen=True)
class ElevationProfile:
    """A cleaned, uniformly resampled and smoothed elevation profile."""

    distance_m: np.ndarray  # uniform grid from 0 to the track length
    ele_m: np.ndarray  # smoothed elevation on the grid
    raw_ele_m: np.ndarray  # cleaned elevation on the grid before smoothing
    grade_pct: np.ndarray  # grade of the smoothed profile at each grid sample
    ascent_m: float
    descent_m: float
    kind: str  # "gps", "barometric" or "dem": which smoothing was applied
    window_m: float
    noise_m: float  # robust estimate of the point-to-point noise of the input
    spikes_dropped: int
    step_m: float
    #: Jumps (near-zero-distance height changes) removed inside segments.
    jumps_removed: int = 0
    #: Segment joins and time gaps whose height step of at least STEP_REPORT_M was removed.
    steps_removed: int = 0
    #: Total height (m, absolute) taken out at jumps, joins and time gaps.
    removed_m: float = 0.0
    #: (start_m, end_m) of every join, time gap and jump: no grade window may cross one.
    breaks_m: tuple[tuple[float, float], ...] = ()


#: The spike threshold before jumps and joins were handled (issue 14): only for the before/after table of
#: benchmarks/corpus_grades.py (``build_profile(..., clean_artefacts=False)``).
LEGACY_SPIKE_MIN_M = 25.0


def reject_spikes(distance_m: np.ndarray, ele_m: np.ndarray, *, noise_m: float = 0.0,
                  min_m: float = SPIKE_MIN_M) -> np.ndarray:
    """Boolean mask of points to keep: finite and not a spike against the median of their neighbours.

    One- and two-sample spikes both stand out: the median of 9 points ignores up to 4 outliers. A step (a level that
    changes and stays) is not a spike: the median follows it."""
    keep = np.isfinite(ele_m)
    idx = np.flatnonzero(keep)
    if len(idx) >= 3:
        e = ele_m[idx]
        d = distance_m[idx]
        nonzero = e[e != 0]
        if len(nonzero) and (e == 0).any() and np.all(np.abs(nonzero) > ZERO_DROPOUT_MIN_M):
            keep[idx[e == 0]] = False
            idx = np.flatnonzero(keep)
            e, d = ele_m[idx], distance_m[idx]
    if len(idx) >= SPIKE_WINDOW_POINTS:
        half = SPIKE_WINDOW_POINTS // 2
        windows = np.lib.stride_tricks.sliding_window_view(np.pad(e, half, mode="edge"), SPIKE_WINDOW_POINTS)
        median = np.median(windows, axis=1)
        dpad = np.pad(d, half, mode="edge")
        half_span_m = (dpad[2 * half :] - dpad[: -2 * half]) / 2
        allowed = np.maximum(max(min_m, SPIKE_NOISE_FACTOR * noise_m), SPIKE_GRADE * half_span_m)
        keep[idx[np.abs(e - median) > allowed]] = False
    return keep


def estimate_noise_m(distance_m: np.ndarray, ele_m: np.ndarray) -> float:
    """Robust σ of white elevation noise from second differences of close points (MAD, unbiased for Gaussian)."""
    if len(ele_m) < 3:
        return 0.0
    span = distance_m[2:] - distance_m[:-2]
    close = span <= NOISE_MAX_SPAN_M
    if close.sum() < NOISE_MIN_TRIPLES:
        return 0.0
    d2 = (ele_m[:-2] - 2 * ele_m[1:-1] + ele_m[2:])[close]
    mad = np.median(np.abs(d2 - np.median(d2)))
    return float(1.4826 * mad / np.sqrt(6.0))  # var(e0 - 2e1 + e2) = 6σ² for white noise


def resample(
    distance_m: np.ndarray, ele_m: np.ndarray, step_m: float = RESAMPLE_STEP_M, *, total_m: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Linear interpolation of (distance, elevation) onto a uniform grid from 0 to ``total_m`` (default: the last
    distance), with a step of at most ``step_m``."""
    total = total_m if total_m is not None else (float(distance_m[-1]) if len(distance_m) else 0.0)
    step_m = max(step_m, total / (GRID_MAX_SAMPLES - 1))  # bounded memory whatever the length
    n = int(np.ceil(total / step_m - 1e-9)) + 1 if total > 0 else 1
    grid = np.linspace(0.0, total, n) if n > 1 else np.zeros(1)
    return grid, np.interp(grid, distance_m, ele_m)


def smooth(values: np.ndarray, half_width: int) -> np.ndarray:
    """Centred moving average of ±half_width samples, the window shrinking symmetrically at the ends.

    The symmetric shrink keeps the first and last values and reproduces any straight line exactly, so a clean ramp
    keeps its full height.
    """
    n = len(values)
    if half_width <= 0 or n < 3:
        return values.astype(np.float64, copy=True)
    i = np.arange(n)
    h = np.minimum(np.minimum(i, n - 1 - i), half_width)
    csum = np.concatenate(([0.0], np.cumsum(values, dtype=np.float64)))
    return (csum[i + h + 1] - csum[i - h]) / (2 * h + 1)


def turning_points(ele_m: np.ndarray, dead_band_m: float = DEAD_BAND_M) -> np.ndarray:
    """Indices of alternating low and high points, ignoring reversals smaller than the dead-band.

    The first entry is where the first real rise or fall starts, the last where the final one ends. Rises and falls
    between consecutive entries sum to the ascent and descent.
    """
    n = len(ele_m)
    if n < 2:
        return np.zeros(min(n, 1), dtype=np.int64)
    # Only local extrema (and the ends) can be turning points: reduce first, then walk the few that remain.
    diff = np.diff(ele_m)
    nz = np.flatnonzero(diff)
    if not len(nz):
        return np.array([0], dtype=np.int64)
    sign = np.sign(diff[nz])
    change = nz[1:][sign[1:] != sign[:-1]]  # index i where the slope into i+... changes: ele[change] is an extreme
    cand = np.concatenate(([0], change, [n - 1]))
    vals = ele_m[cand].tolist()
    out: list[int] = []
    lo_i = hi_i = 0  # candidate positions while no direction is known yet
    trend = 0
    ref_i = 0
    ext_i = 0
    for k in range(1, len(cand)):
        v = vals[k]
        if trend == 0:
            if v < vals[lo_i]:
                lo_i = k
            if v > vals[hi_i]:
                hi_i = k
            if v - vals[lo_i] >= dead_band_m:
                trend, ref_i, ext_i = 1, lo_i, k
            elif vals[hi_i] - v >= dead_band_m:
                trend, ref_i, ext_i = -1, hi_i, k
            if trend:
                out.append(ref_i)
        elif trend == 1:
            if v >= vals[ext_i]:
                ext_i = k
            elif vals[ext_i] - v >= dead_band_m:
                out.append(ext_i)
                trend, ext_i = -1, k
        else:
            if v <= vals[ext_i]:
                ext_i = k
            elif v - vals[ext_i] >= dead_band_m:
                out.append(ext_i)
                trend, ext_i = 1, k
    if trend:
        out.append(ext_i)
    else:
        out.append(0)
    return cand[np.asarray(out, dtype=np.int64)]


def ascent_descent(ele_m: np.ndarray, dead_band_m: float = DEAD_BAND_M) -> tuple[float, float]:
    """Total rise and fall of a (smoothed) series, ignoring reversals smaller than the dead-band."""
    if len(ele_m) < 2:
        return 0.0, 0.0
    tp = turning_points(ele_m, dead_band_m)
    steps = np.diff(ele_m[tp])
    return float(steps[steps > 0].sum()), float(abs(steps[steps < 0].sum()))


def window_grades_pct(ele_m: np.ndarray, step_m: float, window_m: float = MAX_GRADE_WINDOW_M) -> np.ndarray:
    """Grade over every window of ``window_m`` on a uniform grid, indexed by the window's first sample."""
    k = max(1, int(round(window_m / step_m))) if step_m > 0 else 0
    if k == 0 or len(ele_m) <= k:
        return np.zeros(0)
    return (ele_m[k:] - ele_m[:-k]) / (k * step_m) * 100.0


def smoothing_window_m(kind: str, noise_m: float) -> float:
    """Full width of the smoothing window for a kind of data and its measured noise."""
    if kind == "gps":
        return float(np.clip(GPS_WINDOW_PER_NOISE_M * noise_m, SMOOTH_WINDOW_M["gps"], GPS_WINDOW_MAX_M))
    return SMOOTH_WINDOW_M[kind]


def find_jumps(raw_m: np.ndarray, step_m: float, noise_m: float) -> list[tuple[int, int]]:
    """(a, b) grid index pairs around every jump of a resampled series: a change of more than
    max(JUMP_MIN_M, JUMP_NOISE_FACTOR σ) beyond PLAUSIBLE_GRADE within JUMP_WINDOW_M. Samples a and b are outside it."""
    n = len(raw_m)
    if n < 2 or step_m <= 0:
        return []
    limit = max(JUMP_MIN_M, JUMP_NOISE_FACTOR * noise_m)
    flagged = np.zeros(n, dtype=bool)  # flagged[k]: the step k -> k+1 lies inside a jump
    for m in range(1, max(1, int(round(JUMP_WINDOW_M / step_m))) + 1):
        if m >= n:
            break
        excess = np.abs(raw_m[m:] - raw_m[:-m]) - PLAUSIBLE_GRADE * m * step_m
        for k in np.flatnonzero(excess > limit):
            # Only the steps that actually move much belong to the jump: a 20 m window around a 0 m jump would
            # otherwise swallow the slope on both sides.
            steps = np.abs(np.diff(raw_m[k : k + m + 1]))
            big = steps > PLAUSIBLE_GRADE * step_m + limit / (2 * m)
            flagged[k : k + m][big if big.any() else np.ones(m, dtype=bool)] = True
    out = []
    k = 0
    idx = np.flatnonzero(flagged)
    while k < len(idx):
        j = k
        while j + 1 < len(idx) and idx[j + 1] <= idx[j] + 1:
            j += 1
        out.append((int(idx[k]), int(idx[j]) + 1))
        k = j + 1
    return out


def _level(grid: np.ndarray, values: np.ndarray, at_m: float) -> float:
    """The level of a short stretch extrapolated to ``at_m``: a straight-line fit (one sample: itself)."""
    if len(values) == 1:
        return float(values[0])
    slope, icept = np.polyfit(grid - at_m, values, 1)
    return float(icept)


def remove_steps(
    grid: np.ndarray, raw_m: np.ndarray, breaks: list[tuple[int, int, float]]
) -> tuple[np.ndarray, list[float]]:
    """Take out the height step at every break (a, b, allowed_m) beyond what the terrain could do (allowed_m), then
    shift the whole profile so its longest unbroken stretch keeps the heights it was recorded with.

    Between a and b the profile becomes a straight line. Returns the corrected series and the removed steps (m)."""
    out = raw_m.astype(np.float64, copy=True)
    n = len(out)
    removed: list[float] = []
    bounds = [(-1, 0)] + [(a, b) for a, b, _ in breaks] + [(n - 1, n)]
    for j, (a, b, allowed) in enumerate(breaks, start=1):
        if a < 0 or b >= n:
            removed.append(0.0)
            continue
        lo = max(bounds[j - 1][1], a - LEVEL_FIT_SAMPLES + 1)
        hi = min(bounds[j + 1][0], b + LEVEL_FIT_SAMPLES - 1)
        before = _level(grid[lo : a + 1], out[lo : a + 1], float(grid[a]))
        after = _level(grid[b : hi + 1], out[b : hi + 1], float(grid[b]))
        step = after - before
        excess = step - float(np.clip(step, -allowed, allowed))
        out[b:] -= excess
        if b - a > 1:
            out[a + 1 : b] = np.interp(grid[a + 1 : b], [grid[a], grid[b]], [out[a], out[b]])
        removed.append(excess)
    if breaks and any(removed):
        # Anchor: the longest stretch between breaks keeps its recorded heights (the rest moved to match it).
        pieces = [(bounds[j][1], bounds[j + 1][0]) for j in range(len(bounds) - 1)]
        s0, s1 = max(pieces, key=lambda p: grid[min(p[1], n - 1)] - grid[min(p[0], n - 1)])
        if s0 < n:
            out += raw_m[s0] - out[s0]
    return out, removed


def build_profile(
    distance_m: np.ndarray,
    ele_m: np.ndarray,
    *,
    source: str = "file",
    step_m: float = RESAMPLE_STEP_M,
    dead_band_m: float = DEAD_BAND_M,
    window_m: float | None = None,
    breaks: list[tuple[int, float]] | tuple = (),
    clean_artefacts: bool = True,
    time_s: np.ndarray | None = None,
) -> ElevationProfile | None:
    """Profile of a track from its per-point cumulative distance and elevation; None without usable elevation.

    ``source`` is "file" (the smoothing is chosen from the measured noise) or "dem". ``window_m`` overrides the
    choice (for experiments and tests). ``breaks``: (i, allowed_grade) for every segment join or time gap between
    point i-1 and point i; the height step across it is kept only up to allowed_grade × the distance between them.
    ``time_s`` (per point, NaN where unknown) lets a timed rise faster than MAX_CLIMB_RATE_MPS count as a jump.
    ``clean_artefacts=False`` is the method before joins and jumps were handled (for the before/after table only).
    """
    distance_m = np.asarray(distance_m, dtype=np.float64)
    ele_m = np.asarray(ele_m, dtype=np.float64)
    finite = np.isfinite(ele_m)
    noise_all = estimate_noise_m(distance_m[finite], ele_m[finite])
    keep = (reject_spikes(distance_m, ele_m, noise_m=noise_all) if clean_artefacts
            else reject_spikes(distance_m, ele_m, min_m=LEGACY_SPIKE_MIN_M))
    spikes = int(finite.sum() - keep.sum())
    if not keep.any():
        return None
    d, e = distance_m[keep], ele_m[keep]
    t = np.asarray(time_s, dtype=np.float64)[keep] if time_s is not None else np.full(len(d), np.nan)
    total = float(distance_m[-1]) if len(distance_m) else 0.0
    step = max(step_m, total / (MAX_PROFILE_SAMPLES - 1)) if total > 0 else step_m
    grid, raw = resample(d, e, step, total_m=total)
    step = float(grid[1] - grid[0]) if len(grid) > 1 else step
    noise = estimate_noise_m(d, e)
    # Joins and time gaps at known places, then jumps found in the resampled heights.
    known: list[tuple[int, int, float, bool]] = []
    for i, grade in breaks if clean_artefacts else ():
        if 0 < i < len(distance_m):
            da, db = float(distance_m[i - 1]), float(distance_m[i])
            a = int(np.searchsorted(grid, da, "left")) - 1
            b = int(np.searchsorted(grid, db, "right"))
            if a >= 0 and b < len(grid):
                known.append((a, b, float(grade) * (db - da), False))
    # Jumps between two points steeper than any road beyond the noise: within JUMP_WINDOW_M, or over any distance
    # when the rise is also faster than anyone climbs (a car's 1.4 m/s up a 5 % road is not steep, so it stays) ...
    limit = max(JUMP_MIN_M, JUMP_NOISE_FACTOR * noise) if clean_artefacts else np.inf
    dd, de, dt = np.diff(d), np.diff(e), np.diff(t)
    allowed = PLAUSIBLE_GRADE * dd
    with np.errstate(invalid="ignore"):
        by_rate = (de > 0) & (dt > 0) & (de > MAX_CLIMB_RATE_MPS * dt + limit)
        pair_jump = ((dd <= JUMP_WINDOW_M) | by_rate) & (np.abs(de) - allowed > limit)
    for i in np.flatnonzero(pair_jump):
        a = int(np.searchsorted(grid, d[i], "left")) - 1
        b = int(np.searchsorted(grid, d[i + 1], "right"))
        if a >= 0 and b < len(grid) and not any(a < kb and b > ka for ka, kb, _, _ in known):
            known.append((a, b, float(allowed[i]), True))
    # ... and over a few metres of the resampled heights (a height that drifts while the rider hardly moves).
    for a, b in find_jumps(raw, step, noise) if clean_artefacts else ():
        if not any(a < kb and b > ka for ka, kb, _, _ in known):
            # Nothing of such a jump is kept: the rider covered (almost) no distance while it happened.
            known.append((a, b, 0.0, True))
    known.sort()
    merged: list[list] = []
    for a, b, allowed, jump in known:
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
            merged[-1][2] = min(merged[-1][2], allowed)
            merged[-1][3] = merged[-1][3] and jump
        else:
            merged.append([a, b, allowed, jump])
    raw, removed = remove_steps(grid, raw, [(a, b, allowed) for a, b, allowed, _ in merged])
    jumps = sum(1 for (_, _, _, jump), r in zip(merged, removed, strict=True) if jump and abs(r) > 0)
    steps_removed = sum(1 for (_, _, _, jump), r in zip(merged, removed, strict=True)
                        if not jump and abs(r) >= STEP_REPORT_M)
    if source == "dem":
        kind = "dem"
    else:
        kind = "barometric" if noise < BAROMETRIC_NOISE_M else "gps"
    width = window_m if window_m is not None else smoothing_window_m(kind, noise)
    smoothed = smooth(raw, int(round(width / step / 2)))
    ascent, descent = ascent_descent(smoothed, dead_band_m)
    grade = np.gradient(smoothed, step) * 100.0 if len(grid) > 1 else np.zeros(len(grid))
    return ElevationProfile(
        distance_m=grid,
        ele_m=smoothed,
        raw_ele_m=raw,
        grade_pct=grade,
        ascent_m=ascent,
        descent_m=descent,
        kind=kind,
        window_m=width,
        noise_m=noise,
        spikes_dropped=spikes,
        step_m=step,
        jumps_removed=jumps,
        steps_removed=steps_removed,
        removed_m=float(sum(abs(r) for r in removed)),
        breaks_m=tuple((float(grid[a]), float(grid[b])) for a, b, _, _ in merged),
    )


def steepest_window_m(profile: ElevationProfile) -> float:
    """Window of the steepest-grade figures: 100 m, or the smoothing window when that is wider (on noisy GPS heights
    the steepest of thousands of 100 m windows is mostly noise)."""
    return max(MAX_GRADE_WINDOW_M, profile.window_m)


def valid_windows(profile: ElevationProfile, window_m: float) -> np.ndarray:
    """For every grade window of ``window_m`` (indexed by its first sample): True unless it crosses, or comes within
    BREAK_GUARD_SHARE of a smoothing window of, a join, time gap or jump."""
    d = profile.distance_m
    k = max(1, int(round(window_m / profile.step_m))) if profile.step_m > 0 else 0
    if k == 0 or len(d) <= k:
        return np.zeros(0, dtype=bool)
    ok = np.ones(len(d) - k, dtype=bool)
    guard = BREAK_GUARD_SHARE * profile.window_m
    start, end = d[:-k], d[k:]
    for a_m, b_m in profile.breaks_m:
        ok &= ~((start < b_m + guard) & (end > a_m - guard))
    return ok


def sum_raw_differences(ele_m: np.ndarray) -> tuple[float, float]:
    """Plain sum of rises and falls, no smoothing: the naive figure, kept for the comparison in docs/analysis.md."""
    e = np.asarray(ele_m, dtype=np.float64)
    e = e[np.isfinite(e)]
    steps = np.diff(e)
    return float(steps[steps > 0].sum()), float(abs(steps[steps < 0].sum()))
