"""GUIDE_PUBLIC_URL and the Host header (issue 21, item 3): with the site's address set, made-up Host headers cost no
render and links name the site; without it, bodies are kept for a bounded number of hosts; Vary is sent once."""

from __future__ import annotations

import html
import logging
import re

import pytest
from starlette.applications import Starlette

from routes.core import publicurl
from routes.core.publicurl import PUBLIC_URL_ENV, public_url
from routes.web import build_middleware, build_routes, light
from routes.web.bodycache import PerHostLRU
from routes.web.vary import merged_vary
from tests.web.asgi import get

SITE = "https://ride.example.cn"
MADE_UP_HOSTS = [f"evil{i}.invalid" for i in range(8)]
GZIP = {"accept-encoding": "gzip"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("GUIDE_DATABASE_URL", f"sqlite:///{tmp_path_factory.mktemp('publicurl') / 'guide.db'}")
    mp.delenv(PUBLIC_URL_ENV, raising=False)
    yield Starlette(routes=build_routes(), middleware=build_middleware())
    mp.undo()


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv(PUBLIC_URL_ENV, SITE + "/")  # a trailing slash is allowed and dropped
    light._BODIES.clear()
    yield SITE
    light._BODIES.clear()


@pytest.fixture
def no_site(monkeypatch):
    monkeypatch.delenv(PUBLIC_URL_ENV, raising=False)
    light._BODIES.clear()
    yield
    light._BODIES.clear()


def _meta(page: str, prop: str) -> str:
    m = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', page)
    assert m, prop
    return html.unescape(m.group(1))


def _canonical(page: str) -> str:
    m = re.search(r'<link rel="canonical" href="([^"]*)">', page)
    assert m
    return html.unescape(m.group(1))


# --- the setting ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://ride.example.cn", "https://ride.example.cn"),
        ("https://ride.example.cn/", "https://ride.example.cn"),
        ("  HTTP://Ride.Example.CN:8080/guide/  ", "http://ride.example.cn:8080/guide"),
        ("", None),
    ],
)
def test_a_usable_address_is_normalised(monkeypatch, raw, expected):
    monkeypatch.setenv(PUBLIC_URL_ENV, raw)
    assert public_url() == expected


@pytest.mark.parametrize(
    "raw",
    [
        "ride.example.cn",
        "ftp://ride.example.cn",
        "https://",
        "https://ride.example.cn/?utm=1",
        "https://ride.example.cn/#top",
        "https://user:pw@ride.example.cn",
        "https://ride.example.cn:99999",
        'https://ride.example.cn/"><script>',
        "https://ride example.cn",
    ],
)
def test_an_unusable_address_is_ignored_with_a_warning(monkeypatch, caplog, raw):
    publicurl._checked.cache_clear()  # the warning is logged once per value
    monkeypatch.setenv(PUBLIC_URL_ENV, raw)
    with caplog.at_level(logging.WARNING, logger="guide.config"):
        assert public_url() is None
        assert public_url() is None
    warnings = [r for r in caplog.records if r.name == "guide.config"]
    assert len(warnings) == 1 and PUBLIC_URL_ENV in warnings[0].getMessage()


def test_an_unusable_address_falls_back_to_the_host(app, no_site, monkeypatch):
    publicurl._checked.cache_clear()
    monkeypatch.setenv(PUBLIC_URL_ENV, "ride.example.cn")
    page = get(app, "/r/tianxiang", host="guide.test").text
    assert _canonical(page) == "http://guide.test/r/tianxiang"


# --- set: one render for every Host ----------------------------------------------------------------------------------


def test_posters_for_eight_made_up_hosts_cost_one_render(app, site, monkeypatch):
    from routes.views import sharepic

    drawn: list[str] = []
    real = sharepic.draw_share_picture

    def counting(*args, **kwargs):
        drawn.append(kwargs["url"])
        return real(*args, **kwargs)

    monkeypatch.setattr(sharepic, "draw_share_picture", counting)
    replies = [get(app, "/r/tianxiang-poster.png", host=h) for h in MADE_UP_HOSTS]
    assert [r.status for r in replies] == [200] * 8
    assert drawn == [f"{SITE}/r/tianxiang"]  # one drawing; its QR code names the site
    assert len({r.body for r in replies}) == 1 and len({r.headers["etag"] for r in replies}) == 1
    assert light._BODIES.hosts() == [SITE]
    assert len(light._BODIES) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_route_page_links_name_the_site_not_the_host(app, site, monkeypatch, lang):
    from routes.io import downloads

    q = "?lang=en" if lang == "en" else ""
    qr_urls: list[str] = []
    real = downloads.qr_svg
    monkeypatch.setattr(downloads, "qr_svg", lambda url, **kw: qr_urls.append(url) or real(url, **kw))
    pages = [get(app, f"/r/tianxiang{q}", host=h).text for h in MADE_UP_HOSTS[:3]]
    assert pages[0] == pages[1] == pages[2]
    page = pages[0]
    assert _canonical(page) == f"{SITE}/r/tianxiang{q}"
    assert _meta(page, "og:url") == f"{SITE}/r/tianxiang{q}"
    assert _meta(page, "og:image") == f"{SITE}/r/tianxiang.png{q}"
    assert f'<link rel="alternate" hreflang="en" href="{SITE}/r/tianxiang?lang=en">' in page
    assert f'<a href="{SITE}/r/tianxiang{q}">' in page  # the share link
    assert qr_urls == [f"{SITE}/r/tianxiang{q}"]  # drawn once, for the site
    assert "invalid" not in page


def test_catalogue_and_poi_pages_name_the_site(app, site):
    catalogue = get(app, "/r/?lang=en", host="evil.invalid").text
    assert _canonical(catalogue) == f"{SITE}/r/?lang=en"
    assert _meta(catalogue, "og:url") == f"{SITE}/r/?lang=en"
    assert _meta(catalogue, "og:image").startswith(f"{SITE}/r/")
    poi_href = re.search(r'href="(/r/poi/[^"?]+)', get(app, "/r/tianxiang", host="evil.invalid").text)
    assert poi_href
    poi = get(app, poi_href[1], host="evil.invalid").text
    assert _canonical(poi) == f"{SITE}{poi_href[1]}"
    assert "evil.invalid" not in catalogue + poi


# --- unset: a bounded number of hosts ------------------------------------------------------------------------------


def test_fifty_made_up_hosts_keep_at_most_the_bound(app, no_site):
    hosts = [f"h{i}.invalid" for i in range(50)]
    for h in hosts:
        r = get(app, "/r/tianxiang?lang=en", host=h)
        assert r.status == 200
        assert _canonical(r.text) == f"http://{h}/r/tianxiang?lang=en"  # still answered for its own host
    bound = light.BODY_CACHE_MAX_HOSTS
    assert bound == 4
    assert light._BODIES.hosts() == [f"http://{h}" for h in hosts[-bound:]]
    assert len(light._BODIES) == bound  # one page each, nothing of the hosts evicted


def test_the_busy_real_host_stays_kept(app, no_site, monkeypatch):
    from routes.web import pagedata

    builds = []
    real = pagedata.route_page
    monkeypatch.setattr(pagedata, "route_page", lambda *a, **k: builds.append(1) or real(*a, **k))
    for i in range(20):
        get(app, "/r/tianxiang", host="guide.test")
        get(app, "/r/tianxiang", host=f"x{i}.invalid")
    assert len(builds) == 1 + 20  # the real host rendered once; each made-up one once
    assert "http://guide.test" in light._BODIES.hosts()


def test_per_host_lru_evicts_the_least_recently_used_host():
    lru = PerHostLRU(1000, 2)
    lru.put("a", 1, (b"aa", None))
    lru.put("a", 2, (b"aa", None))
    lru.put("b", 1, (b"bb", None))
    assert lru.get("a", 1) == (b"aa", None)  # a is now the most recent host
    lru.put("c", 1, (b"cc", None))
    assert lru.hosts() == ["a", "c"]
    assert lru.get("b", 1) is None and lru.get("a", 2) == (b"aa", None)
    assert len(lru) == 3 and lru.total_bytes == 6


# --- Vary ------------------------------------------------------------------------------------------------------------


def _vary(reply) -> list[str]:
    return [v for k, v in reply.header_list if k == "vary"]


@pytest.mark.parametrize("url", ["/r/tianxiang", "/r/?lang=en", "/r/tianxiang.gpx", "/r/tianxiang.png"])
@pytest.mark.parametrize("accept", [GZIP, {}])
def test_vary_is_sent_once(app, no_site, url, accept):
    r = get(app, url, accept)
    assert r.status == 200
    assert _vary(r) == ["Accept-Encoding"]
    again = get(app, url, {**accept, "if-none-match": r.headers["etag"]})
    assert again.status == 304 and _vary(again) == ["Accept-Encoding"]


def test_merged_vary_keeps_each_name_once_where_the_first_was():
    headers = [(b"vary", b"Accept-Encoding"), (b"x-a", b"1"), (b"Vary", b"accept-encoding, Cookie"), (b"x-b", b"2")]
    assert merged_vary(headers) == [(b"vary", b"Accept-Encoding, Cookie"), (b"x-a", b"1"), (b"x-b", b"2")]
    assert merged_vary([(b"x-a", b"1")]) == [(b"x-a", b"1")]
