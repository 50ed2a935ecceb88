"""The illustrative seed content: where it is, what it looks like, and that the generator reproduces it exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from routes.core.geo import cumulative_distance_m, geodesic_m, step_distances_m
from routes.io.gpxio import read_gpx
from routes.store.records import POI_CATEGORIES

SEED = Path(__file__).resolve().parents[2] / "data" / "seed"
SLUGS = ("tianxiang", "caoe-riverside", "lianghu-loop")
LAT_BOX, LON_BOX = (29.95, 30.03), (120.80, 120.90)


@pytest.fixture(scope="module")
def tracks() -> dict:
    return {slug: read_gpx(SEED / f"{slug}.gpx") for slug in SLUGS}


@pytest.fixture(scope="module")
def pois() -> list[dict]:
    return json.loads((SEED / "pois.geojson").read_text(encoding="utf-8"))["features"]


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(SEED / "make_seed.py"), str(tmp_path)], check=True, capture_output=True)
    for name in [f"{s}.gpx" for s in SLUGS] + ["routes.json", "pois.geojson"]:
        assert (tmp_path / name).read_bytes() == (SEED / name).read_bytes(), name


def test_routes_are_in_the_area_and_flagged(tracks: dict) -> None:
    meta = json.loads((SEED / "routes.json").read_text(encoding="utf-8"))["routes"]
    for slug, t in tracks.items():
        assert LAT_BOX[0] <= t.lat.min() and t.lat.max() <= LAT_BOX[1], slug
        assert LON_BOX[0] <= t.lon.min() and t.lon.max() <= LON_BOX[1], slug
        assert "Illustrative" in t.desc and "示意" in t.desc
        assert meta[slug]["fields"]["illustrative"] is True and meta[slug]["fields"]["status"] == "published"


def test_lengths_and_shapes(tracks: dict) -> None:
    length_km = {s: cumulative_distance_m(t)[-1] / 1000 for s, t in tracks.items()}
    assert 12 <= length_km["tianxiang"] <= 20
    assert 20 <= length_km["lianghu-loop"] <= 40
    assert 5 <= length_km["caoe-riverside"]
    loop = tracks["lianghu-loop"]
    assert geodesic_m(loop.lat[0], loop.lon[0], loop.lat[-1], loop.lon[-1]) < 30  # a closed loop
    for slug, t in tracks.items():
        steps = step_distances_m(t.lat, t.lon)
        assert np.median(steps) == pytest.approx(18, abs=3) and steps.max() <= 30, slug  # dense like a real track


def test_lines_curve_like_roads(tracks: dict) -> None:
    """No straight chords between a few points: the heading changes gently from one step to the next."""
    for slug, t in tracks.items():
        y = np.radians(t.lat)
        x = np.radians(t.lon) * np.cos(y.mean())
        heading = np.degrees(np.arctan2(np.diff(y), np.diff(x)))
        turn = np.abs((np.diff(heading) + 180) % 360 - 180)
        assert np.percentile(turn, 95) < 15, slug  # smooth curves...
        assert turn.max() < 90, slug  # ...even through the hairpins
        steps = step_distances_m(t.lat, t.lon)
        # a line drawn point-to-point between a few places would show long runs of exactly collinear points
        straight = run = 0.0
        for s_m, turn_deg in zip(steps[1:], turn, strict=True):
            run = run + s_m if turn_deg < 0.02 else 0.0
            straight = max(straight, run)
        assert straight < 200, slug


def test_elevations(tracks: dict) -> None:
    tx, cr = tracks["tianxiang"], tracks["caoe-riverside"]
    assert 150 <= tx.ele_m.max() <= 300 and tx.ele_m.min() >= 20
    assert cr.ele_m.max() - cr.ele_m.min() < 10  # a flat greenway
    for slug, t in tracks.items():
        d = cumulative_distance_m(t)
        idx = np.searchsorted(d, d + 100)
        ok = idx < len(d)
        grade_pct = (t.ele_m[idx[ok]] - t.ele_m[ok]) / (d[idx[ok]] - d[ok]) * 100
        assert np.abs(grade_pct).max() < 12, slug  # rideable hill roads


def test_loop_has_a_categorised_climb(tracks: dict) -> None:
    climbs = pytest.importorskip("routes.analysis.summary").analyse(tracks["lianghu-loop"]).climbs
    assert any(c.category in ("4", "3", "2", "1", "HC") for c in climbs)
    best = max(climbs, key=lambda c: c.length_m * c.avg_grade_pct)
    assert best.length_m * best.avg_grade_pct > 8000  # Strava's Cat 4 threshold


def test_pois_cover_the_named_places(pois: list[dict], tracks: dict) -> None:
    assert len(pois) >= 20
    names = " ".join(f["properties"]["name_en"] for f in pois)
    for place in ("Jiangshan", "Nanxue", "tea-garden terraces", "Dongjiang Lake", "Bamboo-grove", "Cao'e",
                  "Panjiadou", "Rapeseed", "Wuhuashan", "Guliqiang", "Xinhuapu"):
        assert place in names, place
    cats = {f["properties"]["category"] for f in pois}
    assert {"water", "toilet", "repair", "parking", "food"} <= cats <= set(POI_CATEGORIES)
    assert len({f["id"] for f in pois}) == len(pois)
    for f in pois:
        p = f["properties"]
        assert p["illustrative"] is True
        assert any("\u4e00" <= ch <= "\u9fff" for ch in p["name_zh"] + p["desc_zh"]), f["id"]
        assert p["name_en"].isascii() and p["desc_en"].isascii() and p["desc_en"], f["id"]
        # a place with an outline keeps its marker in its properties (as the guide's own export does)
        lon, lat = f["geometry"]["coordinates"] if f["geometry"]["type"] == "Point" else (p["lon"], p["lat"])
        nearest_m = min(
            geodesic_m(np.full(t.n_points, lat), np.full(t.n_points, lon), t.lat, t.lon).min() for t in tracks.values()
        )
        if p["category"] in ("hospital", "clinic"):  # care is where it is, off the ride but a short drive away
            assert nearest_m <= 5000, f["id"]
        elif p["category"] != "lake":  # the lake's point is its middle; the road runs round its shore
            assert nearest_m <= 150, f["id"]
