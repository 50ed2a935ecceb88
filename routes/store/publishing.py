"""What a route needs before the public sees it: a length to ride (refused without one), elevation (warned), and a
place in the guide's region (a route that never enters it is refused unless the editor confirms it: see
routes.core.region)."""

from __future__ import annotations

from dataclasses import dataclass

#: A route shorter than this has nothing to ride or draw (repeated points, a TCX of one-point laps): it cannot be
#: published, and a stored one is shown as unavailable.
MIN_ROUTE_DISTANCE_M = 10.0


@dataclass(frozen=True)
class PublishCheck:
    distance_m: float
    has_elevation: bool
    #: Distance from the region's centre to the route's nearest point, and whether that is outside the region.
    from_centre_m: float = 0.0
    far: bool = False

    @property
    def warnings(self) -> tuple[str, ...]:
        """String keys of what the public will miss (a planned route without elevation gets distance-only figures)."""
        return () if self.has_elevation else ("route.no_elevation",)


def check_publishable(gpx: bytes, *, confirm_far: bool = False) -> PublishCheck:
    """Refuse (ValidationError ``no_distance``) a track without length, and (``far_from_region``) one that never
    enters the guide's region unless ``confirm_far``; report whether it has elevation and how far off it lies."""
    import numpy as np

    from routes.core.geo import track_length_m
    from routes.io.gpxio import read_gpx
    from routes.store.errors import ValidationError

    track = read_gpx(bytes(gpx))
    distance_m = float(track_length_m(track)) if track.n_points >= 2 else 0.0
    if not np.isfinite(distance_m) or distance_m < MIN_ROUTE_DISTANCE_M:
        raise ValidationError("no_distance", field="status", min_m=f"{MIN_ROUTE_DISTANCE_M:g}")
    place = place_check(track.lat, track.lon)
    if place.far and not confirm_far:
        raise ValidationError("far_from_region", field="status", distance_km=group_digits(place.distance_km),
                              radius_km=group_digits(place.radius_km))
    return PublishCheck(distance_m=distance_m, has_elevation=bool(track.has_elevation),
                        from_centre_m=place.from_centre_m, far=place.far)


@dataclass(frozen=True)
class PlaceCheck:
    """Where a line lies against the guide's region (routes.core.region)."""

    from_centre_m: float
    radius_m: float

    @property
    def far(self) -> bool:
        return self.from_centre_m > self.radius_m

    @property
    def distance_km(self) -> int:
        """Whole kilometres from the centre, as shown ("距中心 11 700 公里" needs no decimals)."""
        return round(self.from_centre_m / 1000.0)

    @property
    def radius_km(self) -> int:
        return round(self.radius_m / 1000.0)


def group_digits(value: int) -> str:
    """12345 → "12 345": a space between thousands reads the same in Chinese and English."""
    return f"{value:,}".replace(",", " ")


def place_check(lat, lon) -> PlaceCheck:  # noqa: ANN001 -- arrays or sequences of degrees
    """How far the line's nearest point lies from the region's centre, against the region's radius."""
    from routes.core.region import guide_region

    region = guide_region()
    return PlaceCheck(from_centre_m=region.distance_m(lat, lon), radius_m=region.radius_m)


def far_detail(gpx: bytes, confirm_far: bool) -> dict:
    """The audit detail that records a confirmed far route: ``{"confirm_far": {"distance_km": …}}``, else {}."""
    from routes.io.gpxio import read_gpx

    if not confirm_far:
        return {}
    track = read_gpx(bytes(gpx))
    place = place_check(track.lat, track.lon)
    return {"confirm_far": {"distance_km": place.distance_km}} if place.far else {}
