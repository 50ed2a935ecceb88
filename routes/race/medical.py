"""The medical plan: the nearest hospital or clinic to each stretch of the course, by distance and rough drive time.

Stretches are those of the road-closure table (between consecutive course points, merged over laps), so the medical
page and the closure page speak of the same pieces of road. Hospitals are the guide's POIs of the categories in
:data:`HOSPITAL_CATEGORIES` (the seed's are illustrative and say so).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from routes.race.timetable import RoadClosure, merge_closures

#: POI categories a rider can be taken to (routes.store.records.POI_CATEGORIES).
HOSPITAL_CATEGORIES = ("hospital", "clinic")
#: Average speed of an ambulance or car on the county and village roads round Lianghu and Shangyu, km/h: about
#: 35 km/h with junctions, villages and a closed race course to drive round (a planning figure, not a measurement).
DRIVE_SPEED_KMH = 35.0
#: Roads are longer than the straight line: road distance ≈ 1.3 × straight-line distance is the usual planning
#: factor for a rural road network (1.2 on a grid of streets, 1.4 and more in hills).
DETOUR_FACTOR = 1.3


@dataclass(frozen=True)
class Hospital:
    name_zh: str
    name_en: str
    category: str
    lat: float
    lon: float
    phone: str = ""
    illustrative: bool = False

    def title(self, lang: str) -> str:
        """English name when asked and given; a hospital named only in Chinese keeps its proper name."""
        return self.name_en if lang == "en" and self.name_en else self.name_zh or self.name_en


@dataclass(frozen=True)
class StretchCare:
    """The nearest hospital to one stretch: straight-line distance from its nearest point of the stretch, the
    estimated road distance and drive time."""

    closure: RoadClosure
    hospital: Hospital | None
    straight_m: float
    road_m: float
    drive_s: float


def hospitals_from_pois(pois: Iterable) -> tuple[Hospital, ...]:
    """Published, not deleted POIs of the hospital categories, as :class:`Hospital`."""
    return tuple(
        Hospital(p.name_zh, p.name_en, p.category, float(p.lat), float(p.lon), getattr(p, "phone", "") or "",
                 bool(getattr(p, "illustrative", False)))
        for p in pois
        if p.category in HOSPITAL_CATEGORIES and getattr(p, "status", "published") == "published"
        and not getattr(p, "deleted", False)
    )


def hospitals_from_store(store) -> tuple[Hospital, ...]:
    return hospitals_from_pois(store.list_pois(status="published"))


def road_estimate(straight_m: float) -> tuple[float, float]:
    """(road distance m, drive time s) from a straight-line distance: × DETOUR_FACTOR at DRIVE_SPEED_KMH."""
    road_m = straight_m * DETOUR_FACTOR
    return road_m, road_m / (DRIVE_SPEED_KMH / 3.6)


def _stretch_points(course, closure: RoadClosure) -> tuple[np.ndarray, np.ndarray]:
    """The stretch's track points (its first pass) and both its ends: as fine as the track itself."""
    a = max(closure.from_point.race_m, 0.0)  # the roll-out has no coordinates: its stretch is measured from km 0
    b = max(closure.to_point.race_m, a)
    # where the stretch starts within its lap (a point on the lap line starts the next lap here, not ends one)
    pa = a - min(math.floor(a / course.lap_m), course.laps - 1) * course.lap_m
    pb = pa + (b - a)
    d = course.lap_distance_m
    inside = (d > pa) & (d < pb)
    lat_a, lon_a, _ = course.locate(a)
    lat_b, lon_b, _ = course.locate(b)
    lat = np.concatenate([[float(lat_a)], course.lap.lat[inside], [float(lat_b)]])
    lon = np.concatenate([[float(lon_a)], course.lap.lon[inside], [float(lon_b)]])
    return lat, lon


def nearest_care(course, closures: Sequence[RoadClosure], hospitals: Sequence[Hospital]) -> list[StretchCare]:
    """For each stretch, the hospital whose straight-line distance to the stretch's nearest point is least."""
    from routes.core.geo import geodesic_m

    out = []
    for c in closures:
        lat, lon = _stretch_points(course, c)
        best: tuple[float, Hospital] | None = None
        for h in hospitals:
            d = float(np.min(np.asarray(geodesic_m(lat, lon, np.full_like(lat, h.lat), np.full_like(lon, h.lon)))))
            if best is None or d < best[0]:
                best = (d, h)
        if best is None:
            out.append(StretchCare(c, None, math.nan, math.nan, math.nan))
        else:
            road_m, drive_s = road_estimate(best[0])
            out.append(StretchCare(c, best[1], best[0], road_m, drive_s))
    return out


def layout_care(layout) -> list[StretchCare]:
    """The medical plan of a laid-out race (routes.race.racebook.RaceLayout), stretch by stretch."""
    closures = merge_closures(layout.timetable.closures, lap_m=layout.course.lap_m, laps=layout.course.laps)
    return nearest_care(layout.course, closures, layout.hospitals)
