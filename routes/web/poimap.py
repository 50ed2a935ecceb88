"""The small map of the light place page (/r/poi/<id>): the place's pin (and its outline, for an area) on the same
basemaps as the route viewer, drawn by static/light/poimap.js with the self-hosted Leaflet. No line, no profile."""

from __future__ import annotations

from routes.text.i18n import t
from routes.web.pagedata import DEFAULT_POI_COLOUR, POI_GLYPH_COLOURS, _extent, glyph, json_for_script

#: Zoom the map opens at around a point (a few streets around it); an area is fitted to its outline instead.
POI_MAP_ZOOM = 15


def poi_map_json(poi: object, lang: str) -> str:
    """The map's data as JSON safe inside a <script> element."""
    from routes.analysis.areas import display_areas
    from routes.views.maps import basemaps

    offered = [b for b in basemaps(lang) if b.key in ("amap", "amap_sat", "osm", "topo")]
    gcj = offered[0].gcj02
    offered = [b for b in offered if b.gcj02 == gcj]  # one coordinate frame per page, as on the route viewer

    def frame(lat: list[float], lon: list[float]) -> tuple[list[float], list[float]]:
        if not gcj:
            return list(lat), list(lon)
        from routes.io.chinacoords import wgs84_to_gcj02

        glat, glon = wgs84_to_gcj02(lat, lon)
        return [float(x) for x in glat], [float(x) for x in glon]

    (plat,), (plon,) = frame([float(poi.lat)], [float(poi.lon)])
    area = getattr(poi, "area", None)
    drawn = display_areas([area])[0] if area else None
    return json_for_script({
        "basemaps": [
            {"name": t(f"map.basemap.{b.key}", lang), "url": b.tiles, "sub": b.subdomains, "attr": b.attr,
             "maxZoom": b.max_zoom}
            for b in offered
        ],
        "lat": round(plat, 6),
        "lon": round(plon, 6),
        "zoom": POI_MAP_ZOOM,
        "glyph": glyph(poi.category, lang),
        "colour": POI_GLYPH_COLOURS.get(poi.category, DEFAULT_POI_COLOUR),
        **_extent(poi, frame, drawn),
        "s": {"zoomIn": t("light.zoom_in", lang), "zoomOut": t("light.zoom_out", lang),
              "layers": t("light.layers", lang)},
    })


__all__ = ["POI_MAP_ZOOM", "poi_map_json"]
