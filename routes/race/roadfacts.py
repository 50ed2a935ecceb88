"""The routes' facts on a race course, for organisers: each route's surface stretches and warnings (km along the
route, routes.core.facts) placed at race km on every lap, as the race book's "surface and warnings" table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from routes.core.facts import RouteFacts, StretchWarning
from routes.race.plan import CoursePoint
from routes.text.i18n import t


@dataclass(frozen=True)
class CourseStretch:
    """A route's stretch where the race rides it: race distance from km 0, on lap ``lap``."""

    lap: int
    from_race_m: float
    to_race_m: float
    surface: str | None
    warning: StretchWarning | None


def course_stretches(course: object, facts: Sequence[RouteFacts], route_points: Sequence[int]) -> tuple:
    """Every stretch of each route (``facts`` in lap order, ``route_points`` the track points of each) at its race
    distance on every lap. A route starts in the lap at its first point; its km are its own, clipped to the lap."""
    starts = np.cumsum([0, *route_points[:-1]]).astype(int)
    out = []
    for lap in range(1, course.laps + 1):
        lap_start_m = (lap - 1) * course.lap_m
        for f, first in zip(facts, starts, strict=True):
            route_start_m = float(course.lap_distance_m[min(first, len(course.lap_distance_m) - 1)])
            for s in f.stretches:
                a = min(route_start_m + s.from_km * 1000, course.lap_m)
                b = min(route_start_m + s.to_km * 1000, course.lap_m)
                if b > a:
                    out.append(CourseStretch(lap, lap_start_m + a, lap_start_m + b, s.surface, s.warning))
    return tuple(out)


def warning_points(layout: object) -> list[CoursePoint]:
    """Each warning on the course as a "hazard" course point at its start (every lap): the kind's short name as the
    label (a device shows about ten characters), the editors' text as the note."""
    course, out = layout.course, []
    for s in layout.road:
        if s.warning is None:
            continue
        lat, lon, ele = (float(v) for v in course.locate(s.from_race_m))
        out.append(CoursePoint(
            kind="hazard", race_m=s.from_race_m, course_m=course.neutral_m + s.from_race_m,
            to_go_m=course.race_m - s.from_race_m, lap=s.lap, lat=lat, lon=lon, ele_m=ele,
            label=t(f"warning_short.{s.warning.kind}", "zh"), label_en=t(f"warning_short.{s.warning.kind}", "en"),
            note=s.warning.text.zh, note_en=s.warning.text.en,
        ))
    return out


def device_points(layout: object) -> list[CoursePoint]:
    """The organiser's markers and the routes' warnings, in course order: what the GPX/TCX/FIT course files carry."""
    return sorted([*layout.points, *warning_points(layout)], key=lambda p: p.course_m)


def stretch_rows(stretches: Sequence[CourseStretch], lang: str, *, laps: int) -> tuple[list[str], list[list[str]]]:
    """The race book's table: (lap,) race km from–to, surface, warning — in race order."""
    head = ([t("facts.col_lap", lang)] if laps > 1 else []) + [
        t("facts.col_km", lang), t("facts.col_surface", lang), t("facts.col_warning", lang)]
    rows = []
    for s in sorted(stretches, key=lambda c: (c.from_race_m, c.to_race_m)):
        warning = ""
        if s.warning is not None:
            sep = "：" if lang == "zh" else ": "  # Chinese takes the full-width colon
            warning = t(f"warning_kind.{s.warning.kind}", lang) + sep + s.warning.text.get(lang)
        rows.append(([str(s.lap)] if laps > 1 else []) + [
            f"{s.from_race_m / 1000:.1f}–{s.to_race_m / 1000:.1f}",
            t(f"stretch_surface.{s.surface}", lang) if s.surface else "",
            warning,
        ])
    return head, rows
