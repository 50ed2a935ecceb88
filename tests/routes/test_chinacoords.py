"""WGS-84 ⇄ GCJ-02 against published reference pairs; the inverse round-trips to under 0.1 m."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from routes.io.chinacoords import gcj02_to_wgs84, in_china, wgs84_to_gcj02

_GEOD = Geod(ellps="WGS84")

# Published reference pairs (WGS-84 lat, lon) → (GCJ-02 lat, lon):
# - Beijing, Tiananmen: the example in the test script of the widely used wandergis/coordtransform JavaScript
#   library (test/app.js), reproduced by coordtransform ports in other languages.
# - Near Jiaxing, Zhejiang (≈ 60 km from Lianghu): the WGS84/GCJ02 pair in the test suite of Glatzel/pyxis
#   (a Rust/Python geodesy toolkit); that implementation's constants differ in the last digits, hence 1e-6°.
REFERENCE_PAIRS = [
    ((39.915, 116.404), (39.91640428150164, 116.41024449916938), 1e-9),
    ((30.6107779, 121.0917077), (30.608604331756705, 121.09626935575027), 1e-6),
]


@pytest.mark.parametrize(("wgs", "gcj", "tol_deg"), REFERENCE_PAIRS)
def test_forward_matches_published_pairs(wgs, gcj, tol_deg):
    lat, lon = wgs84_to_gcj02(*wgs)
    assert isinstance(lat, float)
    assert lat == pytest.approx(gcj[0], abs=tol_deg)
    assert lon == pytest.approx(gcj[1], abs=tol_deg)


@pytest.mark.parametrize(("wgs", "gcj", "tol_deg"), REFERENCE_PAIRS)
def test_inverse_recovers_the_published_wgs84(wgs, gcj, tol_deg):
    lat, lon = gcj02_to_wgs84(*gcj)
    _, _, err_m = _GEOD.inv(wgs[1], wgs[0], lon, lat)
    assert err_m < max(0.1, tol_deg * 111_000 * 2)


def test_offset_at_lianghu_is_about_half_a_kilometre():
    lat, lon = 30.0, 120.85
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    _, _, shift_m = _GEOD.inv(lon, lat, g_lon, g_lat)
    assert 400 < shift_m < 600


def test_inverse_round_trip_under_0_1_m_across_china():
    rng = np.random.default_rng(0)
    lat = rng.uniform(18.0, 53.0, 2000)
    lon = rng.uniform(74.0, 134.0, 2000)
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    w_lat, w_lon = gcj02_to_wgs84(g_lat, g_lon)
    _, _, err = _GEOD.inv(lon, lat, w_lon, w_lat)
    assert np.max(err) < 0.1
    assert w_lat.shape == lat.shape


def test_outside_china_unchanged():
    for lat, lon in [(51.5, -0.12), (35.68, 139.76), (-33.9, 151.2), (40.7, -74.0)]:
        assert wgs84_to_gcj02(lat, lon) == (lat, lon)
        assert gcj02_to_wgs84(lat, lon) == (lat, lon)
    assert in_china(30.0, 120.85) and not in_china(51.5, -0.12)


def test_arrays_keep_their_shape_and_mix_inside_and_outside():
    lat = np.array([[30.0, 51.5], [29.98, 35.68]])
    lon = np.array([[120.85, -0.12], [120.82, 139.76]])
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    assert g_lat.shape == (2, 2)
    assert g_lat[0, 1] == 51.5 and g_lon[1, 1] == 139.76
    assert g_lat[0, 0] != 30.0
    np.testing.assert_array_equal(in_china(lat, lon), [[True, False], [True, False]])
