"""WGS-84 ⇄ GCJ-02, the offset datum of Chinese basemaps (Amap/Gaode, Tencent, Google's China road map), and
GCJ-02 ⇄ BD-09, Baidu Maps' own further offset (for links that open Baidu Maps at the right spot).

Coordinates are stored and computed in WGS-84. GCJ-02 is produced only at the moment of drawing on a GCJ-02 basemap
(≈ 490 m shift at Lianghu), and tracks exported by Chinese apps in GCJ-02 are converted back with the iterative
inverse. Outside mainland China's bounding box the published transform is the identity, and so is this one.
"""

from __future__ import annotations

import numpy as np

#: Krasovsky 1940 ellipsoid, which the published GCJ-02 transform uses.
KRASOVSKY_A_M = 6_378_245.0
KRASOVSKY_E2 = 0.00669342162296594323
#: Bounding box inside which the transform applies (the widely used rectangle around China; coarse at the borders,
#: exact for everything this guide shows).
CHINA_LON = (72.004, 137.8347)
CHINA_LAT = (0.8293, 55.8271)
#: The inverse stops when a further step moves less than this many degrees (≈ 1 mm); 0.1 m is the promise.
INVERSE_TOLERANCE_DEG = 1e-8
INVERSE_MAX_ITERATIONS = 30


def in_china(lat: object, lon: object) -> np.ndarray:
    """True where the GCJ-02 shift applies."""
    lat_a = np.asarray(lat, dtype=np.float64)
    lon_a = np.asarray(lon, dtype=np.float64)
    return (lon_a >= CHINA_LON[0]) & (lon_a <= CHINA_LON[1]) & (lat_a >= CHINA_LAT[0]) & (lat_a <= CHINA_LAT[1])


def _shift_deg(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 minus WGS-84, in degrees, at a WGS-84 position (the published polynomial-and-sine formula)."""
    x = lon - 105.0
    y = lat - 35.0
    sq = np.sqrt(np.abs(x))
    wave_lat = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    wave_lon = wave_lat.copy()
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sq
    dlat += wave_lat
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sq
    dlon += wave_lon
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad = np.radians(lat)
    s = np.sin(rad)
    w = 1.0 - KRASOVSKY_E2 * s * s
    sw = np.sqrt(w)
    dlat = dlat * 180.0 / ((KRASOVSKY_A_M * (1.0 - KRASOVSKY_E2)) / (w * sw) * np.pi)
    dlon = dlon * 180.0 / (KRASOVSKY_A_M / sw * np.cos(rad) * np.pi)
    return dlat, dlon


def _out(lat: np.ndarray, lon: np.ndarray, scalar: bool) -> tuple[object, object]:
    return (float(lat), float(lon)) if scalar else (lat, lon)


def wgs84_to_gcj02(lat: object, lon: object) -> tuple[object, object]:
    """WGS-84 → GCJ-02 (floats or arrays; points outside China unchanged)."""
    scalar = np.isscalar(lat) and np.isscalar(lon)
    lat_a = np.array(lat, dtype=np.float64, ndmin=1)
    lon_a = np.array(lon, dtype=np.float64, ndmin=1)
    dlat, dlon = _shift_deg(lat_a, lon_a)
    inside = in_china(lat_a, lon_a)
    out_lat = np.where(inside, lat_a + dlat, lat_a)
    out_lon = np.where(inside, lon_a + dlon, lon_a)
    if scalar:
        return _out(out_lat[0], out_lon[0], True)
    return out_lat.reshape(np.shape(lat)), out_lon.reshape(np.shape(lon))


def gcj02_to_wgs84(lat: object, lon: object) -> tuple[object, object]:
    """GCJ-02 → WGS-84 by fixed-point iteration on the forward transform (error < 1 mm; outside China unchanged)."""
    scalar = np.isscalar(lat) and np.isscalar(lon)
    g_lat = np.array(lat, dtype=np.float64, ndmin=1)
    g_lon = np.array(lon, dtype=np.float64, ndmin=1)
    w_lat, w_lon = g_lat.copy(), g_lon.copy()
    inside = in_china(g_lat, g_lon)
    for _ in range(INVERSE_MAX_ITERATIONS):
        f_lat, f_lon = wgs84_to_gcj02(w_lat, w_lon)
        e_lat = np.where(inside, np.asarray(f_lat) - g_lat, 0.0)
        e_lon = np.where(inside, np.asarray(f_lon) - g_lon, 0.0)
        w_lat = w_lat - e_lat
        w_lon = w_lon - e_lon
        if np.all(np.abs(e_lat) < INVERSE_TOLERANCE_DEG) and np.all(np.abs(e_lon) < INVERSE_TOLERANCE_DEG):
            break
    if scalar:
        return _out(w_lat[0], w_lon[0], True)
    return w_lat.reshape(np.shape(lat)), w_lon.reshape(np.shape(lon))


# --- BD-09 (Baidu) ---------------------------------------------------------------------------------------------------

#: BD-09 is GCJ-02 turned and stretched a little about the origin, then shifted by a fixed offset (Baidu's published
#: formula, as used by its own SDKs' converters); the angle constant is π·3000/180.
BD09_X_PI = np.pi * 3000.0 / 180.0
BD09_OFFSET_LON_DEG = 0.0065
BD09_OFFSET_LAT_DEG = 0.006
BD09_RADIUS_WAVE_DEG = 0.00002
BD09_ANGLE_WAVE_RAD = 0.000003


def gcj02_to_bd09(lat: object, lon: object) -> tuple[object, object]:
    """GCJ-02 → BD-09 (Baidu Maps' ``bd09ll``), floats or arrays. Baidu applies it everywhere, inside China or not."""
    scalar = np.isscalar(lat) and np.isscalar(lon)
    y = np.array(lat, dtype=np.float64, ndmin=1)
    x = np.array(lon, dtype=np.float64, ndmin=1)
    z = np.sqrt(x * x + y * y) + BD09_RADIUS_WAVE_DEG * np.sin(y * BD09_X_PI)
    theta = np.arctan2(y, x) + BD09_ANGLE_WAVE_RAD * np.cos(x * BD09_X_PI)
    out_lat = z * np.sin(theta) + BD09_OFFSET_LAT_DEG
    out_lon = z * np.cos(theta) + BD09_OFFSET_LON_DEG
    if scalar:
        return _out(out_lat[0], out_lon[0], True)
    return out_lat.reshape(np.shape(lat)), out_lon.reshape(np.shape(lon))


def bd09_to_gcj02(lat: object, lon: object) -> tuple[object, object]:
    """BD-09 → GCJ-02 by fixed-point iteration on the forward transform (error < 1 mm; the widely copied one-step
    inverse is off by a few centimetres)."""
    scalar = np.isscalar(lat) and np.isscalar(lon)
    b_lat = np.array(lat, dtype=np.float64, ndmin=1)
    b_lon = np.array(lon, dtype=np.float64, ndmin=1)
    g_lat, g_lon = b_lat - BD09_OFFSET_LAT_DEG, b_lon - BD09_OFFSET_LON_DEG
    for _ in range(INVERSE_MAX_ITERATIONS):
        f_lat, f_lon = gcj02_to_bd09(g_lat, g_lon)
        e_lat, e_lon = np.asarray(f_lat) - b_lat, np.asarray(f_lon) - b_lon
        g_lat, g_lon = g_lat - e_lat, g_lon - e_lon
        if np.all(np.abs(e_lat) < INVERSE_TOLERANCE_DEG) and np.all(np.abs(e_lon) < INVERSE_TOLERANCE_DEG):
            break
    if scalar:
        return _out(g_lat[0], g_lon[0], True)
    return g_lat.reshape(np.shape(lat)), g_lon.reshape(np.shape(lon))


def wgs84_to_bd09(lat: object, lon: object) -> tuple[object, object]:
    """WGS-84 → BD-09: through GCJ-02, as Baidu's own converter does."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))


def bd09_to_wgs84(lat: object, lon: object) -> tuple[object, object]:
    """BD-09 → WGS-84 (both inverses iterated: error < 1 mm)."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lon))
