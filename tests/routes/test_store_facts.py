"""Route facts in the store (issue #23): saved like any route edit (validated against the route's length, optimistic
version, history with before/after, restorable), carried by the canonical dump and backups, seeded for the seed
routes. Runs on SQLite, and on PostgreSQL when GUIDE_TEST_DATABASE_URL is set."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import update

from routes.core.facts import EMPTY_FACTS, FactsError, parse_facts
from routes.core.geo import cumulative_distance_m, track_length_m
from routes.core.model import make_track
from routes.io.gpxio import read_gpx, write_gpx
from routes.store import open_store
from routes.store import schema as s
from routes.store.api import Store
from routes.store.backup import restore_backup, write_backup
from routes.store.errors import ConflictError
from routes.store.seed import SEED_DIR, SEED_FACTS_FILE
from routes.views.editing import describe_detail, route_text_restores
from tests.routes.test_store import ROUTE_FIELDS

#: A straight line north, 0.0009° of latitude (about 100 m) per step: 41 points, about 4 km.
STEP_LAT = 0.0009
N_POINTS = 41


def line_gpx() -> bytes:
    lat = [29.97 + i * STEP_LAT for i in range(N_POINTS)]
    return write_gpx(make_track(lat, [120.85] * N_POINTS, [10.0] * N_POINTS, name="line"))


def length_km(gpx: bytes) -> float:
    return track_length_m(read_gpx(gpx)) / 1000.0


FACTS = {
    "getting_there": {"zh": "坐公交到村口。", "en": "Bus to the village."},
    "season": {"zh": "春秋最好。", "en": "Best in spring and autumn."},
    "checked_on": "2026-11-20",
    "stretches": [
        {"from_km": 0, "to_km": 1.5, "surface": "concrete"},
        {"from_km": 1.5, "to_km": 4.0, "surface": "asphalt", "road": {"zh": "红色骑行道", "en": "Red cycle path"}},
        {"from_km": 2.0, "to_km": 2.4, "warning": {"kind": "steep_descent", "zh": "陡下坡", "en": "Steep descent"}},
    ],
}


@pytest.fixture
def line(empty_store: Store) -> Store:
    empty_store.create_route("line", gpx=line_gpx(), filename="line.gpx", fields=ROUTE_FIELDS, user="ed")
    return empty_store


def test_the_synthetic_line_is_four_km() -> None:
    assert length_km(line_gpx()) == pytest.approx(4.0, abs=0.01)


def test_a_new_route_has_no_facts(line: Store) -> None:
    info = line.get_route("line")
    assert info.facts == EMPTY_FACTS and not info.facts
    assert line.route_length_km("line") == pytest.approx(length_km(line_gpx()))


def test_saved_facts_read_back_and_are_in_history(line: Store) -> None:
    v = line.get_route("line").version
    info = line.set_route_facts("line", FACTS, user="alice", expected_version=v)
    assert info.version == v + 1 and info.updated_by == "alice"
    assert info.facts == parse_facts(FACTS)
    assert [(x.from_km, x.to_km, x.surface) for x in info.facts.surfaces] == [(0.0, 1.5, "concrete"),
                                                                             (1.5, 4.0, "asphalt")]
    assert info.facts.warnings[0].warning.kind == "steep_descent"
    assert line.get_route("line").facts == info.facts  # from a fresh read too
    entry = line.route_history("line")[-1]
    assert (entry.action, entry.user) == ("route.update", "alice")
    before, after = entry.detail["changes"]["facts"]
    assert before is None and after == parse_facts(FACTS).to_json()
    assert entry.detail["before"]["facts"] is None and entry.detail["after"]["facts"] == after
    assert describe_detail(entry.action, entry.detail, "zh") == (
        "到达、季节与路况：（空） → 交通与停车、季节提示、核实于 2026-11-20、路面 2 段、提醒 1 处")
    assert describe_detail(entry.action, entry.detail, "en") == (
        "Getting there, season and road: (empty) → getting there, season, checked 2026-11-20, "
        "surface stretches: 2, warnings: 1")


def test_update_route_keeps_facts_and_clearing_them_is_an_edit(line: Store) -> None:
    info = line.set_route_facts("line", FACTS, user="ed", expected_version=line.get_route("line").version)
    info = line.update_route("line", {"name_en": "Renamed"}, user="ed", expected_version=info.version)
    assert info.facts == parse_facts(FACTS)
    assert "facts" not in line.route_history("line")[-1].detail["changes"]
    cleared = line.set_route_facts("line", None, user="ed", expected_version=info.version)
    assert cleared.facts == EMPTY_FACTS
    assert line.route_history("line")[-1].detail["changes"]["facts"][1] is None


@pytest.mark.parametrize(("stretches", "message"), [
    ([{"from_km": 3.0, "to_km": 4.2, "surface": "asphalt"}],
     "stretch 1: ends at 4.2 km, past the route's end at 3.99 km"),
    ([{"from_km": 9, "to_km": 3, "surface": "asphalt"}], "stretch 1: from 9 km must be less than to 3 km"),
    ([{"from_km": 0, "to_km": 2, "surface": "asphalt"}, {"from_km": 1, "to_km": 3, "surface": "gravel"}],
     "stretch 2 (1–3 km) overlaps the surface of stretch 1"),
])
def test_bad_stretches_are_refused_and_change_nothing(line: Store, stretches: list, message: str) -> None:
    before = line.get_route("line")
    entries = len(line.audit_log(limit=None))
    with pytest.raises(FactsError) as err:
        line.set_route_facts("line", {"stretches": stretches}, user="ed", expected_version=before.version)
    assert err.value.message("en") == message and "\n" not in err.value.message("zh")
    assert line.get_route("line") == before and len(line.audit_log(limit=None)) == entries


def test_a_stretch_may_end_within_the_tolerance_past_the_measured_end(line: Store) -> None:
    end = round(length_km(line_gpx()) + 0.04, 3)
    info = line.set_route_facts("line", {"stretches": [{"from_km": 0, "to_km": end, "surface": "gravel"}]},
                                user="ed", expected_version=line.get_route("line").version)
    assert info.facts.surfaces[0].to_km == end


def test_a_stale_version_is_refused_as_a_conflict(line: Store) -> None:
    loaded = line.get_route("line")
    line.update_route("line", {"name_en": "A"}, user="alice", expected_version=loaded.version)
    with pytest.raises(ConflictError) as err:
        line.set_route_facts("line", FACTS, user="bob", expected_version=loaded.version)
    assert "alice" in err.value.message("en")
    assert line.get_route("line").facts == EMPTY_FACTS
    rejected = line.audit_log(limit=1)[0]
    assert (rejected.action, rejected.user) == ("conflict.rejected", "bob")
    assert rejected.detail["attempted"]["facts"]["getting_there"] == FACTS["getting_there"]


def test_restoring_an_earlier_text_version_restores_the_facts(line: Store) -> None:
    v1 = line.set_route_facts("line", FACTS, user="ed", expected_version=line.get_route("line").version)
    changed = {**FACTS, "getting_there": {"zh": "自驾。", "en": "Drive."}, "stretches": FACTS["stretches"][:1]}
    v2 = line.set_route_facts("line", changed, user="ed", expected_version=v1.version)
    assert v2.facts.getting_there.en == "Drive." and len(v2.facts.stretches) == 1
    restores = route_text_restores(line.route_history("line"), "en")
    newest = restores[0]  # newest first: undo the second save
    assert set(newest.fields) == {"facts"} and "facts" in newest.changes
    back = line.update_route("line", dict(newest.fields), user="ed", expected_version=v2.version)
    assert back.facts == v1.facts
    # and the first save can be undone too: no facts at all
    oldest = route_text_restores(line.route_history("line"), "en")[-1]
    assert oldest.fields == {"facts": None}
    assert line.update_route("line", dict(oldest.fields), user="ed",
                             expected_version=back.version).facts == EMPTY_FACTS


def test_facts_given_at_creation_are_checked_against_the_new_track(empty_store: Store) -> None:
    with pytest.raises(FactsError, match="past the route's end"):
        empty_store.create_route("xy", gpx=line_gpx(), filename="x.gpx", user="ed",
                                 fields={**ROUTE_FIELDS, "facts": {"stretches": [
                                     {"from_km": 0, "to_km": 5, "surface": "asphalt"}]}})
    assert empty_store.get_route("xy") is None
    info = empty_store.create_route("xy", gpx=line_gpx(), filename="x.gpx", user="ed",
                                    fields={**ROUTE_FIELDS, "facts": FACTS})
    assert info.facts == parse_facts(FACTS)


def test_facts_the_store_never_accepted_read_as_none(line: Store) -> None:
    """A hand-edited database: the route still shows (without facts) instead of failing for every visitor."""
    with line.engine.begin() as conn:
        conn.execute(update(s.Route).where(s.Route.slug == "line").values(facts={"stretches": "nonsense"}))
    assert line.get_route("line").facts == EMPTY_FACTS


def test_dump_and_backup_carry_the_facts(line: Store, other_db_url: str, tmp_path: Path) -> None:
    line.set_route_facts("line", FACTS, user="ed", expected_version=line.get_route("line").version)
    before = line.dump_canonical()
    [row] = [r for r in before["routes"] if r["slug"] == "line"]
    assert row["facts"] == parse_facts(FACTS).to_json()
    out = tmp_path / "b.zip"
    write_backup(line.engine, out)
    target = open_store(other_db_url, seed=False)
    restore_backup(target.engine, out)
    after = target.dump_canonical()
    assert {**after, "audit_log": after["audit_log"][:-1]} == before  # the restore adds its own audit entry
    assert target.get_route("line").facts == parse_facts(FACTS)


def test_the_migration_has_the_agreed_id() -> None:
    text = (Path(s.__file__).parent / "migrations" / "versions" / "0004_route_facts.py").read_text(encoding="utf-8")
    assert 'revision = "0004_facts"' in text and 'down_revision = "0003_light"' in text


# --- the seed -------------------------------------------------------------------------------------------------------


def _covering(facts, route_km: float) -> None:
    surfaces = facts.surfaces
    assert surfaces[0].from_km == 0.0
    for a, b in zip(surfaces, surfaces[1:], strict=False):
        assert b.from_km == a.to_km  # no gap, no overlap
    assert abs(surfaces[-1].to_km - route_km) <= 0.01


def test_seed_routes_have_facts_covering_them(store: Store) -> None:
    for slug in ("tianxiang", "caoe-riverside", "lianghu-loop"):
        info = store.get_route(slug)
        assert info.facts.getting_there.zh and info.facts.getting_there.en, slug
        # marked illustrative like the rest of the seed, in the last sentence of both texts
        assert "示意" in info.facts.getting_there.zh.split("。")[-2], slug
        assert "illustrative" in info.facts.getting_there.en.split(". ")[-1], slug
        _covering(info.facts, store.route_length_km(slug))


def test_tianxiang_seed_facts(store: Store) -> None:
    facts = store.get_route("tianxiang").facts
    gt = facts.getting_there
    assert "南穴村" in gt.zh and "单程" in gt.zh and "停车" in gt.zh and "租" in gt.zh
    assert "one-way" in gt.en and "park" in gt.en.lower() and "hire" in gt.en
    assert "清明" in facts.season.zh and "夏" in facts.season.zh and "秋" in facts.season.zh
    assert "Qingming" in facts.season.en
    assert facts.checked_on is not None
    assert {x.surface for x in facts.surfaces} >= {"asphalt", "concrete"}
    assert [(w.from_km, w.to_km, w.warning.kind) for w in facts.warnings if w.warning.kind == "steep_descent"] == [
        (10.9, 11.5, "steep_descent")]
    # the acceptance test adds the descent from the viewpoint itself: the seed leaves 6.6–7.3 free of warnings
    assert not any(w.from_km < 7.3 and w.to_km > 6.6 for w in facts.warnings)


def test_seed_warning_sits_on_a_real_descent() -> None:
    """The seed's steep-descent warning is where the seed track drops at more than 6 % over 200 m."""
    track = read_gpx(SEED_DIR / "tianxiang.gpx")
    d_km = cumulative_distance_m(track) / 1000.0
    grid = np.arange(10.9, 11.5, 0.2)
    drop_pct = [(np.interp(a, d_km, track.ele_m) - np.interp(a + 0.2, d_km, track.ele_m)) / 2.0 for a in grid]
    assert max(drop_pct) > 6.0


def test_seed_facts_file_is_valid_for_every_seed_track() -> None:
    data = json.loads((SEED_DIR / SEED_FACTS_FILE).read_text(encoding="utf-8"))
    assert "示意" in data["note_zh"] and "Illustrative" in data["note_en"]
    for slug, obj in data["routes"].items():
        gpx = (SEED_DIR / f"{slug}.gpx").read_bytes()
        parse_facts(obj, route_length_km=length_km(gpx))  # raises on any problem
