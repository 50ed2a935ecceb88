"""Issue 24: each quality finding is counted once, by one definition, and every counted item is marked where it is
on the preview map and profile (the report once said "2 个海拔尖峰" and "4 个海拔尖峰" for one file)."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np

from routes.analysis.quality import MARK_KINDS, find_speed_spikes, quality_report
from routes.core.model import make_track
from routes.io.gpxio import write_gpx
from routes.text.i18n import t
from routes.views.editing import MARKS_PER_KIND_MAX, build_upload_preview, mark_legend, prepare_upload
from routes.views.maps import map_html

M_PER_DEG_LAT = 110_861.0


def flawed_track():  # noqa: ANN201
    """Two segments 300 m apart, 5 m steps north at 30° N, 1 s apart, flat at 100 m: a 60 m one-point elevation spike
    at point 40, a 45 m one-point spike at point 90 (both over the old 40 m rule and the analysis's), a GPS jump
    (one point 150 m east and straight back) at point 60."""
    d = np.arange(0.0, 600.1, 5.0)
    lat = 30.0 + d / M_PER_DEG_LAT
    lon = np.full(len(d), 120.85)
    lon[60] += 150.0 / (M_PER_DEG_LAT * np.cos(np.radians(30.0)))
    ele = np.full(len(d), 100.0)
    ele[40] += 60.0
    ele[90] -= 45.0
    time_s = np.arange(len(d), dtype=float)
    second = slice(100, None)
    lat[second] += 300.0 / M_PER_DEG_LAT
    time_s[second] += 60.0
    starts = [0, 100]
    return make_track(lat, lon, ele, time_s, segment_starts=starts, name="flawed")


def counts(rep) -> dict[str, int]:  # noqa: ANN001
    return {f.key: f.params["count"] for f in rep.findings if "count" in f.params}


def test_each_finding_counted_once_and_marked_where_it_is():
    rep = quality_report(flawed_track())
    c = counts(rep)
    # one elevation-spike finding (the analysis's definition, what the fix removes), not a second 40 m count
    assert "elevation_spikes" not in c and c["elevation_spikes_removable"] == 2
    assert rep.elevation_spikes == rep.analysis_spikes == 2
    # the GPS jump is one jump, not also two "too fast" steps into and out of it
    assert c["position_spikes"] == 1 and "speed_spikes" not in c and rep.speed_spikes == 0
    assert c["gaps"] == 1
    marks = Counter(m.kind for m in rep.marks)
    assert marks == {"elevation_spike": 2, "position_spike": 1, "gap": 1}
    for key, kind in MARK_KINDS.items():  # the map and profile show exactly the report's counts
        assert marks.get(kind, 0) == c.get(key, 0)
    where = {(m.kind, m.index) for m in rep.marks}
    assert where == {("elevation_spike", 40), ("elevation_spike", 90), ("position_spike", 60), ("gap", 100)}
    spike = next(m for m in rep.marks if m.index == 40)
    assert abs(spike.distance_m - 200.0) < 0.5 and abs(spike.lat - (30.0 + 200.0 / M_PER_DEG_LAT)) < 1e-9


def test_fast_steps_apart_from_a_jump_are_counted_and_marked():
    track = flawed_track()
    assert find_speed_spikes(track) == (60, 61)  # into and out of the jump, 150 m in 1 s
    assert find_speed_spikes(track, skip=(60,)) == ()
    lat = track.lat.copy()
    lat[20:] += 100.0 / M_PER_DEG_LAT  # a 100 m step in 1 s at point 20: a fast step that is no out-and-back
    moved = make_track(lat, track.lon, track.ele_m, track.time_s, segment_starts=list(track.segment_starts))
    rep = quality_report(moved)
    assert counts(rep)["speed_spikes"] == 1 and [m.index for m in rep.marks if m.kind == "speed_spike"] == [20]


def test_preview_map_and_profile_carry_the_marks_with_a_legend():
    prep = prepare_upload(write_gpx(flawed_track()), "flawed.gpx")
    preview = build_upload_preview(prep, lang="zh")
    html = map_html(preview.map)
    # every mark twice (the WGS-84 and the GCJ-02 copy of the overlays), with the legend naming kind and count
    assert html.count("finding-mark finding-elevation_spike") == 4
    assert html.count("finding-mark finding-position_spike") == 2 and html.count("finding-mark finding-gap") == 2
    for label in ("海拔尖峰（共 2 处）", "定位跳点（共 1 处）", "分段断开处（共 1 处）", t("mark.legend", "zh")):
        assert json.dumps(label)[1:-1] in html  # the legend's HTML is a JSON string in the map's script
    traces = {tr.name: tr for tr in preview.profile.data if tr.legendgroup == "marks"}
    assert set(traces) == {"海拔尖峰（共 2 处）", "定位跳点（共 1 处）", "分段断开处（共 1 处）"}
    # at the marks' distances along the line (the jump's 300 m detour lies before the second spike)
    assert list(np.round(traces["海拔尖峰（共 2 处）"].x, 3)) == [0.2, 0.742]
    assert preview.profile.layout.showlegend is True


def test_legend_says_when_not_every_mark_is_drawn():
    from routes.analysis.quality import FindingMark

    many = [FindingMark("speed_spike", i, 30.0, 120.85, float(i)) for i in range(MARKS_PER_KIND_MAX + 5)]
    assert mark_legend(many, "zh") == [("speed_spike", f"速度异常（共 {MARKS_PER_KIND_MAX + 5} 处，标出前 "
                                                        f"{MARKS_PER_KIND_MAX} 处）")]
    assert mark_legend(many[:3], "en") == [("speed_spike", "Too fast (3)")]
