"""The light public pages over HTTP (in-process ASGI, real seeded database): HTML facts, escaping, language, meta,
ETag/304, gzip, 404s, share pictures, downloads and versioned assets."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from markupsafe import escape
from PIL import Image

from routes.io.gpxio import read_gpx
from routes.store import open_store
from tests.web.asgi import get

HOSTILE = '<img src=x onerror="alert(1)">茶 & <b>bold</b></script>'
GZIP = {"accept-encoding": "gzip"}


@pytest.fixture(scope="module")
def store(app, db_url):
    return open_store(db_url)


@pytest.fixture(scope="module")
def hostile_poi(store):
    from routes.views.guide import load_route

    _, ra = load_route(store, "tianxiang")
    i = len(ra.map_lat) // 2
    return store.create_poi(
        {
            "name_zh": HOSTILE,
            "name_en": HOSTILE,
            "category": "food",
            "desc_zh": HOSTILE,
            "desc_en": HOSTILE,
            "lat": float(ra.map_lat[i]),
            "lon": float(ra.map_lon[i]),
        },
        user="t",
    )


def _meta(page: str, prop: str) -> str:
    m = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', page)
    assert m, prop
    return html.unescape(m.group(1))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_route_page_has_the_facts_tables_and_profile_in_the_html(app, lang):
    r = get(app, "/r/tianxiang" + ("?lang=en" if lang == "en" else ""))
    assert r.status == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page
    name = "天香骑行线" if lang == "zh" else "Tianxiang Cycling Line"
    assert f"<h1>{name}</h1>" in page
    assert re.search(r"<title>" + name + r" · (天香骑行导览|Tianxiang Cycling Guide)</title>", page)
    for word in (
        ["累计爬升", "累计下降", "最高点", "最陡 100 米", "难度", "路面", "预计用时", "12.6 公里", "示意数据"]
        if lang == "zh"
        else [
            "Ascent",
            "Descent",
            "Highest point",
            "Steepest 100 m",
            "Difficulty",
            "Surface",
            "12.6 km",
            "Illustrative data",
        ]
    ):
        assert word in page, word
    assert page.count('<svg class="elevation-profile"') == 1
    assert page.count("<table") == 4  # climbs, along the way, time per rider, the seed's surface by stretch
    assert ("东江湖观景台" if lang == "zh" else "Dongjiang Lake") in page
    assert 'href="/r/tianxiang.gpx' in page and 'href="/r/tianxiang.tcx' in page
    assert 'href="/r/tianxiang-poster.png' in page
    assert f'href="/route?id=tianxiang&amp;lang={lang}"' in page  # the full interactive page
    data = json.loads(re.search(r'<script type="application/json" class="viewer-data">(.*?)</script>', page, re.S)[1])
    assert len(data["lat"]) == len(data["d"]) >= 100 and data["pois"]
    assert data["basemaps"][0]["url"].startswith("https://webrd" if lang == "zh" else "https://tile.openstreetmap")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_route_page_meta_for_chats_and_search(app, lang):
    q = "?lang=en" if lang == "en" else ""
    page = get(app, "/r/tianxiang" + q).text
    assert _meta(page, "og:title") == ("天香骑行线" if lang == "zh" else "Tianxiang Cycling Line")
    assert _meta(page, "og:image") == f"http://guide.test/r/tianxiang.png{q}"
    assert _meta(page, "og:url") == f"http://guide.test/r/tianxiang{q}"
    assert _meta(page, "twitter:card") == "summary_large_image"
    assert _meta(page, "og:locale") == ("zh_CN" if lang == "zh" else "en_US")
    desc = _meta(page, "description")
    assert ("12.6 公里" if lang == "zh" else "12.6 km") in desc and len(desc) <= 150
    assert f'<link rel="canonical" href="http://guide.test/r/tianxiang{q}">' in page
    assert '<link rel="alternate" hreflang="en" href="http://guide.test/r/tianxiang?lang=en">' in page


def test_hostile_poi_name_is_escaped_everywhere(app, hostile_poi):
    page = get(app, "/r/tianxiang?lang=en").text
    assert "<img src=x" not in page and "<b>bold</b>" not in page
    assert str(escape(HOSTILE)) in page  # the table cell shows it as text
    script = re.search(r'<script type="application/json" class="viewer-data">(.*?)</script>', page, re.S)[1]
    assert "</script" not in script and "<" not in script
    assert HOSTILE in [p["name"] for p in json.loads(script)["pois"]]
    poi = get(app, f"/r/poi/{hostile_poi.id}?lang=en").text
    assert "<img src=x" not in poi and "</script><" not in poi
    assert f"<h1>{str(escape(HOSTILE))}</h1>" in poi


def test_catalogue_lists_published_routes_flagship_first(app):
    page = get(app, "/r/").text
    names = re.findall(r'<h2><a href="/r/([a-z-]+)">', page)
    assert names == ["tianxiang", "caoe-riverside", "lianghu-loop"]
    assert '<html lang="zh-CN">' in page and _meta(page, "og:image").endswith("/r/tianxiang.png")
    en = get(app, "/r/?lang=en").text
    assert re.findall(r'<h2><a href="/r/([a-z-]+)\?lang=en">', en) == names


def test_poi_page_names_the_routes_passing_it(app):
    page = get(app, "/r/poi/seed-dongjiang-view?lang=en").text
    assert '<html lang="en">' in page
    assert re.search(r'<a href="/r/tianxiang\?lang=en">km \d+\.\d of Tianxiang Cycling Line</a>', page)
    assert _meta(page, "og:image") == "http://guide.test/r/tianxiang.png?lang=en"


def test_drafts_unknown_routes_and_pois_get_the_same_bilingual_404(app, store):
    from tests.routes.test_store import small_gpx

    store.create_route(
        "draft-one",
        gpx=small_gpx(),
        filename="d.gpx",
        user="t",
        fields={"name_zh": "草稿", "name_en": "Draft", "status": "draft"},
    )
    bodies = set()
    for url in (
        "/r/draft-one",
        "/r/no-such",
        "/r/draft-one.png",
        "/r/draft-one.gpx",
        "/r/draft-one/embed",
        "/r/poi/no-such",
    ):
        r = get(app, url)
        assert r.status == 404, url
        bodies.add(r.text)
    assert len(bodies) == 1
    body = bodies.pop()
    assert "找不到这个页面" in body and "Page not found" in body and "草稿" not in body


def test_repeat_visit_revalidates_with_304_and_an_edit_shows_at_once(app, store):
    first = get(app, "/r/caoe-riverside", GZIP)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, no-cache"
    again = get(app, "/r/caoe-riverside", {**GZIP, "if-none-match": etag})
    assert again.status == 304 and again.body == b"" and again.headers["etag"] == etag
    assert get(app, "/r/caoe-riverside?lang=en", {"if-none-match": etag}).status == 200  # other language
    r = store.get_route("caoe-riverside")
    store.update_route("caoe-riverside", {"desc_en": "Edited."}, user="t", expected_version=r.version)
    edited = get(app, "/r/caoe-riverside?lang=en", {"if-none-match": etag})
    assert edited.status == 200 and "Edited." in edited.text
    after_edit = get(app, "/r/caoe-riverside", {"if-none-match": etag})
    assert after_edit.status == 200 and after_edit.headers["etag"] != etag
    # A POI edit changes the route pages too (names and positions along the line).
    etag2 = after_edit.headers["etag"]
    p = store.get_poi("seed-dongjiang-view")
    store.update_poi(p.id, {"name_en": "Lake view"}, user="t", expected_version=p.version)
    assert get(app, "/r/caoe-riverside", {"if-none-match": etag2}).headers["etag"] != etag2


def test_a_crowd_gets_one_render_kept_per_version_and_host(app, monkeypatch):
    """The second visitor of an unchanged page gets the body the first one's visit rendered (nothing is built
    again), with the same headers; a page for another host name is rendered for that host."""
    from routes.web import light, pagedata

    builds = []
    real = pagedata.route_page
    monkeypatch.setattr(pagedata, "route_page", lambda *a, **k: builds.append(1) or real(*a, **k))
    light._BODIES.clear()
    first, second = get(app, "/r/tianxiang?lang=en"), get(app, "/r/tianxiang?lang=en")
    assert first.status == second.status == 200 and len(builds) == 1
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
    assert second.headers["content-type"] == first.headers["content-type"]
    other = get(app, "/r/tianxiang?lang=en", host="guide.example")
    assert len(builds) == 2 and "http://guide.example/r/tianxiang" in other.text
    assert "guide.example" not in first.text
    a, b = get(app, "/r/tianxiang.gpx"), get(app, "/r/tianxiang.gpx")  # a download keeps its file name when kept
    assert a.content == b.content and b.headers["content-disposition"] == a.headers["content-disposition"]
    assert b.headers["content-type"].startswith("application/gpx+xml")


def test_a_new_gpx_revision_changes_the_etag(app, store):
    from tests.routes.test_store import small_gpx

    etag = get(app, "/r/lianghu-loop.png").headers["etag"]
    r = store.get_route("lianghu-loop")
    store.add_route_revision("lianghu-loop", small_gpx(), filename="v2.gpx", user="t", expected_version=r.version)
    assert get(app, "/r/lianghu-loop.png", {"if-none-match": etag}).status == 200


def test_pages_are_sent_gzipped(app):
    r = get(app, "/r/tianxiang", GZIP)
    assert r.headers.get("content-encoding") == "gzip"
    assert len(r.body) < len(r.content) / 2.5
    assert len(r.body) < 60_000  # the whole route page, data and profile included


@pytest.mark.parametrize(
    ("url", "size"), [("/r/tianxiang.png", (1200, 630)), ("/r/tianxiang-poster.png?lang=en", (1080, 1920))]
)
def test_share_picture_and_poster(app, url, size):
    r = get(app, url)
    assert r.status == 200 and r.headers["content-type"] == "image/png"
    img = Image.open(io.BytesIO(r.content))
    assert img.size == size
    colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 50  # line, profile bands, text and QR, not a blank canvas
    assert (0x1A, 0x96, 0x41) in {c for _, c in colours}  # the flat-band green of the gradient colours
    # The poster opens as a picture (a long press saves it in a chat app); ?download=1 is the file to save.
    disposition = r.headers.get("content-disposition", "")
    assert disposition == ('inline; filename="tianxiang-poster-en.png"' if "poster" in url else "")


def test_gpx_and_tcx_downloads(app):
    gpx = get(app, "/r/tianxiang.gpx?lang=en")
    assert gpx.headers["content-type"].startswith("application/gpx+xml")
    assert 'filename="tianxiang.gpx"' in gpx.headers["content-disposition"]
    track = read_gpx(gpx.content)
    assert track.n_points > 100 and len(track.waypoints) >= 5
    tcx = get(app, "/r/tianxiang.tcx")
    assert b"<Course>" in tcx.content or b"<Courses>" in tcx.content


def test_embed_is_the_viewer_alone_with_an_optional_stretch(app):
    page = get(app, "/r/tianxiang/embed?lang=en&from=2000&to=6000").text
    assert '<svg class="elevation-profile"' in page and "<table" not in page
    data = json.loads(re.search(r'class="viewer-data">(.*?)</script>', page, re.S)[1])
    assert data["stretch"] == [2000, 6000]
    plain = json.loads(re.search(r'class="viewer-data">(.*?)</script>', get(app, "/r/tianxiang/embed").text, re.S)[1])
    assert plain["stretch"] is None


def test_assets_are_versioned_and_immutable(app):
    from routes.web.light import asset_url

    page = get(app, "/r/tianxiang").text
    js = asset_url("light/viewer.js")
    assert f'src="{js}"' in page
    r = get(app, js, GZIP)
    assert r.status == 200 and r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r.headers["content-encoding"] == "gzip" and b"elevation-profile" in r.content
    stale = get(app, "/r/s/0000/light/viewer.js")
    assert stale.status == 200 and "immutable" not in stale.headers["cache-control"]
    for bad in ("/r/s/x/../README.md", "/r/s/x/fonts/OFL.txt", "/r/s/x/light/nope.js"):
        assert get(app, bad).status == 404, bad


def test_a_published_route_that_cannot_be_analysed_gets_a_503_and_the_others_still_show(app, store):
    import hashlib

    from sqlalchemy import update

    from routes.store import schema as s
    from tests.routes.test_store import small_gpx

    store.create_route("broken-one", gpx=small_gpx(), filename="broken.gpx", user="t",
                       fields={"name_zh": "坏路线", "name_en": "Broken", "status": "published"})
    broken = b"<gpx>not closed"
    with store.engine.begin() as conn:  # a stored file the reader of this version refuses (as test_safety does)
        conn.execute(update(s.RouteRevisionRow).where(s.RouteRevisionRow.filename == "broken.gpx")
                     .values(gpx=broken, sha256=hashlib.sha256(broken).hexdigest()))
    for url in ("/r/broken-one", "/r/broken-one.png", "/r/broken-one/embed", "/r/broken-one.gpx"):
        r = get(app, url)
        assert r.status == 503, url
        assert "这条路线暂时无法显示" in r.text and "This route cannot be shown" in r.text
        assert "not a GPX" not in r.text  # the reason is for editors
    catalogue = get(app, "/r/").text
    assert "坏路线" not in catalogue and "天香骑行线" in catalogue
