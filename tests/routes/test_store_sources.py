"""Original uploads kept next to each revision's GPX, byte for byte: FIT/TCX, converted GPX, restore, backup, upgrade."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import inspect

from routes.core.model import make_track
from routes.io.chinacoords import wgs84_to_gcj02
from routes.io.gpxio import read_gpx, write_gpx
from routes.store import Store, ValidationError, open_store
from routes.store.backup import restore_backup, write_backup
from routes.views.editing import prepare_upload
from tests.routes.conftest import BACKENDS, _new_database
from tests.routes.test_fileio import POINTS, TCX, fit_file
from tests.routes.test_store import ROUTE_FIELDS, counts, small_gpx

FIT = fit_file(POINTS)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def gcj_gpx() -> bytes:
    """A GPX as a Chinese map app exports it: GCJ-02 coordinates (about 500 m off in Shangyu)."""
    lat = [29.97 + i * 0.0004 for i in range(40)]
    lon = [120.82 + i * 0.0003 for i in range(40)]
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    return write_gpx(make_track(g_lat, g_lon), name="高德导出")


def revision_row(store: Store, slug: str, number: int) -> dict:
    """The raw database row (blobs as sha256), to see what is really stored."""
    route_id = next(r["id"] for r in store.dump_canonical()["routes"] if r["slug"] == slug)
    return next(r for r in store.dump_canonical()["route_revisions"]
                if r["route_id"] == route_id and r["number"] == number)


# ---------------------------------------------------------------------------------------------------- writes
def test_fit_upload_keeps_the_fit_file_verbatim(empty_store: Store) -> None:
    prep = prepare_upload(FIT, "晨骑 ride.fit")
    info = empty_store.create_route("fit-ride", gpx=prep.gpx, filename=prep.filename, fields=ROUTE_FIELDS,
                                    user="ed", **prep.store_kwargs())
    assert empty_store.get_route_gpx("fit-ride") == prep.gpx  # the guide works on the GPX made from it
    assert info.sha256 == sha(prep.gpx)
    assert empty_store.get_route_source("fit-ride") == (FIT, "fit", "晨骑 ride.fit")
    [rev] = empty_store.route_revisions("fit-ride")
    assert rev.derived and rev.derivation == "converted from FIT"
    assert (rev.source_format, rev.source_sha256, rev.source_size_bytes) == ("fit", sha(FIT), len(FIT))
    assert (rev.sha256, rev.size_bytes) == (sha(prep.gpx), len(prep.gpx))
    row = revision_row(empty_store, "fit-ride", 1)
    assert (row["source"], row["source_sha256"], row["source_format"]) == (sha(FIT), sha(FIT), "fit")
    [entry] = empty_store.audit_log(target="route:fit-ride")
    assert entry.detail["source_sha256"] == sha(FIT) and entry.detail["source_format"] == "fit"


def test_tcx_revision_and_a_gcj02_gpx_keep_their_originals(store: Store) -> None:
    r = store.get_route("tianxiang")
    prep = prepare_upload(TCX, "lap.tcx")
    r = store.add_route_revision("tianxiang", prep.gpx, filename=prep.filename, user="ed", note="手表",
                                 expected_version=r.version, **prep.store_kwargs())
    assert store.get_route_source("tianxiang") == (TCX, "tcx", "lap.tcx")
    raw = gcj_gpx()
    prep = prepare_upload(raw, "amap.gpx", convert_gcj=True)
    r = store.add_route_revision("tianxiang", prep.gpx, filename=prep.filename, user="ed",
                                 expected_version=r.version, **prep.store_kwargs())
    assert store.get_route_source("tianxiang") == (raw, "gpx", "amap.gpx")
    assert store.get_route_gpx("tianxiang") == prep.gpx != raw
    _seed, tcx_rev, gcj_rev = store.route_revisions("tianxiang")
    assert (tcx_rev.source_format, tcx_rev.source_sha256, tcx_rev.derivation) == ("tcx", sha(TCX),
                                                                                   "converted from TCX")
    assert (gcj_rev.source_format, gcj_rev.source_sha256, gcj_rev.derivation) == ("gpx", sha(raw),
                                                                                  "converted from GCJ-02")
    # an older revision's original is still there
    assert store.get_route_source("tianxiang", tcx_rev.id)[0] == TCX


def test_gpx_stored_as_uploaded_keeps_no_second_copy(empty_store: Store) -> None:
    data = b"\xef\xbb\xbf" + small_gpx().replace(b"\n", b"\r\n")
    empty_store.create_route("plain", gpx=data, filename="C:\\fakepath\\plain.gpx", fields=ROUTE_FIELDS, user="ed")
    info = empty_store.add_route_revision("plain", data, filename="again.gpx", user="ed", expected_version=1,
                                          source=data, source_format="gpx")  # the same bytes: nothing to add
    for number, name in ((1, "plain.gpx"), (2, "again.gpx")):
        row = revision_row(empty_store, "plain", number)
        assert (row["source"], row["source_sha256"], row["source_size_bytes"], row["derivation"]) == (
            None, None, None, "")
        rev = empty_store.route_revisions("plain")[number - 1]
        assert not rev.derived and rev.derivation == ""
        assert (rev.source_format, rev.source_sha256, rev.source_size_bytes) == ("gpx", sha(data), len(data))
        assert empty_store.get_route_source("plain", rev.id) == (data, "gpx", name)
    assert info.sha256 == sha(data)


def test_restore_carries_the_original(store: Store) -> None:
    r = store.get_route("lianghu-loop")
    seed_rev = store.route_revisions("lianghu-loop")[0]
    prep = prepare_upload(FIT, "ride.fit")
    r = store.add_route_revision("lianghu-loop", prep.gpx, filename="ride.fit", user="ed",
                                 expected_version=r.version, **prep.store_kwargs())
    fit_rev = store.route_revisions("lianghu-loop")[-1]
    r = store.restore_route_revision("lianghu-loop", seed_rev.id, user="ed", expected_version=r.version)
    assert store.get_route_source("lianghu-loop")[1] == "gpx"
    assert not store.route_revisions("lianghu-loop")[-1].derived
    r = store.restore_route_revision("lianghu-loop", fit_rev.id, user="ann", expected_version=r.version)
    restored = store.route_revisions("lianghu-loop")[-1]
    assert restored.number == 4 and restored.uploaded_by == "ann"
    assert store.get_route_source("lianghu-loop") == (FIT, "fit", "ride.fit")
    assert store.get_route_gpx("lianghu-loop") == prep.gpx
    assert (restored.source_sha256, restored.derivation, restored.sha256) == (sha(FIT), "converted from FIT",
                                                                              fit_rev.sha256)
    assert store.audit_log(limit=1)[0].detail["source_sha256"] == sha(FIT)


def test_bad_originals_write_nothing(empty_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    gpx = small_gpx()
    cases = [
        ({"source": FIT, "source_format": "tcx"}, "source", "source_format"),  # a FIT file labelled TCX
        ({"source": b"MZ\x90\x00 not a track", "source_format": "fit"}, "source", "source_format"),
        ({"source": FIT, "source_format": "shp"}, "source_format", "choice"),
        ({"source": FIT, "source_format": "kmz"}, "source", "source_format"),  # a FIT file labelled KMZ
        ({"source_format": "fit"}, "source", "source_required"),  # says converted, but nothing to keep
        ({"derivation": "converted from FIT"}, "source", "source_required"),
        ({"source": FIT, "source_format": "fit", "derivation": "a\x00b"}, "derivation", "bad_chars"),
        ({"source": FIT, "source_format": "fit", "derivation": "x" * 201}, "derivation", "too_long"),
    ]
    before = counts(empty_store)
    for kwargs, field, key in cases:
        with pytest.raises(ValidationError) as err:
            empty_store.create_route("bad", gpx=gpx, filename="x.fit", fields=ROUTE_FIELDS, user="ed", **kwargs)
        assert (err.value.field, err.value.key) == (field, key), kwargs
    assert counts(empty_store) == before
    import routes.store.api as api

    monkeypatch.setattr(api, "SOURCE_MAX_BYTES", len(FIT) - 1)
    empty_store.create_route("ok", gpx=gpx, filename="x.gpx", fields=ROUTE_FIELDS, user="ed")
    with pytest.raises(ValidationError) as err:
        empty_store.add_route_revision("ok", gpx, filename="x.fit", user="ed", expected_version=1, source=FIT,
                                       source_format="fit")
    assert err.value.key == "source_too_big" and "上限" in err.value.message("zh")
    assert len(empty_store.route_revisions("ok")) == 1  # the refused revision left nothing behind
    assert [r.slug for r in empty_store.list_routes(status=None)] == ["ok"]


# ---------------------------------------------------------------------------------------------------- backup
def _with_originals(store: Store) -> None:
    r = store.get_route("tianxiang")
    for data, name, kw in ((FIT, "ride.fit", {}), (TCX, "lap.tcx", {}), (gcj_gpx(), "amap.gpx", {"convert_gcj": True})):
        prep = prepare_upload(data, name, **kw)
        r = store.add_route_revision("tianxiang", prep.gpx, filename=name, user="ed", expected_version=r.version,
                                     **prep.store_kwargs())


@pytest.mark.parametrize("target_backend", BACKENDS)
def test_backup_round_trip_keeps_originals(store: Store, target_backend: str, tmp_path: Path,
                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    """Same backend and across (SQLite ↔ PostgreSQL): the originals come back byte for byte."""
    _with_originals(store)
    before = store.dump_canonical()
    out = tmp_path / "b.zip"
    write_backup(store.engine, out)
    gen = _new_database(target_backend, tmp_path_factory)
    try:
        target = open_store(next(gen), seed=False)
        restore_backup(target.engine, out)
        after = target.dump_canonical()
        assert after["audit_log"][-1]["action"] == "database.restore"
        assert {**after, "audit_log": after["audit_log"][:-1]} == before
        for old, new in zip(store.route_revisions("tianxiang"), target.route_revisions("tianxiang"), strict=True):
            assert new == old
            assert target.get_route_source("tianxiang", new.id) == store.get_route_source("tianxiang", old.id)
        assert target.get_route_source("tianxiang")[0] == read_back(store)
    finally:
        gen.close()


def test_backup_taken_before_0002_still_restores(store: Store, other_db_url: str, tmp_path: Path) -> None:
    """A backup written by the previous version (schema 0001, no source columns) restores after the upgrade."""
    r = store.get_route("tianxiang")
    store.add_route_revision("tianxiang", small_gpx(), filename="v2.gpx", user="ed", expected_version=r.version)
    before = store.dump_canonical()
    new_backup, old_backup = tmp_path / "new.zip", tmp_path / "old.zip"
    write_backup(store.engine, new_backup)
    with zipfile.ZipFile(new_backup) as zin, zipfile.ZipFile(old_backup, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                data = json.dumps({**json.loads(data), "schema_revision": "0001"}).encode()
            elif info.filename == "tables/route_revisions.json":
                data = json.dumps([{k: v for k, v in row.items() if not k.startswith("source") and k != "derivation"}
                                   for row in json.loads(data)]).encode()
            zout.writestr(info.filename, data)
    target = open_store(other_db_url, seed=False)
    restore_backup(target.engine, old_backup)
    after = target.dump_canonical()
    assert {**after, "audit_log": after["audit_log"][:-1]} == before
    assert target.get_route_source("tianxiang") == (small_gpx(), "gpx", "v2.gpx")


def read_back(store: Store) -> bytes:
    data, fmt, _ = store.get_route_source("tianxiang")
    assert fmt == "gpx" and read_gpx(data).n_points == 40
    return data


# ---------------------------------------------------------------------------------------------------- migration
def _migrate(store: Store, target: str, *, down: bool) -> None:
    from alembic import command

    from routes.store.db import WRITE_OPTION
    from routes.store.migrate import _alembic_config

    with store.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        (command.downgrade if down else command.upgrade)(_alembic_config(conn), target)


def _columns(store: Store) -> set[str]:
    return {c["name"] for c in inspect(store.engine).get_columns("route_revisions")}


def _held_at(dump: dict, columns: dict[str, set[str]]) -> dict:
    """The canonical dump cut down to the tables and columns a database at an older revision has."""
    return {table: [{k: v for k, v in row.items() if k in columns[table]} for row in rows]
            for table, rows in dump.items() if table in columns}


def test_database_at_0001_upgrades_in_place_and_keeps_its_content(store: Store, db_url: str) -> None:
    """An installation from before originals were kept: its revisions become "the GPX is the original"."""
    from routes.store.db import dispose_engine
    from routes.store.migrate import current_revision, head_revision

    r = store.get_route("tianxiang")
    store.add_route_revision("tianxiang", small_gpx(name="二号"), filename="v2.gpx", user="ed", note="第二版",
                             expected_version=r.version)
    before = store.dump_canonical()
    _migrate(store, "0001", down=True)
    dispose_engine(db_url)
    with store.engine.connect() as conn:
        assert current_revision(conn) == "0001"
    assert "source" not in _columns(store) and "derivation" not in _columns(store)
    # Columns added after 0001 (facts, English hours...) cannot survive a downgrade to 0001; what 0001 held must.
    at_0001 = {table: {c["name"] for c in inspect(store.engine).get_columns(table)}
               for table in inspect(store.engine).get_table_names()}

    upgraded = open_store(db_url)  # what the app does on its next start: migrate to head, no reseeding
    with upgraded.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    assert {"source", "source_format", "source_sha256", "source_size_bytes", "derivation"} <= _columns(upgraded)
    assert _held_at(upgraded.dump_canonical(), at_0001) == _held_at(before, at_0001)
    revs = upgraded.route_revisions("tianxiang")
    assert [r.derived for r in revs] == [False, False]
    assert upgraded.get_route_source("tianxiang") == (small_gpx(name="二号"), "gpx", "v2.gpx")
    # and the upgraded database keeps originals from now on
    prep = prepare_upload(FIT, "ride.fit")
    upgraded.add_route_revision("tianxiang", prep.gpx, filename="ride.fit", user="ed",
                                expected_version=upgraded.get_route("tianxiang").version, **prep.store_kwargs())
    assert upgraded.get_route_source("tianxiang")[0] == FIT


def test_downgrade_refuses_to_drop_kept_originals(store: Store) -> None:
    r = store.get_route("tianxiang")
    prep = prepare_upload(FIT, "ride.fit")
    store.add_route_revision("tianxiang", prep.gpx, filename="ride.fit", user="ed", expected_version=r.version,
                             **prep.store_kwargs())
    before = store.dump_canonical()
    with pytest.raises(RuntimeError, match="original upload"):
        _migrate(store, "0001", down=True)
    assert "source" in _columns(store)
    assert store.dump_canonical() == before
    assert store.get_route_source("tianxiang")[0] == FIT
