"""Installable and offline light pages over HTTP (in-process ASGI, real seeded database): the web app manifest and its
icons, the service worker's headers and scope, the offline page, and what every light page links."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from starlette.applications import Starlette

from routes.web import build_middleware, build_routes
from routes.web.security import CONTENT_SECURITY_POLICY, TILE_SOURCES
from tests.web.asgi import get

ROOT = Path(__file__).resolve().parents[2]
SW_JS = ROOT / "static" / "light" / "sw.js"
OFFLINE_JS = ROOT / "static" / "light" / "offline.js"
LATIN = re.compile(r"[A-Za-z]")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("GUIDE_DATABASE_URL", f"sqlite:///{tmp_path_factory.mktemp('offline') / 'guide.db'}")
    yield Starlette(routes=build_routes(), middleware=build_middleware())
    mp.undo()


def _manifest(app, lang: str) -> dict:
    r = get(app, "/r/manifest.webmanifest" + ("?lang=en" if lang == "en" else ""))
    assert r.status == 200
    assert r.headers["content-type"].startswith("application/manifest+json")
    return json.loads(r.text)


@pytest.mark.parametrize(
    ("lang", "name", "start"),
    [("zh", "天香骑行导览", "/r/"), ("en", "Tianxiang Cycling Guide", "/r/?lang=en")],
)
def test_manifest_names_the_app_and_opens_the_catalogue_in_the_page_language(app, lang, name, start):
    m = _manifest(app, lang)
    assert m["name"] == name
    assert m["short_name"] and len(m["short_name"]) <= 12
    assert m["lang"] == ("zh-CN" if lang == "zh" else "en")
    assert m["start_url"] == start and m["id"] == start
    assert m["scope"] == "/r/"
    assert m["display"] == "standalone"
    assert m["theme_color"].lower() == "#c0392b"
    assert re.fullmatch(r"#[0-9a-f]{6}", m["background_color"])
    texts = " ".join([m["name"], m["short_name"], m["description"]])
    if lang == "zh":
        assert not LATIN.search(texts), texts
    else:
        assert not CJK.search(texts), texts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_manifest_icons_are_pngs_of_the_sizes_they_claim_in_the_brand_red(app, lang):
    icons = _manifest(app, lang)["icons"]
    sizes = {i["sizes"] for i in icons}
    assert {"192x192", "512x512"} <= sizes
    assert {i["purpose"] for i in icons} == {"any", "maskable"}
    for icon in icons:
        assert icon["src"].startswith("/r/s/") and icon["type"] == "image/png"
        r = get(app, icon["src"])
        assert r.status == 200 and r.headers["content-type"] == "image/png", icon
        assert "immutable" in r.headers["cache-control"]
        img = Image.open(io.BytesIO(r.body))
        assert img.format == "PNG"
        w, h = (int(n) for n in icon["sizes"].split("x"))
        assert img.size == (w, h)
        rgb = img.convert("RGB")
        assert rgb.getpixel((2, 2)) == (0xC0, 0x39, 0x2B)  # the corner: brand red, full bleed (maskable)
        colours = {c for _, c in rgb.getcolors(maxcolors=1 << 16)}
        assert (255, 255, 255) in colours  # the white drawing


def test_manifest_is_revalidated_like_the_pages(app):
    r = get(app, "/r/manifest.webmanifest")
    assert r.headers["cache-control"] == "public, no-cache"
    assert get(app, "/r/manifest.webmanifest", {"if-none-match": r.headers["etag"]}).status == 304
    assert get(app, "/r/manifest.webmanifest?lang=en").headers["etag"] != r.headers["etag"]


@pytest.mark.parametrize(
    ("url", "manifest"),
    [
        ("/r/tianxiang", "/r/manifest.webmanifest"),
        ("/r/tianxiang?lang=en", "/r/manifest.webmanifest?lang=en"),
        ("/r/", "/r/manifest.webmanifest"),
        ("/r/?lang=en", "/r/manifest.webmanifest?lang=en"),
        ("/r/poi/seed-dongjiang-view", "/r/manifest.webmanifest"),
        ("/r/poi/seed-dongjiang-view?lang=en", "/r/manifest.webmanifest?lang=en"),
    ],
)
def test_every_light_page_links_the_manifest_and_the_offline_script(app, url, manifest):
    page = get(app, url).text
    head = page.split("</head>")[0]
    assert f'<link rel="manifest" href="{manifest}">' in head
    assert re.search(r'<link rel="apple-touch-icon" href="/r/s/\w+/light/icon-192\.png">', head)
    # The registering script is deferred and last in the document: nothing of the page waits for it.
    tag = re.search(r'<script defer src="(/r/s/\w+/light/offline\.js)"[^>]*></script>\s*</body>', page)
    assert tag, "offline.js must be the last thing in <body>, deferred"
    assert 'data-sw="/r/sw.js"' in tag.group(0) and 'data-scope="/r/"' in tag.group(0)
    banner = re.search(r'data-banner="([^"]*)"', tag.group(0)).group(1)
    if "lang=en" in url:
        assert banner == "Offline: saved on {time} (Beijing time)"
    else:
        assert banner == "离线浏览：本页保存于 {time}（北京时间）"
    assert get(app, tag.group(1)).status == 200


def test_service_worker_is_served_at_the_scope_root_never_cached_for_long(app):
    r = get(app, "/r/sw.js")
    assert r.status == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert r.headers["cache-control"] == "no-cache"
    assert "max-age" not in r.headers["cache-control"] and "immutable" not in r.headers["cache-control"]
    # Served from /r/ itself: its default scope is /r/, so no Service-Worker-Allowed header widens it.
    assert "service-worker-allowed" not in r.headers
    assert r.content == SW_JS.read_bytes()
    assert get(app, "/r/sw.js", {"if-none-match": r.headers["etag"]}).status == 304
    gz = get(app, "/r/sw.js", {"accept-encoding": "gzip"})
    assert gz.headers.get("content-encoding") == "gzip" and gz.content == SW_JS.read_bytes()


def test_service_worker_has_its_own_policy_allowing_the_tile_hosts_it_keeps(app):
    policy = get(app, "/r/sw.js").headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    connect = directives["connect-src"].split()
    assert "'self'" in connect and set(TILE_SOURCES) <= set(connect)
    assert directives["default-src"] == "'self'"
    # One policy header, not the pages' one added next to it (it would forbid the tiles again).
    r = get(app, "/r/sw.js")
    assert [k for k, _ in r.header_list].count("content-security-policy") == 1
    # The pages may register a worker from their own origin and read the manifest (default-src covers manifest-src).
    page_policy = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert "'self'" in page_policy["worker-src"].split()
    assert "manifest-src" not in page_policy and page_policy["default-src"] == "'self'"


def test_service_worker_knows_every_basemap_tile_host():
    """The worker keeps tiles by host: a basemap added to routes/views/maps.py must be on its list (and on the page's
    image policy), or its tiles are never kept."""
    from routes.views.maps import basemaps

    text = SW_JS.read_text()
    suffixes = json.loads(re.search(r"var TILE_HOST_SUFFIXES = (\[[^\]]*\]);", text).group(1).replace("'", '"'))
    hosts = set()
    for lang in ("zh", "en"):
        for b in basemaps(lang, tianditu_key="k"):
            for template in filter(None, (b.tiles, b.overlay_tiles)):
                hosts.add(urlsplit(template.replace("{s}", b.subdomains[0])).hostname)
    assert hosts
    for host in hosts:
        assert any(host.endswith(s) for s in suffixes), host
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    from harness import TILE_HOST_SUFFIXES

    assert tuple(suffixes) == TILE_HOST_SUFFIXES


def test_service_worker_bounds_are_named_and_the_docs_say_them():
    text = SW_JS.read_text()
    docs = (ROOT / "docs" / "offline.md").read_text()
    for name in ("PAGE_CACHE_MAX_ENTRIES", "ASSET_CACHE_MAX_ENTRIES", "FILE_CACHE_MAX_ENTRIES", "TILE_CACHE_MAX_ENTRIES"):
        value = int(re.search(rf"var {name} = (\d+);", text).group(1))
        assert value > 0
        assert f"`{name}` = {value}" in docs, name
    assert int(re.search(r"var TILE_CACHE_MAX_ENTRIES = (\d+);", text).group(1)) == 800


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_offline_page_is_small_in_its_language_and_not_for_search_engines(app, lang):
    r = get(app, "/r/offline.html" + ("?lang=en" if lang == "en" else ""), {"accept-encoding": "gzip"})
    assert r.status == 200 and r.headers["cache-control"] == "public, no-cache"
    assert len(r.body) < 3000  # compressed: the worker keeps both languages from its install on
    page = r.text
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert "data-offline-saved" in page and "data-offline-none" in page
    main = re.search(r"<main[^>]*>(.*)</main>", page, re.S).group(1)
    text = re.sub(r"<[^>]+>", " ", main)
    if lang == "zh":
        assert "现在没有网络" in text and not LATIN.search(text), text
    else:
        assert "You are offline" in text and not CJK.search(text), text


def test_new_paths_are_not_taken_for_route_slugs(app):
    """The new paths have a dot (no slug can), and answer before /r/{slug} would."""
    from routes.store.validate import SLUG_RE

    for path in ("/r/manifest.webmanifest", "/r/sw.js", "/r/offline.html"):
        assert not SLUG_RE.match(path.removeprefix("/r/"))
        assert get(app, path).status == 200, path


def test_offline_script_and_worker_agree_on_what_a_download_is():
    """offline.js names the route's GPX and TCX links to the worker, which saves only what it classifies as a file."""
    page_side = re.search(r"var FILE_PATH = (/.*/);", OFFLINE_JS.read_text()).group(1)
    worker_side = re.search(r"var FILE_PATH = (/.*/);", SW_JS.read_text()).group(1)
    assert page_side == worker_side
