"""What the light public pages show: facts, tables, the profile SVG and the viewer's data, in one language."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

import numpy as np

from routes.text.i18n import fmt_duration, fmt_km, fmt_m, fmt_pct, pick, shorten, t
from routes.views import guide
from routes.views.descentfacts import descent_facts
from routes.views.routefacts import FactsView, facts_view, viewer_stretches

#: Coordinates go to the viewer as integer steps of this many degrees (≈1.1 m): a third of the bytes of decimals.
COORD_SCALE = 1e5
#: Description length in Open Graph / meta description (chat previews cut around here).
META_DESC_CHARS = 150
#: POI marker colour and a one-character glyph per category: no icon font to download (Font Awesome is 150 kB).
POI_GLYPH_COLOURS: dict[str, str] = {
    "viewpoint": "#1b5e20",
    "tea_garden": "#2e7d32",
    "lake": "#1565c0",
    "village": "#37474f",
    "culture": "#6a1b9a",
    "food": "#bf360c",
    "water": "#0277bd",
    "toilet": "#283593",
    "repair": "#b71c1c",
    "parking": "#455a64",
    "accommodation": "#4a148c",
    "hazard": "#b71c1c",
    "start_finish": "#212121",
    "hospital": "#c62828",
    "clinic": "#ad1457",
}
DEFAULT_POI_COLOUR = "#424242"
#: Kinds of place a rider looks out for while riding ("follow me" panel of static/light/ride.js: the next of each).
RIDE_POI_KINDS = ("water", "toilet", "food", "viewpoint")
#: The ride-time estimates reach the page as the time every this many metres along the line: the time to go is shown
#: to the minute, and the estimated speed hardly changes over 250 m (≈50 small numbers per rider on 12.6 km).
RIDE_TIME_STEP_M = 250


#: A fact whose value is longer than this (the longest descent: length, drop, grade and where) spans two columns of
#: the facts grid: in one 140 px column it wraps to five lines and stretches its whole row.
WIDE_FACT_CHARS = 16


@dataclass(frozen=True)
class Fact:
    label: str
    value: str

    @property
    def wide(self) -> bool:
        return len(self.value) > WIDE_FACT_CHARS


@dataclass(frozen=True)
class AlongRow:
    km: str
    name: str
    category: str
    offset: str
    poi_id: str
    #: How the route passes a place that is an area ("around the lake", "through the village"); "" for a point.
    how: str = ""


@dataclass
class RoutePage:
    """Everything the route template needs (already in the visitor's language; the template escapes it)."""

    slug: str
    lang: str
    name: str
    desc: str
    meta_desc: str
    illustrative: bool
    facts: list[Fact]
    climbs: list[tuple[str, str, str, str]]
    along: list[AlongRow]
    times: list[tuple[str, str, str]]
    profile_svg: str
    profile_summary: str
    viewer_json: str
    warnings: list[str] = field(default_factory=list)
    #: (mark, colour, kind name) of the kinds of place on the map: the marker legend under it.
    markers: list[tuple[str, str, str]] = field(default_factory=list)
    #: The editors' route facts in the page's language: getting there, season, last check, the road by km.
    road: FactsView = field(default_factory=FactsView)


def glyph(category: str, lang: str) -> str:
    """The mark in a kind's map pin: 观, 茶, 湖 … in Chinese, V, T, L, WC … in English, distinct per kind."""
    from routes.views.markers import marker_glyph

    return marker_glyph(category, lang)


def poi_href(poi_id: str, route_slug: str, lang: str) -> str:
    """A place's light page opened from a route: ``from`` lets its "←" lead back to that route."""
    query = {"from": route_slug, **({"lang": "en"} if lang == "en" else {})}
    return f"/r/poi/{quote(poi_id)}?" + "&".join(f"{k}={quote(v)}" for k, v in query.items())


def marker_legend(categories: Sequence[str], lang: str) -> list[tuple[str, str, str]]:
    """(mark, pin colour, kind name) of each kind of place on the map, once each: the legend under the viewer."""
    from routes.views.maps import category_label
    from routes.views.markers import legend_kinds

    return [
        (glyph(k, lang), POI_GLYPH_COLOURS.get(k, DEFAULT_POI_COLOUR), category_label(k, lang))
        for k in legend_kinds(categories)
    ]


def route_facts(info: object, ra: guide.RouteAnalysis, lang: str) -> list[Fact]:
    an = ra.analysis
    riders = guide.rider_profiles()
    first = ra.estimates[0][1] if ra.estimates else None
    return [
        Fact(t("fact.distance", lang), fmt_km(an.distance_m, lang)),
        Fact(t("fact.ascent", lang), fmt_m(an.ascent_m, lang)),
        Fact(t("fact.descent", lang), fmt_m(an.descent_m, lang)),
        Fact(t("fact.highest", lang), fmt_m(an.max_ele_m, lang)),
        Fact(t("fact.steepest", lang), fmt_pct(an.max_grade_100m_pct)),
        *(Fact(label, value) for label, value in descent_facts(an, lang)),
        Fact(t("fact.difficulty", lang), guide.difficulty_label(info.difficulty, lang)),
        Fact(t("fact.surface", lang), guide.surface_label(info.surface, lang)),
        Fact(
            t("fact.time", lang) + (f" · {guide.rider_name(riders[0], lang)}" if riders else ""),
            fmt_duration(first.total_s if first else None, lang),
        ),
    ]


def route_meta_desc(info: object, ra: guide.RouteAnalysis, lang: str) -> str:
    an = ra.analysis
    text = t(
        "light.route_desc",
        lang,
        name=pick(info.name_zh, info.name_en, lang),
        distance=fmt_km(an.distance_m, lang),
        ascent=fmt_m(an.ascent_m, lang),
        desc=pick(info.desc_zh, info.desc_en, lang),
    )
    return shorten(text, META_DESC_CHARS)


def _climb_short(c: object, lang: str) -> str:
    return t(f"climb.cat.{c.category}", lang) if c.category else t("climb.cat.none", lang)


def profile_summary(name: str, ra: guide.RouteAnalysis, along: Sequence[guide.Passage], lang: str) -> str:
    """The profile in words: the SVG's <desc> and the paragraph under it (read by screen readers and search)."""
    an = ra.analysis
    parts = [
        t(
            "light.profile_summary",
            lang,
            distance=fmt_km(an.distance_m, lang),
            low=fmt_m(an.min_ele_m, lang),
            high=fmt_m(an.max_ele_m, lang),
            ascent=fmt_m(an.ascent_m, lang),
            descent=fmt_m(an.descent_m, lang),
        )
    ]
    if an.climbs:
        sep = "；" if lang == "zh" else "; "
        items = [
            t(
                "light.profile_climb_item",
                lang,
                a=f"{c.start_m / 1000:.1f}",
                b=f"{c.end_m / 1000:.1f}",
                label=guide.climb_label(c, lang),
            )
            for c in an.climbs
        ]
        parts.append(t("light.profile_climbs", lang, climbs=sep.join(items)))
    if along:
        sep = "、" if lang == "zh" else ", "
        items = [
            t(
                "light.profile_poi_item",
                lang,
                km=f"{p.distance_m / 1000:.1f}",
                name=pick(p.poi.name_zh, p.poi.name_en, lang),
            )
            for p in guide.first_passages(along)
        ]
        parts.append(t("light.profile_pois", lang, pois=sep.join(items)))
    return ("" if lang == "zh" else " ").join(parts)


def profile_svg(name: str, ra: guide.RouteAnalysis, along: Sequence[guide.Passage], lang: str, summary: str,
                road: FactsView | None = None) -> str:
    from routes.views.svgprofile import SvgClimb, SvgPoi, SvgSurface, SvgWarning, build_profile_svg

    rows = road.rows if road else ()

    return build_profile_svg(
        ra.profile_distance_m,
        ra.profile_ele_m,
        ra.profile_grade_pct,
        title=t("light.profile_title", lang, name=name),
        desc=summary,
        climbs=[SvgClimb(c.start_m, c.end_m, _climb_short(c, lang)) for c in ra.analysis.climbs],
        pois=[SvgPoi(p.distance_m, pick(p.poi.name_zh, p.poi.name_en, lang), p.poi.id) for p in along],
        km_unit=t("col.km", lang),
        m_unit="米" if lang == "zh" else "m",
        surfaces=[SvgSurface(r.from_km * 1000, r.to_km * 1000, r.surface, r.surface_colour, f"{r.km} {r.surface_label}")
                  for r in rows if r.surface],
        warnings=[SvgWarning(r.from_km * 1000, r.to_km * 1000, r.kind, f"{r.kind_label} · {r.km}: {r.warning}")
                  for r in rows if r.kind],
    )


def _deltas(values: np.ndarray) -> list[int]:
    ints = np.round(np.asarray(values, dtype=np.float64) * COORD_SCALE).astype(np.int64)
    return np.concatenate([ints[:1], np.diff(ints)]).tolist()


def _extent(poi: object, frame, area: dict | None) -> dict:  # noqa: ANN001
    """A place that is an area, for the viewer: the rings (in the page's frame) of ``area``, its outline as drawn
    (routes.analysis.areas.display_areas), or its radius in metres."""
    if area:
        from routes.analysis.areas import outline_rings

        rings = []
        for ring in outline_rings(area):
            rlat, rlon = frame([a for a, _ in ring], [b for _, b in ring])
            rings.append([[round(float(a), 6), round(float(b), 6)] for a, b in zip(rlat, rlon, strict=True)])
        return {"rings": rings}
    radius = getattr(poi, "radius_m", None)
    return {"radius": round(float(radius), 1)} if radius else {}


def viewer_data(
    info: object,
    ra: guide.RouteAnalysis,
    along: Sequence[guide.Passage],
    lang: str,
    stretch_m: tuple[float, float] | None = None,
) -> dict:
    """The map line, profile arrays, merged gradient runs per zoom, markers and POIs for static/light/viewer.js.

    Coordinates are in the frame of the basemaps offered in ``lang``: GCJ-02 for the Chinese (Amap) basemaps, WGS-84
    for OpenStreetMap/OpenTopoMap, so the line sits on the roads drawn by the tiles.
    """
    from routes.analysis.areas import display_areas
    from routes.analysis.graderuns import runs_for_zooms
    from routes.analysis.grades import GRADE_BANDS
    from routes.views.maps import basemaps, category_label

    offered = [b for b in basemaps(lang) if b.key in ("amap", "amap_sat", "osm", "topo")]
    gcj = offered[0].gcj02
    offered = [b for b in offered if b.gcj02 == gcj]  # one frame per page: no second copy of every coordinate

    def frame(lat: object, lon: object) -> tuple[np.ndarray, np.ndarray]:
        lat = np.asarray(lat, dtype=np.float64)
        lon = np.asarray(lon, dtype=np.float64)
        if not gcj:
            return lat, lon
        from routes.io.chinacoords import wgs84_to_gcj02

        glat, glon = wgs84_to_gcj02(lat, lon)
        return np.asarray(glat, dtype=np.float64), np.asarray(glon, dtype=np.float64)

    lat, lon = frame(ra.map_lat, ra.map_lon)
    runs = runs_for_zooms(ra.map_distance_m, ra.map_step_grade_pct, lat_deg=float(np.mean(ra.map_lat)))
    tr = ra.track
    ends_lat, ends_lon = frame([tr.lat[0], tr.lat[-1]], [tr.lon[0], tr.lon[-1]])
    km_lat, km_lon = frame([m[1] for m in ra.km_markers], [m[2] for m in ra.km_markers])
    pois = []
    shown = guide.first_passages(along)
    # Simplified together: the page's vertex budget is shared by all its areas.
    drawn = display_areas([getattr(ps.poi, "area", None) for ps in shown])
    for ps, area in zip(shown, drawn, strict=True):
        p = ps.poi
        plat, plon = frame([p.lat], [p.lon])
        pois.append(
            {
                "id": p.id,
                "k": p.category,
                "name": pick(p.name_zh, p.name_en, lang),
                "cat": category_label(p.category, lang),
                "glyph": glyph(p.category, lang),
                "colour": POI_GLYPH_COLOURS.get(p.category, DEFAULT_POI_COLOUR),
                "km": round(ps.distance_m / 1000, 1),
                "lat": round(float(plat[0]), 6),
                "lon": round(float(plon[0]), 6),
                "url": poi_href(p.id, info.slug, lang),
                **_extent(p, frame, area),
            }
        )
    return {
        "lang": lang,
        "basemaps": [
            {
                "name": t(f"map.basemap.{b.key}", lang),
                "url": b.tiles,
                "sub": b.subdomains,
                "attr": b.attr,
                "maxZoom": b.max_zoom,
            }
            for b in offered
        ],
        "lat": _deltas(lat),
        "lon": _deltas(lon),
        "scale": COORD_SCALE,
        "d": np.round(ra.map_distance_m).astype(np.int64).tolist(),
        "runs": {str(z): [[r.start, r.band] for r in rs] for z, rs in runs.items()},
        "colours": [b.colour for b in GRADE_BANDS],
        "bands": [t(f"grade.band.{b.key}", lang) for b in GRADE_BANDS],
        "prof": {
            "d": np.round(ra.profile_distance_m).astype(np.int64).tolist(),
            "e": np.round(np.nan_to_num(ra.profile_ele_m) * 10).astype(np.int64).tolist(),
            "g": np.round(np.nan_to_num(ra.profile_grade_pct) * 10).astype(np.int64).tolist(),
        },
        "km": [
            [float(k), round(float(a), 6), round(float(b), 6)]
            for (k, _, _), a, b in zip(ra.km_markers, km_lat, km_lon, strict=True)
        ],
        "ends": [
            [round(float(ends_lat[0]), 6), round(float(ends_lon[0]), 6)],
            [round(float(ends_lat[1]), 6), round(float(ends_lon[1]), 6)],
        ],
        "pois": pois,
        "stretch": [round(stretch_m[0]), round(stretch_m[1])] if stretch_m else None,
        # Each warning's stretch [from_m, to_m], in the order of the page's list (static/light/viewer.js).
        "warn": viewer_stretches(info.facts),
        "ride": ride_data(ra, along, [p["id"] for p in pois], lang, gcj=gcj),
        "s": {
            "legend": t("map.legend_title", lang),
            "legendButton": t("light.legend_button", lang),
            "start": t("map.start", lang),
            "finish": t("map.finish", lang),
            "cursor": t("light.cursor", lang, km="{km}", ele="{ele}", grade="{grade}"),
            "activate": t("light.map_activate", lang),
            "twoFingers": t("light.map_two_fingers", lang),
            "done": t("light.map_done", lang), "zoomIn": t("light.zoom_in", lang),
            "zoomOut": t("light.zoom_out", lang), "layers": t("light.layers", lang),
            "atKm": t("map.poi_at_km", lang, km="{km}"),
            "kmUnit": "公里" if lang == "zh" else "km",
            **ride_strings(lang),
        },
    }


# --- follow me (static/light/ride.js) --------------------------------------------------------------------------------


def ride_data(ra: guide.RouteAnalysis, along: Sequence[guide.Passage], poi_ids: Sequence[str], lang: str, *,
              gcj: bool) -> dict:
    """What static/light/ride.js needs to follow a rider along the line, compactly: whether the line is in GCJ-02
    (the phone's WGS-84 fix is converted in the browser; the position never leaves the phone), each rider profile's
    elapsed time every RIDE_TIME_STEP_M metres in whole seconds as differences, the climbs (start, length in metres,
    average grade in tenths of a percent) and every passage of the places of RIDE_POI_KINDS as [index into the
    viewer's "pois", metres along] (a loop passing a tap twice lists it twice)."""
    from routes.views.maps import category_label

    total = ra.distance_m
    at = np.append(np.arange(0.0, total, RIDE_TIME_STEP_M), total)
    names = {r.key: guide.rider_name(r, lang) for r in guide.rider_profiles()}
    riders, times = [], []
    for key, est in ra.estimates:
        secs = np.round(np.asarray(est.time_at(at), dtype=np.float64)).astype(np.int64)
        riders.append(names.get(key, key))
        times.append(np.concatenate([secs[:1], np.diff(secs)]).tolist())
    index = {pid: i for i, pid in enumerate(poi_ids)}
    return {
        "gcj": int(gcj),
        "step": RIDE_TIME_STEP_M,
        "end": round(total),
        "riders": riders,
        "t": times,
        "climbs": [[round(c.start_m), round(c.length_m), round(c.avg_grade_pct * 10)] for c in ra.analysis.climbs],
        "kinds": [[k, category_label(k, lang)] for k in RIDE_POI_KINDS],
        "next": [
            [index[ps.poi.id], round(ps.distance_m)]
            for ps in along
            if ps.poi.category in RIDE_POI_KINDS and ps.poi.id in index
        ],
    }


#: Keys of routes/text/light.py the follow-me panel fills in the browser, by their name in the viewer's "s".
RIDE_STRING_KEYS = {
    "rideStart": "light.ride_start",
    "rideStop": "light.ride_stop",
    "rideWaiting": "light.ride_waiting",
    "rideDenied": "light.ride_denied",
    "rideNoFix": "light.ride_no_fix",
    "rideAccuracy": "light.ride_accuracy",
    "rideAhead": "light.ride_ahead",
    "rideNone": "light.ride_none",
    "rideClimbAhead": "light.ride_climb_ahead",
    "rideClimbOn": "light.ride_climb_on",
    "rideOnRoute": "light.ride_on_route",
    "rideOff": "light.ride_off_back",
    "rideDirs": "light.ride_dirs",
    "durH": "light.ride_dur_h",
    "durM": "light.ride_dur_m",
    "mUnit": "light.ride_m_unit",
}


def ride_strings(lang: str) -> dict[str, str]:
    """The follow-me panel's words in ``lang``, placeholders ({km}, {dist} …) left for ride.js to fill (t() without
    parameters returns the template as written)."""
    return {name: t(key, lang) for name, key in RIDE_STRING_KEYS.items()}


def json_for_script(data: object) -> str:
    """JSON safe inside <script type="application/json">: no "</script>", "<!--" or "&" can end or bend it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def route_page(
    info: object,
    ra: guide.RouteAnalysis,
    pois: Sequence[object],
    lang: str,
    *,
    stretch_m: tuple[float, float] | None = None,
) -> RoutePage:
    from routes.views.maps import category_label

    along = guide.passages(ra, pois)
    an = ra.analysis
    name = pick(info.name_zh, info.name_en, lang)
    summary = profile_summary(name, ra, along, lang)
    est = dict(ra.estimates)
    road = facts_view(info.facts, lang)
    return RoutePage(
        slug=info.slug,
        lang=lang,
        name=name,
        desc=pick(info.desc_zh, info.desc_en, lang),
        meta_desc=route_meta_desc(info, ra, lang),
        illustrative=bool(info.illustrative) or any(p.poi.illustrative for p in along),
        facts=route_facts(info, ra, lang),
        climbs=[
            (
                _climb_short(c, lang),
                f"{c.start_m / 1000:.1f}",
                f"{fmt_km(c.length_m, lang, digits=2)} · +{fmt_m(c.gain_m, lang)}",
                f"{fmt_pct(c.avg_grade_pct)} / {fmt_pct(c.max_grade_pct)}",
            )
            for c in an.climbs
        ],
        along=[
            AlongRow(
                f"{p.distance_m / 1000:.1f}",
                pick(p.poi.name_zh, p.poi.name_en, lang),
                category_label(p.poi.category, lang),
                fmt_m(p.offset_m, lang),
                p.poi.id,
                guide.passage_label(p, lang),
            )
            for p in guide.first_passages(along)  # each place once: a loop's start or an area entered twice
        ],
        times=[
            (guide.rider_name(r, lang), fmt_duration(est[r.key].moving_s, lang), fmt_duration(est[r.key].total_s, lang))
            for r in guide.rider_profiles()
            if r.key in est
        ],
        profile_svg=profile_svg(name, ra, along, lang, summary, road),
        profile_summary=summary,
        viewer_json=json_for_script(viewer_data(info, ra, along, lang, stretch_m)),
        warnings=guide.analysis_notes(an, lang, track_warnings=ra.track.warnings),
        markers=marker_legend([ps.poi.category for ps in guide.first_passages(along)], lang),
        road=road,
    )
