"""The track data model: plain numpy arrays in SI units, shared by every other module."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

#: Sensor channels the reader keeps, by the name used in :attr:`Track.sensors`.
SENSOR_CHANNELS = ("hr_bpm", "cad_rpm", "power_w", "atemp_c")


@dataclass(frozen=True)
class Waypoint:
    """A named point: a GPX ``wpt``, a course marker or a POI drawn on a map."""

    lat: float
    lon: float
    name: str = ""
    ele_m: float = float("nan")
    time_s: float = float("nan")
    desc: str = ""
    sym: str = ""
    type: str = ""


@dataclass(frozen=True, eq=False)
class Track:
    """A recorded or planned line, possibly in several segments.

    All arrays have one entry per point. Missing values are NaN, never 0. ``time_s`` is seconds since the Unix
    epoch, UTC. ``segment_starts`` holds the index of each segment's first point (always starting with 0 when the
    track has points); no distance is counted across a segment boundary.
    """

    lat: np.ndarray
    lon: np.ndarray
    ele_m: np.ndarray
    time_s: np.ndarray
    segment_starts: np.ndarray
    name: str = ""
    desc: str = ""
    waypoints: tuple[Waypoint, ...] = ()
    sensors: Mapping[str, np.ndarray] = field(default_factory=dict)
    #: Where the points came from: "trk", "rte" or "" when the file holds none.
    source: str = ""
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.lat)
        for name in ("lon", "ele_m", "time_s"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"Track.{name} has {len(getattr(self, name))} values for {n} points")
        for name, values in self.sensors.items():
            if len(values) != n:
                raise ValueError(f"Track sensor {name} has {len(values)} values for {n} points")

    @property
    def n_points(self) -> int:
        return int(len(self.lat))

    @property
    def n_segments(self) -> int:
        return int(len(self.segment_starts))

    @property
    def has_time(self) -> bool:
        return bool(self.n_points and np.isfinite(self.time_s).any())

    @property
    def has_elevation(self) -> bool:
        return bool(self.n_points and np.isfinite(self.ele_m).any())

    def segment_ids(self) -> np.ndarray:
        """Segment number of every point."""
        ids = np.zeros(self.n_points, dtype=np.int64)
        if self.n_segments > 1:
            ids[self.segment_starts[1:]] = 1
            ids = np.cumsum(ids)
        return ids

    def equals(self, other: Track) -> bool:
        """Same points, values, names and waypoints (NaN equal to NaN)."""
        same_arrays = all(
            np.array_equal(getattr(self, a), getattr(other, a), equal_nan=True)
            for a in ("lat", "lon", "ele_m", "time_s", "segment_starts")
        )
        return same_arrays and self.name == other.name and self.waypoints == other.waypoints


def make_track(
    lat: object,
    lon: object,
    ele_m: object | None = None,
    time_s: object | None = None,
    *,
    segment_starts: object | None = None,
    name: str = "",
    waypoints: tuple[Waypoint, ...] = (),
    source: str = "trk",
) -> Track:
    """Build a Track from sequences; handy for tests and for code that computes lines."""
    lat_a = np.asarray(lat, dtype=np.float64)
    n = len(lat_a)
    nan = np.full(n, np.nan)
    return Track(
        lat=lat_a,
        lon=np.asarray(lon, dtype=np.float64),
        ele_m=nan.copy() if ele_m is None else np.asarray(ele_m, dtype=np.float64),
        time_s=nan.copy() if time_s is None else np.asarray(time_s, dtype=np.float64),
        segment_starts=np.asarray([0] if segment_starts is None and n else segment_starts or [], dtype=np.int64),
        name=name,
        waypoints=waypoints,
        source=source if n else "",
    )
