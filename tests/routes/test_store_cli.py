"""`python -m routes` store commands on SQLite and PostgreSQL: import/export, GeoPackage, backup/restore, users."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from routes.cli.main import main
from routes.io.gpxio import read_gpx
from routes.store import POI_CATEGORIES, open_store

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "seed"


def test_import_and_export_route(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = SEED / "caoe-riverside.gpx"
    assert main(["import-route", str(src), "--slug", "caoe-copy", "--name-zh", "复制", "--name-en", "Copy",
                 "--publish", "--db", db_url, "--as", "tester"]) == 0
    store = open_store(db_url)
    info = store.get_route("caoe-copy")
    assert (info.status, info.name_zh, info.updated_by) == ("published", "复制", "tester")
    assert store.get_route_gpx("caoe-copy") == src.read_bytes()
    # the same command on an existing slug stores a new revision
    assert main(["import-route", str(SEED / "tianxiang.gpx"), "--slug", "caoe-copy", "--db", db_url]) == 0
    assert len(store.route_revisions("caoe-copy")) == 2
    out = tmp_path / "loop.gpx"
    assert main(["export-route", "lianghu-loop", str(out), "--db", db_url]) == 0
    exported, original = read_gpx(out), read_gpx(SEED / "lianghu-loop.gpx")
    assert exported.n_points == original.n_points
    names = {w.name for w in exported.waypoints}
    assert "五华山垭口 Wuhuashan pass" in names and len(names) >= 8
    assert not any("竹林" in n for n in names)  # the bamboo homes are on the Tianxiang line, kilometres away
    assert {w.type for w in exported.waypoints} <= set(POI_CATEGORIES)


def test_bad_route_file_fails_cleanly(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.gpx"
    bad.write_text("hello")
    assert main(["import-route", str(bad), "--slug", "bad", "--db", db_url]) == 2
    assert "not a GPX file" in capsys.readouterr().err
    assert open_store(db_url).get_route("bad") is None
    assert main(["import-route", str(SEED / "tianxiang.gpx"), "--slug", "Bad Slug", "--db", db_url]) == 2
    assert "slug" in capsys.readouterr().err


def test_pois_round_trip_and_gpkg(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pois.geojson"
    assert main(["export-pois", str(out), "--db", db_url]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["features"]) >= 20 and all(f["properties"]["illustrative"] for f in doc["features"])
    doc["features"][0]["properties"]["hours"] = "09:00–17:00"
    doc["features"].append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [120.86, 29.99]},
                            "properties": {"name_zh": "新点", "name_en": "New", "category": "water"}})
    out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["import-pois", str(out), "--dry-run", "--db", db_url]) == 0
    text = capsys.readouterr().out
    assert "added 1, changed 1, unchanged" in text and "+ 新点 / New" in text and "'09:00–17:00'" in text
    assert main(["import-pois", str(out), "--db", db_url, "--lang", "zh"]) == 0
    assert "新增 1，修改 1" in capsys.readouterr().out
    assert len(open_store(db_url).list_pois()) == len(doc["features"])
    gpkg = tmp_path / "all.gpkg"
    assert main(["export-gpkg", str(gpkg), "--db", db_url]) == 0
    import geopandas as gpd
    import pyogrio

    assert sorted(name for name, _ in pyogrio.list_layers(gpkg)) == ["pois", "routes"]
    routes = gpd.read_file(gpkg, layer="routes")
    assert sorted(routes["slug"]) == ["caoe-riverside", "lianghu-loop", "tianxiang"]
    assert routes.crs.to_epsg() == 4326
    lengths_km = routes.set_index("slug").to_crs(32651).length / 1000
    assert 12 <= lengths_km["tianxiang"] <= 20 and 20 <= lengths_km["lianghu-loop"] <= 40
    assert len(gpd.read_file(gpkg, layer="pois")) == len(doc["features"])


def test_bad_poi_file_exits_nonzero(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", '
                   '"coordinates": [120.8, 95]}, "properties": {"name": "x", "category": "food"}}]}')
    n = len(open_store(db_url).list_pois())
    assert main(["import-pois", str(bad), "--db", db_url]) == 1
    assert "! #1: lat" in capsys.readouterr().out
    bad.write_text("{oops")
    assert main(["import-pois", str(bad), "--db", db_url]) == 2
    assert len(open_store(db_url).list_pois()) == n


def test_backup_and_restore(db_url: str, other_db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    store.add_user("admin1", "correct horse battery", "admin")
    zip_path = tmp_path / "backup.zip"
    assert main(["backup", str(zip_path), "--db", db_url]) == 0
    assert main(["restore", str(zip_path), "--db", other_db_url]) == 0
    restored = open_store(other_db_url).dump_canonical()
    restored["audit_log"] = restored["audit_log"][:-1]  # the restore's own audit entry
    assert restored == store.dump_canonical()


def test_users_commands_via_environment(db_url: str) -> None:
    """Run as a person would: a separate process, the database from GUIDE_DATABASE_URL, password on stdin."""
    env = {**os.environ, "GUIDE_DATABASE_URL": db_url}

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "routes", *args], cwd=ROOT, env=env, input=stdin,
                              capture_output=True, text=True, timeout=120)

    r = run("users", "add", "editor1", "--role", "editor", stdin="a long enough password\n")
    assert r.returncode == 0, r.stderr
    assert run("users", "add", "editor1", "--role", "editor", stdin="a long enough password\n").returncode == 2
    r = run("users", "add", "editor2", "--role", "editor", stdin="short\n")
    assert r.returncode == 2 and "password" in r.stderr
    assert run("users", "set-role", "editor1", "admin").returncode == 0
    r = run("users", "list")
    assert r.returncode == 0 and "editor1\tadmin\tactive" in r.stdout and "editor2" not in r.stdout
    store = open_store(db_url)
    assert store.verify_password("editor1", "a long enough password").role == "admin"
    assert len(store.list_routes()) == 3  # the first command also created and seeded the database
