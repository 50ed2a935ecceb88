"""Issue 23 part C on the light pages (in-process ASGI, real seeded SQLite database): descent figures, the map
approval number on every kind of map, English hours, distinct markers with a legend, each place listed once, the
place page's map and way back, and the embed's font."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from routes.store import POI_CATEGORIES, open_store
from routes.views.markers import marker_glyph
from tests.web.asgi import get

APPROVAL = "GS(2099)0001"  # a made-up number: the test checks that what is configured is what is shown
STATIC = Path(__file__).resolve().parents[2] / "static" / "light"
VIEWER_DATA = r'<script type="application/json" class="viewer-data">(.*?)</script>'
POI_MAP_DATA = r'<script type="application/json" class="poi-map-data">(.*?)</script>'


@pytest.fixture(scope="module", autouse=True)
def approval_configured():
    """The operator's setting for Amap, before the app renders anything (page ETags include it)."""
    from routes.web import light

    mp = pytest.MonkeyPatch()
    mp.setenv("GUIDE_MAP_APPROVAL_AMAP", f"审图号：{APPROVAL}号")
    light.content_version.cache_clear()
    yield
    mp.undo()
    light.content_version.cache_clear()


@pytest.fixture(scope="module")
def store(app, db_url):
    return open_store(db_url)


def _page(app, url: str) -> str:
    r = get(app, url, host="visitor.test")  # a host of its own: no body rendered by another module is reused
    assert r.status == 200, url
    return r.text


def _attributions(folium_html: str) -> list[str]:
    """The tile layers' attributions of a folium map, as Leaflet gets them (folium writes them as JSON strings)."""
    return [json.loads(m) for m in re.findall(r'"attribution": ("(?:[^"\\]|\\.)*")', folium_html)]


def _json(pattern: str, page: str) -> dict:
    return json.loads(re.search(pattern, page, re.S)[1])


# --- descents ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "rows"),
    [
        ("zh", ["<dt>最陡 100 米下坡</dt><dd>−9.9\u00a0%</dd>",
                "<dt>最长下坡</dt><dd>2.2 公里，下降 89 米，平均 −4.1\u00a0%（第 10.3–12.4 公里）</dd>"]),
        ("en", ["<dt>Steepest 100 m downhill</dt><dd>−9.9\u00a0%</dd>",
                "<dt>Longest descent</dt><dd>2.2 km, 89 m down at −4.1\u00a0% (km 10.3–12.4)</dd>"]),
    ],
)  # fmt: skip
def test_route_page_shows_the_descent_figures_next_to_the_climbing_ones(app, lang, rows):
    page = _page(app, "/r/tianxiang" + ("?lang=en" if lang == "en" else ""))
    for row in rows:
        assert row in page, row
    assert f'<div class="wide">{rows[1]}</div>' in page  # the long value spans two columns of the facts grid
    steep_up = page.index("<dt>最陡 100 米</dt>" if lang == "zh" else "<dt>Steepest 100 m</dt>")
    assert steep_up < page.index(rows[0]) < page.index(rows[1])


# --- map approval number -------------------------------------------------------------------------------------------


def test_the_configured_approval_number_is_in_the_attribution_of_every_map_kind(app):
    # Light route page, and ride mode (the same viewer data, static/light/ride.js draws on that map)
    zh = _json(VIEWER_DATA, _page(app, "/r/tianxiang"))
    amap = [b for b in zh["basemaps"] if "autonavi" in b["url"]]
    assert amap and all(f"审图号：{APPROVAL}号" in b["attr"] for b in amap)
    assert zh["ride"]  # ride mode is on this page's map
    # the embed (the Streamlit route page's iframe)
    embed = _json(VIEWER_DATA, _page(app, "/r/tianxiang/embed"))
    assert all(f"审图号：{APPROVAL}号" in b["attr"] for b in embed["basemaps"] if "autonavi" in b["url"])
    # the place page's small map
    poi = _json(POI_MAP_DATA, _page(app, "/r/poi/seed-dongjiang-view"))
    assert poi["basemaps"][0]["url"].startswith("https://webrd")
    assert f"审图号：{APPROVAL}号" in poi["basemaps"][0]["attr"]
    # OpenStreetMap carries no Chinese approval number
    en = _json(VIEWER_DATA, _page(app, "/r/tianxiang?lang=en"))
    assert all("approval" not in b["attr"] for b in en["basemaps"] if "openstreetmap" in b["url"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_folium_maps_and_editor_maps_carry_the_number(app, store, lang):
    from routes.views import guide
    from routes.views.editing import editor_map

    info, ra = guide.load_route(store, "tianxiang")
    along = guide.passages(ra, guide.visible_pois(store))
    want = f"审图号：{APPROVAL}号" if lang == "zh" else f"Map approval No. {APPROVAL}"
    route_map = _attributions(guide.route_map(info, ra, along, lang=lang).get_root().render())
    assert [a for a in route_map if "amap.com" in a] == [f'{a.split(" | ")[0]} | <span class="approval">{want}</span>'
                                                        for a in route_map if "amap.com" in a]
    assert len([a for a in route_map if want in a]) == 2  # road map and satellite
    for basemap in ("amap", "amap_sat"):  # the POI editor draws one basemap at a time
        editor = editor_map(lang=lang, pois=guide.visible_pois(store), basemap=basemap)
        assert any(want in a for a in _attributions(editor.get_root().render())), basemap


def test_no_number_configured_shows_none_and_the_number_is_escaped(monkeypatch):
    from routes.views.mapapproval import approval_number
    from routes.views.maps import basemaps

    monkeypatch.setenv("GUIDE_MAP_APPROVAL_AMAP", "")
    assert approval_number("amap") == "" and "approval" not in basemaps("zh")[0].attr
    monkeypatch.setenv("GUIDE_MAP_APPROVAL_AMAP", "<b>GS(2024)1</b>")
    assert "&lt;b&gt;GS(2024)1&lt;/b&gt;" in basemaps("zh")[0].attr and "<b>" not in basemaps("zh")[0].attr
    monkeypatch.setenv("GUIDE_MAP_APPROVAL_AMAP", "GS(2024)0002")
    sat = next(b for b in basemaps("zh") if b.key == "amap_sat")
    assert "审图号：GS(2024)0002号" in sat.attr  # the satellite layer is the same provider's
    monkeypatch.setenv("GUIDE_MAP_APPROVAL_AMAP_SAT", "GS(2024)0003号")
    sat = next(b for b in basemaps("zh") if b.key == "amap_sat")
    assert "审图号：GS(2024)0003号" in sat.attr
    monkeypatch.setenv("GUIDE_MAP_APPROVAL_TIANDITU", "GS(2024)0004")
    tdt = next(b for b in basemaps("en", tianditu_key="k") if b.key == "tianditu")
    assert "Map approval No. GS(2024)0004" in tdt.attr


# --- English hours -------------------------------------------------------------------------------------------------


def test_english_place_page_never_shows_chinese_hours(app, store):
    from routes.views.guide import load_route

    _, ra = load_route(store, "tianxiang")
    at = dict(lat=float(ra.map_lat[5]), lon=float(ra.map_lon[5]), category="food", status="published")
    only_zh = store.create_poi({"name_zh": "小吃", "name_en": "Snacks", "hours": "约 10:30–20:00", **at}, user="t")
    both = store.create_poi(
        {"name_zh": "茶馆", "name_en": "Tea house", "hours": "约 09:00–17:00", "hours_en": "about 09:00–17:00", **at},
        user="t",
    )
    words = store.create_poi({"name_zh": "农家", "name_en": "Farm", "hours": "节假日营业", **at}, user="t")
    en = _page(app, f"/r/poi/{only_zh.id}?lang=en")
    assert "<dt>Hours</dt><dd>10:30–20:00</dd>" in en and "约" not in en
    assert "<dt>Hours</dt><dd>about 09:00–17:00</dd>" in _page(app, f"/r/poi/{both.id}?lang=en")
    assert "<dt>Hours</dt>" not in _page(app, f"/r/poi/{words.id}?lang=en")
    assert "<dt>开放时间</dt><dd>约 10:30–20:00</dd>" in _page(app, f"/r/poi/{only_zh.id}")


# --- markers and legend --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_kind_has_its_own_marker_in_each_language(lang):
    from routes.views.maps import category_style

    marks = [marker_glyph(k, lang) for k in POI_CATEGORIES]
    assert len(set(marks)) == len(marks), marks
    icons = [category_style(k).icon for k in POI_CATEGORIES]  # the folium maps' pins
    assert len(set(icons)) == len(icons), icons
    assert marker_glyph("toilet", "en") == "WC" and marker_glyph("tea_garden", "en") == "T"
    assert marker_glyph("village", "en") != marker_glyph("viewpoint", "en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_route_page_has_a_legend_of_the_kinds_on_its_map(app, lang):
    page = _page(app, "/r/tianxiang" + ("?lang=en" if lang == "en" else ""))
    data = _json(VIEWER_DATA, page)
    legend = re.search(r'<ul class="marker-legend" aria-label="[^"]+">(.*?)</ul>', page, re.S)[1]
    items = re.findall(r'<li><span class="mark" style="background:(#[0-9a-f]{6})" aria-hidden="true">([^<]+)</span>'
                       r"([^<]+)</li>", legend)
    on_map = {(p["colour"], p["glyph"], p["cat"]) for p in data["pois"]}
    assert set(items) == on_map and len(items) == len(on_map)  # each kind on the map once, nothing else
    if lang == "en":
        assert ("#283593", "WC", "Toilet") in items and ("#2e7d32", "T", "Tea garden") in items


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_streamlit_maps_have_a_legend_of_the_kinds_on_them(store, lang):
    from routes.views import guide
    from routes.views.maps import category_label

    info, ra = guide.load_route(store, "tianxiang")
    along = guide.passages(ra, guide.visible_pois(store))
    html = guide.route_map(info, ra, along, lang=lang).get_root().render()
    legend = json.loads(re.search(r'div\.innerHTML = ("(?:[^"\\]|\\.)*");', html)[1])
    kinds = {ps.poi.category for ps in along}
    found = re.findall(r'<div class="marker-key" data-kind="([a-z_]+)">.*?</span>([^<]+)</div>', legend)
    assert sorted(found) == sorted((k, category_label(k, lang)) for k in kinds)
    assert ("坡度" if lang == "zh" else "Gradient") in legend  # the gradient key is still there


# --- each place once -----------------------------------------------------------------------------------------------


def test_a_place_passed_twice_is_listed_once(app, store):
    # The Lianghu loop starts and ends at the same place: its start point, and an area drawn round it, are passed twice.
    from routes.views.guide import load_route, passages, visible_pois

    _, ra = load_route(store, "lianghu-loop")
    area = store.create_poi(
        {"name_zh": "采茶体验区", "name_en": "Tea-picking area", "category": "tea_garden", "radius_m": 80.0,
         "lat": float(ra.track.lat[0]), "lon": float(ra.track.lon[0]), "status": "published"},
        user="t",
    )  # fmt: skip
    twice = [p.poi.id for p in passages(ra, visible_pois(store))]
    assert twice.count(area.id) == 2 and twice.count("seed-lianghu-start") == 2
    page = _page(app, "/r/lianghu-loop")
    rows = re.findall(r'<tr data-poi="([^"]+)">', page)
    assert rows.count(area.id) == 1 and rows.count("seed-lianghu-start") == 1
    assert len(rows) == len(set(rows))


# --- the place page: map and way back ------------------------------------------------------------------------------


def test_place_page_has_a_small_map_from_local_assets(app):
    page = _page(app, "/r/poi/seed-tea-terraces?lang=en")
    data = _json(POI_MAP_DATA, page)
    assert data["glyph"] == "T" and data["rings"] and abs(data["lat"] - 29.96) < 0.01
    assert re.search(r'<script defer src="/r/s/[0-9a-f]+/leaflet/leaflet.js"></script>', page)
    assert re.search(r'<script defer src="/r/s/[0-9a-f]+/light/poimap.js"></script>', page)
    assert "unpkg" not in page and "cdn" not in page.lower()
    assert 'aria-label="Map of Tianxiang tea-garden terraces"' in page
    asset = re.search(r'src="(/r/s/[0-9a-f]+/light/poimap.js)"', page)[1]
    assert get(app, asset).status == 200


def test_place_page_leads_back_to_the_route_it_was_opened_from(app):
    route = _page(app, "/r/tianxiang?lang=en")
    assert 'href="/r/poi/seed-tea-terraces?from=tianxiang&amp;lang=en"' in route  # the along table
    viewer = _json(VIEWER_DATA, route)
    assert next(p["url"] for p in viewer["pois"] if p["id"] == "seed-tea-terraces") == (
        "/r/poi/seed-tea-terraces?from=tianxiang&lang=en"
    )
    back = r'<p class="back"><a href="([^"]+)">([^<]+)</a></p>'
    assert re.search(back, _page(app, "/r/poi/seed-tea-terraces?from=tianxiang&lang=en")).groups() == (
        "/r/tianxiang?lang=en", "← Back to Tianxiang Cycling Line")
    assert re.search(back, _page(app, "/r/poi/seed-tea-terraces?from=tianxiang")).groups() == (
        "/r/tianxiang", "← 返回天香骑行线")
    # opened from nowhere, or from a route that is not published: the catalogue
    assert re.search(back, _page(app, "/r/poi/seed-tea-terraces?lang=en")).groups() == (
        "/r/?lang=en", "← All routes")
    assert re.search(back, _page(app, "/r/poi/seed-tea-terraces?from=../../admin")).groups()[0] == "/r/"


# --- the embed's font ----------------------------------------------------------------------------------------------


def test_embed_uses_the_light_pages_font_stack():
    light = re.search(r"\nbody\{[^}]*font:([^;}]+)", (STATIC / "light.css").read_text(encoding="utf-8"))[1]
    viewer = re.search(r"body\.embed\{[^}]*font:([^;}]+)", (STATIC / "viewer.css").read_text(encoding="utf-8"))[1]
    assert viewer == light and "sans-serif" in viewer and "PingFang SC" in viewer


def test_embed_page_body_is_styled_by_the_sheet_it_loads(app):
    page = _page(app, "/r/tianxiang/embed")
    assert '<body class="embed">' in page
    assert re.search(r'<link rel="stylesheet" href="/r/s/[0-9a-f]+/light/viewer.css">', page)


def test_places_only_legend_folds_under_a_map_key_button_and_many_kinds_take_two_columns():
    from routes.views.maps import LEGEND_ONE_COLUMN_MAX_KINDS, MapPoi, build_map

    def legend(kinds: list[str], *, grades: bool) -> str:
        pois = [MapPoi(f"p{i}", 30.0 + i / 1000, 120.85, k, k) for i, k in enumerate(kinds)]
        html = build_map(lang="zh", pois=pois, legend=grades).get_root().render()
        return json.loads(re.search(r'div\.innerHTML = ("(?:[^"\\]|\\.)*");', html)[1])

    few = legend(["toilet", "water"], grades=False)
    assert few.startswith('<div data-toggle="图例"') and "坡度" not in few
    assert "repeat(1,auto)" in few and few.count('class="marker-key"') == 2
    many = legend(list(POI_CATEGORIES[: LEGEND_ONE_COLUMN_MAX_KINDS + 1]), grades=True)
    assert "data-toggle" not in many and "坡度" in many  # the gradient key's own button label stays
    assert "repeat(2,auto)" in many and many.count('class="marker-key"') == LEGEND_ONE_COLUMN_MAX_KINDS + 1
