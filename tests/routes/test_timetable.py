"""Timetable arithmetic: passage times, cut-offs, closure windows, midnight and time zones, exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from routes.race.plan import CoursePoint, parse_start
from routes.race.timetable import build_timetable, format_clock, model_scenario, speed_scenario

KM = 1000.0
SHANGHAI = ZoneInfo("Asia/Shanghai")


def lap_points(lap_km: float = 30.0, laps: int = 3, *, neutral_km: float = 0.0, feed_km: float | None = None):
    """Course points of a circuit: (roll-out,) start, feed each lap, line each lap, finish."""
    race_km = lap_km * laps
    points = []
    if neutral_km:
        points.append(CoursePoint("neutral", -neutral_km * KM, 0.0, (race_km + neutral_km) * KM, None))
    rows = [("start", 0.0, 1)]
    for k in range(laps):
        if feed_km is not None:
            rows.append(("feed", k * lap_km + feed_km, k + 1))
        if k:
            rows.append(("lap", k * lap_km, k + 1))
    rows.append(("finish", race_km, laps))
    rows.sort(key=lambda r: r[1])
    for kind, km, lap in rows:
        points.append(CoursePoint(kind, km * KM, (km + neutral_km) * KM, (race_km - km) * KM, lap))
    return points


def hhmm(values):
    return [v.strftime("%H:%M:%S") for v in values]


def test_passage_times_at_fixed_speeds():
    points = lap_points(feed_km=15.0)
    table = build_timetable(
        points,
        [speed_scenario(v) for v in (36.0, 40.0, 44.0)],
        start=parse_start("2025-10-01 09:00"),
        tz="Asia/Shanghai",
    )
    assert [r.point.kind for r in table.rows] == ["start", "feed", "lap", "feed", "lap", "feed", "finish"]
    at40 = [r.times[1] for r in table.rows]
    # 15 km = 22.5 min, 30 km = 45 min at 40 km/h
    assert hhmm(at40) == ["09:00:00", "09:22:30", "09:45:00", "10:07:30", "10:30:00", "10:52:30", "11:15:00"]
    at36 = [r.times[0] for r in table.rows]
    assert hhmm(at36)[-1] == "11:30:00"  # 90 km at 36 km/h = 2 h 30
    at44 = [r.times[2] for r in table.rows]
    assert at44[-1] - at44[0] == timedelta(seconds=90 / 44 * 3600)  # 2:02:43.6
    assert all(t.tzinfo is not None and t.utcoffset() == timedelta(hours=8) for r in table.rows for t in r.times)
    assert [s.label("en") for s in table.scenarios] == ["36 km/h", "40 km/h", "44 km/h"]
    assert table.scenarios[0].label("zh") == "36 公里/时"


def test_neutralised_rollout_is_ridden_at_its_own_speed_before_km_zero():
    points = lap_points(neutral_km=3.0)
    table = build_timetable(
        points,
        [speed_scenario(40.0, neutral_m=3 * KM, neutral_speed_kmh=20.0)],
        start=parse_start("2025-10-01 09:00"),
        tz="Asia/Shanghai",
    )
    times = [r.times[0] for r in table.rows]
    assert hhmm(times) == ["09:00:00", "09:09:00", "09:54:00", "10:39:00", "11:24:00"]  # 3 km at 20 = 9 min


def test_cutoff_from_minimum_average_speed():
    points = lap_points(feed_km=15.0, neutral_km=2.0)
    table = build_timetable(
        points,
        [speed_scenario(40.0, neutral_m=2 * KM, neutral_speed_kmh=24.0)],
        start=parse_start("2025-10-01 08:00"),
        tz="Asia/Shanghai",
        neutral_m=2 * KM,
        neutral_speed_kmh=24.0,
        cutoff_speed_kmh=25.0,
    )
    cut = {(r.point.kind, r.point.race_m): r.cutoff for r in table.rows}
    # roll-out 2 km at 24 km/h = 5 min, then 25 km/h = 2 min 24 s per km
    assert cut[("neutral", -2 * KM)].strftime("%H:%M:%S") == "08:00:00"
    assert cut[("start", 0.0)].strftime("%H:%M:%S") == "08:05:00"
    assert cut[("feed", 15 * KM)].strftime("%H:%M:%S") == "08:41:00"
    assert cut[("lap", 30 * KM)].strftime("%H:%M:%S") == "09:17:00"
    assert cut[("finish", 90 * KM)].strftime("%H:%M:%S") == "11:41:00"


def test_no_cutoff_without_a_minimum_speed():
    table = build_timetable(
        lap_points(), [speed_scenario(40.0)], start=parse_start("2025-10-01 08:00"), tz="Asia/Shanghai"
    )
    assert all(r.cutoff is None for r in table.rows)


def test_closure_windows_run_from_first_rider_minus_lead_to_last_rider_plus_trail():
    points = lap_points(lap_km=30.0, laps=1, feed_km=12.0)  # start, feed 12 km, finish 30 km
    table = build_timetable(
        points,
        [speed_scenario(v) for v in (30.0, 40.0)],
        start=parse_start("2025-10-01 09:00"),
        tz="Asia/Shanghai",
        cutoff_speed_kmh=20.0,
        lead_buffer_s=15 * 60,
        trail_buffer_s=10 * 60,
    )
    assert [(c.from_point.kind, c.to_point.kind) for c in table.closures] == [("start", "feed"), ("feed", "finish")]
    first, second = table.closures
    # first rider (40 km/h) at the start 09:00 - 15 min; last rider (cut-off 20 km/h) at 12 km = 09:36 + 10 min
    assert (first.close_at.strftime("%H:%M"), first.reopen_at.strftime("%H:%M")) == ("08:45", "09:46")
    # first rider at 12 km = 09:18 - 15 = 09:03; last at 30 km = 10:30 + 10 = 10:40
    assert (second.close_at.strftime("%H:%M"), second.reopen_at.strftime("%H:%M")) == ("09:03", "10:40")
    assert second.duration_s == 97 * 60


def test_closure_without_cutoff_uses_the_slowest_scenario_and_rounds_outwards():
    points = lap_points(lap_km=10.0, laps=1, feed_km=7.0)
    table = build_timetable(
        points,
        [speed_scenario(v) for v in (33.0, 45.0)],
        start=parse_start("2025-10-01 09:00"),
        tz="Asia/Shanghai",
        lead_buffer_s=5 * 60,
        trail_buffer_s=5 * 60,
    )
    stretch = table.closures[1]  # feed (7 km) to finish (10 km)
    # first rider at 7 km: 7/45 h = 9 min 20 s -> 09:09:20 - 5 min = 09:04:20, rounded down to 09:04
    assert stretch.close_at == datetime(2025, 10, 1, 9, 4, tzinfo=SHANGHAI)
    # last rider at 10 km: 10/33 h = 18 min 10.9 s -> 09:23:10.9, rounded up to 09:24
    assert stretch.reopen_at == datetime(2025, 10, 1, 9, 24, tzinfo=SHANGHAI)


def test_crossing_midnight_moves_to_the_next_day():
    table = build_timetable(
        lap_points(),
        [speed_scenario(40.0)],
        start=parse_start("2025-12-31 22:30"),
        tz="Asia/Shanghai",
        cutoff_speed_kmh=30.0,
    )
    finish = table.rows[-1]
    assert finish.times[0] == datetime(2026, 1, 1, 0, 45, tzinfo=SHANGHAI)
    assert finish.cutoff == datetime(2026, 1, 1, 1, 30, tzinfo=SHANGHAI)
    assert format_clock(finish.times[0], table.start) == "00:45 +1"
    assert format_clock(table.rows[0].times[0], table.start) == "22:30"
    lap2 = table.rows[1]
    assert format_clock(lap2.times[0], table.start) == "23:15"


def test_utc_input_gives_the_same_instants_shown_in_shanghai_time():
    scenarios = [speed_scenario(40.0)]
    from_local = build_timetable(lap_points(), scenarios, start=parse_start("2025-10-01 08:00"), tz="Asia/Shanghai")
    from_utc = build_timetable(
        lap_points(), scenarios, start=datetime(2025, 10, 1, 0, 0, tzinfo=UTC), tz="Asia/Shanghai"
    )
    assert [r.times for r in from_local.rows] == [r.times for r in from_utc.rows]
    assert hhmm(r.times[0] for r in from_utc.rows) == ["08:00:00", "08:45:00", "09:30:00", "10:15:00"]
    assert all(r.times[0].utcoffset() == timedelta(hours=8) for r in from_utc.rows)
    # the same race in UTC: eight hours earlier on the clock, the same instants
    in_utc = build_timetable(lap_points(), scenarios, start=parse_start("2025-10-01 08:00"), tz="UTC")
    assert hhmm(r.times[0] for r in in_utc.rows) == ["00:00:00", "00:45:00", "01:30:00", "02:15:00"]
    assert [r.times[0] for r in in_utc.rows] == [r.times[0] for r in from_local.rows]


def test_elapsed_time_is_exact_across_a_daylight_saving_change():
    # Shanghai has no DST, but a plan may use another zone: Berlin skips 02:00-03:00 on 2025-03-30.
    points = lap_points(lap_km=40.0, laps=2)  # 0, 40, 80 km at 40 km/h: +0, +1 h, +2 h
    table = build_timetable(
        points, [speed_scenario(40.0)], start=parse_start("2025-03-30 00:30", "Europe/Berlin"), tz="Europe/Berlin"
    )
    assert hhmm(r.times[0] for r in table.rows) == ["00:30:00", "01:30:00", "03:30:00"]
    # (subtracting two datetimes of one zone gives wall-clock time in Python, so compare instants)
    assert table.rows[-1].times[0].timestamp() - table.rows[0].times[0].timestamp() == 2 * 3600


def test_model_scenario_interpolates_the_ride_time_profile():
    # a rider who covers the first 10 km in 20 min and the next 10 km in 40 min (climb)
    scenario = model_scenario(
        "r",
        "骑手",
        "rider",
        np.array([0.0, 10 * KM, 20 * KM]),
        np.array([0.0, 1200.0, 3600.0]),
        neutral_m=1 * KM,
        neutral_speed_kmh=20.0,
    )
    points = [
        CoursePoint("neutral", -KM, 0.0, 21 * KM, None),
        CoursePoint("start", 0.0, KM, 20 * KM, 1),
        CoursePoint("kom", 15 * KM, 16 * KM, 5 * KM, 1),
        CoursePoint("finish", 20 * KM, 21 * KM, 0.0, 1),
    ]
    table = build_timetable(points, [scenario], start=parse_start("2025-10-01 08:00"), tz="Asia/Shanghai")
    assert hhmm(r.times[0] for r in table.rows) == ["08:00:00", "08:03:00", "08:43:00", "09:03:00"]
    assert scenario.label("zh") == "骑手" and scenario.speed_kmh is None


def test_naive_start_is_refused():
    with pytest.raises(ValueError):
        build_timetable(lap_points(), [speed_scenario(40.0)], start=datetime(2025, 10, 1, 8), tz="Asia/Shanghai")


def test_closures_merge_per_stretch_of_road_across_laps():
    from routes.race.timetable import merge_closures

    # 3 laps of 30 km, feed at 12 km: stretches start→feed and feed→line come round every lap
    points = lap_points(lap_km=30.0, laps=3, feed_km=12.0)
    table = build_timetable(
        points,
        [speed_scenario(v) for v in (30.0, 40.0)],
        start=parse_start("2025-10-01 09:00"),
        tz="Asia/Shanghai",
        cutoff_speed_kmh=20.0,
        lead_buffer_s=15 * 60,
        trail_buffer_s=10 * 60,
    )
    assert len(table.closures) == 6  # the per-lap windows overlap: lap 2 closes before lap 1 reopens
    merged = merge_closures(table.closures, lap_m=30 * KM, laps=3)
    assert [(m.from_point.kind, m.to_point.kind, m.laps) for m in merged] == [
        ("start", "feed", (1, 2, 3)),
        ("feed", "lap", (1, 2, 3)),
    ]
    first, second = merged
    # start→feed: first rider (40 km/h) at km 0 09:00 − 15 min; last (cut-off 20 km/h) at km 72 (lap 3 feed)
    # = 12:36 + 10 min
    assert (first.close_at.strftime("%H:%M"), first.reopen_at.strftime("%H:%M")) == ("08:45", "12:46")
    # feed→line: first rider at km 12 = 09:18 − 15 = 09:03; last at the finish km 90 = 13:30 + 10 = 13:40
    assert (second.close_at.strftime("%H:%M"), second.reopen_at.strftime("%H:%M")) == ("09:03", "13:40")
    assert second.windows[-1].to_point.kind == "finish"
    assert first.close_at == min(w.close_at for w in table.closures[0::2])


def test_one_lap_and_roll_out_windows_are_not_merged():
    from routes.race.timetable import merge_closures

    points = lap_points(lap_km=30.0, laps=1, neutral_km=3.0, feed_km=12.0)
    table = build_timetable(points, [speed_scenario(40.0)], start=parse_start("2025-10-01 09:00"), tz="Asia/Shanghai")
    merged = merge_closures(table.closures, lap_m=30 * KM, laps=1)
    assert [len(m.windows) for m in merged] == [1] * len(table.closures)
    assert [m.close_at for m in merged] == [c.close_at for c in table.closures]
