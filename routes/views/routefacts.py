"""Route facts as a visitor sees them, in one language: getting there, season, the last check, and the road by km
(surface and warnings) — for the light page, the profile's surface band, the viewer, the Streamlit page and the
GPX/TCX downloads. Everything here reads a :class:`routes.core.facts.RouteFacts`; nothing reads the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from routes.core.facts import RouteFacts, Stretch
from routes.core.model import Track, Waypoint
from routes.text.i18n import shorten, t

#: Colour of each surface in the profile's band and its key: dark for sealed roads, earthy for loose ones, so a
#: glance tells "smooth" from "rough"; steps stand out.
SURFACE_COLOURS: dict[str, str] = {
    "asphalt": "#4a4a4a",
    "concrete": "#a3a3a3",
    "paving": "#b5651d",
    "gravel": "#d4a017",
    "dirt": "#7b4a1e",
    "cobbles": "#5c6f91",
    "boardwalk": "#2e8b57",
    "steps": "#8e44ad",
}
DEFAULT_SURFACE_COLOUR = "#cccccc"
#: A warning's marks on the profile and its list icon.
WARNING_COLOUR = "#c62828"
#: A warning's stretch on the map: the same cyan halo as any highlighted stretch (static/light/viewer.js), a colour
#: no gradient band uses.
MAP_STRETCH_COLOUR = "#00e5ff"
#: Longest GPX waypoint name for a warning: a GPS unit's waypoint list shows about this much; the full text goes to
#: <desc>.
GPX_WARNING_NAME_CHARS = 40
#: TCX course point type for a warning (the schema's fixed list).
TCX_WARNING_TYPE = "Danger"


@dataclass(frozen=True)
class StretchRow:
    """One stretch of the road in the visitor's language."""

    from_km: float
    to_km: float
    km: str
    surface: str
    surface_label: str
    surface_colour: str
    road: str
    kind: str
    kind_label: str
    warning: str


@dataclass(frozen=True)
class LegendItem:
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class FactsView:
    """What the page shows of a route's facts; empty strings and tuples where the editors gave nothing."""

    getting_there: str = ""
    #: Set when the text is in the other language only (the page says so before showing it).
    getting_there_note: str = ""
    season: str = ""
    season_note: str = ""
    checked: str = ""
    rows: tuple[StretchRow, ...] = ()
    warnings: tuple[StretchRow, ...] = ()
    legend: tuple[LegendItem, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.getting_there or self.season or self.checked or self.rows)


def km_text(km: float) -> str:
    """A km boundary as written by the editors, to 10 m: "0", "2.4", "6.65"."""
    text = f"{km:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def km_range(a_km: float, b_km: float, lang: str) -> str:
    return t("facts.km_range", lang, a=km_text(a_km), b=km_text(b_km))


def checked_text(day: date | None, lang: str) -> str:
    """"核实于 2026-11-20" / "Last checked 20 Nov 2026"; "" when never checked."""
    if day is None:
        return ""
    shown = day.isoformat() if lang == "zh" else f"{day.day} {day.strftime('%b')} {day.year}"
    return t("facts.checked", lang, date=shown)


def surface_label(key: str | None, lang: str) -> str:
    return t(f"stretch_surface.{key}", lang) if key else ""


def warning_label(kind: str, lang: str) -> str:
    return t(f"warning_kind.{kind}", lang)


def _own_or_other(text: object, lang: str) -> tuple[str, str]:
    """The text in ``lang``; else the other language's with a note saying so; else nothing."""
    own = text.get(lang)
    if own:
        return own, ""
    other = text.zh if lang == "en" else text.en
    if not other:
        return "", ""
    return other, t("facts.only_zh" if lang == "en" else "facts.only_en", lang)


def stretch_row(s: Stretch, lang: str) -> StretchRow:
    return StretchRow(
        from_km=s.from_km,
        to_km=s.to_km,
        km=km_range(s.from_km, s.to_km, lang),
        surface=s.surface or "",
        surface_label=surface_label(s.surface, lang),
        surface_colour=SURFACE_COLOURS.get(s.surface or "", DEFAULT_SURFACE_COLOUR) if s.surface else "",
        road=s.road.get(lang) or "",
        kind=s.warning.kind if s.warning else "",
        kind_label=warning_label(s.warning.kind, lang) if s.warning else "",
        warning=s.warning.text.get(lang) if s.warning else "",
    )


def facts_view(facts: RouteFacts, lang: str) -> FactsView:
    getting_there, gt_note = _own_or_other(facts.getting_there, lang)
    season, season_note = _own_or_other(facts.season, lang)
    rows = tuple(stretch_row(s, lang) for s in facts.stretches)
    present = list(dict.fromkeys(s.surface for s in facts.surfaces))
    return FactsView(
        getting_there=getting_there,
        getting_there_note=gt_note,
        season=season,
        season_note=season_note,
        checked=checked_text(facts.checked_on, lang),
        rows=rows,
        warnings=tuple(r for r in rows if r.kind),
        legend=tuple(LegendItem(k, surface_label(k, lang), SURFACE_COLOURS.get(k, DEFAULT_SURFACE_COLOUR))
                     for k in present),
    )


def viewer_stretches(facts: RouteFacts) -> list[list[int]]:
    """Each warning's stretch for static/light/viewer.js as [from_m, to_m], in the order the page lists them (the
    list's data-warn index): a few numbers, the words stay in the page's HTML."""
    return [[round(s.from_km * 1000), round(s.to_km * 1000)] for s in facts.warnings]


# --- downloads -----------------------------------------------------------------------------------------------------


def track_index_at(point_distance_m: Sequence[float], at_m: float) -> int:
    """The track point nearest ``at_m`` along the line (a waypoint sits on the line, not between two points)."""
    d = np.asarray(point_distance_m, dtype=np.float64)
    if not len(d):
        return 0
    i = int(np.searchsorted(d, at_m))
    if i <= 0:
        return 0
    if i >= len(d):
        return len(d) - 1
    return i if d[i] - at_m < at_m - d[i - 1] else i - 1


def warning_waypoints(facts: RouteFacts, track: Track, point_distance_m: Sequence[float], lang: str) -> list[Waypoint]:
    """Each warning as a GPX waypoint at the track point at its start: the short text as name (what a GPS unit
    lists), the full text with its km as desc, the kind as type."""
    out = []
    for s in facts.warnings:
        i = track_index_at(point_distance_m, s.from_km * 1000)
        text = s.warning.text.get(lang)
        out.append(
            Waypoint(
                lat=float(track.lat[i]),
                lon=float(track.lon[i]),
                ele_m=float(track.ele_m[i]),
                name=shorten(text, GPX_WARNING_NAME_CHARS),
                desc=t("facts.warning_at", lang, kind=warning_label(s.warning.kind, lang), a=km_text(s.from_km),
                       b=km_text(s.to_km), text=text),
                type=s.warning.kind,
            )
        )
    return out


def warning_course_points(facts: RouteFacts, lang: str) -> list[object]:
    """Each warning as a TCX/FIT course point at its start: the kind's short name (a device shows about ten
    characters; "Steep down" says more than the first words of a sentence), the full text as notes."""
    from routes.io.downloads import CoursePoint

    return [
        CoursePoint(s.from_km * 1000, t(f"warning_short.{s.warning.kind}", lang), TCX_WARNING_TYPE,
                    desc=s.warning.text.get(lang))
        for s in facts.warnings
    ]


def surface_stretches(facts: RouteFacts) -> list[tuple[float, float, str]]:
    """(from_km, to_km, surface key) of each surface stretch, for the GPX extension."""
    return [(s.from_km, s.to_km, s.surface) for s in facts.surfaces]
