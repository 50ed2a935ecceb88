"""The guide's region: a centre and a radius. A route that never comes into it is most likely the wrong file (a ride
from a holiday abroad uploaded as a Lianghu route), so publishing it needs the editor's explicit confirmation, and
the catalogue map frames the region rather than every route.

Both numbers have a default for the Shangyu guide and an environment override, so the same program can serve
another county: ``GUIDE_REGION_CENTRE="lat,lon"`` (WGS-84 degrees) and ``GUIDE_REGION_RADIUS_KM``.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

#: Environment variables that override the defaults below.
REGION_CENTRE_ENV = "GUIDE_REGION_CENTRE"
REGION_RADIUS_ENV = "GUIDE_REGION_RADIUS_KM"
#: The middle of the seed routes (Lianghu, between Shangyu town and the Tianxiang hills): they span
#: 29.95–30.02 N, 120.80–120.89 E.
DEFAULT_REGION_CENTRE = (29.99, 120.85)
#: Shangyu district and Shaoxing city (28 km west) with room to spare; Hangzhou (≈ 70 km) is outside.
DEFAULT_REGION_RADIUS_KM = 60.0
#: Mean Earth radius for the haversine distance: the check needs kilometres, not millimetres (0.5 % at most).
EARTH_MEAN_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class Region:
    lat: float
    lon: float
    radius_m: float

    def distance_m(self, lat: Sequence[float] | np.ndarray, lon: Sequence[float] | np.ndarray) -> float:
        """Distance from the centre to the nearest of the points (infinite without points)."""
        d = haversine_m(self.lat, self.lon, np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64))
        d = d[np.isfinite(d)]
        return float(d.min()) if len(d) else math.inf

    def contains(self, lat: Sequence[float] | np.ndarray, lon: Sequence[float] | np.ndarray) -> bool:
        """True when at least one of the points lies within the radius (a route that enters the region)."""
        return self.distance_m(lat, lon) <= self.radius_m


def haversine_m(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance on the mean sphere from one point to many."""
    p1, p2 = math.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_MEAN_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def guide_region() -> Region:
    """The configured region (read on every call, so a changed environment applies at once). An unreadable
    override is logged and the default used: a typo in the configuration must not take the guide down."""
    lat, lon = DEFAULT_REGION_CENTRE
    radius_km = DEFAULT_REGION_RADIUS_KM
    centre = os.environ.get(REGION_CENTRE_ENV, "").strip()
    if centre:
        try:
            a, b = (float(x) for x in centre.replace("，", ",").split(","))
            if not (-90.0 <= a <= 90.0 and -180.0 <= b <= 180.0):
                raise ValueError(centre)
            lat, lon = a, b
        except ValueError:
            log.warning("%s=%r is not 'lat,lon' in degrees; using %s", REGION_CENTRE_ENV, centre,
                        DEFAULT_REGION_CENTRE)
    radius = os.environ.get(REGION_RADIUS_ENV, "").strip()
    if radius:
        try:
            value = float(radius)
            if not (math.isfinite(value) and value > 0):
                raise ValueError(radius)
            radius_km = value
        except ValueError:
            log.warning("%s=%r is not a positive number of km; using %g", REGION_RADIUS_ENV, radius,
                        DEFAULT_REGION_RADIUS_KM)
    return Region(lat, lon, radius_km * 1000.0)
