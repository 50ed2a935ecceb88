"""Gradient runs a reader can see: merge colour runs shorter than the map or profile can show at its scale."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np

from routes.analysis.grades import band_index

#: A colour run narrower than this many CSS pixels reads as noise (a speck of red in a green line), not as a slope.
MIN_RUN_PX = 6.0
#: Web-Mercator ground resolution at the equator, zoom 0, in metres per 256-px-tile pixel (EPSG:3857).
EQUATOR_M_PER_PX_Z0 = 156_543.033_92
#: Map zoom levels for which the viewer gets pre-merged runs: 10 shows the whole area, at 17 a pixel is ~1 m here,
#: finer than any GPS track, so zoom 17 and closer share the level-17 runs.
VIEWER_ZOOMS = tuple(range(10, 18))


@dataclass(frozen=True)
class GradeRun:
    """Steps ``start``..``end`` (exclusive) of a line drawn in one colour: GRADE_BANDS[band]."""

    start: int
    end: int
    band: int


def metres_per_px(zoom: float, lat_deg: float) -> float:
    """Ground size of one CSS pixel of a Web-Mercator map at ``zoom`` and latitude ``lat_deg``."""
    return EQUATOR_M_PER_PX_Z0 * math.cos(math.radians(lat_deg)) / 2.0**zoom


def fit_zoom(span_m: float, width_px: float) -> int:
    """The zoom at which ``span_m`` of ground fits in ``width_px`` (as Leaflet's fitBounds picks it, near 30° N)."""
    if span_m <= 0 or width_px <= 0:
        return VIEWER_ZOOMS[-1]
    z = math.log2(EQUATOR_M_PER_PX_Z0 * math.cos(math.radians(30.0)) * width_px / span_m)
    return int(max(0, min(VIEWER_ZOOMS[-1], math.floor(z))))


def merge_runs(step_length_m: object, step_grade_pct: object, *, min_run_m: float) -> list[GradeRun]:
    """Runs of equal gradient band over the steps of a line, every run at least ``min_run_m`` long where possible.

    The shortest run is folded into a neighbour again and again until none is shorter than ``min_run_m`` (or one run
    is left): into the neighbour whose band is closest (a 7 % blip inside a 5 % climb becomes "moderate", not
    "descent"), the longer one on a tie. Neighbours left with the same band join. O(n log n) in the number of runs.
    """
    length = np.asarray(step_length_m, dtype=np.float64)
    bands = band_index(step_grade_pct)
    n = len(bands)
    if n == 0:
        return []
    cuts = np.flatnonzero(np.diff(bands)) + 1
    starts = np.concatenate([[0], cuts]).tolist()
    ends = np.concatenate([cuts, [n]]).tolist()
    cum = np.concatenate([[0.0], np.cumsum(np.where(np.isfinite(length), length, 0.0))])
    run_len = [float(cum[e] - cum[s]) for s, e in zip(starts, ends, strict=True)]
    run_band = [int(bands[s]) for s in starts]
    count = len(starts)
    prev = list(range(-1, count - 1))
    nxt = list(range(1, count + 1))
    nxt[-1] = -1
    alive = [True] * count
    heap = [(run_len[i], i) for i in range(count)]
    heapq.heapify(heap)
    left = count

    def absorb(into: int, gone: int) -> None:
        """Run ``gone`` (a neighbour of ``into``) becomes part of ``into``."""
        nonlocal left
        starts[into] = min(starts[into], starts[gone])
        ends[into] = max(ends[into], ends[gone])
        run_len[into] += run_len[gone]
        alive[gone] = False
        left -= 1
        p, q = prev[gone], nxt[gone]
        if p != -1:
            nxt[p] = q
        if q != -1:
            prev[q] = p

    while heap and left > 1:
        size, i = heapq.heappop(heap)
        if not alive[i] or size != run_len[i]:
            continue  # stale entry: merged away or grown since it was pushed
        if size >= min_run_m:
            break
        p, q = prev[i], nxt[i]
        candidates = [j for j in (p, q) if j != -1]
        target = min(candidates, key=lambda j: (abs(run_band[j] - run_band[i]), -run_len[j]))
        absorb(target, i)
        # The target may now touch a run of its own band on the far side of the one it swallowed.
        for other in (prev[target], nxt[target]):
            if other != -1 and run_band[other] == run_band[target]:
                absorb(target, other)
        heapq.heappush(heap, (run_len[target], target))

    out = []
    i = next(k for k in range(count) if alive[k] and prev[k] == -1)
    while i != -1:
        out.append(GradeRun(int(starts[i]), int(ends[i]), run_band[i]))
        i = nxt[i]
    return out


def runs_for_zooms(
    distance_m: object,
    step_grade_pct: object,
    *,
    lat_deg: float,
    zooms: tuple[int, ...] = VIEWER_ZOOMS,
    min_run_px: float = MIN_RUN_PX,
) -> dict[int, list[GradeRun]]:
    """Merged runs of a map line (point distances ``distance_m``, one grade per step) for each zoom level."""
    step = np.diff(np.asarray(distance_m, dtype=np.float64))
    return {z: merge_runs(step, step_grade_pct, min_run_m=min_run_px * metres_per_px(z, lat_deg)) for z in zooms}


__all__ = ["MIN_RUN_PX", "VIEWER_ZOOMS", "GradeRun", "fit_zoom", "merge_runs", "metres_per_px", "runs_for_zooms"]
