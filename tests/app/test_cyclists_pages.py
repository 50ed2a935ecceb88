"""The frame and the cyclists' pages under Streamlit's AppTest, in Chinese and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
#: A cold process imports the app, seeds the database and analyses three routes on the first run.
RUN_TIMEOUT_S = 90

ROUTE_NAMES = {
    "zh": {"tianxiang": "天香骑行线"},
    "en": {"tianxiang": "Tianxiang Cycling Line"},
}


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('app') / 'guide.db'}"


def _app(db_url, monkeypatch, *, lang: str, page: str | None = None, **params: str) -> AppTest:
    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    if page:
        at.switch_page(page)
    return at.run()


def _texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.title, *at.header, *at.subheader, *at.markdown, *at.caption, *at.warning,
                                *at.info, *at.error)]
    return "\n".join(str(p) for p in parts)


def test_page_registry_points_at_real_scripts():
    # Read, not imported: importing app.py would run the whole frame.
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    scripts = re.findall(r'PageSpec\("\w+", "([^"]+)", "([^"]*)"', source)
    assert ("pages/route.py", "route") in scripts
    for script, _ in scripts:
        assert (ROOT / script).is_file(), script
    url_paths = [u for _, u in scripts]
    assert len(url_paths) == len(set(url_paths))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_catalogue(db_url, monkeypatch, lang):
    at = _app(db_url, monkeypatch, lang=lang)
    assert not at.exception, at.exception
    text = _texts(at)
    assert at.title[0].value == ("骑行路线" if lang == "zh" else "Cycling routes")
    assert ROUTE_NAMES[lang]["tianxiang"] in text
    assert ("示意数据" if lang == "zh" else "Illustrative data") in text  # seed records are on show
    assert ("公里" if lang == "zh" else " km") in text
    assert ("高德地图" if lang == "zh" else "OpenStreetMap") in text  # footer attribution
    assert len(at.subheader) == 3  # one card per published seed route


def test_catalogue_filter_by_difficulty(db_url, monkeypatch):
    at = _app(db_url, monkeypatch, lang="en")
    at.multiselect(key="cat_difficulty").set_value(["easy"]).run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Cao'e Riverside Greenway"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_route_page(db_url, monkeypatch, lang):
    at = _app(db_url, monkeypatch, lang=lang, page="pages/route.py", id="tianxiang")
    assert not at.exception, at.exception
    assert at.title[0].value == ROUTE_NAMES[lang]["tianxiang"]
    text = _texts(at)
    assert ("累计爬升" if lang == "zh" else "Ascent") in text
    assert ("示意数据" if lang == "zh" else "Illustrative data") in text
    tables = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<table")]
    # the seed's surface by stretch, climbs, along the way, times per rider (plain HTML: cards on a phone)
    assert len(tables) == 4
    along = tables[2]
    assert along.count("<tr>") >= 6  # header and at least five places
    assert ("东江湖" if lang == "zh" else "Dongjiang Lake") in along
    assert not at.get("plotly_chart")  # the profile is the shared viewer now (4.6 MB of Plotly less to download)
    frames = at.get("iframe")
    assert len(frames) == 1, "map + profile viewer missing"
    assert frames[0].proto.src == f"/r/tianxiang/embed?lang={lang}"
    assert len(at.get("download_button")) == 2
    # (the block on getting to the start links the app's own page of the route that leads back: not a share link)
    share = " ".join(m.value for m in at.markdown if "uri.amap.com" not in m.value)
    assert "/r/tianxiang" + ("?lang=en" if lang == "en" else "") in share  # QR and share links: the light page
    assert "route?id=" not in share


def test_route_page_share_links_name_the_public_address(db_url, monkeypatch):
    """With GUIDE_PUBLIC_URL the QR code and share links name the site, not the host the page was opened on."""
    monkeypatch.setenv("GUIDE_PUBLIC_URL", "https://ride.example.cn")
    at = _app(db_url, monkeypatch, lang="en", page="pages/route.py", id="tianxiang")
    assert not at.exception, at.exception
    share = " ".join(m.value for m in at.markdown)
    assert "(https://ride.example.cn/r/tianxiang?lang=en)" in share
    assert "(https://ride.example.cn/r/tianxiang-poster.png?lang=en)" in share


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_route_page_links_map_apps_to_the_start_and_says_the_way_back(db_url, monkeypatch, lang):
    from urllib.parse import parse_qs, urlsplit

    from routes.core.geo import geodesic_m
    from routes.io.chinacoords import gcj02_to_wgs84
    from routes.io.gpxio import read_gpx
    from routes.store import open_store

    at = _app(db_url, monkeypatch, lang=lang, page="pages/route.py", id="tianxiang")
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader].count("前往起点" if lang == "zh" else "Getting to the start") == 1
    block = next(m.value for m in at.markdown if "uri.amap.com/navigation" in m.value)
    amap = re.findall(r"\(<(https://uri\.amap\.com/navigation\?[^>]+)>\)", block)
    assert len(amap) == 2  # to the start, and from the finish back to it
    q = parse_qs(urlsplit(amap[0]).query)
    assert q["coordinate"] == ["gaode"] and q["mode"] == ["ride"]
    lon, lat = (float(v) for v in q["to"][0].split(",")[:2])
    lat, lon = gcj02_to_wgs84(lat, lon)  # declared GCJ-02 ("gaode")
    track = read_gpx(open_store(db_url).get_route_gpx("tianxiang"))
    assert float(geodesic_m(lat, lon, track.lat[0], track.lon[0])) < 60
    for app in ("api.map.baidu.com/direction", "maps.apple.com/?daddr=", "(<geo:"):
        assert app in block, app
    assert ("3\\.3 公里" if lang == "zh" else "3\\.3 km") in block  # the straight line back (made literal Markdown)
    assert "(</route?id=lianghu-loop&lang=" + lang + ">)" in block  # the published route that leads back


def test_route_page_stretch(db_url, monkeypatch):
    at = _app(db_url, monkeypatch, lang="en", page="pages/route.py", id="tianxiang")
    at.slider(key="stretch_tianxiang").set_value((2.0, 6.0)).run()
    assert not at.exception, at.exception
    stats = [i.value for i in at.info if i.value.startswith("Stretch")]
    assert stats and "2.0 km–6.0 km" in stats[0]
    assert at.get("iframe")[0].proto.src == "/r/tianxiang/embed?lang=en&from=2000&to=6000"  # highlighted on the map


def test_unknown_route_says_so_and_offers_a_choice(db_url, monkeypatch):
    at = _app(db_url, monkeypatch, lang="zh", page="pages/route.py", id="no-such-route")
    assert not at.exception, at.exception
    assert "找不到路线" in at.error[0].value
    assert at.selectbox(key="route_choose")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pois_page(db_url, monkeypatch, lang):
    at = _app(db_url, monkeypatch, lang=lang, page="pages/pois.py")
    assert not at.exception, at.exception
    assert at.title[0].value == ("沿途景点" if lang == "zh" else "Places along the routes")
    text = _texts(at)
    assert ("茶园" if lang == "zh" else "Tea garden") in text
    at.multiselect(key="pois_categories").set_value(["toilet"]).run()
    assert not at.exception
    shown = [m.value for m in at.markdown if m.value.startswith("**")]
    assert shown and all(("厕所" if lang == "zh" else "Toilet") in s for s in shown)


def test_language_is_kept_in_the_url(db_url, monkeypatch):
    at = _app(db_url, monkeypatch, lang="en")
    assert at.query_params["lang"] in ("en", ["en"])
    # No ?lang= at all: Chinese, written back into the URL so a shared link keeps it.
    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    bare = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT_S).run()
    assert bare.title[0].value == "骑行路线"
    assert bare.query_params["lang"] in ("zh", ["zh"])
