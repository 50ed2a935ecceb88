"""Race timetables: passage times per scenario, cut-off times and road-closure windows, all timezone-aware."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from routes.race.plan import Course, CoursePoint, RacePlan, zone

#: Road-closure times are given to the police in whole minutes, rounded outwards (close earlier, reopen later).
CLOSURE_ROUNDING_S = 60


@dataclass(frozen=True)
class Scenario:
    """One way the race may unfold: a label and the elapsed time at each course distance (from the roll-out)."""

    key: str
    label_zh: str
    label_en: str
    #: Elapsed seconds since the start time at course distances (``course_m``, roll-out included).
    elapsed_s: Callable[[np.ndarray], np.ndarray]
    #: Average racing speed for speed scenarios, None for ride-time-model scenarios.
    speed_kmh: float | None = None

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_zh


def _with_neutral(
    neutral_m: float, neutral_speed_kmh: float, racing_s: Callable[[np.ndarray], np.ndarray]
) -> Callable[[np.ndarray], np.ndarray]:
    """Elapsed time along the course: the roll-out at the neutral speed, then ``racing_s`` from km 0."""
    neutral_mps = neutral_speed_kmh / 3.6
    neutral_s = neutral_m / neutral_mps

    def elapsed(course_m: np.ndarray) -> np.ndarray:
        course_m = np.asarray(course_m, dtype=np.float64)
        race_m = course_m - neutral_m
        rolling = np.minimum(course_m, neutral_m) / neutral_mps
        return np.where(race_m > 0, neutral_s + racing_s(np.maximum(race_m, 0.0)), rolling)

    return elapsed


def speed_scenario(speed_kmh: float, *, neutral_m: float = 0.0, neutral_speed_kmh: float = 25.0) -> Scenario:
    """Constant average racing speed from km 0, as in pro race timetables (e.g. 36 / 40 / 44 km/h)."""
    mps = speed_kmh / 3.6
    return Scenario(
        key=f"v{speed_kmh:g}",
        label_zh=f"{speed_kmh:g} 公里/时",
        label_en=f"{speed_kmh:g} km/h",
        elapsed_s=_with_neutral(neutral_m, neutral_speed_kmh, lambda race_m: race_m / mps),
        speed_kmh=float(speed_kmh),
    )


def wave_scenario(wave, number: int, *, neutral_m: float = 0.0, neutral_speed_kmh: float = 25.0) -> Scenario:
    """A start wave as a timetable column: its own start ``wave.offset_s`` after the first and its expected speed."""
    mps = wave.speed_kmh / 3.6
    racing = _with_neutral(neutral_m, neutral_speed_kmh, lambda race_m: race_m / mps)
    offset = float(wave.offset_s)
    # the wave's own start time is its time on the start row, so the column head gives name and speed only
    return Scenario(
        key=f"wave{number}",
        label_zh=f"{wave.title('zh', number)} · {wave.speed_kmh:g} 公里/时",
        label_en=f"{wave.title('en', number)} · {wave.speed_kmh:g} km/h",
        elapsed_s=lambda course_m: offset + racing(course_m),
        speed_kmh=float(wave.speed_kmh),
    )


def model_scenario(
    key: str,
    label_zh: str,
    label_en: str,
    race_distance_m: np.ndarray,
    cum_time_s: np.ndarray,
    *,
    neutral_m: float = 0.0,
    neutral_speed_kmh: float = 25.0,
) -> Scenario:
    """A rider profile of the ride-time model: riding time interpolated along the race profile."""
    d = np.asarray(race_distance_m, dtype=np.float64)
    t = np.asarray(cum_time_s, dtype=np.float64)
    return Scenario(
        key=key,
        label_zh=label_zh,
        label_en=label_en,
        elapsed_s=_with_neutral(neutral_m, neutral_speed_kmh, lambda race_m: np.interp(race_m, d, t)),
    )


def rider_scenarios(
    plan: RacePlan, course: Course, race_distance_m: np.ndarray, race_ele_m: np.ndarray
) -> list[Scenario]:
    """Scenarios for the plan's ride-time-model rider profiles over the whole race profile."""
    if not plan.rider_profiles:
        return []
    from routes.analysis.timing import RIDER_PROFILES, estimate_ride

    out = []
    for key in plan.rider_profiles:
        rider = RIDER_PROFILES.get(key)
        if rider is None:
            continue
        estimate = estimate_ride(race_distance_m, race_ele_m, rider)
        label_zh = getattr(rider, "label_zh", None) or getattr(rider, "name_zh", None) or key
        label_en = getattr(rider, "label_en", None) or getattr(rider, "name_en", None) or key
        out.append(
            model_scenario(
                f"rider:{key}",
                str(label_zh),
                str(label_en),
                race_distance_m,
                estimate.cum_time_s,
                neutral_m=course.neutral_m,
                neutral_speed_kmh=plan.neutral_speed_kmh,
            )
        )
    return out


def at_elapsed(start: datetime, elapsed_s: float, tz: str) -> datetime:
    """The instant ``elapsed_s`` after ``start``, shown in ``tz``.

    Arithmetic goes through UTC: adding a timedelta to an aware datetime in Python adds wall-clock time, which is
    wrong across a daylight-saving change (none in China, but a plan may use another zone).
    """
    utc = start.astimezone(UTC) + timedelta(seconds=float(elapsed_s))
    return utc.astimezone(zone(tz))


def _floor_to(value: datetime, step_s: int, tz: str) -> datetime:
    epoch = value.timestamp()
    return datetime.fromtimestamp(math.floor(epoch / step_s) * step_s, UTC).astimezone(zone(tz))


def _ceil_to(value: datetime, step_s: int, tz: str) -> datetime:
    epoch = value.timestamp()
    return datetime.fromtimestamp(math.ceil(epoch / step_s) * step_s, UTC).astimezone(zone(tz))


@dataclass(frozen=True)
class Passage:
    """A timetable row: a course point, its time in every scenario, and its closing time."""

    point: CoursePoint
    times: tuple[datetime, ...]
    #: Checkpoint closing time from the minimum average speed; None without a time limit.
    cutoff: datetime | None


@dataclass(frozen=True)
class ClosureWindow:
    """When a stretch of road between two consecutive course points must be closed to traffic."""

    from_point: CoursePoint
    to_point: CoursePoint
    #: First rider at the stretch's start minus the lead buffer, rounded down to the minute.
    close_at: datetime
    #: Last rider (the time limit, or the slowest scenario) at the stretch's end plus the trailing buffer, rounded up.
    reopen_at: datetime

    @property
    def duration_s(self) -> float:
        return (self.reopen_at - self.close_at).total_seconds()


@dataclass(frozen=True)
class RoadClosure:
    """One stretch of road closed once for the whole race: from the earliest closing of any lap's pass to the last
    reopening (the police close a road once, not three times in overlapping windows)."""

    #: The window of each pass over this stretch, in riding order (one per lap on a circuit).
    windows: tuple[ClosureWindow, ...]

    @property
    def from_point(self) -> CoursePoint:
        return self.windows[0].from_point

    @property
    def to_point(self) -> CoursePoint:
        return self.windows[0].to_point

    @property
    def close_at(self) -> datetime:
        return min(w.close_at for w in self.windows)

    @property
    def reopen_at(self) -> datetime:
        return max(w.reopen_at for w in self.windows)

    @property
    def duration_s(self) -> float:
        return (self.reopen_at - self.close_at).total_seconds()

    @property
    def laps(self) -> tuple[int, ...]:
        return tuple(w.from_point.lap for w in self.windows if w.from_point.lap is not None)


#: Positions within the lap closer than this are the same place of the road (course points are placed to the metre).
SAME_PLACE_M = 1.0


def merge_closures(closures: Sequence[ClosureWindow], *, lap_m: float, laps: int) -> tuple[RoadClosure, ...]:
    """The per-pass windows grouped by stretch of road: on a circuit the stretch between the same two places of the
    lap comes round every lap and is one row, closed at its first closing and reopened at its final reopening.

    A stretch is known by where it starts and ends within the lap (race distance less the laps before it); the
    roll-out and a one-lap race keep one row per window. Rows are in the order the stretches are first ridden.
    """
    groups: dict[object, list[ClosureWindow]] = {}
    for i, w in enumerate(closures):
        lap = w.from_point.lap
        if laps <= 1 or lap is None or lap_m <= 0:
            key: object = ("once", i)
        else:
            offset = (lap - 1) * lap_m
            key = (round((w.from_point.race_m - offset) / SAME_PLACE_M), round((w.to_point.race_m - offset) / SAME_PLACE_M))
        groups.setdefault(key, []).append(w)
    return tuple(RoadClosure(tuple(ws)) for ws in groups.values())


@dataclass(frozen=True)
class Timetable:
    scenarios: tuple[Scenario, ...]
    rows: tuple[Passage, ...]
    closures: tuple[ClosureWindow, ...]
    tz: str
    start: datetime


def cutoff_elapsed_s(
    course_m: np.ndarray, *, neutral_m: float, neutral_speed_kmh: float, cutoff_speed_kmh: float
) -> np.ndarray:
    """Time limit at course distances: the roll-out at its own speed, then the minimum average speed from km 0."""
    mps = cutoff_speed_kmh / 3.6
    return _with_neutral(neutral_m, neutral_speed_kmh, lambda race_m: race_m / mps)(course_m)


def build_timetable(
    points: Sequence[CoursePoint],
    scenarios: Sequence[Scenario],
    *,
    start: datetime,
    tz: str,
    neutral_m: float = 0.0,
    neutral_speed_kmh: float = 25.0,
    cutoff_speed_kmh: float | None = None,
    lead_buffer_s: float = 0.0,
    trail_buffer_s: float = 0.0,
    last_start_s: float = 0.0,
) -> Timetable:
    """Passage times, cut-offs and closure windows for course points in riding order.

    The first rider is the earliest of the scenarios; the last rider is the time limit when there is one (riders
    slower than it are taken out of the race by the broom wagon), else the latest scenario. With start waves the
    time limit runs from each wave's own start, so the last rider is the limit of the last wave, ``last_start_s``
    after the first start (the cut-off column shows the first wave's limit).
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if not scenarios:
        raise ValueError("a timetable needs at least one scenario")
    course_m = np.array([p.course_m for p in points], dtype=np.float64)
    elapsed = np.array([s.elapsed_s(course_m) for s in scenarios]).reshape(len(scenarios), len(points))
    cutoff = (
        None
        if cutoff_speed_kmh is None
        else cutoff_elapsed_s(
            course_m, neutral_m=neutral_m, neutral_speed_kmh=neutral_speed_kmh, cutoff_speed_kmh=cutoff_speed_kmh
        )
    )
    rows = tuple(
        Passage(
            point=p,
            times=tuple(at_elapsed(start, elapsed[j, i], tz) for j in range(len(scenarios))),
            cutoff=None if cutoff is None else at_elapsed(start, cutoff[i], tz),
        )
        for i, p in enumerate(points)
    )
    first_s = elapsed.min(axis=0)
    last_s = elapsed.max(axis=0) if cutoff is None else cutoff + last_start_s
    closures = []
    for i in range(len(points) - 1):
        if points[i + 1].course_m - points[i].course_m <= 0:
            continue  # two markers at one place: no road between them
        close = at_elapsed(start, first_s[i] - lead_buffer_s, tz)
        reopen = at_elapsed(start, last_s[i + 1] + trail_buffer_s, tz)
        closures.append(
            ClosureWindow(
                from_point=points[i],
                to_point=points[i + 1],
                close_at=_floor_to(close, CLOSURE_ROUNDING_S, tz),
                reopen_at=_ceil_to(reopen, CLOSURE_ROUNDING_S, tz),
            )
        )
    return Timetable(tuple(scenarios), rows, tuple(closures), tz, start.astimezone(zone(tz)))


def plan_timetable(
    plan: RacePlan,
    course: Course,
    points: Sequence[CoursePoint],
    *,
    race_distance_m: np.ndarray | None = None,
    race_ele_m: np.ndarray | None = None,
) -> Timetable:
    """The timetable of a plan: its speed scenarios, then its rider-profile scenarios (needs the race profile)."""
    scenarios = [
        speed_scenario(v, neutral_m=course.neutral_m, neutral_speed_kmh=plan.neutral_speed_kmh) for v in plan.speeds_kmh
    ]
    if race_distance_m is not None and race_ele_m is not None:
        scenarios += rider_scenarios(plan, course, race_distance_m, race_ele_m)
    # one column per start wave, after the race-wide speed scenarios
    scenarios += [
        wave_scenario(w, n, neutral_m=course.neutral_m, neutral_speed_kmh=plan.neutral_speed_kmh)
        for n, w in enumerate(plan.waves, start=1)
    ]
    return build_timetable(
        points,
        scenarios,
        start=plan.start,
        tz=plan.tz,
        neutral_m=course.neutral_m,
        neutral_speed_kmh=plan.neutral_speed_kmh,
        cutoff_speed_kmh=plan.cutoff_speed_kmh,
        lead_buffer_s=plan.lead_buffer_s,
        trail_buffer_s=plan.trail_buffer_s,
        last_start_s=max((w.offset_s for w in plan.waves), default=0.0),
    )


def format_clock(value: datetime, start: datetime) -> str:
    """HH:MM, with "+1" (or "+2" ...) when the time falls on a later calendar day than the start (local time)."""
    rounded = _round_minute(value)
    days = (rounded.date() - start.astimezone(value.tzinfo).date()).days
    return rounded.strftime("%H:%M") + (f" +{days}" if days > 0 else "")


def _round_minute(value: datetime) -> datetime:
    epoch = round(value.timestamp() / 60) * 60
    return datetime.fromtimestamp(epoch, UTC).astimezone(value.tzinfo)
