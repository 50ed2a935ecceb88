"""BD-09 (Baidu) beside GCJ-02 in the upload's datum check: a line traced on Baidu Maps is found, said with its offset,
and converted back by the editor's one click."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from routes.analysis.quality import check_gcj02, convert_bd09_to_wgs84, creator_hint, quality_report
from routes.core.geo import geodesic_m
from routes.core.model import Waypoint, make_track
from routes.io.chinacoords import wgs84_to_bd09, wgs84_to_gcj02
from routes.io.gpxio import read_gpx, write_gpx
from routes.text.i18n import t
from routes.views.editing import derivation_label, prepare_upload
from routes.views.notes import note_text

SEED = Path(__file__).resolve().parents[2] / "data" / "seed"
TIANXIANG = read_gpx(SEED / "tianxiang.gpx")
REFS = [(TIANXIANG.lat, TIANXIANG.lon)]
#: The promise of the issue: back within 5 m of the original at every point.
BACK_WITHIN_M = 5.0


def bd09_copy(track=TIANXIANG):
    b_lat, b_lon = wgs84_to_bd09(track.lat, track.lon)
    return make_track(b_lat, b_lon, track.ele_m, name="百度地图描的天香线",
                      waypoints=(Waypoint(*map(float, wgs84_to_bd09(29.966334, 120.837654)), "起点"),))


def test_a_bd09_copy_of_the_tianxiang_line_is_detected_with_its_offset():
    check = check_gcj02(bd09_copy(), REFS)
    assert check.verdict == "bd09" and check.datum == "bd09"
    assert check.fit_bd09_m < 1.0
    # Neither as it is nor as GCJ-02 (the winding line passes near itself: a quarter of its points within ~200 m).
    assert check.fit_as_is_m > 150 and check.fit_converted_m > 150
    assert 900 < check.bd09_shift_m < 1400  # ≈ 1.1 km at Lianghu


def test_the_finding_says_bd09_and_the_offset_in_both_languages():
    report = quality_report(bd09_copy(), references=REFS)
    (finding,) = [f for f in report.findings if f.key.startswith("gcj_")]
    assert finding.key == "gcj_bd09" and finding.severity == "warning"
    assert 900 < finding.params["shift_m"] < 1400 and finding.params["converted_m"] == 0
    zh, en = t("quality.gcj_bd09", "zh", **finding.params), t("quality.gcj_bd09", "en", **finding.params)
    assert "百度" in zh and f"{finding.params['shift_m']} 米" in zh
    assert "BD-09" in en and f"{finding.params['shift_m']} m" in en


def test_converted_back_within_5_m_at_every_point():
    back = convert_bd09_to_wgs84(bd09_copy())
    assert np.max(geodesic_m(back.lat, back.lon, TIANXIANG.lat, TIANXIANG.lon)) < BACK_WITHIN_M
    assert geodesic_m(back.waypoints[0].lat, back.waypoints[0].lon, 29.966334, 120.837654) < BACK_WITHIN_M
    assert back.warnings[-1] == "converted from BD-09 to WGS-84"
    assert note_text(back.warnings[-1], "zh") == "已从百度坐标（BD-09）转换为 WGS-84"


def test_the_editors_one_click_converts_bd09():
    raw = write_gpx(bd09_copy(), name="百度地图描的天香线")
    prep = prepare_upload(raw, "tianxiang-baidu.gpx", references=REFS, convert_gcj=True)
    stored = read_gpx(prep.gpx)
    assert np.max(geodesic_m(stored.lat, stored.lon, TIANXIANG.lat, TIANXIANG.lon)) < BACK_WITHIN_M
    assert prep.converted_datum == "bd09" and prep.report.gcj.verdict == "bd09"
    assert prep.store_kwargs() == {"source": raw, "source_format": "gpx", "derivation": "converted from BD-09"}
    assert derivation_label(prep.derivation, "zh") == "由百度 BD-09 坐标转换为 WGS-84"
    # Not converted: the same file is judged and kept as it is.
    assert prepare_upload(raw, "tianxiang-baidu.gpx", references=REFS).converted_datum == ""


@pytest.mark.parametrize(("shift", "verdict"), [(None, "wgs84"), (wgs84_to_gcj02, "gcj02"), (wgs84_to_bd09, "bd09")])
def test_the_three_datums_are_told_apart(shift, verdict):
    lat, lon = (TIANXIANG.lat, TIANXIANG.lon) if shift is None else shift(TIANXIANG.lat, TIANXIANG.lon)
    assert check_gcj02(make_track(lat, lon), REFS).verdict == verdict


def test_a_baidu_creator_is_a_bd09_hint_when_nothing_nearby_decides():
    raw = b'<?xml version="1.0"?><gpx version="1.1" creator="BaiduMap 19.5" xmlns="x">'
    hint = creator_hint(raw)
    assert hint == "BaiduMap 19.5"
    far = bd09_copy(make_track(TIANXIANG.lat + 0.3, TIANXIANG.lon))
    check = check_gcj02(far, REFS, hint=hint)
    assert check.verdict == "no_reference" and check.datum == "bd09"
    keys = [f.key for f in quality_report(far, references=REFS, raw=raw).findings]
    assert "gcj_hint_bd09" in keys and "gcj_hint" not in keys
    assert re.search("百度", t("quality.gcj_hint_bd09", "zh", creator=hint))
    # An Amap file keeps the GCJ-02 hint and conversion.
    assert check_gcj02(far, REFS, hint="Amap Cycling").datum == "gcj02"
