"""Exports for devices and GIS users: a route as GPX with the POIs along it, POIs as GeoJSON, everything as GeoPackage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from routes.core.model import Track, Waypoint
from routes.core.textsafety import neutralise_row
from routes.store.api import Store
from routes.store.records import PoiInfo

#: POIs within this distance of the line are written into a route's GPX as waypoints (same corridor the guide uses).
ALONG_CORRIDOR_M = 200.0
#: Garmin/Basecamp symbol names per category, so devices draw a fitting icon.
GARMIN_SYMBOLS = {
    "viewpoint": "Scenic Area", "tea_garden": "Park", "lake": "Swimming Area", "village": "City (Small)",
    "culture": "Museum", "food": "Restaurant", "water": "Drinking Water", "toilet": "Restroom",
    "repair": "Bike Trail", "parking": "Parking Area", "accommodation": "Lodging", "hazard": "Danger Area",
    "start_finish": "Flag, Blue",
    "hospital": "Medical Facility", "clinic": "Medical Facility",
}
ILLUSTRATIVE_NOTE = "示意数据，非实测 / illustrative data, not surveyed"


def _poi_fields(p: PoiInfo) -> dict[str, Any]:
    return {
        "id": p.id, "name_zh": p.name_zh, "name_en": p.name_en, "desc_zh": p.desc_zh, "desc_en": p.desc_en,
        "category": p.category, "photo_id": p.photo_id, "hours": p.hours, "hours_en": p.hours_en,
        "phone": p.phone, "url": p.url,
        "status": p.status, "illustrative": p.illustrative, "version": p.version,
        "updated_at": p.updated_at.isoformat(), "updated_by": p.updated_by, "radius_m": p.radius_m,
    }


def pois_geojson(store: Store, *, status: str | None = None) -> dict[str, Any]:
    """All POIs not deleted as a GeoJSON FeatureCollection (WGS-84, [lon, lat]). A place with an outline is a
    Polygon/MultiPolygon feature whose ``lat``/``lon`` properties keep its marker; the import reads both back."""
    features = []
    for p in store.list_pois(status=status):
        props = neutralise_row(_poi_fields(p))  # opened in spreadsheets: no text may run as a formula
        geometry: dict[str, Any] = {"type": "Point", "coordinates": [p.lon, p.lat]}
        if p.area:
            geometry = dict(p.area)
            props.update({"lat": p.lat, "lon": p.lon})
        features.append({"type": "Feature", "id": p.id, "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def route_track(store: Store, slug: str) -> Track:
    from routes.io.gpxio import read_gpx

    return read_gpx(store.get_route_gpx(slug))


def _pois_near(track: Track, pois: list[PoiInfo], corridor_m: float) -> list[PoiInfo]:
    try:
        from routes.analysis.along import pois_along
    except ImportError:  # pragma: no cover - routes.analysis.along ships with the analysis package
        return _pois_near_simple(track, pois, corridor_m)
    passages = pois_along(track, [(p.id, p.lat, p.lon) for p in pois], corridor_m=corridor_m)
    order: dict[str, float] = {}
    for ps in passages:
        order.setdefault(str(ps.poi_id), ps.distance_m)
    by_id = {p.id: p for p in pois}
    return [by_id[i] for i, _ in sorted(order.items(), key=lambda kv: kv[1])]


def _pois_near_simple(track: Track, pois: list[PoiInfo], corridor_m: float) -> list[PoiInfo]:
    import numpy as np

    from routes.core.geo import geodesic_m

    out = []
    for p in pois:
        d = geodesic_m(np.full(track.n_points, p.lat), np.full(track.n_points, p.lon), track.lat, track.lon)
        if d.min() <= corridor_m:
            out.append(p)
    return out


def route_gpx_with_pois(store: Store, slug: str, *, corridor_m: float = ALONG_CORRIDOR_M,
                        lang: str = "zh") -> bytes:
    """The route's current track plus the published POIs along it as waypoints, as GPX 1.1."""
    from routes.io.gpxio import write_gpx
    from routes.store.errors import StoreError

    info = store.get_route(slug)
    if info is None:
        raise StoreError("route_not_found", slug=slug)
    track = route_track(store, slug)
    near = _pois_near(track, store.list_pois(status="published"), corridor_m)
    waypoints = [
        Waypoint(lat=p.lat, lon=p.lon, name=f"{p.name_zh} {p.name_en}" if p.name_zh != p.name_en else p.name_zh,
                 desc=(p.desc_zh if lang == "zh" else p.desc_en), sym=GARMIN_SYMBOLS.get(p.category, ""),
                 type=p.category)
        for p in near
    ]
    desc = f"{info.desc_zh}\n{info.desc_en}".strip()
    if info.illustrative:
        desc = f"{ILLUSTRATIVE_NOTE}\n{desc}"
    named = Track(lat=track.lat, lon=track.lon, ele_m=track.ele_m, time_s=track.time_s,
                  segment_starts=track.segment_starts, name=f"{info.name_zh} {info.name_en}", desc=desc,
                  source=track.source)
    return write_gpx(named, waypoints=waypoints)


def write_gpkg(store: Store, out: str | Path, *, status: str | None = None) -> dict[str, int]:
    """A GeoPackage with layers ``routes`` (current track of each route) and ``pois``, in EPSG:4326."""
    import geopandas as gpd
    from shapely.geometry import LineString, MultiLineString, Point

    route_rows, geoms = [], []
    for r in store.list_routes(status=status):
        track = route_track(store, r.slug)
        bounds = list(track.segment_starts) + [track.n_points]
        lines = [LineString(list(zip(track.lon[a:b], track.lat[a:b], strict=True))) for a, b in zip(bounds[:-1], bounds[1:], strict=True)
                 if b - a >= 2]
        if not lines:
            continue
        geoms.append(lines[0] if len(lines) == 1 else MultiLineString(lines))
        route_rows.append({
            "slug": r.slug, "name_zh": r.name_zh, "name_en": r.name_en, "desc_zh": r.desc_zh, "desc_en": r.desc_en,
            "difficulty": r.difficulty, "surface": r.surface, "tags": ",".join(r.tags), "season": r.season,
            "status": r.status, "illustrative": r.illustrative, "revision_id": r.revision_id, "sha256": r.sha256,
            "version": r.version, "updated_at": r.updated_at.isoformat(), "updated_by": r.updated_by,
        })
    pois = store.list_pois(status=status)
    out = Path(out)
    if out.exists():
        out.unlink()  # a GeoPackage is a database: writing layers into an old one would mix contents
    # Attribute tables end up in spreadsheets (QGIS "export as CSV/XLSX"): no text may run as a formula.
    routes_gdf = gpd.GeoDataFrame([neutralise_row(r) for r in route_rows], geometry=geoms, crs="EPSG:4326")
    # Markers stay points (one geometry type per layer); an outline goes along as GeoJSON text.
    import json

    pois_gdf = gpd.GeoDataFrame(
        [neutralise_row({**_poi_fields(p), "area": json.dumps(p.area) if p.area else None}) for p in pois],
        geometry=[Point(p.lon, p.lat) for p in pois], crs="EPSG:4326",
    )
    routes_gdf.to_file(out, layer="routes", driver="GPKG")
    pois_gdf.to_file(out, layer="pois", driver="GPKG")
    return {"routes": len(routes_gdf), "pois": len(pois_gdf)}
