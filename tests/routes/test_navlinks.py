"""Links to a route's start (routes/views/navlinks.py): exact URLs, coordinates in the system each link declares
(converted back, within 60 m of the GPX start), the one-way threshold and the published way back."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
import pytest

from routes.core.geo import cumulative_distance_m, geodesic_m
from routes.core.model import make_track
from routes.io.chinacoords import bd09_to_wgs84, gcj02_to_wgs84
from routes.io.gpxio import read_gpx
from routes.views import navlinks
from routes.views.navlinks import ONE_WAY_MIN_GAP_M, WAY_BACK_NEAR_M, Place

ROOT = Path(__file__).resolve().parents[2]
#: The promise of the links: the pin lands within this distance of the route's real start.
PIN_TOLERANCE_M = 60.0
START = Place(29.966545, 120.837564, "天香骑行线起点")
FINISH = Place(29.994691, 120.827719, "天香骑行线终点")


@pytest.fixture(scope="module")
def tianxiang():
    return read_gpx(ROOT / "data" / "seed" / "tianxiang.gpx")


def _declared_wgs84(url: str) -> tuple[float, float]:
    """The destination of a link, converted back to WGS-84 from the coordinate system the link itself declares."""
    parts = urlsplit(url)
    if url.startswith("geo:"):
        lat, lon = parts.path.split(",")
        return float(lat), float(lon)
    q = parse_qs(parts.query)
    if parts.netloc == "uri.amap.com":
        lon, lat = (float(v) for v in q["to"][0].split(",")[:2])
        system = {"gaode": "gcj02", "wgs84": "wgs84"}[q.get("coordinate", ["gaode"])[0]]
    elif parts.netloc == "api.map.baidu.com":
        lat, lon = (float(v) for v in q["destination"][0].split("|")[0].removeprefix("latlng:").split(","))
        system = q.get("coord_type", ["bd09ll"])[0]
    else:  # Apple Maps: WGS-84
        lat, lon = (float(v) for v in q["daddr"][0].split(","))
        system = "wgs84"
    if system == "gcj02":
        return gcj02_to_wgs84(lat, lon)
    if system == "bd09ll":
        return bd09_to_wgs84(lat, lon)
    assert system == "wgs84", system
    return lat, lon


def test_exact_urls_to_the_start():
    assert navlinks.amap_url(START) == (
        "https://uri.amap.com/navigation?to=120.841694,29.963978,%E5%A4%A9%E9%A6%99%E9%AA%91%E8%A1%8C%E7%BA%BF"
        "%E8%B5%B7%E7%82%B9&mode=ride&src=tianxiang-cycling-guide&coordinate=gaode&callnative=1"
    )
    assert navlinks.baidu_url(START) == (
        "https://api.map.baidu.com/direction?destination=latlng:29.970335,120.848086|name:%E5%A4%A9%E9%A6%99%E9%AA"
        "%91%E8%A1%8C%E7%BA%BF%E8%B5%B7%E7%82%B9&coord_type=bd09ll&mode=riding&output=html"
        "&src=webapp.lianghu.tianxiang-guide"
    )
    assert navlinks.apple_url(START) == "https://maps.apple.com/?daddr=29.966545,120.837564&dirflg=w"
    assert navlinks.geo_uri(START) == (
        "geo:29.966545,120.837564?q=29.966545,120.837564(%E5%A4%A9%E9%A6%99%E9%AA%91%E8%A1%8C%E7%BA%BF%E8%B5%B7"
        "%E7%82%B9)"
    )


def test_exact_urls_from_the_finish():
    assert navlinks.amap_url(START, FINISH).startswith(
        "https://uri.amap.com/navigation?from=120.831872,29.992143,%E5%A4%A9%E9%A6%99%E9%AA%91%E8%A1%8C%E7%BA%BF"
        "%E7%BB%88%E7%82%B9&to=120.841694,29.963978,"
    )
    assert navlinks.baidu_url(START, FINISH).startswith(
        "https://api.map.baidu.com/direction?origin=latlng:29.998471,120.838283|name:"
    )
    assert navlinks.apple_url(START, FINISH) == (
        "https://maps.apple.com/?saddr=29.994691,120.827719&daddr=29.966545,120.837564&dirflg=w"
    )


def test_names_cannot_break_the_fields_of_a_link():
    tricky = Place(START.lat, START.lon, "A, B | C: (D)")
    to = parse_qs(urlsplit(navlinks.amap_url(tricky)).query)["to"][0]
    assert to.split(",")[2:] == ["A B C D"]
    dest = parse_qs(urlsplit(navlinks.baidu_url(tricky)).query)["destination"][0]
    assert dest.split("|") == ["latlng:29.970335,120.848086", "name:A B C D"]
    assert unquote(navlinks.geo_uri(tricky)).endswith("(A B C D)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_link_lands_within_60_m_of_the_gpx_start_in_the_system_it_declares(tianxiang, lang):
    start = Place(float(tianxiang.lat[0]), float(tianxiang.lon[0]), "x")
    links = navlinks.nav_links(start, lang)
    assert [link.app for link in links] == ["amap", "baidu", "apple", "geo"]
    assert {link.app: link.coords for link in links} == navlinks.APP_COORDS
    for link in links:
        lat, lon = _declared_wgs84(link.url)
        off = float(geodesic_m(lat, lon, tianxiang.lat[0], tianxiang.lon[0]))
        assert off < PIN_TOLERANCE_M, (link.app, off)


def test_the_offset_systems_are_really_needed(tianxiang):
    """Read as WGS-84, the Amap and Baidu coordinates would put the pin hundreds of metres off: the test above can
    fail, and the conversion is not a no-op."""
    start = Place(float(tianxiang.lat[0]), float(tianxiang.lon[0]), "x")
    for url in (navlinks.amap_url(start), navlinks.baidu_url(start)):
        q = parse_qs(urlsplit(url).query)
        raw = q["to"][0].split(",")[:2][::-1] if "amap" in url else q["destination"][0][7:].split("|")[0].split(",")
        off = float(geodesic_m(float(raw[0]), float(raw[1]), tianxiang.lat[0], tianxiang.lon[0]))
        assert off > 400, (url, off)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_link_labels_speak_the_page_language(lang):
    labels = [link.label for link in navlinks.nav_links(START, lang)]
    if lang == "zh":
        assert labels[:3] == ["高德地图（骑行）", "百度地图（骑行）", "苹果地图"]
    else:
        assert labels[:3] == ["Amap (cycling)", "Baidu Maps (cycling)", "Apple Maps"]


# --- one-way routes and the way back ---------------------------------------------------------------------------------


def _card(slug: str, lat: list[float] | np.ndarray, lon: list[float] | np.ndarray, name: str = ""):
    """A stand-in for guide.RouteCard: what getting_there and way_back_route read from one."""
    track = make_track(lat, lon)
    analysis = SimpleNamespace(point_distance_m=cumulative_distance_m(track))
    info = SimpleNamespace(slug=slug, name_zh=name or slug, name_en=name or slug)
    return SimpleNamespace(info=info, ra=SimpleNamespace(track=track, analysis=analysis))


def _line(a: Place, b: Place, n: int = 50) -> tuple[np.ndarray, np.ndarray]:
    return np.linspace(a.lat, b.lat, n), np.linspace(a.lon, b.lon, n)


def test_a_loop_has_no_way_back():
    lat, lon = _line(START, FINISH)
    loop = _card("loop", np.r_[lat, lat[::-1]], np.r_[lon, lon[::-1]])
    gt = navlinks.getting_there(loop.info, loop.ra, "en", [loop])
    assert gt.way_back is None and len(gt.links) == 4


def test_a_route_ending_just_inside_the_threshold_is_not_one_way():
    # 0.9 × the threshold north of the start (1° of latitude ≈ 110.9 km here)
    end = Place(START.lat + 0.9 * ONE_WAY_MIN_GAP_M / 110_900, START.lon, "")
    lat, lon = _line(START, end, 5)
    gt = navlinks.getting_there(_card("short", lat, lon).info, _card("short", lat, lon).ra, "en")
    assert gt.way_back is None
    far = Place(START.lat + 1.2 * ONE_WAY_MIN_GAP_M / 110_900, START.lon, "")
    lat, lon = _line(START, far, 5)
    card = _card("short", lat, lon)
    assert navlinks.getting_there(card.info, card.ra, "en").way_back is not None


def test_one_way_route_says_the_gap_and_links_from_the_finish(tianxiang):
    card = _card("tianxiang", tianxiang.lat, tianxiang.lon, "Tianxiang")
    gt = navlinks.getting_there(card.info, card.ra, "en", [card])
    back = gt.way_back
    assert back is not None
    assert back.gap_m == pytest.approx(3261, abs=5)
    assert navlinks.one_way_text(back, "en") == "This route is one-way: the finish is 3.3 km from the start as the crow flies."
    assert back.route is None  # the route itself does not count as its own way back
    amap = next(link for link in back.links if link.app == "amap")
    q = parse_qs(urlsplit(amap.url).query)
    f_lon, f_lat = (float(v) for v in q["from"][0].split(",")[:2])
    f_lat, f_lon = gcj02_to_wgs84(f_lat, f_lon)
    assert float(geodesic_m(f_lat, f_lon, tianxiang.lat[-1], tianxiang.lon[-1])) < PIN_TOLERANCE_M
    assert _declared_wgs84(amap.url) == pytest.approx(_declared_wgs84(gt.links[0].url), abs=1e-6)
    assert navlinks.back_route_text(back, "zh") == "没有已发布的路线从终点通往起点；上面的导航链接可以规划回程。"


def test_the_shortest_published_way_back_wins():
    route_lat, route_lon = _line(START, FINISH)
    one_way = _card("one-way", route_lat, route_lon)
    # A route from the finish to the start (the way back as it is), and a longer one that detours east.
    direct = _card("direct", *_line(FINISH, START), name="直达")
    mid = Place((START.lat + FINISH.lat) / 2, START.lon + 0.03, "")
    lat1, lon1 = _line(FINISH, mid)
    lat2, lon2 = _line(mid, START)
    detour = _card("detour", np.r_[lat1, lat2[1:]], np.r_[lon1, lon2[1:]], name="绕行")
    far = _card("far", *_line(Place(30.2, 121.0, ""), Place(30.3, 121.1, "")))
    gt = navlinks.getting_there(one_way.info, one_way.ra, "zh", [far, detour, direct, one_way])
    r = gt.way_back.route
    assert (r.slug, r.name, r.direction) == ("direct", "直达", "forward")
    assert r.length_m == pytest.approx(float(geodesic_m(START.lat, START.lon, FINISH.lat, FINISH.lon)), rel=0.01)
    assert navlinks.back_route_text(gt.way_back, "zh").startswith("已发布的路线“直达”可以骑回：从它的第 0.0 公里骑到第 3.3 公里")
    # Without the direct route the detour is the way back.
    gt = navlinks.getting_there(one_way.info, one_way.ra, "zh", [far, detour, one_way])
    assert gt.way_back.route.slug == "detour"
    # With neither, none.
    assert navlinks.getting_there(one_way.info, one_way.ra, "zh", [far, one_way]).way_back.route is None


def test_a_route_passing_both_ends_the_other_way_is_ridden_backwards_or_round():
    one_way = _card("one-way", *_line(START, FINISH))
    # Runs from 1 km before the start, past the start, on to the finish and 1 km beyond: the same way as the route.
    before = Place(START.lat - 0.009, START.lon, "")
    after = Place(FINISH.lat + 0.009, FINISH.lon, "")
    lat = np.r_[np.linspace(before.lat, START.lat, 10), np.linspace(START.lat, FINISH.lat, 50)[1:],
                np.linspace(FINISH.lat, after.lat, 10)[1:]]
    lon = np.r_[np.full(9, START.lon), np.linspace(START.lon, FINISH.lon, 50), np.full(9, FINISH.lon)]
    same_way = _card("same-way", lat, lon)
    back = navlinks.getting_there(one_way.info, one_way.ra, "en", [same_way]).way_back
    assert back.route.direction == "reverse" and back.route.from_m > back.route.to_m
    assert back.route.length_m == pytest.approx(back.gap_m, abs=2 * WAY_BACK_NEAR_M)
    assert "ride it backwards" in navlinks.back_route_text(back, "en")


def test_seed_tianxiang_way_back_follows_the_lianghu_loop(tmp_path):
    """With the seed routes: Tianxiang's finish and start are both on the Lianghu loop."""
    from routes.store import open_store
    from routes.views import guide

    store = open_store(f"sqlite:///{tmp_path / 'guide.db'}")
    info, ra = guide.load_route(store, "tianxiang")
    back = navlinks.getting_there(info, ra, "zh", guide.route_cards(store)).way_back
    assert back is not None and back.route is not None
    assert back.route.slug == "lianghu-loop" and back.route.name == "两湖环线"
    assert 2_000 < back.route.length_m < 5_000  # the loop between the two ends, not the 24 km round
