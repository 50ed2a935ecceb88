"""The public race page /r/race/<slug> and its closure notice (page, printable PDF, CSV for the police), light HTML
like the route pages: shown only once an organiser has published the plan; before that visitors get the same 404
as for an unknown slug, and a signed-in organiser previews it marked as a draft (noindex, private, no-store).
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import numpy as np
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from routes.core.errors import GuideError
from routes.core.roles import RACE_PLAN_ROLES
from routes.text.i18n import fmt_datetime, t
from routes.views import guide
from routes.web import light

ROOT = Path(__file__).resolve().parents[2]
#: Marker kinds a rider or resident is shown on the map and in the "feed, KOM, sprint" table. Marshal posts stay in
#: the organisers' race book (who stands where is the organisers' business, not the public's).
PUBLIC_POINT_KINDS = ("feed", "aid", "water", "kom", "sprint", "checkpoint", "medical")
#: Timetable rows left off the public page, for the same reason.
PRIVATE_KINDS = frozenset({"marshal"})
#: Laid-out races kept per process: a layout takes a fraction of a second and a few MB; a guide has a few races.
LAYOUT_CACHE_SIZE = 8
#: Query value of ?size= for the printable notice when none (or an unknown one) is asked for.
DEFAULT_PAPER = "A4"
#: The code and strings that shape these pages besides the data (part of every ETag, so a deploy changes it).
OWN_FILES = (
    "routes/web/racepage.py",
    "routes/web/templates/race.html",
    "routes/web/templates/race_closures.html",
    "routes/race/closures.py",
    "routes/race/roads.py",
    "routes/race/racebook.py",
    "routes/race/timetable.py",
    "routes/race/plan.py",
    "routes/text/racepublic.py",
    "routes/text/race.py",
)


@lru_cache(maxsize=1)
def _own_version() -> str:
    h = hashlib.sha256()
    for rel in OWN_FILES:
        path = ROOT / rel
        h.update(path.read_bytes() if path.is_file() else b"")
    return h.hexdigest()[:12]


# --- the laid-out race, kept per plan version ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RaceView:
    """A plan laid out on its routes, with the lap analysed for the map viewer (built once per plan version)."""

    layout: object
    lap_ra: guide.RouteAnalysis
    key: str


_LAYOUTS: OrderedDict[str, RaceView] = OrderedDict()
_LAYOUTS_LOCK = threading.Lock()


def _routes_key(store: object, slugs: tuple[str, ...]) -> str:
    parts = []
    for slug in slugs:
        info = store.get_route(slug)
        parts.append(f"{slug}:{getattr(info, 'sha256', '')}:{getattr(info, 'version', '')}")
    return ";".join(parts)


def race_view(store: object, info: object, plan: object) -> RaceView:
    """The race laid out (routes.race.racebook.layout_from_store) and its lap analysed like a route page's track.

    Kept per (plan, version, routes' contents): every page, picture and download of one race shares one layout."""
    from routes.io.gpxio import write_gpx
    from routes.race.racebook import layout_from_store

    plan_json = json.dumps(info.plan, sort_keys=True, ensure_ascii=False)
    key = hashlib.sha256(
        "\x1f".join((info.slug, str(info.version), plan_json, _routes_key(store, plan.route_slugs))).encode()
    ).hexdigest()[:24]
    with _LAYOUTS_LOCK:
        hit = _LAYOUTS.get(key)
        if hit is not None:
            _LAYOUTS.move_to_end(key)
            return hit
    layout = layout_from_store(store, plan)
    gpx = write_gpx(layout.course.lap, name=plan.name)
    lap_ra = guide.analyse_preview(hashlib.sha256(gpx).hexdigest(), gpx)
    view = RaceView(layout, lap_ra, key)
    with _LAYOUTS_LOCK:
        _LAYOUTS[key] = view
        while len(_LAYOUTS) > LAYOUT_CACHE_SIZE:
            _LAYOUTS.popitem(last=False)
    return view


# --- who sees what ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _RaceRequest:
    slug: str
    lang: str
    store: object
    info: object
    plan: object
    view: RaceView
    #: An unpublished plan shown to a signed-in organiser: marked, not indexed, never cached.
    draft: bool = False


def _organiser_preview(request: Request, store: object) -> bool:
    """Whether the request carries a live session of an account that may open the race planner (organiser, editor,
    admin): they may preview an unpublished race. Looked up only for an unpublished plan with a session cookie."""
    from routes.store.auth import resolve_session
    from routes.web.session import COOKIE_NAME

    token = request.cookies.get(COOKIE_NAME)
    if not token:
        return False
    sess, _why = resolve_session(store, token)
    return sess is not None and sess.role in RACE_PLAN_ROLES


def _race_request(request: Request) -> _RaceRequest | Response:
    """The published race the URL names (or an unpublished one for a signed-in organiser), laid out; otherwise the
    not-found page, the same for an unknown slug and an unpublished race (no hint which)."""
    from routes.race.plan import RacePlan

    slug, lang = request.path_params["slug"], light._lang(request)
    store = light.get_store()
    info = store.get_race_plan(slug)
    if info is None:
        return light.not_found()
    draft = info.published_at is None
    if draft and not _organiser_preview(request, store):
        return light.not_found()
    try:
        plan = RacePlan.from_dict(dict(info.plan))
        view = race_view(store, info, plan)
    except (GuideError, guide.RouteUnavailable):
        return _unavailable()
    return _RaceRequest(slug, lang, store, info, plan, view, draft)


def _unavailable() -> HTMLResponse:
    """A published plan that cannot be laid out any more (a route of it deleted or broken): 503, both languages."""
    body = light.render("notfound.html", "zh", zh_title=t("rp.unavailable", "zh"), en_title=t("rp.unavailable", "en"),
                        zh_text=t("rp.unavailable", "zh"), en_text=t("rp.unavailable", "en"))
    return HTMLResponse(body, status_code=503, headers={"Cache-Control": "no-store"})


def _etag(kind: str, rr: _RaceRequest, *extra: object) -> str:
    return light.etag_for("race", kind, _own_version(), rr.slug, rr.lang, rr.view.key, rr.info.published_at, *extra)


def _answer(request: Request, rr: _RaceRequest, etag: str, make: Callable[[], Response]) -> Response:
    """Published: revalidated and kept like a route page (light.cached). A draft preview: made afresh, no-store."""
    if not rr.draft:
        return light.cached(request, etag, make)
    resp = make()
    resp.headers["Cache-Control"] = light.DRAFT_CACHE_CONTROL
    return resp


def _q(lang: str) -> str:
    return "?lang=en" if lang == "en" else ""


def _links(slug: str, lang: str) -> dict[str, str]:
    q = _q(lang)
    base = f"/r/race/{quote(slug)}"
    return {
        "page": f"{base}{q}",
        "closures": f"{base}/closures{q}",
        "png": f"{base}.png{q}",
        "pdf_a4": f"{base}/closures.pdf?size=A4&lang={lang}",
        "pdf_a3": f"{base}/closures.pdf?size=A3&lang={lang}",
        "csv": f"{base}/closures.csv{q}",
    }


# --- what the page shows ---------------------------------------------------------------------------------------------


def _laps_text(laps: int, lang: str) -> str:
    return t("rp.lap_one", lang) if laps == 1 else t("rp.lap_many", lang, n=laps)


def _facts(rr: _RaceRequest) -> list[tuple[str, str]]:
    from routes.race.racebook import km_text

    lay, plan, lang = rr.view.layout, rr.plan, rr.lang
    facts = [
        (t("rp.fact.start", lang), fmt_datetime(plan.start, lang)),
        (t("rp.fact.distance", lang), t("race.unit.km", lang, v=km_text(lay.course.race_m))),
        (t("rp.fact.laps", lang), f"{_laps_text(plan.laps, lang)} × {t('race.unit.km', lang, v=km_text(lay.course.lap_m))}"),
    ]
    if lay.ascent_m is not None:
        facts.append((t("rp.fact.ascent", lang), t("race.unit.m", lang, v=f"{lay.ascent_m:.0f}")))
    if plan.neutral_m > 0:
        facts.append((t("rp.fact.neutral", lang),
                      t("rp.fact.neutral_value", lang, km=km_text(plan.neutral_m), speed=f"{plan.neutral_speed_kmh:g}")))
    cutoff = (t("rp.fact.cutoff_value", lang, speed=f"{plan.cutoff_speed_kmh:g}") if plan.cutoff_speed_kmh
              else t("rp.fact.cutoff_none", lang))
    facts.append((t("rp.fact.cutoff", lang), cutoff))
    return facts


def _waves(rr: _RaceRequest) -> list[tuple[str, str]]:
    """(name, start time) of each start wave, when the plan has waves."""
    waves = getattr(rr.plan, "waves", ()) or ()
    out = []
    for i, w in enumerate(waves, start=1):
        name = w.title(rr.lang, i) if hasattr(w, "title") else str(getattr(w, "name", i))
        start = rr.plan.start + timedelta(seconds=float(getattr(w, "offset_s", 0.0)))
        out.append((name, fmt_datetime(start, rr.lang)))
    return out


def _public_points(rr: _RaceRequest) -> list:
    return [p for p in rr.view.layout.points if p.kind in PUBLIC_POINT_KINDS]


def _points_rows(rr: _RaceRequest) -> list[list[str]]:
    from routes.race.racebook import km_text, point_title

    return [[km_text(p.race_m), "" if p.lap is None else str(p.lap), point_title(p, rr.lang)]
            for p in _public_points(rr)]


def _timetable(rr: _RaceRequest) -> tuple[list[str], list[list[str]]]:
    from routes.race.racebook import timetable_rows

    head, rows = timetable_rows(rr.view.layout, rr.lang)
    kept = [row for row, passage in zip(rows, rr.view.layout.timetable.rows, strict=True)
            if passage.point.kind not in PRIVATE_KINDS]
    return head, kept


def _lap_markers(rr: _RaceRequest) -> list:
    """Public markers at one place each (a marker repeated every lap is one pin), first pass first."""
    lay = rr.view.layout
    seen: set[int] = set()
    out = []
    for p in _public_points(rr):
        pos = float(lay.course.lap_position_m(p.race_m)) if p.race_m >= 0 else None
        if pos is None or not math.isfinite(p.lat):
            continue
        key = round(pos)
        if key in seen:
            continue
        seen.add(key)
        out.append((p, pos))
    return out


class _LapInfo:
    """What the viewer's data reads of a stored route, for a race lap that is no stored route: no road facts (their
    warnings belong to each route's own page), nothing else."""

    facts = SimpleNamespace(warnings=())

    def __getattr__(self, name: str) -> object:
        return None


def _viewer(rr: _RaceRequest, title: str) -> tuple[str, str, str]:
    """(profile SVG, its text summary, the viewer's JSON): the lap on the map with the race's public markers as
    pins, and the lap's profile with the same markers, as the route pages draw them (static/light/viewer.js)."""
    from routes.race.racebook import km_text, point_title
    from routes.race.stageprofile import MARKER_COLOUR
    from routes.views.svgprofile import SvgClimb, SvgPoi, build_profile_svg
    from routes.web.pagedata import _climb_short, json_for_script, viewer_data

    lang, ra, lay = rr.lang, rr.view.lap_ra, rr.view.layout
    data = viewer_data(_LapInfo(), ra, [], lang)
    gcj = bool(data["ride"]["gcj"])
    markers = _lap_markers(rr)
    # the lap's own analysis measures the lap a little differently from the course: place pins and profile marks by
    # share of the lap, so they sit where the course puts them
    scale = float(ra.distance_m) / lay.course.lap_m if lay.course.lap_m > 0 else 1.0
    for i, (p, pos) in enumerate(markers):
        lat, lon = np.array([p.lat]), np.array([p.lon])
        if gcj:
            from routes.io.chinacoords import wgs84_to_gcj02

            lat, lon = (np.asarray(v, dtype=np.float64) for v in wgs84_to_gcj02(lat, lon))
        data["pois"].append({
            "id": f"race-{i}",
            "k": p.kind,
            "name": point_title(p, lang),
            "cat": t(f"race.kind.{p.kind}", lang),
            "glyph": t(f"rp.glyph.{p.kind}", lang),
            "colour": MARKER_COLOUR.get(p.kind, "#333333"),
            "km": round(pos / 1000, 1),
            "lat": round(float(lat[0]), 6),
            "lon": round(float(lon[0]), 6),
            "url": "#points",
        })
    summary = t("rp.profile_summary", lang, lap_km=km_text(lay.course.lap_m), laps=_laps_text(rr.plan.laps, lang))
    svg = build_profile_svg(
        ra.profile_distance_m,
        ra.profile_ele_m,
        ra.profile_grade_pct,
        title=t("rp.profile_title", lang, race=title),
        desc=summary,
        climbs=[SvgClimb(c.start_m, c.end_m, _climb_short(c, lang)) for c in ra.analysis.climbs],
        pois=[SvgPoi(pos * scale, point_title(p, lang), f"race-{i}") for i, (p, pos) in enumerate(markers)],
        km_unit=t("col.km", lang),
        m_unit="米" if lang == "zh" else "m",
    )
    return svg, summary, json_for_script(data)


def _context(request: Request, rr: _RaceRequest, path: str, *, title: str, description: str) -> dict:
    ctx = light._page_context(request, rr.lang, path, title=title, description=description,
                              image=f"{light._base(request)}/r/race/{quote(rr.slug)}.png{_q(rr.lang)}")
    ctx["draft"] = rr.draft
    ctx["og_type"] = "article"
    return ctx


def _meta_desc(rr: _RaceRequest) -> str:
    from routes.race.racebook import km_text

    start = rr.plan.start_local
    return t("rp.meta_desc", rr.lang, date=start.strftime("%Y-%m-%d"), time=start.strftime("%H:%M"),
             laps=_laps_text(rr.plan.laps, rr.lang), km=km_text(rr.view.layout.course.race_m))


# --- endpoints -------------------------------------------------------------------------------------------------------


def race_page(request: Request) -> Response:
    from routes.io.downloads import qr_svg

    rr = _race_request(request)
    if isinstance(rr, Response):
        return rr
    lang = rr.lang

    def make() -> Response:
        name = rr.plan.title(lang)
        draft_mark = f" · {t('rp.draft_mark', lang)}" if rr.draft else ""
        ctx = _context(request, rr, f"/r/race/{quote(rr.slug)}",
                       title=f"{t('rp.page_title', lang, race=name)}{draft_mark} · {t('app.title', lang)}",
                       description=_meta_desc(rr))
        ctx["og_title"] = name
        svg, summary, viewer_json = _viewer(rr, name)
        t_head, t_rows = _timetable(rr)
        html = light.render(
            "race.html", lang, name=name, facts=_facts(rr), waves=_waves(rr), notes=rr.plan.notes,
            illustrative=rr.view.layout.illustrative, profile_svg=svg, profile_summary=summary,
            viewer_json=viewer_json, points=_points_rows(rr), t_head=t_head, t_rows=t_rows,
            cutoff=rr.plan.cutoff_speed_kmh, links=_links(rr.slug, lang), qr=qr_svg(ctx["canonical"], scale=3),
            **ctx,
        )
        return HTMLResponse(html)

    return _answer(request, rr, _etag("page", rr), make)


def closures_page(request: Request) -> Response:
    from routes.race.closures import closure_span, notice_intro, notice_rows

    rr = _race_request(request)
    if isinstance(rr, Response):
        return rr
    lang = rr.lang

    def make() -> Response:
        name = rr.plan.title(lang)
        head, rows = notice_rows(rr.view.layout, lang)
        span = closure_span(rr.view.layout)
        desc = t("rp.notice.meta_desc", lang, race=name, start=fmt_datetime(span[0], lang) if span else "–",
                 end=fmt_datetime(span[1], lang) if span else "–", n=len(rows))
        draft_mark = f" · {t('rp.draft_mark', lang)}" if rr.draft else ""
        ctx = _context(request, rr, f"/r/race/{quote(rr.slug)}/closures",
                       title=f"{t('rp.notice.page_title', lang, race=name)}{draft_mark} · {t('app.title', lang)}",
                       description=desc)
        ctx["og_title"] = t("rp.notice.page_title", lang, race=name)
        html = light.render(
            "race_closures.html", lang, name=name, intro=notice_intro(rr.view.layout, lang), head=head, rows=rows,
            plan=rr.plan, links=_links(rr.slug, lang), illustrative=rr.view.layout.illustrative,
            times_note=t("rp.notice.times_note", lang, lead=f"{rr.plan.lead_buffer_s / 60:g}",
                         trail=f"{rr.plan.trail_buffer_s / 60:g}"),
            **ctx,
        )
        return HTMLResponse(html)

    return _answer(request, rr, _etag("closures", rr), make)


def closures_pdf(request: Request) -> Response:
    from routes.race.closures import PAPER_SIZES, closure_notice_pdf

    rr = _race_request(request)
    if isinstance(rr, Response):
        return rr
    size = str(request.query_params.get("size") or DEFAULT_PAPER).upper()
    size = size if size in PAPER_SIZES else DEFAULT_PAPER
    lang = rr.lang

    def make() -> Response:
        data = closure_notice_pdf(rr.view.layout, lang=lang, size=size, generated_at=rr.info.updated_at)
        name = f"{rr.slug}-closures-{size}-{lang}.pdf"
        return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})

    return _answer(request, rr, _etag("pdf", rr, size), make)


def closures_csv(request: Request) -> Response:
    from routes.race.closures import closures_csv as make_csv

    rr = _race_request(request)
    if isinstance(rr, Response):
        return rr
    lang = rr.lang

    def make() -> Response:
        name = f"{rr.slug}-closures-{lang}.csv"
        return Response(make_csv(rr.view.layout, lang), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return _answer(request, rr, _etag("csv", rr), make)


class _Named:
    """What the share picture reads of a route (names, illustrative) for a race."""

    def __init__(self, rr: _RaceRequest) -> None:
        self.name_zh = rr.plan.title("zh")
        self.name_en = rr.plan.title("en")
        self.illustrative = rr.view.layout.illustrative


class _RaceAnalysis:
    """The lap's analysis as the share picture reads it, with the whole race's distance and climbing."""

    def __init__(self, rr: _RaceRequest) -> None:
        self._ra = rr.view.lap_ra
        lay = rr.view.layout
        self.analysis = _Figures(self._ra.analysis, lay.course.race_m, lay.ascent_m)

    def __getattr__(self, name: str) -> object:
        return getattr(self._ra, name)


class _Figures:
    def __init__(self, analysis: object, distance_m: float, ascent_m: float | None) -> None:
        self._a = analysis
        self.distance_m = distance_m
        self.ascent_m = ascent_m

    def __getattr__(self, name: str) -> object:
        return getattr(self._a, name)


def share_png(request: Request) -> Response:
    from routes.views.sharepic import draw_share_picture

    rr = _race_request(request)
    if isinstance(rr, Response):
        return rr
    url = f"{light._base(request)}/r/race/{quote(rr.slug)}{_q(rr.lang)}"

    def make() -> Response:
        return Response(draw_share_picture(_Named(rr), _RaceAnalysis(rr), lang=rr.lang, url=url),
                        media_type="image/png")

    return _answer(request, rr, _etag("png", rr, url), make)


def race_routes() -> list[BaseRoute]:
    """/r/race/... (before the route pages' /r/{slug} patterns, which would not match these paths anyway)."""
    return [
        Route("/r/race/{slug}.png", share_png),
        Route("/r/race/{slug}/closures.pdf", closures_pdf),
        Route("/r/race/{slug}/closures.csv", closures_csv),
        Route("/r/race/{slug}/closures", closures_page),
        Route("/r/race/{slug}", race_page),
    ]
