"""The site's public address (``GUIDE_PUBLIC_URL``): what share links, QR codes, canonical and ``og:`` links name.

Without it those links follow the Host header of each request, which anyone can make up; with it they are the same
for every request, so what is rendered from them can be kept once for everyone.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from urllib.parse import urlsplit

#: The variable naming the site, e.g. ``https://ride.example.cn`` (a trailing slash is dropped).
PUBLIC_URL_ENV = "GUIDE_PUBLIC_URL"
#: Schemes a visitor's browser or phone can open from a link or a QR code.
PUBLIC_URL_SCHEMES = ("http", "https")
#: Characters that have no place in an address printed into HTML, Markdown and QR codes (besides spaces and controls).
UNSAFE_URL_CHARS = frozenset('"<>\\^`{|}')

LOG = logging.getLogger("guide.config")


def public_url() -> str | None:
    """The site's address without a trailing slash, or None when unset or unusable (then the request's own is used).

    Read from the environment on every call, so a changed setting (or a test's) is seen at once.
    """
    return _checked(os.environ.get(PUBLIC_URL_ENV, "").strip())


# Kept per distinct value only so that a wrong setting is logged once, not on every request; the result depends on
# the argument alone.
@lru_cache(maxsize=8)
def _checked(raw: str) -> str | None:
    if not raw:
        return None
    parts = urlsplit(raw)
    try:
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
        port_ok = True
    except ValueError:
        port_ok = False
    ok = (
        port_ok
        and parts.scheme.lower() in PUBLIC_URL_SCHEMES
        and bool(parts.hostname)
        and not (parts.username or parts.password or parts.query or parts.fragment)
        and not any(c.isspace() or not c.isprintable() or c in UNSAFE_URL_CHARS for c in raw)
    )
    if not ok:
        LOG.warning(
            "%s=%r ignored: it needs http:// or https:// and a host name, e.g. https://ride.example.cn "
            "(已忽略：需要 http:// 或 https:// 加主机名)",
            PUBLIC_URL_ENV,
            raw,
        )
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"
