"""Route facts: the one JSON shape, validated once; every refusal is one line in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from routes.core.facts import (
    EMPTY_FACTS,
    STRETCHES_MAX,
    FactsError,
    parse_facts,
    surface_at,
)

GOOD = {
    "getting_there": {"zh": "从上虞城区乘公交到南穴村。", "en": "Bus from Shangyu to Nanxue."},
    "season": {"zh": "清明前后采茶。", "en": "Tea picking around Qingming."},
    "checked_on": "2026-11-20",
    "stretches": [
        {"from_km": 2.5, "to_km": 9.1, "surface": "asphalt"},
        {"from_km": 0, "to_km": 2.5, "surface": "concrete", "road": {"zh": "南穴村道", "en": "Nanxue lane"}},
        {"from_km": 6.6, "to_km": 7.3, "warning": {"kind": "steep_descent", "zh": "陡坡下行", "en": "Steep descent"}},
    ],
}


def test_good_facts_are_sorted_by_km_and_round_trip_through_json():
    facts = parse_facts(GOOD, route_length_km=9.1)
    assert [(s.from_km, s.to_km) for s in facts.stretches] == [(0.0, 2.5), (2.5, 9.1), (6.6, 7.3)]
    assert facts.checked_on == date(2026, 11, 20)
    assert [s.surface for s in facts.surfaces] == ["concrete", "asphalt"]
    assert [s.warning.kind for s in facts.warnings] == ["steep_descent"]
    assert facts.stretches[0].road.get("en") == "Nanxue lane"
    assert parse_facts(facts.to_json()) == facts
    assert surface_at(facts, 2.5) == "asphalt" and surface_at(facts, 2.49) == "concrete"
    assert surface_at(facts, 9.5) is None


def test_nothing_is_empty_facts():
    assert parse_facts(None) is EMPTY_FACTS
    assert not parse_facts({"getting_there": {"zh": "", "en": ""}, "stretches": []})
    assert parse_facts(EMPTY_FACTS.to_json()) == EMPTY_FACTS


@pytest.mark.parametrize(("stretch", "key", "zh_part"), [
    ({"from_km": 9, "to_km": 3, "surface": "asphalt"}, "order", "起点 9 公里必须小于终点 3 公里"),
    ({"from_km": 3, "to_km": 3, "surface": "asphalt"}, "order", "必须小于"),
    ({"from_km": -1, "to_km": 3, "surface": "asphalt"}, "negative", "不能为负"),
    ({"from_km": 1, "to_km": 12, "surface": "asphalt"}, "beyond_end", "超出路线全长"),
    ({"from_km": 1, "to_km": 2, "surface": "lava"}, "surface", "不认识的路面"),
    ({"from_km": 1, "to_km": 2}, "empty_stretch", "既没有路面也没有提醒"),
    ({"from_km": "x", "to_km": 2, "surface": "asphalt"}, "km", "公里数"),
    ({"from_km": float("nan"), "to_km": 2, "surface": "asphalt"}, "km", "公里数"),
    ({"from_km": True, "to_km": 2, "surface": "asphalt"}, "km", "公里数"),
    ({"from_km": 1, "to_km": 2, "warning": {"kind": "dragons", "zh": "龙", "en": "Dragons"}}, "warning_kind", "提醒类型"),
    ({"from_km": 1, "to_km": 2, "warning": {"kind": "steps", "zh": "台阶", "en": ""}}, "warning_text", "中文和英文"),
    ({"from_km": 1, "to_km": 2, "surface": "asphalt", "colour": "red"}, "stretch_key", "不认识的字段"),
])
def test_a_bad_stretch_is_refused_in_one_line(stretch, key, zh_part):
    with pytest.raises(FactsError) as err:
        parse_facts({"stretches": [stretch]}, route_length_km=10.0)
    assert err.value.key == key
    for lang in ("zh", "en"):
        assert "\n" not in err.value.message(lang)
    assert zh_part in err.value.message("zh")


def test_surfaces_may_not_overlap_but_warnings_may():
    overlapping = {"stretches": [{"from_km": 0, "to_km": 5, "surface": "asphalt"},
                                 {"from_km": 4, "to_km": 6, "surface": "gravel"}]}
    with pytest.raises(FactsError) as err:
        parse_facts(overlapping)
    assert err.value.key == "overlap"
    assert err.value.params["n"] == 2 and err.value.params["m"] == 1
    warnings = {"stretches": [{"from_km": 0, "to_km": 5, "surface": "asphalt"},
                              {"from_km": 1, "to_km": 2, "warning": {"kind": "narrow", "zh": "窄", "en": "Narrow"}},
                              {"from_km": 1.5, "to_km": 3, "warning": {"kind": "traffic", "zh": "车多", "en": "Busy"}}]}
    assert len(parse_facts(warnings).warnings) == 2


def test_the_end_tolerance_takes_a_profile_reading_but_not_more():
    parse_facts({"stretches": [{"from_km": 0, "to_km": 10.04, "surface": "asphalt"}]}, route_length_km=10.0)
    with pytest.raises(FactsError):
        parse_facts({"stretches": [{"from_km": 0, "to_km": 10.06, "surface": "asphalt"}]}, route_length_km=10.0)


@pytest.mark.parametrize(("facts", "key"), [
    ([], "not_object"),
    ({"colour": 1}, "unknown_key"),
    ({"getting_there": "by bus"}, "bilingual"),
    ({"getting_there": {"zh": "x" * 2001}}, "too_long"),
    ({"checked_on": "20/11/2026"}, "bad_date"),
    ({"checked_on": "1850-01-01"}, "date_range"),
    ({"stretches": {"from_km": 1}}, "stretches_list"),
    ({"stretches": [{"from_km": i, "to_km": i + 1, "surface": "asphalt"} for i in range(STRETCHES_MAX + 1)]},
     "too_many"),
    ({"stretches": ["asphalt"]}, "stretch_object"),
])
def test_bad_files_are_refused(facts, key):
    with pytest.raises(FactsError) as err:
        parse_facts(facts)
    assert err.value.key == key
