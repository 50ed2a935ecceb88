"""SRTM tiles: 3″ and 1″ sizes, bilinear sampling, voids, missing tiles, the 30.0 N tile edge, filling a track."""

from __future__ import annotations

import numpy as np
import pytest

from routes.analysis.summary import analyse
from routes.core.model import make_track
from routes.io.dem import DEM_DIR_ENV, HGT_VOID, DemTiles, default_dem_folder, fill_elevation


def plane(lat, lon):
    """The synthetic terrain: 3600 m per degree north and east from 29 N 120 E (integers on every grid node)."""
    return 3600.0 * (np.asarray(lat) - 29.0) + 3600.0 * (np.asarray(lon) - 120.0)


def write_tile(folder, lat_floor: int, lon_floor: int, n: int, voids=()) -> np.ndarray:
    """An .hgt tile of the plane: big-endian int16, row 0 at the north edge."""
    rows = np.arange(n)[:, None]
    cols = np.arange(n)[None, :]
    lat = lat_floor + 1 - rows / (n - 1)
    lon = lon_floor + cols / (n - 1)
    grid = np.rint(plane(lat, lon)).astype(">i2")
    for r, c in voids:
        grid[r, c] = HGT_VOID
    name = f"N{lat_floor:02d}E{lon_floor:03d}.hgt"
    (folder / name).write_bytes(grid.tobytes())
    return grid


@pytest.fixture
def tiles3(tmp_path):
    write_tile(tmp_path, 29, 120, 1201)  # 3″, the tile south of 30 N
    return tmp_path


def test_three_arc_second_tile_is_bilinear(tiles3):
    dem = DemTiles(tiles3)
    rng = np.random.default_rng(0)
    lat = rng.uniform(29.0, 30.0, 500)
    lon = rng.uniform(120.0, 121.0, 500)
    np.testing.assert_allclose(dem.sample(lat, lon), plane(lat, lon), atol=1e-6)


def test_bilinear_between_four_unequal_corners(tmp_path):
    n = 1201
    grid = np.zeros((n, n), dtype=">i2")
    grid[600, 600], grid[600, 601], grid[601, 600], grid[601, 601] = 10, 20, 30, 60
    (tmp_path / "N29E120.hgt").write_bytes(grid.tobytes())
    lat = 30.0 - 600.25 / 1200  # a quarter of the way down from row 600
    lon = 120.0 + 600.5 / 1200  # halfway from column 600 to 601
    # top edge 15, bottom edge 45, a quarter of the way: 22.5
    assert DemTiles(tmp_path).sample(lat, lon)[0] == pytest.approx(22.5)


def test_one_arc_second_tile(tmp_path):
    write_tile(tmp_path, 30, 120, 3601)  # 1″, north of 30 N
    lat = np.array([30.0001, 30.5, 30.99999])
    lon = np.array([120.00001, 120.33333, 120.9])
    np.testing.assert_allclose(DemTiles(tmp_path).sample(lat, lon), plane(lat, lon), atol=1e-6)


def test_tile_edge_at_30_north(tmp_path):
    # Only the southern tile: a point exactly on 30.0 N is read from its top row.
    write_tile(tmp_path, 29, 120, 1201)
    on_edge = DemTiles(tmp_path).sample([30.0, 30.0], [120.85, 120.0])
    np.testing.assert_allclose(on_edge, plane([30.0, 30.0], [120.85, 120.0]), atol=1e-6)
    assert np.isnan(DemTiles(tmp_path).sample(30.0001, 120.85)[0])  # north of the edge: no tile
    # With both tiles (3″ south, 1″ north), the surface is continuous across the edge.
    write_tile(tmp_path, 30, 120, 3601)
    dem = DemTiles(tmp_path)
    lat = np.array([29.99999, 30.0, 30.00001])
    np.testing.assert_allclose(dem.sample(lat, np.full(3, 120.85)), plane(lat, 120.85), atol=1e-6)


def test_only_the_northern_tile_serves_30_north(tmp_path):
    write_tile(tmp_path, 30, 120, 1201)
    assert DemTiles(tmp_path).sample(30.0, 120.85)[0] == pytest.approx(plane(30.0, 120.85))
    assert np.isnan(DemTiles(tmp_path).sample(29.9999, 120.85)[0])


def test_voids(tmp_path):
    write_tile(tmp_path, 29, 120, 1201, voids=[(600, 600)])
    dem = DemTiles(tmp_path)
    node_lat, node_lon = 30.0 - 600 / 1200, 120.0 + 600 / 1200
    assert np.isnan(dem.sample(node_lat, node_lon)[0])  # on the void
    # A quarter cell away the void carries < half the weight: the other corners are used, renormalised.
    near = dem.sample(node_lat - 0.25 / 1200, node_lon + 0.75 / 1200)[0]
    assert np.isfinite(near) and abs(near - plane(node_lat, node_lon)) < 6
    # Far from the void, untouched.
    assert dem.sample(29.2, 120.2)[0] == pytest.approx(plane(29.2, 120.2))


def test_missing_tiles_and_bad_files_give_nan(tmp_path):
    (tmp_path / "N29E121.hgt").write_bytes(b"\x00" * 1000)  # not a tile size
    (tmp_path / "readme.txt").write_text("not a tile")
    dem = DemTiles(tmp_path)
    assert bool(dem)
    out = dem.sample([29.5, 29.5, np.nan], [121.5, 119.5, 120.0])
    assert np.isnan(out).all()
    assert not DemTiles(tmp_path / "absent")


def test_fill_missing_and_replace(tiles3):
    lat = np.array([29.9, 29.91, 29.92])
    lon = np.array([120.8, 120.81, 120.82])
    tr = make_track(lat, lon, [5.0, np.nan, 7.0])
    filled = fill_elevation(tr, tiles3)
    assert filled.ele_m[0] == 5.0 and filled.ele_m[2] == 7.0
    assert filled.ele_m[1] == pytest.approx(plane(29.91, 120.81))
    assert any("DEM" in w for w in filled.warnings)
    replaced = fill_elevation(tr, tiles3, replace=True)
    np.testing.assert_allclose(replaced.ele_m, plane(lat, lon))
    assert np.isnan(tr.ele_m[1])  # the input is not modified
    assert fill_elevation(tr, tiles3 / "absent") is tr


def test_analyse_takes_heights_from_the_dem_when_the_file_has_none(tiles3):
    lat = np.linspace(29.90, 29.95, 600)
    tr = make_track(lat, np.full(600, 120.85))
    an = analyse(tr, dem_folder=tiles3)
    assert an.elevation_source == "dem"
    assert an.smoothing == "dem"
    # The plane rises 3600 m per degree of latitude: 0.05° → 180 m.
    assert an.ascent_m == pytest.approx(180.0, abs=0.5)
    assert analyse(tr, dem_folder=tiles3 / "absent").elevation_source is None


def test_folder_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(DEM_DIR_ENV, str(tmp_path))
    assert default_dem_folder() == tmp_path
    monkeypatch.delenv(DEM_DIR_ENV)
    assert default_dem_folder().parts[-2:] == ("data", "dem")
