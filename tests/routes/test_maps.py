"""Folium maps: local assets only, both coordinate frames, gradient colours, escaping."""

from __future__ import annotations

import re

import folium
import numpy as np
import pytest

from routes.analysis.grades import GRADE_BANDS
from routes.io.chinacoords import wgs84_to_gcj02
from routes.views import maps
from routes.views.maps import MapLine, MapMarker, MapPoi, build_map, external_asset_urls, map_html

LAT = np.linspace(30.00, 30.02, 21)
LON = np.linspace(120.82, 120.86, 21)


def _route_map(lang="zh", **kw):
    grades = np.array([-5.0] * 10 + [7.0] * 10)
    line = MapLine("r", "路线 <b>一</b>", LAT, LON, grade_pct=grades)
    poi = MapPoi("p1", 30.01, 120.84, '<img src=x onerror="alert(1)">', "tea_garden", text="a & b", distance_m=2500.0)
    return build_map(lang=lang, lines=[line], pois=[poi], markers=[MapMarker(30.0, 120.82, "起点", "start")],
                     legend=True, **kw)


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_script_and_style_is_served_by_the_app(lang):
    m = _route_map(lang)
    assert external_asset_urls(m) == []
    urls = _asset_urls(map_html(m))
    assert urls and all(u.startswith("/app/static/") for u in urls)


def test_asset_files_exist():
    from pathlib import Path

    static = Path(__file__).resolve().parents[2] / "static"
    for _, path in maps.ASSET_JS + maps.ASSET_CSS:
        assert (static / path).is_file(), path
    for js, css in maps.PLUGIN_ASSETS.values():
        for _, path in js + css:
            assert (static / path).is_file(), path


def test_unknown_plugin_is_refused():
    with pytest.raises(ValueError, match="CDN"):
        maps.localise_assets(folium.plugins.MiniMap())


def test_default_basemap_by_language():
    assert maps.basemaps("zh")[0].key == "amap" and maps.basemaps("zh")[0].gcj02
    assert maps.basemaps("en")[0].key == "osm"
    assert "tianditu" not in [b.key for b in maps.basemaps("zh")]
    tdt = [b for b in maps.basemaps("zh", tianditu_key="KEY123") if b.key == "tianditu"]
    assert tdt and "tk=KEY123" in tdt[0].tiles and not tdt[0].gcj02


def test_overlays_are_drawn_in_both_frames():
    html = map_html(_route_map("zh"))
    glat, glon = wgs84_to_gcj02(30.0, 120.82)
    assert "[30.0, 120.82]" in html
    assert f"[{round(glat, 6)}, {round(glon, 6)}]" in html
    assert "e.layer.options.gcj02" in html
    assert "show(true)" in html  # zh starts on the GCJ-02 basemap
    assert "show(false)" in map_html(_route_map("en"))


def test_line_is_coloured_by_gradient_band():
    html = map_html(_route_map())
    runs = re.search(r"(\[\[\d+, \[\[.*?\]\]\]\])\.forEach", html).group(1)
    keys = [GRADE_BANDS[int(i)].key for i in re.findall(r"\[(\d+), \[\[", runs)]
    assert keys == ["descent", "hard"]  # one run per band change, in riding order
    assert html.count(runs) == 1  # the WGS-84 copy; the GCJ-02 copy has shifted coordinates
    assert "interactive: false" in html


def test_editor_text_is_escaped():
    html = map_html(_route_map())
    assert '<img src=x onerror="alert(1)">' not in html
    assert "&lt;img src=x onerror=" in html
    assert "<b>一</b>" not in html


def test_runs_split_where_band_changes():
    assert maps._runs(np.array([0, 0, 1, 1, 1, 0])) == [(0, 2), (2, 5), (5, 6)]
    assert maps._runs(np.array([], dtype=int)) == []


def test_no_jquery_needed():
    # We ship no jQuery: folium's stock Popup template calls $(...), which would stop the whole map script.
    html = map_html(_route_map())
    assert "$(" not in html


def test_template_literal_injection_is_neutralised():
    line = MapLine("r", "${alert(1)}`\\", LAT, LON)
    html = map_html(build_map(lang="en", lines=[line]))
    assert "${alert(1)}" not in html
    assert "&#36;{alert(1)}&#96;&#92;" in html


def test_popups_are_bound_with_escaped_content():
    html = map_html(_route_map())
    assert ".bindPopup(" in html and ".setContent(" in html
    assert "a \\u0026amp; b" in html  # the POI text, HTML-escaped, then JSON-escaped into the script


def test_streamlit_folium_renders_the_same_elements():
    from streamlit_folium import generate_leaflet_string

    script = generate_leaflet_string(_route_map())
    assert ".bindPopup(" in script and "guide-legend" in script and "e.layer.options.gcj02" in script


def test_the_scale_bar_is_metric_only():
    from routes.views.maps import build_map

    page = build_map(lang="zh").get_root().render()
    assert "L.control.scale({imperial: false})" in page
    assert "L.control.scale()" not in page
