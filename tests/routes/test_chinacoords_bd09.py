"""GCJ-02 ⇄ BD-09 (Baidu) against published reference values; the iterated inverse round-trips to under 1 mm."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from routes.io.chinacoords import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

_GEOD = Geod(ellps="WGS84")

# Published reference values at Tiananmen, (lat, lon):
# - GCJ-02 (39.915, 116.404) → BD-09: the README and test script of the widely used wandergis/coordtransform library
#   (gcj02tobd09), reproduced by its ports (coordtransform-rs, hutool's CoordinateUtilTest, ...).
# - WGS-84 (39.915, 116.404) → BD-09: the README of the geocraft Python package (wgs84_to_bd09).
# - BD-09 (39.915, 116.404) → GCJ-02: coordtransform's one-step inverse (bd09togcj02), itself a few centimetres off.
GCJ_TO_BD = ((39.915, 116.404), (39.92133699351021, 116.41036949371029))
WGS_TO_BD = ((39.915, 116.404), (39.922699552216216, 116.41662724378733))
BD_TO_GCJ_ONE_STEP = ((39.915, 116.404), (39.90865673957631, 116.39762729119315))
#: How far the published one-step inverse may be from the exact one (it drops the small wave terms' feedback).
ONE_STEP_INVERSE_ERROR_M = 0.2


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(_GEOD.inv(a[1], a[0], b[1], b[0])[2])


def test_gcj02_to_bd09_matches_the_published_value():
    lat, lon = gcj02_to_bd09(*GCJ_TO_BD[0])
    assert isinstance(lat, float) and isinstance(lon, float)
    assert lat == pytest.approx(GCJ_TO_BD[1][0], abs=1e-10)
    assert lon == pytest.approx(GCJ_TO_BD[1][1], abs=1e-10)


def test_wgs84_to_bd09_matches_the_published_value():
    lat, lon = wgs84_to_bd09(*WGS_TO_BD[0])
    assert lat == pytest.approx(WGS_TO_BD[1][0], abs=1e-10)
    assert lon == pytest.approx(WGS_TO_BD[1][1], abs=1e-10)


def test_the_inverse_is_exact_where_the_published_one_step_inverse_is_close():
    got = bd09_to_gcj02(*BD_TO_GCJ_ONE_STEP[0])
    assert _metres(got, BD_TO_GCJ_ONE_STEP[1]) < ONE_STEP_INVERSE_ERROR_M
    back = gcj02_to_bd09(*got)
    assert _metres(back, BD_TO_GCJ_ONE_STEP[0]) < 0.001


def test_round_trips_over_china_to_under_a_millimetre():
    rng = np.random.default_rng(22)
    lat, lon = rng.uniform(18.0, 53.0, 500), rng.uniform(74.0, 134.0, 500)
    b_lat, b_lon = wgs84_to_bd09(lat, lon)
    assert b_lat.shape == lat.shape
    w_lat, w_lon = bd09_to_wgs84(b_lat, b_lon)
    _, _, err = _GEOD.inv(lon, lat, w_lon, w_lat)
    assert float(np.max(err)) < 0.001


def test_bd09_at_lianghu_is_several_hundred_metres_from_wgs84_and_gcj02():
    lat, lon = 29.966545, 120.837564  # the start of the Tianxiang line
    bd = wgs84_to_bd09(lat, lon)
    gcj = wgs84_to_gcj02(lat, lon)
    assert 800 < _metres(bd, (lat, lon)) < 1500
    assert 500 < _metres(bd, gcj) < 1000  # Baidu's own shift on top of GCJ-02's
