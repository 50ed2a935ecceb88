"""Places that are areas on the light pages (in-process ASGI, seeded database): the route's "along the way" says how
it passes the lake and the villages, the lake's page gives its extent and "around the lake", data notes are in the
page's language."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from routes.web import build_middleware, build_routes
from tests.web.asgi import get


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("GUIDE_DATABASE_URL", f"sqlite:///{tmp_path_factory.mktemp('light-areas') / 'guide.db'}")
    yield Starlette(routes=build_routes(), middleware=build_middleware())
    mp.undo()


@pytest.mark.parametrize(
    ("lang", "lake", "village"),
    [("zh", "环湖（约 3.1 公里）", "穿过村庄"), ("en", "around the lake (about 3.1 km)", "through the village")],
)
def test_route_page_says_how_it_passes_areas(app, lang, lake, village):
    page = get(app, "/r/tianxiang" + ("?lang=en" if lang == "en" else "")).text
    assert f'<span class="how">{lake}</span>' in page
    assert f'<span class="how">{village}' in page


@pytest.mark.parametrize(
    ("lang", "extent", "how"),
    [("zh", "面积约 1.11 平方公里", "环湖（约 3.1 公里）"), ("en", "about 1.11 km²", "around the lake (about 3.1 km)")],
)
def test_the_lake_page_gives_its_extent_and_the_route_round_it(app, lang, extent, how):
    page = get(app, "/r/poi/seed-dongjiang-lake" + ("?lang=en" if lang == "en" else "")).text
    assert f"<dd>{extent}</dd>" in page
    assert how in page and ("天香骑行线" if lang == "zh" else "Tianxiang Cycling Line") in page


def test_the_viewer_gets_the_lake_outline_in_the_map_frame(app):
    import json
    import os
    import re

    from routes.io.chinacoords import wgs84_to_gcj02
    from routes.store import open_store

    page = get(app, "/r/tianxiang").text
    data = json.loads(re.search(r'<script type="application/json" class="viewer-data">(.*?)</script>', page,
                                re.S).group(1))
    lake = next(p for p in data["pois"] if p["id"] == "seed-dongjiang-lake")
    village = next(p for p in data["pois"] if p["id"] == "seed-nanxue-village")
    assert village["radius"] == 300.0 and "rings" not in village
    poi = open_store(os.environ["GUIDE_DATABASE_URL"]).get_poi("seed-dongjiang-lake")
    lon, lat = poi.area["coordinates"][0][0]
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)  # the zh page's basemap is Amap: GCJ-02 like the line
    assert lake["rings"][0][0] == [round(float(g_lat), 6), round(float(g_lon), 6)]
