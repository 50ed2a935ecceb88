"""Display helpers: simplify a track to a point budget for maps, decimate a profile for charts, kilometre markers.

A browser map pays ≈ 25 bytes of page per point, so a 1 Hz ride of 20 000 points is cut to a few thousand. The
simplification is Douglas–Peucker in metres, run greedily: the split with the largest error is made first, so
stopping at the budget gives the best DP result for that many points. Segment ends, summits and any indices the
caller names are always kept.
"""

from __future__ import annotations

import heapq

import numpy as np

from routes.core.geo import WGS84_A_M
from routes.core.model import Track

#: Default map budget: ≈ 75 kB of page per track in folium, smooth at any zoom a person uses for a day ride.
DEFAULT_MAP_BUDGET = 3000
#: Default chart budget: a profile chart a few hundred pixels wide shows no more.
DEFAULT_PROFILE_BUDGET = 1500


def _local_xy(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equirectangular metres around the track's mean latitude: within 0.1 % over a ride's extent."""
    lat0 = np.radians(np.mean(lat))
    return np.radians(lon - lon[0]) * WGS84_A_M * np.cos(lat0), np.radians(lat - lat[0]) * WGS84_A_M


def _farthest(x: np.ndarray, y: np.ndarray, lo: int, hi: int) -> tuple[float, int]:
    """Largest distance of points lo+1..hi-1 from the segment lo–hi, and where it is."""
    if hi - lo < 2:
        return 0.0, -1
    px, py = x[lo + 1 : hi], y[lo + 1 : hi]
    ax, ay = x[lo], y[lo]
    dx, dy = x[hi] - ax, y[hi] - ay
    len2 = dx * dx + dy * dy
    if len2 > 0:
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0)
    else:  # a closed loop: the chord is a point
        t = np.zeros(len(px))
    dist = np.hypot(px - (ax + t * dx), py - (ay + t * dy))
    k = int(np.argmax(dist))
    return float(dist[k]), lo + 1 + k


def simplify_indices(
    track: Track,
    budget: int = DEFAULT_MAP_BUDGET,
    *,
    point_distance_m: np.ndarray | None = None,
    keep: object | None = None,
) -> np.ndarray:
    """Sorted indices of at most ``budget`` points (more only if the forced ones alone exceed it).

    Always kept: first and last point of every segment, the highest point, and ``keep`` (e.g. climb summits).
    ``point_distance_m`` is accepted for symmetry with the other helpers; the geometry alone decides.
    """
    n = track.n_points
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    forced = {0, n - 1}
    starts = [int(s) for s in track.segment_starts]
    for s in starts:
        forced.add(s)
        if s > 0:
            forced.add(s - 1)
    if track.has_elevation:
        forced.add(int(np.nanargmax(track.ele_m)))
    if keep is not None:
        forced.update(int(i) for i in np.atleast_1d(np.asarray(keep, dtype=np.int64)) if 0 <= i < n)
    chosen = sorted(forced)
    if n <= budget:
        return np.arange(n, dtype=np.int64)
    x, y = _local_xy(track.lat, track.lon)
    boundaries = set(starts[1:])
    heap: list[tuple[float, int, int, int]] = []
    for lo, hi in zip(chosen[:-1], chosen[1:], strict=True):
        if hi in boundaries and lo == hi - 1:
            continue  # the jump between two segments is not part of the line
        dist, at = _farthest(x, y, lo, hi)
        if at >= 0:
            heap.append((-dist, lo, hi, at))
    heapq.heapify(heap)
    selected = set(chosen)
    while heap and len(selected) < budget:
        neg, lo, hi, at = heapq.heappop(heap)
        if -neg <= 0:
            break
        selected.add(at)
        for a, b in ((lo, at), (at, hi)):
            dist, k = _farthest(x, y, a, b)
            if k >= 0:
                heapq.heappush(heap, (-dist, a, b, k))
    return np.array(sorted(selected), dtype=np.int64)


def decimate_profile(distance_m: np.ndarray, values: np.ndarray, budget: int = DEFAULT_PROFILE_BUDGET) -> np.ndarray:
    """Sorted indices of at most ``budget`` samples keeping each bucket's lowest and highest value (peaks survive)."""
    n = len(distance_m)
    if n <= budget:
        return np.arange(n, dtype=np.int64)
    v = np.asarray(values, dtype=np.float64)
    buckets = max(1, (budget - 2) // 2)
    edges = np.linspace(0, n, buckets + 1).astype(np.int64)
    out = [0, n - 1]
    filled = np.where(np.isfinite(v), v, np.nan)
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        if b <= a:
            continue
        chunk = filled[a:b]
        if np.isnan(chunk).all():
            out.append(int(a))
            continue
        out.append(int(a + np.nanargmin(chunk)))
        out.append(int(a + np.nanargmax(chunk)))
    return np.unique(np.array(out, dtype=np.int64))


def km_markers(
    point_distance_m: np.ndarray, lat: np.ndarray, lon: np.ndarray, *, every_m: float = 1000.0
) -> list[tuple[float, float, float]]:
    """(km, lat, lon) of a marker every ``every_m`` along the route, not counting the start."""
    d = np.asarray(point_distance_m, dtype=np.float64)
    if len(d) < 2 or every_m <= 0:
        return []
    marks = np.arange(every_m, d[-1] + 1e-9, every_m)
    if not len(marks):
        return []
    # First point at or beyond each mark and the one before it. At a segment gap two points share a distance; a mark
    # before the gap interpolates on the first segment, one after it on the second, never across the jump.
    i = np.clip(np.searchsorted(d, marks, side="left"), 1, len(d) - 1)
    d0, d1 = d[i - 1], d[i]
    f = np.divide(marks - d0, d1 - d0, out=np.ones_like(marks), where=d1 > d0)
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    la = lat[i - 1] + f * (lat[i] - lat[i - 1])
    lo = lon[i - 1] + f * (lon[i] - lon[i - 1])
    return [(float(m / 1000.0), float(a), float(b)) for m, a, b in zip(marks, la, lo, strict=True)]
