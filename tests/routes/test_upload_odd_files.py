"""Odd uploads get a one-line message in the editor's language, never a traceback: synthetic cases and the corpus."""

from __future__ import annotations

import pytest

from routes.core.errors import GuideError
from routes.text.i18n import t
from routes.views.editing import build_upload_preview, prepare_upload
from routes.views.maps import map_html

NS = 'xmlns="http://www.topografix.com/GPX/1/1"'
HEAD = '<?xml version="1.0"?><gpx version="1.1" creator="test" {ns}>'


def gpx(body: str, *, ns: str = NS) -> bytes:
    return (HEAD.format(ns=ns) + body + "</gpx>").encode()


def pt(lat: float, lon: float, tag: str = "trkpt") -> str:
    return f'<{tag} lat="{lat}" lon="{lon}"><ele>10</ele></{tag}>'


ODD = {
    # name: (file, the finding that explains it, or None when the file is fine to save)
    "empty-track": (gpx("<trk><name>x</name><trkseg></trkseg></trk>"), "no_track_points"),
    "no-track-at-all": (gpx("<metadata><name>x</name></metadata>"), "no_track_points"),
    "waypoints-only-no-namespace": (gpx(pt(30.0, 120.85, "wpt") + pt(30.01, 120.86, "wpt"), ns=""), "waypoints_only"),
    "one-point": (gpx("<trk><trkseg>" + pt(30.0, 120.85) + "</trkseg></trk>"), "too_few_points"),
    "all-points-identical": (gpx("<trk><trkseg>" + pt(30.0, 120.85) * 5 + "</trkseg></trk>"), "all_identical"),
    "route-only": (gpx("<rte>" + "".join(pt(30.0 + i / 1000, 120.85, "rtept") for i in range(5)) + "</rte>"), None),
    "unknown-namespace": (
        gpx(
            "<trk><trkseg>" + pt(30.0, 120.85) + pt(30.01, 120.86) + "</trkseg></trk>",
            ns='xmlns="http://example.com/not/gpx"',
        ),
        None,
    ),
}


@pytest.mark.parametrize("name", list(ODD))
def test_odd_file_gets_a_message_in_both_languages_and_no_exception(name):
    data, finding = ODD[name]
    prep = prepare_upload(data, f"{name}.gpx")
    keys = [f.key for f in prep.report.findings]
    preview = build_upload_preview(prep, lang="zh")
    if finding is None:
        assert prep.report.can_save, keys
        assert preview.map is not None and "leaflet" in map_html(preview.map).lower()
        return
    assert keys[0] == finding
    assert not prep.report.can_save
    assert preview.map is None and preview.profile is None  # nothing to draw, and nothing raised
    f = prep.report.findings[0]
    zh, en = t(f"quality.{f.key}", "zh", **f.params), t(f"quality.{f.key}", "en", **f.params)
    assert "\n" not in zh and "\n" not in en
    assert any("\u4e00" <= c <= "\u9fff" for c in zh) and en.isascii()


def test_the_whole_corpus_goes_through_the_upload_preview(corpus_dir):
    """Every file of ../shared/gpx-corpus: read, quality report, map and profile, as the upload step does them."""
    files = sorted(p for p in corpus_dir.iterdir() if p.is_file())
    assert len(files) >= 50
    outcomes = {}
    for path in files:
        try:
            prep = prepare_upload(path.read_bytes(), path.name)
            preview = build_upload_preview(prep, lang="zh")
            if preview.map is not None:
                map_html(preview.map)
            if prep.report.can_save:
                assert preview.map is not None, path.name
            else:
                first_error = next(f for f in prep.report.findings if f.severity == "error")
                t(f"quality.{first_error.key}", "zh", **first_error.params)
            outcomes[path.name] = "saved" if prep.report.can_save else "refused"
        except GuideError as exc:
            message = exc.message("zh")
            assert message and "\n" not in message and "Traceback" not in message, path.name
            outcomes[path.name] = "message"
    # the files the issue names: a message, not a traceback
    assert outcomes["gpxpy__unicode2.gpx"] in ("saved", "refused")
    assert outcomes["togeojson__osmand_empty-trk.gpx"] == "refused"
    assert outcomes["togeojson__xcode_waypoints-only_no-namespace.gpx"] == "refused"
    assert outcomes["MANIFEST.md"] == "message"
    assert list(outcomes.values()).count("saved") >= 30


def test_the_whole_corpus_goes_through_the_poi_import_preview(corpus_dir, tmp_path):
    """The other place an editor loads a GPX (POI import): a preview or a message for every corpus file."""
    from routes.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'guide.db'}")
    previews = 0
    for path in sorted(p for p in corpus_dir.iterdir() if p.is_file()):
        try:
            store.preview_poi_import(path.read_bytes(), path.name, default_category="viewpoint")
            previews += 1
        except GuideError as exc:
            assert exc.message("zh") and "\n" not in exc.message("zh"), path.name
    assert previews >= 10
