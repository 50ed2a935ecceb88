"""Installable and offline light pages: the web app manifest, the service worker script and the offline page.

What the service worker keeps, for how long and why there is no bulk prefetch of map tiles: docs/offline.md.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from routes.text.i18n import t
from routes.views.appicon import ICON_SIZES_PX
from routes.web import light
from routes.web.security import SERVICE_WORKER_CONTENT_SECURITY_POLICY

#: Paths with a dot in them: no route slug can have one (routes/store/validate.py SLUG_RE), so none is ever shadowed.
MANIFEST_PATH = "/r/manifest.webmanifest"
SW_PATH = "/r/sw.js"
OFFLINE_PAGE_PATH = "/r/offline.html"
#: Everything under /r/ (catalogue, routes, POIs, downloads, assets) and nothing of the Streamlit app.
SW_SCOPE = "/r/"
SW_FILE = light.STATIC / "light" / "sw.js"
#: The browser checks the worker for an update on every navigation; it must never keep an old copy for long, or a
#: fixed worker would reach riders days late. The ETag makes an unchanged worker a 304.
SW_CACHE_CONTROL = "no-cache"
MANIFEST_MEDIA_TYPE = "application/manifest+json"
#: Theme (the header bar, the task switcher) and splash screen colours: the light pages' header and page background.
THEME_COLOUR = "#c0392b"
BACKGROUND_COLOUR = "#faf7f0"


def manifest_data(lang: str) -> dict:
    """The web app manifest in ``lang``: installing from an English page gives an English app that opens in English."""
    start = f"{SW_SCOPE}{light._q(lang)}"
    icons = []
    for size in ICON_SIZES_PX:
        src = light.asset_url(f"light/icon-{size}.png")
        # One picture for both purposes: it keeps everything in the maskable safe zone (routes/views/appicon.py).
        icons += [
            {"src": src, "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"},
            {"src": src, "sizes": f"{size}x{size}", "type": "image/png", "purpose": "maskable"},
        ]
    return {
        "id": start,
        "name": t("app.title", lang),
        "short_name": t("offline.short_name", lang),
        "description": t("offline.app_desc", lang),
        "lang": "zh-CN" if lang == "zh" else "en",
        "dir": "ltr",
        "start_url": start,
        "scope": SW_SCOPE,
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["travel", "sports", "navigation"],
        "icons": icons,
    }


def manifest(request: Request) -> Response:
    lang = light._lang(request)

    def make() -> Response:
        body = json.dumps(manifest_data(lang), ensure_ascii=False, indent=1).encode()
        return Response(body, media_type=MANIFEST_MEDIA_TYPE)

    return light.cached(request, light.etag_for("manifest", lang), make)


@lru_cache(maxsize=1)
def _sw_script() -> tuple[bytes, str]:
    body = SW_FILE.read_bytes()
    return body, f'"{hashlib.sha256(body).hexdigest()[:24]}"'


def service_worker(request: Request) -> Response:
    """static/light/sw.js at /r/sw.js: a worker's scope is at most the folder of its URL, so it is served from /r/
    itself (no Service-Worker-Allowed header needed), never cached for long, with a policy of its own."""
    body, etag = _sw_script()
    headers = {
        "ETag": etag,
        "Cache-Control": SW_CACHE_CONTROL,
        "Content-Security-Policy": SERVICE_WORKER_CONTENT_SECURITY_POLICY,
        "Vary": "Accept-Encoding",
    }
    if light._matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=light.ASSET_TYPES[".js"], headers=headers)


def offline_page(request: Request) -> Response:
    """What the service worker shows for a page never opened on this phone when there is no signal (it keeps one copy
    per language from the moment it is installed). Not for search engines."""
    lang = light._lang(request)

    def make() -> Response:
        ctx = light._page_context(
            request,
            lang,
            OFFLINE_PAGE_PATH,
            title=f"{t('offline.title', lang)} · {t('app.title', lang)}",
            description=t("offline.text", lang),
        )
        return HTMLResponse(light.render("offline.html", lang, **ctx))

    return light.cached(request, light.etag_for("offline", lang), make)


def offline_routes() -> list[BaseRoute]:
    """Before the light routes: ``/r/{slug}`` would otherwise take these paths."""
    return [
        Route(MANIFEST_PATH, manifest),
        Route(SW_PATH, service_worker),
        Route(OFFLINE_PAGE_PATH, offline_page),
    ]
