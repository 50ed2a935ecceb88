"""Routes-level safety nets: per-route isolation in the catalogue, publishing checks, race and import bounds,
hostile nesting, and the WebSocket message filter."""

from __future__ import annotations

import hashlib
import logging
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from routes.io.gpxio import read_gpx
from routes.race.plan import MAX_PLAN_ROUTES, MAX_RACE_M, RaceError, RacePlan, build_course
from routes.store import Store, StoreError, ValidationError
from routes.views import guide
from routes.web.security import backmsg_fields, refused_backmsg

HEAD = '<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
TAIL = "</trkseg></trk></gpx>"


def _gpx(points: list[tuple[float, float]], *, ele: bool = True) -> bytes:
    body = "".join(
        f'<trkpt lat="{la}" lon="{lo}">' + (f"<ele>{10 + i}</ele>" if ele else "") + "</trkpt>"
        for i, (la, lo) in enumerate(points)
    )
    return (HEAD + body + TAIL).encode()


LINE = [(30 + i * 1e-3, 120.8 + i * 1e-3) for i in range(10)]
SAME_PLACE = [(30.0, 120.8)] * 5


def test_publishing_refuses_a_track_without_length(store: Store) -> None:
    with pytest.raises(ValidationError) as err:
        store.create_route(
            "zero",
            gpx=_gpx(SAME_PLACE),
            filename="z.gpx",
            user="ed",
            fields={"name_zh": "零", "name_en": "Zero", "status": "published"},
        )
    assert err.value.key == "no_distance"
    draft = store.create_route(
        "zero", gpx=_gpx(SAME_PLACE), filename="z.gpx", user="ed", fields={"name_zh": "零", "name_en": "Zero"}
    )
    with pytest.raises(ValidationError):
        store.set_route_status("zero", "published", user="ed", expected_version=draft.version)
    ok = store.create_route(
        "line",
        gpx=_gpx(LINE),
        filename="l.gpx",
        user="ed",
        fields={"name_zh": "线", "name_en": "Line", "status": "published"},
    )
    with pytest.raises(ValidationError):  # a published route cannot get a revision without length either
        store.add_route_revision("line", _gpx(SAME_PLACE), filename="z.gpx", user="ed", expected_version=ok.version)


def test_publishing_a_track_without_elevation_is_allowed_with_a_warning(store: Store) -> None:
    from routes.store.publishing import check_publishable

    info = store.create_route(
        "planned",
        gpx=_gpx(LINE, ele=False),
        filename="p.gpx",
        user="ed",
        fields={"name_zh": "规划", "name_en": "Planned", "status": "published"},
    )
    assert info.status == "published"
    assert check_publishable(_gpx(LINE, ele=False)).warnings == ("route.no_elevation",)
    (card,) = [c for c in guide.route_cards(store) if c.info.slug == "planned"]
    assert card.ascent_m is None and card.distance_m > 1000


def test_one_broken_route_leaves_every_other_card(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    from sqlalchemy import update

    from routes.store import schema as s

    store.create_route(
        "bad",
        gpx=_gpx(LINE),
        filename="bad.gpx",
        user="ed",
        fields={"name_zh": "坏", "name_en": "Bad", "status": "published"},
    )
    broken = b"<gpx>not closed"
    with store.engine.begin() as conn:
        conn.execute(
            update(s.RouteRevisionRow)
            .where(s.RouteRevisionRow.filename == "bad.gpx")
            .values(gpx=broken, sha256=hashlib.sha256(broken).hexdigest())
        )
    unavailable: list[guide.UnavailableRoute] = []
    cards = guide.route_cards(store, unavailable=unavailable)
    assert {c.info.slug for c in cards} == {"tianxiang", "caoe-riverside", "lianghu-loop"}
    assert [(u.info.slug, u.error.key) for u in unavailable] == [("bad", "unreadable")]
    assert "not a GPX file" in unavailable[0].error.why("en")
    with pytest.raises(guide.RouteUnavailable):
        guide.load_route(store, "bad")


def test_an_unexpected_analysis_failure_is_logged_under_an_error_id(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import routes.analysis.summary

    def explode(track, **kwargs):  # a defect of the analysis code itself, which no real file triggers on demand
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(routes.analysis.summary, "analyse", explode)
    data = _gpx(LINE + [(31.0, 121.0)])
    with caplog.at_level(logging.ERROR, logger="guide.incidents"), pytest.raises(guide.RouteUnavailable) as err:
        guide.analyse_gpx(hashlib.sha256(data).hexdigest(), lambda: data)
    assert err.value.key == "failed"
    error_id = err.value.params["error_id"]
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)
    assert "boom" not in err.value.message("en") and error_id in err.value.why("en")


def test_deeply_nested_geojson_is_refused_cleanly(store: Store) -> None:
    deep = '{"type":"FeatureCollection","features":[' + "[" * 100_000 + "]" * 100_000 + "]}"
    with pytest.raises(StoreError) as err:
        store.preview_poi_import(deep.encode(), "deep.geojson")
    assert err.value.key == "import_invalid" and "nested too deeply" in err.value.message("en")


def _plan(**kw) -> RacePlan:
    return RacePlan(
        name="t",
        route_slugs=kw.pop("slugs", ("a",)),
        start=datetime(2027, 4, 1, 8, tzinfo=ZoneInfo("Asia/Shanghai")),
        **kw,
    )


def test_race_plans_are_bounded() -> None:
    with pytest.raises(RaceError) as err:
        _plan(slugs=tuple(f"r{i}" for i in range(MAX_PLAN_ROUTES + 1)))
    assert err.value.key == "routes"
    lap = read_gpx(_gpx([(30 + i * 1e-2, 120.8) for i in range(30)]))  # about 32 km
    with pytest.raises(RaceError) as err:
        build_course([lap] * 5, laps=200)
    assert err.value.key == "too_long" and f"{MAX_RACE_M / 1000:.0f} km" in err.value.message("en")
    assert build_course([lap], laps=12).race_m < MAX_RACE_M


def test_the_websocket_filter_reads_streamlit_messages() -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    clear, rerun, beat = BackMsg(), BackMsg(), BackMsg()
    clear.clear_cache = True
    rerun.rerun_script.query_string = "lang=zh&id=" + "x" * 300
    beat.app_heartbeat = True
    assert backmsg_fields(clear.SerializeToString()) == {5}
    assert refused_backmsg(clear.SerializeToString())
    assert not refused_backmsg(rerun.SerializeToString())
    assert not refused_backmsg(beat.SerializeToString())
    assert refused_backmsg(b"\xff\xff\xff")  # not a message at all


def test_concurrent_first_views_of_a_broken_route_all_get_unavailable() -> None:
    data = _gpx(SAME_PLACE + [(30.0, 120.8)])
    sha = hashlib.sha256(data).hexdigest()
    results: list[str] = []

    def view() -> None:
        try:
            guide.analyse_gpx(sha, lambda: data)
            results.append("analysed")
        except guide.RouteUnavailable as exc:
            results.append(exc.key)

    threads = [threading.Thread(target=view) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert results == ["no_distance"] * 8
