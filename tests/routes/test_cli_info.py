"""`python -m routes info`: the JSON contract of ARCHITECTURE.md, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

KEYS = {
    "name", "points", "segments", "waypoints", "distance_m", "ascent_m", "descent_m", "min_ele_m", "max_ele_m",
    "has_time", "duration_s", "moving_time_s", "bbox", "climbs", "warnings",
}  # fmt: skip


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "routes", *args], cwd=ROOT, capture_output=True, text=True)


def test_info_json_contract(tmp_path):
    path = tmp_path / "ride.gpx"
    path.write_text(
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>早骑</name><trkseg>'
        '<trkpt lat="30.0" lon="120.8"><ele>10</ele><time>2024-05-01T08:00:00Z</time></trkpt>'
        '<trkpt lat="30.01" lon="120.8"><ele>30</ele><time>2024-05-01T08:05:00Z</time></trkpt>'
        "</trkseg></trk></gpx>",
        encoding="utf-8",
    )
    res = run("info", str(path), "--json")
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert set(info) >= KEYS
    assert info["name"] == "早骑" and info["points"] == 2 and info["segments"] == 1 and info["waypoints"] == 0
    assert info["distance_m"] == pytest.approx(1109.0, abs=1.0)  # 0.01° of latitude at 30 N on the ellipsoid
    assert info["min_ele_m"] == 10 and info["max_ele_m"] == 30
    assert info["has_time"] is True and info["duration_s"] == 300
    assert info["bbox"] == [120.8, 30.0, 120.8, 30.01]
    text = run("info", str(path))
    assert text.returncode == 0 and "早骑" in text.stdout and "1.11 km" in text.stdout


def test_info_refuses_bad_file_with_one_line(tmp_path):
    path = tmp_path / "bad.gpx"
    path.write_text("<kml/>", encoding="utf-8")
    res = run("info", str(path), "--json")
    assert res.returncode != 0 and res.stdout == ""
    assert res.stderr.strip().count("\n") == 0 and "root element is <kml>" in res.stderr
    missing = run("info", str(tmp_path / "nope.gpx"))
    assert missing.returncode != 0 and "file not found" in missing.stderr


def test_info_json_for_every_corpus_file(corpus_dir):
    for path in sorted(corpus_dir.glob("*.gpx")):
        res = run("info", str(path), "--json")
        if path.name.endswith("_INVALID.gpx"):
            assert res.returncode != 0 and res.stderr.count("\n") == 1
            continue
        assert res.returncode == 0, (path.name, res.stderr)
        info = json.loads(res.stdout)
        assert set(info) >= KEYS, path.name
        for climb in info["climbs"]:
            assert climb["category"] in (None, "4", "3", "2", "1", "HC")


def test_all_zero_elevations_are_unknown_not_zero(corpus_dir):
    res = run("info", str(corpus_dir / "gpxpy__cerknicko-jezero-with-elevations-zero.gpx"), "--json")
    info = json.loads(res.stdout)
    assert info["min_ele_m"] is None and info["max_ele_m"] is None and info["ascent_m"] is None
    assert any("0" in w for w in info["warnings"])


def test_info_imports_neither_the_database_layer_nor_streamlit() -> None:
    """`info` on a big file starts fast: SQLAlchemy, Streamlit and the PDF libraries are loaded only by the commands
    that use them (issue 21: importing SQLAlchemy made info 0.52 -> 0.75 s on 100 000 points)."""
    code = (
        "import sys, contextlib, io\n"
        "from routes.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['info', {str(ROOT / 'data' / 'seed' / 'tianxiang.gpx')!r}]) == 0\n"
        "print(sorted(m for m in ('sqlalchemy', 'streamlit', 'reportlab', 'alembic', 'PIL') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
