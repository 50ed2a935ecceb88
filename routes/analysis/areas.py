"""Places that are areas: checking a POI's extent (a radius or a GeoJSON polygon, WGS-84), its representative point,
its size, and its shape in metres (EPSG:32651) or degrees for maps."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

#: Largest radius of a place, metres: beyond it a "place" is a district, and a polygon says better where it is.
RADIUS_MAX_M = 5000.0
#: Most vertices of an imported outline: a village or a lake needs tens to hundreds; a cap keeps a hostile file from
#: slowing every "along the way" search.
AREA_MAX_VERTICES = 5000
#: Coordinates of an outline are kept to 7 decimals (≈ 1 cm), like every position of the guide.
AREA_DECIMALS = 7
#: Vertices of the circle drawn (and searched) for a place with a radius.
CIRCLE_SEGMENTS = 32
#: Closest zoom at which a drawn outline is still faithful: at 16 a village or a lake fills a phone's map and one CSS
#: pixel is ≈ 2.1 m at 30° N, about what the imported outlines (and the GPS line next to them) are good to.
AREA_DETAIL_ZOOM = 16
#: Largest error of a drawn outline, in CSS pixels at AREA_DETAIL_ZOOM: under a pixel no one sees the difference.
AREA_TOLERANCE_PX = 1.0
#: Most outline vertices drawn on one page, all its areas together (≈ 23 bytes each in the light viewer's JSON,
#: ≈ 90 kB): 20 detailed lakes next to one route still make a page that opens fast.
AREA_DISPLAY_VERTEX_BUDGET = 4000
#: While a page is over its budget the tolerance grows by this factor; a few steps reach any budget.
AREA_TOLERANCE_GROWTH = 1.5


class AreaError(ValueError):
    """An extent that cannot be used; the message (English) goes into the field error."""


class AreaTooDetailed(AreaError):
    """An outline with more than AREA_MAX_VERTICES vertices (the store says so in its own zh/en message)."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(f"{count} vertices, more than {limit}")
        self.count, self.limit = count, limit


def _ring(ring: Any) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 3:
        raise AreaError("a ring needs at least 3 positions")
    out = []
    for pos in ring:
        if not isinstance(pos, (list, tuple)) or len(pos) < 2:
            raise AreaError("a position must be [longitude, latitude]")
        try:
            lon, lat = float(pos[0]), float(pos[1])
        except (TypeError, ValueError):
            raise AreaError("a position must be [longitude, latitude]") from None
        if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lon) > 180 or abs(lat) > 90:
            raise AreaError("a position is outside −180…180 / −90…90")
        out.append([round(lon, AREA_DECIMALS), round(lat, AREA_DECIMALS)])
    if out[0] != out[-1]:
        out.append(list(out[0]))  # GeoJSON rings are closed; a file that forgot it is still clear
    if len(out) < 4:
        raise AreaError("a ring needs at least 3 different positions")
    return out


def normalise_area(value: Any) -> dict[str, Any] | None:
    """A GeoJSON Polygon or MultiPolygon (a geometry or a Feature, as a dict or JSON text) checked and cleaned:
    closed rings, 7 decimals, valid (no self-crossing), at most AREA_MAX_VERTICES. None/"" means no area."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise AreaError(f"not GeoJSON ({exc.msg})") from None
    if isinstance(value, Mapping) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, Mapping) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise AreaError("expected a GeoJSON Polygon or MultiPolygon")
    coords = value.get("coordinates")
    if value["type"] == "Polygon":
        polys = [coords]
    else:
        polys = coords if isinstance(coords, list) else None
    if not polys or not all(isinstance(p, list) and p for p in polys):
        raise AreaError("a polygon needs at least one ring")
    clean = [[_ring(r) for r in poly] for poly in polys]
    count = sum(len(r) for poly in clean for r in poly)
    if count > AREA_MAX_VERTICES:
        raise AreaTooDetailed(count, AREA_MAX_VERTICES)
    geo = (
        {"type": "Polygon", "coordinates": clean[0]}
        if value["type"] == "Polygon"
        else {"type": "MultiPolygon", "coordinates": clean}
    )
    import shapely

    shape = shapely.geometry.shape(geo)
    if not shape.is_valid or shape.is_empty or shape.area <= 0:
        raise AreaError("the outline crosses itself or has no area")
    return geo


def representative_point(area: Mapping[str, Any]) -> tuple[float, float]:
    """(lat, lon) of a point guaranteed inside the area (shapely's point on surface), for its marker."""
    import shapely

    p = shapely.geometry.shape(area).point_on_surface()
    return round(p.y, AREA_DECIMALS), round(p.x, AREA_DECIMALS)


def contains(area: Mapping[str, Any], lat: float, lon: float) -> bool:
    import shapely

    return bool(shapely.geometry.shape(area).covers(shapely.geometry.Point(lon, lat)))


def metric_shape(lat: float, lon: float, radius_m: float | None, area: Mapping[str, Any] | None):  # noqa: ANN201
    """The extent in EPSG:32651 metres (a shapely geometry), or None for a point."""
    import numpy as np
    import shapely

    from routes.analysis.along import to_metric

    if area:

        def project(lonlat: np.ndarray) -> np.ndarray:
            x, y = to_metric(lonlat[:, 1], lonlat[:, 0])
            return np.column_stack([x, y])

        return shapely.transform(shapely.geometry.shape(area), project)
    if radius_m:
        x, y = to_metric(np.array([lat]), np.array([lon]))
        return shapely.geometry.Point(float(x[0]), float(y[0])).buffer(float(radius_m), quad_segs=CIRCLE_SEGMENTS // 4)
    return None


def area_km2(lat: float, lon: float, radius_m: float | None, area: Mapping[str, Any] | None) -> float | None:
    shape = metric_shape(lat, lon, radius_m, area)
    return None if shape is None else float(shape.area) / 1e6


def outline_rings(area: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    """Outer rings of the area as (lat, lon) lists, for drawing."""
    polys = [area["coordinates"]] if area["type"] == "Polygon" else area["coordinates"]
    return [[(float(lat), float(lon)) for lon, lat in poly[0]] for poly in polys]


def display_areas(
    areas: Sequence[Mapping[str, Any] | None],
    *,
    zoom: float = AREA_DETAIL_ZOOM,
    budget: int = AREA_DISPLAY_VERTEX_BUDGET,
) -> list[dict[str, Any] | None]:
    """The outlines of one page's areas (GeoJSON, WGS-84; None for a place without one, kept in place) simplified
    for drawing: topology-preserving Douglas–Peucker (rings stay closed and valid, holes stay holes) to
    AREA_TOLERANCE_PX at ``zoom``, in local metres round each area; when the page would still draw more than
    ``budget`` vertices the tolerance grows by AREA_TOLERANCE_GROWTH until it fits (or nothing more can go: every
    ring keeps at least 4 positions). Only what is drawn: the stored outline, "along the way" and point-in-area keep
    the whole one."""
    import numpy as np
    import shapely

    from routes.analysis.graderuns import metres_per_px
    from routes.core.geo import WGS84_A_M

    m_per_deg = WGS84_A_M * math.pi / 180.0  # local equirectangular metres: exact inverse, scale error ≪ a pixel
    found = [i for i, a in enumerate(areas) if a]
    out: list[dict[str, Any] | None] = [None] * len(areas)
    if not found:
        return out
    shapes, tolerances_m, scales = [], [], []
    for i in found:
        area = areas[i]
        polys = [area["coordinates"]] if area["type"] == "Polygon" else area["coordinates"]
        rings = [[np.asarray(r, dtype=np.float64)[:, :2] for r in poly] for poly in polys]
        lat0 = float(np.mean([r[:, 1].mean() for poly in rings for r in poly[:1]]))
        sx = m_per_deg * math.cos(math.radians(lat0))
        scale = np.array([sx, m_per_deg])
        parts = [shapely.Polygon(poly[0] * scale, [r * scale for r in poly[1:]]) for poly in rings]
        shapes.append(parts[0] if area["type"] == "Polygon" else shapely.MultiPolygon(parts))
        tolerances_m.append(AREA_TOLERANCE_PX * metres_per_px(zoom, lat0))
        scales.append(sx)
    base_tol = np.array(tolerances_m)
    base = shapely.simplify(np.array(shapes, dtype=object), base_tol, preserve_topology=True)
    # Over budget, the larger tolerances start from the first pass (a fraction of the vertices, so each try is quick):
    # the drawn error stays under the tolerance plus the first pass's, at most twice the tolerance.
    simple, tol = base, base_tol
    # Beyond the largest area's size a bigger tolerance removes nothing more: the loop always ends.
    widest_m = max(max(s.bounds[2] - s.bounds[0], s.bounds[3] - s.bounds[1]) for s in shapes)
    while int(shapely.get_num_coordinates(simple).sum()) > budget and tol.min() <= widest_m:
        tol = tol * AREA_TOLERANCE_GROWTH
        simple = shapely.simplify(base, tol, preserve_topology=True)
    for i, geo, sx in zip(found, simple, scales, strict=True):
        back = shapely.transform(geo, lambda c, sx=sx: c / np.array([sx, m_per_deg]))
        out[i] = _rounded_geojson(shapely.geometry.mapping(back))
    return out


def _rounded_geojson(mapped: Mapping[str, Any]) -> dict[str, Any]:
    """shapely's mapping (tuples) as plain GeoJSON lists at AREA_DECIMALS, like a stored outline."""

    def ring(r: Sequence[Sequence[float]]) -> list[list[float]]:
        return [[round(float(x), AREA_DECIMALS), round(float(y), AREA_DECIMALS)] for x, y, *_ in r]

    if mapped["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in mapped["coordinates"]]}
    return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in poly] for poly in mapped["coordinates"]]}
