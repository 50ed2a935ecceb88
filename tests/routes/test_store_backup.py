"""Backup and restore: the whole database round-trips exactly, across backends, and a bad backup changes nothing."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from routes.store import ConflictError, Store, StoreError, open_store
from routes.store.auth import AuthError, resolve_session, sign_in
from routes.store.backup import restore_backup, write_backup
from routes.store.seedphotos import SEED_DRAWINGS
from tests.routes.conftest import BACKENDS, _new_database
from tests.routes.test_store import POI_FIELDS, small_gpx


def _fill(store: Store) -> None:
    """Some of everything: revisions, a restore, photos, deleted POIs, users, failures, plans, a conflict."""
    r = store.get_route("tianxiang")
    r = store.add_route_revision("tianxiang", small_gpx(), filename="v2.gpx", user="ed", note="二号", expected_version=r.version)
    store.restore_route_revision("tianxiang", store.route_revisions("tianxiang")[0].id, user="ed",
                                 expected_version=r.version)
    p = store.create_poi({**POI_FIELDS, "name_zh": "茶园 <b>", "desc_en": "line1\nline2"}, user="ed")
    img = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 200, 30)).save(img, format="PNG")
    store.set_poi_photo(p.id, img.getvalue(), user="ed", expected_version=1)
    store.delete_poi(p.id, user="ed", expected_version=2)
    store.add_user("alice", "correct horse battery", "admin")
    sign_in(store, "alice", "correct horse battery")  # a session and a failed attempt: not content, not backed up
    with pytest.raises(AuthError):
        sign_in(store, "alice", "wrong password!")
    store.save_race_plan("gp", {"laps": 3, "名": "两湖", "x": 0.1 + 0.2, "looks_like_ours": {"$blob": "x"}}, user="org", expected_version=None)
    with pytest.raises(ConflictError):
        store.update_route("tianxiang", {"name_en": "late"}, user="bob", expected_version=1)


def _without_restore_entry(dump: dict) -> dict:
    """The restore itself is audited: that one last entry is the only difference allowed."""
    *rest, last = dump["audit_log"]
    assert last["action"] == "database.restore"
    return {**dump, "audit_log": rest}


def test_backup_restore_round_trip_is_exact(store: Store, other_db_url: str, tmp_path: Path) -> None:
    _fill(store)
    before = store.dump_canonical()
    out = tmp_path / "backup.zip"
    counts = write_backup(store.engine, out)
    assert counts["route_revisions"] == 5 and counts["photos"] == 1 + len(SEED_DRAWINGS)  # the seed's drawn photos
    target = open_store(other_db_url, seed=False)
    restore_backup(target.engine, out)
    assert _without_restore_entry(target.dump_canonical()) == before
    # content, not just rows: bytes and records read back the same, and the restored store keeps working
    assert target.get_route_gpx("tianxiang") == store.get_route_gpx("tianxiang")
    deleted = [p for p in target.list_pois(include_deleted=True) if p.deleted][0]
    assert target.get_photo(target.poi_revisions(deleted.id)[1].fields["photo_id"]) == store.get_photo(
        store.poi_revisions(deleted.id)[1].fields["photo_id"])
    assert target.verify_password("alice", "correct horse battery") is not None
    r = target.get_route("lianghu-loop")
    target.add_route_revision("lianghu-loop", small_gpx(), filename="n.gpx", user="x", expected_version=r.version)
    target.create_poi(POI_FIELDS, user="x")  # new ids do not collide with restored ones
    # restoring over existing content replaces it
    restore_backup(target.engine, out)
    assert _without_restore_entry(target.dump_canonical())["route_revisions"] == before["route_revisions"]


def test_sessions_and_failed_sign_ins_stay_out_of_backups_and_a_restore_signs_everyone_out(
        store: Store, tmp_path: Path) -> None:
    _fill(store)
    out = tmp_path / "backup.zip"
    write_backup(store.engine, out)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert not any("auth_sessions" in n or "login_throttle" in n for n in names), names
    live = sign_in(store, "alice", "correct horse battery")
    assert resolve_session(store, live.token)[0] is not None
    restore_backup(store.engine, out)
    assert resolve_session(store, live.token) == (None, "unknown")
    with store.engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT COUNT(*) FROM login_throttle")).scalar() == 0


@pytest.mark.parametrize("target_backend", BACKENDS)
def test_backup_moves_between_backends(store: Store, target_backend: str, tmp_path: Path,
                                       tmp_path_factory: pytest.TempPathFactory) -> None:
    """SQLite → PostgreSQL (one machine to several servers) and back."""
    _fill(store)
    before = store.dump_canonical()
    out = tmp_path / "b.zip"
    write_backup(store.engine, out)
    gen = _new_database(target_backend, tmp_path_factory)
    url = next(gen)
    try:
        target = open_store(url, seed=False)
        restore_backup(target.engine, out)
        assert _without_restore_entry(target.dump_canonical()) == before
    finally:
        gen.close()


def _tamper(src: Path, dst: Path, name: str, data: bytes | None) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename == name:
                if data is not None:
                    zout.writestr(name, data)
            else:
                zout.writestr(info, zin.read(info))


def test_bad_backups_change_nothing(store: Store, tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    write_backup(store.engine, good)
    store.create_poi(POI_FIELDS, user="ed")
    before = store.dump_canonical()
    blob = next(n for n in zipfile.ZipFile(good).namelist() if n.startswith("blobs/"))
    routes_rows = json.loads(zipfile.ZipFile(good).read("tables/routes.json"))
    routes_rows[1]["slug"] = routes_rows[0]["slug"]  # breaks the unique index only inside the database
    cases = {
        "not-a-zip.zip": None,
        "damaged-blob.zip": (blob, b"changed"),
        "missing-table.zip": ("tables/pois.json", None),
        "bad-json.zip": ("tables/routes.json", b"[{"),
        "wrong-schema.zip": ("manifest.json", b'{"format": "tianxiang-guide-backup", "format_version": 1, '
                                             b'"schema_revision": "9999"}'),
        "missing-blob.zip": (blob, None),
        "rows-do-not-fit.zip": ("tables/routes.json", b'[{"id": 1, "slug": null}]'),
        "duplicate-slug.zip": ("tables/routes.json", json.dumps(routes_rows).encode()),
    }
    for fname, change in cases.items():
        path = tmp_path / fname
        if change is None:
            path.write_bytes(b"PK not really a zip")
        else:
            _tamper(good, path, *change)
        with pytest.raises(StoreError) as err:
            restore_backup(store.engine, path)
        assert err.value.key in ("backup_invalid", "backup_schema"), fname
        assert store.dump_canonical() == before, fname
