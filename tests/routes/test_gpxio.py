"""The GPX reader and writer on tiny inline files, one case each, with exact expectations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from routes.core.errors import GpxError
from routes.core.geo import cumulative_distance_m, step_distances_m
from routes.core.model import Waypoint, make_track
from routes.io.gpxio import read_gpx, write_gpx

NS11 = 'xmlns="http://www.topografix.com/GPX/1/1"'
NS10 = 'xmlns="http://www.topografix.com/GPX/1/0"'


def gpx(body: str, ns: str = NS11, version: str = "1.1") -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="{version}" creator="t" {ns}>{body}</gpx>'.encode()


def pts(*rows: str) -> str:
    return "".join(rows)


THREE = pts(
    '<trkpt lat="30.0" lon="120.8"><ele>10.5</ele><time>2024-05-01T08:00:00Z</time></trkpt>',
    '<trkpt lat="30.001" lon="120.8"><ele>11</ele><time>2024-05-01T08:00:10Z</time></trkpt>',
    '<trkpt lat="30.002" lon="120.8"><ele>12.25</ele><time>2024-05-01T08:00:20Z</time></trkpt>',
)
T0 = 1714550400.0  # 2024-05-01T08:00:00Z


def test_basic_track_exact_values():
    t = read_gpx(gpx(f"<trk><name>天香</name><trkseg>{THREE}</trkseg></trk>"))
    assert t.name == "天香" and t.source == "trk"
    np.testing.assert_array_equal(t.lat, [30.0, 30.001, 30.002])
    np.testing.assert_array_equal(t.ele_m, [10.5, 11.0, 12.25])
    np.testing.assert_array_equal(t.time_s, [T0, T0 + 10, T0 + 20])
    np.testing.assert_array_equal(t.segment_starts, [0])
    assert t.warnings == ()


def test_gpx10_and_no_namespace_read_the_same():
    body = f"<trk><trkseg>{THREE}</trkseg></trk>"
    a, b, c = read_gpx(gpx(body)), read_gpx(gpx(body, NS10, "1.0")), read_gpx(gpx(body, ns=""))
    assert a.equals(b) and a.equals(c)
    assert "the file declares no GPX namespace" in c.warnings


def test_segments_are_gaps_not_distance():
    body = (
        "<trk><trkseg>" + THREE + "</trkseg><trkseg></trkseg><trkseg>"
        '<trkpt lat="30.1" lon="120.9"/><trkpt lat="30.101" lon="120.9"/></trkseg></trk>'
        '<trk><trkseg><trkpt lat="30.2" lon="120.9"/></trkseg></trk>'
    )
    t = read_gpx(gpx(body))
    np.testing.assert_array_equal(t.segment_starts, [0, 3, 5])
    d = cumulative_distance_m(t)
    steps = step_distances_m(t.lat, t.lon)
    assert d[-1] == pytest.approx(steps[0] + steps[1] + steps[3])
    assert d[3] == d[2] and d[5] == d[4]  # nothing counted across the gaps


def test_route_used_only_without_track_points():
    rte = '<rte><name>R</name><rtept lat="30" lon="120"/><rtept lat="30.01" lon="120"/></rte>'
    only_route = read_gpx(gpx(rte))
    assert only_route.source == "rte" and only_route.n_points == 2 and only_route.name == "R"
    both = read_gpx(gpx(rte + f"<trk><trkseg>{THREE}</trkseg></trk>"))
    assert both.source == "trk" and both.n_points == 3


def test_waypoints_kept_with_chinese_names():
    body = '<wpt lat="30.01" lon="120.85"><ele>5</ele><name>东江湖观景台</name><sym>Scenic Area</sym></wpt>'
    t = read_gpx(gpx(body))
    assert t.n_points == 0 and t.waypoints[0].name == "东江湖观景台" and t.waypoints[0].ele_m == 5
    assert t.waypoints[0].sym == "Scenic Area"


def test_garmin_extensions_by_namespace_uri_not_prefix():
    ext = (
        f'<gpx version="1.1" {NS11} xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        '<trk><trkseg><trkpt lat="30" lon="120"><extensions><ns3:TrackPointExtension><ns3:atemp>21.5</ns3:atemp>'
        "<ns3:hr>140</ns3:hr><ns3:cad>85</ns3:cad></ns3:TrackPointExtension><power>250</power></extensions></trkpt>"
        '<trkpt lat="30.001" lon="120"/></trkseg></trk></gpx>'
    )
    t = read_gpx(ext.encode())
    assert t.sensors["hr_bpm"][0] == 140 and math.isnan(t.sensors["hr_bpm"][1])
    assert t.sensors["cad_rpm"][0] == 85 and t.sensors["atemp_c"][0] == 21.5 and t.sensors["power_w"][0] == 250


@pytest.mark.parametrize(
    ("text", "expected", "naive"),
    [
        ("2021-01-07T21:51:59.179+01:15", 1610051819.179, False),  # = 20:36:59.179Z
        ("2024-05-01T08:00:00.1234567Z", T0 + 0.123456, False),
        ("2024-05-01T08:00:00", T0, True),
        ("2024-05-01T16:00:00+08:00", T0, False),
    ],
)
def test_times_with_offsets_fractions_and_no_zone(text, expected, naive):
    t = read_gpx(gpx(f'<trk><trkseg><trkpt lat="30" lon="120"><time>{text}</time></trkpt></trkseg></trk>'))
    assert t.time_s[0] == pytest.approx(expected, abs=1e-6)
    assert any("read as UTC" in w for w in t.warnings) == naive


def test_missing_and_empty_elevation_is_nan_never_zero():
    body = (
        '<trk><trkseg><trkpt lat="30" lon="120"><ele></ele></trkpt><trkpt lat="30" lon="120.001"><ele/></trkpt>'
        '<trkpt lat="30" lon="120.002"/><trkpt lat="30" lon="120.003"><ele>-.0</ele></trkpt></trkseg></trk>'
    )
    t = read_gpx(gpx(body))
    assert np.isnan(t.ele_m[:3]).all() and t.ele_m[3] == 0.0
    assert "3 of 4 points have no elevation" in t.warnings


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "iso-8859-1"])
def test_encodings(encoding):
    name = "Café" if encoding == "iso-8859-1" else "天香骑行线 Café"
    decl = "UTF-16" if encoding == "utf-16" else ("ISO-8859-1" if encoding == "iso-8859-1" else "UTF-8")
    text = f'<?xml version="1.0" encoding="{decl}"?>\r\n<gpx version="1.1" {NS11}>\r\n<trk><name>{name}</name><trkseg>{THREE}</trkseg></trk></gpx>'
    t = read_gpx(text.encode(encoding))
    assert t.name == name and t.n_points == 3


def test_impossible_coordinates_dropped_and_counted():
    body = (
        '<trk><trkseg><trkpt lat="100" lon="120"/><trkpt lat="30" lon="120"/><trkpt lat="NaN" lon="120"/>'
        '<trkpt lat="abc" lon="120"/><trkpt lat="30.1" lon="200"/><trkpt lat="30.001" lon="120"/></trkseg></trk>'
    )
    t = read_gpx(gpx(body))
    assert t.n_points == 2
    assert "4 points with impossible coordinates were dropped" in t.warnings


def test_prefixed_gpx_elements_and_comments_read_like_plain_ones():
    plain = read_gpx(gpx(f"<trk><trkseg>{THREE}</trkseg></trk>"))
    prefixed = (
        '<g:gpx xmlns:g="http://www.topografix.com/GPX/1/1" version="1.1"><g:trk><g:trkseg>'
        + THREE.replace("<", "<g:").replace("<g:/", "</g:")
        + "</g:trkseg></g:trk></g:gpx>"
    )
    commented = gpx(f"<trk><trkseg><!-- a <trkpt> in a comment -->{THREE}<![CDATA[x]]></trkseg></trk>")
    assert read_gpx(prefixed.encode()).equals(plain)
    assert read_gpx(commented).equals(plain)


# ------------------------------------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"PK\x03\x04 this is a zip", "not_xml"),
        (b"name,lat,lon\nA,30,120\n", "not_xml"),
        (b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>', "wrong_root"),
        (b"<gpx><trk><trkseg><trkpt lat='1' lon='2'></trk></gpx>", "xml_error"),
        (b"<gpx>\n<trk>\n<gpxpx:Power>1</gpxpx:Power></trk></gpx>", "undeclared_prefix"),
    ],
)
def test_not_gpx_refused_with_one_line(data, key):
    with pytest.raises(GpxError) as info:
        read_gpx(data)
    assert info.value.key == key
    for lang in ("zh", "en"):
        assert "\n" not in info.value.message(lang) and info.value.message(lang)


def test_undeclared_prefix_message_names_prefix_and_line():
    with pytest.raises(GpxError, match=r"undeclared namespace prefix 'gpxpx' at line 3"):
        read_gpx(b"<gpx>\n<trk>\n<gpxpx:Power>1</gpxpx:Power></trk></gpx>")


HOSTILE = {
    "xxe_file": b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<gpx><trk><name>&x;</name></trk></gpx>",
    "xxe_network": b'<!DOCTYPE gpx [<!ENTITY x SYSTEM "http://127.0.0.1:9/steal">]><gpx><metadata><name>&x;</name>'
    b"</metadata></gpx>",
    "billion_laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><gpx><name>&lol3;</name></gpx>',
    "external_dtd": b'<!DOCTYPE gpx SYSTEM "http://127.0.0.1:9/gpx.dtd"><gpx/>',
    "parameter_entity": b'<!DOCTYPE gpx [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]><gpx/>',
    "utf16_doctype": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE gpx [<!ENTITY x "y">]><gpx/>'.encode("utf-16"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_refused_before_parsing(name, monkeypatch):
    import lxml.etree

    def no_parsing(*args, **kwargs):
        raise AssertionError("the parser must not see a file with a DOCTYPE")

    monkeypatch.setattr(lxml.etree, "iterparse", no_parsing)
    monkeypatch.setattr(lxml.etree, "fromstring", no_parsing)
    with pytest.raises(GpxError) as info:
        read_gpx(HOSTILE[name])
    assert info.value.key == "dtd"


def test_size_cap_and_point_cap_say_the_limit():
    body = gpx("<trk><trkseg>" + '<trkpt lat="30" lon="120"/>' * 50 + "</trkseg></trk>")
    with pytest.raises(GpxError, match=r"the limit is 0 MB") as big:
        read_gpx(body, max_bytes=1000)
    assert "上限" in big.value.message("zh")
    with pytest.raises(GpxError, match=r"limit of 10 points"):
        read_gpx(body, max_points=10)
    assert read_gpx(body, max_points=50).n_points == 50


def test_file_path_and_missing_file(tmp_path):
    path = tmp_path / "a.gpx"
    path.write_bytes(gpx(f"<trk><trkseg>{THREE}</trkseg></trk>"))
    assert read_gpx(path).n_points == 3
    with pytest.raises(GpxError, match="file not found"):
        read_gpx(tmp_path / "missing.gpx")


# ------------------------------------------------------------------------------------------------ writing


def test_round_trip_with_segments_waypoints_and_chinese():
    track = make_track(
        [30.0, 30.001, 30.002, 30.1],
        [120.8, 120.8001, 120.8002, 120.9],
        [10.0, float("nan"), 12.5, -3.25],
        [T0, T0 + 1.5, float("nan"), T0 + 60],
        segment_starts=[0, 3],
        name="天香骑行线 <Tianxiang> & co",
        waypoints=(Waypoint(30.01, 120.85, "茶园 \"tea\" & 'terraces'", 55.0, T0, "说明", "Flag", "viewpoint"),),
    )
    back = read_gpx(write_gpx(track))
    assert back.equals(track)
    assert back.waypoints[0].desc == "说明" and back.waypoints[0].type == "viewpoint"
