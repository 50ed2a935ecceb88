"""Folium maps of routes and POIs, drawn with self-hosted Leaflet assets and China-aware basemaps (no Streamlit)."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
import folium.plugins
import numpy as np
from branca.element import MacroElement
from folium.template import Template

from routes.analysis.grades import GRADE_BANDS
from routes.core.region import EARTH_MEAN_RADIUS_M
from routes.text.i18n import t
from routes.views.mapapproval import with_approval
from routes.views.maptouch import MapUx
from routes.views.markers import legend_kinds

#: Where Streamlit serves the repository's static/ folder (server.enableStaticServing).
STATIC_URL_PREFIX = "/app/static/"

# Every script and style sheet the map needs, served by the app itself (static/NOTICE.md lists versions). folium's
# defaults point at foreign CDNs that are often unreachable from mainland China; jQuery and Bootstrap are left out
# because nothing on these maps uses them.
ASSET_JS: tuple[tuple[str, str], ...] = (
    ("leaflet", "leaflet/leaflet.js"),
    ("awesome_markers", "awesome-markers/leaflet.awesome-markers.min.js"),
)
ASSET_CSS: tuple[tuple[str, str], ...] = (
    ("leaflet_css", "leaflet/leaflet.css"),
    ("awesome_markers_font_css", "fontawesome/css/fontawesome.min.css"),
    ("awesome_markers_solid_css", "fontawesome/css/solid.min.css"),
    ("awesome_markers_css", "awesome-markers/leaflet.awesome-markers.css"),
)
PLUGIN_ASSETS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    "Fullscreen": (
        (("Control.Fullscreen.js", "leaflet-fullscreen/Control.FullScreen.js"),),
        (("Control.FullScreen.css", "leaflet-fullscreen/Control.FullScreen.css"),),
    ),
    "LocateControl": (
        (("Control_locate_min_js", "leaflet-locatecontrol/L.Control.Locate.min.js"),),
        (("Control_locate_min_css", "leaflet-locatecontrol/L.Control.Locate.min.css"),),
    ),
    "PolyLineTextPath": ((("polylinetextpath", "leaflet-textpath/leaflet.textpath.js"),), ()),
    # The POI editor's drawing tools only (routes.views.drawing); visitors' maps never load them.
    "Draw": (
        (("leaflet_draw_js", "leaflet-draw/leaflet.draw.js"),),
        (("leaflet_draw_css", "leaflet-draw/leaflet.draw.css"),),
    ),
}


def _urls(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, STATIC_URL_PREFIX + path) for name, path in pairs]


def localise_assets(element: object) -> None:
    """Point an element's default_js/default_css at /app/static/...; refuse elements whose assets we do not host."""
    if isinstance(element, folium.Map):
        element.default_js = _urls(ASSET_JS)
        element.default_css = _urls(ASSET_CSS)
        return
    name = type(element).__name__
    if name not in PLUGIN_ASSETS:
        raise ValueError(f"{name} would load assets from a CDN; add them to static/ and PLUGIN_ASSETS first")
    js, css = PLUGIN_ASSETS[name]
    element.default_js = _urls(js)
    element.default_css = _urls(css)


def external_asset_urls(m: folium.Map) -> list[str]:
    """Every script/style URL the map (and its children) would load that is not served by the app."""
    found: list[str] = []

    def walk(el: object) -> None:
        for attr in ("default_js", "default_css"):
            for _, url in getattr(el, attr, []) or []:
                if not url.startswith(STATIC_URL_PREFIX):
                    found.append(url)
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return found


# --- basemaps -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Basemap:
    key: str
    tiles: str
    attr: str
    gcj02: bool  # tiles drawn in GCJ-02: overlays must be shifted to sit on the roads
    max_zoom: int = 18
    subdomains: str = "abc"
    overlay_tiles: str = ""  # a label layer drawn on top (Tianditu annotation)


#: Each basemap's attribution in the page's language ({zh, en}): the map's corner says it on every page.
AMAP_ATTR = {"zh": '&copy; <a href="https://www.amap.com/">高德地图 Amap</a>',
             "en": '&copy; <a href="https://www.amap.com/">Amap/Gaode</a>'}
OSM_ATTR = {"zh": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> 贡献者',
            "en": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'}
TOPO_ATTR = {lang: osm + ', SRTM | &copy; <a href="https://opentopomap.org">OpenTopoMap</a> (CC-BY-SA)'
             for lang, osm in OSM_ATTR.items()}
TIANDITU_ATTR = {"zh": '&copy; <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a>',
                 "en": '&copy; <a href="https://www.tianditu.gov.cn/">Tianditu</a>'}
_TDT = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)


def basemaps(lang: str, *, tianditu_key: str = "") -> list[Basemap]:
    """Basemaps in the order they are offered; the first is the default (China basemap in zh, OSM in en)."""
    amap_lang = "zh_cn" if lang == "zh" else "en"
    attr_lang = "zh" if lang == "zh" else "en"
    amap = Basemap(
        "amap",
        f"https://webrd0{{s}}.is.autonavi.com/appmaptile?lang={amap_lang}&size=1&scale=1&style=8&x={{x}}&y={{y}}&z={{z}}",
        with_approval(AMAP_ATTR[attr_lang], "amap", attr_lang),
        gcj02=True,
        subdomains="1234",
    )
    amap_sat = Basemap(
        "amap_sat",
        "https://webst0{s}.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}",
        with_approval(AMAP_ATTR[attr_lang], "amap_sat", attr_lang),
        gcj02=True,
        subdomains="1234",
    )
    osm = Basemap("osm", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", OSM_ATTR[attr_lang], gcj02=False,
                  max_zoom=19)
    topo = Basemap("topo", "https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png", TOPO_ATTR[attr_lang], gcj02=False,
                  max_zoom=17)
    chosen = [amap, osm] if lang == "zh" else [osm, amap]
    chosen += [amap_sat, topo]
    if tianditu_key:
        chosen.append(
            Basemap(
                "tianditu",
                _TDT.format(layer="vec", key=tianditu_key),
                with_approval(TIANDITU_ATTR[attr_lang], "tianditu", attr_lang),
                gcj02=False,  # CGCS2000, within centimetres of WGS-84
                subdomains="01234567",
                overlay_tiles=_TDT.format(layer="cva" if lang == "zh" else "eva", key=tianditu_key),
            )
        )
    return chosen


# --- what a map shows ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MapLine:
    """A line to draw. With ``grade_pct`` (one value per step, len n-1) each step is coloured by gradient."""

    key: str
    label: str
    lat: np.ndarray
    lon: np.ndarray
    grade_pct: np.ndarray | None = None
    colour: str = "#c0392b"
    href: str = ""  # the route page, linked from the line's popup
    arrows: bool = True


@dataclass(frozen=True)
class MapPoi:
    id: str
    lat: float
    lon: float
    name: str
    category: str
    text: str = ""
    photo_uri: str = ""  # a small data: URI (no external host)
    distance_m: float | None = None  # along the route, when shown on a route map
    links: tuple[tuple[str, str], ...] = ()  # (label, href) of routes passing the POI
    #: A place that is an area: its radius (m) around (lat, lon), or its outline as rings of (lat, lon) (WGS-84).
    radius_m: float | None = None
    outline: tuple[tuple[tuple[float, float], ...], ...] = ()


#: Opacity of an area's fill: the basemap (the lake's shore, the village's lanes) must stay readable under it.
EXTENT_FILL_OPACITY = 0.12
EXTENT_WEIGHT_PX = 2


def map_poi_extent(poi: object) -> dict:
    """radius_m / outline keyword arguments of MapPoi for a store POI (nothing for a point)."""
    return map_poi_extents([poi])[0]


def map_poi_extents(pois: Sequence[object]) -> list[dict]:
    """map_poi_extent of each POI of one map, the outlines simplified for drawing together (one vertex budget per
    map: routes.analysis.areas.display_areas)."""
    from routes.analysis.areas import display_areas, outline_rings

    drawn = display_areas([getattr(p, "area", None) for p in pois])
    out = []
    for poi, area in zip(pois, drawn, strict=True):
        radius = getattr(poi, "radius_m", None)
        if area:
            out.append({"outline": tuple(tuple(r) for r in outline_rings(area))})
        else:
            out.append({"radius_m": float(radius)} if radius else {})
    return out


@dataclass(frozen=True)
class MapMarker:
    """Start, finish or a kilometre marker."""

    lat: float
    lon: float
    label: str
    kind: str  # "start", "finish", "km", or a finding mark (FINDING_MARK_COLOURS)
    title: str = ""  # the tooltip and accessible name when the label is short (a number); the label when empty


@dataclass(frozen=True)
class CategoryStyle:
    icon: str  # Font Awesome 6 solid icon name
    colour: str  # an awesome-markers colour name


#: Per-category marker style; unknown categories get DEFAULT_CATEGORY_STYLE.
CATEGORY_STYLES: dict[str, CategoryStyle] = {
    "viewpoint": CategoryStyle("binoculars", "darkgreen"),
    "tea_garden": CategoryStyle("leaf", "green"),
    "lake": CategoryStyle("water", "blue"),
    "village": CategoryStyle("house", "cadetblue"),
    "culture": CategoryStyle("landmark", "purple"),
    "food": CategoryStyle("utensils", "orange"),
    "water": CategoryStyle("droplet", "lightblue"),
    "toilet": CategoryStyle("restroom", "darkblue"),
    "repair": CategoryStyle("wrench", "red"),
    "parking": CategoryStyle("square-parking", "gray"),
    "accommodation": CategoryStyle("bed", "darkpurple"),
    "hazard": CategoryStyle("triangle-exclamation", "darkred"),
    "start_finish": CategoryStyle("flag", "black"),
    "hospital": CategoryStyle("hospital", "red"),
    "clinic": CategoryStyle("house-medical", "pink"),
}
DEFAULT_CATEGORY_STYLE = CategoryStyle("location-dot", "gray")

#: Line widths in CSS pixels: a pale casing under the coloured line keeps it readable on road and satellite tiles.
LINE_WEIGHT_PX = 5
CASING_WEIGHT_PX = 9
HIGHLIGHT_WEIGHT_PX = 12
HIGHLIGHT_COLOUR = "#00e5ff"
#: Width the folium maps usually get (Streamlit's wide layout on a laptop); sets the zoom the line is first seen at,
#: and so which gradient runs are too short to show (routes.analysis.graderuns).
TYPICAL_MAP_WIDTH_PX = 800


def category_style(category: str) -> CategoryStyle:
    return CATEGORY_STYLES.get(category, DEFAULT_CATEGORY_STYLE)


def category_label(category: str, lang: str) -> str:
    from routes.text.i18n import has_key

    key = f"poi.cat.{category}"
    return t(key, lang) if has_key(key) else category


def _esc(text: object) -> str:
    """HTML-escape, and also neutralise backquote, dollar and backslash: folium puts tooltips inside JavaScript
    template literals, where ``${...}`` would run and ``\\`` would escape."""
    return html.escape(str(text), quote=True).replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def _poi_popup_html(poi: MapPoi, lang: str) -> str:
    from routes.text.i18n import fmt_km

    parts = [f"<b>{_esc(poi.name)}</b>", f"<br><small>{_esc(category_label(poi.category, lang))}</small>"]
    if poi.distance_m is not None:
        parts.append(f"<br>{_esc(t('map.poi_at_km', lang, km=fmt_km(poi.distance_m, lang)))}")
    if poi.photo_uri.startswith("data:image/"):
        parts.append(f'<br><img src="{_esc(poi.photo_uri)}" alt="{_esc(poi.name)}" style="max-width:220px;width:100%">')
    if poi.text:
        parts.append(f"<p style='margin:4px 0'>{_esc(poi.text)}</p>")
    for label, href in poi.links:
        parts.append(f'<br><a href="{_esc(href)}" target="_top">{_esc(label)}</a>')
    return "".join(parts)


# --- custom elements (inline JavaScript only; nothing is fetched) ------------------------------------------------


class _MetricScale(MacroElement):
    """The map's scale bar in metres and kilometres only (folium's own also shows miles, which no page here uses), with
    the units in the page's language: Leaflet writes "m" and "km" whatever the page, a Chinese page says 米 and 公里.
    The label is made by Leaflet 1.9's Control.Scale._updateMetric (the copy in static/leaflet), replaced here."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function() {
          var units = {{ this.units|tojson }};
          var scale = L.control.scale({imperial: false});
          scale._updateMetric = function (maxMeters) {
            var meters = this._getRoundNum(maxMeters);
            var label = meters >= 1000 ? units.km.replace('{n}', meters / 1000) : units.m.replace('{n}', meters);
            this._updateScale(this._mScale, label, meters / maxMeters);
          };
          scale.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}"""
    )

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "MetricScale"
        self.units = {"m": t("map.scale_m", lang), "km": t("map.scale_km", lang)}


class _FrameSwitch(MacroElement):
    """Shows the WGS-84 overlays on WGS-84 basemaps and their GCJ-02 copies on GCJ-02 basemaps."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }};
  var wgs = [{% for g in this.wgs %}{{ g.get_name() }}{% if not loop.last %},{% endif %}{% endfor %}];
  var gcj = [{% for g in this.gcj %}{{ g.get_name() }}{% if not loop.last %},{% endif %}{% endfor %}];
  function show(isGcj) {
    (isGcj ? wgs : gcj).forEach(function(g) { if (map.hasLayer(g)) { map.removeLayer(g); } });
    (isGcj ? gcj : wgs).forEach(function(g) { if (!map.hasLayer(g)) { map.addLayer(g); } });
  }
  map.on('baselayerchange', function(e) { show(!!e.layer.options.gcj02); });
  // A plain text prefix keeps the attribution on one line on a phone.
  if (map.attributionControl) { map.attributionControl.setPrefix('Leaflet'); }
  show({{ 'true' if this.initial_gcj else 'false' }});
})();
{% endmacro %}"""
    )

    def __init__(self, wgs: list, gcj: list, *, initial_gcj: bool) -> None:
        super().__init__()
        self._name = "FrameSwitch"
        self.wgs = wgs
        self.gcj = gcj
        self.initial_gcj = initial_gcj


class _GradeRuns(MacroElement):
    """The gradient-coloured line as one compact array of runs drawn by a short loop.

    A folium PolyLine per run repeats every Leaflet option and a tooltip for each run: on a noisy 100 000-point track
    (≈1 000 runs) that was 1.6 MB of script; as [band, coordinates] pairs it is little more than the coordinates.
    Runs are not interactive, so hovering or clicking reaches the casing line underneath (tooltip, popup).
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function() {
  var colours = {{ this.colours|tojson }};
  {{ this.runs|tojson }}.forEach(function(r) {
    L.polyline(r[1], {color: colours[r[0]], weight: {{ this.weight }}, opacity: 0.95, className: 'route-line',
                      interactive: false}).addTo({{ this._parent.get_name() }});
  });
})();
{% endmacro %}"""
    )

    def __init__(self, runs: list, *, weight: int = LINE_WEIGHT_PX) -> None:
        super().__init__()
        self._name = "GradeRuns"
        self.runs = runs
        self.colours = [b.colour for b in GRADE_BANDS]
        self.weight = weight


class _HtmlControl(MacroElement):
    """A Leaflet control holding fixed HTML (the gradient legend)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function() {
  var ctl = L.control({position: {{ this.position|tojson }}});
  ctl.onAdd = function() {
    var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
    div.innerHTML = {{ this.html|tojson }};
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  ctl.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}"""
    )

    def __init__(self, html_text: str, *, position: str = "bottomleft", css_class: str = "guide-legend") -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html = html_text
        self.position = position
        self.css_class = css_class


class _Popup(folium.Popup):
    """folium.Popup without jQuery: its stock template builds the content with ``$(...)``, and we ship no jQuery."""

    # No macro, like folium's own Popup template: Popup.render() and streamlit-folium both render it whole.
    _template = Template(
        """
var {{ this.get_name() }} = L.popup({{ this.options|tojavascript }});
{{ this.get_name() }}.setContent({{ this.content|tojson }});
{{ this._parent.get_name() }}.bindPopup({{ this.get_name() }});
"""
    )

    def __init__(self, content_html: str, *, max_width: int = 260) -> None:
        super().__init__(max_width=max_width)
        self.content = content_html


#: The pin colours of Leaflet.awesome-markers (the sprite folium.Icon draws), by the colour names CATEGORY_STYLES uses:
#: the legend's swatches must match the pins, and names such as "darkpurple" are no CSS colours.
AWESOME_MARKER_HEX = {
    "red": "#d63e2a", "darkred": "#a23336", "orange": "#f69730", "green": "#72b026", "darkgreen": "#728224",
    "blue": "#38aadd", "purple": "#d252b9", "darkpurple": "#5b396b", "cadetblue": "#436978", "lightblue": "#8adaff",
    "darkblue": "#0067a3", "gray": "#575757", "black": "#303030", "pink": "#ff91ea", "lightred": "#eb7d7f",
    "beige": "#ffcb92", "lightgreen": "#bbf970", "lightgray": "#a3a3a3", "white": "#fbfbfb",
}  # fmt: skip


#: Above this many kinds of place the legend lists them in two columns: one column of 15 kinds is taller than a
#: 400 px map and would cover its zoom buttons.
LEGEND_ONE_COLUMN_MAX_KINDS = 6


#: Colours of the marks an upload's quality findings leave on the editor's preview map and profile
#: (routes.analysis.quality.MARK_KINDS): apart from the gradient bands and from each other.
FINDING_MARK_COLOURS = {"elevation_spike": "#8e24aa", "position_spike": "#e65100", "speed_spike": "#c62828",
                        "gap": "#1565c0"}
#: Radius (CSS px) and ring width of such a mark: clear of the line (5 px) without hiding its colour.
FINDING_MARK_RADIUS_PX = 7
FINDING_MARK_WEIGHT_PX = 3


def legend_html(lang: str, *, grades: bool = True, kinds: Sequence[str] = (),
                marks: Sequence[tuple[str, str]] = ()) -> str:
    """The map's legend: the gradient colours (``grades``), the pin of each kind of place in ``kinds`` and the
    findings' marks (``marks``: (kind, label) of FINDING_MARK_COLOURS)."""
    rows = f'<b>{_esc(t("map.legend_title", lang))}</b>' + "".join(
        f'<div><span style="display:inline-block;width:18px;height:6px;background:{b.colour};'
        f'margin-right:6px;vertical-align:middle"></span>{_esc(t("grade.band." + b.key, lang))}</div>'
        for b in GRADE_BANDS
    ) if grades else ""
    keys = "".join(
        f'<div class="marker-key" data-kind="{_esc(k)}"><span style="display:inline-flex;align-items:center;'
        f'justify-content:center;width:16px;height:16px;border-radius:50%;margin-right:5px;vertical-align:middle;'
        f'color:#fff;font-size:9px;background:{AWESOME_MARKER_HEX.get(category_style(k).colour, "#575757")}">'
        f'<i class="fa fa-{_esc(category_style(k).icon)}" aria-hidden="true"></i></span>'
        f'{_esc(category_label(k, lang))}</div>'
        for k in kinds
    )
    if kinds:
        columns = 2 if len(kinds) > LEGEND_ONE_COLUMN_MAX_KINDS else 1
        rows += (f'<b class="marker-keys">{_esc(t("legend.places", lang))}</b><div style="display:grid;'
                 f'grid-template-columns:repeat({columns},auto);column-gap:10px">{keys}</div>')
    if marks:
        rows += f'<b class="finding-keys">{_esc(t("mark.legend", lang))}</b>' + "".join(
            f'<div class="finding-key" data-kind="{_esc(k)}"><span style="display:inline-block;width:10px;'
            f'height:10px;border-radius:50%;border:{FINDING_MARK_WEIGHT_PX - 1}px solid '
            f'{FINDING_MARK_COLOURS.get(k, "#333")};margin-right:6px;vertical-align:middle"></span>{_esc(label)}</div>'
            for k, label in marks)
    # Without the gradient part, or with findings in it, the fold button (routes.views.maptouch) says "map key".
    toggle = "" if grades and not marks else f' data-toggle="{_esc(t("legend.title", lang))}"'
    return (
        f'<div{toggle} style="background:rgba(255,255,255,.92);padding:4px 8px;border-radius:4px;'
        f'font:12px/1.5 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)">{rows}</div>'
    )


# --- building -----------------------------------------------------------------------------------------------------


def _to_gcj(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from routes.io.chinacoords import wgs84_to_gcj02

    glat, glon = wgs84_to_gcj02(np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64))
    return np.asarray(glat, dtype=np.float64), np.asarray(glon, dtype=np.float64)


def _runs(bands: np.ndarray) -> list[tuple[int, int]]:
    """(first_step, last_step_exclusive) of runs of equal band."""
    if len(bands) == 0:
        return []
    cuts = np.flatnonzero(np.diff(bands)) + 1
    starts = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts, [len(bands)]])
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def visible_runs(lat: np.ndarray, lon: np.ndarray, grade_pct: np.ndarray, *,
                 width_px: float = TYPICAL_MAP_WIDTH_PX) -> list:
    """Gradient runs of a line merged to what the map shows when it opens fitted to the line (routes.analysis.graderuns)."""
    from routes.analysis.graderuns import MIN_RUN_PX, fit_zoom, merge_runs, metres_per_px
    from routes.core.geo import step_distances_m

    steps = step_distances_m(np.asarray(lat, float), np.asarray(lon, float))
    span_m = max(float(np.ptp(lat)) * 111_320.0, float(np.ptp(lon)) * 111_320.0 * float(np.cos(np.radians(np.mean(lat)))))
    zoom = fit_zoom(span_m, width_px)
    return merge_runs(steps, grade_pct, min_run_m=MIN_RUN_PX * metres_per_px(zoom, float(np.mean(lat))))


def _coords(lat: np.ndarray, lon: np.ndarray) -> list[list[float]]:
    # 6 decimals is 0.1 m: finer only costs bytes (≈25 bytes per point of page).
    return np.round(np.column_stack([lat, lon]), 6).tolist()


def _add_line(group: folium.FeatureGroup, line: MapLine, lat: np.ndarray, lon: np.ndarray, lang: str) -> None:
    if len(lat) < 2:
        return
    coords = _coords(lat, lon)
    def popup() -> _Popup | None:
        if not line.href:
            return None
        return _Popup(
            f'<b>{_esc(line.label)}</b><br><a href="{_esc(line.href)}" target="_top">{_esc(t("map.open_route", lang))}</a>',
            max_width=240,
        )

    casing = folium.PolyLine(
        coords, color="#ffffff", weight=CASING_WEIGHT_PX, opacity=0.85, class_name="route-casing",
        tooltip=_esc(line.label), popup=popup(),
    )
    casing.add_to(group)
    if line.grade_pct is None:
        folium.PolyLine(
            coords, color=line.colour, weight=LINE_WEIGHT_PX, opacity=0.95, class_name="route-line",
            tooltip=_esc(line.label), popup=popup(),
        ).add_to(group)
    else:
        runs = [[r.band, coords[r.start : r.end + 1]] for r in visible_runs(lat, lon, line.grade_pct)]
        _GradeRuns(runs).add_to(group)
    if line.arrows:
        arrows = folium.plugins.PolyLineTextPath(
            casing, "   ➜   ", repeat=True, offset=4, attributes={"fill": "#333", "font-size": "12"}
        )
        localise_assets(arrows)
        arrows.add_to(group)


def _add_marker(group: folium.FeatureGroup, mk: MapMarker, lat: float, lon: float) -> None:
    if mk.kind in FINDING_MARK_COLOURS:  # a quality finding on the editor's preview
        colour = FINDING_MARK_COLOURS[mk.kind]
        folium.CircleMarker(
            [lat, lon], radius=FINDING_MARK_RADIUS_PX, color=colour, weight=FINDING_MARK_WEIGHT_PX, fill=True,
            fill_color="#ffffff", fill_opacity=0.7, class_name=f"finding-mark finding-{mk.kind}",
            tooltip=_esc(mk.title or mk.label),
        ).add_to(group)
        return
    if mk.kind == "km":
        folium.Marker(
            [lat, lon],
            icon=folium.DivIcon(
                html=f'<div class="km-marker" style="font:bold 10px sans-serif;background:#fff;border:1px solid #555;'
                f'border-radius:8px;padding:0 3px;white-space:nowrap;display:inline-block">{_esc(mk.label)}</div>',
                icon_size=(28, 14),
                icon_anchor=(14, 7),
            ),
            tooltip=_esc(mk.title or mk.label),
        ).add_to(group)
        return
    style = CategoryStyle("play", "green") if mk.kind == "start" else CategoryStyle("flag-checkered", "black")
    folium.Marker(
        [lat, lon], tooltip=_esc(mk.label), icon=folium.Icon(color=style.colour, icon=style.icon, prefix="fa")
    ).add_to(group)


def _add_extent(group: folium.FeatureGroup, poi: MapPoi, shift) -> None:  # noqa: ANN001
    """The area of a place under its marker: a circle or its outline, shifted like every other overlay."""
    colour = category_style(poi.category).colour
    style = {"color": colour, "weight": EXTENT_WEIGHT_PX, "fill": True, "fill_color": colour,
             "fill_opacity": EXTENT_FILL_OPACITY, "tooltip": _esc(poi.name)}
    if poi.outline:
        for ring in poi.outline:
            lat, lon = shift([p[0] for p in ring], [p[1] for p in ring])
            folium.Polygon(_coords(lat, lon), class_name="poi-extent", **style).add_to(group)
    elif poi.radius_m:
        lat, lon = shift([poi.lat], [poi.lon])
        folium.Circle([float(lat[0]), float(lon[0])], radius=float(poi.radius_m), class_name="poi-extent",
                      **style).add_to(group)


def _add_poi(group: folium.FeatureGroup, poi: MapPoi, lat: float, lon: float, lang: str) -> None:
    style = category_style(poi.category)
    folium.Marker(
        [lat, lon],
        tooltip=_esc(poi.name),
        popup=_Popup(_poi_popup_html(poi, lang), max_width=260),
        icon=folium.Icon(color=style.colour, icon=style.icon, prefix="fa"),
    ).add_to(group)


def build_map(
    *,
    lang: str,
    lines: Sequence[MapLine] = (),
    pois: Sequence[MapPoi] = (),
    markers: Sequence[MapMarker] = (),
    highlight: tuple[np.ndarray, np.ndarray] | None = None,
    basemap: str | None = None,
    tianditu_key: str = "",
    legend: bool = False,
    center: tuple[float, float] = (30.0, 120.85),
    region: Any = None,
    mark_legend: Sequence[tuple[str, str]] = (),
) -> folium.Map:
    """A map with the given lines, POIs and markers, served entirely from /app/static apart from tiles.

    Every overlay is drawn twice: in WGS-84 for OSM/OpenTopoMap/Tianditu and shifted to GCJ-02 for Amap; a small
    inline script shows the copy that matches the basemap the visitor picks.

    With a ``region`` (routes.core.region.Region) the map opens on the lines and POIs that lie in it (all of a line
    that enters it), or on the region itself when none does: one route far away must not zoom the map out to
    3 000 km. Everything is still drawn.
    """
    offered = basemaps(lang, tianditu_key=tianditu_key)
    if basemap:
        offered.sort(key=lambda b: b.key != basemap)  # the asked-for basemap first (stable for the rest)
    m = folium.Map(location=list(center), zoom_start=12, tiles=None, prefer_canvas=False)
    localise_assets(m)
    _MetricScale(lang).add_to(m)
    for i, b in enumerate(offered):
        folium.TileLayer(
            tiles=b.tiles, attr=b.attr, name=t(f"map.basemap.{b.key}", lang), max_zoom=b.max_zoom,
            subdomains=b.subdomains, show=i == 0, overlay=False, control=True, gcj02=b.gcj02,
        ).add_to(m)
        if b.overlay_tiles:
            folium.TileLayer(
                tiles=b.overlay_tiles, attr=b.attr, name=t("map.basemap.tianditu_labels", lang), overlay=True,
                control=True, show=False, subdomains=b.subdomains,
            ).add_to(m)

    groups = {"wgs": folium.FeatureGroup(name="wgs", control=False), "gcj": folium.FeatureGroup(name="gcj", control=False)}
    for frame, group in groups.items():
        shift = _to_gcj if frame == "gcj" else (lambda a, b: (np.asarray(a, float), np.asarray(b, float)))
        for line in lines:
            lat, lon = shift(line.lat, line.lon)
            _add_line(group, line, lat, lon, lang)
        if highlight is not None and len(highlight[0]) >= 2:
            hlat, hlon = shift(*highlight)
            folium.PolyLine(
                _coords(hlat, hlon), color=HIGHLIGHT_COLOUR, weight=HIGHLIGHT_WEIGHT_PX, opacity=0.6,
                class_name="stretch-line", tooltip=_esc(t("map.stretch", lang)),
            ).add_to(group)
        if markers:
            mlat, mlon = shift([k.lat for k in markers], [k.lon for k in markers])
            for mk, a, b in zip(markers, mlat, mlon, strict=True):
                _add_marker(group, mk, float(a), float(b))
        for poi in pois:
            if poi.outline or poi.radius_m:
                _add_extent(group, poi, shift)
        if pois:
            plat, plon = shift([p.lat for p in pois], [p.lon for p in pois])
            for poi, a, b in zip(pois, plat, plon, strict=True):
                _add_poi(group, poi, float(a), float(b), lang)
        group.add_to(m)

    _FrameSwitch([groups["wgs"]], [groups["gcj"]], initial_gcj=offered[0].gcj02).add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    full = folium.plugins.Fullscreen(
        position="topleft", title=t("map.fullscreen", lang), title_cancel=t("map.fullscreen_exit", lang)
    )
    localise_assets(full)
    full.add_to(m)
    locate = folium.plugins.LocateControl(strings={"title": t("map.locate", lang)}, flyTo=True)
    localise_assets(locate)
    locate.add_to(m)
    kinds = legend_kinds(p.category for p in pois)
    if legend or kinds or mark_legend:  # kinds of place and findings get a key even without the gradient legend
        _HtmlControl(legend_html(lang, grades=legend, kinds=kinds, marks=mark_legend)).add_to(m)
    MapUx(lang).add_to(m)  # last: it names the controls and folds the legend added above

    # Lines without points (an empty upload) add nothing to the bounds; the filter must come before min/max.
    drawn = [line for line in lines if len(line.lat) and len(line.lon)]
    framed_pois = list(pois)
    if region is not None:
        drawn = [line for line in drawn if region.contains(line.lat, line.lon)]
        framed_pois = [p for p in pois if region.contains([p.lat], [p.lon])]
    all_lat = [a for line in drawn for a in (float(np.min(line.lat)), float(np.max(line.lat)))]
    all_lon = [a for line in drawn for a in (float(np.min(line.lon)), float(np.max(line.lon)))]
    all_lat += [p.lat for p in framed_pois]
    all_lon += [p.lon for p in framed_pois]
    if not all_lat and region is not None:  # nothing in the region yet: show the region
        dlat = math.degrees(region.radius_m / EARTH_MEAN_RADIUS_M)
        dlon = dlat / max(math.cos(math.radians(region.lat)), 0.01)
        all_lat, all_lon = [region.lat - dlat, region.lat + dlat], [region.lon - dlon, region.lon + dlon]
    if all_lat:
        m.fit_bounds([[min(all_lat), min(all_lon)], [max(all_lat), max(all_lon)]], padding=(12, 12))
    return m


def map_html(m: folium.Map) -> str:
    """The whole standalone page for the map (for an iframe or a download)."""
    return m.get_root().render()


def category_legend_json(lang: str) -> str:
    """Category → (label, icon, colour) as JSON, for pages that list categories next to the map."""
    return json.dumps(
        {k: (category_label(k, lang), s.icon, s.colour) for k, s in CATEGORY_STYLES.items()}, ensure_ascii=False
    )


__all__ = [
    "ASSET_CSS",
    "ASSET_JS",
    "CATEGORY_STYLES",
    "Basemap",
    "MapLine",
    "MapMarker",
    "MapPoi",
    "map_poi_extent",
    "map_poi_extents",
    "basemaps",
    "build_map",
    "category_label",
    "category_style",
    "external_asset_urls",
    "legend_html",
    "localise_assets",
    "map_html",
]
