"""Elevation from SRTM ``.hgt`` tiles in a folder: fill missing heights of a track, or replace them on request.

A tile is named after its south-west corner (``N29E120.hgt`` covers 29–30 N, 120–121 E) and holds big-endian int16
heights on an N × N grid, N = 1201 (3″) or 3601 (1″); row 0 is the north edge, and neighbouring tiles share their
edge rows and columns. −32768 marks a void. Samples are bilinear. 30.0 N, which crosses Lianghu, is exactly a tile
edge: a point on it is read from whichever of the two tiles is present.
"""

from __future__ import annotations

import dataclasses
import math
import os
from pathlib import Path

import numpy as np

from routes.core.model import Track

#: Environment variable naming the tile folder; the default is data/dem under the project root (empty by default).
DEM_DIR_ENV = "GUIDE_DEM_DIR"
DEFAULT_DEM_DIR = Path(__file__).resolve().parents[2] / "data" / "dem"
HGT_VOID = -32768
#: Tile sizes: 3 arc-second and 1 arc-second SRTM.
HGT_SIZES = (1201, 3601)
#: A bilinear sample is NaN when the void corners carry more than this share of its weight (the remaining corners
#: are renormalised otherwise, so a single void cell does not punch a hole four cells wide).
MAX_VOID_WEIGHT = 0.5


def default_dem_folder() -> Path:
    """The configured tile folder: $GUIDE_DEM_DIR, or data/dem."""
    env = os.environ.get(DEM_DIR_ENV, "").strip()
    return Path(env) if env else DEFAULT_DEM_DIR


def tile_name(lat_floor: int, lon_floor: int) -> str:
    """SRTM name of the tile whose south-west corner is (lat_floor, lon_floor), e.g. N29E120."""
    ns = "N" if lat_floor >= 0 else "S"
    ew = "E" if lon_floor >= 0 else "W"
    return f"{ns}{abs(lat_floor):02d}{ew}{abs(lon_floor):03d}"


class DemTiles:
    """The ``.hgt`` tiles of one folder, read on first use and kept for the life of this object."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_dem_folder()
        self._tiles: dict[tuple[int, int], np.ndarray | None] = {}
        self._files: dict[str, Path] = {}
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.suffix.lower() == ".hgt" and path.is_file():
                    self._files[path.stem.upper()] = path

    def __bool__(self) -> bool:
        return bool(self._files)

    def tile(self, lat_floor: int, lon_floor: int) -> np.ndarray | None:
        """The height grid of a tile (int16, row 0 north), or None when the folder has no such tile."""
        key = (lat_floor, lon_floor)
        if key not in self._tiles:
            path = self._files.get(tile_name(lat_floor, lon_floor))
            grid = None
            if path is not None:
                size = path.stat().st_size
                n = math.isqrt(size // 2)
                if n in HGT_SIZES and n * n * 2 == size:
                    grid = np.fromfile(path, dtype=">i2").reshape(n, n)
            self._tiles[key] = grid
        return self._tiles[key]

    def sample(self, lat: object, lon: object) -> np.ndarray:
        """Bilinear heights in metres at the given points; NaN where no tile covers a point or it falls in a void."""
        lat_a = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        out = np.full(lat_a.shape, np.nan)
        ok = np.isfinite(lat_a) & np.isfinite(lon_a)
        if not ok.any():
            return out
        lat_f = np.floor(lat_a[ok]).astype(np.int64)
        lon_f = np.floor(lon_a[ok]).astype(np.int64)
        idx = np.flatnonzero(ok)
        for la, lo in set(zip(lat_f.tolist(), lon_f.tolist(), strict=True)):
            sel = (lat_f == la) & (lon_f == lo)
            pts = idx[sel]
            out[pts] = self._sample_tile(la, lo, lat_a[pts], lon_a[pts])
        # On a shared edge the point also belongs to the tile below / to the left: use it if that one is present.
        retry = np.flatnonzero(ok & np.isnan(out))
        if len(retry):
            for d_lat, d_lon in ((1, 0), (0, 1), (1, 1)):
                on_edge = retry[
                    ((lat_a[retry] == np.floor(lat_a[retry])) | (d_lat == 0))
                    & ((lon_a[retry] == np.floor(lon_a[retry])) | (d_lon == 0))
                ]
                for p in on_edge:
                    if np.isnan(out[p]):
                        la = int(np.floor(lat_a[p])) - d_lat
                        lo = int(np.floor(lon_a[p])) - d_lon
                        out[p] = self._sample_tile(la, lo, lat_a[p : p + 1], lon_a[p : p + 1])[0]
        return out

    def _sample_tile(self, la: int, lo: int, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        grid = self.tile(la, lo)
        if grid is None:
            return np.full(len(lat), np.nan)
        n = grid.shape[0]
        row = (la + 1 - lat) * (n - 1)  # row 0 is the north edge
        col = (lon - lo) * (n - 1)
        r0 = np.clip(np.floor(row).astype(np.int64), 0, n - 2)
        c0 = np.clip(np.floor(col).astype(np.int64), 0, n - 2)
        fr = np.clip(row - r0, 0.0, 1.0)
        fc = np.clip(col - c0, 0.0, 1.0)
        corners = (
            (grid[r0, c0], (1 - fr) * (1 - fc)),
            (grid[r0, c0 + 1], (1 - fr) * fc),
            (grid[r0 + 1, c0], fr * (1 - fc)),
            (grid[r0 + 1, c0 + 1], fr * fc),
        )
        total = np.zeros(len(lat))
        weight = np.zeros(len(lat))
        void_weight = np.zeros(len(lat))
        for value, w in corners:
            void = value == HGT_VOID
            total += np.where(void, 0.0, value.astype(np.float64) * w)
            weight += np.where(void, 0.0, w)
            void_weight += np.where(void, w, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            result = total / weight
        return np.where((void_weight > MAX_VOID_WEIGHT) | (weight <= 0), np.nan, result)


def fill_elevation(
    track: Track, folder: str | Path | DemTiles | None = None, *, replace: bool = False
) -> Track:
    """A copy of the track with missing heights (all heights if ``replace``) taken from the DEM where it has them."""
    tiles = folder if isinstance(folder, DemTiles) else DemTiles(folder)
    if not track.n_points or not tiles:
        return track
    target = np.ones(track.n_points, dtype=bool) if replace else ~np.isfinite(track.ele_m)
    if not target.any():
        return track
    sampled = tiles.sample(track.lat[target], track.lon[target])
    ele = track.ele_m.copy()
    got = np.isfinite(sampled)
    if replace:
        ele[target] = sampled  # on request the DEM wins, even where it has nothing (no mixing of two datums)
    else:
        ele[np.flatnonzero(target)[got]] = sampled[got]
    filled = int(got.sum())
    note = (
        f"elevation replaced from the DEM at {filled} of {track.n_points} points"
        if replace
        else f"{filled} missing elevations filled from the DEM"
    )
    return dataclasses.replace(track, ele_m=ele, warnings=track.warnings + (note,))
