"""Areas drawn on the POI editor's map: the drawing toolbar (leaflet-draw, served by the app), the outline being
edited, and what the map sends back turned into an outline stored exactly like an imported one (no Streamlit).

The map is drawn on ONE basemap (routes.views.editing.editor_map); on the Chinese road map that frame is GCJ-02, so
the outline is shifted into it for editing and every vertex drawn there is converted back to WGS-84 before it is
checked and stored (routes.analysis.areas.normalise_area, the same check and vertex limit as an imported outline).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
import folium.plugins
from branca.element import MacroElement
from folium.template import Template

from routes.text.i18n import t

#: Colour of the outline being drawn or edited: the editor map's highlight (routes.views.editing.SELECTED_RING_COLOUR),
#: so the shape that will be saved reads as "the selected point's".
DRAW_COLOUR = "#00b8d4"
#: Decimals of the drawn vertices once back in WGS-84: 6 decimals is 0.1 m, finer than a mouse can place them.
DRAWN_DECIMALS = 6
#: The drawing tools offered: a place's extent is a polygon or a rectangle (a circle is the radius field already).
DRAW_SHAPES = ("polygon", "rectangle")

#: leaflet-draw's own texts (L.drawLocal) → our string keys: every word of the toolbar in the page's language.
DRAW_LOCAL_KEYS: dict[tuple[str, ...], str] = {
    ("draw", "toolbar", "actions", "title"): "draw.cancel_title",
    ("draw", "toolbar", "actions", "text"): "draw.cancel",
    ("draw", "toolbar", "finish", "title"): "draw.finish_title",
    ("draw", "toolbar", "finish", "text"): "draw.finish",
    ("draw", "toolbar", "undo", "title"): "draw.undo_title",
    ("draw", "toolbar", "undo", "text"): "draw.undo",
    ("draw", "toolbar", "buttons", "polygon"): "draw.polygon",
    ("draw", "toolbar", "buttons", "rectangle"): "draw.rectangle",
    ("draw", "handlers", "polygon", "tooltip", "start"): "draw.polygon_start",
    ("draw", "handlers", "polygon", "tooltip", "cont"): "draw.polygon_cont",
    ("draw", "handlers", "polygon", "tooltip", "end"): "draw.polygon_end",
    ("draw", "handlers", "polyline", "error"): "draw.crossing",
    ("draw", "handlers", "polyline", "tooltip", "start"): "draw.polygon_start",
    ("draw", "handlers", "polyline", "tooltip", "cont"): "draw.polygon_cont",
    ("draw", "handlers", "polyline", "tooltip", "end"): "draw.polygon_end",
    ("draw", "handlers", "rectangle", "tooltip", "start"): "draw.rectangle_start",
    ("draw", "handlers", "simpleshape", "tooltip", "end"): "draw.rectangle_end",
    ("edit", "toolbar", "actions", "save", "title"): "draw.save_title",
    ("edit", "toolbar", "actions", "save", "text"): "draw.save",
    ("edit", "toolbar", "actions", "cancel", "title"): "draw.cancel_edit_title",
    ("edit", "toolbar", "actions", "cancel", "text"): "draw.cancel",
    ("edit", "toolbar", "actions", "clearAll", "title"): "draw.clear_all_title",
    ("edit", "toolbar", "actions", "clearAll", "text"): "draw.clear_all",
    ("edit", "toolbar", "buttons", "edit"): "draw.edit",
    ("edit", "toolbar", "buttons", "editDisabled"): "draw.edit_disabled",
    ("edit", "toolbar", "buttons", "remove"): "draw.remove",
    ("edit", "toolbar", "buttons", "removeDisabled"): "draw.remove_disabled",
    ("edit", "handlers", "edit", "tooltip", "text"): "draw.edit_text",
    ("edit", "handlers", "edit", "tooltip", "subtext"): "draw.edit_subtext",
    ("edit", "handlers", "remove", "tooltip", "text"): "draw.remove_text",
}


def draw_local(lang: str) -> dict[str, Any]:
    """The nested L.drawLocal overrides in ``lang``."""
    out: dict[str, Any] = {}
    for path, key in DRAW_LOCAL_KEYS.items():
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = t(key, lang)
    return out


class _DrawLocal(MacroElement):
    """Merges our texts into L.drawLocal before the toolbar is built (leaflet-draw reads them when it is made)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function() {
  function merge(into, from) {
    for (var k in from) {
      if (typeof from[k] === 'object') { into[k] = into[k] || {}; merge(into[k], from[k]); } else { into[k] = from[k]; }
    }
  }
  if (window.L && L.drawLocal) { merge(L.drawLocal, {{ this.local|tojson }}); }
})();
{% endmacro %}"""
    )

    def __init__(self, local: Mapping[str, Any]) -> None:
        super().__init__()
        self._name = "DrawLocal"
        self.local = dict(local)


def add_draw_tools(m: folium.Map, *, lang: str, area: Mapping[str, Any] | None, to_frame: Any) -> None:
    """The polygon and rectangle tools and the edit/delete tools on ``m``, the current outline (WGS-84) loaded for
    editing; ``to_frame(lat, lon) -> [lat, lon]`` puts a WGS-84 position into the map's basemap frame."""
    from routes.views.maps import localise_assets

    group = folium.FeatureGroup(name="drawn-area", control=False)
    for rings in area_polygons(area) if area else []:
        folium.Polygon([[to_frame(lat, lon) for lat, lon in ring] for ring in rings], color=DRAW_COLOUR, weight=3,
                       fill=True, fill_opacity=0.15, class_name="poi-drawn-area").add_to(group)
    group.add_to(m)
    _DrawLocal(draw_local(lang)).add_to(m)
    shape = {"shapeOptions": {"color": DRAW_COLOUR, "weight": 3}, "showArea": False}
    draw = folium.plugins.Draw(
        # Top right: the top left holds zoom, full screen and locate, and the legend grows up from the bottom left.
        feature_group=group, position="topright", show_geometry_on_click=False,
        draw_options={"polyline": False, "circle": False, "marker": False, "circlemarker": False,
                      "polygon": {**shape, "allowIntersection": False}, "rectangle": shape},
        edit_options={"poly": {"allowIntersection": False}},
    )
    localise_assets(draw)
    draw.add_to(m)


def area_polygons(area: Mapping[str, Any]) -> list[list[list[tuple[float, float]]]]:
    """Every polygon of an outline, each as its rings (outer first, then holes) of (lat, lon): holes are edited and
    kept too (routes.analysis.areas.outline_rings gives outer rings only, for drawing)."""
    polys = [area["coordinates"]] if area["type"] == "Polygon" else area["coordinates"]
    return [[[(float(lat), float(lon)) for lon, lat, *_ in ring] for ring in poly] for poly in polys]


def drawn_area(features: Sequence[Mapping[str, Any]] | None, *, to_wgs84: Any) -> dict[str, Any] | None:
    """The outline the editor drew: streamlit-folium's ``all_drawings`` (GeoJSON features in the basemap's frame)
    as one GeoJSON geometry in WGS-84 -- a Polygon, or a MultiPolygon for several shapes -- or None when every shape
    was deleted. Not checked here: the store checks it like an imported outline (and says what is wrong).

    ``to_wgs84(lat, lon) -> (lat, lon)`` converts a position of the basemap's frame back to WGS-84.
    """
    polys = []
    for feature in features or ():
        geom = feature.get("geometry") if isinstance(feature, Mapping) else None
        if not isinstance(geom, Mapping):
            continue
        parts = [geom.get("coordinates")] if geom.get("type") == "Polygon" else (
            geom.get("coordinates") if geom.get("type") == "MultiPolygon" else [])
        for rings in parts or []:
            polys.append([[_back(pos, to_wgs84) for pos in ring] for ring in rings])
    if not polys:
        return None
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


def _back(pos: Sequence[float], to_wgs84: Any) -> list[float]:
    lat, lon = to_wgs84(float(pos[1]), float(pos[0]))
    return [round(lon, DRAWN_DECIMALS), round(lat, DRAWN_DECIMALS)]


def same_outline(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None, *, tolerance_deg: float = 2e-6) -> bool:
    """True when two outlines have the same shape and vertices within ``tolerance_deg`` (≈ 0.2 m): a GCJ-02 round
    trip of an untouched outline is not a change."""
    if not a or not b:
        return not a and not b
    if a.get("type") != b.get("type"):
        return False

    def flat(g: Mapping[str, Any]) -> list[list[float]]:
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        return [pos for poly in polys for ring in poly for pos in ring]

    pa, pb = flat(a), flat(b)
    return len(pa) == len(pb) and all(abs(x[0] - y[0]) <= tolerance_deg and abs(x[1] - y[1]) <= tolerance_deg
                                      for x, y in zip(pa, pb, strict=True))

