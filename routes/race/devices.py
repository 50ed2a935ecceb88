"""Course files for bike computers: GPX with typed waypoints, TCX with course points, and a FIT course."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape

import numpy as np

from routes.core.model import Waypoint
from routes.io.devicenames import device_point_names, fit_text, utf8_bytes
from routes.io.gpxio import format_time, write_gpx
from routes.race.names import marker_label, marker_note
from routes.race.plan import Course, CoursePoint
from routes.text.i18n import t

#: Course-point type per marker kind, as FIT's ``course_point`` enum names them. Garmin Connect reads a GPX
#: waypoint's ``<type>`` with these (upper-case) names and turns the waypoint into a course point with that icon.
FIT_POINT_TYPE = {
    "neutral": "generic",
    "start": "segment_start",
    "finish": "segment_end",
    "lap": "generic",
    "feed": "food",
    "aid": "aid_station",
    "water": "water",
    "kom": "summit",
    "sprint": "sprint",
    "checkpoint": "checkpoint",
    "medical": "first_aid",
    "hazard": "danger",
    # a marshal stands where riders cross or turn at a junction; "checkpoint" now means a timing point
    "marshal": "crossing",
}
FIT_KOM_TYPE = {
    "4": "fourth_category",
    "3": "third_category",
    "2": "second_category",
    "1": "first_category",
    "HC": "hors_category",
}
#: TCX 2 allows only these 16 PointType values; anything else falls back to the nearest of them.
TCX_POINT_TYPE = {
    "neutral": "Generic",
    "start": "Generic",
    "finish": "Generic",
    "lap": "Generic",
    "feed": "Food",
    "aid": "Food",
    "water": "Water",
    "kom": "Summit",
    "sprint": "Sprint",
    "checkpoint": "Generic",
    "medical": "First Aid",
    "hazard": "Danger",
    "marshal": "Generic",
}
TCX_KOM_TYPE = {
    "4": "4th Category",
    "3": "3rd Category",
    "2": "2nd Category",
    "1": "1st Category",
    "HC": "Hors Category",
}
#: Garmin waypoint symbols, for GPX readers that draw ``<sym>`` (BaseCamp, OsmAnd, GPXSee).
GPX_SYMBOL = {
    "start": "Flag, Green",
    "finish": "Flag, Red",
    "lap": "Flag, Blue",
    "feed": "Restaurant",
    "aid": "Restaurant",
    "water": "Drinking Water",
    "kom": "Summit",
    "sprint": "Flag, Blue",
    "checkpoint": "Flag, Green",
    "medical": "First Aid",
    "hazard": "Danger Area",
    "marshal": "Police Station",
}
#: Course-point names show on a small screen. TCX: the schema's CoursePointName_t is a token of at most 10
#: characters (Garmin TrainingCenterDatabasev2.xsd; Garmin Connect drops longer ones on import). FIT: the profile
#: gives course_point.name no size, the file's definition does; Garmin's own course files use a 16-byte field, so
#: 15 bytes of UTF-8 and the terminating NUL. Names are "<code> <place>" (routes.io.devicenames.course_point_name),
#: shortened by meaning; docs/devices.md lists the limits.
TCX_NAME_CHARS = 10
FIT_NAME_BYTES = 15
#: TCX's schema limits a course name to 15 characters.
TCX_COURSE_NAME_CHARS = 15
#: A FIT course name is listed on its own line of the device's course list, which shows far more than a point name;
#: 47 bytes (+ NUL) hold a 15-character Chinese race name whole.
FIT_COURSE_NAME_BYTES = 47
#: Planned pace used for the timestamps course files require (a device's virtual partner rides it).
DEFAULT_PACE_KMH = 25.0
#: FIT positions are semicircles: 2^31 per 180 degrees.
SEMICIRCLES_PER_DEGREE = 2**31 / 180.0


def point_name(point: CoursePoint, lang: str, *, laps: int = 1) -> str:
    """A short name: the organiser's label in ``lang`` or the kind (numbered in English: "Feed zone 1"), with the
    lap on a circuit. An English file never takes the Chinese label (a device may have no Chinese font)."""
    own = marker_label(point, lang)
    name = own or t(f"race.kind.{point.kind}", lang)
    if lang == "en" and not own and point.number:
        name += f" {point.number}"
    if point.kind == "kom" and point.category and not own:
        name += " " + t("race.cat.HC" if point.category == "HC" else "race.cat", lang, cat=point.category)
    if laps > 1 and point.lap and point.kind not in ("start", "finish"):
        name += " " + t("race.lap_device", lang, n=point.lap)
    return name


def device_place(point: CoursePoint, lang: str) -> str:
    """The place part of a device name: the organiser's own name in ``lang`` (the code already says the kind, number
    and lap, so a generated "Feed zone 1" would only repeat it)."""
    return marker_label(point, lang)


def _fit_type(point: CoursePoint) -> str:
    if point.kind == "kom" and point.category in FIT_KOM_TYPE:
        return FIT_KOM_TYPE[point.category]
    return FIT_POINT_TYPE[point.kind]


def _tcx_type(point: CoursePoint) -> str:
    if point.kind == "kom" and point.category in TCX_KOM_TYPE:
        return TCX_KOM_TYPE[point.category]
    return TCX_POINT_TYPE[point.kind]


def _on_course(points: Sequence[CoursePoint]) -> list[CoursePoint]:
    """Points with a place on the ridden line (the roll-out is before it)."""
    return [p for p in points if p.kind != "neutral" and math.isfinite(p.lat)]


def _course_times_s(course: Course, start: datetime, pace_kmh: float) -> tuple[np.ndarray, np.ndarray]:
    """(race distance, epoch seconds) of every point of the race track at a steady planned pace."""
    distance = np.concatenate(
        [course.lap_distance_m] + [course.lap_distance_m[1:] + k * course.lap_m for k in range(1, course.laps)]
    )
    t0 = start.astimezone(UTC).timestamp()
    return distance, t0 + distance / (pace_kmh / 3.6)


def course_gpx(course: Course, points: Sequence[CoursePoint], *, lang: str = "zh", name: str = "") -> bytes:
    """The race as one GPX track with every marker as a waypoint (``<type>`` in Garmin's course-point names)."""
    track = course.race_track()
    waypoints = [
        Waypoint(
            lat=p.lat,
            lon=p.lon,
            name=point_name(p, lang, laps=course.laps),
            ele_m=p.ele_m,
            desc=_describe(p, lang),
            sym=GPX_SYMBOL.get(p.kind, "Flag, Blue"),
            type=_fit_type(p).upper(),
        )
        for p in _on_course(points)
    ]
    return write_gpx(track, waypoints=waypoints, name=name or course.name)


def _describe(point: CoursePoint, lang: str) -> str:
    km = t("race.col.km", lang)
    parts = [f"{point.race_m / 1000:.1f} {km}"]
    note = marker_note(point, lang)
    if note:
        parts.append(note)
    return " · ".join(parts)


def course_tcx(
    course: Course,
    points: Sequence[CoursePoint],
    *,
    start: datetime,
    lang: str = "zh",
    name: str = "",
    pace_kmh: float = DEFAULT_PACE_KMH,
) -> bytes:
    """A TCX course: the track with distances and planned times, and a CoursePoint per marker."""
    distance, times = _course_times_s(course, start, pace_kmh)
    track = course.race_track()
    title = fit_text(name or course.name or "course", TCX_COURSE_NAME_CHARS)
    total_s = float(times[-1] - times[0])
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<Courses>\n<Course>\n',
        f"<Name>{escape(title)}</Name>\n<Lap>\n",
        f"<TotalTimeSeconds>{total_s:.1f}</TotalTimeSeconds>\n",
        f"<DistanceMeters>{distance[-1]:.1f}</DistanceMeters>\n",
        f"<BeginPosition><LatitudeDegrees>{track.lat[0]!r}</LatitudeDegrees>"
        f"<LongitudeDegrees>{track.lon[0]!r}</LongitudeDegrees></BeginPosition>\n",
        f"<EndPosition><LatitudeDegrees>{track.lat[-1]!r}</LatitudeDegrees>"
        f"<LongitudeDegrees>{track.lon[-1]!r}</LongitudeDegrees></EndPosition>\n",
        "<Intensity>Active</Intensity>\n</Lap>\n<Track>\n",
    ]
    lat, lon, ele = track.lat.tolist(), track.lon.tolist(), track.ele_m.tolist()
    for i in range(track.n_points):
        alt = f"<AltitudeMeters>{ele[i]:.1f}</AltitudeMeters>" if math.isfinite(ele[i]) else ""
        out.append(
            f"<Trackpoint><Time>{format_time(round(times[i]))}</Time><Position><LatitudeDegrees>{lat[i]!r}"
            f"</LatitudeDegrees><LongitudeDegrees>{lon[i]!r}</LongitudeDegrees></Position>{alt}"
            f"<DistanceMeters>{distance[i]:.1f}</DistanceMeters></Trackpoint>\n"
        )
    out.append("</Track>\n")
    t0 = times[0]
    on_course = _on_course(points)
    names = device_point_names(on_course, [device_place(p, lang) for p in on_course], laps=course.laps,
                               limit=TCX_NAME_CHARS)
    for p, point_label in zip(on_course, names, strict=True):
        when = t0 + p.race_m / (pace_kmh / 3.6)
        alt = f"<AltitudeMeters>{p.ele_m:.1f}</AltitudeMeters>" if math.isfinite(p.ele_m) else ""
        out.append(
            f"<CoursePoint><Name>{escape(point_label)}</Name>"
            f"<Time>{format_time(round(when))}</Time><Position><LatitudeDegrees>{p.lat!r}</LatitudeDegrees>"
            f"<LongitudeDegrees>{p.lon!r}</LongitudeDegrees></Position>{alt}"
            f"<PointType>{_tcx_type(p)}</PointType><Notes>{escape(_describe(p, lang))}</Notes></CoursePoint>\n"
        )
    out.append("</Course>\n</Courses>\n</TrainingCenterDatabase>\n")
    return "".join(out).encode("utf-8")


def course_fit(
    course: Course,
    points: Sequence[CoursePoint],
    *,
    start: datetime,
    lang: str = "zh",
    name: str = "",
    pace_kmh: float = DEFAULT_PACE_KMH,
) -> bytes:
    """A FIT course file (file_id, course, lap, timer events, records, course points) with Garmin's FIT SDK."""
    from garmin_fit_sdk import FIT_EPOCH_S, Encoder
    from garmin_fit_sdk.profile import Profile

    mesg = Profile["mesg_num"]
    distance, times = _course_times_s(course, start, pace_kmh)
    fit_times = np.round(times - FIT_EPOCH_S).astype(np.int64)
    track = course.race_track()
    lat_sc = np.round(track.lat * SEMICIRCLES_PER_DEGREE).astype(np.int64)
    lon_sc = np.round(track.lon * SEMICIRCLES_PER_DEGREE).astype(np.int64)
    ele = track.ele_m
    total_s = float(times[-1] - times[0])

    enc = Encoder()
    enc.write_mesg(
        {
            "mesg_num": mesg["FILE_ID"],
            "type": "course",
            "manufacturer": "development",
            "product": 0,
            "time_created": int(fit_times[0]),
            "serial_number": 1,
        }
    )
    enc.write_mesg({"mesg_num": mesg["COURSE"], "name": fit_text(name or course.name or "course", FIT_COURSE_NAME_BYTES, utf8_bytes), "sport": "cycling"})
    enc.write_mesg(
        {
            "mesg_num": mesg["LAP"],
            "timestamp": int(fit_times[0]),
            "start_time": int(fit_times[0]),
            "start_position_lat": int(lat_sc[0]),
            "start_position_long": int(lon_sc[0]),
            "end_position_lat": int(lat_sc[-1]),
            "end_position_long": int(lon_sc[-1]),
            "total_elapsed_time": total_s,
            "total_timer_time": total_s,
            "total_distance": float(distance[-1]),
        }
    )
    enc.write_mesg(
        {
            "mesg_num": mesg["EVENT"],
            "timestamp": int(fit_times[0]),
            "event": "timer",
            "event_type": "start",
            "event_group": 0,
        }
    )
    for i in range(track.n_points):
        record = {
            "mesg_num": mesg["RECORD"],
            "timestamp": int(fit_times[i]),
            "position_lat": int(lat_sc[i]),
            "position_long": int(lon_sc[i]),
            "distance": float(distance[i]),
        }
        if math.isfinite(ele[i]):
            record["altitude"] = float(ele[i])
        enc.write_mesg(record)
    on_course = _on_course(points)
    names = device_point_names(on_course, [device_place(p, lang) for p in on_course], laps=course.laps,
                               limit=FIT_NAME_BYTES, measure=utf8_bytes)
    for p, point_label in zip(on_course, names, strict=True):
        enc.write_mesg(
            {
                "mesg_num": mesg["COURSE_POINT"],
                "timestamp": int(round(fit_times[0] + p.race_m / (pace_kmh / 3.6))),
                "position_lat": int(round(p.lat * SEMICIRCLES_PER_DEGREE)),
                "position_long": int(round(p.lon * SEMICIRCLES_PER_DEGREE)),
                "distance": float(p.race_m),
                "type": _fit_type(p),
                "name": point_label,
            }
        )
    enc.write_mesg(
        {
            "mesg_num": mesg["EVENT"],
            "timestamp": int(fit_times[-1]),
            "event": "timer",
            "event_type": "stop_all",
            "event_group": 0,
        }
    )
    return enc.close()
