"""The race book PDF: pages, embedded CJK font, Chinese course name and timetable in its extractable text."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from routes.core.model import make_track
from routes.race.plan import Marker, RacePlan, parse_start
from routes.race.racebook import lay_out_race, profile_png, race_book_pdf, timetable_rows
from routes.race.stageprofile import CJK_FONT_PATH
from routes.text.race import STRINGS

COURSE_NAME = "梁湖天香环线公路赛"


def hilly_loop(n: int = 400):
    """A ~10 km loop around a hill: 2 km out east, a climb of ~150 m north, back west and south."""
    angle = np.linspace(0, 2 * np.pi, n)
    lat = 29.99 + 0.014 * np.sin(angle)
    lon = 120.85 + 0.016 * np.cos(angle) - 0.016
    ele = 20 + 150 * np.clip(np.sin(angle), 0, None) ** 2
    return make_track(lat, lon, ele, name="测试环线")


@pytest.fixture(scope="module")
def layout():
    plan = RacePlan(
        name=COURSE_NAME,
        name_en="Tianxiang Loop Road Race",
        route_slugs=("test-loop",),
        start=parse_start("2025-10-01 08:30"),
        laps=3,
        neutral_m=1500.0,
        markers=(Marker("feed", 5000.0), Marker("hazard", 2000.0, note="急弯下坡，请减速")),
        rider_profiles=("sporty",),
    )
    return lay_out_race(plan, [hilly_loop()], illustrative=True)


@pytest.fixture(scope="module")
def pdf_zh(layout):
    return race_book_pdf(layout, lang="zh", generated_at=datetime(2025, 9, 1, tzinfo=UTC))


def test_layout_has_laps_climbs_and_rider_scenario(layout):
    assert layout.course.laps == 3
    assert [s.key for s in layout.timetable.scenarios] == ["v36", "v40", "v44", "rider:sporty"]
    assert len(layout.climbs) % 3 == 0 and layout.climbs, "the hill is detected on every lap"
    assert layout.points[0].kind == "neutral" and layout.points[-1].kind == "finish"


def test_pdf_opens_has_pages_and_copyable_chinese(pdf_zh, layout):
    reader = PdfReader(io.BytesIO(pdf_zh))
    assert len(reader.pages) >= 4
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert COURSE_NAME in text
    assert "赛事手册" in text and "时间表" in text and "交通管制时段" in text
    assert "急弯下坡，请减速" in text
    # timetable rows: the start line at 08:30 + 1.5 km at 25 km/h = 08:33:36 -> 08:34 in every speed column
    head, rows = timetable_rows(layout, "zh")
    assert head[4:7] == ["36 公里/时", "40 公里/时", "44 公里/时"]
    start_row = rows[1]
    assert start_row[3] == "起点" and start_row[4:7] == ["08:34", "08:34", "08:34"]
    for row in rows[:4]:
        assert row[4] in text and row[3].split(" · ")[0] in text
    assert "示意数据" in text


def test_pdf_embeds_the_truetype_cjk_font(pdf_zh):
    reader = PdfReader(io.BytesIO(pdf_zh))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            base = font["/BaseFont"]
            desc = font.get("/FontDescriptor") or (
                descendants[0].get_object()["/FontDescriptor"] if descendants else None
            )
            if desc is not None and "/FontFile2" in desc.get_object():
                fonts.add(str(base))
    assert any("NotoSansSC" in f for f in fonts), fonts


def test_every_chinese_string_has_a_glyph_in_the_shipped_font():
    cmap = TTFont(CJK_FONT_PATH).getBestCmap()
    missing = {ch for zh, _en in STRINGS.values() for ch in zh if ch not in "{}" and ord(ch) not in cmap}
    assert not missing
    assert CJK_FONT_PATH.stat().st_size < 5 * 1024 * 1024


def test_english_book_and_profile_png(layout):
    pdf = race_book_pdf(layout, lang="en")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Tianxiang Loop Road Race" in text and "Timetable" in text and "Road-closure windows" in text
    png = profile_png(layout, "zh")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000


def test_closures_one_row_per_road_and_the_laps_in_an_appendix(layout):
    from routes.race.racebook import closure_lap_rows, closure_rows

    head, rows = closure_rows(layout, "zh")
    _, lap_rows = closure_lap_rows(layout, "zh")
    assert "圈次" in head
    stretches = {(r[0], r[1]) for r in rows}
    assert len(stretches) == len(rows), "each stretch of road once"
    assert len(lap_rows) > len(rows)
    assert all(r[3] == "1–3" for r in rows if r[0] != "中立区起点")
    pdf = race_book_pdf(layout, lang="en")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Appendix: road-closure windows lap by lap" in text
