"""Issue 25 part A: publishing a race plan (store, roles, audit), road names of the plan, and the closure notice --
page rows, CSV and printable PDF -- agreeing stretch for stretch with the race book for 3 laps of lianghu-loop."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from routes.race.closures import closure_notice_pdf, closure_stretches, closures_csv, notice_rows
from routes.race.plan import Marker, RacePlan, parse_start
from routes.race.racebook import closure_rows, layout_from_store, race_book_pdf
from routes.race.roads import RoadName, RoadTextError, format_roads_text, parse_roads_text, roads_along
from routes.store import StoreError
from routes.store.auth import AuthError, EditorActions, sign_in

PASSWORD = "correct horse battery"
SLUG = "lianghu-gp"


def lianghu_plan() -> RacePlan:
    """3 laps of the seed loop (23.8 km a lap) with a feed at km 5, a KOM at 9 and a sprint at 15, and two roads."""
    return RacePlan(
        name="两湖环湖赛",
        name_en="Two Lakes Race",
        route_slugs=("lianghu-loop",),
        start=parse_start("2026-05-01 08:00"),
        laps=3,
        markers=(Marker("feed", 5000.0, label="南穴村"), Marker("kom", 9000.0, category="4"), Marker("sprint", 15000.0)),
        roads=(RoadName(0.0, "环湖路", "Lakeside Road"), RoadName(7000.0, "南穴路")),
        organiser="两湖体育协会",
        contact="0571-12345678",
    )


# ---------------------------------------------------------------------------------------------------- publishing
def test_plans_start_unpublished_and_publishing_is_audited(store):
    store.add_user("olga", PASSWORD, "organiser")
    saved = store.save_race_plan(SLUG, lianghu_plan().to_dict(), user="olga", expected_version=None)
    assert saved.published_at is None and not saved.published
    on = store.set_race_plan_published(SLUG, True, user="olga")
    assert on.published and on.version == saved.version == 1  # publishing announces; it does not edit the plan
    again = store.set_race_plan_published(SLUG, True, user="olga")
    assert again.published_at == on.published_at  # publishing twice keeps the first time, writes no second entry
    assert [p.published for p in store.list_race_plans() if p.slug == SLUG] == [True]
    off = store.set_race_plan_published(SLUG, False, user="olga")
    assert off.published_at is None
    log = store.audit_log(target=f"race_plan:{SLUG}")
    assert [(e.user, e.action) for e in log] == [
        ("olga", "race_plan.unpublish"), ("olga", "race_plan.publish"), ("olga", "race_plan.save")]
    with pytest.raises(StoreError):
        store.set_race_plan_published("no-such-plan", True, user="olga")


def test_organisers_and_admins_publish_editors_and_visitors_do_not(store):
    for name, role in (("olga", "organiser"), ("alice", "editor"), ("root", "admin")):
        store.add_user(name, PASSWORD, role)
    store.save_race_plan(SLUG, lianghu_plan().to_dict(), user="olga", expected_version=None)
    organiser = EditorActions(store, sign_in(store, "olga", PASSWORD))
    assert organiser.set_race_plan_published(SLUG, True).published
    with pytest.raises(AuthError):
        EditorActions(store, sign_in(store, "alice", PASSWORD)).set_race_plan_published(SLUG, False)
    with pytest.raises(AuthError):
        EditorActions(store, None).set_race_plan_published(SLUG, False)
    assert store.get_race_plan(SLUG).published
    assert not EditorActions(store, sign_in(store, "root", PASSWORD)).set_race_plan_published(SLUG, False).published


def test_backups_carry_the_publish_time(store, tmp_path):
    from routes.store.backup import restore_backup, write_backup

    store.save_race_plan(SLUG, lianghu_plan().to_dict(), user="olga", expected_version=None)
    published_at = store.set_race_plan_published(SLUG, True, user="olga").published_at
    [row] = store.dump_canonical()["race_plans"]
    assert row["published_at"] == published_at.astimezone(UTC).isoformat()
    write_backup(store.engine, tmp_path / "b.zip")
    store.set_race_plan_published(SLUG, False, user="olga")
    restore_backup(store.engine, tmp_path / "b.zip")
    assert store.get_race_plan(SLUG).published_at == published_at


# ---------------------------------------------------------------------------------------------------- road names
def test_road_names_round_trip_and_name_the_stretches_they_run_along():
    roads = parse_roads_text("7 南穴路\n\n0 环湖路 | Lakeside Road\n")
    assert roads == (RoadName(0.0, "环湖路", "Lakeside Road"), RoadName(7000.0, "南穴路"))
    assert parse_roads_text(format_roads_text(roads)) == roads
    assert [r.name for r in roads_along(roads, 5000.0, 9000.0)] == ["环湖路", "南穴路"]
    assert [r.name for r in roads_along(roads, 7000.0, 9000.0)] == ["南穴路"]  # named at its start: that road only
    assert [r.title("en") for r in roads_along(roads, 0.0, 5000.0)] == ["Lakeside Road"]
    assert [r.title("en") for r in roads_along(roads, 9000.0, 15000.0)] == ["南穴路"]  # named only in Chinese
    with pytest.raises(RoadTextError) as err:
        parse_roads_text("0 环湖路\nkm5 南穴路")
    assert err.value.message("zh") == "道路名称第 2 行无法识别：km5 南穴路"
    plan = lianghu_plan()
    assert RacePlan.from_dict(plan.to_dict()) == plan
    bare = RacePlan(name="x", route_slugs=("a",), start=parse_start("2026-05-01 08:00"))
    assert not {"roads", "organiser", "contact", "detour"} & set(bare.to_dict())  # old plans keep their exact JSON


# ---------------------------------------------------------------------------------------------------- the notice
@pytest.fixture
def layout(store):
    return layout_from_store(store, lianghu_plan())


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_notice_rows_are_the_race_books_stretches_with_dates_and_road_names(layout):
    _head, book = closure_rows(layout, "zh")
    head, rows = notice_rows(layout, "zh")
    assert head == ["序号", "道路", "自", "至", "公里", "圈次", "封路时间", "恢复通行", "时长"]
    assert len(rows) == len(book) == 4  # start→feed, feed→KOM, KOM→sprint, sprint→line/finish, one row for 3 laps
    for i, (row, b) in enumerate(zip(rows, book, strict=True), start=1):
        assert row[0] == str(i) and row[2:6] == b[:4]
        assert row[6] == f"2026-05-01 {b[4]}" and row[7] == f"2026-05-01 {b[5]}"  # Beijing time, the book's clocks
    assert [r[1] for r in rows] == ["环湖路", "环湖路、南穴路", "南穴路", "南穴路"]
    # first closing: 15 min before the fastest scenario (44 km/h) reaches the start at 08:00 -> 07:45;
    # last reopening: the time limit (20 km/h) at the finish, 71.3 km -> 11:34, plus 10 min -> 11:44
    assert rows[0][6] == "2026-05-01 07:45" and rows[-1][7] == "2026-05-01 11:44"
    assert [s.closure.laps for s in closure_stretches(layout, "zh")] == [(1, 2, 3)] * 4
    _head, rows_en = notice_rows(layout, "en")
    assert [r[1] for r in rows_en] == ["Lakeside Road", "Lakeside Road / 南穴路", "南穴路", "南穴路"]


def test_csv_has_a_bom_and_the_same_rows_as_the_page(layout):
    data = closures_csv(layout, "zh")
    assert data.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 Chinese correctly only with the byte-order mark
    head, rows = notice_rows(layout, "zh")
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [head, *rows]


@pytest.mark.parametrize(("lang", "size", "width_pt"), [("zh", "A4", 595.3), ("en", "A3", 841.9)])
def test_notice_pdf_lists_every_stretch_at_the_race_books_times(layout, lang, size, width_pt):
    pdf = closure_notice_pdf(layout, lang=lang, size=size, generated_at=datetime(2026, 4, 20, tzinfo=UTC))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 and float(reader.pages[0].mediabox.width) == pytest.approx(width_pt, abs=0.5)
    text = re.sub(r"\s+", " ", _pdf_text(pdf))
    book = re.sub(r"\s+", " ", _pdf_text(race_book_pdf(layout, lang=lang)))
    assert ("交通管制通告" if lang == "zh" else "Road Closure Notice") in text
    assert ("两湖体育协会" in text) and ("0571-12345678" in text)
    _head, book_rows = closure_rows(layout, lang)
    for b in book_rows:
        assert f"{b[4]} " in book or book.endswith(b[4])  # the race book itself has the clock
        assert f"2026-05-01 {b[4]}" in text and f"2026-05-01 {b[5]}" in text
    assert text.count("2026-05-01 ") == 2 * len(book_rows) + 2  # every row's two times and the intro's span
    if lang == "zh":
        assert "绕行提示" in text and "管制路段示意图" in text
    else:
        assert "Detours" in text and "Map of the closed roads" in text and "Lakeside Road" in text


def test_command_line_writes_the_same_csv_and_a_pdf(store, db_url, tmp_path, monkeypatch):
    from routes.cli.main import main as cli_main

    monkeypatch.setenv("GUIDE_DATABASE_URL", db_url)
    store.save_race_plan(SLUG, lianghu_plan().to_dict(), user="olga", expected_version=None)
    assert cli_main(["closures", SLUG, "--format", "csv", "--lang", "en", "--out", str(tmp_path / "c.csv")]) == 0
    assert (tmp_path / "c.csv").read_bytes() == closures_csv(layout_from_store(store, lianghu_plan()), "en")
    assert cli_main(["closures", SLUG, "--format", "pdf", "--size", "A3", "--out", str(tmp_path / "c.pdf")]) == 0
    assert "交通管制通告" in _pdf_text((tmp_path / "c.pdf").read_bytes())
    assert cli_main(["closures", "no-such-plan"]) == 2
