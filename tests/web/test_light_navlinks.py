"""The light route page's "getting to the start" block and the poster served as a picture, over HTTP (in-process
ASGI, real seeded database)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from routes.core.geo import geodesic_m
from routes.io.chinacoords import bd09_to_wgs84, gcj02_to_wgs84
from routes.io.gpxio import read_gpx
from routes.store import open_store
from tests.web.asgi import get

#: The promise of the links: the pin lands within this distance of the route's real start.
PIN_TOLERANCE_M = 60.0
#: Amap's URI API names its coordinate systems "gaode" (GCJ-02) and "wgs84".
AMAP_SYSTEMS = {"gaode": gcj02_to_wgs84, "wgs84": lambda lat, lon: (lat, lon)}
#: Baidu's: "bd09ll", "gcj02", "wgs84".
BAIDU_SYSTEMS = {"bd09ll": bd09_to_wgs84, "gcj02": gcj02_to_wgs84, "wgs84": lambda lat, lon: (lat, lon)}


@pytest.fixture(scope="module")
def start_finish(app, db_url):
    track = read_gpx(open_store(db_url).get_route_gpx("tianxiang"))
    return (float(track.lat[0]), float(track.lon[0])), (float(track.lat[-1]), float(track.lon[-1]))


def _section(page: str) -> str:
    m = re.search(r'<section id="getting-there-start".*?</section>', page, re.S)
    assert m, "no getting-there-start section"
    return m.group(0)


def _hrefs(fragment: str, app_key: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(rf'<a href="([^"]+)" data-app="{app_key}"', fragment)]


def _off_m(lat: float, lon: float, ref: tuple[float, float]) -> float:
    return float(geodesic_m(lat, lon, ref[0], ref[1]))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_route_page_links_amap_navigation_to_the_start_in_the_system_it_declares(app, start_finish, lang):
    page = get(app, "/r/tianxiang" + ("?lang=en" if lang == "en" else "")).text
    amap = _hrefs(_section(page), "amap")
    assert len(amap) == 2  # to the start from where the phone is, and from the finish
    start, finish = start_finish
    for url in amap:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc, parts.path) == ("https", "uri.amap.com", "/navigation")
        q = parse_qs(parts.query)
        assert q["mode"] == ["ride"]
        system = q.get("coordinate", ["gaode"])[0]  # Amap reads coordinates as GCJ-02 unless told otherwise
        lon, lat = (float(v) for v in q["to"][0].split(",")[:2])
        lat, lon = AMAP_SYSTEMS[system](lat, lon)
        assert _off_m(lat, lon, start) < PIN_TOLERANCE_M
    q = parse_qs(urlsplit(amap[1]).query)
    lon, lat = (float(v) for v in q["from"][0].split(",")[:2])
    assert _off_m(*AMAP_SYSTEMS[q.get("coordinate", ["gaode"])[0]](lat, lon), finish) < PIN_TOLERANCE_M


def test_route_page_links_baidu_navigation_to_the_start_in_the_system_it_declares(app, start_finish):
    for url in _hrefs(_section(get(app, "/r/tianxiang").text), "baidu"):
        q = parse_qs(urlsplit(url).query)
        assert q["mode"] == ["riding"]
        lat, lon = (float(v) for v in q["destination"][0].split("|")[0].removeprefix("latlng:").split(","))
        lat, lon = BAIDU_SYSTEMS[q.get("coord_type", ["bd09ll"])[0]](lat, lon)
        assert _off_m(lat, lon, start_finish[0]) < PIN_TOLERANCE_M


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_way_route_says_the_way_back_in_the_page_language(app, lang):
    section = _section(get(app, "/r/tianxiang" + ("?lang=en" if lang == "en" else "")).text)
    words = html.unescape(re.sub(r"<[^>]+>", " ", section))
    if lang == "zh":
        assert "终点离起点直线约 3.3 公里" in words and "两湖环线" in words
        assert not re.search(r"[A-Za-z]", words.replace("WGS-84", "")), words  # no English on a Chinese page
    else:
        assert "3.3 km from the start as the crow flies" in words and "Lianghu Loop" in words
        assert not re.search(r"[\u4e00-\u9fff]", words), words
    assert f'href="/r/lianghu-loop{"?lang=en" if lang == "en" else ""}"' in section
    assert section.count('data-app="geo"') == 2


def test_a_loop_has_links_but_no_way_back(app):
    section = _section(get(app, "/r/lianghu-loop").text)
    assert len(_hrefs(section, "amap")) == 1 and "nav-back" not in section


def test_poster_is_a_picture_to_open_with_a_separate_download(app):
    shown = get(app, "/r/tianxiang-poster.png?lang=en")
    saved = get(app, "/r/tianxiang-poster.png?lang=en&download=1")
    assert shown.status == saved.status == 200
    assert shown.headers["content-disposition"] == 'inline; filename="tianxiang-poster-en.png"'
    assert saved.headers["content-disposition"] == 'attachment; filename="tianxiang-poster-en.png"'
    assert shown.content == saved.content and shown.headers["etag"] == saved.headers["etag"]
    # a second request is served from the body cache with the disposition its own URL asks for
    assert get(app, "/r/tianxiang-poster.png?lang=en").headers["content-disposition"].startswith("inline;")
    share = get(app, "/r/tianxiang?lang=en").text.split('id="share"')[1]
    assert '<a href="/r/tianxiang-poster.png?lang=en">' in share
    assert '<a href="/r/tianxiang-poster.png?lang=en&amp;download=1" download>' in share
    assert '<a href="/r/tianxiang-poster.png?download=1" download>' in get(app, "/r/tianxiang").text
