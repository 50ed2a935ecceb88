"""``/r/photo/<photo id>-<width>.<webp|jpg>``: a published POI's photo, resized, to anyone, cacheable.

Only a photo that a published, non-deleted POI shows now is served; anything else (a draft's photo, a deleted POI's,
one replaced by a newer upload, an unknown id or width) gets the same 404, so nobody can tell which it was. Staff
still see every photo through Streamlit's /media/ (routes/web/mediagate.py), unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

from routes.views import photos

#: ``<32 hex id>-<width>.<ext>``: anything else is not a photo URL.
NAME_RE = re.compile(r"^(?P<id>[0-9a-f]{32})-(?P<width>[0-9]{1,5})\.(?P<ext>webp|jpg)$")
#: The bytes under a URL never change (ids name immutable content), so browsers need not revalidate ("immutable").
#: The lifetime is a week rather than a year because visibility can change: a photo taken down (POI unpublished,
#: deleted or given another photo) leaves shared caches within that time.
PHOTO_CACHE_CONTROL = "public, max-age=604800, immutable"
NOT_FOUND_CACHE_CONTROL = "no-store"


def _not_found() -> Response:
    return Response(status_code=404, headers={"Cache-Control": NOT_FOUND_CACHE_CONTROL})


def endpoint(get_store: Callable[[], object]) -> Callable[[Request], Response]:
    """The endpoint answering from the store ``get_store()`` gives (the light pages' one)."""

    def photo_file(request: Request) -> Response:
        m = NAME_RE.match(request.path_params["name"])
        if m is None or int(m["width"]) not in photos.RENDITION_WIDTHS_PX:
            return _not_found()
        store = get_store()
        info = store.public_photo(m["id"])
        if info is None:
            return _not_found()
        width, fmt = int(m["width"]), m["ext"]
        etag = f'"{info.sha256[:24]}-{width}-{fmt}"'
        headers = {"Cache-Control": PHOTO_CACHE_CONTROL, "ETag": etag}
        if request.headers.get("if-none-match", "").strip().removeprefix("W/") == etag:
            return Response(status_code=304, headers=headers)
        data = photos.rendition(store, info.id, width, fmt)
        return Response(data, media_type=photos.FORMATS[fmt], headers=headers)

    return photo_file
