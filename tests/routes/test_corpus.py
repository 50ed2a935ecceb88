"""Every real-world file in ../shared/gpx-corpus: loads with the counts its manifest gives, distances agree with an
independent geodesic, the fast path agrees with the streaming path, and the invalid ones are refused cleanly."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import routes.io.gpxio as gpxio
from routes.core.errors import GpxError
from routes.core.geo import geodesic_m, track_length_m
from tests.conftest import CORPUS

FILES = sorted(p.name for p in CORPUS.glob("*.gpx")) if CORPUS.is_dir() else []
# lat="100"/"200" pause markers are points the manifest counts and the reader drops (with a warning).
DROPPED = {"opentracks__legacy-pause-markers_lat-100-200.gpx": 2}


def manifest_counts(corpus: Path) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for line in (corpus / "MANIFEST.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 6 and cells[2].startswith("`") and cells[2].endswith(".gpx`"):
            contents = cells[6]
            counts[cells[2].strip("`")] = {
                kind: sum(int(n) for n in re.findall(rf"(\d+) {kind}\b", contents)) for kind in ("trkpt", "rtept", "wpt")
            }
    return counts


def test_corpus_is_there_and_listed(corpus_dir):
    assert len(FILES) >= 50
    assert set(manifest_counts(corpus_dir)) == set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_corpus_file(name, corpus_dir):
    path = corpus_dir / name
    if name.endswith("_INVALID.gpx"):
        with pytest.raises(GpxError) as info:
            gpxio.read_gpx(path)
        assert "\n" not in str(info.value) and str(info.value).startswith("not a GPX file")
        return
    track = gpxio.read_gpx(path)
    expected = manifest_counts(corpus_dir)[name]
    if expected["trkpt"] - DROPPED.get(name, 0) > 0:
        assert track.source == "trk"
        assert track.n_points == expected["trkpt"] - DROPPED.get(name, 0)
    else:
        assert track.n_points == expected["rtept"]
    assert len(track.waypoints) == expected["wpt"]
    # Distance against pyproj's exact geodesic, segment by segment.
    bounds = list(track.segment_starts) + [track.n_points]
    independent = sum(
        geodesic_m(track.lat[a : b - 1], track.lon[a : b - 1], track.lat[a + 1 : b], track.lon[a + 1 : b]).sum()
        for a, b in zip(bounds[:-1], bounds[1:], strict=False)
        if b - a > 1
    )
    assert track_length_m(track) == pytest.approx(independent, rel=1e-7, abs=1e-3)
    assert not (track.ele_m == 0).all() or "zero" in name or not track.has_elevation or track.n_points < 3


@pytest.mark.parametrize("name", [n for n in FILES if not n.endswith("_INVALID.gpx")])
def test_fast_path_equals_streaming_path(name, corpus_dir):
    data = (corpus_dir / name).read_bytes()
    fast = gpxio.read_gpx(data)
    warnings: list[str] = []
    doc = gpxio._stream(data, gpxio.DEFAULT_MAX_POINTS)
    slow = gpxio._assemble(doc, doc.trk.to_points(warnings), warnings)
    assert fast.equals(slow) and fast.warnings == slow.warnings and fast.source == slow.source
    assert set(fast.sensors) == set(slow.sensors)
    for key in fast.sensors:
        np.testing.assert_array_equal(fast.sensors[key], slow.sensors[key])


def test_specific_corpus_facts(corpus_dir):
    garmin = gpxio.read_gpx(corpus_dir / "georust__garmin-activity.gpx")  # ns3: prefix for TrackPointExtension
    assert np.isfinite(garmin.sensors["hr_bpm"]).all() and np.isfinite(garmin.sensors["cad_rpm"]).all()
    offsets = gpxio.read_gpx(corpus_dir / "opentracks__timezone-offsets_cdata.gpx")
    assert offsets.time_s[0] == pytest.approx(1610051819.179)  # 21:51:59.179+01:15
    wahoo = gpxio.read_gpx(corpus_dir / "georust__wahoo_example.gpx")  # <ele/> everywhere, no namespace
    assert np.isnan(wahoo.ele_m).all()
    zero = gpxio.read_gpx(corpus_dir / "gpxpy__cerknicko-jezero-with-elevations-zero.gpx")
    assert (zero.ele_m == 0).all() and zero.n_segments == 7  # the empty segment and the empty track are skipped
