"""Device names: unique codes plus the name as far as it fits, measured in characters (TCX) or UTF-8 bytes (FIT)."""

from __future__ import annotations

from types import SimpleNamespace as P

from routes.io.devicenames import chars, device_point_names, fit_text, point_codes, unique_fitted, utf8_bytes


def test_fit_text_never_cuts_a_multibyte_character():
    assert fit_text("两湖环线公路赛", 15, utf8_bytes) == "两湖环线公"  # 5 × 3 bytes, whole characters
    assert fit_text("两湖环线公路赛", 16, utf8_bytes) == "两湖环线公"  # 16 bytes would split 路: left out whole
    assert fit_text("两湖环线公路赛", 47, utf8_bytes) == "两湖环线公路赛"
    for limit in range(1, 30):
        cut = fit_text("东江·湖景 Dongjiang 观景台", limit, utf8_bytes)
        assert utf8_bytes(cut) <= limit
        assert "\ufffd" not in cut


def test_fit_text_prefers_whole_words_in_latin_text():
    assert fit_text("Lianghu Loop road race", 15) == "Lianghu Loop"
    assert fit_text("Dongjiang viewpoint", 10) == "Dongjiang"
    assert fit_text("Short", 10) == "Short"


def test_codes_are_unique_per_kind_ordinal_and_lap():
    points = [
        P(kind="start", lap=1),
        P(kind="kom", lap=1),
        P(kind="feed", lap=1),
        P(kind="kom", lap=1),
        P(kind="lap", lap=2),
        P(kind="kom", lap=2),
        P(kind="feed", lap=2),
        P(kind="kom", lap=2),
        P(kind="finish", lap=2),
    ]
    assert point_codes(points, laps=2) == [
        "START",
        "KOM1·L1",
        "FEED1·L1",
        "KOM2·L1",
        "LAP·L2",
        "KOM1·L2",
        "FEED1·L2",
        "KOM2·L2",
        "FINISH",
    ]
    assert point_codes(points[:4], laps=1) == ["START", "KOM1", "FEED1", "KOM2"]


def test_three_dongjiang_points_stay_apart_within_ten_characters():
    points = [P(kind="kom", lap=lap) for lap in (1, 2, 3)]
    names = device_point_names(points, ["Dongjiang climb"] * 3, laps=3, limit=10, measure=chars)
    assert names == ["KOM1·L1", "KOM1·L2", "KOM1·L3"]
    assert len(set(names)) == 3 and all(len(n) <= 10 for n in names)


def test_chinese_names_fit_fifteen_bytes_with_the_code():
    points = [P(kind="kom", lap=lap) for lap in (1, 2)]
    names = device_point_names(points, ["东江爬坡"] * 2, laps=2, limit=15, measure=utf8_bytes)
    assert names == ["KOM1·L1 东江", "KOM1·L2 东江"]  # 8 + 1 + 2 × 3 bytes
    feeds = device_point_names(points, ["东江补给站"] * 2, laps=2, limit=15, measure=utf8_bytes)
    assert feeds == ["KOM1·L1 东江", "KOM1·L2 东江"]
    assert all(utf8_bytes(n) <= 15 for n in names)
    one_lap = device_point_names([P(kind="feed", lap=1)], ["补给"], laps=1, limit=10, measure=chars)
    assert one_lap == ["FEED1 补给"]


def test_unique_fitted_numbers_names_that_cut_alike():
    assert unique_fitted(["Dongjiang east", "Dongjiang west", "Tea"], 10) == ["Dongjiang", "Dongjiang2", "Tea"]
    assert unique_fitted(["Dongjiang1", "Dongjiang2", "Dongjiang3"], 9) == ["Dongjiang", "Dongjian2", "Dongjian3"]
