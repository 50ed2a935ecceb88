"""The upload quality report names elevation spikes and jumps; the one-click fix takes them out of the file and the
store keeps the upload as the revision's original (so the previous revision and the raw file both stay)."""

from __future__ import annotations

import numpy as np
import pytest

from routes.analysis.quality import elevation_artefacts, quality_report, remove_elevation_spikes
from routes.analysis.summary import analyse
from routes.core.model import make_track
from routes.io.gpxio import read_gpx, write_gpx
from routes.store import Store
from routes.text.i18n import t, tn
from routes.views.editing import derivation_label, prepare_upload

M_PER_DEG_LAT = 110_861.0


def spiky_track():  # noqa: ANN201
    """1 km north at 30° N, 5 m apart, flat at 100 m, a 35 m one-sample spike at 200 m, a −45 m two-sample spike
    at 600 m, and a stop at 800 m during which the height settles from 100 m to 125 m (12 points)."""
    d = np.arange(0.0, 1000.1, 5.0)
    ele = np.full(len(d), 100.0)
    ele[40] += 35.0
    ele[120:122] -= 45.0
    d = np.concatenate((d[:161], np.full(12, d[160]), d[161:]))
    ele = np.concatenate((ele[:161], np.linspace(102.0, 124.0, 12), np.full(len(ele) - 161, 125.0)))
    return make_track(30.0 + d / M_PER_DEG_LAT, np.full(len(d), 120.85), ele, name="spiky")


def test_artefacts_found_exactly():
    bad, spikes, jumps, removed_m = elevation_artefacts(spiky_track())
    assert spikes == 3 and jumps == 1
    assert removed_m == pytest.approx(25.0, abs=0.5)
    assert np.flatnonzero(bad).tolist() == [40, 120, 121]


def test_quality_report_names_them_in_both_languages():
    rep = quality_report(spiky_track())
    finding = next(f for f in rep.findings if f.key == "elevation_jumps")
    assert finding.params == {"count": 1, "total_m": 25}
    assert rep.analysis_spikes == 3 and rep.elevation_jumps == 1
    spikes = next(f for f in rep.findings if f.key == "elevation_spikes_removable")
    assert spikes.params == {"count": 3}
    assert tn("quality.elevation_spikes_removable", "en", 3).startswith("3 elevation spikes")
    assert tn("quality.elevation_spikes_removable", "en", 1).startswith("1 elevation spike (")
    assert tn("quality.elevation_jumps", "en", 1, total_m=25).startswith("1 elevation jump at (nearly) zero distance")
    assert "25 米" in tn("quality.elevation_jumps", "zh", 1, total_m=25)


def test_removing_spikes_leaves_terrain_only():
    fixed = remove_elevation_spikes(spiky_track())
    assert np.isfinite(fixed.ele_m).all()
    assert fixed.ele_m[40] == 100.0 and fixed.ele_m[120] == 100.0
    assert elevation_artefacts(fixed)[1] == 0
    # the jump stays in the file (which side is right is not known) and the analysis levels it on every read
    assert analyse(fixed).ascent_m == 0.0 and analyse(fixed).warnings == (
        "1 elevation jump at (near) zero distance removed",
    )


def test_the_fix_makes_a_new_revision_and_keeps_the_upload(store: Store):
    raw = write_gpx(spiky_track())
    prep = prepare_upload(raw, "spiky.gpx", remove_spikes=True)
    assert not prep.verbatim and prep.removed_spikes and prep.original == raw
    assert prep.derivation == "elevation spikes removed"
    assert derivation_label(prep.derivation, "zh") == t("ed.derivation.spikes", "zh")
    assert prep.report.analysis_spikes == 0 and prep.report.elevation_jumps == 1
    before = store.route_revisions("tianxiang")
    info = store.add_route_revision(
        "tianxiang",
        prep.gpx,
        filename=prep.filename,
        user="ed",
        expected_version=store.get_route("tianxiang").version,
        **prep.store_kwargs(),
    )
    after = store.route_revisions("tianxiang")
    assert len(after) == len(before) + 1 and after[:-1] == before  # the earlier revisions are all still there
    assert after[-1].derivation == "elevation spikes removed" and after[-1].derived
    assert store.get_route_source("tianxiang", info.revision_id) == (raw, "gpx", "spiky.gpx")
    assert read_gpx(store.get_route_gpx("tianxiang")).ele_m[40] == 100.0
