"""The app's own HTTP layer next to Streamlit's (Starlette routes and middleware: light public pages, the sign-in
cookie, the upload and media gates, security headers, a single Vary header) and what every Streamlit page adds to the
browser document (``pageshell``); never imports Streamlit.

Layer 7: may import every package below it (``core`` … ``views``).
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Route

from routes.web.a11y import ShellLanguageMiddleware
from routes.web.session import session_routes

#: Responses smaller than this are sent as they are: gzip's header costs more than it saves on tiny bodies.
GZIP_MIN_BYTES = 500


async def _ping(request):
    return PlainTextResponse("ok")


def build_routes() -> list[BaseRoute]:
    """Every route the app adds to Streamlit's server."""
    from routes.web.light import light_routes
    from routes.web.offline import offline_routes
    from routes.web.racepage import race_routes

    return [Route("/r/ping", _ping), *session_routes(), *offline_routes(), *race_routes(), *light_routes()]


def build_middleware(*, page_paths: frozenset[str] | None = None, home_paths: frozenset[str] = frozenset(),
                     base_path: str = "") -> list[Middleware]:
    """Middleware around every request, Streamlit's own included (its bundles are sent uncompressed by design).

    ``page_paths`` (the app's page URL paths), ``home_paths`` (the default page's own name) and ``base_path``
    (Streamlit's server.baseUrlPath) let an unknown page path go to the home page instead of Streamlit's English
    "Page not found" (routes/web/a11y.py); without them every path is taken for a page.
    """
    from routes.web.mediagate import MediaGateMiddleware
    from routes.web.security import SecurityMiddleware
    from routes.web.uploadgate import UploadGateMiddleware
    from routes.web.vary import VaryOnceMiddleware

    return [
        Middleware(SecurityMiddleware),
        Middleware(UploadGateMiddleware),
        Middleware(VaryOnceMiddleware),  # around gzip: it appends "Accept-Encoding" to a Vary that may already say so
        Middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES),
        # inside gzip: it rewrites the plain index page
        Middleware(ShellLanguageMiddleware, page_paths=page_paths, home_paths=home_paths, base_path=base_path),
        Middleware(MediaGateMiddleware),  # next to Streamlit: a refused file is never compressed first
    ]
