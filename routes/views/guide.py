"""What the cyclists' pages show, computed from the store and the analysis and cached by GPX sha256 (no Streamlit)."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from routes.core.errors import GuideError
from routes.core.incidents import log_incident
from routes.core.model import Track, Waypoint
from routes.store.publishing import MIN_ROUTE_DISTANCE_M
from routes.text.i18n import fmt_km, fmt_pct, pick, t

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
    analysis: object  # routes.analysis.summary.Analysis
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
    #: "point" for a place that is a point; for an area "inside", "along_edge" or "near" (routes.analysis.along).
    relation: str = "point"
    #: Length of the route inside the area or along its edge (0 otherwise).
    length_m: float = 0.0


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
    from routes.analysis.timing import RIDER_PROFILES

    return list(RIDER_PROFILES.values()) if isinstance(RIDER_PROFILES, Mapping) else list(RIDER_PROFILES)


def _simplify(track: Track, budget: int) -> np.ndarray:
    from routes.views.display import simplify_indices

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
    from routes.analysis.grades import band_index

    bands = band_index(point_grade_pct)
    breaks = np.flatnonzero(np.diff(bands)) + 1
    if len(idx) + len(breaks) > budget * 1.5:
        return idx
    return np.union1d(idx, breaks)


def _analyse(key: _GpxKey) -> RouteAnalysis:
    from routes.analysis.summary import analyse
    from routes.analysis.timing import estimate_for_analysis
    from routes.io.gpxio import read_gpx
    from routes.views.display import decimate_profile, km_markers

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


class RouteUnavailable(GuideError):
    """A stored route that cannot be analysed or drawn. Visitors see that it is unavailable; editors also see why
    (:meth:`why`), and an unexpected failure carries the id under which its traceback was logged."""

    templates = {
        key: ("这条路线暂时无法显示。", "This route cannot be shown at the moment.")
        for key in ("no_distance", "unreadable", "failed")
    }

    def why(self, lang: str) -> str:
        """The reason, for editors (never for visitors: it may name the file's defects)."""
        params = dict(self.params)
        if "detail_zh" in params:  # a reader's message, kept in both languages
            params = {"detail": params["detail_en" if lang == "en" else "detail_zh"]}
        return t(f"unavailable.{self.key}", lang, **params)


@dataclass(frozen=True)
class _Failure:
    """A cached analysis failure, so a broken revision costs one attempt per process, not one per page view."""

    key: str
    params: tuple[tuple[str, str], ...]

    def error(self) -> RouteUnavailable:
        return RouteUnavailable(self.key, **dict(self.params))


def _analyse_guarded(key: _GpxKey) -> RouteAnalysis | _Failure:
    try:
        ra = _analyse(key)
    except GuideError as exc:  # a stored file that no longer reads (a reader grew stricter)
        return _Failure("unreadable", (("detail_zh", exc.message("zh")), ("detail_en", exc.message("en"))))
    except Exception as exc:  # noqa: BLE001 - any defect of one route must stay on that route
        if isinstance(exc, (OSError,)) or type(exc).__module__.startswith("sqlalchemy"):
            raise  # the database or disk, not the route: not cached, the next view tries again
        return _Failure("failed", (("error_id", log_incident(exc, where=f"route analysis {key.sha256[:12]}")),))
    if not np.isfinite(ra.distance_m) or ra.distance_m < MIN_ROUTE_DISTANCE_M:
        return _Failure("no_distance", (("min_m", f"{MIN_ROUTE_DISTANCE_M:g}"),))
    return ra


_analyse_cached = lru_cache(maxsize=ROUTE_CACHE_SIZE)(_analyse_guarded)


def analyse_gpx(sha256: str, fetch: Callable[[], bytes]) -> RouteAnalysis:
    """Analysis of one GPX revision, computed once per process for each sha256; ``fetch`` runs only on a miss.

    Raises :class:`RouteUnavailable` (cached too) when the revision cannot be analysed or has no length.
    """
    result = _analyse_cached(_GpxKey(sha256, fetch))
    if isinstance(result, _Failure):
        raise result.error()
    return result


def analyse_preview(sha256: str, gpx: bytes) -> RouteAnalysis:
    """Analysis of an editor's upload before it is saved: not kept in the process-wide route cache (each distinct
    preview would otherwise hold its track there for every later visitor); the page keeps it for that editor's
    session only. Raises :class:`RouteUnavailable` like :func:`analyse_gpx`."""
    result = _analyse_guarded(_GpxKey(sha256, lambda: gpx))
    if isinstance(result, _Failure):
        raise result.error()
    return result


def load_route(store: object, slug: str, *, status: str | None = None,
               listed: list | None = None) -> tuple[object, RouteAnalysis] | None:
    """(RouteInfo, analysis) of a route, or None when there is no such route, it has no track yet, or (with
    ``status``) it is not in that status. The status is checked before any analysis, so a draft costs an anonymous
    visitor no more work than an unknown slug. Raises :class:`RouteUnavailable` for a route that cannot be shown.

    ``listed``: the RouteInfos the caller has just read (e.g. the published routes for a menu), to take the route
    from instead of reading it again."""
    if listed is not None:
        info = next((r for r in listed if r.slug == slug), None)
    else:
        info = store.get_route(slug)
    if info is None or not info.sha256 or (status is not None and info.status != status):
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
    from routes.analysis.along import pois_along

    ra = key.ra
    return tuple(
        pois_along(ra.track, list(poi_points), corridor_m=corridor_m, point_distance_m=ra.analysis.point_distance_m)
    )


@lru_cache(maxsize=ROUTE_CACHE_SIZE * 4)
def _area_passages_cached(key: _RouteKey, extents: tuple[tuple[str, float, float, float | None, str], ...],
                          corridor_m: float) -> tuple:
    import json

    from routes.analysis.along import areas_along
    from routes.analysis.areas import metric_shape

    ra = key.ra
    shapes = [(pid, metric_shape(lat, lon, radius, json.loads(area) if area else None))
              for pid, lat, lon, radius, area in extents]
    return tuple(areas_along(ra.track, shapes, corridor_m=corridor_m, point_distance_m=ra.analysis.point_distance_m))


def passages(ra: RouteAnalysis, pois: Sequence[object], *, corridor_m: float = ALONG_CORRIDOR_M) -> list[Passage]:
    """The POIs the route passes, in riding order (a POI passed twice on a loop appears twice). A place that is an
    area (a radius or an outline) counts when the route comes within the corridor of its edge, and says how it
    passes: through it, along its edge, or near it.

    Cached by (GPX sha256, POI positions and extents): an edited position or extent gives a new key, an edited name
    does not need one.
    """
    import json

    by_id = {p.id: p for p in pois}
    is_area = [bool(getattr(p, "radius_m", None) or getattr(p, "area", None)) for p in pois]
    points = tuple(sorted((p.id, float(p.lat), float(p.lon)) for p, a in zip(pois, is_area, strict=True) if not a))
    extents = tuple(sorted(
        (p.id, float(p.lat), float(p.lon), getattr(p, "radius_m", None),
         json.dumps(p.area, sort_keys=True) if getattr(p, "area", None) else "")
        for p, a in zip(pois, is_area, strict=True) if a
    ))
    key = _RouteKey(ra)
    out = [Passage(by_id[x.poi_id], float(x.distance_m), float(x.offset_m), str(x.side))
           for x in (_passages_cached(key, points, float(corridor_m)) if points else ())]
    out += [Passage(by_id[x.poi_id], float(x.distance_m), float(x.offset_m), str(x.side), x.relation, x.length_m)
            for x in (_area_passages_cached(key, extents, float(corridor_m)) if extents else ())]
    return sorted(out, key=lambda p: p.distance_m)


def extent_label(poi: object, lang: str) -> str:
    """"radius about 300 m" / "about 1.1 km²" for a place that is an area, "" for a point."""
    from routes.analysis.areas import area_km2
    from routes.text.i18n import fmt_m

    radius, area = getattr(poi, "radius_m", None), getattr(poi, "area", None)
    if area:
        return t("pois.extent.area", lang, area=f"{area_km2(poi.lat, poi.lon, None, area):.2f}")
    if radius:
        return t("pois.extent.radius", lang, radius=fmt_m(radius, lang))
    return ""


def passage_label(passage: Passage, lang: str) -> str:
    """How the route passes a place: "" for a point; "环湖 / around the lake", "穿过村庄 / through the village" ...
    for an area (with the length inside or along it)."""
    from routes.text.i18n import has_key

    if passage.relation == "point":
        return ""
    cat = getattr(passage.poi, "category", "")
    key = f"area.relation.{passage.relation}.{cat}"
    text = t(key, lang) if has_key(key) else t(f"area.relation.generic.{passage.relation}", lang)
    if passage.length_m >= 100:
        text = t("area.along_for", lang, relation=text, length=fmt_km(passage.length_m, lang))
    return text


def visible_pois(store: object) -> list:
    """Published, not deleted POIs (the store keeps them between page views until the table changes)."""
    return store.published_pois()


# --- catalogue ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RouteCard:
    info: object  # RouteInfo
    ra: RouteAnalysis

    @property
    def distance_m(self) -> float:
        return self.ra.distance_m

    @property
    def ascent_m(self) -> float | None:
        """None when the track has no elevation (a planned route): distance-only figures are shown."""
        value = self.ra.analysis.ascent_m
        return None if value is None else float(value)

    def estimate_s(self, rider_key: str) -> float | None:
        for key, est in self.ra.estimates:
            if key == rider_key:
                return float(est.total_s)
        return None


@dataclass(frozen=True)
class UnavailableRoute:
    """A published route the catalogue cannot show: its card says so (and, to editors, why)."""

    info: object  # RouteInfo
    error: RouteUnavailable


def route_cards(store: object, *, unavailable: list[UnavailableRoute] | None = None) -> list[RouteCard]:
    """Every published route that has a track, analysed. A route that cannot be analysed never breaks the others:
    it is left out, and appended to ``unavailable`` when the caller passes a list."""
    cards = []
    for info in store.list_routes(status="published"):
        if not info.sha256:
            continue
        slug = info.slug
        try:
            cards.append(RouteCard(info, analyse_gpx(info.sha256, lambda slug=slug: store.get_route_gpx(slug))))
        except RouteUnavailable as exc:
            if unavailable is not None:
                unavailable.append(UnavailableRoute(info, exc))
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
    return {pid: [info for info, _ in found] for pid, found in route_passages_by_poi(cards, pois).items()}


def route_passages_by_poi(cards: Sequence[RouteCard], pois: Sequence[object]) -> dict[str, list]:
    """POI id → (RouteInfo, first Passage) of every published route passing it (the passage says how: through,
    along the edge, near)."""
    result: dict[str, list] = {p.id: [] for p in pois}
    for c in cards:
        seen = set()
        for ps in passages(c.ra, pois):
            if ps.poi.id not in seen:
                seen.add(ps.poi.id)
                result[ps.poi.id].append((c.info, ps))
    return result


# --- content in the visitor's language -----------------------------------------------------------------------------


def route_url(slug: str, lang: str, *, base: str = "") -> str:
    """Relative (or, with ``base``, absolute) URL of a route page."""
    return f"{base.rstrip('/')}/route?id={slug}&lang={lang}"


def light_url(slug: str, lang: str, *, base: str = "", suffix: str = "") -> str:
    """URL of a route's light public page (``suffix`` ".png", "-poster.png", ".gpx" for its files): what QR codes and
    share links point to."""
    from urllib.parse import quote

    return f"{base.rstrip('/')}/r/{quote(slug)}{suffix}" + ("?lang=en" if lang == "en" else "")


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


def analysis_notes(analysis: object, lang: str, *, track_warnings: Sequence[str] = ()) -> list[str]:
    """The data notes in the reader's language: what the reader met in the file (``track_warnings``, e.g. times
    without a zone, impossible coordinates dropped) and what the analysis removed as not terrain, DEM use, clock
    problems."""
    from routes.text.i18n import tn
    from routes.views.notes import note_text

    out = [note_text(w, lang) for w in track_warnings]
    for key, params in getattr(analysis, "notes", ()):
        rest = {k: v for k, v in params.items() if k != "count"}
        out.append(tn(key, lang, int(params["count"]), **rest) if "count" in params else t(key, lang, **rest))
    return out


def difficulty_label(key: str, lang: str) -> str:
    from routes.text.i18n import has_key

    return t(f"difficulty.{key}", lang) if has_key(f"difficulty.{key}") else key


def surface_label(key: str, lang: str) -> str:
    from routes.text.i18n import has_key

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
    """The route page's folium map: gradient line, start/finish, km markers, POIs along with popups (and the
    outline or circle of the places that are areas)."""
    from routes.views.maps import MapLine, MapMarker, MapPoi, build_map, map_poi_extents

    name = pick(info.name_zh, info.name_en, lang)
    line = MapLine(info.slug, name, ra.map_lat, ra.map_lon, grade_pct=ra.map_step_grade_pct)
    tr = ra.track
    markers = [MapMarker(float(tr.lat[0]), float(tr.lon[0]), t("map.start", lang), "start")]
    markers.append(MapMarker(float(tr.lat[-1]), float(tr.lon[-1]), t("map.finish", lang), "finish"))
    markers += [MapMarker(la, lo, f"{km:g}", "km") for km, la, lo in ra.km_markers]
    pois = []
    shown = first_passages(along)
    for ps, extent in zip(shown, map_poi_extents([ps.poi for ps in shown]), strict=True):
        p = ps.poi
        pois.append(
            MapPoi(
                p.id, p.lat, p.lon, pick(p.name_zh, p.name_en, lang), p.category,
                text=pick(p.desc_zh, p.desc_en, lang),
                photo_uri=photo_thumb_uri(store, p.photo_id) if store is not None else "",
                distance_m=ps.distance_m, **extent,
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
    from routes.core.region import guide_region
    from routes.views.maps import MapLine, MapPoi, build_map, map_poi_extents

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
            **extent,
        )
        for p, extent in zip(pois, map_poi_extents(pois), strict=True)
    ]
    # Framed on the guide's region: a published route far away is drawn but does not zoom the map out.
    return build_map(lang=lang, lines=lines, pois=mpois, basemap=basemap, tianditu_key=tianditu_key,
                     region=guide_region())


def route_profile(ra: RouteAnalysis, along: Sequence[Passage], *, lang: str,
                  stretch_m: tuple[float, float] | None = None):
    from routes.views.profile import ProfileClimb, ProfilePoi, build_profile_figure

    climbs = [ProfileClimb(c.start_m, c.end_m, climb_label(c, lang)) for c in ra.analysis.climbs]
    pois = [ProfilePoi(p.distance_m, pick(p.poi.name_zh, p.poi.name_en, lang)) for p in along]
    return build_profile_figure(
        ra.profile_distance_m, ra.profile_ele_m, ra.profile_grade_pct, lang=lang, climbs=climbs, pois=pois,
        stretch_m=stretch_m,
    )


def first_passages(along: Sequence[Passage]) -> list[Passage]:
    """Each POI once, at its first passage: a route that passes a place twice draws and exports it once."""
    seen: set[str] = set()
    out = []
    for ps in along:
        if ps.poi.id not in seen:
            seen.add(ps.poi.id)
            out.append(ps)
    return out


def gpx_download(info: object, ra: RouteAnalysis, along: Sequence[Passage], *, lang: str) -> bytes:
    """The route's track with the POIs along it as waypoints, names in ``lang``."""
    from routes.io.downloads import gpx_with_waypoints
    from routes.views.maps import category_label
    from routes.views.routefacts import surface_stretches, warning_waypoints

    wpts = []
    for ps in first_passages(along):
        p = ps.poi
        wpts.append(
            Waypoint(
                lat=float(p.lat), lon=float(p.lon), name=pick(p.name_zh, p.name_en, lang),
                desc=pick(p.desc_zh, p.desc_en, lang), type=category_label(p.category, lang),
            )
        )
    # The route facts' warnings as waypoints where they start, the surface by stretch in the track's extensions.
    wpts += warning_waypoints(info.facts, ra.track, ra.analysis.point_distance_m, lang)
    return gpx_with_waypoints(ra.track, wpts, name=pick(info.name_zh, info.name_en, lang),
                              surfaces=surface_stretches(info.facts))


def tcx_download(info: object, ra: RouteAnalysis, along: Sequence[Passage], *, lang: str,
                 rider_key: str | None = None) -> bytes:
    """A TCX course with POIs and climb summits as course points, times from the chosen rider's estimate."""
    from routes.core.model import make_track
    from routes.io.downloads import TCX_CLIMB_TYPES, TCX_POINT_TYPES, CoursePoint, tcx_course
    from routes.views.routefacts import warning_course_points

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
    cps += warning_course_points(info.facts, lang)
    return tcx_course(tr, d, name=pick(info.name_zh, info.name_en, lang), course_points=cps, time_s=times)
