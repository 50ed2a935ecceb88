"""Issue 24: a route that never enters the guide's region (a US ride uploaded as a Lianghu route) is published only
with the editor's explicit confirmation -- by the store itself, so no page, import or command bypasses it -- and the
confirmation is kept in the history; the catalogue map frames the region, not every route."""

from __future__ import annotations

import numpy as np
import pytest

from routes.core.model import make_track
from routes.core.region import DEFAULT_REGION_CENTRE, DEFAULT_REGION_RADIUS_KM, guide_region, haversine_m
from routes.io.gpxio import write_gpx
from routes.store import Store, ValidationError
from routes.store.publishing import check_publishable, place_check
from routes.views.editing import describe_detail, far_label, gpx_place, prepare_upload

#: A 2 km ride north from Seattle's Pike Place (47.6097 N, 122.3422 W).
US_LAT, US_LON = 47.6097, -122.3422


def us_gpx() -> bytes:
    lat = US_LAT + np.linspace(0.0, 0.018, 40)
    return write_gpx(make_track(lat, np.full(40, US_LON), np.full(40, 20.0), name="Seattle"), name="Seattle")


def shangyu_gpx(lat0: float = 30.02, lon0: float = 120.87) -> bytes:
    lat = lat0 + np.linspace(0.0, 0.018, 40)
    return write_gpx(make_track(lat, np.full(40, lon0), np.full(40, 10.0), name="Shangyu"), name="Shangyu")


def test_distance_from_the_centre_is_the_nearest_point(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("GUIDE_REGION_CENTRE", raising=False)
    monkeypatch.delenv("GUIDE_REGION_RADIUS_KM", raising=False)
    region = guide_region()
    assert (region.lat, region.lon) == DEFAULT_REGION_CENTRE and region.radius_m == DEFAULT_REGION_RADIUS_KM * 1000
    # 0.1° of latitude is 11.12 km on the mean sphere; the nearest of two points counts
    assert region.distance_m([region.lat + 0.3, region.lat + 0.1], [region.lon] * 2) == pytest.approx(11_119.5, abs=1)
    # Shaoxing city (30.00 N, 120.58 E) is inside, Hangzhou (30.25 N, 120.17 E) outside, Seattle 9 332 km away
    assert region.contains([30.00], [120.58]) and not region.contains([30.25], [120.17])
    place = place_check([US_LAT], [US_LON])
    assert place.far and 9_300 <= place.distance_km <= 9_400 and place.radius_km == 60
    # the haversine agrees with the ellipsoid (pyproj) to half a percent over such distances
    from routes.core.geo import geodesic_m

    exact = float(geodesic_m(region.lat, region.lon, US_LAT, US_LON))
    assert float(haversine_m(region.lat, region.lon, np.array([US_LAT]), np.array([US_LON]))[0]) == pytest.approx(
        exact, rel=0.005)


def test_the_region_is_configured_by_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GUIDE_REGION_CENTRE", f"{US_LAT},{US_LON}")
    monkeypatch.setenv("GUIDE_REGION_RADIUS_KM", "25")
    assert not place_check([US_LAT + 0.01], [US_LON]).far
    assert place_check([30.0], [120.85]).far
    assert guide_region().radius_m == 25_000
    # an unreadable setting falls back to the default instead of taking the guide down
    monkeypatch.setenv("GUIDE_REGION_CENTRE", "Shangyu")
    monkeypatch.setenv("GUIDE_REGION_RADIUS_KM", "-3")
    assert guide_region() == type(guide_region())(*DEFAULT_REGION_CENTRE, DEFAULT_REGION_RADIUS_KM * 1000)


def test_publish_check_refuses_a_far_line_unless_confirmed():
    with pytest.raises(ValidationError) as err:
        check_publishable(us_gpx())
    assert err.value.key == "far_from_region" and err.value.field == "status"
    zh = err.value.message("zh")
    assert "上虞两湖一带" in zh and "距中心 9 3" in zh and "60 公里" in zh
    assert "km from the centre" in err.value.message("en")
    ok = check_publishable(us_gpx(), confirm_far=True)
    assert ok.far and ok.from_centre_m > 9_000_000
    near = check_publishable(shangyu_gpx())
    assert not near.far and near.from_centre_m < 5_000


def test_store_refuses_publishing_far_routes_on_every_path(store: Store):
    far, near = us_gpx(), shangyu_gpx()
    fields = {"name_zh": "西雅图", "name_en": "Seattle", "status": "published"}
    with pytest.raises(ValidationError, match="not in the Lianghu area"):
        store.create_route("seattle", gpx=far, filename="seattle.gpx", fields=fields, user="ed")
    assert store.get_route("seattle") is None  # nothing written

    info = store.create_route("seattle", gpx=far, filename="seattle.gpx", fields={**fields, "status": "draft"},
                              user="ed")
    with pytest.raises(ValidationError) as err:
        store.set_route_status("seattle", "published", user="ed", expected_version=info.version)
    assert err.value.key == "far_from_region"
    assert store.get_route("seattle").status == "draft" and store.get_route("seattle").version == info.version

    done = store.set_route_status("seattle", "published", user="ed", expected_version=info.version, confirm_far=True)
    assert done.status == "published"
    entry = store.audit_log(limit=1, target="route:seattle")[0]
    assert entry.action == "route.update"
    km = entry.detail["confirm_far"]["distance_km"]
    assert 9_300 <= km <= 9_400
    assert f"距中心 {km:,}".replace(",", " ") in describe_detail(entry.action, entry.detail, "zh")
    assert "状态" in describe_detail(entry.action, entry.detail, "zh")  # the change itself is still described

    # a published route in the region cannot be swapped for a far track without confirming either
    tx = store.get_route("tianxiang")
    with pytest.raises(ValidationError, match="not in the Lianghu area"):
        store.add_route_revision("tianxiang", far, filename="us.gpx", user="ed", expected_version=tx.version)
    assert store.get_route("tianxiang").version == tx.version
    new = store.add_route_revision("tianxiang", far, filename="us.gpx", user="ed", expected_version=tx.version,
                                   confirm_far=True)
    assert store.audit_log(limit=1, target="route:tianxiang")[0].detail["confirm_far"]["distance_km"] == km
    # ... nor restored to one (back to the region first, then the far revision again)
    first = store.route_revisions("tianxiang")[0]
    back = store.restore_route_revision("tianxiang", first.id, user="ed", expected_version=new.version)
    far_rev = store.route_revisions("tianxiang")[-2]
    with pytest.raises(ValidationError, match="not in the Lianghu area"):
        store.restore_route_revision("tianxiang", far_rev.id, user="ed", expected_version=back.version)
    # a route in the region needs no confirmation and records none
    plain = store.create_route("shangyu-north", gpx=near, filename="n.gpx", fields={**fields, "name_en": "N"},
                               user="ed", confirm_far=True)
    assert plain.status == "published"
    assert "confirm_far" not in store.audit_log(limit=1, target="route:shangyu-north")[0].detail


def test_upload_and_stored_route_carry_their_place():
    prep = prepare_upload(us_gpx(), "seattle.gpx")
    assert prep.place is not None and prep.place.far
    label = far_label("ed.place.confirm", prep.place, "zh")
    assert label.startswith("此路线不在上虞两湖一带（距中心 9 3") and label.endswith("），仍要发布")
    assert far_label("ed.place.confirm", prep.place, "en").endswith("publish it anyway")
    assert not prepare_upload(shangyu_gpx(), "n.gpx").place.far
    assert gpx_place(us_gpx()).far and not gpx_place(shangyu_gpx()).far
    assert gpx_place(b"<not a gpx") is None


def _fitted_bounds(m) -> list[list[float]]:  # noqa: ANN001
    from folium.map import FitBounds

    fits = [c for c in m._children.values() if isinstance(c, FitBounds)]
    assert len(fits) == 1
    return fits[0].bounds


def test_catalogue_map_frames_the_region_not_a_far_route():
    from routes.views.maps import MapLine, build_map

    region = guide_region()
    near_lat, near_lon = np.array([29.96, 30.02]), np.array([120.80, 120.89])
    far = MapLine("us", "Seattle", np.array([US_LAT, US_LAT + 0.02]), np.array([US_LON, US_LON]))
    near = MapLine("tx", "Tianxiang", near_lat, near_lon)
    (south, west), (north, east) = _fitted_bounds(build_map(lang="zh", lines=[near, far], region=region))
    assert (south, west, north, east) == (29.96, 120.80, 30.02, 120.89)
    # without a region every line is framed (the route page and the editor's preview keep doing that)
    (south, west), (north, east) = _fitted_bounds(build_map(lang="zh", lines=[near, far]))
    assert west == US_LON and north == pytest.approx(US_LAT + 0.02)
    # nothing in the region yet: the map opens on the region itself (±0.54° of latitude for 60 km)
    (south, west), (north, east) = _fitted_bounds(build_map(lang="zh", lines=[far], region=region))
    assert (south + north) / 2 == pytest.approx(region.lat) and north - south == pytest.approx(1.079, abs=0.001)
