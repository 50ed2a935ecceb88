"""Points of interest along a route: distance from the start, offset from the line and side, each passage.

Computed in UTM zone 51N (EPSG:32651, 120–126 E, which holds Lianghu) with shapely: the STR-tree finds the route
steps within the corridor of each POI, then each run of consecutive nearby steps is one passage. An out-and-back or
a loop passes a POI twice and reports it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from routes.core.geo import cumulative_distance_m
from routes.core.model import Track

#: POIs further than this from the route are not "along" it. 200 m: a tea garden or a viewpoint a short push off
#: the road still counts; a village across the valley does not.
DEFAULT_CORRIDOR_M = 200.0
#: Metric CRS for this area: UTM 51N. (EPSG:32650 would put Lianghu outside its zone.)
METRIC_CRS = "EPSG:32651"
#: Within one run of nearby steps, two closest approaches are separate passages only if the route moves at least
#: this much further away between them (a turn-around just past the POI); GPS wobble of a few metres is not a pass.
PASSAGE_SEPARATION_M = 30.0


@dataclass(frozen=True)
class PoiPassage:
    """One passage of the route by a POI."""

    poi_id: object
    distance_m: float  # along the route from its start, at the closest approach
    offset_m: float  # from the route line
    side: str  # "left" or "right" in the direction of travel


def to_metric(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 degrees to EPSG:32651 metres (easting, northing)."""
    from pyproj import Transformer  # heavy import kept out of the fast CLI path

    tr = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    x, y = tr.transform(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def _steps(track: Track) -> np.ndarray:
    """Indices i of the steps i → i+1 that do not cross a segment boundary."""
    n = track.n_points
    if n < 2:
        return np.zeros(0, dtype=np.int64)
    ok = np.ones(n - 1, dtype=bool)
    if track.n_segments > 1:
        ok[track.segment_starts[1:] - 1] = False
    return np.flatnonzero(ok)


def _project_onto_steps(
    px: np.ndarray, py: np.ndarray, x: np.ndarray, y: np.ndarray, steps: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For paired (point, step): fraction t along the step, distance to it, signed cross product (left > 0)."""
    ax, ay = x[steps], y[steps]
    dx, dy = x[steps + 1] - ax, y[steps + 1] - ay
    len2 = dx * dx + dy * dy
    t = np.divide((px - ax) * dx + (py - ay) * dy, len2, out=np.zeros_like(len2), where=len2 > 0)
    t = np.clip(t, 0.0, 1.0)
    offset = np.hypot(px - (ax + t * dx), py - (ay + t * dy))
    cross = dx * (py - ay) - dy * (px - ax)
    return t, offset, cross


def _passages_in_run(offsets: np.ndarray) -> list[int]:
    """Positions of the separate closest approaches within one run of nearby steps."""
    best: list[int] = []
    cur = 0
    peak_since = 0.0  # highest offset since the current best
    for i in range(1, len(offsets)):
        o = offsets[i]
        if o < offsets[cur] and peak_since - offsets[cur] < PASSAGE_SEPARATION_M:
            cur, peak_since = i, 0.0
            continue
        if o > peak_since:
            peak_since = o
        if peak_since - offsets[cur] >= PASSAGE_SEPARATION_M and peak_since - o >= PASSAGE_SEPARATION_M:
            # moved away and came back: the current best is one passage, a new approach begins
            best.append(cur)
            cur, peak_since = i, 0.0
    best.append(cur)
    return best


def pois_along(
    track: Track,
    pois: Sequence[tuple[object, float, float]],
    *,
    corridor_m: float = DEFAULT_CORRIDOR_M,
    point_distance_m: np.ndarray | None = None,
) -> list[PoiPassage]:
    """Every passage of the route within ``corridor_m`` of each POI ``(id, lat, lon)``, sorted by distance."""
    if not track.n_points or not len(pois):
        return []
    import shapely

    d_cum = cumulative_distance_m(track) if point_distance_m is None else np.asarray(point_distance_m)
    x, y = to_metric(track.lat, track.lon)
    ids = [p[0] for p in pois]
    px, py = to_metric(np.array([p[1] for p in pois], dtype=float), np.array([p[2] for p in pois], dtype=float))
    steps = _steps(track)
    out: list[PoiPassage] = []
    if not len(steps):  # a single point (or only one-point segments): distance to the points themselves
        for k, pid in enumerate(ids):
            off = np.hypot(x - px[k], y - py[k])
            i = int(np.argmin(off))
            if off[i] <= corridor_m:
                out.append(PoiPassage(pid, float(d_cum[i]), float(off[i]), "right"))
        return sorted(out, key=lambda p: p.distance_m)
    coords = np.stack([np.stack([x[steps], y[steps]], axis=1), np.stack([x[steps + 1], y[steps + 1]], axis=1)], axis=1)
    lines = shapely.linestrings(coords)
    tree = shapely.STRtree(lines)
    poi_idx, step_pos = tree.query(shapely.points(px, py), predicate="dwithin", distance=corridor_m)
    order = np.lexsort((step_pos, poi_idx))
    poi_idx, step_pos = poi_idx[order], step_pos[order]
    st = steps[step_pos]
    t, offset, cross = _project_onto_steps(px[poi_idx], py[poi_idx], x, y, st)
    along = d_cum[st] + t * (d_cum[st + 1] - d_cum[st])
    # Runs: consecutive step numbers for the same POI.
    new_run = np.ones(len(st), dtype=bool)
    new_run[1:] = (poi_idx[1:] != poi_idx[:-1]) | (st[1:] != st[:-1] + 1)
    bounds = np.concatenate((np.flatnonzero(new_run), [len(st)]))
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        for j in _passages_in_run(offset[a:b]):
            k = a + j
            out.append(
                PoiPassage(
                    poi_id=ids[int(poi_idx[k])],
                    distance_m=float(along[k]),
                    offset_m=float(offset[k]),
                    side="left" if cross[k] > 0 else "right",
                )
            )
    return sorted(out, key=lambda p: (p.distance_m, str(p.poi_id)))


def snap_to_route(track: Track, lat: float, lon: float) -> tuple[float, float]:
    """(distance along the route, offset from it) of the route's closest point to (lat, lon), in metres."""
    if not track.n_points:
        raise ValueError("an empty track has no route to snap to")
    d_cum = cumulative_distance_m(track)
    x, y = to_metric(track.lat, track.lon)
    px, py = to_metric(np.array([lat]), np.array([lon]))
    steps = _steps(track)
    if not len(steps):
        off = np.hypot(x - px[0], y - py[0])
        i = int(np.argmin(off))
        return float(d_cum[i]), float(off[i])
    t, offset, _ = _project_onto_steps(px[0], py[0], x, y, steps)
    k = int(np.argmin(offset))
    i = steps[k]
    return float(d_cum[i] + t[k] * (d_cum[i + 1] - d_cum[i])), float(offset[k])


# --- places that are areas ------------------------------------------------------------------------------------------

#: A route outside an area but within this distance of its edge "runs along" it (a lakeside road 30–150 m from the
#: water, a lane along the edge of a village).
EDGE_BAND_M = 150.0
#: Outlines are measured against the route simplified to this tolerance: a metre is below what a GPS line can tell
#: apart, and buffering or intersecting a raw 5 000-vertex outline with survey noise cost 0.2-0.9 s per area (a few
#: milliseconds simplified). The stored outline stays whole.
AREA_ANALYSIS_SIMPLIFY_M = 1.0
#: Inside an area for at least this length (and at least half as long as along its edge): it passes through it.
INSIDE_MIN_M = 50.0
#: Along the edge for at least this length: the route runs along it ("around the lake"); less is passing near.
ALONG_EDGE_MIN_M = 300.0
#: The relations, from closest to loosest.
RELATIONS = ("inside", "along_edge", "near")


@dataclass(frozen=True)
class AreaPassage(PoiPassage):
    """One passage of the route by a place that is an area (offset 0 when it goes inside)."""

    relation: str = "near"  # "inside", "along_edge" or "near"
    length_m: float = 0.0  # length inside (inside) or along the edge (along_edge)


def areas_along(
    track: Track,
    areas: Sequence[tuple[object, object]],
    *,
    corridor_m: float = DEFAULT_CORRIDOR_M,
    point_distance_m: np.ndarray | None = None,
) -> list[AreaPassage]:
    """Every passage of the route within ``corridor_m`` of the edge of each area ``(id, shapely geometry in
    EPSG:32651 metres)`` (routes.analysis.areas.metric_shape), with how it passes: inside, along the edge or near."""
    steps = _steps(track)
    if not len(steps) or not len(areas):
        return []
    import shapely

    d_cum = cumulative_distance_m(track) if point_distance_m is None else np.asarray(point_distance_m)
    x, y = to_metric(track.lat, track.lon)
    coords = np.stack([np.stack([x[steps], y[steps]], axis=1), np.stack([x[steps + 1], y[steps + 1]], axis=1)], axis=1)
    lines = shapely.linestrings(coords)
    tree = shapely.STRtree(lines)
    shapes = list(shapely.simplify(np.array([a[1] for a in areas], dtype=object), AREA_ANALYSIS_SIMPLIFY_M,
                                   preserve_topology=True))
    area_idx, step_pos = tree.query(shapes, predicate="dwithin", distance=corridor_m)
    order = np.lexsort((step_pos, area_idx))
    area_idx, step_pos = area_idx[order], step_pos[order]
    out: list[AreaPassage] = []
    bands: dict[int, object] = {}  # one edge band per area, however many passages it has
    new_run = np.ones(len(step_pos), dtype=bool)
    new_run[1:] = (area_idx[1:] != area_idx[:-1]) | (steps[step_pos[1:]] != steps[step_pos[:-1]] + 1)
    bounds = np.concatenate((np.flatnonzero(new_run), [len(step_pos)]))
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        k = int(area_idx[a])
        shape = shapes[k]
        run = lines[step_pos[a:b]]
        offsets = shapely.distance(run, shape)
        inside_m = float(shapely.length(shapely.intersection(run, shape)).sum())
        if k not in bands:
            bands[k] = shapely.difference(shapely.buffer(shape, EDGE_BAND_M), shape)
        band = bands[k]
        edge_m = float(shapely.length(shapely.intersection(run, band)).sum())
        if inside_m >= max(INSIDE_MIN_M, 0.5 * edge_m):
            relation, length = "inside", inside_m
        elif edge_m >= ALONG_EDGE_MIN_M:
            relation, length = "along_edge", edge_m
        else:
            relation, length = "near", 0.0
        # Where it starts: the first step inside (or, along the edge, within the band; else the closest approach).
        reach = 0.0 if relation == "inside" else (EDGE_BAND_M if relation == "along_edge" else float(offsets.min()))
        j = int(np.flatnonzero(offsets <= reach + 1e-6)[0])
        st = steps[step_pos[a + j]]
        c = shape.centroid
        t, _, cross = _project_onto_steps(np.array([c.x]), np.array([c.y]), x, y, np.array([st]))
        nearest = shapely.line_locate_point(run[j], shapely.points(*shapely.get_coordinates(
            shapely.shortest_line(run[j], shape))[0]), normalized=True)
        frac = float(nearest) if np.isfinite(nearest) else float(t[0])
        out.append(AreaPassage(
            poi_id=areas[k][0], distance_m=float(d_cum[st] + frac * (d_cum[st + 1] - d_cum[st])),
            offset_m=float(offsets.min()), side="left" if cross[0] > 0 else "right", relation=relation,
            length_m=length,
        ))
    return sorted(out, key=lambda p: (p.distance_m, str(p.poi_id)))
