"""A route page next to many detailed areas stays light (in-process ASGI, a real seeded store): 20 areas of 5 000
vertices along the Tianxiang line made /r/tianxiang and its embed megabytes of outline; drawn simplified, with one
vertex budget per page, they stay under PAGE_MAX_BYTES while the stored outlines stay whole."""

from __future__ import annotations

import json
import os
import re

import numpy as np
import pytest
from starlette.applications import Starlette

from routes.analysis.areas import AREA_DISPLAY_VERTEX_BUDGET, AREA_MAX_VERTICES
from routes.web import build_middleware, build_routes
from tests.web.asgi import get

#: The issue's bound for the route page's HTML with the 20 areas (it was 2.4 MB; 83 kB without them).
PAGE_MAX_BYTES = 300_000
AREAS = 20
#: Metres per degree near the line, only to lay out the test outlines.
M_PER_DEG_LAT, M_PER_DEG_LON = 110_861.0, 96_486.0


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from routes.store import open_store
    from routes.views import guide

    mp = pytest.MonkeyPatch()
    url = f"sqlite:///{tmp_path_factory.mktemp('light-area-budget') / 'guide.db'}"
    mp.setenv("GUIDE_DATABASE_URL", url)
    store = open_store(url)
    _, ra = guide.load_route(store, "tianxiang")
    rng = np.random.default_rng(21)
    a = np.linspace(0, 2 * np.pi, AREA_MAX_VERTICES - 1, endpoint=False)  # + the closing position: the limit
    for k, i in enumerate(np.linspace(0, len(ra.track.lat) - 1, AREAS + 2)[1:-1].astype(int)):
        # A wobbly 150 m place 120 m north of the line, digitised every 20 cm with a little noise.
        lat0 = float(ra.track.lat[i]) + 120.0 / M_PER_DEG_LAT
        lon0 = float(ra.track.lon[i])
        r = 150.0 * (1 + 0.1 * np.sin(3 * a)) + rng.uniform(-0.2, 0.2, a.size)
        ring = np.column_stack([lon0 + r * np.cos(a) / M_PER_DEG_LON, lat0 + r * np.sin(a) / M_PER_DEG_LAT])
        store.create_poi(
            {"name_zh": f"测试区 {k}", "name_en": f"Test area {k}", "category": "village", "lat": lat0, "lon": lon0,
             "status": "published", "area": {"type": "Polygon", "coordinates": [ring.tolist()]}},
            user="ed",
        )
    yield Starlette(routes=build_routes(), middleware=build_middleware())
    mp.undo()


def _viewer_pois(page: str) -> list[dict]:
    data = re.search(r'<script type="application/json" class="viewer-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(data)["pois"]


#: Issue 21: what one request may make a server grow by.
SERVER_GROWTH_MAX_BYTES = 100 * 1024 * 1024


def test_the_first_render_next_to_twenty_detailed_areas_grows_the_server_little(app):
    """Runs first in this module: the route's passages by the areas are computed by this request."""
    import tracemalloc

    tracemalloc.start()
    try:
        reply = get(app, "/r/tianxiang")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reply.status == 200
    assert peak < SERVER_GROWTH_MAX_BYTES, f"{peak / 2**20:.0f} MB"


@pytest.mark.parametrize("path", ["/r/tianxiang", "/r/tianxiang/embed"])
def test_twenty_detailed_areas_keep_the_page_light(app, path):
    reply = get(app, path)
    assert reply.status == 200
    assert len(reply.content) < PAGE_MAX_BYTES, f"{path}: {len(reply.content)} bytes"
    areas = [p for p in _viewer_pois(reply.text) if p["name"].startswith("测试区")]
    assert len(areas) == AREAS  # every area is still drawn…
    vertices = sum(len(r) for p in areas for r in p["rings"])
    assert 8 * AREAS <= vertices <= AREA_DISPLAY_VERTEX_BUDGET  # …round, and within the page's budget


def test_the_stored_outlines_stay_whole(app):
    from routes.store import open_store

    get(app, "/r/tianxiang")
    pois = [p for p in open_store(os.environ["GUIDE_DATABASE_URL"]).published_pois() if p.name_zh.startswith("测试区")]
    assert len(pois) == AREAS
    assert all(len(p.area["coordinates"][0]) == AREA_MAX_VERTICES for p in pois)
