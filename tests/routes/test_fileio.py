"""Upload readers: FIT and TCX into a Track, dispatch by content, caps and hostile files."""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest

from routes.core.errors import GpxError
from routes.core.model import make_track
from routes.io.fileio import FIT_EPOCH_S, TrackFileError, read_fit, read_tcx, read_track_file, sniff_format
from routes.io.gpxio import write_gpx

T0 = 1_750_000_000  # 2025-06-15T15:06:40Z

# --- a tiny FIT writer (enough of the protocol for tests: file_id, records, events) ------------------------------


def _fit_crc(data: bytes) -> int:
    table = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
             0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)
    crc = 0
    for byte in data:
        tmp = table[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ table[byte & 0xF]
        tmp = table[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ table[(byte >> 4) & 0xF]
    return crc


# (field number, struct code, FIT base type)
_RECORD_FIELDS = ((253, "I", 0x86), (0, "i", 0x85), (1, "i", 0x85), (78, "I", 0x86), (3, "B", 0x02),
                  (7, "H", 0x84))
_EVENT_FIELDS = ((253, "I", 0x86), (0, "B", 0x00), (1, "B", 0x00))


def _definition(local: int, global_num: int, fields) -> bytes:
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
    for num, code, base in fields:
        out += struct.pack("<BBB", num, struct.calcsize(code), base)
    return out


def fit_file(points, *, stop_after: int | None = None, corrupt_crc: bool = False) -> bytes:
    """points: (lat, lon, ele_m or None, time_s, hr) tuples; optional timer stop/start after point ``stop_after``."""
    body = _definition(0, 0, ((0, "B", 0x00),)) + struct.pack("<BB", 0, 4)  # file_id: type = activity
    body += _definition(1, 20, _RECORD_FIELDS) + _definition(2, 21, _EVENT_FIELDS)
    for i, (lat, lon, ele, when, hr) in enumerate(points):
        semi = lambda deg: int(round(deg / 180.0 * 2**31))  # noqa: E731
        alt = 0xFFFFFFFF if ele is None else int(round((ele + 500) * 5))
        body += struct.pack("<B", 1) + struct.pack("<IiiIBH", int(when - FIT_EPOCH_S), semi(lat), semi(lon), alt,
                                                   hr, 0xFFFF)
        if stop_after is not None and i == stop_after:
            # event 0 (timer): event_type 4 = stop_all, then 0 = start
            body += struct.pack("<B", 2) + struct.pack("<IBB", int(when - FIT_EPOCH_S), 0, 4)
            body += struct.pack("<B", 2) + struct.pack("<IBB", int(when - FIT_EPOCH_S) + 60, 0, 0)
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", _fit_crc(header))
    crc = _fit_crc(header + body) ^ (0xFFFF if corrupt_crc else 0)
    return header + body + struct.pack("<H", crc)


POINTS = [(30.0 + i * 0.001, 120.85 + i * 0.0005, 20.0 + i, T0 + 10 * i, 120 + i) for i in range(6)]


def test_fit_records_become_a_track():
    track = read_fit(fit_file(POINTS))
    assert track.n_points == 6
    assert np.allclose(track.lat, [p[0] for p in POINTS], atol=1e-7)
    assert np.allclose(track.lon, [p[1] for p in POINTS], atol=1e-7)
    assert np.allclose(track.ele_m, [p[2] for p in POINTS], atol=0.2)
    assert track.time_s.tolist() == [float(p[3]) for p in POINTS]
    assert track.sensors["hr_bpm"].tolist() == [120.0, 121.0, 122.0, 123.0, 124.0, 125.0]
    assert "power_w" not in track.sensors  # every value was "invalid"
    assert track.segment_starts.tolist() == [0]


def test_fit_missing_altitude_is_nan():
    pts = [(lat, lon, None, t, hr) for lat, lon, _, t, hr in POINTS]
    track = read_fit(fit_file(pts))
    assert not track.has_elevation
    assert track.has_time


def test_fit_timer_stop_starts_a_new_segment():
    assert read_fit(fit_file(POINTS, stop_after=2)).segment_starts.tolist() == [0, 3]


def test_fit_bad_crc_is_refused_with_a_message():
    with pytest.raises(TrackFileError) as err:
        read_fit(fit_file(POINTS, corrupt_crc=True))
    assert err.value.key == "fit_error"
    assert "FIT" in err.value.message("zh")


def test_truncated_fit_is_refused():
    with pytest.raises(TrackFileError) as err:
        read_track_file(fit_file(POINTS)[:60])
    assert err.value.key == "fit_error"


def test_fit_point_cap():
    with pytest.raises(TrackFileError) as err:
        read_fit(fit_file(POINTS), max_points=3)
    assert err.value.key == "too_many_points"
    assert "3" in err.value.message("zh")


# --- TCX ----------------------------------------------------------------------------------------------------------

TCX = b"""<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
  xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities><Activity Sport="Biking"><Id>2025-06-15T15:06:40Z</Id>
  <Lap StartTime="2025-06-15T15:06:40Z"><Track>
   <Trackpoint><Time>2025-06-15T15:06:40Z</Time><Position><LatitudeDegrees>30.0</LatitudeDegrees>
     <LongitudeDegrees>120.85</LongitudeDegrees></Position><AltitudeMeters>21.5</AltitudeMeters>
     <HeartRateBpm><Value>130</Value></HeartRateBpm><Cadence>85</Cadence>
     <Extensions><ns3:TPX><ns3:Watts>210</ns3:Watts></ns3:TPX></Extensions></Trackpoint>
   <Trackpoint><Time>2025-06-15T15:06:50Z</Time></Trackpoint>
   <Trackpoint><Time>2025-06-15T15:07:00Z</Time><Position><LatitudeDegrees>30.001</LatitudeDegrees>
     <LongitudeDegrees>120.851</LongitudeDegrees></Position></Trackpoint>
  </Track><Track>
   <Trackpoint><Time>2025-06-15T15:10:00Z</Time><Position><LatitudeDegrees>30.002</LatitudeDegrees>
     <LongitudeDegrees>120.852</LongitudeDegrees></Position><AltitudeMeters>25</AltitudeMeters></Trackpoint>
  </Track></Lap></Activity></Activities>
</TrainingCenterDatabase>
"""

TCX_COURSE = b"""<?xml version="1.0"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
 <Courses><Course><Name>Tianxiang</Name><Track>
  <Trackpoint><Position><LatitudeDegrees>30.0</LatitudeDegrees><LongitudeDegrees>120.85</LongitudeDegrees></Position></Trackpoint>
  <Trackpoint><Position><LatitudeDegrees>30.01</LatitudeDegrees><LongitudeDegrees>120.86</LongitudeDegrees></Position></Trackpoint>
 </Track>
 <CoursePoint><Name>Tea</Name><Position><LatitudeDegrees>30.005</LatitudeDegrees><LongitudeDegrees>120.855</LongitudeDegrees></Position><PointType>Generic</PointType></CoursePoint>
 </Course></Courses>
</TrainingCenterDatabase>
"""


def test_tcx_activity_points_segments_and_sensors():
    track = read_tcx(TCX)
    assert track.n_points == 3  # the point without a position is skipped
    assert track.lat.tolist() == [30.0, 30.001, 30.002]
    assert track.segment_starts.tolist() == [0, 2]
    assert track.ele_m[0] == 21.5 and math.isnan(track.ele_m[1]) and track.ele_m[2] == 25.0
    assert track.time_s[0] == T0
    assert track.sensors["hr_bpm"][0] == 130 and track.sensors["cad_rpm"][0] == 85
    assert track.sensors["power_w"][0] == 210


def test_tcx_course_with_course_points():
    track = read_tcx(TCX_COURSE)
    assert track.name == "Tianxiang"
    assert track.n_points == 2 and not track.has_time
    assert [(w.name, w.lat, w.type) for w in track.waypoints] == [("Tea", 30.005, "Generic")]


def test_tcx_with_doctype_is_refused():
    hostile = TCX.replace(b"<TrainingCenterDatabase", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
                          b"<TrainingCenterDatabase", 1)
    with pytest.raises(TrackFileError) as err:
        read_track_file(hostile)
    assert err.value.key == "dtd"


def test_broken_tcx_names_the_line():
    with pytest.raises(TrackFileError) as err:
        read_tcx(TCX[:400])
    assert err.value.key == "tcx_error"


def test_tcx_without_positions():
    empty = b'<TrainingCenterDatabase xmlns="x"><Activities/></TrainingCenterDatabase>'
    with pytest.raises(TrackFileError) as err:
        read_track_file(empty)
    assert err.value.key == "no_points"


# --- dispatch -----------------------------------------------------------------------------------------------------


def test_dispatch_by_content_not_by_name():
    gpx = write_gpx(make_track([30.0, 30.001], [120.85, 120.851]))
    assert read_track_file(gpx, filename="ride.fit").format == "gpx"
    assert read_track_file(fit_file(POINTS), filename="ride.gpx").format == "fit"
    assert read_track_file(TCX, filename="ride.gpx").format == "tcx"


def test_sniff_formats():
    assert sniff_format(fit_file(POINTS)) == "fit"
    assert sniff_format(TCX) == "tcx"
    assert sniff_format(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- x -->\n<gpx version="1.1">') == "gpx"
    assert sniff_format('<?xml version="1.0" encoding="UTF-16"?><gpx>'.encode("utf-16")) == "gpx"
    assert sniff_format(b"\x89PNG\r\n\x1a\n....") is None


def test_unknown_and_empty_files():
    with pytest.raises(TrackFileError) as err:
        read_track_file(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, filename="photo.png")
    assert err.value.key == "unknown_format"
    assert "GPX、FIT、TCX、KML 或 KMZ" in err.value.message("zh")
    with pytest.raises(TrackFileError) as err:
        read_track_file(b"  \n")
    assert err.value.key == "empty"


def test_size_cap_names_the_limit():
    with pytest.raises(TrackFileError) as err:
        read_track_file(b"x" * 3_000_000, max_bytes=2_000_000)
    assert err.value.key == "too_big"
    assert err.value.message("zh") == "文件太大：3.0 MB，上限为 2 MB"


def test_broken_gpx_still_raises_the_gpx_error():
    with pytest.raises(GpxError):
        read_track_file(b"<gpx><trk>", filename="a.gpx")


def test_corpus_gpx_files_read_through_the_dispatcher(corpus_dir):
    read = 0
    for path in sorted(corpus_dir.glob("*.gpx")):
        try:
            loaded = read_track_file(path.read_bytes(), filename=path.name)
        except (GpxError, TrackFileError):
            continue
        assert loaded.format == "gpx"
        read += 1
    assert read >= 40
