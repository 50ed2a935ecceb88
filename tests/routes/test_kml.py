"""KML and KMZ: routes and POIs from a 两步路-style ride and a Google Earth-style KMZ, the KML variants, hostile files
and KMZ bombs.

The samples in tests/routes/data were written in the manner of those apps' exports from the seed lines:
``2bulu-tianxiang-ride.kml`` is every 5th point of data/seed/tianxiang.gpx as a gx:Track ridden at 10 s a point from
08:30 Beijing time, with styles and three waypoints in nested folders; ``google-earth-lianghu-doc.kml`` is the
document of a Google Earth KMZ (style maps, a tessellated LineString of every 10th point of the Lianghu loop with
altitude 0, two pushpins, one with ExtendedData, and the tea garden as a polygon with a hole). :func:`google_earth_kmz`
packs it with an icon, as Google Earth does.
"""

from __future__ import annotations

import io
import math
import struct
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

from routes.core.geo import track_length_m
from routes.core.model import make_track
from routes.io import kml as kml_module
from routes.io.fileio import read_track_file, sniff_format
from routes.io.gpxio import read_gpx
from routes.io.kml import KmlError, parse_coordinates, plain_text, read_kml, read_kml_document
from routes.store import Store
from routes.views.notes import note_text

DATA = Path(__file__).resolve().parent / "data"
SEED = Path(__file__).resolve().parents[2] / "data" / "seed"
RIDE = (DATA / "2bulu-tianxiang-ride.kml").read_bytes()
EARTH_DOC = (DATA / "google-earth-lianghu-doc.kml").read_bytes()
#: 08:30 on 12 April 2026 in Beijing (UTC+8), the sample ride's first <when>.
RIDE_START_S = 1_775_953_800.0
#: A 1×1 PNG, standing for the icons Google Earth packs next to doc.kml.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def google_earth_kmz(doc: bytes = EARTH_DOC) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", doc)
        zf.writestr("files/ylw-pushpin.png", PNG)
    return out.getvalue()


def seed_line(name: str, step: int) -> tuple[np.ndarray, np.ndarray]:
    track = read_gpx(SEED / f"{name}.gpx")
    idx = np.arange(0, track.n_points, step)
    if idx[-1] != track.n_points - 1:
        idx = np.append(idx, track.n_points - 1)
    return track.lat[idx], track.lon[idx]


def kml(body: str, *, ns: str = 'xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"'
        ) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<kml {ns}><Document>{body}</Document></kml>'.encode()


# --- routes ---------------------------------------------------------------------------------------------------------


def test_a_2bulu_ride_reads_as_a_timed_route_with_its_waypoints():
    loaded = read_track_file(RIDE, filename="天香骑行线.kml")
    track = loaded.track
    assert loaded.format == "kml" and track.source == "trk" and track.warnings == ()
    lat, lon = seed_line("tianxiang", 5)
    assert track.n_points == len(lat) == 141 and track.segment_starts.tolist() == [0]
    assert np.max(np.abs(track.lat - lat)) < 1e-7 and np.max(np.abs(track.lon - lon)) < 1e-7
    assert track_length_m(track) == pytest.approx(track_length_m(make_track(lat, lon)), abs=0.5)
    assert track_length_m(track) == pytest.approx(12_449, abs=5)
    # Times with their +08:00 offset, 10 s apart: the ride took 23 min 20 s.
    assert track.time_s[0] == RIDE_START_S
    assert np.all(np.diff(track.time_s) == 10.0) and track.time_s[-1] - track.time_s[0] == 1400.0
    assert track.has_elevation and track.ele_m[0] == 34.5
    assert track.name == "天香骑行线"
    assert [(w.name, w.lat, w.lon, w.ele_m) for w in track.waypoints] == [
        ("南穴村小卖部", 29.967305, 120.839137, 35.0), ("东江湖观景台", 29.967061, 120.815596, 168.0),
        ("溪边竹林人家", 29.991545, 120.8243, 62.0)]
    assert track.waypoints[0].time_s == RIDE_START_S + 100 and track.waypoints[0].desc == "可以买水和饮料"


def test_a_google_earth_kmz_reads_as_a_planned_route():
    kmz = google_earth_kmz()
    assert sniff_format(kmz) == "kmz"
    loaded = read_track_file(kmz, filename="梁湖骑行.kmz")
    track = loaded.track
    assert loaded.format == "kmz" and track.source == "rte"
    lat, lon = seed_line("lianghu-loop", 10)
    assert track.n_points == len(lat) == 134
    assert np.max(np.abs(track.lat - lat)) < 1e-7 and np.max(np.abs(track.lon - lon)) < 1e-7
    assert track_length_m(track) == pytest.approx(track_length_m(make_track(lat, lon)), abs=0.5)
    assert not track.has_time and np.all(track.ele_m == 0.0)  # clamped to the ground: the analysis ignores zeros
    assert track.name == "两湖环线"
    # The pushpins are waypoints (the HTML of a description read as text); the polygon is not a point.
    assert [w.name for w in track.waypoints] == ["两湖环线起终点", "Lianghu bike repair"]
    assert track.waypoints[0].desc == "集合点\n周末上午 8 点出发 & 返回"
    assert track.waypoints[1].type == "repair"


def test_the_editor_upload_reads_kml_and_keeps_the_original():
    from routes.views.editing import derivation_label, prepare_upload

    lat, lon = seed_line("tianxiang", 5)
    prep = prepare_upload(RIDE, "天香骑行线.kml", references=[(lat, lon)])
    assert prep.format == "kml" and not prep.verbatim and prep.report.gcj.verdict == "wgs84"
    assert prep.report.can_save and prep.report.duration_s == 1400.0
    assert read_gpx(prep.gpx).n_points == 141
    assert prep.store_kwargs() == {"source": RIDE, "source_format": "kml", "derivation": "converted from KML"}
    assert derivation_label(prep.derivation, "zh") == "由 KML 转换"
    kmz = google_earth_kmz()
    assert prepare_upload(kmz, "梁湖骑行.kmz").store_kwargs()["source_format"] == "kmz"


def test_a_kml_route_is_stored_with_its_original(store: Store):
    from routes.views.editing import prepare_upload

    kmz = google_earth_kmz()
    prep = prepare_upload(kmz, "梁湖骑行.kmz")
    store.add_route_revision("tianxiang", prep.gpx, filename="梁湖骑行.kmz", user="ed",
                             expected_version=store.get_route("tianxiang").version, **prep.store_kwargs())
    assert store.get_route_source("tianxiang")[:2] == (kmz, "kmz")


def test_namespaces_multitrack_multigeometry_and_sensors():
    track_xml = (
        "<gx:Track><when>2026-04-12T00:00:00Z</when><when>2026-04-12T00:00:05Z</when>"
        "<gx:coord>120.80 29.97 20</gx:coord><gx:coord>120.801 29.971 21</gx:coord>"
        '<ExtendedData><SchemaData schemaUrl="#s"><gx:SimpleArrayData name="heartrate"><gx:value>120</gx:value>'
        "<gx:value>125</gx:value></gx:SimpleArrayData><gx:SimpleArrayData name=\"cadence\"><gx:value>80</gx:value>"
        "<gx:value></gx:value></gx:SimpleArrayData></SchemaData></ExtendedData></gx:Track>"
    )
    multi = read_kml(kml(f"<Placemark><name>两段</name><gx:MultiTrack>{track_xml}"
                         f"{track_xml.replace('00:00:0', '00:10:0')}</gx:MultiTrack></Placemark>"))
    assert multi.n_points == 4 and multi.segment_starts.tolist() == [0, 2]
    assert multi.sensors["hr_bpm"].tolist() == [120, 125, 120, 125]
    assert multi.sensors["cad_rpm"][0] == 80 and math.isnan(multi.sensors["cad_rpm"][1])
    # No namespace at all, a MultiGeometry of two lines, spaces after the commas (some writers put them there).
    plain = read_kml(kml("<Folder><Folder><Placemark><MultiGeometry>"
                         "<LineString><coordinates>120.80,29.97 120.81,29.98</coordinates></LineString>"
                         "<LineString><coordinates>120.82, 29.99, 15 120.83, 30.0, 16</coordinates></LineString>"
                         "</MultiGeometry></Placemark></Folder></Folder>", ns=""))
    assert plain.lat.tolist() == [29.97, 29.98, 29.99, 30.0] and plain.segment_starts.tolist() == [0, 2]
    assert math.isnan(plain.ele_m[0]) and plain.ele_m[2] == 15.0
    assert "1 of 4" not in " ".join(plain.warnings) and "2 of 4 points have no elevation" in plain.warnings
    # Google's older namespace reads the same.
    old = read_kml(kml("<Placemark><LineString><coordinates>120.80,29.97 120.81,29.98</coordinates></LineString>"
                       "</Placemark>", ns='xmlns="http://earth.google.com/kml/2.1"'))
    assert old.n_points == 2


def test_a_recorded_track_wins_over_lines_drawn_beside_it():
    both = read_kml(kml(
        "<Placemark><name>计划</name><LineString><coordinates>120.9,29.9 120.91,29.91</coordinates></LineString>"
        "</Placemark><Placemark><name>实际</name><gx:Track><when>2026-04-12T00:00:00Z</when>"
        "<when>2026-04-12T00:00:05Z</when><gx:coord>120.80 29.97 20</gx:coord><gx:coord>120.801 29.971 21</gx:coord>"
        "</gx:Track></Placemark>"))
    assert both.name == "实际" and both.n_points == 2 and both.lat[0] == 29.97
    assert both.warnings == ("1 plain lines beside the recorded track were not used",)
    assert note_text(both.warnings[0], "en") == "1 plain line beside the recorded track was not used"
    assert note_text(both.warnings[0], "zh") == "已录制轨迹之外另有 1 条画出的线路，未使用"


def test_odd_values_are_dropped_and_counted():
    track = read_kml(kml(
        "<Placemark><gx:Track><when>2026-04-12T00:00:00Z</when><when>not a time</when><when>2026-04-12T00:00:10Z"
        "</when><gx:coord>120.80 29.97 20</gx:coord><gx:coord>120.801 29.971 21</gx:coord>"
        "<gx:coord>200 95 0</gx:coord></gx:Track></Placemark>"))
    assert track.n_points == 2 and math.isnan(track.time_s[1])
    assert set(track.warnings) == {"1 times could not be read and were ignored",
                                   "1 points with impossible coordinates were dropped"}
    positions, dropped = parse_coordinates("120.8,29.9,10\n\t120.9,30.0  x,y 1")
    assert positions[0] == (120.8, 29.9, 10.0) and positions[1][:2] == (120.9, 30.0) and dropped == 2
    assert plain_text("<p>第一行</p><p>第二&amp;三</p>") == "第一行\n第二&三"


def test_points_only_and_empty_kml():
    points = read_kml(kml("<Placemark><name>A</name><Point><coordinates>120.8,29.9</coordinates></Point></Placemark>"))
    assert points.n_points == 0 and [w.name for w in points.waypoints] == ["A"]
    assert points.warnings == ("the file has no track or route points, only waypoints",)
    nothing = read_kml(kml(""))
    assert nothing.n_points == 0 and nothing.warnings == ("the file has no track or route points",)


def test_point_cap_and_size_cap():
    line = " ".join(f"120.{i:04d},29.9" for i in range(50))
    body = kml(f"<Placemark><LineString><coordinates>{line}</coordinates></LineString></Placemark>")
    with pytest.raises(KmlError) as err:
        read_kml(body, max_points=10)
    assert err.value.key == "too_many_points"
    with pytest.raises(KmlError) as err:
        read_kml(body, max_bytes=100)
    assert err.value.key == "too_big"


def test_wrong_root_and_not_kml():
    with pytest.raises(KmlError) as err:
        read_kml(b'<gpx xmlns="http://www.topografix.com/GPX/1/1"/>')
    assert err.value.key == "wrong_root" and "GPX" in err.value.message("zh")
    with pytest.raises(KmlError) as err:
        read_kml(b"<kml><Document><Placemark></Document></kml>")
    assert err.value.key == "xml_error"


# --- POIs -----------------------------------------------------------------------------------------------------------


def test_the_2bulu_waypoints_import_as_pois_with_the_folders_as_categories(empty_store: Store):
    preview = empty_store.preview_poi_import(RIDE, "天香骑行线.kml")
    assert preview.source_format == "kml" and preview.ok
    assert [(a["name_zh"], a["category"], a["lat"], a["lon"]) for a in preview.added] == [
        ("南穴村小卖部", "water", 29.967305, 120.839137), ("东江湖观景台", "viewpoint", 29.967061, 120.815596),
        ("溪边竹林人家", "village", 29.991545, 120.8243)]
    assert preview.added[0]["desc_zh"] == "可以买水和饮料"
    assert empty_store.apply_poi_import(preview, user="ed") == {"added": 3, "changed": 0, "unchanged": 0}
    assert sorted(p.name_zh for p in empty_store.list_pois()) == ["东江湖观景台", "南穴村小卖部", "溪边竹林人家"]
    again = empty_store.preview_poi_import(RIDE, "天香骑行线.kml")
    assert (len(again.added), len(again.changed), len(again.unchanged)) == (0, 0, 3)


def test_the_google_earth_kmz_imports_points_and_the_polygon_as_an_area(empty_store: Store):
    from routes.analysis.areas import contains

    kmz = google_earth_kmz()
    preview = empty_store.preview_poi_import(kmz, "梁湖骑行.kmz", default_category="viewpoint")
    assert preview.source_format == "kmz" and preview.ok
    start, repair, tea = preview.added
    assert (start["name_zh"], start["category"], start["desc_zh"]) == ("两湖环线起终点", "viewpoint",
                                                                        "集合点\n周末上午 8 点出发 & 返回")
    assert (repair["name_en"], repair["category"], repair["phone"]) == ("Lianghu bike repair", "repair",
                                                                         "0575-8218 0000")
    assert tea["name_zh"] == "天香茶园" and tea["area"]["type"] == "Polygon"
    assert len(tea["area"]["coordinates"]) == 2  # the outline and its hole
    assert contains(tea["area"], tea["lat"], tea["lon"])  # the marker sits inside the outline, not in the hole
    assert not contains(tea["area"], 29.9618, 120.8325)
    empty_store.apply_poi_import(preview, user="ed")
    area = next(p for p in empty_store.list_pois() if p.name_zh == "天香茶园").area
    assert area["coordinates"][1][0] == [120.832, 29.9615]


def test_a_kml_without_places_is_one_clear_message(empty_store: Store):
    from routes.store import StoreError

    line = kml("<Placemark><LineString><coordinates>120.80,29.97 120.81,29.98</coordinates></LineString></Placemark>")
    with pytest.raises(StoreError) as err:
        empty_store.preview_poi_import(line, "line.kml")
    assert err.value.key == "import_no_places" and "地点" in err.value.message("zh")


# --- hostile files --------------------------------------------------------------------------------------------------

HOSTILE = {
    "xxe_file": b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&x;</name>'
    b"<Point><coordinates>120.8,29.9</coordinates></Point></Placemark></kml>",
    "billion_laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;">]>'
    b"<kml><Document><name>&lol4;</name></Document></kml>",
    "external_dtd": b'<!DOCTYPE kml SYSTEM "http://127.0.0.1:9/kml.dtd"><kml/>',
    "utf16_doctype": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE kml [<!ENTITY x "y">]><kml/>'.encode("utf-16"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("packed", [False, True])
def test_hostile_kml_refused_before_parsing(name, packed, monkeypatch):
    import lxml.etree

    def no_parsing(*args, **kwargs):
        raise AssertionError("the parser must not see a file with a DOCTYPE")

    monkeypatch.setattr(lxml.etree, "iterparse", no_parsing)
    monkeypatch.setattr(lxml.etree, "fromstring", no_parsing)
    data = google_earth_kmz(HOSTILE[name]) if packed else HOSTILE[name]
    with pytest.raises(KmlError) as err:
        read_track_file(data, filename="x.kmz" if packed else "x.kml")
    assert err.value.key == "dtd"
    with pytest.raises(KmlError):
        read_kml_document(data)  # the POI import's way in


def test_hostile_kml_is_refused_by_the_poi_import(store: Store):
    with pytest.raises(KmlError) as err:
        store.preview_poi_import(HOSTILE["xxe_file"], "evil.kml")
    assert err.value.key == "dtd"


#: The bomb's document: this many MiB of white space inside a valid KML (it deflates about a thousand times).
BOMB_MIB = 64
#: The cap the tests patch KMZ_MAX_KML_BYTES down to, and the memory a refusal may take at most.
PATCHED_CAP_BYTES = 1024 * 1024
REFUSAL_PEAK_BYTES = 8 * 1024 * 1024


def _bomb() -> bytes:
    """A KMZ whose doc.kml unpacks to BOMB_MIB MiB, written in pieces (the test never holds it unpacked)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("doc.kml", "w", force_zip64=False) as fh:
            fh.write(b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>')
            piece = b" " * (1024 * 1024)
            for _ in range(BOMB_MIB):
                fh.write(piece)
            fh.write(b"</Document></kml>")
    return out.getvalue()


def _forge_sizes(data: bytes, size: int) -> bytes:
    """The zip with every entry's declared unpacked size replaced by ``size`` (local header and directory)."""
    out = bytearray(data)
    pos = 0
    while (pos := out.find(b"PK\x03\x04", pos)) >= 0:
        struct.pack_into("<L", out, pos + 22, size)
        pos += 4
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) >= 0:
        struct.pack_into("<L", out, pos + 24, size)
        pos += 4
    return bytes(out)


def _peak(call) -> tuple[BaseException | None, int]:
    """What ``call`` raised (None if nothing) and the most memory Python held meanwhile."""
    tracemalloc.start()
    try:
        call()
        raised = None
    except Exception as exc:  # noqa: BLE001 - handed back to the test
        raised = exc
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return raised, peak


def test_a_kmz_bomb_is_refused_on_its_declared_size(monkeypatch):
    bomb = _bomb()
    assert len(bomb) < 200_000
    monkeypatch.setattr(kml_module, "KMZ_MAX_KML_BYTES", PATCHED_CAP_BYTES)
    exc, peak = _peak(lambda: read_track_file(bomb, filename="bomb.kmz"))
    assert isinstance(exc, KmlError) and exc.key == "kmz_too_big", exc
    assert "1 MB" in exc.message("zh")
    assert peak < REFUSAL_PEAK_BYTES


def test_a_kmz_bomb_that_lies_about_its_size_is_refused_in_bounded_memory(monkeypatch):
    """Declared sizes under the cap: the unpacking itself stops (zipfile at the declared size, where the CRC fails;
    our count one piece past the cap), never after 64 MiB in memory."""
    monkeypatch.setattr(kml_module, "KMZ_MAX_KML_BYTES", PATCHED_CAP_BYTES)
    for declared in (1000, PATCHED_CAP_BYTES - 1):
        forged = _forge_sizes(_bomb(), declared)
        exc, peak = _peak(lambda data=forged: read_track_file(data, filename="bomb.kmz"))
        assert isinstance(exc, KmlError) and exc.key in ("kmz_invalid", "kmz_too_big"), exc
        assert peak < REFUSAL_PEAK_BYTES, (declared, peak)


def test_the_unpacking_count_stops_an_entry_past_the_cap(monkeypatch):
    # The cap lowered after the header check: only the count while unpacking can stop it.
    doc = kml("<Placemark><LineString><coordinates>120.80,29.97 120.81,29.98</coordinates></LineString>"
              "</Placemark>" + " " * (3 * kml_module.KMZ_READ_CHUNK_BYTES))
    kmz = google_earth_kmz(doc)
    real_open = zipfile.ZipFile.open
    pieces = []

    def open_under_a_lower_cap(self, *args, **kwargs):
        monkeypatch.setattr(kml_module, "KMZ_MAX_KML_BYTES", kml_module.KMZ_READ_CHUNK_BYTES)
        fh = real_open(self, *args, **kwargs)
        real_read = fh.read
        fh.read = lambda n=-1: pieces.append(n) or real_read(n)
        return fh

    monkeypatch.setattr(zipfile.ZipFile, "open", open_under_a_lower_cap)
    with pytest.raises(KmlError) as err:
        read_kml(kmz)
    assert err.value.key == "kmz_too_big"
    # Read in pieces, and stopped at the first piece past the cap.
    assert pieces == [kml_module.KMZ_READ_CHUNK_BYTES] * 2


def test_a_kmz_listing_too_many_files_is_refused_before_zipfile_reads_it(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("doc.kml", EARTH_DOC)
        for i in range(10):
            zf.writestr(f"files/{i}.png", PNG)
    monkeypatch.setattr(kml_module, "KMZ_MAX_ENTRIES", 5)

    def no_zipfile(*args, **kwargs):
        raise AssertionError("the directory must be checked before zipfile reads it")

    monkeypatch.setattr(zipfile, "ZipFile", no_zipfile)
    with pytest.raises(KmlError) as err:
        read_track_file(out.getvalue(), filename="many.kmz")
    assert err.value.key == "kmz_too_many_entries" and "5" in err.value.message("zh")


def test_odd_zips():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", b"no kml here")
    with pytest.raises(KmlError) as err:
        read_track_file(out.getvalue(), filename="empty.kmz")
    assert err.value.key == "kmz_no_kml"
    broken = google_earth_kmz()
    broken = broken[:200] + bytes(64) + broken[264:]  # damaged compressed data
    with pytest.raises(KmlError) as err:
        read_track_file(broken, filename="broken.kmz")
    assert err.value.key in ("kmz_invalid", "xml_error", "not_xml")
    # A .kml that is not the first entry and not doc.kml is still found.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("files/icon.png", PNG)
        zf.writestr("route.kml", EARTH_DOC)
    assert read_track_file(out.getvalue(), filename="x.kmz").track.n_points == 134
