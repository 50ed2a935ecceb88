"""Page-facing helpers: analysis cached by GPX sha256, POIs along, cards and filters, maps, downloads."""

from __future__ import annotations

import io

import numpy as np
import pytest
from guide_fakes import FakePoi, FakeStore, hill_gpx
from lxml import etree

from routes.io.gpxio import read_gpx
from routes.views import guide
from routes.views.maps import map_html


@pytest.fixture
def store():
    s = FakeStore()
    s.add_route("hill", hill_gpx(), name_zh="小山", name_en="Hill", difficulty="moderate", surface="paved")
    s.add_route("flat", hill_gpx(lat0=30.01, length_deg=0.02), name_zh="平路", name_en="Flat", difficulty="easy",
                surface="gravel")
    s.pois = [
        FakePoi("near", "茶园", "Tea garden", "tea_garden", 30.0005, 120.845),  # ≈55 m north of km 2.4 of "hill"
        FakePoi("far", "远处", "Far away", "food", 30.05, 120.9),
        FakePoi("gone", "已删", "Deleted", "food", 30.0, 120.83, deleted=True),
    ]
    return s


def test_analysis_is_computed_once_per_sha256(store):
    guide._analyse_cached.cache_clear()
    _, a = guide.load_route(store, "hill")
    _, b = guide.load_route(store, "hill")
    assert a is b
    assert store.gpx_reads == 1  # the bytes are not even fetched again


def test_unknown_route_is_none(store):
    assert guide.load_route(store, "nope") is None


def test_a_route_from_a_list_just_read_is_not_read_again(store, monkeypatch):
    listed = store.list_routes(status="published")
    monkeypatch.setattr(store, "get_route", lambda slug: pytest.fail("read again"))
    info, ra = guide.load_route(store, "hill", status="published", listed=listed)
    assert info.slug == "hill" and 4_700 < ra.distance_m < 4_900
    assert guide.load_route(store, "nope", status="published", listed=listed) is None
    assert guide.load_route(store, "hill", status="published", listed=[]) is None  # not in the list: not published


def test_route_analysis_arrays(store):
    _, ra = guide.load_route(store, "hill")
    assert 4_700 < ra.distance_m < 4_900
    assert len(ra.map_step_grade_pct) == len(ra.map_lat) - 1
    assert ra.map_distance_m[0] == 0 and ra.map_distance_m[-1] == pytest.approx(ra.distance_m)
    assert [k for k, _, _ in ra.km_markers] == [1.0, 2.0, 3.0, 4.0]
    assert ra.km_markers[0][2] == pytest.approx(120.82 + 0.05 * 1000 / ra.distance_m, abs=1e-4)
    assert len(ra.profile_distance_m) <= guide.PROFILE_POINT_BUDGET
    assert {k for k, _ in ra.estimates} == {p.key for p in guide.rider_profiles()}


def test_km_marker_spacing_thins_out():
    assert guide.km_marker_step_m(12_000) == 1_000
    assert guide.km_marker_step_m(40_000) == 5_000
    assert guide.km_marker_step_m(500_000) == 10_000


def test_step_grades_average_points_in_each_step():
    g = np.array([0.0, 2.0, 4.0, 6.0, 8.0])
    assert guide._step_grades(g, np.array([0, 2, 4])).tolist() == [1.0, 5.0]
    assert guide._step_grades(np.array([np.nan, 4.0, 1.0]), np.array([0, 2])).tolist() == [2.0]


def test_passages_and_visible_pois(store):
    pois = guide.visible_pois(store)
    assert [p.id for p in pois] == ["near", "far"]
    _, ra = guide.load_route(store, "hill")
    along = guide.passages(ra, pois)
    assert [p.poi.id for p in along] == ["near"]
    assert along[0].distance_m == pytest.approx(ra.distance_m / 2, rel=0.02)
    assert 45 < along[0].offset_m < 65


def test_cards_filters_and_routes_by_poi(store):
    cards = guide.route_cards(store)
    assert sorted(c.info.slug for c in cards) == ["flat", "hill"]
    assert [c.info.slug for c in guide.filter_cards(cards, difficulties=["easy"])] == ["flat"]
    assert [c.info.slug for c in guide.filter_cards(cards, surfaces=["paved"])] == ["hill"]
    assert [c.info.slug for c in guide.filter_cards(cards, distance_km=(3.0, 10.0))] == ["hill"]
    by_poi = guide.routes_by_poi(cards, guide.visible_pois(store))
    assert [r.slug for r in by_poi["near"]] == ["hill"] and by_poi["far"] == []
    hill = next(c for c in cards if c.info.slug == "hill")
    assert hill.estimate_s("leisure") == pytest.approx(dict(hill.ra.estimates)["leisure"].total_s)
    assert hill.estimate_s("nobody") is None


def test_draft_routes_are_not_in_the_catalogue(store):
    store.add_route("draft", hill_gpx(), name_zh="草稿", name_en="Draft", status="draft")
    assert "draft" not in [c.info.slug for c in guide.route_cards(store)]


def test_route_map_and_highlight(store):
    info, ra = guide.load_route(store, "hill")
    along = guide.passages(ra, guide.visible_pois(store))
    html = map_html(guide.route_map(info, ra, along, lang="en", stretch_m=(1000.0, 2000.0)))
    assert "stretch-line" in html and "Tea garden" in html and "guide-legend" in html
    assert "stretch-line" not in map_html(guide.route_map(info, ra, along, lang="en"))


def test_overview_map_links_routes(store):
    cards = guide.route_cards(store)
    pois = guide.visible_pois(store)
    html = map_html(guide.overview_map(cards, pois, lang="zh", links=guide.routes_by_poi(cards, pois)))
    assert "/route?id=hill\\u0026amp;lang=zh" in html  # the href, HTML- then JSON-escaped


def test_big_track_is_simplified_for_the_map(store):
    n = 20_000
    lat = 30.0 + 0.01 * np.sin(np.linspace(0, 20, n))
    lon = np.linspace(120.80, 120.90, n)
    from routes.core.model import make_track
    from routes.io.gpxio import write_gpx

    store.add_route("big", write_gpx(make_track(lat, lon, np.linspace(0, 100, n))), name_zh="大", name_en="Big")
    _, ra = guide.load_route(store, "big")
    assert len(ra.map_lat) <= guide.MAP_POINT_BUDGET * 1.5
    assert len(ra.overview_lat) <= guide.OVERVIEW_POINT_BUDGET
    assert ra.track.n_points == n


def test_downloads(store):
    info, ra = guide.load_route(store, "hill")
    along = guide.passages(ra, guide.visible_pois(store))
    gpx = read_gpx(guide.gpx_download(info, ra, along, lang="zh"))
    assert gpx.n_points == ra.track.n_points
    assert [w.name for w in gpx.waypoints] == ["茶园"]
    tcx = etree.fromstring(guide.tcx_download(info, ra, along, lang="en", rider_key="sporty"))
    ns = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
    assert [e.text for e in tcx.findall(".//t:CoursePoint/t:Name", ns)][0] == "Tea garden"[:10]
    total = float(tcx.find(".//t:Lap/t:TotalTimeSeconds", ns).text)
    assert total == pytest.approx(dict(ra.estimates)["sporty"].total_s, abs=1)


def test_photo_thumbnail_is_a_small_inline_jpeg(store):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1200, 800), (200, 30, 30)).save(buf, format="PNG")
    store.photos["ph1"] = buf.getvalue()
    uri = guide.photo_thumb_uri(store, "ph1")
    assert uri.startswith("data:image/jpeg;base64,") and len(uri) < 20_000
    store.photos["bad"] = b"not an image"
    assert guide.photo_thumb_uri(store, "bad") == ""
    assert guide.photo_thumb_uri(store, None) == ""


def test_a_photo_that_failed_to_load_is_tried_again(store):
    """Another replica may have the photo before this one can read it: a failure is not remembered, a success is."""
    from PIL import Image

    guide._thumb.cache_clear()
    assert guide.photo_thumb_uri(store, "late") == ""  # not in the store yet (KeyError in the fake)
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 120, 30)).save(buf, format="PNG")
    store.photos["late"] = buf.getvalue()
    uri = guide.photo_thumb_uri(store, "late")
    assert uri.startswith("data:image/jpeg;base64,")
    store.photos["late"] = b"replaced"  # ids name immutable content: the cached thumbnail stays
    assert guide.photo_thumb_uri(store, "late") == uri


def test_first_passages_keep_each_poi_once_at_its_first_passage():
    from types import SimpleNamespace

    from routes.views.guide import first_passages

    lake, farm = SimpleNamespace(id="lake"), SimpleNamespace(id="farm")
    along = [SimpleNamespace(poi=lake, distance_m=100.0), SimpleNamespace(poi=farm, distance_m=500.0),
             SimpleNamespace(poi=lake, distance_m=900.0)]
    assert [(p.poi.id, p.distance_m) for p in first_passages(along)] == [("lake", 100.0), ("farm", 500.0)]


def test_data_notes_include_what_the_reader_met_in_the_reader_language():
    from types import SimpleNamespace

    from routes.views.guide import analysis_notes

    an = SimpleNamespace(notes=(("analysis.note.spikes", {"count": 2}),))
    zh = analysis_notes(an, "zh", track_warnings=("3 points with impossible coordinates were dropped",))
    assert zh[0] == "已去掉 3 个坐标不可能的点"
    assert len(zh) == 2 and not any(c.isascii() and c.isalpha() for c in zh[1])
    en = analysis_notes(an, "en", track_warnings=("1 points with impossible coordinates were dropped",))
    assert en[0] == "1 point with impossible coordinates was dropped"
