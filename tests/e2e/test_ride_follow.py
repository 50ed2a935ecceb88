"""Follow me on the light route page (issue 22), on a phone in real Chromium: positions set with the browser's own
geolocation (WGS-84, as a phone gives them), computed from the seed routes' GPX; every foreign host blocked."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest
from harness import PHONE, ROOT, open_context

pytestmark = pytest.mark.e2e

SEED = ROOT / "data" / "seed"
RIDE_JS = ROOT / "static" / "light" / "ride.js"
#: Metres per degree of latitude, for offsets of a few hundred metres (errors well under a metre).
M_PER_DEG = 111_320.0
#: What a phone outdoors reports as its accuracy (metres).
FIX_ACCURACY_M = 8
#: The issue's tolerance on the km shown, and the sideways step of the off-route check.
KM_TOLERANCE = 0.3
OFF_ROUTE_STEP_M = 400
#: Spacing of the positions fed along a lap: a rider's fixes come every few metres; the matcher allows 500 m ahead.
LAP_FEED_STEP_M = 400
#: Counts the page's calls to the geolocation API and the fixes it delivers, before any page script runs.
GEO_SPY = """
window.__geo = {watch: 0, get: 0, clear: 0, fixes: 0};
(function () {
  var P = Geolocation.prototype, watch = P.watchPosition, get = P.getCurrentPosition, clear = P.clearWatch;
  P.watchPosition = function (ok, fail, opts) {
    window.__geo.watch++;
    return watch.call(this, function (pos) { window.__geo.fixes++; ok(pos); }, fail, opts);
  };
  P.getCurrentPosition = function () { window.__geo.get++; return get.apply(this, arguments); };
  P.clearWatch = function () { window.__geo.clear++; return clear.apply(this, arguments); };
})();
"""


def _line(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from routes.core.geo import cumulative_distance_m
    from routes.io.gpxio import read_gpx

    track = read_gpx((SEED / f"{name}.gpx").read_bytes())
    return track.lat, track.lon, cumulative_distance_m(track)


def _at(line, metres: float) -> tuple[float, float]:
    lat, lon, d = line
    return float(np.interp(metres, d, lat)), float(np.interp(metres, d, lon))


def _distance_to_line_m(line, lat0: float, lon0: float) -> float:
    """Distance from a point to the polyline (flat frame around the point)."""
    lat, lon, _ = line
    k = math.cos(math.radians(lat0)) * M_PER_DEG
    x, y = (lon - lon0) * k, (lat - lat0) * M_PER_DEG
    ex, ey = np.diff(x), np.diff(y)
    len2 = np.maximum(ex * ex + ey * ey, 1e-12)
    f = np.clip(-(x[:-1] * ex + y[:-1] * ey) / len2, 0, 1)
    return float(np.min(np.hypot(x[:-1] + f * ex, y[:-1] + f * ey)))


def _sideways(line, metres: float, offset_m: float) -> tuple[float, float, float]:
    """The point ``offset_m`` to the side of the line at ``metres`` (perpendicular to the local direction), on the
    side away from the rest of the line; and its true distance to the line."""
    a, b = _at(line, metres - 30), _at(line, metres + 30)
    lat0, lon0 = _at(line, metres)
    k = math.cos(math.radians(lat0)) * M_PER_DEG
    dx, dy = (b[1] - a[1]) * k, (b[0] - a[0]) * M_PER_DEG
    norm = math.hypot(dx, dy)
    best = None
    for side in (1, -1):
        nx, ny = -dy / norm * side, dx / norm * side
        p = (lat0 + ny * offset_m / M_PER_DEG, lon0 + nx * offset_m / k)
        gap = _distance_to_line_m(line, *p)
        if best is None or gap > best[2]:
            best = (p[0], p[1], gap)
    return best


@pytest.fixture
def rider(chromium):
    """A phone with touch that has allowed this site its position; the position starts at the Tianxiang start."""
    start = _at(_line("tianxiang"), 0)
    ctx, traffic = open_context(
        chromium, PHONE, has_touch=True, is_mobile=True, permissions=["geolocation"],
        geolocation={"latitude": start[0], "longitude": start[1], "accuracy": FIX_ACCURACY_M},
    )
    ctx.add_init_script(GEO_SPY)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url + " " + (r.post_data or "")))
    yield page, ctx, errors, requests, traffic
    ctx.close()


def _open(page, url: str) -> None:
    page.goto(url)
    page.locator(".viewer-map path.route-line").first.wait_for(state="attached")
    page.locator("#ride-start").wait_for(state="visible")


def _fix(page, ctx, lat: float, lon: float) -> dict:
    """Set the phone's position, wait until the page has taken the fix, and read the panel's figures."""
    seen = page.evaluate("() => window.__geo.fixes")
    ctx.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": FIX_ACCURACY_M})
    page.wait_for_function("(n) => window.__geo.fixes > n", arg=seen, timeout=10_000)
    panel = page.locator("#ride-position")
    return {
        "km": float(panel.get_attribute("data-km")),
        "to_go": float(panel.get_attribute("data-km-to-go")),
        "off_m": float(panel.get_attribute("data-off-route-m")),
    }


def _tap_start(page) -> None:
    page.locator("#ride-start").scroll_into_view_if_needed()
    page.tap("#ride-start")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_position_along_the_line_shows_km_ridden_and_to_go_and_off_route_distance(guide_server, rider, lang):
    page, ctx, errors, requests, traffic = rider
    line = _line("tianxiang")
    total = float(line[2][-1])
    _open(page, f"{guide_server.url}/r/tianxiang" + ("?lang=en" if lang == "en" else ""))
    _tap_start(page)
    page.wait_for_function("() => window.__geo.fixes > 0", timeout=10_000)
    start_of_ride = len(requests)
    truth = 0.4 * total
    shown = _fix(page, ctx, *_at(line, truth))
    assert abs(shown["km"] - truth / 1000) <= KM_TOLERANCE, (shown, truth)
    assert abs(shown["to_go"] - (total - truth) / 1000) <= KM_TOLERANCE, (shown, total - truth)
    # On the line: the phone's WGS-84 fix lands on the drawn line (on the Chinese page, only once it is converted to
    # the Amap basemap's GCJ-02, ≈490 m away here).
    assert shown["off_m"] < 30, shown
    panel = page.locator("#ride-position")
    assert panel.is_visible()
    text = panel.inner_text()
    assert ("已骑" if lang == "zh" else "Ridden") in text
    assert ("补水点" if lang == "zh" else "Water") in text and ("爬坡" if lang == "zh" else "climb") in text
    assert page.locator(".viewer-map path.ride-dot").count() == 1
    assert page.locator(".viewer-map path.ride-accuracy").count() == 1
    assert page.locator("svg.elevation-profile .ride-cursor-dot").get_attribute("visibility") == "visible"
    x_pct = float(page.locator("svg.elevation-profile line.ride-cursor").get_attribute("x1").rstrip("%"))
    assert abs(x_pct - 40) < 2  # the rider's place on the profile

    # 400 m to the side: the distance off the route is said, with a dashed line back to it.
    lat, lon, gap = _sideways(line, truth, OFF_ROUTE_STEP_M)
    assert gap > 300  # the test's own check: no other part of the line is nearer
    off = _fix(page, ctx, lat, lon)
    assert 250 <= off["off_m"] <= 550, (off, gap)
    assert page.locator(".viewer-map path.ride-back").count() == 1
    assert str(round(off["off_m"])) in page.locator('#ride-position [data-f="off"]').inner_text()

    # The position never left the phone: no request after the tap names it (tiles are numbered, not placed).
    after = requests[start_of_ride:]
    for value in (lat, lon, *_at(line, truth)):
        assert not [r for r in after if f"{value:.3f}" in r], value
    assert errors == [] and traffic.foreign_non_tile() == []


@pytest.fixture(scope="module")
def two_laps(guide_server) -> Iterator[float]:
    """A route that rides the Lianghu loop twice (the same roads, twice), published while this module runs (the
    other modules on the shared server count the published routes); the length of one lap (m)."""
    from routes.core.model import make_track
    from routes.io.gpxio import read_gpx, write_gpx
    from routes.store import open_store

    lap = read_gpx((SEED / "lianghu-loop.gpx").read_bytes())
    lat = np.concatenate([lap.lat, lap.lat[1:]])
    lon = np.concatenate([lap.lon, lap.lon[1:]])
    ele = np.concatenate([lap.ele_m, lap.ele_m[1:]])
    store = open_store(guide_server.db_url)
    info = store.get_route("e2e-two-laps")
    if info is None:
        info = store.create_route(
            "e2e-two-laps", gpx=write_gpx(make_track(lat, lon, ele), name="Two laps"), filename="two-laps.gpx",
            user="e2e", fields={"name_zh": "两湖环线两圈", "name_en": "Lianghu loop, twice", "status": "published"},
        )
    elif info.status != "published":
        info = store.set_route_status(info.slug, "published", user="e2e", expected_version=info.version)
    yield float(_line("lianghu-loop")[2][-1])
    store.set_route_status(info.slug, "draft", user="e2e", expected_version=info.version)


def test_the_second_lap_of_a_loop_shows_the_second_laps_km(guide_server, rider, two_laps):
    page, ctx, errors, _, _ = rider
    loop = _line("lianghu-loop")
    lap = two_laps
    ctx.set_geolocation({"latitude": float(loop[0][0]), "longitude": float(loop[1][0]), "accuracy": FIX_ACCURACY_M})
    _open(page, f"{guide_server.url}/r/e2e-two-laps")
    _tap_start(page)
    page.wait_for_function("() => window.__geo.fixes > 0", timeout=10_000)
    # The first fix is at the loop's start, which is also its middle and its finish: the earliest passage counts.
    assert float(page.locator("#ride-position").get_attribute("data-km")) < KM_TOLERANCE
    seen = []
    for metres in np.arange(LAP_FEED_STEP_M, lap + 3000, LAP_FEED_STEP_M):
        shown = _fix(page, ctx, *_at(loop, metres % lap))
        seen.append((metres, shown["km"]))
    for metres, km in seen:
        assert abs(km - metres / 1000) <= KM_TOLERANCE, (metres, km)
    assert seen[-1][1] > lap / 1000  # on the second lap, the second lap's km
    assert errors == []


def test_no_position_is_asked_before_the_tap_and_following_stops_and_resumes(guide_server, rider):
    page, ctx, errors, _, _ = rider
    _open(page, f"{guide_server.url}/r/tianxiang?lang=en")
    page.wait_for_timeout(800)  # time for any late script to ask
    assert page.evaluate("() => window.__geo") == {"watch": 0, "get": 0, "clear": 0, "fixes": 0}
    assert page.locator("#ride-position").is_hidden()
    assert page.locator("#ride-start").get_attribute("aria-pressed") == "false"
    assert "never sent" in page.locator(".ride-note").inner_text()
    _tap_start(page)
    page.wait_for_function("() => window.__geo.fixes > 0", timeout=10_000)
    assert page.evaluate("() => window.__geo.watch") == 1
    assert page.locator("#ride-start").get_attribute("aria-pressed") == "true"
    assert page.locator("#ride-position").get_attribute("data-km") is not None
    # The page hidden (another app in front): following stops; shown again: it resumes.
    set_visibility = """(state) => { Object.defineProperty(document, 'visibilityState', {configurable: true,
        get: () => state}); document.dispatchEvent(new Event('visibilitychange')); }"""
    page.evaluate(set_visibility, "hidden")
    assert page.evaluate("() => window.__geo.clear") == 1
    page.evaluate(set_visibility, "visible")
    assert page.evaluate("() => window.__geo.watch") == 2
    # A second tap stops following and hides the rider.
    _tap_start(page)
    page.wait_for_function("() => window.__geo.clear === 2", timeout=5_000)
    assert page.locator("#ride-start").get_attribute("aria-pressed") == "false"
    assert page.locator("#ride-position").is_hidden()
    assert page.locator(".viewer-map path.ride-dot").count() == 0
    assert errors == []


def test_the_page_converts_wgs84_to_gcj02_exactly_as_the_server_does(chromium):
    from routes.io.chinacoords import wgs84_to_gcj02

    points = [
        (29.98, 120.84),  # Lianghu
        (39.9042, 116.4074),  # Beijing
        (43.8256, 87.6168),  # Ürümqi: far west, large x
        (45.75, 126.65),  # Harbin
        (18.25, 109.51),  # Sanya
        (48.8566, 2.3522),  # Paris: outside China, unchanged
        (-33.86, 151.21),  # Sydney: outside, unchanged
    ]
    ctx, _ = open_context(chromium, PHONE)
    try:
        page = ctx.new_page()
        page.set_content("<!doctype html><title>t</title>")
        page.add_script_tag(path=str(RIDE_JS))
        got = page.evaluate("(pts) => pts.map(p => window.TianxiangRide.wgs84ToGcj02(p[0], p[1]))", points)
    finally:
        ctx.close()
    for (lat, lon), (jlat, jlon) in zip(points, got, strict=True):
        plat, plon = wgs84_to_gcj02(lat, lon)
        assert abs(jlat - plat) < 1e-10 and abs(jlon - plon) < 1e-10, ((lat, lon), (jlat, jlon), (plat, plon))
    assert got[0] != list(points[0]) and got[5] == list(points[5])


def test_the_matcher_keeps_to_the_lap_being_ridden(chromium):
    """The page's own matcher on a square loop of 4 km ridden twice (the finish is not the start, the second lap is
    not the first, a fix a little behind does not step back, a far detour does not move the last match) and on an
    out-and-back road (after the turn, the way back)."""
    ctx, _ = open_context(chromium, PHONE)
    try:
        page = ctx.new_page()
        page.set_content("<!doctype html><title>t</title>")
        page.add_script_tag(path=str(RIDE_JS))
        got = page.evaluate(
            """() => {
              const deg = 1000 / 111320, sq = [[0, 0], [deg, 0], [deg, deg], [0, deg]];
              const lat = [], lon = [], d = [];
              for (let i = 0; i <= 8; i++) { const p = sq[i % 4]; lat.push(p[0]); lon.push(p[1]); d.push(i * 1000); }
              const m = new window.TianxiangRide.Matcher(lat, lon, d), t0 = 1e6, out = [];
              const at = (i) => { const s = (i % 4000) / 1000, k = Math.floor(s), f = s - k,
                a = sq[k % 4], b = sq[(k + 1) % 4]; return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])]; };
              out.push(m.match(0, 0, t0).along);                       // first fix at start = finish: 0
              for (let x = 300; x <= 5200; x += 300) out.push(m.match(...at(x), t0 + x * 10).along);
              out.push(m.match(...at(5070), t0 + 60000).along);          // 30 m behind: keeps 5100
              m.match(-1100 / 111320, 0.5 * deg, t0 + 61000);  // 1.1 km south: nearest passages at 3500 and 7500
              out.push(m.match(...at(5700), t0 + 62000).along);  // back on the line: on from 5100, not from 3500
              // Out 1 km north and back on the same road: after the turn, the way back, though the way out is
              // nearer to the last match along the line.
              const back = new window.TianxiangRide.Matcher([0, deg, 0], [0, 0, 0], [0, 1000, 2000]);
              for (const x of [300, 600, 900]) back.match(x / 111320, 0, t0 + x * 10);
              out.push(back.match(800 / 111320, 0, t0 + 12000).along);
              return out; }"""
        )
    finally:
        ctx.close()
    assert got[0] == 0
    expected = list(range(300, 5101, 300))
    assert [round(v) for v in got[1:1 + len(expected)]] == expected
    assert round(got[-3]) == 5100 and round(got[-2]) == 5700
    assert round(got[-1]) == 1200
