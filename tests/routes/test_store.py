"""The content store on SQLite and PostgreSQL: routes and revisions, POIs and history, conflicts, users, audit, plans."""

from __future__ import annotations

import hashlib
import io
import math
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image

from routes.core.errors import GpxError
from routes.core.model import make_track
from routes.io.gpxio import write_gpx
from routes.store import ConflictError, Store, StoreError, ValidationError, open_store

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<img src=x onerror=alert(1)>"


def small_gpx(n: int = 5, *, lat0: float = 29.99, name: str = "test") -> bytes:
    lat = [lat0 + i * 0.0002 for i in range(n)]
    lon = [120.85 + i * 0.0001 for i in range(n)]
    return write_gpx(make_track(lat, lon, [10.0 + i for i in range(n)], name=name))


ROUTE_FIELDS = {"name_zh": "测试路线", "name_en": "Test route"}
POI_FIELDS = {"name_zh": "测试点", "name_en": "Test point", "category": "viewpoint", "lat": 29.99, "lon": 120.85}


def counts(store: Store) -> tuple[int, ...]:
    dump = store.dump_canonical()
    return tuple(len(rows) for rows in dump.values())


# ---------------------------------------------------------------------------------------------------- schema, seed
def test_migrations_create_exactly_the_models(empty_store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from routes.store.schema import Base

    with empty_store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diffs == []


def test_fresh_database_is_seeded_once(db_url: str) -> None:
    store = open_store(db_url)
    routes = store.list_routes()
    assert [r.slug for r in routes] == ["tianxiang", "caoe-riverside", "lianghu-loop"]  # editor-set order: the flagship first
    assert all(r.status == "published" and r.illustrative and r.revision_id and r.version == 1 for r in routes)
    assert len(store.list_pois()) >= 20
    # a second open (another process, a rerun) adds nothing
    before = counts(store)
    assert counts(open_store(db_url)) == before


def test_seed_gpx_is_stored_verbatim(store: Store) -> None:
    data = (ROOT / "data" / "seed" / "tianxiang.gpx").read_bytes()
    assert store.get_route_gpx("tianxiang") == data
    assert store.get_route("tianxiang").sha256 == hashlib.sha256(data).hexdigest()


def test_emptied_database_is_not_reseeded(db_url: str) -> None:
    store = open_store(db_url)
    for p in store.list_pois():
        store.delete_poi(p.id, user="ed", expected_version=p.version)
    from routes.store.db import dispose_engine

    dispose_engine(db_url)  # as a new process would
    assert open_store(db_url).list_pois() == []


def test_several_processes_open_a_new_database_at_once(db_url: str) -> None:
    code = "import sys; from routes.store import open_store; open_store(sys.argv[1])"
    procs = [subprocess.Popen([sys.executable, "-c", code, db_url], cwd=ROOT, stderr=subprocess.PIPE)
             for _ in range(4)]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    store = open_store(db_url)
    assert len(store.list_routes()) == 3
    assert len(store.route_revisions("tianxiang")) == 1
    assert sum(1 for e in store.audit_log(limit=None) if e.action == "route.create") == 3


# ---------------------------------------------------------------------------------------------------- routes
def test_create_route_keeps_the_upload_byte_for_byte(empty_store: Store) -> None:
    data = b"\xef\xbb\xbf" + small_gpx().replace(b"\n", b"\r\n")  # BOM and CRLF must survive
    info = empty_store.create_route("new-route", gpx=data, filename="C:\\fakepath\\my ride.gpx",
                                    fields=ROUTE_FIELDS, user="ed", note="first")
    assert info.status == "draft" and info.difficulty == "moderate" and info.version == 1
    assert empty_store.get_route_gpx("new-route") == data
    [rev] = empty_store.route_revisions("new-route")
    assert (rev.number, rev.filename, rev.uploaded_by, rev.note, rev.size_bytes) == (1, "my ride.gpx", "ed", "first",
                                                                                     len(data))
    assert rev.sha256 == hashlib.sha256(data).hexdigest() == info.sha256
    assert empty_store.list_routes() == []  # drafts are not public
    assert [r.slug for r in empty_store.list_routes(status=None)] == ["new-route"]


def test_bad_gpx_writes_nothing(empty_store: Store) -> None:
    before = counts(empty_store)
    with pytest.raises(GpxError):
        empty_store.create_route("bad", gpx=b"<html>not gpx</html>", filename="x.gpx", fields=ROUTE_FIELDS, user="ed")
    with pytest.raises(ValidationError) as err:
        empty_store.create_route("bad", gpx=write_gpx(make_track([], [])), filename="x.gpx", fields=ROUTE_FIELDS,
                                 user="ed")
    assert err.value.field == "gpx"
    assert counts(empty_store) == before


def test_duplicate_and_invalid_slugs_are_refused(store: Store) -> None:
    before = counts(store)
    with pytest.raises(ValidationError) as err:
        store.create_route("tianxiang", gpx=small_gpx(), filename="x.gpx", fields=ROUTE_FIELDS, user="ed")
    assert (err.value.field, err.value.key) == ("slug", "slug_taken")
    for slug in ("Tianxiang", "a", "with space", "-lead", "x" * 61, "路线"):
        with pytest.raises(ValidationError) as err:
            store.create_route(slug, gpx=small_gpx(), filename="x.gpx", fields=ROUTE_FIELDS, user="ed")
        assert err.value.field == "slug"
    assert counts(store) == before


def test_every_bad_field_is_named(store: Store) -> None:
    r = store.get_route("tianxiang")
    with pytest.raises(ValidationError) as err:
        store.update_route("tianxiang", {"name_zh": "  ", "difficulty": "extreme", "colour": "red"}, user="ed",
                           expected_version=r.version)
    assert set(err.value.errors) == {"name_zh", "difficulty", "colour"}
    assert err.value.errors["difficulty"].message("zh").startswith("无效的取值")
    assert "name_zh" in str(err.value.errors["name_zh"])
    assert store.get_route("tianxiang") == r


def test_new_revision_then_restore_makes_a_third(store: Store) -> None:
    r = store.get_route("tianxiang")
    original = store.get_route_gpx("tianxiang")
    new = small_gpx(name="resurveyed")
    r2 = store.add_route_revision("tianxiang", new, filename="v2.gpx", user="ed", note="new survey",
                                  expected_version=r.version)
    assert r2.version == r.version + 1 and r2.revision_id != r.revision_id
    assert store.get_route_gpx("tianxiang") == new
    assert store.get_route_gpx("tianxiang", r.revision_id) == original
    r3 = store.restore_route_revision("tianxiang", r.revision_id, user="ed2", expected_version=r2.version)
    revs = store.route_revisions("tianxiang")
    assert [v.number for v in revs] == [1, 2, 3]
    assert revs[2].sha256 == revs[0].sha256 == r3.sha256 and revs[2].uploaded_by == "ed2"
    assert store.get_route_gpx("tianxiang") == original
    assert [h.action for h in store.route_history("tianxiang")] == [
        "route.create", "route.revision", "route.restore_revision"]
    assert store.route_history("tianxiang")[-1].summary == "#3 tianxiang.gpx ← #1"


def test_revision_of_another_route_cannot_be_restored(store: Store) -> None:
    other = store.get_route("caoe-riverside").revision_id
    r = store.get_route("tianxiang")
    with pytest.raises(StoreError):
        store.restore_route_revision("tianxiang", other, user="ed", expected_version=r.version)
    with pytest.raises(StoreError):
        store.get_route_gpx("tianxiang", other)


def test_update_and_publish(store: Store) -> None:
    r = store.get_route("caoe-riverside")
    r2 = store.update_route("caoe-riverside", {"name_en": "Cao'e Greenway", "tags": "river, 河边, river"},
                            user="ed", expected_version=r.version)
    assert r2.name_en == "Cao'e Greenway" and r2.tags == ("river", "河边") and r2.updated_by == "ed"
    r3 = store.set_route_status("caoe-riverside", "draft", user="ed", expected_version=r2.version)
    assert r3.status == "draft" and "caoe-riverside" not in [x.slug for x in store.list_routes()]
    entry = store.route_history("caoe-riverside")[1]
    assert entry.detail["changes"]["name_en"] == ["Cao'e Riverside Greenway", "Cao'e Greenway"]
    assert entry.detail["before"]["tags"] == ["river", "flat", "family"]


def test_conflicting_edits_keep_both_versions(store: Store) -> None:
    loaded_by_a = store.get_route("tianxiang")
    loaded_by_b = store.get_route("tianxiang")
    store.update_route("tianxiang", {"name_en": "Version A"}, user="alice", expected_version=loaded_by_a.version)
    with pytest.raises(ConflictError) as err:
        store.update_route("tianxiang", {"name_en": "Version B"}, user="bob", expected_version=loaded_by_b.version)
    assert err.value.attempted == {"name_en": "Version B"}
    assert "alice" in err.value.message("en") and "alice" in err.value.message("zh")
    assert store.get_route("tianxiang").name_en == "Version A"
    rejected = store.audit_log(limit=1)[0]
    assert (rejected.action, rejected.user, rejected.target) == ("conflict.rejected", "bob", "route:tianxiang")
    assert rejected.detail["attempted"] == {"name_en": "Version B"}
    # the stale writer cannot upload a revision or restore either
    with pytest.raises(ConflictError):
        store.add_route_revision("tianxiang", small_gpx(), filename="b.gpx", user="bob",
                                 expected_version=loaded_by_b.version)
    assert len(store.route_revisions("tianxiang")) == 1


def test_simultaneous_saves_one_wins(store: Store) -> None:
    v = store.get_route("lianghu-loop").version
    results: list[str] = []
    barrier = threading.Barrier(4)

    def save(i: int) -> None:
        barrier.wait()
        try:
            store.update_route("lianghu-loop", {"season": f"s{i}"}, user=f"u{i}", expected_version=v)
            results.append("ok")
        except ConflictError:
            results.append("conflict")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "conflict", "conflict", "ok"]
    assert store.get_route("lianghu-loop").version == v + 1


# ---------------------------------------------------------------------------------------------------- POIs
def test_poi_lifecycle_and_history(empty_store: Store) -> None:
    st = empty_store
    p = st.create_poi({**POI_FIELDS, "name_en": HOSTILE, "url": "https://example.org/a?b=1"}, user="ed")
    assert p.name_en == HOSTILE and p.version == 1 and p.status == "published" and not p.deleted
    p2 = st.update_poi(p.id, {"lat": "29.991", "hours": "8:00-17:00"}, user="ed2", expected_version=1)
    assert p2.lat == 29.991 and p2.version == 2
    p3 = st.delete_poi(p.id, user="ed", expected_version=2)
    assert p3.deleted and st.list_pois() == [] and st.list_pois(include_deleted=True) == [p3]
    p4 = st.restore_poi(p.id, user="ed", expected_version=3)
    assert not p4.deleted
    revs = st.poi_revisions(p.id)
    assert [(r.number, r.action, r.user) for r in revs] == [
        (1, "create", "ed"), (2, "update", "ed2"), (3, "delete", "ed"), (4, "restore", "ed")]
    assert revs[0].fields["lat"] == 29.99 and revs[1].fields["lat"] == 29.991
    p5 = st.restore_poi_revision(p.id, 1, user="ed3", expected_version=4)
    assert (p5.lat, p5.hours, p5.version) == (29.99, "", 5)
    assert st.poi_revisions(p.id)[-1].action == "restore_revision"
    actions = [e.action for e in st.audit_log(limit=None, target=f"poi:{p.id}")]
    assert actions == ["poi.restore_revision", "poi.restore", "poi.delete", "poi.update", "poi.create"]


def test_published_pois_follow_writes_made_by_another_replica(empty_store: Store, db_url: str) -> None:
    """The list kept between page views is read again after every kind of write made through another process's
    store on the same database (a second replica), and is not read again while nothing changed."""
    reader, writer = empty_store, open_store(db_url, seed=False)
    assert reader.published_pois() == []
    p = writer.create_poi(POI_FIELDS, user="ed")
    assert [x.id for x in reader.published_pois()] == [p.id]
    held = reader._published_pois
    assert reader.published_pois() == held[1] and reader._published_pois is held  # unchanged table: not re-read
    writer.update_poi(p.id, {"name_en": "Renamed"}, user="ed", expected_version=1)
    assert [x.name_en for x in reader.published_pois()] == ["Renamed"]
    writer.delete_poi(p.id, user="ed", expected_version=2)
    assert reader.published_pois() == []
    writer.restore_poi(p.id, user="ed", expected_version=3)
    assert [x.version for x in reader.published_pois()] == [4]
    writer.restore_poi_revision(p.id, 1, user="ed", expected_version=4)
    assert [x.name_en for x in reader.published_pois()] == [POI_FIELDS["name_en"]]
    draft = writer.create_poi({**POI_FIELDS, "name_en": "Draft", "status": "draft"}, user="ed")
    assert draft.id not in {x.id for x in reader.published_pois()}
    reader.published_pois().clear()  # a caller changing its copy does not change what the next one gets
    assert len(reader.published_pois()) == 1


@pytest.mark.parametrize(
    ("fields", "field", "key"),
    [
        ({"lat": 91}, "lat", "latitude"),
        ({"lat": -90.5}, "lat", "latitude"),
        ({"lon": 180.01}, "lon", "longitude"),
        ({"lon": "abc"}, "lon", "number"),
        ({"lat": math.nan}, "lat", "latitude"),
        ({"lat": 0, "lon": 0}, "lat", "null_island"),
        ({"category": "shop"}, "category", "choice"),
        ({"name_zh": ""}, "name_zh", "required"),
        ({"name_en": "a\x00b"}, "name_en", "bad_chars"),
        ({"url": "javascript:alert(1)"}, "url", "url"),
        ({"phone": "call me"}, "phone", "phone"),
        ({"desc_zh": "字" * 5001}, "desc_zh", "too_long"),
    ],
)
def test_bad_poi_fields_write_nothing(empty_store: Store, fields: dict, field: str, key: str) -> None:
    before = counts(empty_store)
    with pytest.raises(ValidationError) as err:
        empty_store.create_poi({**POI_FIELDS, **fields}, user="ed")
    assert (err.value.field, err.value.key) == (field, key)
    assert counts(empty_store) == before


def test_poi_conflict(empty_store: Store) -> None:
    p = empty_store.create_poi(POI_FIELDS, user="ed")
    empty_store.update_poi(p.id, {"name_en": "A"}, user="a", expected_version=1)
    with pytest.raises(ConflictError):
        empty_store.delete_poi(p.id, user="b", expected_version=1)
    assert not empty_store.get_poi(p.id).deleted


def test_missing_records_raise_store_errors(empty_store: Store) -> None:
    with pytest.raises(StoreError):
        empty_store.update_poi("nope", {"name_en": "x"}, user="ed", expected_version=1)
    with pytest.raises(StoreError):
        empty_store.get_route_gpx("nope")
    assert empty_store.get_route("nope") is None and empty_store.get_poi("nope") is None


# ---------------------------------------------------------------------------------------------------- photos
def _jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    img = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° when displayed
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (29.0, 59.0, 24.0), "E", (120.0, 51.0, 0.0)
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_stripped_of_metadata_and_shared(empty_store: Store, db_url: str) -> None:
    p = empty_store.create_poi(POI_FIELDS, user="ed")
    raw = _jpeg_with_gps()
    assert b"PhoneMaker" in raw
    p2 = empty_store.set_poi_photo(p.id, raw, user="ed", expected_version=1)
    stored = empty_store.get_photo(p2.photo_id)
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    img = Image.open(io.BytesIO(stored))
    assert img.format == "JPEG" and img.size == (48, 64)  # turned upright, then the orientation tag dropped
    assert not img.getexif()
    # another server (its own engine on the same database) sees the same bytes
    from sqlalchemy import create_engine

    other = Store(create_engine(db_url))
    assert other.get_photo(p2.photo_id) == stored
    other.engine.dispose()
    p3 = empty_store.set_poi_photo(p.id, None, user="ed", expected_version=2)
    assert p3.photo_id is None
    assert empty_store.restore_poi_revision(p.id, 2, user="ed", expected_version=3).photo_id == p2.photo_id


def test_fake_and_oversized_photos_are_refused(empty_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    p = empty_store.create_poi(POI_FIELDS, user="ed")
    before = counts(empty_store)
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    for bad in (b"GIF89a not really", b"\xff\xd8\xff\xe0 truncated jpeg", b"<svg onload=alert(1)>", gif.getvalue()):
        with pytest.raises(ValidationError) as err:
            empty_store.set_poi_photo(p.id, bad, user="ed", expected_version=1)
        assert (err.value.field, err.value.key) == ("photo", "photo_format")
    from routes.store import photos

    monkeypatch.setattr(photos, "PHOTO_MAX_BYTES", 1000)
    monkeypatch.setattr(photos.clean_photo, "__kwdefaults__", {"max_bytes": 1000, "max_pixels": 50_000_000})
    with pytest.raises(ValidationError) as err:
        empty_store.set_poi_photo(p.id, _jpeg_with_gps((400, 400)) + b"\0" * 2000, user="ed", expected_version=1)
    assert err.value.key == "photo_too_big" and "MB" in err.value.message("en")
    monkeypatch.setattr(photos.clean_photo, "__kwdefaults__", {"max_bytes": 10**8, "max_pixels": 1000})
    with pytest.raises(ValidationError) as err:
        empty_store.set_poi_photo(p.id, _jpeg_with_gps((100, 100)), user="ed", expected_version=1)
    assert err.value.key == "photo_pixels"
    assert counts(empty_store) == before and empty_store.get_poi(p.id).version == 1


# ---------------------------------------------------------------------------------------------------- users
def test_users_and_passwords(empty_store: Store) -> None:
    st = empty_store
    st.add_user("alice", "correct horse battery", "editor", by="root")
    assert st.verify_password("alice", "correct horse battery").role == "editor"
    assert st.verify_password("alice", "wrong password!!") is None
    assert st.verify_password("nobody", "correct horse battery") is None
    from sqlalchemy import select

    from routes.store.schema import User

    with st.engine.connect() as conn:
        digest = conn.execute(select(User.password_hash)).scalar_one()
    assert digest.startswith("$argon2id$") and "correct" not in digest
    with pytest.raises(ValidationError) as err:
        st.add_user("alice", "another password", "admin")
    assert err.value.key == "user_taken"
    with pytest.raises(ValidationError) as err:
        st.add_user("bob", "short", "editor")
    assert err.value.field == "password"
    with pytest.raises(ValidationError):
        st.add_user("bob", "long enough password", "owner")
    assert st.set_role("alice", "admin", by="root").role == "admin"
    st.set_password("alice", "a new long password", by="alice")
    assert st.verify_password("alice", "correct horse battery") is None
    assert st.verify_password("alice", "a new long password") is not None
    with pytest.raises(StoreError) as err:  # the only active admin stays one
        st.set_active("alice", False, by="root")
    assert err.value.key == "last_admin"
    st.add_user("root", "another long password", "admin")
    st.set_active("alice", False, by="root")
    assert st.verify_password("alice", "a new long password") is None
    assert [u.name for u in st.list_users()] == ["alice", "root"]
    assert [e.action for e in st.audit_log(target="user:alice")] == [
        "user.active", "user.password", "user.role", "user.add"]


# ---------------------------------------------------------------------------------------------------- race plans
def test_race_plans_with_history_and_conflicts(empty_store: Store) -> None:
    st = empty_store
    plan = {"route": "lianghu-loop", "laps": 3, "start": "2026-04-12T08:00+08:00", "markers": [{"km": 12.5}]}
    a = st.save_race_plan("spring-gp", plan, user="org", expected_version=None)
    assert (a.version, a.plan) == (1, plan)
    with pytest.raises(ConflictError):
        st.save_race_plan("spring-gp", {"laps": 1}, user="other", expected_version=None)
    b = st.save_race_plan("spring-gp", {**plan, "laps": 4}, user="org", expected_version=1)
    with pytest.raises(ConflictError):
        st.save_race_plan("spring-gp", {**plan, "laps": 5}, user="late", expected_version=1)
    assert st.get_race_plan("spring-gp").plan["laps"] == 4 == b.plan["laps"]
    assert [(r.number, r.plan["laps"]) for r in st.race_plan_revisions("spring-gp")] == [(1, 3), (2, 4)]
    assert [p.slug for p in st.list_race_plans()] == ["spring-gp"]
    for bad in ({"x": math.nan}, {"x": object()}, ["not", "a", "dict"]):
        with pytest.raises(ValidationError):
            st.save_race_plan("spring-gp", bad, user="org", expected_version=2)  # type: ignore[arg-type]
    assert st.get_race_plan("nope") is None


def test_every_write_is_audited(empty_store: Store) -> None:
    st = empty_store
    st.create_route("r1", gpx=small_gpx(), filename="a.gpx", fields=ROUTE_FIELDS, user="u1")
    p = st.create_poi(POI_FIELDS, user="u2")
    st.update_poi(p.id, {"name_en": "B"}, user="u3", expected_version=1)
    st.save_race_plan("plan", {"a": 1}, user="u4", expected_version=None)
    log = st.audit_log()
    assert [(e.user, e.action) for e in log] == [
        ("u4", "race_plan.save"), ("u3", "poi.update"), ("u2", "poi.create"), ("u1", "route.create")]
    assert all(e.at.tzinfo is not None for e in log)


def test_existing_database_upgrades_in_place(store: Store, db_url: str) -> None:
    """Down to an empty schema and up again through the migrations, as an old installation would be upgraded."""
    from alembic import command

    from routes.store.db import WRITE_OPTION, dispose_engine
    from routes.store.migrate import _alembic_config, current_revision, head_revision

    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    dump = store.dump_canonical()
    with store.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        command.upgrade(_alembic_config(conn), "head")  # already current: nothing happens
    assert store.dump_canonical() == dump
    with store.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        command.downgrade(_alembic_config(conn), "base")
        assert current_revision(conn) is None
    dispose_engine(db_url)
    assert len(open_store(db_url).list_routes()) == 3  # migrated and seeded again from nothing


def test_default_database_location_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from routes.store import db

    target = tmp_path / "sub" / "guide.db"
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    monkeypatch.setattr(db, "DEFAULT_SQLITE_PATH", target)
    try:
        assert len(open_store().list_routes()) == 3 and target.is_file()
    finally:
        db.dispose_engine(f"sqlite:///{target}")
    other = tmp_path / "env.db"
    monkeypatch.setenv(db.DATABASE_URL_ENV, f"sqlite:///{other}")
    try:
        assert len(open_store().list_routes()) == 3 and other.is_file()
    finally:
        db.dispose_engine(f"sqlite:///{other}")
    assert db.normalize_url("postgres://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    with pytest.raises(StoreError):
        open_store("not a url")


def test_unreachable_server_is_a_store_error() -> None:
    url = "postgresql+psycopg://guide:guide@127.0.0.1:1/nowhere?connect_timeout=2"
    try:
        with pytest.raises(StoreError) as err:
            open_store(url)
        assert err.value.key == "database" and "数据库" in err.value.message("zh")
    finally:
        from routes.store.db import dispose_engine

        dispose_engine(url)


def test_restoring_a_text_revision_keeps_the_photo_added_after_it(empty_store: Store) -> None:
    p = empty_store.create_poi(POI_FIELDS, user="ed")  # revision 1: no photo yet
    p2 = empty_store.update_poi(p.id, {"name_en": "Renamed"}, user="ed", expected_version=1)  # revision 2
    p3 = empty_store.set_poi_photo(p.id, _jpeg_with_gps(), user="ed", expected_version=p2.version)  # revision 3
    back = empty_store.restore_poi_revision(p.id, 1, user="ed", expected_version=p3.version)
    assert back.name_en == POI_FIELDS["name_en"]  # the text is restored
    assert back.photo_id == p3.photo_id  # and the photo, which revision 1 said nothing about, stays
    # a revision made by removing the photo does remove it when restored
    p5 = empty_store.set_poi_photo(p.id, None, user="ed", expected_version=back.version)
    p6 = empty_store.set_poi_photo(p.id, _jpeg_with_gps((32, 32)), user="ed", expected_version=p5.version)
    removed_rev = max(r.number for r in empty_store.poi_revisions(p.id) if r.action == "photo"
                      and not r.fields.get("photo_id"))
    assert empty_store.restore_poi_revision(p.id, removed_rev, user="ed", expected_version=p6.version).photo_id is None
