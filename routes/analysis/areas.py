"""Places that are areas: checking a POI's extent (a radius or a GeoJSON polygon, WGS-84), its representative point,
its size, and its shape in metres (EPSG:32651) or degrees for maps."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
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


class AreaError(ValueError):
    """An extent that cannot be used; the message (English) goes into the field error."""


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
    if sum(len(r) for poly in clean for r in poly) > AREA_MAX_VERTICES:
        raise AreaError(f"more than {AREA_MAX_VERTICES} vertices")
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
