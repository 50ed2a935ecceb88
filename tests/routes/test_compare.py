"""One version number for a route, and two versions compared: texts, figures and lines (routes.views.compare)."""

from __future__ import annotations

import math

import pytest

from routes.io.gpxio import read_gpx
from routes.views import guide
from routes.views.compare import (
    COMPARE_COLOURS,
    LATER_LINE_DASH,
    change_rows,
    changes_html,
    compare_map,
    compare_versions,
    fields_html,
    figures_html,
    figures_of,
    history_versions,
    route_versions,
    track_versions,
    version_label,
)
from routes.views.editing import route_text_restores
from routes.views.maps import external_asset_urls, map_html

#: Share of the seed line kept in the second track: a shorter ride with different figures.
KEPT_SHARE = 0.6
LONG_DESC_ZH = "沿着天香线骑行，" + "经过茶园和竹林，" * 20 + "终点在村口。"
LONG_DESC_EN = "Ride the Tianxiang road " + "past tea gardens and bamboo, " * 20 + "to the village gate."


def _shorter_gpx(gpx: bytes) -> bytes:
    """The first KEPT_SHARE of the seed track's points, as a plain GPX (a different file, a different line)."""
    tr = read_gpx(gpx)
    n = int(tr.n_points * KEPT_SHARE)
    pts = "".join(f'<trkpt lat="{tr.lat[i]:.7f}" lon="{tr.lon[i]:.7f}"><ele>{tr.ele_m[i]:.1f}</ele></trkpt>'
                  for i in range(n))
    return (f'<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="test" '
            f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>short</name><trkseg>{pts}</trkseg></trk></gpx>'
            ).encode()


@pytest.fixture
def edited(store):
    """tianxiang with four versions: 1 seed, 2 a text change, 3 a shorter track, 4 published back to draft."""
    v1 = store.get_route("tianxiang")
    v2 = store.update_route("tianxiang", {"season": "春秋两季", "desc_zh": LONG_DESC_ZH, "desc_en": LONG_DESC_EN},
                            user="ed", expected_version=v1.version)
    v3 = store.add_route_revision("tianxiang", _shorter_gpx(store.get_route_gpx("tianxiang")), filename="short.gpx",
                                  user="ed", expected_version=v2.version)
    v4 = store.update_route("tianxiang", {"status": "draft"}, user="ed", expected_version=v3.version)
    return store, (v1, v2, v3, v4)


def _analysis(store, number: int):
    rev = next(r for r in store.route_revisions("tianxiang") if r.number == number)
    return guide.analyse_gpx(rev.sha256, lambda: store.get_route_gpx("tianxiang", rev.id))


def test_versions_are_the_records_version_and_tracks_keep_their_own_number(edited):
    store, infos = edited
    versions = route_versions(store.route_history("tianxiang"), infos[-1].version)
    assert [v.version for v in versions] == [1, 2, 3, 4] == [i.version for i in infos]
    assert [v.action for v in versions] == ["route.create", "route.update", "route.revision", "route.update"]
    assert [v.track for v in versions] == [1, 1, 2, 2]
    assert track_versions(versions) == {1: 1, 2: 3}
    assert versions[1].fields["season"] == "春秋两季" and versions[0].fields["season"] != "春秋两季"
    assert versions[3].fields["status"] == "draft" and versions[2].fields["status"] == "published"
    assert version_label(3, "zh", track=2) == "第 3 版（轨迹第 2 份）"
    assert version_label(3, "en") == "version 3"


def test_versions_are_counted_back_from_the_current_one():
    """A log missing its oldest entries (a restored backup) still ends on the route's own version."""

    class E:
        def __init__(self, action, detail):
            self.action, self.detail, self.at, self.user = action, detail, None, "ed"

    history = [E("route.revision", {"revision": 4}), E("conflict.rejected", {}), E("route.update", {"changes": {}})]
    assert [v.version for v in route_versions(history, 9)] == [8, 9]
    assert history_versions(history, 9) == [8, None, 9]


def test_text_restore_shows_both_languages_in_full(edited):
    store, infos = edited
    restores = route_text_restores(store.route_history("tianxiang"), "zh", current_version=infos[-1].version)
    assert [r.version for r in restores] == [2]  # publishing (version 4) is no text change
    rows = change_rows(restores[0].changes, "zh")
    assert [r.field for r in rows] == ["desc_zh", "desc_en", "season"]
    assert rows[0].after == LONG_DESC_ZH and rows[1].after == LONG_DESC_EN  # every word, no "…"
    html = changes_html(rows, "en")
    assert LONG_DESC_EN in html and LONG_DESC_ZH in html and "…" not in html


def test_compare_two_versions_with_different_tracks(edited):
    store, infos = edited
    versions = route_versions(store.route_history("tianxiang"), infos[-1].version)
    ra1, ra2 = _analysis(store, 1), _analysis(store, 2)
    cmp = compare_versions(versions[0], versions[3], ra1, ra2, "zh")
    assert cmp.changed_fields == ("desc_zh", "desc_en", "season", "status")
    assert not cmp.same_track
    figs = {f.key: f for f in cmp.figures}
    f1, f2 = figures_of(ra1), figures_of(ra2)
    assert figs["distance_m"].delta == pytest.approx(f2["distance_m"] - f1["distance_m"])
    # the shorter track is about KEPT_SHARE of the seed line's length
    assert f2["distance_m"] / f1["distance_m"] == pytest.approx(KEPT_SHARE, abs=0.03)
    assert figs["distance_m"].changed and figs["ascent_m"].delta is not None
    table = figures_html(cmp, "zh")
    assert "第 1 版（轨迹第 1 份）" in table and "第 4 版（轨迹第 2 份）" in table
    delta_km = figs["distance_m"].delta / 1000
    assert f"{delta_km:.2f} 公里" in table and delta_km < 0
    texts = fields_html(cmp, "en")
    assert texts.count('class="ver-changed"') == 4 and LONG_DESC_EN in texts
    assert "version 1" in texts and "version 4" in texts


def test_compare_same_track_shows_no_figure_change(edited):
    store, infos = edited
    versions = route_versions(store.route_history("tianxiang"), infos[-1].version)
    ra = _analysis(store, 1)
    cmp = compare_versions(versions[0], versions[1], ra, ra, "zh")
    assert cmp.same_track and cmp.changed_fields == ("desc_zh", "desc_en", "season")
    assert not any(f.changed for f in cmp.figures)
    assert figures_html(cmp, "zh").count("无变化") == len(cmp.figures)


def test_compare_map_draws_both_lines_with_a_legend_and_no_cdn(edited):
    store, _ = edited
    ra1, ra2 = _analysis(store, 1), _analysis(store, 2)
    m = compare_map(ra1, ra2, label_a="第 1 版（轨迹第 1 份）", label_b="第 4 版（轨迹第 2 份）", lang="zh")
    page = map_html(m)
    assert external_asset_urls(m) == []
    for colour in COMPARE_COLOURS:
        assert page.count(f'"color": "{colour}"') == 2  # WGS-84 and GCJ-02 copies of the line
    assert page.count(f'"dashArray": "{LATER_LINE_DASH}"') == 2  # the later line dashed, so a shared stretch shows both
    assert "第 1 版（轨迹第 1 份）" in page and "第 4 版（轨迹第 2 份）" in page
    assert math.isfinite(float(ra2.map_lat[0]))
