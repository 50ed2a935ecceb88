"""What the editor's route-facts form computes without a screen: the stretch table's rows, the facts a form makes,
the km range picked on the profile, and a short line about facts for the history table.

The form's rows are plain dicts (one per stretch, the table's columns below); empty cells come back from the table as
None, "" or NaN and all mean "not given". Validation is routes.core.facts.parse_facts, so the form, the command line
and the store refuse exactly the same things with the same one-line messages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from routes.core.facts import KM_DECIMALS, SURFACES, WARNING_KINDS, RouteFacts, parse_facts

#: The stretch table's columns, in the order an editor fills them in.
STRETCH_COLUMNS = ("from_km", "to_km", "surface", "warning_kind", "warning_zh", "warning_en", "road_zh", "road_en")
#: Text columns of the table (everything but the km and the two choices).
_TEXT_COLUMNS = ("warning_zh", "warning_en", "road_zh", "road_en")
#: Choices offered in the table: "" means none (a stretch with only a warning, or only a surface).
SURFACE_CHOICES = ("", *SURFACES)
WARNING_CHOICES = ("", *WARNING_KINDS)
#: Metres in a kilometre (the profile's selection comes in metres, the form works in km).
M_PER_KM = 1000.0


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: Any) -> str:
    return "" if _blank(value) else str(value).strip()


def stretch_rows(facts: RouteFacts) -> list[dict[str, Any]]:
    """The table's rows for the stored facts, in km order."""
    rows = []
    for s in facts.stretches:
        rows.append({
            "from_km": s.from_km, "to_km": s.to_km, "surface": s.surface or "",
            "warning_kind": s.warning.kind if s.warning else "",
            "warning_zh": s.warning.text.zh if s.warning else "", "warning_en": s.warning.text.en if s.warning else "",
            "road_zh": s.road.zh, "road_en": s.road.en,
        })
    return rows


def row_is_empty(row: Mapping[str, Any]) -> bool:
    """A row with nothing in it: the blank line a table keeps for adding, skipped rather than refused."""
    return all(_blank(row.get(c)) for c in STRETCH_COLUMNS)


def stretch_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """One table row in the facts JSON shape (validation is left to parse_facts)."""
    out: dict[str, Any] = {"from_km": None if _blank(row.get("from_km")) else row.get("from_km"),
                           "to_km": None if _blank(row.get("to_km")) else row.get("to_km"),
                           "surface": _text(row.get("surface")) or None}
    road = {"zh": _text(row.get("road_zh")), "en": _text(row.get("road_en"))}
    if road["zh"] or road["en"]:
        out["road"] = road
    kind = _text(row.get("warning_kind"))
    warn_zh, warn_en = _text(row.get("warning_zh")), _text(row.get("warning_en"))
    if kind or warn_zh or warn_en:
        out["warning"] = {"kind": kind, "zh": warn_zh, "en": warn_en}
    return out


def facts_json(*, getting_there: tuple[str, str], season: tuple[str, str], checked_on: date | str | None,
               rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The form's values in the facts JSON shape: what is saved (and what ``route-facts export`` would write)."""
    return {
        "getting_there": {"zh": _text(getting_there[0]), "en": _text(getting_there[1])},
        "season": {"zh": _text(season[0]), "en": _text(season[1])},
        "checked_on": checked_on.isoformat() if isinstance(checked_on, date) else (_text(checked_on) or None),
        "stretches": [stretch_json(r) for r in rows if not row_is_empty(r)],
    }


def facts_from_form(*, route_length_km: float | None, **form: Any) -> RouteFacts:
    """Validated facts from the form (see :func:`facts_json`); :class:`FactsError` names the first problem."""
    return parse_facts(facts_json(**form), route_length_km=route_length_km)


def picked_km(range_m: tuple[float, float] | None, route_length_km: float) -> tuple[float, float] | None:
    """A range picked on the profile (metres, from routes.views.profile.selected_range_m) as (from, to) km, clipped
    to the route and rounded to a metre; None when nothing usable was picked."""
    if range_m is None:
        return None
    a, b = sorted(float(v) / M_PER_KM for v in range_m)
    a, b = max(0.0, a), min(route_length_km, b)
    if not b > a:
        return None
    return round(a, KM_DECIMALS), round(b, KM_DECIMALS)


def new_row(from_km: float, to_km: float, *, surface: str = "", warning_kind: str = "", warning_zh: str = "",
            warning_en: str = "", road_zh: str = "", road_en: str = "") -> dict[str, Any]:
    """A table row for a stretch set by km (typed, or picked on the profile)."""
    return {"from_km": round(float(from_km), KM_DECIMALS), "to_km": round(float(to_km), KM_DECIMALS),
            "surface": surface or "", "warning_kind": warning_kind or "", "warning_zh": warning_zh or "",
            "warning_en": warning_en or "", "road_zh": road_zh or "", "road_en": road_en or ""}


def clean_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Table rows as plain values (a table hands back NaN and numpy numbers): None for empty km, "" for empty text."""
    out = []
    for r in rows:
        row = {}
        for c in STRETCH_COLUMNS:
            v = r.get(c)
            if c in ("from_km", "to_km"):
                row[c] = None if _blank(v) else float(v)
            else:
                row[c] = _text(v)
        out.append(row)
    return out


def facts_summary(value: Any, lang: str) -> str:
    """Facts in a history cell: what is there, never the whole JSON ("交通与停车、核实于 2026-11-20、…")."""
    from routes.core.facts import FactsError
    from routes.text.i18n import t

    if isinstance(value, RouteFacts):
        facts = value
    else:
        try:
            facts = parse_facts(value)
        except FactsError:
            return t("ed.facts.summary_unreadable", lang)
    if not facts:
        return t("ed.value.empty", lang)
    parts = []
    if facts.getting_there:
        parts.append(t("ed.facts.summary_getting_there", lang))
    if facts.season:
        parts.append(t("ed.facts.summary_season", lang))
    if facts.checked_on:
        parts.append(t("ed.facts.summary_checked", lang, date=facts.checked_on.isoformat()))
    if facts.stretches:
        parts.append(t("ed.facts.summary_stretches", lang, surfaces=len(facts.surfaces),
                       warnings=len(facts.warnings)))
    return ("、" if lang == "zh" else ", ").join(parts)
