"""What a route needs before the public sees it: a length to ride (refused without one), elevation (warned)."""

from __future__ import annotations

from dataclasses import dataclass

#: A route shorter than this has nothing to ride or draw (repeated points, a TCX of one-point laps): it cannot be
#: published, and a stored one is shown as unavailable.
MIN_ROUTE_DISTANCE_M = 10.0


@dataclass(frozen=True)
class PublishCheck:
    distance_m: float
    has_elevation: bool

    @property
    def warnings(self) -> tuple[str, ...]:
        """String keys of what the public will miss (a planned route without elevation gets distance-only figures)."""
        return () if self.has_elevation else ("route.no_elevation",)


def check_publishable(gpx: bytes) -> PublishCheck:
    """Refuse (ValidationError ``no_distance``) a track without length; report whether it has elevation."""
    import numpy as np

    from routes.core.geo import track_length_m
    from routes.io.gpxio import read_gpx
    from routes.store.errors import ValidationError

    track = read_gpx(bytes(gpx))
    distance_m = float(track_length_m(track)) if track.n_points >= 2 else 0.0
    if not np.isfinite(distance_m) or distance_m < MIN_ROUTE_DISTANCE_M:
        raise ValidationError("no_distance", field="status", min_m=f"{MIN_ROUTE_DISTANCE_M:g}")
    return PublishCheck(distance_m=distance_m, has_elevation=bool(track.has_elevation))
