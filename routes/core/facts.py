"""Route facts: what a visitor decides with besides the line — how to get to the start and back, the season, when the
route was last checked on the ground, and the road stretch by stretch (surface and warnings by km).

One immutable model, one JSON shape (the file ``route-facts export`` writes and ``import`` reads, and what the store
keeps), one validation. Nothing here knows about the database or a page; every refusal is a :class:`FactsError` with
a one-line message in both languages.

The JSON shape::

    {"getting_there": {"zh": "...", "en": "..."},
     "season": {"zh": "...", "en": "..."},
     "checked_on": "2026-11-20",            # or null
     "stretches": [{"from_km": 0.0, "to_km": 2.4, "surface": "asphalt",
                    "road": {"zh": "...", "en": "..."},                      # optional
                    "warning": {"kind": "steep_descent", "zh": "...", "en": "..."}}]}   # optional
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from routes.core.errors import GuideError

#: Road surfaces a stretch may have. Keys, not words: pages translate them (routes.text.cyclists "stretch_surface.*").
SURFACES = ("asphalt", "concrete", "paving", "gravel", "dirt", "cobbles", "boardwalk", "steps")
#: Kinds of warning a stretch may carry; "other" needs its text to say what it is.
WARNING_KINDS = (
    "steep_descent", "steep_climb", "busy_crossing", "traffic", "narrow", "steps", "slippery", "closure", "other",
)
#: Longest free text kept per language (getting there, season, a warning): a page section, not an article.
TEXT_MAX_CHARS = 2000
#: Longest warning or road name per language: it labels a waypoint and a profile mark, so it must stay short.
SHORT_TEXT_MAX_CHARS = 200
#: Stretches per route: a 100 km route cut every 200 m, far beyond what any editor keeps by hand.
STRETCHES_MAX = 500
#: A stretch may end this far past the route's measured end: the editor reads km off a profile, and the length
#: measured from the track moves by a few metres with the point spacing.
END_TOLERANCE_KM = 0.05
#: The oldest and newest "last checked" dates accepted: before the line was built, or in the future, is a typo.
CHECKED_ON_MIN = date(2000, 1, 1)
CHECKED_ON_MAX = date(2100, 1, 1)
#: Digits kept for a km boundary: one metre.
KM_DECIMALS = 3


class FactsError(GuideError, ValueError):
    """A route-facts file or form that cannot be kept; nothing is changed."""

    templates = {
        "not_object": ("路线信息必须是一个 JSON 对象", "route facts must be a JSON object"),
        "not_json": ("不是有效的 JSON 文件（第 {line} 行）", "not a valid JSON file (line {line})"),
        "unknown_key": ("路线信息中有不认识的字段“{name}”", "unknown field '{name}' in the route facts"),
        "bilingual": ("“{field}”必须写成 {{\"zh\": …, \"en\": …}}", "'{field}' must be {{\"zh\": …, \"en\": …}}"),
        "too_long": ("“{field}”太长：最多 {limit} 个字", "'{field}' is too long: at most {limit} characters"),
        "bad_date": ("核实日期“{value}”不是 YYYY-MM-DD 格式的有效日期", "checked date '{value}' is not a valid YYYY-MM-DD date"),
        "date_range": ("核实日期 {value} 不合理（应在 2000 年到 2100 年之间）",
                       "checked date {value} is implausible (must be between 2000 and 2100)"),
        "stretches_list": ("“stretches”必须是一个列表", "'stretches' must be a list"),
        "too_many": ("路段太多：最多 {limit} 段", "too many stretches: at most {limit}"),
        "stretch_object": ("第 {n} 段必须是一个 JSON 对象", "stretch {n} must be a JSON object"),
        "stretch_key": ("第 {n} 段中有不认识的字段“{name}”", "stretch {n} has an unknown field '{name}'"),
        "km": ("第 {n} 段的“{field}”必须是公里数", "stretch {n}: '{field}' must be a number of km"),
        "order": ("第 {n} 段：起点 {from_km:g} 公里必须小于终点 {to_km:g} 公里",
                  "stretch {n}: from {from_km:g} km must be less than to {to_km:g} km"),
        "negative": ("第 {n} 段：公里数不能为负", "stretch {n}: km cannot be negative"),
        "beyond_end": ("第 {n} 段：终点 {to_km:g} 公里超出路线全长 {length_km:.2f} 公里",
                       "stretch {n}: ends at {to_km:g} km, past the route's end at {length_km:.2f} km"),
        "surface": ("第 {n} 段：不认识的路面“{value}”（可用：{allowed}）",
                    "stretch {n}: unknown surface '{value}' (allowed: {allowed})"),
        "empty_stretch": ("第 {n} 段既没有路面也没有提醒", "stretch {n} has neither a surface nor a warning"),
        "warning_object": ("第 {n} 段的提醒必须写成 {{\"kind\": …, \"zh\": …, \"en\": …}}",
                           "stretch {n}: the warning must be {{\"kind\": …, \"zh\": …, \"en\": …}}"),
        "warning_kind": ("第 {n} 段：不认识的提醒类型“{value}”（可用：{allowed}）",
                         "stretch {n}: unknown warning kind '{value}' (allowed: {allowed})"),
        "warning_text": ("第 {n} 段：提醒需要中文和英文说明", "stretch {n}: the warning needs a Chinese and an English text"),
        "overlap": ("第 {n} 段（{from_km:g}–{to_km:g} 公里）的路面与第 {m} 段重叠",
                    "stretch {n} ({from_km:g}–{to_km:g} km) overlaps the surface of stretch {m}"),
    }


@dataclass(frozen=True)
class Bilingual:
    """A text in both languages; either may be empty (a page then falls back to the other and says so)."""

    zh: str = ""
    en: str = ""

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def __bool__(self) -> bool:
        return bool(self.zh or self.en)

    def to_json(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class StretchWarning:
    """Something a rider must be told about a stretch: a steep descent, a busy crossing, a closure..."""

    kind: str
    text: Bilingual

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "zh": self.text.zh, "en": self.text.en}


@dataclass(frozen=True)
class Stretch:
    """A piece of the route from ``from_km`` to ``to_km`` along it, with a surface, a warning, or both."""

    from_km: float
    to_km: float
    surface: str | None = None
    warning: StretchWarning | None = None
    road: Bilingual = field(default_factory=Bilingual)

    @property
    def length_km(self) -> float:
        return self.to_km - self.from_km

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"from_km": self.from_km, "to_km": self.to_km, "surface": self.surface}
        if self.road:
            out["road"] = self.road.to_json()
        if self.warning is not None:
            out["warning"] = self.warning.to_json()
        return out


@dataclass(frozen=True)
class RouteFacts:
    getting_there: Bilingual = field(default_factory=Bilingual)
    season: Bilingual = field(default_factory=Bilingual)
    checked_on: date | None = None
    stretches: tuple[Stretch, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.getting_there or self.season or self.checked_on or self.stretches)

    @property
    def surfaces(self) -> tuple[Stretch, ...]:
        """The stretches that carry a surface, in km order (they never overlap)."""
        return tuple(s for s in self.stretches if s.surface)

    @property
    def warnings(self) -> tuple[Stretch, ...]:
        """The stretches that carry a warning, in km order (warnings may overlap surfaces and each other)."""
        return tuple(s for s in self.stretches if s.warning is not None)

    def to_json(self) -> dict[str, Any]:
        return {
            "getting_there": self.getting_there.to_json(),
            "season": self.season.to_json(),
            "checked_on": self.checked_on.isoformat() if self.checked_on else None,
            "stretches": [s.to_json() for s in self.stretches],
        }


EMPTY_FACTS = RouteFacts()

_TOP_KEYS = frozenset({"getting_there", "season", "checked_on", "stretches"})
_STRETCH_KEYS = frozenset({"from_km", "to_km", "surface", "warning", "road"})


def parse_facts(obj: Any, *, route_length_km: float | None = None) -> RouteFacts:
    """Validate ``obj`` (parsed JSON, or the store's stored copy) into :class:`RouteFacts`.

    ``route_length_km`` bounds the stretches when the route is known (an import, an editor's save); the store's own
    copy is read back without it. Raises :class:`FactsError` on the first problem; nothing is partially accepted.
    """
    if obj is None:
        return EMPTY_FACTS
    if not isinstance(obj, Mapping):
        raise FactsError("not_object")
    for key in obj:
        if key not in _TOP_KEYS:
            raise FactsError("unknown_key", name=str(key)[:40])
    stretches_raw = obj.get("stretches") or []
    if not isinstance(stretches_raw, list):
        raise FactsError("stretches_list")
    if len(stretches_raw) > STRETCHES_MAX:
        raise FactsError("too_many", limit=STRETCHES_MAX)
    stretches = [_stretch(n, raw, route_length_km) for n, raw in enumerate(stretches_raw, start=1)]
    # Sorted by km so every reader (profile band, page list, waypoints) sees them in riding order; numbers in
    # messages are the editor's own order, so they are fixed before sorting.
    numbered = sorted(enumerate(stretches, start=1), key=lambda p: (p[1].from_km, p[1].to_km))
    _check_surface_overlap(numbered)
    return RouteFacts(
        getting_there=_bilingual("getting_there", obj.get("getting_there"), TEXT_MAX_CHARS),
        season=_bilingual("season", obj.get("season"), TEXT_MAX_CHARS),
        checked_on=_checked_on(obj.get("checked_on")),
        stretches=tuple(s for _, s in numbered),
    )


def _bilingual(name: str, value: Any, limit: int) -> Bilingual:
    if value is None or value == "":
        return Bilingual()
    if not isinstance(value, Mapping) or set(value) - {"zh", "en"}:
        raise FactsError("bilingual", field=name)
    texts = []
    for lang in ("zh", "en"):
        text = value.get(lang) or ""
        if not isinstance(text, str):
            raise FactsError("bilingual", field=name)
        text = text.strip()
        if len(text) > limit:
            raise FactsError("too_long", field=name, limit=limit)
        texts.append(text)
    return Bilingual(*texts)


def _checked_on(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise FactsError("bad_date", value=str(value)[:40]) from None
    if not CHECKED_ON_MIN <= day < CHECKED_ON_MAX:
        raise FactsError("date_range", value=day.isoformat())
    return day


def _km(n: int, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise FactsError("km", n=n, field=name)
    try:
        km = float(value)
    except ValueError:
        raise FactsError("km", n=n, field=name) from None
    if not math.isfinite(km):
        raise FactsError("km", n=n, field=name)
    return round(km, KM_DECIMALS)


def _stretch(n: int, raw: Any, route_length_km: float | None) -> Stretch:
    if not isinstance(raw, Mapping):
        raise FactsError("stretch_object", n=n)
    for key in raw:
        if key not in _STRETCH_KEYS:
            raise FactsError("stretch_key", n=n, name=str(key)[:40])
    from_km = _km(n, "from_km", raw.get("from_km"))
    to_km = _km(n, "to_km", raw.get("to_km"))
    if from_km < 0 or to_km < 0:
        raise FactsError("negative", n=n)
    if from_km >= to_km:
        raise FactsError("order", n=n, from_km=from_km, to_km=to_km)
    if route_length_km is not None and to_km > route_length_km + END_TOLERANCE_KM:
        raise FactsError("beyond_end", n=n, to_km=to_km, length_km=route_length_km)
    surface = raw.get("surface") or None
    if surface is not None and surface not in SURFACES:
        raise FactsError("surface", n=n, value=str(surface)[:40], allowed=", ".join(SURFACES))
    warning = _warning(n, raw.get("warning"))
    if surface is None and warning is None:
        raise FactsError("empty_stretch", n=n)
    road = _bilingual("road", raw.get("road"), SHORT_TEXT_MAX_CHARS)
    return Stretch(from_km=from_km, to_km=to_km, surface=surface, warning=warning, road=road)


def _warning(n: int, raw: Any) -> StretchWarning | None:
    if raw in (None, "", {}):
        return None
    if not isinstance(raw, Mapping) or set(raw) - {"kind", "zh", "en"}:
        raise FactsError("warning_object", n=n)
    kind = raw.get("kind")
    if kind not in WARNING_KINDS:
        raise FactsError("warning_kind", n=n, value=str(kind)[:40], allowed=", ".join(WARNING_KINDS))
    zh, en = (raw.get(lang) for lang in ("zh", "en"))
    if not isinstance(zh, str) or not isinstance(en, str) or not zh.strip() or not en.strip():
        raise FactsError("warning_text", n=n)
    if max(len(zh.strip()), len(en.strip())) > SHORT_TEXT_MAX_CHARS:
        raise FactsError("too_long", field="warning", limit=SHORT_TEXT_MAX_CHARS)
    return StretchWarning(kind=kind, text=Bilingual(zh.strip(), en.strip()))


def _check_surface_overlap(numbered: list[tuple[int, Stretch]]) -> None:
    """Surfaces tile the route without overlap (a point of road has one surface); warnings may overlap anything."""
    previous: tuple[int, Stretch] | None = None
    for n, stretch in numbered:
        if not stretch.surface:
            continue
        if previous is not None and stretch.from_km < previous[1].to_km:
            raise FactsError("overlap", n=n, m=previous[0], from_km=stretch.from_km, to_km=stretch.to_km)
        previous = (n, stretch)


def surface_at(facts: RouteFacts, km: float) -> str | None:
    """The surface at ``km`` along the route, or None where no stretch says."""
    for stretch in facts.surfaces:
        if stretch.from_km <= km < stretch.to_km:
            return stretch.surface
    return None
