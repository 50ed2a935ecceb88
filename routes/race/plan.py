"""Race plans: the course (routes or laps of a loop, neutralised start), course markers, and their JSON form."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from routes.core.errors import GuideError
from routes.core.geo import cumulative_distance_m
from routes.core.model import Track, make_track
from routes.race.roads import RoadName, parse_roads
from routes.text.i18n import GUIDE_TIME_ZONE

#: Time zone of every race on these roads (the guide's one zone, so saved plans and start times read alike).
DEFAULT_TZ = GUIDE_TIME_ZONE

#: Marker kinds an organiser can place, in the order the race book lists them.
MARKER_KINDS = (
    "start", "finish", "feed", "aid", "water", "kom", "sprint", "checkpoint", "medical", "hazard", "marshal",
)
#: Kinds that stand at a place on the road and so come round again on every lap of a circuit. Start and finish
#: happen once; an organiser can still switch repetition off for one marker (a KOM counted on the last lap only).
REPEATING_KINDS = frozenset({"feed", "aid", "water", "kom", "sprint", "checkpoint", "medical", "hazard", "marshal"})
#: Kinds added by the planner itself, never placed by hand: the neutralised roll-out, each pass of the line
#: between laps.
AUTO_KINDS = ("neutral", "lap")
KOM_CATEGORIES = ("4", "3", "2", "1", "HC")

#: Most laps accepted: a criterium of 1 km laps for 2 hours is about 80; more is a typing slip.
MAX_LAPS = 200
#: Most routes joined into one lap: a sportive strings together three or four; each more multiplies the work of an
#: anonymous visitor's plan (the planner is public).
MAX_PLAN_ROUTES = 6
#: Longest race accepted (laps × lap, without the roll-out): the longest one-day races are about 300 km; beyond this a
#: plan is a slip or an attempt to make the server work (5 routes × 200 laps took 45 s and 900 MB before this limit).
MAX_RACE_M = 400_000.0
#: Most track points of the whole race (lap points × laps): the device files and race profile repeat the lap.
MAX_COURSE_POINTS = 500_000
#: Longest neutralised roll-out accepted. Pro races rarely neutralise more than 10-15 km.
MAX_NEUTRAL_M = 30_000.0
#: A map click further than this from the course is not meant for it (the course road is a few metres wide; a
#: click on a small map is easily 100 m off).
MAX_SNAP_OFFSET_M = 300.0
#: Speed behind the race director's car in the neutralised section (pro races: 25-30 km/h; sportives slower).
DEFAULT_NEUTRAL_SPEED_KMH = 25.0
#: Scenario speeds of a pro race timetable: slow, medium, fast.
DEFAULT_SPEEDS_KMH = (36.0, 40.0, 44.0)
#: Minimum average speed below which a rider is out of the time limit (typical sportive broom wagon).
DEFAULT_CUTOFF_SPEED_KMH = 20.0
#: Police close a road some time before the first rider (lead car, motorbikes) and reopen it after the broom wagon.
DEFAULT_LEAD_BUFFER_S = 15 * 60.0
DEFAULT_TRAIL_BUFFER_S = 10 * 60.0
#: Two kilometre-posts closer than this are the same place (a KOM at the very line, a feed on a lap boundary).
SAME_PLACE_M = 1.0
#: Longest marker name or contact name kept: it labels a row of the race book, not a paragraph.
MARKER_TEXT_MAX_CHARS = 80
#: A marshal's phone: digits with the usual separators ("+86 138-0000-0000", "0575 8212 3456"), at most this long.
PHONE_MAX_CHARS = 24
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]*$")
#: Most start waves: a mass sportive sends off a handful of pens; more is a typing slip.
MAX_WAVES = 12
#: Latest a wave may start after the first start: later than this is another race, not a wave.
MAX_WAVE_OFFSET_S = 6 * 3600.0


class RaceError(GuideError, ValueError):
    """A race plan that cannot be laid out as asked."""

    templates = {
        "no_routes": ("请至少选择一条路线", "choose at least one route"),
        "routes": (
            "一个赛事方案最多可以连接 {limit} 条路线（收到 {count} 条）",
            "a race plan joins at most {limit} routes (got {count})",
        ),
        "too_long": (
            "赛程太长：{km:.0f} 公里，上限为 {limit_km:.0f} 公里。请减少圈数或路线。",
            "the race is too long: {km:.0f} km, the limit is {limit_km:.0f} km. Use fewer laps or routes.",
        ),
        "too_many_points": (
            "赛道轨迹点太多：{points:,} 个（圈数 × 每圈点数），上限为 {limit:,} 个。请减少圈数。",
            "the course has too many track points: {points:,} (laps × points per lap), the limit is {limit:,}. "
            "Use fewer laps.",
        ),
        "laps": ("圈数须在 1 到 {limit} 之间（收到 {laps}）", "laps must be between 1 and {limit} (got {laps})"),
        "neutral": (
            "中立区距离须在 0 到 {limit_km:.0f} 公里之间",
            "the neutralised start must be between 0 and {limit_km:.0f} km",
        ),
        "kind": ("未知的标记类型：{kind}", "unknown marker kind: {kind}"),
        "category": ("未知的爬坡等级：{category}", "unknown climb category: {category}"),
        "marker_range": (
            "标记“{label}”位于 {km:.2f} 公里，超出{span}（0–{limit_km:.2f} 公里）",
            "marker '{label}' at km {km:.2f} is outside {span} (0–{limit_km:.2f} km)",
        ),
        "far": (
            "所点位置离赛道 {offset_m:.0f} 米，超过 {limit_m:.0f} 米，请点在赛道上",
            "the point is {offset_m:.0f} m from the course, more than {limit_m:.0f} m; click on the course",
        ),
        "tz": ("未知的时区：{tz}", "unknown time zone: {tz}"),
        "start": (
            "无法识别的发车时间：{text}（格式：YYYY-MM-DD HH:MM）",
            "unreadable start time: {text} (YYYY-MM-DD HH:MM)",
        ),
        "speed": ("速度须大于 0（收到 {speed}）", "speeds must be above 0 (got {speed})"),
        "short": ("路线太短，无法组成赛道", "the route is too short to make a course"),
        "plan": ("赛事计划数据无法读取：{detail}", "the race plan cannot be read: {detail}"),
        "text_long": ("“{field}”太长：最多 {limit} 个字", "'{field}' is too long: at most {limit} characters"),
        "phone": (
            "无法识别的电话号码：{phone}（只能包含数字、空格、+、-、括号）",
            "unreadable phone number: {phone} (digits, spaces, +, - and brackets only)",
        ),
        "waves": ("发车波次最多 {limit} 个（收到 {count} 个）", "at most {limit} start waves (got {count})"),
        "wave_offset": (
            "发车波次“{name}”须在首发后 0 到 {limit_h:.0f} 小时内出发",
            "wave '{name}' must start 0 to {limit_h:.0f} hours after the first start",
        ),
        "wave_line": (
            "第 {n} 行无法识别：{line}（格式：名称, 发车时间, 速度[, 英文名称]）",
            "line {n} cannot be read: {line} (name, start, speed[, English name])",
        ),
        "wave_start": (
            "无法识别的波次发车时间：{text}（填写 HH:MM，或 +分钟数）",
            "unreadable wave start: {text} (HH:MM, or +minutes)",
        ),
    }


def zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RaceError("tz", tz=tz) from exc


def parse_start(text: str | datetime, tz: str = DEFAULT_TZ) -> datetime:
    """A tz-aware start time. Naive text ("YYYY-MM-DD HH:MM") is wall-clock time in ``tz``; text or datetimes with
    their own offset (e.g. UTC) keep their instant and are shown in ``tz``."""
    if isinstance(text, datetime):
        value = text
    else:
        try:
            value = datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise RaceError("start", text=text) from exc
    if value.tzinfo is None:
        return value.replace(tzinfo=zone(tz))
    return value.astimezone(zone(tz))


def default_every_lap(kind: str) -> bool:
    return kind in REPEATING_KINDS


@dataclass(frozen=True)
class Marker:
    """A marker placed by the organiser.

    ``at_m`` is race distance from km 0 (the real start, after any neutralised roll-out). For a marker repeated on
    every lap it is the distance within the lap, and the marker stands at ``at_m + k * lap_m`` on lap k+1.
    """

    kind: str
    at_m: float
    label: str = ""
    #: Free text: what the hazard is, who staffs the aid station.
    note: str = ""
    #: KOM category "4".."HC" (from the climb detector, editable), None otherwise.
    category: str | None = None
    #: Repeat on every lap; None means the kind's default (:data:`REPEATING_KINDS`).
    every_lap: bool | None = None
    #: English name; empty means the generated one ("Feed zone 1", routes.race.racebook.point_title). ``label`` is
    #: the Chinese one.
    label_en: str = ""
    #: The note in English (an English book shows only this one; a Chinese note stays out of it).
    note_en: str = ""
    #: Who staffs the place (a marshal post's or a feed's contact), both optional.
    contact_name: str = ""
    contact_phone: str = ""

    def __post_init__(self) -> None:
        if self.kind not in MARKER_KINDS:
            raise RaceError("kind", kind=self.kind)
        for field_name in ("label", "label_en", "contact_name", "note", "note_en"):
            limit = MARKER_TEXT_MAX_CHARS * (4 if field_name.startswith("note") else 1)
            if len(getattr(self, field_name)) > limit:
                raise RaceError("text_long", field=field_name, limit=limit)
        phone = self.contact_phone.strip()
        if phone and (len(phone) > PHONE_MAX_CHARS or not PHONE_RE.match(phone)):
            raise RaceError("phone", phone=phone[:PHONE_MAX_CHARS])
        if self.category is not None and self.category not in KOM_CATEGORIES:
            raise RaceError("category", category=self.category)
        if not math.isfinite(self.at_m):
            raise RaceError("marker_range", label=self.label or self.kind, km=0.0, span="the course", limit_km=0.0)

    @property
    def repeats(self) -> bool:
        if self.kind in ("start", "finish"):
            return False
        return default_every_lap(self.kind) if self.every_lap is None else self.every_lap

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "at_m": float(self.at_m),
            "label": self.label,
            "note": self.note,
            "category": self.category,
            "every_lap": self.every_lap,
            # English name and contact only when set, so markers saved without them keep their exact JSON
            **{k: v for k, v in (("label_en", self.label_en), ("note_en", self.note_en),
                                 ("contact_name", self.contact_name), ("contact_phone", self.contact_phone)) if v},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Marker:
        return cls(
            kind=str(data["kind"]),
            at_m=float(data["at_m"]),
            label=str(data.get("label") or ""),
            note=str(data.get("note") or ""),
            category=data.get("category") or None,
            every_lap=data.get("every_lap"),
            # plans saved before markers had English names and contacts simply have none
            label_en=str(data.get("label_en") or ""),
            note_en=str(data.get("note_en") or ""),
            contact_name=str(data.get("contact_name") or ""),
            contact_phone=str(data.get("contact_phone") or ""),
        )


@dataclass(frozen=True)
class Wave:
    """A start wave (pen) of a sportive: its own start, some minutes after the first, and its expected speed."""

    name: str = ""
    offset_s: float = 0.0
    speed_kmh: float = DEFAULT_SPEEDS_KMH[0]
    name_en: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.offset_s) and 0 <= self.offset_s <= MAX_WAVE_OFFSET_S):
            raise RaceError("wave_offset", name=self.name or self.name_en, limit_h=MAX_WAVE_OFFSET_S / 3600)
        if not (math.isfinite(self.speed_kmh) and self.speed_kmh > 0):
            raise RaceError("speed", speed=self.speed_kmh)
        for field_name in ("name", "name_en"):
            if len(getattr(self, field_name)) > MARKER_TEXT_MAX_CHARS:
                raise RaceError("text_long", field=field_name, limit=MARKER_TEXT_MAX_CHARS)

    def title(self, lang: str, number: int) -> str:
        """The wave's name in ``lang``; an empty English name is "Wave 2", never the Chinese one."""
        from routes.text.i18n import t

        own = self.name_en if lang == "en" else (self.name or self.name_en)
        return own or t("race.wave_n", lang, n=number)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "name_en": self.name_en, "offset_s": float(self.offset_s),
                "speed_kmh": float(self.speed_kmh)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Wave:
        return cls(
            name=str(data.get("name") or ""),
            name_en=str(data.get("name_en") or ""),
            offset_s=float(data.get("offset_s", 0.0)),
            speed_kmh=float(data.get("speed_kmh", DEFAULT_SPEEDS_KMH[0])),
        )


def parse_wave_start(text: str, start: datetime) -> float:
    """Seconds after ``start`` of a wave start typed as "+10" (minutes) or a clock time "08:10" (same day, local)."""
    value = str(text).strip()
    try:
        if value.startswith("+"):
            offset = float(value[1:]) * 60
        else:
            hh, mm = value.split(":")
            clock = start.replace(hour=int(hh), minute=int(mm), second=0, microsecond=0)
            offset = (clock - start).total_seconds()
    except ValueError as exc:
        raise RaceError("wave_start", text=value) from exc
    if not (math.isfinite(offset) and 0 <= offset <= MAX_WAVE_OFFSET_S):
        raise RaceError("wave_offset", name=value, limit_h=MAX_WAVE_OFFSET_S / 3600)
    return offset


def parse_waves_text(text: str, start: datetime) -> tuple[Wave, ...]:
    """Waves typed one a line as "name, start, speed[, English name]" (start "+10" minutes or "08:10"; Chinese
    commas accepted). Raises RaceError naming the first line that cannot be read."""
    waves = []
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if len(lines) > MAX_WAVES:
        raise RaceError("waves", count=len(lines), limit=MAX_WAVES)
    for n, line in enumerate(lines, start=1):
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) not in (3, 4):
            raise RaceError("wave_line", n=n, line=line)
        try:
            speed = float(parts[2])
        except ValueError as exc:
            raise RaceError("wave_line", n=n, line=line) from exc
        waves.append(Wave(parts[0], parse_wave_start(parts[1], start), speed, parts[3] if len(parts) == 4 else ""))
    return tuple(waves)


def waves_text(waves: Iterable[Wave]) -> str:
    """The planner's text form of waves (what :func:`parse_waves_text` reads back)."""
    lines = []
    for w in waves:
        line = f"{w.name}, +{w.offset_s / 60:g}, {w.speed_kmh:g}"
        lines.append(f"{line}, {w.name_en}" if w.name_en else line)
    return "\n".join(lines)


@dataclass(frozen=True)
class RacePlan:
    """Everything an organiser decides; stored as JSON (:meth:`to_dict`) with history in the store."""

    name: str
    route_slugs: tuple[str, ...]
    start: datetime
    laps: int = 1
    #: Roll-out behind the director's car before km 0, ridden before the first lap.
    neutral_m: float = 0.0
    neutral_speed_kmh: float = DEFAULT_NEUTRAL_SPEED_KMH
    tz: str = DEFAULT_TZ
    markers: tuple[Marker, ...] = ()
    speeds_kmh: tuple[float, ...] = DEFAULT_SPEEDS_KMH
    #: Keys of :data:`routes.analysis.timing.RIDER_PROFILES` used as sportive scenarios.
    rider_profiles: tuple[str, ...] = ()
    #: Time limit as a minimum average speed; None for no cut-off.
    cutoff_speed_kmh: float | None = DEFAULT_CUTOFF_SPEED_KMH
    lead_buffer_s: float = DEFAULT_LEAD_BUFFER_S
    trail_buffer_s: float = DEFAULT_TRAIL_BUFFER_S
    name_en: str = ""
    notes: str = ""
    #: Road names along the lap (routes.race.roads): what the closure notice calls each closed stretch.
    roads: tuple[RoadName, ...] = ()
    #: The closure notice's organising body, contact telephone and detour advice (free text, the organiser's words).
    organiser: str = ""
    contact: str = ""
    detour: str = ""
    version: int = 1
    #: Start waves; empty for a race that starts all at once (the speed scenarios are the timetable then).
    waves: tuple[Wave, ...] = ()

    def __post_init__(self) -> None:
        if not self.route_slugs:
            raise RaceError("no_routes")
        if len(self.route_slugs) > MAX_PLAN_ROUTES:
            raise RaceError("routes", count=len(self.route_slugs), limit=MAX_PLAN_ROUTES)
        if not 1 <= int(self.laps) <= MAX_LAPS:
            raise RaceError("laps", laps=self.laps, limit=MAX_LAPS)
        if not 0 <= self.neutral_m <= MAX_NEUTRAL_M:
            raise RaceError("neutral", limit_km=MAX_NEUTRAL_M / 1000)
        speeds = [*self.speeds_kmh, self.neutral_speed_kmh]
        if self.cutoff_speed_kmh is not None:
            speeds.append(self.cutoff_speed_kmh)
        for speed in speeds:
            if not (math.isfinite(speed) and speed > 0):
                raise RaceError("speed", speed=speed)
        if self.start.tzinfo is None:
            raise ValueError("RacePlan.start must be timezone-aware; use parse_start()")
        zone(self.tz)  # raises RaceError for an unknown zone
        if len(self.waves) > MAX_WAVES:
            raise RaceError("waves", count=len(self.waves), limit=MAX_WAVES)

    @property
    def start_local(self) -> datetime:
        return self.start.astimezone(zone(self.tz))

    def title(self, lang: str) -> str:
        return self.name_en or self.name if lang == "en" else self.name or self.name_en

    def with_markers(self, markers: Iterable[Marker]) -> RacePlan:
        return replace(self, markers=tuple(markers))

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "name": self.name,
            "name_en": self.name_en,
            "route_slugs": list(self.route_slugs),
            "laps": int(self.laps),
            "neutral_m": float(self.neutral_m),
            "neutral_speed_kmh": float(self.neutral_speed_kmh),
            "start": self.start_local.isoformat(),
            "tz": self.tz,
            "markers": [m.to_dict() for m in self.markers],
            "speeds_kmh": [float(s) for s in self.speeds_kmh],
            "rider_profiles": list(self.rider_profiles),
            "cutoff_speed_kmh": None if self.cutoff_speed_kmh is None else float(self.cutoff_speed_kmh),
            "lead_buffer_s": float(self.lead_buffer_s),
            "trail_buffer_s": float(self.trail_buffer_s),
            "notes": self.notes,
            # closure-notice fields only when set, so plans saved without them keep their exact JSON
            **({"roads": [r.to_dict() for r in self.roads]} if self.roads else {}),
            **{k: v for k, v in (("organiser", self.organiser), ("contact", self.contact), ("detour", self.detour)) if v},
            **({"waves": [w.to_dict() for w in self.waves]} if self.waves else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RacePlan:
        try:
            tz = str(data.get("tz") or DEFAULT_TZ)
            cutoff = data.get("cutoff_speed_kmh", DEFAULT_CUTOFF_SPEED_KMH)
            return cls(
                name=str(data.get("name") or ""),
                name_en=str(data.get("name_en") or ""),
                route_slugs=tuple(str(s) for s in data["route_slugs"]),
                start=parse_start(data["start"], tz),
                laps=int(data.get("laps", 1)),
                neutral_m=float(data.get("neutral_m", 0.0)),
                neutral_speed_kmh=float(data.get("neutral_speed_kmh", DEFAULT_NEUTRAL_SPEED_KMH)),
                tz=tz,
                markers=tuple(Marker.from_dict(m) for m in data.get("markers", ())),
                speeds_kmh=tuple(float(s) for s in data.get("speeds_kmh", DEFAULT_SPEEDS_KMH)),
                rider_profiles=tuple(str(r) for r in data.get("rider_profiles", ())),
                cutoff_speed_kmh=None if cutoff is None else float(cutoff),
                lead_buffer_s=float(data.get("lead_buffer_s", DEFAULT_LEAD_BUFFER_S)),
                trail_buffer_s=float(data.get("trail_buffer_s", DEFAULT_TRAIL_BUFFER_S)),
                notes=str(data.get("notes") or ""),
                roads=parse_roads(data.get("roads") or ()),
                organiser=str(data.get("organiser") or ""),
                contact=str(data.get("contact") or ""),
                detour=str(data.get("detour") or ""),
                version=int(data.get("version", 1)),
                waves=tuple(Wave.from_dict(w) for w in data.get("waves") or ()),
            )
        except RaceError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise RaceError("plan", detail=f"{type(exc).__name__}: {exc}") from exc


@dataclass(frozen=True, eq=False)
class Course:
    """The ridden line: one lap (one route or several joined end to start) repeated ``laps`` times.

    Distances: ``race_m`` counts from km 0 (the real start); ``course_m`` counts from the neutralised roll-out,
    so ``course_m = neutral_m + race_m``. The roll-out is ridden before the first lap on roads outside the lap
    geometry (from the assembly point to the line), so it has no coordinates here.
    """

    lap: Track
    lap_distance_m: np.ndarray
    laps: int = 1
    neutral_m: float = 0.0
    name: str = ""

    @property
    def lap_m(self) -> float:
        return float(self.lap_distance_m[-1])

    @property
    def race_m(self) -> float:
        return self.lap_m * self.laps

    @property
    def total_m(self) -> float:
        return self.neutral_m + self.race_m

    @property
    def is_loop(self) -> bool:
        """Start and end of the lap within :data:`LOOP_CLOSE_M` of each other."""
        from routes.core.geo import geodesic_m

        gap = geodesic_m(self.lap.lat[0], self.lap.lon[0], self.lap.lat[-1], self.lap.lon[-1])
        return bool(float(np.asarray(gap)) <= LOOP_CLOSE_M)

    def lap_position_m(self, race_m: float | np.ndarray) -> np.ndarray:
        """Distance within the lap of a race distance (the finish of a lap counts as its end, not the next start)."""
        race = np.asarray(race_m, dtype=np.float64)
        lap_index = np.clip(np.ceil(race / self.lap_m) - 1, 0, self.laps - 1)
        return race - lap_index * self.lap_m

    def lap_number(self, race_m: float) -> int:
        """1-based lap a race distance lies on (a point exactly on the line belongs to the lap it ends)."""
        return int(np.clip(math.ceil(race_m / self.lap_m - 1e-9), 1, self.laps))

    def locate(self, race_m: float | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(lat, lon, ele_m) at race distances, linearly interpolated along the lap."""
        pos = self.lap_position_m(race_m)
        d = self.lap_distance_m
        return (np.interp(pos, d, self.lap.lat), np.interp(pos, d, self.lap.lon), np.interp(pos, d, self.lap.ele_m))

    def race_profile(self, lap_distance_m: np.ndarray, lap_ele_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A lap profile (distance, elevation) repeated for every lap, in race distance."""
        dist = [np.asarray(lap_distance_m, dtype=np.float64) + k * self.lap_m for k in range(self.laps)]
        ele = [np.asarray(lap_ele_m, dtype=np.float64)] * self.laps
        if self.laps > 1:  # drop the duplicated join point so the distance axis stays strictly increasing
            dist = [dist[0], *(x[1:] for x in dist[1:])]
            ele = [ele[0], *(x[1:] for x in ele[1:])]
        return np.concatenate(dist), np.concatenate(ele)

    def race_track(self) -> Track:
        """The whole race as one Track (the lap repeated), for device files."""
        n = self.lap.n_points
        idx = np.concatenate([np.arange(n)] + [np.arange(1, n)] * (self.laps - 1))
        return make_track(self.lap.lat[idx], self.lap.lon[idx], self.lap.ele_m[idx], name=self.name)


#: A lap whose ends are closer than this is a loop (a GPS trace rarely closes to the metre).
LOOP_CLOSE_M = 200.0


def build_course(tracks: Sequence[Track], *, laps: int = 1, neutral_m: float = 0.0, name: str = "") -> Course:
    """Join routes end to start into one lap (the connecting step between two routes is ridden and counted)."""
    tracks = [t for t in tracks if t.n_points]
    if not tracks:
        raise RaceError("no_routes")
    if not 1 <= int(laps) <= MAX_LAPS:
        raise RaceError("laps", laps=laps, limit=MAX_LAPS)
    if not 0 <= neutral_m <= MAX_NEUTRAL_M:
        raise RaceError("neutral", limit_km=MAX_NEUTRAL_M / 1000)
    lap = make_track(
        np.concatenate([t.lat for t in tracks]),
        np.concatenate([t.lon for t in tracks]),
        np.concatenate([t.ele_m for t in tracks]),
        name=name or tracks[0].name,
    )
    if lap.n_points * int(laps) > MAX_COURSE_POINTS:
        raise RaceError("too_many_points", points=lap.n_points * int(laps), limit=MAX_COURSE_POINTS)
    distance = cumulative_distance_m(lap)
    if len(distance) < 2 or distance[-1] <= 0:
        raise RaceError("short")
    if distance[-1] * int(laps) > MAX_RACE_M:
        raise RaceError("too_long", km=distance[-1] * int(laps) / 1000, limit_km=MAX_RACE_M / 1000)
    return Course(lap=lap, lap_distance_m=distance, laps=int(laps), neutral_m=float(neutral_m), name=lap.name)


@dataclass(frozen=True)
class CoursePoint:
    """One marker at one place of the race: a row of the markers table and of the timetable."""

    kind: str
    race_m: float
    course_m: float
    to_go_m: float
    #: 1-based lap; None for the roll-out.
    lap: int | None
    lat: float = math.nan
    lon: float = math.nan
    ele_m: float = math.nan
    label: str = ""
    note: str = ""
    category: str | None = None
    label_en: str = ""
    note_en: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    #: The marker's number among the hand-placed markers of its kind, in order along the lap (the same on every
    #: lap): "Feed zone 2" when it has no English name. 0 for the planner's own rows.
    number: int = 0


def marker_numbers_by_kind(markers: Iterable[Marker]) -> dict[int, int]:
    """Number of each marker (by its index in ``markers``) among markers of its kind, in order of position."""
    markers = list(markers)
    out: dict[int, int] = {}
    for kind in MARKER_KINDS:
        same = sorted((i for i, m in enumerate(markers) if m.kind == kind), key=lambda i: (markers[i].at_m, i))
        for n, i in enumerate(same, start=1):
            out[i] = n
    return out


def expand_markers(markers: Iterable[Marker], course: Course) -> tuple[CoursePoint, ...]:
    """Every marker at every place it stands, with the planner's own rows, in riding order.

    Adds: the neutralised start (when there is a roll-out), the start at km 0, a "lap" row each time the riders
    cross the lap line between laps of a loop, and the finish. Hand-placed start/finish markers replace the
    automatic ones (keeping their label).
    """
    placed: list[tuple[str, Marker, float, int]] = []
    markers = list(markers)
    numbers = marker_numbers_by_kind(markers)
    number_of = {id(m): numbers[i] for i, m in enumerate(markers)}
    for marker in markers:
        if marker.repeats and course.laps > 1:
            span, limit_m = "the lap", course.lap_m
        else:
            span, limit_m = "the course", course.race_m
        if not -SAME_PLACE_M <= marker.at_m <= limit_m + SAME_PLACE_M:
            raise RaceError(
                "marker_range",
                label=marker.label or marker.kind,
                km=marker.at_m / 1000,
                span=span,
                limit_km=limit_m / 1000,
            )
        at = min(max(marker.at_m, 0.0), limit_m)
        copies = course.laps if span == "the lap" else 1
        if copies > 1:
            placed.extend((marker.kind, marker, at + k * course.lap_m, k + 1) for k in range(copies))
        else:
            lap = 1 if marker.kind == "start" else course.lap_number(at)
            placed.append((marker.kind, marker, at, lap))

    if not any(kind == "start" for kind, *_ in placed):
        placed.append(("start", Marker("start", 0.0), 0.0, 1))
    if not any(kind == "finish" for kind, *_ in placed):
        placed.append(("finish", Marker("finish", course.race_m), course.race_m, course.laps))
    # the line between two laps belongs to the lap that starts there
    placed.extend(("lap", Marker("start", 0.0), k * course.lap_m, k + 1) for k in range(1, course.laps))

    # at one place: the line first, then what stands on the road, the finish last
    order = {kind: i for i, kind in enumerate(("start", "lap", *MARKER_KINDS[2:], "finish"))}
    placed.sort(key=lambda item: (round(item[2], 3), order[item[0]]))
    points: list[CoursePoint] = []
    if course.neutral_m > 0:
        points.append(CoursePoint("neutral", -course.neutral_m, 0.0, course.race_m + course.neutral_m, None))
    for kind, marker, race_m, lap in placed:
        lat, lon, ele = course.locate(race_m)
        points.append(
            CoursePoint(
                kind=kind,
                race_m=float(race_m),
                course_m=float(course.neutral_m + race_m),
                to_go_m=float(course.race_m - race_m),
                lap=lap,
                lat=float(lat),
                lon=float(lon),
                ele_m=float(ele),
                label="" if kind == "lap" else marker.label,
                note=marker.note,
                category=marker.category,
                label_en="" if kind == "lap" else marker.label_en,
                note_en=marker.note_en,
                contact_name=marker.contact_name,
                contact_phone=marker.contact_phone,
                number=0 if kind == "lap" else number_of.get(id(marker), 0),
            )
        )
    return tuple(points)


def snap_marker_m(course: Course, lat: float, lon: float, *, max_offset_m: float = MAX_SNAP_OFFSET_M) -> float:
    """Distance within the lap of the course point nearest a clicked position."""
    from routes.analysis.along import snap_to_route

    distance_m, offset_m = snap_to_route(course.lap, lat, lon)
    if not math.isfinite(offset_m) or offset_m > max_offset_m:
        raise RaceError("far", offset_m=offset_m if math.isfinite(offset_m) else 1e9, limit_m=max_offset_m)
    return float(distance_m)


def default_race_name(route_name: str, lang: str) -> str:
    """"<route> road race" in one language (the name a plan gets when the organiser typed none in that language)."""
    from routes.text.i18n import t

    return t("race.default_name", lang, route=route_name)


def snap_click_m(course: Course, lat: float, lon: float, *, max_offset_m: float = MAX_SNAP_OFFSET_M) -> float:
    """Distance within the lap nearest a map click, whichever frame the basemap showed.

    A WGS-84 basemap gives the click as it is; an Amap-style basemap shows GCJ-02, about 490 m off here, so the click
    is also read back to WGS-84 and the reading that lands nearer the course wins (never just the second one).
    """
    from routes.analysis.along import snap_to_route
    from routes.io.chinacoords import gcj02_to_wgs84

    best: tuple[float, float] | None = None
    for cand_lat, cand_lon in ((lat, lon), tuple(map(float, gcj02_to_wgs84(lat, lon)))):
        distance_m, offset_m = snap_to_route(course.lap, cand_lat, cand_lon)
        if math.isfinite(offset_m) and (best is None or offset_m < best[1]):
            best = (float(distance_m), float(offset_m))
    if best is None or best[1] > max_offset_m:
        offset = best[1] if best is not None else 1e9
        raise RaceError("far", offset_m=offset, limit_m=max_offset_m)
    return best[0]


def default_markers(course: Course, climbs: Iterable[Any] = ()) -> tuple[Marker, ...]:
    """A sensible first set: a KOM at the top of every categorised climb of the lap, a feed zone near half distance.

    On a one-lap course the feed is at half distance; on a circuit it is at mid-lap, every lap (riders pass it
    around half distance on the middle lap).
    """
    markers: list[Marker] = []
    for climb in climbs:
        if getattr(climb, "category", None):
            markers.append(Marker("kom", float(climb.end_m), category=str(climb.category)))
    markers.append(Marker("feed", course.lap_m / 2))
    return tuple(markers)


@dataclass(frozen=True)
class CourseClimb:
    """A climb of the lap at its place in the race (repeated per lap)."""

    lap: int
    start_m: float
    end_m: float
    length_m: float
    gain_m: float
    avg_grade_pct: float
    max_grade_pct: float
    summit_ele_m: float
    category: str | None
    name: str = ""
    #: The KOM's English name, or the climb's number ("#2") when the organiser gave none.
    name_en: str = ""

    def title(self, lang: str) -> str:
        return (self.name_en or self.name) if lang == "en" else (self.name or self.name_en)


def course_climbs(course: Course, lap_climbs: Iterable[Any], markers: Iterable[Marker] = ()) -> tuple[CourseClimb, ...]:
    """Climbs of every lap in race distance; a KOM marker at a climb's summit names it and overrides its category."""
    koms = [m for m in markers if m.kind == "kom"]
    out: list[CourseClimb] = []
    lap_climbs = list(lap_climbs)
    #: A KOM this close to a summit is that climb's KOM (banners go up at the top, give or take a hairpin).
    kom_match_m = 250.0
    for k in range(course.laps):
        offset = k * course.lap_m
        for i, c in enumerate(lap_climbs, start=1):
            name, name_en, category = "", "", getattr(c, "category", None)
            for m in koms:
                at = m.at_m if m.repeats else m.at_m - offset
                if abs(at - c.end_m) <= kom_match_m:
                    name, name_en, category = m.label, m.label_en, m.category or category
                    break
            out.append(
                CourseClimb(
                    lap=k + 1,
                    start_m=float(c.start_m + offset),
                    end_m=float(c.end_m + offset),
                    length_m=float(c.length_m),
                    gain_m=float(c.gain_m),
                    avg_grade_pct=float(c.avg_grade_pct),
                    max_grade_pct=float(c.max_grade_pct),
                    summit_ele_m=float(getattr(c, "summit_ele_m", math.nan)),
                    category=category,
                    name=name or f"#{i}",
                    # an English book never borrows the Chinese KOM name: its own, else the climb's number
                    name_en=name_en or f"#{i}",
                )
            )
    return tuple(out)
