"""Plausibility limits: absurd points are dropped and said, mostly absurd files refused in one line, memory bounded."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from routes.analysis.elevation import resample
from routes.analysis.summary import analyse
from routes.analysis.timing import estimate_ride
from routes.core.errors import GpxError
from routes.core.geo import track_length_m
from routes.core.limits import GRID_MAX_SAMPLES
from routes.core.model import make_track
from routes.io.fileio import read_track_file
from routes.io.gpxio import read_gpx, write_gpx
from routes.io.plausible import MAX_ROUTE_LENGTH_M, plausible_track

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "seed" / "tianxiang.gpx"
HEAD = '<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
TAIL = "</trkseg></trk></gpx>"
#: Address space the CLI may use on a hostile file (issue 21: under 1.5 GB).
CLI_ADDRESS_SPACE_BYTES = 1536 * 1024 * 1024


def _gpx(points: list[tuple[float, float]], extra: str = "") -> bytes:
    body = "".join(f'<trkpt lat="{lat}" lon="{lon}">{extra}</trkpt>' for lat, lon in points)
    return (HEAD + body + TAIL).encode()


def _pole_to_pole(n: int) -> bytes:
    """The attacker's file: n points zig-zagging between the poles, 20 000 km a step."""
    return _gpx([(89.0 if i % 2 else -89.0, (i * 7) % 360 - 180) for i in range(n)])


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CLI_ADDRESS_SPACE_BYTES, CLI_ADDRESS_SPACE_BYTES))

    return subprocess.run([sys.executable, "-m", "routes", *args], cwd=ROOT, capture_output=True, text=True,
                          preexec_fn=limit, timeout=120)


@pytest.mark.parametrize("n", [30, 100, 2000])
def test_pole_to_pole_zigzag_is_refused_in_one_line(n: int) -> None:
    with pytest.raises(GpxError) as err:
        read_gpx(_pole_to_pole(n))
    assert err.value.key == "implausible"
    assert err.value.params == {"dropped": n // 2, "total": n}  # the south-pole half is within 500 km of itself
    assert "不可能是一次骑行" in err.value.message("zh")


def test_pole_to_pole_through_the_cli_is_one_line_within_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "poles.gpx"
    path.write_bytes(_pole_to_pole(2000))
    done = _run_cli("info", str(path), "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "error: refused: 1000 of 2000 points lie impossibly far from the rest of the track; most of the file is not a ride"
    ]


def test_one_bad_fix_is_dropped_and_said() -> None:
    clean = read_gpx(SEED)
    lat, lon = list(clean.lat), list(clean.lon)
    lat.insert(300, 0.5)  # a receiver's "no fix yet" near (0, 0), 13 000 km from Shaoxing
    lon.insert(300, 0.5)
    broken = read_gpx(_gpx(list(zip(lat, lon, strict=True))))
    assert broken.n_points == clean.n_points
    assert "1 points too far from the rest of the track were dropped" in broken.warnings
    assert track_length_m(broken) == pytest.approx(track_length_m(clean), abs=0.01)


def test_a_bad_first_fix_is_dropped_too() -> None:
    clean = read_gpx(SEED)
    points = [(-33.9, 18.4)] + list(zip(clean.lat, clean.lon, strict=True))
    broken = read_gpx(_gpx(points))
    assert broken.n_points == clean.n_points
    assert broken.lat[0] == clean.lat[0]


def test_a_gps_spike_out_and_back_is_dropped_but_a_real_jump_is_kept() -> None:
    t = np.arange(200, dtype=float) + 1.7e9
    lat = 30.0 + np.arange(200) * 5e-5  # 5.5 m a second
    lon = np.full(200, 120.85)
    spiked = lat.copy()
    spiked[100] += 0.05  # 5.5 km away for one second, then back
    kept = plausible_track(make_track(spiked, lon, time_s=t))
    assert kept.n_points == 199 and 100 not in np.flatnonzero(kept.lat > 30.04)
    jumped = lat.copy()
    jumped[100:] += 0.05  # the receiver re-acquires 5.5 km further on and stays there: nothing is dropped
    assert plausible_track(make_track(jumped, lon, time_s=t)).n_points == 200


def test_absurd_elevation_is_ignored_and_the_figures_stay_sane() -> None:
    clean = read_gpx(SEED)
    text = SEED.read_text(encoding="utf-8")
    first = text.index("<ele>") + len("<ele>")
    data = (text[:first] + "1e300" + text[text.index("</ele>", first):]).encode()
    track = read_gpx(data)
    assert "1 elevations outside -500 to 9000 m were ignored" in track.warnings
    assert np.isnan(track.ele_m[0]) and np.nanmax(track.ele_m) == np.nanmax(clean.ele_m)
    a, b = analyse(track), analyse(clean)
    assert a.ascent_m == pytest.approx(b.ascent_m, abs=2.0)
    assert a.max_ele_m == pytest.approx(b.max_ele_m, abs=0.5)


def test_absurd_dates_are_ignored_and_give_no_duration() -> None:
    data = (HEAD + '<trkpt lat="30.0" lon="120.85"><time>0001-01-01T00:00:00Z</time></trkpt>'
            '<trkpt lat="30.001" lon="120.851"><time>9999-12-31T23:59:59Z</time></trkpt>' + TAIL).encode()
    track = read_gpx(data)
    assert "2 times outside a credible date range were ignored" in track.warnings
    assert not track.has_time
    assert analyse(track).duration_s is None


def test_absurd_values_through_the_cli_give_sensible_figures(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    first = text.index("<ele>") + len("<ele>")
    path = tmp_path / "odd.gpx"
    path.write_text(text[:first] + "1e300" + text[text.index("</ele>", first):], encoding="utf-8")
    done = _run_cli("info", str(path), "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert -500 <= info["min_ele_m"] <= info["max_ele_m"] <= 9000
    assert 0 <= info["ascent_m"] < 1000
    assert "1 elevations outside -500 to 9000 m were ignored" in info["warnings"]


def test_a_line_longer_than_any_route_is_refused() -> None:
    # 8 legs of 450 km (each under the step limit) make 3 600 km: more than the longest credible route.
    points = [(20.0 + (i % 2) * 4.05, 100.0 + i * 0.1) for i in range(9)]
    with pytest.raises(GpxError) as err:
        read_gpx(_gpx(points))
    assert err.value.key == "too_long"
    assert err.value.params["limit_km"] == MAX_ROUTE_LENGTH_M / 1000


def test_segments_far_apart_are_not_jumps() -> None:
    """No distance is ridden across a segment boundary, so two recordings 300 km apart stay whole."""
    body = ('<trkpt lat="30.0" lon="120.8"/><trkpt lat="30.001" lon="120.801"/></trkseg><trkseg>'
            '<trkpt lat="31.0" lon="123.8"/><trkpt lat="31.001" lon="123.801"/>')
    track = read_gpx((HEAD + body + TAIL).encode())
    assert track.n_points == 4 and track.n_segments == 2 and not track.warnings


def test_tcx_and_fit_readers_apply_the_same_limits() -> None:
    tcx = ('<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
           'TrainingCenterDatabase/v2"><Activities><Activity Sport="Biking"><Id>x</Id><Lap><Track>'
           + "".join(f"<Trackpoint><Position><LatitudeDegrees>{89 if i % 2 else -89}</LatitudeDegrees>"
                     f"<LongitudeDegrees>{i}</LongitudeDegrees></Position></Trackpoint>" for i in range(30))
           + "</Track></Lap></Activity></Activities></TrainingCenterDatabase>").encode()
    with pytest.raises(GpxError) as err:
        read_track_file(tcx, filename="poles.tcx")
    assert err.value.key == "implausible"


def test_a_stored_route_is_refused_before_anything_is_written(store) -> None:
    before = store.dump_canonical()
    with pytest.raises(GpxError):
        store.create_route("poles", gpx=_pole_to_pole(100), filename="poles.gpx", user="ed",
                           fields={"name_zh": "两极", "name_en": "Poles"})
    assert store.dump_canonical() == before


def test_grids_along_a_line_are_bounded_whatever_its_length() -> None:
    d = np.array([0.0, 1e10])  # a line only code could build: 10 million km
    grid, _ = resample(d, np.array([0.0, 100.0]))
    assert len(grid) <= GRID_MAX_SAMPLES
    estimate = estimate_ride(d, np.array([0.0, 0.0]), "leisure")
    assert estimate.moving_s > 0


def test_write_and_read_back_keeps_a_plausible_track_unchanged() -> None:
    clean = read_gpx(SEED)
    again = read_gpx(write_gpx(clean))
    assert again.n_points == clean.n_points and not [w for w in again.warnings if "dropped" in w or "ignored" in w]


def test_the_editor_upload_refuses_the_pole_file_in_one_line_with_bounded_memory() -> None:
    import tracemalloc

    from routes.views.editing import prepare_upload

    tracemalloc.start()
    try:
        with pytest.raises(GpxError) as err:
            prepare_upload(_pole_to_pole(2000), "poles.gpx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "\n" not in err.value.message("zh")
    assert peak < 20 * 1024 * 1024  # the attack cost 5 GB before the limits


def test_the_quality_report_lists_what_the_reader_dropped() -> None:
    from routes.analysis.quality import quality_report

    clean = read_gpx(SEED)
    points = list(zip(clean.lat, clean.lon, strict=True))
    points.insert(200, (0.5, 0.5))
    report = quality_report(read_gpx(_gpx(points)))
    (finding,) = [f for f in report.findings if f.key == "far_points_dropped"]
    assert finding.severity == "warning" and finding.params == {"count": 1}
