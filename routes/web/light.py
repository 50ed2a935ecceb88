"""Light public pages under /r/: server-rendered HTML, share pictures and downloads, with ETag revalidation."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import numpy as np
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from routes.core.publicurl import public_url
from routes.core.roles import EDITOR_ROLES
from routes.text.i18n import fmt_km, fmt_m, pick, resolve_lang, shorten, t
from routes.views import guide
from routes.views import photos as photo_views
from routes.web import photos as photo_web
from routes.web.bodycache import PerHostLRU
from routes.web.pagedata import META_DESC_CHARS, poi_href

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
STATIC = ROOT / "static"
#: Folders of static/ the light pages use; their files are served under /r/s/<version>/ with year-long caching.
ASSET_DIRS = ("leaflet", "light")
#: Pages are revalidated on every visit (ETag → 304): an edit shows at once, an unchanged page costs one round trip.
PAGE_CACHE_CONTROL = "public, no-cache"
#: Versioned assets never change under their URL.
ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable"
#: A draft route an editor previews: no proxy, shared cache or browser disk keeps a copy (and this process's body cache
#: never holds one: it answers whoever asks for the same ETag).
DRAFT_CACHE_CONTROL = "private, no-store"
#: Catalogue thumbnails: the overview line drawn in a box of this many user units.
THUMB_W, THUMB_H, THUMB_PAD = 300, 150, 10
#: The language switch names the other language in that language (as the Streamlit sidebar's switch does).
LANG_NAMES = {"zh": "中文", "en": "English"}
#: Query parameter (=1) that asks for the poster as a file to save rather than a picture to open.
DOWNLOAD_PARAM = "download"
ASSET_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


# --- process-wide, immutable once built ----------------------------------------------------------------------------

#: Rendered page bodies kept per process (see cached()): enough for every route × language × kind of this guide, and
#: bounded in bytes so that a few large downloads cannot hold much memory.
BODY_CACHE_BYTES = 32 * 1024 * 1024
#: Host names whose bodies are kept at once when GUIDE_PUBLIC_URL is unset (links then name the request's host): the
#: site's name with and without www, its address and localhost. A made-up Host header is answered, but its bodies
#: evict the least recently used host's instead of adding to them. With GUIDE_PUBLIC_URL every request is one host.
BODY_CACHE_MAX_HOSTS = 4
_BODIES = PerHostLRU(BODY_CACHE_BYTES, BODY_CACHE_MAX_HOSTS)


@lru_cache(maxsize=4)
def _store_for(url: str):
    from routes.store import open_store

    return open_store(url or None)


def get_store():
    """One store per process and database URL (like pages/_shared.get_store, without Streamlit)."""
    return _store_for(os.environ.get("GUIDE_DATABASE_URL", ""))


@lru_cache(maxsize=1)
def asset_version() -> str:
    """A hash of every file served under /r/s/: part of the asset URLs, so a changed file gets a new URL."""
    h = hashlib.sha256()
    for folder in ASSET_DIRS:
        for path in sorted((STATIC / folder).rglob("*")):
            if path.is_file():
                h.update(str(path.relative_to(STATIC)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=1)
def content_version() -> str:
    """A hash of what shapes a page besides the data (templates, strings, page code, assets): a deploy changes it."""
    h = hashlib.sha256(asset_version().encode())
    files = sorted(HERE.glob("templates/*.html")) + [HERE / "pagedata.py", HERE / "light.py"]
    files += [
        ROOT / "routes" / n
        for n in (
            "text/light.py",
            "text/navigation.py",
            "views/navlinks.py",
            "text/cyclists.py",
            "text/common.py",
            "views/svgprofile.py",
            "views/sharepic.py",
            "analysis/graderuns.py",
            "text/offline.py",
            "web/offline.py",
            "views/photos.py",
            "text/photos.py",
            "text/wayfinding.py",
            "views/descentfacts.py",
            "views/markers.py",
            "views/poitext.py",
            "views/mapapproval.py",
            "web/poimap.py",
        )
    ]
    for path in files:  # a file named here and missing is a defect of this list: it raises
        h.update(path.read_bytes())
    # The map approval numbers come from the environment: a newly configured one must reach every cached page.
    from routes.views.mapapproval import PUBLISHED_APPROVAL, approval_number

    h.update(";".join(approval_number(k) for k in sorted(PUBLISHED_APPROVAL)).encode())
    return h.hexdigest()[:12]


def asset_url(rel: str) -> str:
    return f"/r/s/{asset_version()}/{rel}"


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True),
        trim_blocks=False,
        lstrip_blocks=False,
    )


def render(template: str, lang: str, **context: object) -> str:
    return (
        _env()
        .get_template(template)
        .render(lang=lang, t=lambda key, **kw: t(key, lang, **kw), asset=asset_url, **context)
    )


# --- helpers -------------------------------------------------------------------------------------------------------


def _lang(request: Request) -> str:
    return resolve_lang(request.query_params.get("lang"))


def _q(lang: str) -> str:
    return "?lang=en" if lang == "en" else ""


def _base(request: Request) -> str:
    """The site address links name: GUIDE_PUBLIC_URL when set, otherwise the address the request was sent to."""
    return public_url() or str(request.base_url).rstrip("/")


def etag_for(*parts: object) -> str:
    h = hashlib.sha256("\x1f".join(str(p) for p in (content_version(), *parts)).encode())
    return f'"{h.hexdigest()[:24]}"'


def _matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(",")) or header.strip() == "*"


def cached(request: Request, etag: str, make: Callable[[], Response]) -> Response:
    """304 when the browser holds this version, else the response; both carry ETag and Cache-Control.

    The body is also kept in this process (keyed by the ETag, which changes with every edit, and the site address
    the page names in its links, see _base and BODY_CACHE_MAX_HOSTS): a crowd opening the same page costs one render,
    not one each. Only 200 responses are kept.
    """
    headers = {"ETag": etag, "Cache-Control": PAGE_CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if _matches(request, etag):
        return Response(status_code=304, headers=headers)
    base = _base(request)
    hit = _BODIES.get(base, etag)
    if hit is not None:
        body, (media_type, own_headers) = hit
        return Response(body, media_type=media_type, headers={**own_headers, **headers})
    resp = make()
    if resp.status_code == 200 and isinstance(resp.body, bytes):
        # The endpoint's own headers (a download's Content-Disposition) go with the body; the length is recomputed.
        own = {k: v for k, v in resp.headers.items() if k.lower() not in ("content-length", "content-type")}
        _BODIES.put(base, etag, (resp.body, (resp.media_type, own)))
    resp.headers.update(headers)
    return resp


def not_found() -> HTMLResponse:
    """The same bilingual page for an unknown slug, a draft and a missing POI (no hint which one it was)."""
    body = render("notfound.html", "zh", zh_text=t("light.not_found", "zh"), en_text=t("light.not_found", "en"))
    return HTMLResponse(body, status_code=404, headers={"Cache-Control": "no-store"})


def unavailable(exc: guide.RouteUnavailable) -> HTMLResponse:
    """A published route whose track cannot be analysed: the same bilingual page, saying so (never why: that is for
    editors), 503 so that caches and crawlers come back later."""
    body = render("notfound.html", "zh", zh_title=exc.message("zh"), en_title=exc.message("en"),
                  zh_text=exc.message("zh"), en_text=exc.message("en"))
    return HTMLResponse(body, status_code=503, headers={"Cache-Control": "no-store"})


def _published(store: object, slug: str) -> tuple[object, guide.RouteAnalysis] | None:
    """A published route with its analysis; None for drafts and unknown slugs (checked before any analysis)."""
    return guide.load_route(store, slug, status="published")


@dataclass(frozen=True)
class _RouteRequest:
    """What every per-route endpoint starts from: the slug, the language, the published route and its analysis."""

    slug: str
    lang: str
    store: object
    info: object
    ra: guide.RouteAnalysis
    #: A draft shown to a signed-in editor (see _route_request): marked, not indexed, never cached.
    draft: bool = False


def _editor_preview(request: Request, store: object) -> bool:
    """Whether the request carries a live session of an editor or admin (the role as stored now): they may preview
    drafts. Looked up only for a slug that is no published route, and only when there is a session cookie."""
    from routes.store.auth import resolve_session
    from routes.web.session import COOKIE_NAME

    token = request.cookies.get(COOKIE_NAME)
    if not token:
        return False
    sess, _why = resolve_session(store, token)
    return sess is not None and sess.role in EDITOR_ROLES


def _route_request(request: Request) -> _RouteRequest | None:
    """The published route the URL names, or a draft for a signed-in editor; None (answered with the not-found page)
    for anyone else's drafts and for unknown slugs."""
    slug, lang = request.path_params["slug"], _lang(request)
    store = get_store()
    loaded = _published(store, slug)
    if loaded is None and _editor_preview(request, store):
        loaded = guide.load_route(store, slug)
        return None if loaded is None else _RouteRequest(slug, lang, store, *loaded, draft=True)
    if loaded is None:
        return None
    return _RouteRequest(slug, lang, store, *loaded)


def _answer(request: Request, rr: _RouteRequest, etag: str, make: Callable[[], Response]) -> Response:
    """:func:`cached` for a published route; a draft preview is made afresh for the editor, private and no-store."""
    if not rr.draft:
        return cached(request, etag, make)
    resp = make()
    resp.headers["Cache-Control"] = DRAFT_CACHE_CONTROL
    return resp


def _guarded(endpoint: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """The endpoint, answering the unavailable page when the route it draws cannot be analysed."""

    def run(request: Request) -> Response:
        try:
            return endpoint(request)
        except guide.RouteUnavailable as exc:
            return unavailable(exc)

    run.__name__ = endpoint.__name__
    return run


def _pois_version(pois: list) -> str:
    return hashlib.sha256(";".join(f"{p.id}:{p.version}" for p in pois).encode()).hexdigest()[:16]


def _route_etag(kind: str, info: object, pois: list, lang: str) -> str:
    return etag_for(kind, info.slug, lang, info.sha256, info.version, _pois_version(pois))


def _page_context(request: Request, lang: str, path: str, *, title: str, description: str, image: str = "") -> dict:
    base = _base(request)
    return {
        "title": title,
        "description": description,
        "image": image,
        "canonical": f"{base}{path}{_q(lang)}",
        "alternates": [("zh-CN", f"{base}{path}"), ("en", f"{base}{path}?lang=en"), ("x-default", f"{base}{path}")],
        "home": f"/r/{_q(lang)}",
        "other_lang": "en" if lang == "zh" else "zh-CN",
        "other_lang_href": f"{path}{_q('en' if lang == 'zh' else 'zh')}",
        "other_lang_label": LANG_NAMES["en" if lang == "zh" else "zh"],
    }


def _links(slug: str, lang: str) -> dict[str, str]:
    q = _q(lang)
    return {
        "gpx": f"/r/{slug}.gpx{q}",
        "tcx": f"/r/{slug}.tcx{q}",
        "png": f"/r/{slug}.png{q}",
        "poster": f"/r/{slug}-poster.png{q}",
        "poster_download": f"/r/{slug}-poster.png{q}{'&' if q else '?'}{DOWNLOAD_PARAM}=1",
        "full": f"/route?id={quote(slug)}&lang={lang}",
    }


# --- pages ---------------------------------------------------------------------------------------------------------


def route_page(request: Request) -> Response:
    from routes.io.downloads import qr_svg
    from routes.web.pagedata import route_page as build

    rr = _route_request(request)
    if rr is None:
        return not_found()
    slug, lang, info, ra = rr.slug, rr.lang, rr.info, rr.ra
    pois = guide.visible_pois(rr.store)
    cards = guide.route_cards(rr.store)  # the way back from a one-way route's finish may follow another route

    def make() -> Response:
        from routes.views import navlinks

        p = build(info, ra, pois, lang)
        by_id = {poi.id: poi for poi in pois}
        pictures = photo_views.route_pictures(
            rr.store, [(by_id[a.poi_id], a.km) for a in p.along if a.poi_id in by_id], lang,
            href=lambda pid: f"/r/poi/{quote(pid)}{_q(lang)}",
        )
        nav = navlinks.getting_there(info, ra, lang, cards)
        draft_mark = f" · {t('route.draft_mark', lang)}" if rr.draft else ""
        ctx = _page_context(
            request,
            lang,
            f"/r/{slug}",
            title=f"{p.name}{draft_mark} · {t('app.title', lang)}",
            description=p.meta_desc,
            image=f"{_base(request)}/r/{slug}.png{_q(lang)}",
        )
        ctx["og_title"] = p.name
        ctx["draft"] = rr.draft
        ctx["og_type"] = "article"
        html = render(
            "route.html",
            lang,
            p=p,
            links=_links(slug, lang),
            qr=qr_svg(ctx["canonical"], scale=3),
            poi_href=lambda pid: poi_href(pid, slug, lang),
            nav=nav,
            nav_texts=navlinks.texts(nav, lang),
            photo_gallery=photo_views.gallery_html(pictures) if pictures else "",
            route_href=lambda s: f"/r/{quote(s)}{_q(lang)}",
            **ctx,
        )
        return HTMLResponse(html)

    routes_version = ";".join(f"{c.info.slug}:{c.info.sha256}:{c.info.version}" for c in cards)
    return _answer(request, rr, etag_for(_route_etag("page", info, pois, lang), routes_version), make)


def embed_page(request: Request) -> Response:
    """Map and profile alone, for the Streamlit route page's iframe (the same viewer as the light page)."""
    from routes.web.pagedata import route_page as build

    rr = _route_request(request)
    if rr is None:
        return not_found()
    slug, lang, info, ra = rr.slug, rr.lang, rr.info, rr.ra
    pois = guide.visible_pois(rr.store)
    stretch_m = _stretch(request, ra.distance_m)

    def make() -> Response:
        p = build(info, ra, pois, lang, stretch_m=stretch_m)
        return HTMLResponse(
            render("embed.html", lang, p=p, title=p.name, name=p.name, canonical=f"{_base(request)}/r/{slug}{_q(lang)}")
        )

    return _answer(
        request, rr, etag_for("embed", info.slug, lang, info.sha256, info.version, _pois_version(pois), stretch_m),
        make,
    )


def _stretch(request: Request, total_m: float) -> tuple[float, float] | None:
    """?from=&to= (metres) of a stretch to highlight; anything unreadable or empty means none."""
    try:
        a, b = float(request.query_params["from"]), float(request.query_params["to"])
    except (KeyError, ValueError):
        return None
    a, b = max(0.0, min(a, b)), min(total_m, max(a, b))
    return (a, b) if b > a and np.isfinite(a) and np.isfinite(b) else None


def _thumb_svg(ra: guide.RouteAnalysis, colour: str) -> str:
    lat, lon = np.asarray(ra.overview_lat, float), np.asarray(ra.overview_lon, float)
    if len(lat) < 2:
        return ""
    x = (lon - lon.min()) * np.cos(np.radians(lat.mean()))
    y = lat.max() - lat
    span = max(float(x.max()), float(y.max()), 1e-9)
    k = min(
        (THUMB_W - 2 * THUMB_PAD) / max(float(x.max()), 1e-9), (THUMB_H - 2 * THUMB_PAD) / max(float(y.max()), 1e-9)
    )
    k = k if np.isfinite(k) else (THUMB_H - 2 * THUMB_PAD) / span
    ox = (THUMB_W - float(x.max()) * k) / 2
    oy = (THUMB_H - float(y.max()) * k) / 2
    pts = " ".join(f"{ox + a * k:.1f},{oy + b * k:.1f}" for a, b in zip(x, y, strict=True))
    return (
        f'<svg viewBox="0 0 {THUMB_W} {THUMB_H}" width="100%" role="presentation" focusable="false">'
        f'<rect width="{THUMB_W}" height="{THUMB_H}" fill="#f3efe6"/>'
        f'<polyline points="{pts}" fill="none" stroke="#fff" stroke-width="6" stroke-linejoin="round"/>'
        f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="3" stroke-linejoin="round"/></svg>'
    )


def catalogue_page(request: Request) -> Response:
    lang = _lang(request)
    store = get_store()
    cards = guide.route_cards(store)  # store order: editor-set sort key, then slug

    def make() -> Response:
        items = []
        for i, c in enumerate(cards):
            info = c.info
            items.append(
                {
                    "href": f"/r/{quote(info.slug)}{_q(lang)}",
                    "name": pick(info.name_zh, info.name_en, lang),
                    "facts": t(
                        "light.card_facts",
                        lang,
                        distance=fmt_km(c.distance_m, lang),
                        ascent=fmt_m(c.ascent_m, lang),
                        difficulty=guide.difficulty_label(info.difficulty, lang),
                    ),
                    "desc": pick(info.desc_zh, info.desc_en, lang),
                    "svg": _thumb_svg(c.ra, guide.OVERVIEW_COLOURS[i % len(guide.OVERVIEW_COLOURS)]),
                }
            )
        image = f"{_base(request)}/r/{quote(cards[0].info.slug)}.png{_q(lang)}" if cards else ""
        ctx = _page_context(
            request,
            lang,
            "/r/",
            title=t("light.catalogue_title", lang),
            description=t("light.catalogue_desc", lang),
            image=image,
        )
        ctx["canonical"] = f"{_base(request)}/r/{_q(lang)}"
        return HTMLResponse(
            render(
                "catalogue.html",
                lang,
                cards=items,
                full_href=f"/?lang={lang}",
                illustrative=any(c.info.illustrative for c in cards),
                **ctx,
            )
        )

    version = ";".join(f"{c.info.slug}:{c.info.sha256}:{c.info.version}:{c.info.sort_order}" for c in cards)
    return cached(request, etag_for("catalogue", lang, version), make)


def poi_page(request: Request) -> Response:
    lang = _lang(request)
    store = get_store()
    poi = store.get_poi(request.path_params["poi_id"])
    if poi is None or poi.deleted or poi.status != "published":
        return not_found()
    cards = guide.route_cards(store)
    # Opened from a route page (?from=<slug>): "←" goes back to that route, otherwise to the catalogue. Only the slug
    # of a published route is taken, so the link never leads where a visitor cannot go.
    came_from = next((c for c in cards if c.info.slug == request.query_params.get("from", "")), None)

    def make() -> Response:
        from routes.views.maps import category_label
        from routes.views.poitext import poi_hours
        from routes.web.poimap import poi_map_json

        name = pick(poi.name_zh, poi.name_en, lang)
        desc = pick(poi.desc_zh, poi.desc_en, lang)
        routes = []
        routes_slugs = []
        for c in cards:
            for ps in guide.passages(c.ra, [poi]):
                routes_slugs.append(c.info.slug)
                rname = pick(c.info.name_zh, c.info.name_en, lang)
                how = guide.passage_label(ps, lang)  # "around the lake", "through the village" for an area
                label = t("light.poi_on_route", lang, route=rname, km=f"{ps.distance_m / 1000:.1f}")
                routes.append(
                    {
                        "href": f"/r/{quote(c.info.slug)}{_q(lang)}",
                        "label": f"{label} · {how}" if how else label,
                    }
                )
        first_slug = routes_slugs[0] if routes_slugs else ""  # the share picture of the first route passing it
        ctx = _page_context(
            request,
            lang,
            f"/r/poi/{quote(poi.id)}",
            title=t("light.poi_title", lang, name=name),
            description=shorten(desc or name, META_DESC_CHARS),
            image=f"{_base(request)}/r/{quote(first_slug)}.png{_q(lang)}" if first_slug else "",
        )
        ctx["og_title"] = name
        return HTMLResponse(
            render(
                "poi.html",
                lang,
                name=name,
                desc=desc,
                category=category_label(poi.category, lang),
                illustrative=poi.illustrative,
                picture=photo_views.place_picture(store, poi, lang),
                position=f"{poi.lat:.5f}, {poi.lon:.5f}",
                extent=guide.extent_label(poi, lang),
                hours=poi_hours(poi.hours, poi.hours_en, lang),
                phone=poi.phone,
                url=poi.url,
                routes=routes,
                poi_map=poi_map_json(poi, lang),
                back_href=f"/r/{quote(came_from.info.slug)}{_q(lang)}" if came_from else "",
                back_label=t("light.back_to_route", lang, route=pick(came_from.info.name_zh, came_from.info.name_en,
                                                                      lang)) if came_from else "",
                **ctx,
            )
        )

    version = ";".join(f"{c.info.slug}:{c.info.sha256}:{c.info.version}" for c in cards)
    back = came_from.info.slug if came_from else ""
    return cached(request, etag_for("poi", poi.id, poi.version, lang, version, back), make)


# --- pictures and downloads ----------------------------------------------------------------------------------------


def _picture(request: Request, *, poster: bool) -> Response:
    from routes.views.sharepic import draw_share_picture

    rr = _route_request(request)
    if rr is None:
        return not_found()
    slug, lang, info, ra = rr.slug, rr.lang, rr.info, rr.ra
    url = f"{_base(request)}/r/{slug}{_q(lang)}"

    def make() -> Response:
        return Response(draw_share_picture(info, ra, lang=lang, url=url, poster=poster), media_type="image/png")

    resp = _answer(request, rr, etag_for("png", poster, slug, lang, info.sha256, info.version, url), make)
    if poster and resp.status_code == 200:
        # The poster opens as a picture (inline): in a chat app's browser people long-press a picture to save or
        # forward it, which a download would prevent. ?download=1 asks for the same picture as a file (the page links
        # both); one drawing, one cached body serves the two.
        how = "attachment" if request.query_params.get(DOWNLOAD_PARAM) == "1" else "inline"
        resp.headers["Content-Disposition"] = f'{how}; filename="{slug}-poster-{lang}.png"'
    return resp


def share_png(request: Request) -> Response:
    return _picture(request, poster=False)


def poster_png(request: Request) -> Response:
    return _picture(request, poster=True)


def _download(request: Request, kind: str) -> Response:
    rr = _route_request(request)
    if rr is None:
        return not_found()
    slug, lang, info, ra = rr.slug, rr.lang, rr.info, rr.ra
    pois = guide.visible_pois(rr.store)

    def make() -> Response:
        along = guide.passages(ra, pois)
        if kind == "gpx":
            data, mime = guide.gpx_download(info, ra, along, lang=lang), "application/gpx+xml"
        else:
            data, mime = guide.tcx_download(info, ra, along, lang=lang), "application/vnd.garmin.tcx+xml"
        return Response(data, media_type=mime, headers={"Content-Disposition": f'attachment; filename="{slug}.{kind}"'})

    return _answer(request, rr, _route_etag(kind, info, pois, lang), make)


def gpx_file(request: Request) -> Response:
    return _download(request, "gpx")


def tcx_file(request: Request) -> Response:
    return _download(request, "tcx")


# --- static assets -------------------------------------------------------------------------------------------------


def asset(request: Request) -> Response:
    """static/<folder>/<file> for the folders in ASSET_DIRS; immutable when the URL's version is the current one."""
    rel = request.path_params["path"]
    parts = Path(rel).parts
    if not parts or parts[0] not in ASSET_DIRS or ".." in parts or rel.startswith("/"):
        return Response(status_code=404)
    path = (STATIC / rel).resolve()
    if not path.is_file() or STATIC.resolve() not in path.parents:
        return Response(status_code=404)
    current = request.path_params["version"] == asset_version()
    return Response(
        path.read_bytes(),
        media_type=ASSET_TYPES.get(path.suffix, "application/octet-stream"),
        headers={"Cache-Control": ASSET_CACHE_CONTROL if current else "public, no-cache"},
    )


def _to_catalogue(request: Request) -> Response:
    return RedirectResponse(f"/r/{_q(_lang(request))}", status_code=301)


def light_routes() -> list[BaseRoute]:
    """The /r/ routes, most specific first (``{slug}`` alone would also match "tianxiang.png")."""
    return [
        Route("/r", _to_catalogue),
        Route("/r/", catalogue_page),
        Route("/r/s/{version}/{path:path}", asset),
        Route("/r/poi/{poi_id}", poi_page),
        Route("/r/photo/{name}", photo_web.endpoint(get_store)),
        Route("/r/{slug}-poster.png", _guarded(poster_png)),
        Route("/r/{slug}.png", _guarded(share_png)),
        Route("/r/{slug}.gpx", _guarded(gpx_file)),
        Route("/r/{slug}.tcx", _guarded(tcx_file)),
        Route("/r/{slug}/embed", _guarded(embed_page)),
        Route("/r/{slug}", _guarded(route_page)),
    ]
