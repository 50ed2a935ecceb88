"""What the cyclists' pages show, computed from the store and the analysis and cached by GPX sha256 (no Streamlit)."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from routes.i18n import fmt_km, fmt_pct, pick, t
from routes.model import Track, Waypoint

#: A POI within this distance of the line counts as "along the way": a short detour on a bike.
ALONG_CORRIDOR_M = 200.0
#: Points of the line drawn on a map: enough to follow every bend at zoom 15, ≈25 bytes each in the page.
MAP_POINT_BUDGET = 2500
#: Points of the line on the overview map of all routes (zoomed out: fewer bends matter).
OVERVIEW_POINT_BUDGET = 400
#: Points of the elevation profile: more than a phone or laptop chart has pixels across.
PROFILE_POINT_BUDGET = 1500
#: Points of the TCX course: bike computers slow down on very long courses; 5 000 keeps every bend that matters.
TCX_POINT_BUDGET = 5000
#: Photos in map popups are inlined as small JPEGs (no second request, no foreign host).
PHOTO_THUMB_PX = 240
PHOTO_THUMB_QUALITY = 70
#: No kilometre marker this close to the finish: the finish flag is there already.
KM_MARKER_FINISH_GAP_M = 300.0
#: How many analysed routes one process keeps; each holds its track and analysis arrays.
ROUTE_CACHE_SIZE = 32


def km_marker_step_m(distance_m: float) -> float:
    """Spacing of kilometre markers: every km on short routes, thinning out so a long route is not cluttered."""
    if distance_m <= 25_000:
        return 1_000.0
    if distance_m <= 60_000:
        return 5_000.0
    return 10_000.0


@dataclass(frozen=True, eq=False)
class RouteAnalysis:
    """Everything derived from one GPX revision; shared by every visitor of every route using these bytes."""

    sha256: str
    track: Track
    analysis: object  # routes.analysis.Analysis
    #: The simplified line for maps (WGS-84) and the gradient of each of its steps.
    map_lat: np.ndarray
    map_lon: np.ndarray
    map_distance_m: np.ndarray
    map_step_grade_pct: np.ndarray
    overview_lat: np.ndarray
    overview_lon: np.ndarray
    #: The decimated profile for charts.
    profile_distance_m: np.ndarray
    profile_ele_m: np.ndarray
    profile_grade_pct: np.ndarray
    #: (kilometre, lat, lon) of each kilometre marker.
    km_markers: tuple[tuple[float, float, float], ...]
    #: (rider key, estimate) for every rider profile, in RIDER_PROFILES order.
    estimates: tuple[tuple[str, object], ...]

    @property
    def distance_m(self) -> float:
        return float(self.analysis.distance_m)


@dataclass(frozen=True)
class Passage:
    """A POI the route passes: where along it and how far off the line."""

    poi: object  # routes.store.PoiInfo
    distance_m: float
    offset_m: float
    side: str


# --- analysis, cached by content ----------------------------------------------------------------------------------


class _GpxKey:
    """Hashes and compares by sha256 only; carries a loader so the bytes are fetched only on a cache miss."""

    __slots__ = ("sha256", "fetch")

    def __init__(self, sha256: str, fetch: Callable[[], bytes]) -> None:
        self.sha256 = sha256
        self.fetch = fetch

    def __hash__(self) -> int:
        return hash(self.sha256)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _GpxKey) and other.sha256 == self.sha256


def rider_profiles() -> list:
    from routes.timing import RIDER_PROFILES

    return list(RIDER_PROFILES.values()) if isinstance(RIDER_PROFILES, Mapping) else list(RIDER_PROFILES)


def _simplify(track: Track, budget: int) -> np.ndarray:
    from routes.display import simplify_indices

    return np.asarray(simplify_indices(track, budget), dtype=np.int64)


def _step_grades(point_grade_pct: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Mean point gradient over each step of the simplified line, from its first point up to (not including) the next
    kept point. Unknown grades count as flat."""
    if len(idx) < 2:
        return np.zeros(0)
    g = np.where(np.isfinite(point_grade_pct), point_grade_pct, 0.0)
    cs = np.concatenate([[0.0], np.cumsum(g)])
    return (cs[idx[1:]] - cs[idx[:-1]]) / np.maximum(np.diff(idx), 1)


def _band_breaks(point_grade_pct: np.ndarray, idx: np.ndarray, budget: int) -> np.ndarray:
    """Add the points where the gradient band changes, so colours change where the slope does (within budget)."""
    from routes.grades import band_index

    bands = band_index(point_grade_pct)
    breaks = np.flatnonzero(np.diff(bands)) + 1
    if len(idx) + len(breaks) > budget * 1.5:
        return idx
    return np.union1d(idx, breaks)


def _analyse(key: _GpxKey) -> RouteAnalysis:
    from routes.analysis import analyse
    from routes.display import decimate_profile, km_markers
    from routes.gpxio import read_gpx
    from routes.timing import estimate_for_analysis

    track = read_gpx(key.fetch())
    an = analyse(track)
    d = np.asarray(an.point_distance_m, dtype=np.float64)
    grades = np.asarray(an.point_grade_pct, dtype=np.float64)
    idx = _band_breaks(grades, _simplify(track, MAP_POINT_BUDGET), MAP_POINT_BUDGET)
    ov = _simplify(track, OVERVIEW_POINT_BUDGET)
    pidx = np.asarray(decimate_profile(an.profile_distance_m, an.profile_ele_m, PROFILE_POINT_BUDGET))
    pd = np.asarray(an.profile_distance_m, dtype=np.float64)[pidx]
    pe = np.asarray(an.profile_ele_m, dtype=np.float64)[pidx]
    pg = np.asarray(an.profile_grade_pct, dtype=np.float64)[pidx]
    total = float(an.distance_m)
    km = tuple(
        m for m in km_markers(d, track.lat, track.lon, every_m=km_marker_step_m(total))
        if total - m[0] * 1000 > KM_MARKER_FINISH_GAP_M
    )
    estimates = tuple((p.key, estimate_for_analysis(an, p)) for p in rider_profiles())
    return RouteAnalysis(
        sha256=key.sha256, track=track, analysis=an,
        map_lat=track.lat[idx], map_lon=track.lon[idx], map_distance_m=d[idx],
        map_step_grade_pct=_step_grades(grades, idx),
        overview_lat=track.lat[ov], overview_lon=track.lon[ov],
        profile_distance_m=pd, profile_ele_m=pe, profile_grade_pct=pg,
        km_markers=km, estimates=estimates,
    )


_analyse_cached = lru_cache(maxsize=ROUTE_CACHE_SIZE)(_analyse)


def analyse_gpx(sha256: str, fetch: Callable[[], bytes]) -> RouteAnalysis:
    """Analysis of one GPX revision, computed once per process for each sha256; ``fetch`` runs only on a miss."""
    return _analyse_cached(_GpxKey(sha256, fetch))


def load_route(store: object, slug: str) -> tuple[object, RouteAnalysis] | None:
    """(RouteInfo, analysis) of a route, or None when there is no such route or it has no track yet."""
    info = store.get_route(slug)
    if info is None or not info.sha256:
        return None
    return info, analyse_gpx(info.sha256, lambda: store.get_route_gpx(slug))


# --- POIs along a route ---------------------------------------------------------------------------------------------


class _RouteKey:
    """Hashes and compares by sha256 only and carries the analysed route, for caches of things derived from it."""

    __slots__ = ("sha256", "ra")

    def __init__(self, ra: RouteAnalysis) -> None:
        self.sha256 = ra.sha256
        self.ra = ra

    def __hash__(self) -> int:
        return hash(self.sha256)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _RouteKey) and other.sha256 == self.sha256


@lru_cache(maxsize=ROUTE_CACHE_SIZE * 4)
def _passages_cached(key: _RouteKey, poi_points: tuple[tuple[str, float, float], ...], corridor_m: float) -> tuple:
    from routes.along import pois_along

    ra = key.ra
    return tuple(
        pois_along(ra.track, list(poi_points), corridor_m=corridor_m, point_distance_m=ra.analysis.point_distance_m)
    )


def passages(ra: RouteAnalysis, pois: Sequence[object], *, corridor_m: float = ALONG_CORRIDOR_M) -> list[Passage]:
    """The POIs the route passes, in riding order (a POI passed twice on a loop appears twice).

    Cached by (GPX sha256, POI positions): an edited POI position gives a new key, an edited name does not need one.
    """
    by_id = {p.id: p for p in pois}
    points = tuple(sorted((p.id, float(p.lat), float(p.lon)) for p in pois))
    found = _passages_cached(_RouteKey(ra), points, float(corridor_m))
    out = [Passage(by_id[x.poi_id], float(x.distance_m), float(x.offset_m), str(x.side)) for x in found]
    return sorted(out, key=lambda p: p.distance_m)


def visible_pois(store: object) -> list:
    """Published, not deleted POIs."""
    return [p for p in store.list_pois() if getattr(p, "status", "published") == "published" and not p.deleted]


# --- catalogue ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RouteCard:
    info: object  # RouteInfo
    ra: RouteAnalysis

    @property
    def distance_m(self) -> float:
        return self.ra.distance_m

    @property
    def ascent_m(self) -> float:
        return float(self.ra.analysis.ascent_m)

    def estimate_s(self, rider_key: str) -> float | None:
        for key, est in self.ra.estimates:
            if key == rider_key:
                return float(est.total_s)
        return None


def route_cards(store: object) -> list[RouteCard]:
    """Every published route that has a track, analysed."""
    cards = []
    for info in store.list_routes(status="published"):
        if not info.sha256:
            continue
        slug = info.slug
        cards.append(RouteCard(info, analyse_gpx(info.sha256, lambda slug=slug: store.get_route_gpx(slug))))
    return cards


def filter_cards(
    cards: Sequence[RouteCard],
    *,
    distance_km: tuple[float, float] | None = None,
    difficulties: Sequence[str] = (),
    surfaces: Sequence[str] = (),
) -> list[RouteCard]:
    out = []
    for c in cards:
        km = c.distance_m / 1000
        if distance_km and not (distance_km[0] - 1e-9 <= km <= distance_km[1] + 1e-9):
            continue
        if difficulties and c.info.difficulty not in difficulties:
            continue
        if surfaces and c.info.surface not in surfaces:
            continue
        out.append(c)
    return out


def routes_by_poi(cards: Sequence[RouteCard], pois: Sequence[object]) -> dict[str, list]:
    """POI id → the published routes (RouteInfo) passing it."""
    result: dict[str, list] = {p.id: [] for p in pois}
    for c in cards:
        seen = set()
        for ps in passages(c.ra, pois):
            if ps.poi.id not in seen:
                seen.add(ps.poi.id)
                result[ps.poi.id].append(c.info)
    return result


# --- content in the visitor's language -----------------------------------------------------------------------------


def route_url(slug: str, lang: str, *, base: str = "") -> str:
    """Relative (or, with ``base``, absolute) URL of a route page."""
    return f"{base.rstrip('/')}/route?id={slug}&lang={lang}"


class _PhotoKey:
    """Hashes and compares by photo id only (ids name immutable content); carries the loader for a cache miss."""

    __slots__ = ("photo_id", "fetch")

    def __init__(self, photo_id: str, fetch: Callable[[], bytes]) -> None:
        self.photo_id = photo_id
        self.fetch = fetch

    def __hash__(self) -> int:
        return hash(self.photo_id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _PhotoKey) and other.photo_id == self.photo_id


@lru_cache(maxsize=256)
def _thumb(key: _PhotoKey) -> str:
    from PIL import Image

    with Image.open(io.BytesIO(key.fetch())) as im:
        im = im.convert("RGB")
        im.thumbnail((PHOTO_THUMB_PX, PHOTO_THUMB_PX))
        buf = io.BytesIO()
        im.save(buf, format="JPEG", quality=PHOTO_THUMB_QUALITY)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def photo_thumb_uri(store: object, photo_id: str | None) -> str:
    """A small JPEG data: URI of a POI photo, or "" (missing or unreadable photos are simply not shown).

    Only successes are cached: a failure (the database briefly unreachable from this replica) is tried again on the
    next page load, so one replica does not go on hiding a photo every other replica shows.
    """
    if not photo_id:
        return ""
    try:
        return _thumb(_PhotoKey(photo_id, lambda: store.get_photo(photo_id)))
    except Exception:  # noqa: BLE001 - a bad or missing photo must not break a map
        return ""


def climb_label(climb: object, lang: str) -> str:
    cat = climb.category
    name = t(f"climb.cat.{cat}", lang) if cat else t("climb.cat.none", lang)
    return f"{name} · {fmt_km(climb.length_m, lang)} @ {fmt_pct(climb.avg_grade_pct)}"


def difficulty_label(key: str, lang: str) -> str:
    from routes.i18n import has_key

    return t(f"difficulty.{key}", lang) if has_key(f"difficulty.{key}") else key


def surface_label(key: str, lang: str) -> str:
    from routes.i18n import has_key

    return t(f"surface.{key}", lang) if has_key(f"surface.{key}") else key


def rider_name(profile: object, lang: str) -> str:
    return pick(getattr(profile, "name_zh", ""), getattr(profile, "name_en", ""), lang) or profile.key


# --- maps, profile and downloads ------------------------------------------------------------------------------------


def route_map(
    info: object,
    ra: RouteAnalysis,
    along: Sequence[Passage],
    *,
    lang: str,
    store: object | None = None,
    stretch_m: tuple[float, float] | None = None,
    basemap: str | None = None,
    tianditu_key: str = "",
):
    """The route page's folium map: gradient line, start/finish, km markers, POIs along with popups."""
    from routes.maps import MapLine, MapMarker, MapPoi, build_map

    name = pick(info.name_zh, info.name_en, lang)
    line = MapLine(info.slug, name, ra.map_lat, ra.map_lon, grade_pct=ra.map_step_grade_pct)
    tr = ra.track
    markers = [MapMarker(float(tr.lat[0]), float(tr.lon[0]), t("map.start", lang), "start")]
    markers.append(MapMarker(float(tr.lat[-1]), float(tr.lon[-1]), t("map.finish", lang), "finish"))
    markers += [MapMarker(la, lo, f"{km:g}", "km") for km, la, lo in ra.km_markers]
    pois = []
    seen: set[str] = set()
    for ps in along:
        if ps.poi.id in seen:
            continue
        seen.add(ps.poi.id)
        p = ps.poi
        pois.append(
            MapPoi(
                p.id, p.lat, p.lon, pick(p.name_zh, p.name_en, lang), p.category,
                text=pick(p.desc_zh, p.desc_en, lang),
                photo_uri=photo_thumb_uri(store, p.photo_id) if store is not None else "",
                distance_m=ps.distance_m,
            )
        )
    highlight = None
    if stretch_m is not None:
        a, b = stretch_m
        sel = (ra.map_distance_m >= a) & (ra.map_distance_m <= b)
        highlight = (ra.map_lat[sel], ra.map_lon[sel])
    return build_map(
        lang=lang, lines=[line], pois=pois, markers=markers, highlight=highlight, basemap=basemap,
        tianditu_key=tianditu_key, legend=True,
    )


#: Line colours of the overview map, one per route in catalogue order (distinct on road and satellite tiles).
OVERVIEW_COLOURS = ("#c0392b", "#1f78b4", "#6a3d9a", "#e67e22", "#16a085", "#8e44ad", "#d35400")


def overview_map(
    cards: Sequence[RouteCard],
    pois: Sequence[object],
    *,
    lang: str,
    links: Mapping[str, Sequence[object]] | None = None,
    basemap: str | None = None,
    tianditu_key: str = "",
):
    """All routes and POIs on one map; line and POI popups link to the route pages."""
    from routes.maps import MapLine, MapPoi, build_map

    lines = [
        MapLine(
            c.info.slug, pick(c.info.name_zh, c.info.name_en, lang), c.ra.overview_lat, c.ra.overview_lon,
            colour=OVERVIEW_COLOURS[i % len(OVERVIEW_COLOURS)], href=route_url(c.info.slug, lang), arrows=False,
        )
        for i, c in enumerate(cards)
    ]
    mpois = [
        MapPoi(
            p.id, p.lat, p.lon, pick(p.name_zh, p.name_en, lang), p.category, text=pick(p.desc_zh, p.desc_en, lang),
            links=tuple(
                (pick(r.name_zh, r.name_en, lang), route_url(r.slug, lang)) for r in (links or {}).get(p.id, ())
            ),
        )
        for p in pois
    ]
    return build_map(lang=lang, lines=lines, pois=mpois, basemap=basemap, tianditu_key=tianditu_key)


def route_profile(ra: RouteAnalysis, along: Sequence[Passage], *, lang: str,
                  stretch_m: tuple[float, float] | None = None):
    from routes.profile import ProfileClimb, ProfilePoi, build_profile_figure

    climbs = [ProfileClimb(c.start_m, c.end_m, climb_label(c, lang)) for c in ra.analysis.climbs]
    pois = [ProfilePoi(p.distance_m, pick(p.poi.name_zh, p.poi.name_en, lang)) for p in along]
    return build_profile_figure(
        ra.profile_distance_m, ra.profile_ele_m, ra.profile_grade_pct, lang=lang, climbs=climbs, pois=pois,
        stretch_m=stretch_m,
    )


def gpx_download(info: object, ra: RouteAnalysis, along: Sequence[Passage], *, lang: str) -> bytes:
    """The route's track with the POIs along it as waypoints, names in ``lang``."""
    from routes.downloads import gpx_with_waypoints
    from routes.maps import category_label

    seen: set[str] = set()
    wpts = []
    for ps in along:
        if ps.poi.id in seen:
            continue
        seen.add(ps.poi.id)
        p = ps.poi
        wpts.append(
            Waypoint(
                lat=float(p.lat), lon=float(p.lon), name=pick(p.name_zh, p.name_en, lang),
                desc=pick(p.desc_zh, p.desc_en, lang), type=category_label(p.category, lang),
            )
        )
    return gpx_with_waypoints(ra.track, wpts, name=pick(info.name_zh, info.name_en, lang))


def tcx_download(info: object, ra: RouteAnalysis, along: Sequence[Passage], *, lang: str,
                 rider_key: str | None = None) -> bytes:
    """A TCX course with POIs and climb summits as course points, times from the chosen rider's estimate."""
    from routes.downloads import TCX_CLIMB_TYPES, TCX_POINT_TYPES, CoursePoint, tcx_course
    from routes.model import make_track

    idx = _simplify(ra.track, TCX_POINT_BUDGET) if ra.track.n_points > TCX_POINT_BUDGET else None
    tr = ra.track
    d = np.asarray(ra.analysis.point_distance_m, dtype=np.float64)
    if idx is not None:
        tr = make_track(tr.lat[idx], tr.lon[idx], tr.ele_m[idx])
        d = d[idx]
    chosen = next((est for key, est in ra.estimates if key == rider_key), None)
    if chosen is None and ra.estimates:
        chosen = ra.estimates[0][1]
    times = np.asarray(chosen.time_at(d), dtype=np.float64) if chosen is not None else None
    cps = [
        CoursePoint(ps.distance_m, pick(ps.poi.name_zh, ps.poi.name_en, lang),
                    TCX_POINT_TYPES.get(ps.poi.category, "Generic"))
        for ps in along
    ]
    cps += [
        CoursePoint(c.end_m, t(f"climb.cat.{c.category}", lang), TCX_CLIMB_TYPES[str(c.category)])
        for c in ra.analysis.climbs
        if c.category in TCX_CLIMB_TYPES
    ]
    return tcx_course(tr, d, name=pick(info.name_zh, info.name_en, lang), course_points=cps, time_s=times)
