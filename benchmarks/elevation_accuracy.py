"""Elevation gain accuracy of several methods on seeded synthetic tracks, and the speed of the full analysis.

Run: python benchmarks/elevation_accuracy.py   (prints the tables quoted in docs/analysis.md)
The synthetic ride is the one of tests/routes/test_elevation.py: 40 km, a 5 km climb at 6 %, a 2.5 km climb at 4 %,
23 km of rollers; points ≈ 5 m apart (1 Hz, 3–7 m/s); white elevation noise of σ metres.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from routes.analysis.elevation import build_profile, sum_raw_differences  # noqa: E402

SEEDS = range(5)
LENGTH_M = 40_000.0


def truth(d: np.ndarray) -> np.ndarray:
    base = np.interp(d, [0, 3000, 8000, 12000, 14500, 17000, LENGTH_M], [20, 20, 320, 20, 120, 20, 20])
    x = d - 17000
    return base + np.where(x > 0, 6 * np.sin(2 * np.pi * x / 800) + 4 * np.sin(2 * np.pi * x / 2100), 0.0)


def points(seed: int, length_m: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    d = np.concatenate(([0.0], np.cumsum(rng.uniform(3.0, 7.0, int(length_m / 5 * 1.1)))))
    return np.append(d[d < length_m], length_m)


def gpxpy_gain(d: np.ndarray, e: np.ndarray) -> tuple[float, float]:
    import gpxpy.gpx as g

    seg = g.GPXTrackSegment([g.GPXTrackPoint(30 + x / 110_861.0, 120.85, elevation=z) for x, z in zip(d, e, strict=True)])
    r = seg.get_uphill_downhill()
    return r.uphill, r.downhill


METHODS = {
    "raw sum of differences": lambda d, e: sum_raw_differences(e),
    "gpxpy get_uphill_downhill": gpxpy_gain,
    "fixed 100 m window + 2 m dead-band": lambda d, e: _p(d, e, 100.0),
    "this guide (noise-adaptive window + 2 m dead-band)": lambda d, e: _p(d, e, None),
}


def _p(d, e, window):
    p = build_profile(d, e, window_m=window)
    return p.ascent_m, p.descent_m


def main() -> None:
    fine = truth(np.linspace(0, LENGTH_M, 400_001))
    steps = np.diff(fine)
    true_up, true_down = steps[steps > 0].sum(), -steps[steps < 0].sum()
    print(f"truth: +{true_up:.0f} m / -{true_down:.0f} m over {LENGTH_M / 1000:.0f} km")
    print("| method | σ = 1 m ascent | σ = 1 m descent | σ = 3 m ascent | σ = 3 m descent | flat σ = 2 m (m/km) |")
    print("|---|---|---|---|---|---|")
    for name, fn in METHODS.items():
        cells = []
        for sigma in (1.0, 3.0):
            errs = []
            for s in SEEDS:
                d = points(s, LENGTH_M)
                e = truth(d) + np.random.default_rng(1000 + s).normal(0, sigma, len(d))
                up, down = fn(d, e)
                errs.append((up / true_up - 1, down / true_down - 1))
            a = np.array(errs) * 100
            for k in (0, 1):
                cells.append(f"{a[:, k].min():+.1f} … {a[:, k].max():+.1f} %")
        flat = []
        for s in range(3):
            rng = np.random.default_rng(s)
            d = np.cumsum(np.concatenate(([0.0], rng.uniform(3, 7, 4000))))
            up, _ = fn(d, 6.0 + rng.normal(0.0, 2.0, len(d)))
            flat.append(up / (d[-1] / 1000))
        cells.append(f"{max(flat):.1f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    # Clean ramp and sub-dead-band sawtooth.
    d = np.arange(0.0, 2001.0, 5.0)
    saw_d = np.arange(0.0, 10_001.0, 5.0)
    saw = 50 + 1.8 * np.abs(((saw_d / 400.0) % 1.0) * 2 - 1)
    for name, fn in METHODS.items():
        ramp_up, _ = fn(d, 10 + 0.05 * d)
        saw_up, _ = fn(saw_d, saw)
        print(f"{name}: clean 100 m ramp → {ramp_up:.2f} m; 1.8 m sawtooth ×25 → {saw_up:.1f} m")
    artefact_rides()
    bench_analysis()


def artefact_rides() -> None:
    """Steepest 100 m, climb maxima and ascent on the generated rides of tests/routes/synthetic_rides.py (a 50 m
    segment join, settling jumps, 20–60 m spikes, drift, noise), with and without the removal of artefacts."""
    from routes.analysis.summary import analyse
    from tests.routes.synthetic_rides import TRUE_CLIMBS, TRUE_STEEPEST_100M_PCT, make_ride, true_gain_loss

    up, _ = true_gain_loss()
    print(f"\nrides with artefacts: truth steepest 100 m {TRUE_STEEPEST_100M_PCT:.1f} %, climbs "
          + ", ".join(f"{a / 1000:.0f}–{b / 1000:.1f} km max {m:.1f} %" for a, b, m in TRUE_CLIMBS)
          + f", ascent {up:.0f} m")
    print("| method | σ | steepest 100 m − truth (points) | climb max − truth (points) | climbs found | ascent |")
    print("|---|---|---|---|---|---|")
    for clean in (False, True):
        for sigma in (1.0, 3.0):
            steep, cmax, found, asc = [], [], [], []
            for s in SEEDS:
                an = analyse(make_ride(s, sigma_m=sigma).track, clean_artefacts=clean)
                steep.append(an.max_grade_100m_pct - TRUE_STEEPEST_100M_PCT)
                found.append(len(an.climbs))
                asc.append((an.ascent_m / up - 1) * 100)
                for (a, b, m) in TRUE_CLIMBS:
                    inside = [c for c in an.climbs if c.start_m < b and c.end_m > a]
                    if inside:
                        cmax.append(max(c.max_grade_pct for c in inside) - m)
            name = "this guide" if clean else "before issue 14 (spikes > 25 m only)"
            print(f"| {name} | {sigma:.0f} m | {min(steep):+.1f} … {max(steep):+.1f} | {min(cmax):+.1f} … "
                  f"{max(cmax):+.1f} | {min(found)}–{max(found)} (truth {len(TRUE_CLIMBS)}) | "
                  f"{min(asc):+.1f} … {max(asc):+.1f} % |")


def bench_analysis(n: int = 100_000) -> None:
    from routes.analysis.summary import analyse
    from routes.core.model import make_track

    rng = np.random.default_rng(0)
    d = np.cumsum(np.concatenate(([0.0], rng.uniform(3, 7, n - 1))))
    lat = 29.99 + 0.03 * np.sin(d / 20_000)
    lon = 120.85 + 0.04 * np.cos(d / 20_000)
    ele = 40 + 30 * np.sin(d / 900) + rng.normal(0, 3, n)
    t = 1.7e9 + np.arange(n, dtype=float)
    track = make_track(lat, lon, ele, t)
    analyse(track)  # warm-up (imports, first-touch allocations)
    best = min(_timed(analyse, track) for _ in range(5))
    print(f"analyse() of a {n}-point 1 Hz ride ({d[-1] / 1000:.0f} km): best of 5 {best * 1000:.0f} ms")


def _timed(fn, arg) -> float:
    start = time.perf_counter()
    fn(arg)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
