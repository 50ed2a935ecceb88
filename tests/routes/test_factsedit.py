"""The facts form's logic without a screen (routes/views/factsedit.py): table rows to the JSON shape and back, empty
cells as a table hands them over, the km range picked on the profile, the history summary."""

from __future__ import annotations

import math
from datetime import date

import pytest

from routes.core.facts import FactsError, parse_facts
from routes.views.factsedit import (
    clean_rows,
    facts_from_form,
    facts_json,
    facts_summary,
    new_row,
    picked_km,
    row_is_empty,
    stretch_rows,
)

FACTS = parse_facts({
    "getting_there": {"zh": "公交", "en": "Bus"},
    "checked_on": "2026-11-20",
    "stretches": [
        {"from_km": 0, "to_km": 2, "surface": "concrete", "road": {"zh": "村道", "en": "Lane"}},
        {"from_km": 1, "to_km": 1.5, "warning": {"kind": "narrow", "zh": "路窄", "en": "Narrow"}},
        {"from_km": 2, "to_km": 5, "surface": "asphalt"},
    ],
})


def test_rows_round_trip_to_the_same_facts() -> None:
    rows = stretch_rows(FACTS)
    assert rows[1] == {"from_km": 1.0, "to_km": 1.5, "surface": "", "warning_kind": "narrow", "warning_zh": "路窄",
                       "warning_en": "Narrow", "road_zh": "", "road_en": ""}
    obj = facts_json(getting_there=("公交", "Bus"), season=("", ""), checked_on=date(2026, 11, 20), rows=rows)
    assert parse_facts(obj) == FACTS


def test_empty_cells_from_a_table_mean_nothing() -> None:
    """A table hands back NaN for an empty number and None for an empty text; its blank row is skipped."""
    raw = [{"from_km": 0.0, "to_km": 5.0, "surface": "gravel", "warning_kind": None, "warning_zh": math.nan,
            "warning_en": None, "road_zh": None, "road_en": "  "},
           {"from_km": math.nan, "to_km": None, "surface": None, "warning_kind": "", "warning_zh": None,
            "warning_en": None, "road_zh": None, "road_en": None}]
    rows = clean_rows(raw)
    assert rows[0] == new_row(0, 5, surface="gravel")
    assert row_is_empty(rows[1]) and not row_is_empty(rows[0])
    obj = facts_json(getting_there=("", ""), season=("", ""), checked_on=None, rows=rows)
    assert obj["stretches"] == [{"from_km": 0.0, "to_km": 5.0, "surface": "gravel"}]


def test_a_warning_without_its_texts_is_refused_by_the_same_validation() -> None:
    rows = [new_row(1, 2, warning_kind="steep_descent", warning_zh="陡坡")]
    with pytest.raises(FactsError) as err:
        facts_from_form(getting_there=("", ""), season=("", ""), checked_on=None, rows=rows, route_length_km=5.0)
    assert err.value.message("zh") == "第 1 段：提醒需要中文和英文说明"
    with pytest.raises(FactsError, match="past the route's end"):
        facts_from_form(getting_there=("", ""), season=("", ""), checked_on=None,
                        rows=[new_row(1, 6, surface="asphalt")], route_length_km=5.0)


def test_a_profile_pick_is_clipped_to_the_route_and_rounded_to_a_metre() -> None:
    assert picked_km((2345.6789, 1000.0), 10.0) == (1.0, 2.346)
    assert picked_km((-300.0, 12_500.0), 10.0) == (0.0, 10.0)
    assert picked_km((11_000.0, 12_000.0), 10.0) is None  # wholly past the end
    assert picked_km(None, 10.0) is None


def test_summary_for_the_history_table() -> None:
    assert facts_summary(FACTS.to_json(), "zh") == "交通与停车、核实于 2026-11-20、路面 2 段、提醒 1 处"
    assert facts_summary(FACTS, "en") == "getting there, checked 2026-11-20, surface stretches: 2, warnings: 1"
    assert facts_summary({"stretches": "x"}, "en") == "(unreadable)"
