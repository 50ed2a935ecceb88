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

    return [Route("/r/ping", _ping), *session_routes(), *offline_routes(), *light_routes()]


def build_middleware() -> list[Middleware]:
    """Middleware around every request, Streamlit's own included (its bundles are sent uncompressed by design)."""
    from routes.web.mediagate import MediaGateMiddleware
    from routes.web.security import SecurityMiddleware
    from routes.web.uploadgate import UploadGateMiddleware
    from routes.web.vary import VaryOnceMiddleware

    return [
        Middleware(SecurityMiddleware),
        Middleware(UploadGateMiddleware),
        Middleware(VaryOnceMiddleware),  # around gzip: it appends "Accept-Encoding" to a Vary that may already say so
        Middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES),
        Middleware(ShellLanguageMiddleware),  # inside gzip: it rewrites the plain index page
        Middleware(MediaGateMiddleware),  # next to Streamlit: a refused file is never compressed first
    ]
