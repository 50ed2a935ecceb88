"""Language resolution, string lookup and number formatting."""

from __future__ import annotations

import re

import pytest

from routes.text import i18n
from routes.text.i18n import fmt_duration, fmt_km, fmt_m, pick, resolve_lang, shorten, t


@pytest.mark.parametrize(
    ("value", "lang"),
    [("en", "en"), ("EN", "en"), ("en-GB", "en"), ("zh", "zh"), ("zh-CN", "zh"), ("", "zh"), (None, "zh"),
     ("fr", "zh"), (["en"], "en"), ([], "zh")],
)
def test_resolve_lang(value, lang):
    assert resolve_lang(value) == lang


def test_t_picks_language_and_formats():
    assert t("cat.count", "zh", n=3) == "共 3 条路线"
    assert t("cat.count", "en", n=3) == "3 routes"


def test_unknown_key_is_a_bug():
    with pytest.raises(KeyError):
        t("no.such.key", "zh")


def test_every_string_has_both_languages_and_same_placeholders():
    for key in i18n.all_keys():
        zh, en = i18n._table()[key]
        assert zh.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), key


def test_chinese_strings_are_chinese():
    # Every zh string but brand names and symbols contains CJK characters: nothing left in English by mistake.
    brand_only = {"map.basemap.osm"}
    for key in i18n.all_keys():
        if key in brand_only:
            continue
        zh, _ = i18n._table()[key]
        assert re.search(r"[\u4e00-\u9fff]", zh), key


def test_pick_falls_back_to_other_language():
    assert pick("天香", "Tianxiang", "en") == "Tianxiang"
    assert pick("天香", "", "en") == "天香"
    assert pick("", "Tianxiang", "zh") == "Tianxiang"


def test_formatting():
    assert fmt_km(12345.0, "zh") == "12.3 公里"
    assert fmt_km(12345.0, "en") == "12.3 km"
    assert fmt_m(1234.4, "en") == "1,234 m"
    assert fmt_m(None, "en") == "–"
    assert fmt_duration(2 * 3600 + 5 * 60 + 20, "zh") == "2 小时 05 分"
    assert fmt_duration(2 * 3600 + 5 * 60 + 20, "en") == "2 h 05 min"
    assert fmt_duration(40 * 60, "en") == "40 min"
    assert fmt_duration(float("nan"), "en") == "–"


def test_shorten():
    assert shorten("short", 10) == "short"
    assert shorten("climbs along the red cycle path through terraced tea", 30) == "climbs along the red cycle…"
    assert shorten("沿红色骑行道一路爬升，穿过层层叠叠的茶园梯田", 10) == "沿红色骑行道一路爬…"


def test_times_are_shown_in_the_guides_zone():
    from datetime import UTC, datetime, timedelta, timezone

    from routes.text.i18n import GUIDE_TIME_ZONE, fmt_datetime

    assert GUIDE_TIME_ZONE == "Asia/Shanghai"
    stored = datetime(2026, 5, 1, 0, 30, tzinfo=UTC)
    assert fmt_datetime(stored, "zh") == fmt_datetime(stored, "en") == "2026-05-01 08:30"
    assert fmt_datetime(stored.replace(tzinfo=None), "zh") == "2026-05-01 08:30"  # naive = UTC, as stored
    assert fmt_datetime(datetime(2026, 4, 30, 23, 0, tzinfo=timezone(timedelta(hours=-5))), "en") == "2026-05-01 12:00"
    assert fmt_datetime(None, "zh") == "–"
