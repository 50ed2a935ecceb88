"""Issue 25 (part B): medical and marshal plan, start waves, bilingual markers and device names that keep meaning."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import fitdecode
import numpy as np
import pytest
from lxml import etree

from routes.core.geo import geodesic_m
from routes.core.model import make_track
from routes.io.devicenames import CJK_GROUP_END, chars, course_point_name, place_groups, utf8_bytes
from routes.io.gpxio import read_gpx
from routes.race.devices import FIT_NAME_BYTES, TCX_NAME_CHARS, course_fit, course_tcx
from routes.race.marshals import marshal_csv, marshal_rows
from routes.race.medical import DETOUR_FACTOR, DRIVE_SPEED_KMH, Hospital, layout_care
from routes.race.plan import Marker, RaceError, RacePlan, Wave, parse_start, parse_wave_start, parse_waves_text
from routes.race.racebook import lay_out_race, medical_rows, point_title, summary_text, timetable_rows
from routes.race.roads import RoadName

SEED = Path(__file__).resolve().parents[2] / "data" / "seed"
TCX_NS = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


# ------------------------------------------------------------------------------------------------ device names
def test_place_is_kept_whole_shortened_by_groups_or_dropped():
    assert place_groups("南穴村路口") == ["南穴村", "路口"]
    assert place_groups("Nanxue village junction") == ["Nanxue ", "village ", "junction"]
    # 10 characters (TCX): the whole name fits only without the separator; never "南穴村路" or "南穴"
    assert course_point_name("marshal", 1, 1, "南穴村路口", limit=10) == "MAR1L1 南穴村"
    assert course_point_name("marshal", 1, None, "南穴村路口", limit=10) == "MAR1 南穴村路口"
    assert course_point_name("feed", 1, 1, "补给", limit=10) == "FEED1L1 补给"
    # 15 bytes (FIT): a Chinese character is 3 bytes, so the place goes before any part of the code is touched
    assert course_point_name("marshal", 1, 1, "南穴村路口", limit=15, measure=utf8_bytes) == "MAR1·L1"
    assert course_point_name("kom", 2, None, "南穴村", limit=15, measure=utf8_bytes) == "KOM2 南穴村"
    # English: whole words only
    assert course_point_name("kom", 1, 3, "Wuhuashan pass", limit=10) == "KOM1·L3"
    assert course_point_name("kom", 1, None, "Wuhuashan pass", limit=16) == "KOM1 Wuhuashan"
    assert course_point_name("finish", None, None, "", limit=10) == "FINISH"
    assert course_point_name("checkpoint", 2, 12, "", limit=10) == "CP2·L12"


def _whole(name: str, place: str) -> bool:
    """The name is a code, or a code and one of the place's whole-group prefixes."""
    code, _, rest = name.partition(" ")
    if not re.fullmatch(r"[A-Z]+\d*(·?L\d+)?", code):
        return False
    if not rest:
        return True
    groups = place_groups(place)
    prefixes = {"".join(groups[:n]).rstrip(" ·-") for n in range(1, len(groups) + 1)}
    return rest in prefixes


LABELS = {
    "feed": ("两湖补给区", "Lianghu feed"),
    "kom": ("五华山顶", "Wuhuashan summit"),
    "marshal": ("南穴村路口", "Nanxue village junction"),
    "checkpoint": ("新华浦桥", "Xinhuapu bridge"),
}


@pytest.fixture(scope="module")
def lianghu():
    return read_gpx((SEED / "lianghu-loop.gpx").read_bytes())


def seed_plan(**extra) -> RacePlan:
    markers = (
        Marker("feed", 11_900.0, label=LABELS["feed"][0], label_en=LABELS["feed"][1]),
        Marker("kom", 13_300.0, category="4", label=LABELS["kom"][0]),
        Marker("marshal", 5_000.0, label=LABELS["marshal"][0], contact_name="王师傅", contact_phone="138 0000 0001"),
        Marker("marshal", 18_000.0),
        Marker("checkpoint", 20_000.0, label=LABELS["checkpoint"][0], label_en=LABELS["checkpoint"][1]),
        Marker("hazard", 9_000.0, note="急弯下坡", note_en="Sharp bend downhill"),
    )
    return RacePlan(
        name="两湖环线公路赛", name_en="Lianghu Loop Road Race", route_slugs=("lianghu-loop",),
        start=parse_start("2026-03-01 08:00"), laps=3, markers=markers, **extra,
    )


@pytest.fixture(scope="module")
def seed_layout(lianghu):
    hospitals = (
        Hospital("上虞区人民医院", "Shangyu District People's Hospital", "hospital", 30.0370, 120.8728),
        Hospital("两湖街道社区卫生服务中心", "Lianghu Subdistrict Community Health Service Centre", "clinic",
                 29.9910, 120.8283),
    )
    plan = seed_plan(roads=(RoadName(0.0, "江滨路", "Jiangbin Road"), RoadName(15_000.0, "南穴村道")))
    return lay_out_race(plan, [lianghu], hospitals=hospitals)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_device_point_name_of_a_3_lap_lianghu_plan_fits_and_ends_on_a_whole_word(seed_layout, lang):
    layout = seed_layout
    tcx = course_tcx(layout.course, layout.points, start=layout.plan.start, lang=lang, name="x")
    names_tcx = etree.fromstring(tcx).xpath("//t:CoursePoint/t:Name/text()", namespaces=TCX_NS)
    fit = course_fit(layout.course, layout.points, start=layout.plan.start, lang=lang, name="x")
    names_fit = []
    with fitdecode.FitReader(io.BytesIO(fit)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "course_point":
                names_fit.append(frame.get_value("name"))
    on_course = [p for p in layout.points if p.kind != "neutral"]
    assert len(names_tcx) == len(names_fit) == len(on_course) == 2 + 2 + 6 * 3  # start, finish, 2 lap lines
    for point, tcx_name, fit_name in zip(on_course, names_tcx, names_fit, strict=True):
        assert chars(tcx_name) <= TCX_NAME_CHARS and utf8_bytes(fit_name) <= FIT_NAME_BYTES
        place = point.label_en if lang == "en" else point.label
        assert _whole(tcx_name, place), tcx_name
        assert _whole(fit_name, place), fit_name
        if lang == "en":
            assert not CJK.search(tcx_name + fit_name)
    assert len(set(names_tcx)) == len(names_tcx) and len(set(names_fit)) == len(names_fit)
    if lang == "zh":  # the place survives where it fits: a one-group Chinese name on TCX without the separator
        assert "MAR1L1 南穴村" in names_tcx and "KOM1L2 五华山" not in names_tcx
        assert all(not n.endswith(("补", "爬坡", "南穴")) for n in names_tcx + names_fit)
    assert set(CJK_GROUP_END) >= {"村", "路", "口"}


# ------------------------------------------------------------------------------------------------ plans
def test_old_plans_load_and_keep_their_exact_json():
    old = {
        "version": 1, "name": "旧计划", "name_en": "", "route_slugs": ["lianghu-loop"], "laps": 2, "neutral_m": 0.0,
        "neutral_speed_kmh": 25.0, "start": "2026-03-01T08:00:00+08:00", "tz": "Asia/Shanghai",
        "markers": [{"kind": "marshal", "at_m": 500.0, "label": "路口", "note": "", "category": None,
                     "every_lap": None}],
        "speeds_kmh": [36.0, 40.0], "rider_profiles": [], "cutoff_speed_kmh": 20.0, "lead_buffer_s": 900.0,
        "trail_buffer_s": 600.0, "notes": "",
    }
    plan = RacePlan.from_dict(old)
    assert plan.waves == () and plan.markers[0].label_en == "" and plan.markers[0].contact_phone == ""
    assert plan.to_dict() == old
    again = seed_plan(waves=(Wave("B 组", 600.0, 30.0, "Group B"),))
    assert RacePlan.from_dict(json.loads(json.dumps(again.to_dict()))) == again


def test_bad_phone_and_wave_are_refused_with_one_line():
    with pytest.raises(RaceError) as err:
        Marker("marshal", 10.0, contact_phone="call me")
    assert err.value.message("en") == "unreadable phone number: call me (digits, spaces, +, - and brackets only)"
    with pytest.raises(RaceError):
        Wave("late", 7 * 3600.0, 30.0)
    start = parse_start("2026-03-01 08:00")
    assert parse_wave_start("+10", start) == 600.0
    assert parse_wave_start("08:25", start) == 1500.0
    with pytest.raises(RaceError):
        parse_wave_start("07:50", start)
    assert parse_waves_text("A 组，+0，38，Group A\n\nB, 08:10, 32", start) == (
        Wave("A 组", 0.0, 38.0, "Group A"), Wave("B", 600.0, 32.0))
    with pytest.raises(RaceError) as err:
        parse_waves_text("A, +0, 38\nB +10 32", start)
    assert err.value.message("zh") == "第 2 行无法识别：B +10 32（格式：名称, 发车时间, 速度[, 英文名称]）"


# ------------------------------------------------------------------------------------------------ waves
def square_loop():
    # 4 straight sides of ~1.11 km north/south and ~0.96 km east/west: a loop with exact, easy distances
    lat = np.array([30.0, 30.01, 30.01, 30.0, 30.0])
    lon = np.array([120.0, 120.0, 120.01, 120.01, 120.0])
    lat = np.interp(np.linspace(0, 4, 401), np.arange(5), lat)
    lon = np.interp(np.linspace(0, 4, 401), np.arange(5), lon)
    return make_track(lat, lon, np.full(lat.size, 10.0), name="square")


def test_each_wave_gets_its_own_timetable_column():
    plan = RacePlan(
        name="测试", name_en="Test", route_slugs=("square",), start=parse_start("2026-03-01 08:00"), laps=1,
        speeds_kmh=(40.0,), cutoff_speed_kmh=20.0, lead_buffer_s=0.0, trail_buffer_s=0.0,
        waves=(Wave("A 组", 0.0, 36.0), Wave("", 1800.0, 30.0)),
    )
    layout = lay_out_race(plan, [square_loop()])
    head, rows = timetable_rows(layout, "en")
    assert head[4:] == ["40 km/h", "Wave 1 · 36 km/h", "Wave 2 · 30 km/h", "Cut-off"]
    assert rows[0][4:7] == ["08:00", "08:00", "08:30"]  # each wave's own start on the start row
    finish = layout.timetable.rows[-1]
    race_s = layout.course.race_m / (30 / 3.6) + 1800
    assert (finish.times[2] - plan.start).total_seconds() == pytest.approx(race_s)
    zh_head, _ = timetable_rows(layout, "zh")
    assert zh_head[5] == "A 组 · 36 公里/时" and zh_head[6] == "第 2 波 · 30 公里/时"
    # the last wave's riders have their own time limit: the road reopens after it, not after the first wave's
    closure = layout.timetable.closures[-1]
    limit_s = layout.course.race_m / (20 / 3.6) + 1800
    assert (closure.reopen_at - plan.start).total_seconds() == pytest.approx(math.ceil(limit_s / 60) * 60, abs=60)


# ------------------------------------------------------------------------------------------------ medical
def test_nearest_hospital_per_stretch_with_distance_and_drive_time():
    near = Hospital("近医院", "Near Hospital", "hospital", 30.005, 119.995)  # ~480 m west of the west side
    far = Hospital("远医院", "Far Hospital", "hospital", 30.005, 120.013)  # ~290 m east of the east side
    plan = RacePlan(name="测试", name_en="Test", route_slugs=("square",), start=parse_start("2026-03-01 08:00"),
                    markers=(Marker("marshal", 2200.0),))
    layout = lay_out_race(plan, [square_loop()], hospitals=(far, near))
    care = layout_care(layout)
    assert [c.hospital.name_en for c in care] == ["Near Hospital", "Far Hospital"]
    west = float(geodesic_m(30.005, 119.995, 30.005, 120.0))
    assert care[0].straight_m == pytest.approx(west, abs=1.0)
    assert care[0].road_m == pytest.approx(west * DETOUR_FACTOR, abs=1.5)
    assert care[0].drive_s == pytest.approx(west * DETOUR_FACTOR / (DRIVE_SPEED_KMH / 3.6), abs=1.0)
    head, rows = medical_rows(layout, "en")
    assert rows[0][3] == "Near Hospital (Hospital)" and rows[0][4] == f"{west / 1000:.1f}"
    _, zh_rows = medical_rows(layout, "zh")
    assert zh_rows[1][3] == "远医院（医院）"


# ------------------------------------------------------------------------------------------------ marshals
def test_marshal_list_has_km_road_passes_and_contacts(seed_layout):
    head, rows = marshal_rows(seed_layout, "en")
    assert head == ["Marker", "km", "Road", "Passes", "Contact", "Phone"]
    assert [r[0] for r in rows] == ["Marshal 1", "Marshal 2", "Checkpoint · Xinhuapu bridge"]
    assert rows[0][1:3] == ["5.0", "Jiangbin Road"] and rows[1][2] == "南穴村道"  # a road named only in Chinese
    assert rows[0][4:] == ["王师傅", "138 0000 0001"]
    assert rows[0][3].count("L") == 3 and rows[0][3].startswith("L1 ")
    passes = [r for r in seed_layout.timetable.rows if r.point.kind == "marshal" and r.point.number == 1]
    first = min(passes[1].times).strftime("%H:%M")
    assert f"L2 {first}–" in rows[0][3]
    text = marshal_csv(seed_layout, "zh").decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:3] == ["标记", "公里", "圈"]
    assert len(table) == 1 + 3 * 3 and table[1][0] == "路口值守 · 南穴村路口" and table[1][-1] == "138 0000 0001"


# ------------------------------------------------------------------------------------------------ English names
def test_english_titles_never_borrow_the_chinese_name(seed_layout):
    by_kind = {}
    for p in seed_layout.points:
        by_kind.setdefault(p.kind, p)
    assert point_title(by_kind["kom"], "en") == "KOM 1 (Cat 4)"
    assert point_title(by_kind["kom"], "zh") == "爬坡点 · 五华山顶（4 级）"
    assert point_title(by_kind["feed"], "en") == "Feed zone · Lianghu feed"
    assert summary_text(seed_layout, "en").startswith("3 laps · ")
    one = lay_out_race(RacePlan(name="x", name_en="x", route_slugs=("square",), start=parse_start("2026-03-01 08:00")),
                       [square_loop()])
    assert summary_text(one, "en").startswith("1 lap · ")


# ------------------------------------------------------------------------------------------------ the English book
def test_english_race_book_from_the_command_line_has_no_chinese_and_a_medical_page(tmp_path, monkeypatch):
    """`python -m routes racebook lianghu-loop --laps 3 --lang en` on a freshly seeded database, read back as text."""
    import os
    import subprocess
    import sys

    from pypdf import PdfReader

    from routes.store import open_store

    db_url = f"sqlite:///{tmp_path / 'guide.db'}"
    hospitals = [p for p in open_store(db_url).list_pois() if p.category in ("hospital", "clinic")]
    assert {p.name_en for p in hospitals} == {
        "Shangyu District People's Hospital", "Lianghu Subdistrict Community Health Service Centre"}
    assert all(p.illustrative for p in hospitals)
    out = tmp_path / "book.pdf"
    r = subprocess.run(
        [sys.executable, "-m", "routes", "racebook", "lianghu-loop", "--laps", "3", "--lang", "en",
         "--start", "2026-03-01 08:00", "--out", str(out)],
        cwd=Path(__file__).resolve().parents[2], env={**os.environ, "GUIDE_DATABASE_URL": db_url},
        capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert ": 3 laps, " in r.stdout
    pages = [page.extract_text() for page in PdfReader(str(out)).pages]
    text = "\n".join(pages)
    # names that exist only in Chinese: none in this plan (every seed place has an English name)
    assert CJK.findall(text) == []
    assert "3 laps · " in text and "lap(s)" not in text
    medical = [p for p in pages if "Medical plan: nearest hospital to each stretch" in p]
    assert len(medical) == 1
    body = medical[0]
    assert "Lianghu Subdistrict Community Health Service Centre (Clinic)" in body
    # one row per stretch of the closure table, each with its distance: "Start Feed zone 1 0.0–11.9 ... 0.4 0.5 1"
    rows = re.findall(r"(\d+\.\d)–(\d+\.\d) .*?\((Clinic|Hospital)\) (\d+\.\d) (\d+\.\d) (\d+)", body.replace("\n", " "))
    assert len(rows) == 3
    for _a, _b, _kind, straight, road, minutes in rows:
        assert float(road) == pytest.approx(float(straight) * DETOUR_FACTOR, abs=0.11)
        assert int(minutes) == pytest.approx(float(road) / DRIVE_SPEED_KMH * 60, abs=1.0)


def test_unnamed_marshal_posts_are_numbered_in_chinese_too(seed_layout):
    _head, rows = marshal_rows(seed_layout, "zh")
    assert [r[0] for r in rows] == ["路口值守 · 南穴村路口", "路口值守 2", "计时点 · 新华浦桥"]


def test_marshal_csv_never_hands_a_spreadsheet_a_formula(lianghu):
    plan = seed_plan()
    plan = plan.with_markers((Marker("marshal", 500.0, label_en="=HYPERLINK(1)", contact_name="@x"),))
    layout = lay_out_race(plan, [lianghu])
    table = list(csv.reader(io.StringIO(marshal_csv(layout, "en").decode("utf-8-sig"))))
    assert table[1][0] == "Marshal · =HYPERLINK(1)" and table[1][7] == "'@x"
