"""Files a cyclist takes away: GPX with the POIs along the route, a TCX course, and a QR code of the page URL."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

import numpy as np

from routes.core.model import Track, Waypoint
from routes.io.devicenames import unique_fitted
from routes.io.gpxio import format_time, write_gpx

#: TCX needs a time on every trackpoint; courses start at this fixed instant (2025-01-01T00:00:00Z) so the same route
#: always gives the same file. Devices use only the differences (virtual partner pace).
TCX_EPOCH_S = 1_735_689_600.0
#: Pace used for TCX times when no ride estimate is given: an easy leisure pace, 15 km/h.
FALLBACK_SPEED_MPS = 15 / 3.6
#: Garmin's schema limits course names to 15 characters and course-point names to 10.
TCX_COURSE_NAME_MAX = 15
#: QR codes drawn per process and kept (each page's share link, per language): the route page draws one per visit,
#: and encoding one costs more than the rest of the page's Python.
QR_CACHE_SIZE = 256
TCX_POINT_NAME_MAX = 10

#: TCX CoursePoint PointType for each POI category (the schema's fixed list); anything else is "Generic".
TCX_POINT_TYPES: dict[str, str] = {
    "water": "Water",
    "food": "Food",
    "hazard": "Danger",
    # TCX has no toilet type; "First Aid" would send a rider with an injury to a public toilet.
    "toilet": "Generic",
    "repair": "Generic",
}
#: Climb category → TCX PointType at the summit.
TCX_CLIMB_TYPES = {"4": "4th Category", "3": "3rd Category", "2": "2nd Category", "1": "1st Category",
                   "HC": "Hors Category"}


@dataclass(frozen=True)
class CoursePoint:
    """A named point along the course, at ``distance_m`` from the start."""

    distance_m: float
    name: str
    point_type: str = "Generic"
    desc: str = ""


#: Namespace of the guide's own GPX extension (the surface by stretch): a URN, so nothing ever tries to fetch it.
GUIDE_GPX_NS = "urn:tianxiang-guide:route-facts:1"


def surface_extension(stretches: Sequence[tuple[float, float, str]]) -> str:
    """The surface by stretch as the track's extension: ``<guide:surfaces>`` with one empty ``<guide:stretch
    from_km=… to_km=… surface=…/>`` each (surface keys of routes.core.facts.SURFACES); "" when there are none."""
    if not stretches:
        return ""
    quote = {'"': "&quot;"}
    items = "".join(
        f'<guide:stretch from_km="{a:g}" to_km="{b:g}" surface="{escape(str(key), quote)}"/>' for a, b, key in stretches
    )
    return f'<guide:surfaces xmlns:guide="{GUIDE_GPX_NS}">{items}</guide:surfaces>'


def gpx_with_waypoints(
    track: Track, points: Sequence[Waypoint], *, name: str, surfaces: Sequence[tuple[float, float, str]] = ()
) -> bytes:
    """The route as GPX 1.1 with the given POIs (and warnings) as waypoints, names in the visitor's language, and
    the surface by stretch in the track's extensions."""
    return write_gpx(track, waypoints=list(points), name=name, trk_extensions=surface_extension(surfaces))


def _interp(track_d: np.ndarray, values: np.ndarray, at_m: float) -> float:
    return float(np.interp(at_m, track_d, values))


def tcx_course(
    track: Track,
    distance_m: np.ndarray,
    *,
    name: str,
    course_points: Sequence[CoursePoint] = (),
    time_s: np.ndarray | None = None,
) -> bytes:
    """A TCX course: trackpoints with cumulative distance and synthetic times, plus course points.

    ``distance_m`` is the cumulative distance of each track point; ``time_s``, if given, the estimated seconds from
    the start at each point (a ride estimate), otherwise an even :data:`FALLBACK_SPEED_MPS` pace is used.
    """
    d = np.asarray(distance_m, dtype=np.float64)
    rel = np.asarray(time_s, dtype=np.float64) if time_s is not None else d / FALLBACK_SPEED_MPS
    rel = np.where(np.isfinite(rel), rel, d / FALLBACK_SPEED_MPS)
    course_name = escape(name[:TCX_COURSE_NAME_MAX] or "Course")
    lat, lon, ele = track.lat, track.lon, track.ele_m
    total_s = float(rel[-1]) if len(rel) else 0.0
    total_m = float(d[-1]) if len(d) else 0.0
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n',
        f"<Folders><Courses><CourseFolder Name=\"Courses\"><CourseNameRef><Id>{course_name}</Id></CourseNameRef>"
        "</CourseFolder></Courses></Folders>\n",
        f"<Courses><Course><Name>{course_name}</Name>\n",
    ]
    if len(d):
        out.append(
            f"<Lap><TotalTimeSeconds>{total_s:.0f}</TotalTimeSeconds><DistanceMeters>{total_m:.1f}</DistanceMeters>"
            f"<BeginPosition><LatitudeDegrees>{lat[0]:.7f}</LatitudeDegrees><LongitudeDegrees>{lon[0]:.7f}"
            f"</LongitudeDegrees></BeginPosition><EndPosition><LatitudeDegrees>{lat[-1]:.7f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{lon[-1]:.7f}</LongitudeDegrees></EndPosition><Intensity>Active</Intensity></Lap>\n"
        )
    out.append("<Track>\n")
    for i in range(len(d)):
        alt = "" if not math.isfinite(ele[i]) else f"<AltitudeMeters>{ele[i]:.1f}</AltitudeMeters>"
        out.append(
            f"<Trackpoint><Time>{format_time(TCX_EPOCH_S + rel[i])}</Time><Position><LatitudeDegrees>{lat[i]:.7f}"
            f"</LatitudeDegrees><LongitudeDegrees>{lon[i]:.7f}</LongitudeDegrees></Position>{alt}"
            f"<DistanceMeters>{d[i]:.1f}</DistanceMeters></Trackpoint>\n"
        )
    out.append("</Track>\n")
    ordered = sorted(course_points, key=lambda c: c.distance_m)
    names = unique_fitted([cp.name for cp in ordered], TCX_POINT_NAME_MAX)
    for cp, cp_name in zip(ordered, names, strict=True):
        if not len(d):
            break
        at = min(max(cp.distance_m, 0.0), total_m)
        plat, plon = _interp(d, lat, at), _interp(d, lon, at)
        ptime = _interp(d, rel, at)
        notes = f"<Notes>{escape(cp.desc)}</Notes>" if cp.desc else ""
        out.append(
            f"<CoursePoint><Name>{escape(cp_name)}</Name>"
            f"<Time>{format_time(TCX_EPOCH_S + ptime)}</Time><Position><LatitudeDegrees>{plat:.7f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{plon:.7f}</LongitudeDegrees></Position><PointType>{escape(cp.point_type)}</PointType>"
            f"{notes}</CoursePoint>\n"
        )
    out.append("</Course></Courses>\n</TrainingCenterDatabase>\n")
    return "".join(out).encode("utf-8")


@lru_cache(maxsize=QR_CACHE_SIZE)
def qr_svg(url: str, *, scale: int = 4) -> str:
    """An inline SVG QR code of ``url`` (error correction M: survives a smudged phone screen)."""
    import segno

    return segno.make(url, error="m", micro=False).svg_inline(scale=scale, dark="#222222")


def qr_png(url: str, *, scale: int = 6) -> bytes:
    import io

    import segno

    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()
