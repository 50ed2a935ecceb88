"""Editor helpers: prepared uploads (verbatim or converted), map clicks to WGS-84, form diffs, history rows."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import numpy as np
import pytest

from routes.core.geo import geodesic_m
from routes.core.model import make_track
from routes.io.chinacoords import wgs84_to_gcj02
from routes.io.fileio import TrackFileError
from routes.io.gpxio import read_gpx, write_gpx
from routes.views.editing import (
    action_label,
    changed_fields,
    click_to_wgs84,
    derivation_label,
    editor_map,
    poi_history_rows,
    prepare_upload,
    revision_rows,
    route_text_restores,
    slug_suggestion,
    source_download_name,
)
from routes.views.maps import map_html
from tests.routes.test_dem import write_tile
from tests.routes.test_fileio import POINTS, TCX, fit_file

LAT = 29.97 + np.arange(120) * 0.0004
LON = 120.82 + np.arange(120) * 0.0003
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_clean_gpx_is_stored_byte_for_byte():
    gpx = write_gpx(make_track(LAT, LON, ele_m=np.linspace(10, 50, 120)), name="x")
    prep = prepare_upload(gpx, "x.gpx", references=[(LAT, LON)])
    assert prep.verbatim and prep.gpx == gpx and prep.format == "gpx"
    assert prep.report.gcj.verdict == "wgs84"
    # nothing separate to keep: the GPX is the original
    assert prep.original == gpx and prep.derivation == ""
    assert prep.store_kwargs() == {"source": None, "source_format": "gpx", "derivation": ""}


def test_gcj02_upload_converted_back_is_stored_as_wgs84():
    g_lat, g_lon = wgs84_to_gcj02(LAT, LON)
    raw = write_gpx(make_track(g_lat, g_lon), name="amap export")
    prep = prepare_upload(raw, "amap.gpx", references=[(LAT, LON)], convert_gcj=True)
    assert not prep.verbatim
    stored = read_gpx(prep.gpx)
    assert np.max(geodesic_m(stored.lat, stored.lon, LAT, LON)) < 0.1
    # The report keeps the verdict on the file as uploaded, so the page can offer "undo".
    assert prep.report.gcj.verdict == "gcj02"
    # The GCJ-02 file itself goes to the store too, byte for byte.
    assert prep.original == raw
    assert prep.store_kwargs() == {"source": raw, "source_format": "gpx", "derivation": "converted from GCJ-02"}


@pytest.mark.parametrize(("data", "name", "fmt", "derivation"), [
    (fit_file(POINTS), "ride.fit", "fit", "converted from FIT"),
    (TCX, "lap.tcx", "tcx", "converted from TCX"),
])
def test_fit_and_tcx_uploads_carry_the_original(data: bytes, name: str, fmt: str, derivation: str):
    prep = prepare_upload(data, name)
    assert not prep.verbatim and prep.format == fmt and prep.gpx.startswith(b"<?xml")
    assert read_gpx(prep.gpx).n_points == prep.track.n_points
    assert prep.store_kwargs() == {"source": data, "source_format": fmt, "derivation": derivation}


def test_dem_fill_and_gcj_conversion_are_both_named(tmp_path):
    write_tile(tmp_path, 29, 120, 1201)
    g_lat, g_lon = wgs84_to_gcj02(LAT, LON)
    raw = write_gpx(make_track(g_lat, g_lon), name="no heights")
    prep = prepare_upload(raw, "amap.gpx", convert_gcj=True, fill_dem=True, dem_folder=tmp_path)
    assert read_gpx(prep.gpx).has_elevation and not read_gpx(raw).has_elevation
    assert prep.original == raw
    assert prep.derivation == "converted from GCJ-02; elevation filled from DEM"
    assert derivation_label(prep.derivation, "zh") == "由 GCJ-02 坐标转换为 WGS-84；海拔由高程模型补全"
    assert derivation_label(prep.derivation, "en") == (
        "converted from GCJ-02 to WGS-84; elevation filled from the terrain model")
    assert derivation_label("hand-edited in JOSM", "zh") == "hand-edited in JOSM"  # unknown notes as they are


def test_revision_rows_show_the_original_next_to_the_gpx():
    def rev(number, *, derived, size=2048, fmt="gpx", derivation=""):
        return SimpleNamespace(id=number, number=number, uploaded_at=T0, uploaded_by="ed", filename=f"f{number}",
                               note="", size_bytes=size, source_format=fmt, source_size_bytes=5 * 1024 + 1,
                               derived=derived, derivation=derivation)

    rows = revision_rows([rev(1, derived=False), rev(2, derived=True, fmt="fit", derivation="converted from FIT")],
                         current_id=2, lang="zh", when=lambda at: at.strftime("%Y-%m-%d"))
    assert [r["版本"] for r in rows] == ["#2 （当前）", "#1"]
    assert rows[0]["原始文件"] == "FIT · 5 KB" and rows[0]["GPX 的来源"] == "由 FIT 转换"
    assert rows[1]["原始文件"] == "即此 GPX" and rows[1]["GPX 的来源"] == ""
    assert rows[0]["时间"] == "2026-01-01" and rows[0]["大小"] == "2 KB"
    assert source_download_name("tianxiang", 3, "fit") == "tianxiang-r3-original.fit"


def test_upload_size_cap_names_the_limit():
    with pytest.raises(TrackFileError) as err:
        prepare_upload(b"<gpx>" + b" " * 2_000_001, "big.gpx", max_bytes=2_000_000)
    assert "上限为 2 MB" in err.value.message("zh")


def test_click_on_a_gcj02_basemap_is_converted_to_wgs84():
    g_lat, g_lon = wgs84_to_gcj02(30.0, 120.85)
    lat, lon = click_to_wgs84(g_lat, g_lon, basemap="amap", lang="zh")
    assert geodesic_m(lat, lon, 30.0, 120.85) < 0.1
    assert click_to_wgs84(30.0, 120.85, basemap="osm", lang="zh") == (30.0, 120.85)


def test_editor_map_offers_one_basemap_only():
    poi = SimpleNamespace(id="a", lat=30.0, lon=120.85, name_zh="茶", name_en="Tea", desc_zh="", desc_en="",
                          category="tea_garden")
    html = map_html(editor_map(lang="zh", pois=[poi], basemap="osm", selected_id="a"))
    assert "tile.openstreetmap.org" in html and "autonavi" not in html
    assert "L.control.layers" not in html
    assert "▶ 茶" in html


def test_editor_map_rings_the_selected_point_and_marks_a_picked_spot_in_the_basemaps_frame():
    import re

    pois = [SimpleNamespace(id=i, lat=30.0 + n / 100, lon=120.85, name_zh=f"点{n}", name_en=f"P{n}", desc_zh="",
                            desc_en="", category="food") for n, i in enumerate(("a", "b"))]
    plain = map_html(editor_map(lang="zh", pois=pois, basemap="osm"))
    assert "poi-selected" not in plain and "poi-pending" not in plain  # nothing picked: no marks
    html = map_html(editor_map(lang="zh", pois=pois, basemap="osm", selected_id="b", pending=(29.99, 120.86)))
    ring = re.search(r"L\.circleMarker\(\s*\[([\d.]+), ([\d.]+)\][^;]*?poi-selected", html, re.S)
    assert ring and (float(ring[1]), float(ring[2])) == (30.01, 120.85)  # around "b", not "a"
    assert html.count("poi-selected") == 1 and html.count("poi-pending") == 1
    # On the Chinese road map (GCJ-02) both marks are shifted like the markers, or they would sit ~500 m off.
    gcj = map_html(editor_map(lang="zh", pois=pois, basemap="amap", selected_id="b"))
    ring = re.search(r"L\.circleMarker\(\s*\[([\d.]+), ([\d.]+)\][^;]*?poi-selected", gcj, re.S)
    g_lat, g_lon = wgs84_to_gcj02(30.01, 120.85)
    assert geodesic_m(float(ring[1]), float(ring[2]), g_lat, g_lon) < 0.5


def test_changed_fields_ignores_whitespace_and_tag_spelling():
    before = {"name_zh": "天香", "tags": ("茶园", "湖景"), "season": ""}
    assert changed_fields(before, {"name_zh": " 天香 ", "tags": "茶园，湖景", "season": ""}) == {}
    assert changed_fields(before, {"name_zh": "天香线", "tags": "茶园", "season": ""}) == {
        "name_zh": "天香线", "tags": "茶园"}


def test_route_text_restores_offer_the_values_before_each_change():
    history = [
        SimpleNamespace(action="route.create", at=T0, user="a", detail={}),
        SimpleNamespace(action="route.update", at=T0, user="b",
                        detail={"changes": {"name_en": ["Old", "New"], "status": ["draft", "published"]}}),
    ]
    (restore,) = route_text_restores(history)
    assert restore.fields == {"name_en": "Old"} and restore.user == "b"
    assert "Old → New" in restore.summary


def test_poi_history_rows_name_the_changed_fields_newest_first():
    revs = [SimpleNamespace(number=1, at=T0, user="a", action="create", fields={"name_en": "A", "lat": 30.0}),
            SimpleNamespace(number=2, at=T0, user="b", action="update", fields={"name_en": "B", "lat": 30.0})]
    rows = poi_history_rows(revs, "zh")
    assert [r["number"] for r in rows] == [2, 1]
    assert rows[0]["changes"] == "英文名称：A → B"
    assert rows[1]["changes"] == "第一版"  # not "*"
    assert poi_history_rows(revs, "en")[0]["changes"] == "English name: A → B"


def test_audit_details_in_words_never_dicts_or_ids():
    from routes.views.editing import audit_target, describe_detail

    photo = describe_detail("poi.photo", {"changes": {"photo_id": [None, "ab" * 16]}}, "zh")
    assert photo == "照片：已添加"
    assert describe_detail("poi.update", {"changes": {"hours": ["", "8-18"], "name_en": ["A", "B"]}}, "en") == (
        "Opening hours (Chinese): (empty) → 8-18; English name: A → B"
    )
    assert describe_detail("user.role", {"role": "admin"}, "zh") == "角色：管理员"
    assert describe_detail("user.active", {"active": False}, "en") == "account disabled"
    assert describe_detail("route.revision", {"revision": 3, "filename": "a.gpx", "sha256": "x"}, "zh") == (
        "轨迹第 3 份 · a.gpx"
    )
    assert describe_detail("poi.bulk_import", {"added": 2, "changed": 1, "unchanged": 0, "format": "csv"}, "en") == (
        "2 added, 1 changed, 0 unchanged"
    )
    created = describe_detail("poi.create", {"fields": {"name_zh": "茶园", "category": "food", "deleted": False}}, "zh")
    assert "中文名称：茶园" in created and "{" not in created
    assert audit_target("poi:" + "ab" * 16, {}, "zh") == "兴趣点 · （已不存在）"
    assert audit_target("route:tianxiang", {"route:tianxiang": "天香线"}, "en") == "Route · 天香线"
    assert audit_target("user:lin", {}, "zh") == "账号 · lin"


def test_labels():
    assert slug_suggestion("Tianxiang East Loop!") == "tianxiang-east-loop"
    assert action_label("poi.restore_revision", "zh") == "恢复兴趣点旧版本"
    assert action_label("something.else", "zh") == "something.else"
