"""Read an uploaded GPX, FIT, TCX, KML or KMZ file into a Track, choosing the reader by the file's content, not its
name.

FIT is read with fitdecode (CRC checked, every exception wrapped); TCX with lxml configured like the GPX reader (no
DTD, no entity, no network); KML and KMZ by :mod:`routes.io.kml`. The same size and point caps as
:mod:`routes.io.gpxio` apply, and every failure is one :class:`TrackFileError` (or
:class:`~routes.core.errors.GpxError` from the GPX reader, :class:`~routes.io.kml.KmlError` from the KML one) with a
message a person understands, wholly in the page's language: the parsers' English stays in the English message.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from routes.core.errors import GuideError
from routes.core.model import Track, Waypoint
from routes.io.gpxio import DEFAULT_MAX_BYTES, DEFAULT_MAX_POINTS, parse_time_s, read_gpx
from routes.io.kml import is_zip, read_kml
from routes.io.plausible import plausible_track
from routes.io.xmlerrors import xml_problem
from routes.io.xmlguard import UnknownEncoding, declares_dtd

#: FIT timestamps count seconds from 1989-12-31 00:00:00 UTC; fitdecode hands some back as raw integers.
FIT_EPOCH_S = 631_065_600
#: Degrees per FIT "semicircle" (a sint32 spanning ±180°).
DEG_PER_SEMICIRCLE = 180.0 / 2**31
#: Bytes looked at to tell XML formats apart (the root element is always near the top).
SNIFF_BYTES = 4096
FORMATS = ("gpx", "fit", "tcx", "kml", "kmz")
#: fitdecode's exception classes, as a Chinese phrase for the page (its messages are English).
_FIT_PROBLEMS_ZH = {
    "FitCRCError": "校验码不符，文件可能已损坏",
    "FitEOFError": "文件不完整，在中途结束",
    "FitHeaderError": "文件头无效",
}
_FIT_PROBLEM_ZH = "文件已损坏或内容无法解析"

_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(gpx|TrainingCenterDatabase|kml)[\s>/]")
_XML_FORMATS = {b"gpx": "gpx", b"TrainingCenterDatabase": "tcx", b"kml": "kml"}


class TrackFileError(GuideError, ValueError):
    """An uploaded file that cannot be read as a GPX, FIT or TCX track (KML and KMZ: routes.io.kml.KmlError)."""

    templates = {
        "empty": ("文件是空的", "the file is empty"),
        "too_big": (
            "文件太大：{size_mb:.1f} MB，上限为 {limit_mb:.0f} MB",
            "file too large: {size_mb:.1f} MB, the limit is {limit_mb:.0f} MB",
        ),
        "too_many_points": ("点数太多：超过 {limit} 个点的上限", "too many points: more than the limit of {limit} points"),
        "unknown_format": (
            "无法识别的文件：请上传 GPX、FIT、TCX、KML 或 KMZ 格式的轨迹文件",
            "unrecognised file: please upload a GPX, FIT, TCX, KML or KMZ track",
        ),
        # The readers' words ({detail}) are English: the Chinese messages use a Chinese phrase ({detail_zh}).
        "fit_error": ("FIT 文件无法读取（{detail_zh}）", "cannot read the FIT file ({detail})"),
        "tcx_error": (
            "TCX 文件无法读取：第 {line} 行 XML 格式错误（{detail_zh}）",
            "cannot read the TCX file: malformed XML at line {line} ({detail})",
        ),
        "tcx_unreadable": ("TCX 文件无法读取（文件内容有误）", "cannot read the TCX file ({detail})"),
        "dtd": (
            "已拒绝：TCX 文件不应包含 DOCTYPE 或实体声明（可能是恶意文件）",
            "refused: a TCX file never contains a DOCTYPE or entity declaration (possibly hostile)",
        ),
        "encoding": (
            "已拒绝：文件声明的字符编码“{name}”无法安全检查",
            "refused: the file declares a character encoding ('{name}') that cannot be checked safely",
        ),
        "no_points": ("文件里没有带坐标的轨迹点", "the file has no track points with a position"),
    }


@dataclass(frozen=True)
class LoadedTrack:
    """A file as read: its detected format and the Track."""

    format: str  # one of FORMATS
    track: Track


def sniff_format(data: bytes) -> str | None:
    """"fit", "tcx", "gpx", "kml", "kmz" from the bytes themselves, or None."""
    if len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT":
        return "fit"
    if is_zip(data):
        # A zip is a KMZ when it holds a .kml: entry names are stored uncompressed, in the local headers and the
        # directory at the end.
        return "kmz" if b".kml" in data or b".KML" in data else None
    head = data[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark
        try:
            head = head.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            return None
    match = _XML_ROOT.search(head)
    if match is None:
        return None
    return _XML_FORMATS[match.group(1)]


def read_track_file(data: bytes, *, filename: str = "", max_bytes: int = DEFAULT_MAX_BYTES,
                    max_points: int = DEFAULT_MAX_POINTS) -> LoadedTrack:
    """Read GPX, FIT, TCX, KML or KMZ bytes. The content decides the format; the name is used only when the content
    is unclear (a GPX or KML without its root in the first 4 kB, a zip named .kmz holding no KML)."""
    data = bytes(data)
    if len(data) > max_bytes:
        raise TrackFileError("too_big", size_mb=len(data) / 1e6, limit_mb=max_bytes / 1e6)
    if not data.strip():
        raise TrackFileError("empty")
    fmt = sniff_format(data)
    if fmt is None:
        fmt = {".gpx": "gpx", ".kml": "kml", ".kmz": "kmz"}.get(filename.lower()[-4:])
    if fmt == "fit":
        return LoadedTrack("fit", read_fit(data, max_points=max_points))
    if fmt == "tcx":
        return LoadedTrack("tcx", read_tcx(data, max_bytes=max_bytes, max_points=max_points))
    if fmt == "gpx":
        return LoadedTrack("gpx", read_gpx(data, max_bytes=max_bytes, max_points=max_points))
    if fmt in ("kml", "kmz"):
        return LoadedTrack(fmt, read_kml(data, max_bytes=max_bytes, max_points=max_points))
    raise TrackFileError("unknown_format")


# --- assembling ---------------------------------------------------------------------------------------------------


class _Points:
    def __init__(self, max_points: int) -> None:
        self.max_points = max_points
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.ele: list[float] = []
        self.time: list[float] = []
        self.sensors: dict[str, list[float]] = {"hr_bpm": [], "cad_rpm": [], "power_w": [], "atemp_c": []}
        self.segment_starts: list[int] = []
        self._new_segment = True

    def break_segment(self) -> None:
        self._new_segment = True

    def add(self, lat: float, lon: float, ele: float, time_s: float, **sensors: float) -> None:
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0) or (lat == 0.0 and lon == 0.0):
            return  # impossible or "no fix" positions are dropped, as the GPX reader does
        if len(self.lat) >= self.max_points:
            raise TrackFileError("too_many_points", limit=self.max_points)
        if self._new_segment:
            self.segment_starts.append(len(self.lat))
            self._new_segment = False
        self.lat.append(lat)
        self.lon.append(lon)
        self.ele.append(ele)
        self.time.append(time_s)
        for key, values in self.sensors.items():
            values.append(sensors.get(key, math.nan))

    def track(self, *, name: str, waypoints: tuple[Waypoint, ...], warnings: list[str]) -> Track:
        if not self.lat:
            raise TrackFileError("no_points")
        sensors = {k: np.asarray(v, dtype=np.float64) for k, v in self.sensors.items()
                   if np.isfinite(np.asarray(v, dtype=np.float64)).any()}
        return plausible_track(Track(
            lat=np.asarray(self.lat, dtype=np.float64), lon=np.asarray(self.lon, dtype=np.float64),
            ele_m=np.asarray(self.ele, dtype=np.float64), time_s=np.asarray(self.time, dtype=np.float64),
            segment_starts=np.asarray(self.segment_starts, dtype=np.int64), name=name, waypoints=waypoints,
            sensors=sensors, source="trk", warnings=tuple(warnings),
        ))


def _num(value: object) -> float:
    if value is None or isinstance(value, (bool, str, bytes, tuple, list)):
        return math.nan
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


# --- FIT ----------------------------------------------------------------------------------------------------------


def _fit_time(value: object) -> float:
    if isinstance(value, datetime):
        when = value if value.tzinfo else value.replace(tzinfo=UTC)
        return when.timestamp()
    number = _num(value)
    return number + FIT_EPOCH_S if math.isfinite(number) else math.nan


def _fit_degrees(field: object) -> float:
    value = _num(getattr(field, "value", None))
    if math.isnan(value):
        return math.nan
    units = (getattr(field, "units", None) or "").lower()
    return value * DEG_PER_SEMICIRCLE if units in ("semicircles", "") and abs(value) > 360 else value


def _fit_field(frame: object, *names: str) -> object | None:
    for name in names:
        if frame.has_field(name):  # type: ignore[attr-defined]
            field = frame.get_field(name)  # type: ignore[attr-defined]
            if field.value is not None:
                return field
    return None


def read_fit(data: bytes, *, max_points: int = DEFAULT_MAX_POINTS) -> Track:
    """The ``record`` messages of a FIT activity or course as a Track; a timer stop/start starts a new segment.

    Course points (FIT ``course_point``) become waypoints.
    """
    import fitdecode

    pts = _Points(max_points)
    waypoints: list[Waypoint] = []
    name = ""
    stopped = False
    try:
        with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE,
                                 error_handling=fitdecode.ErrorHandling.RAISE) as reader:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if frame.name == "record":
                    lat_f, lon_f = _fit_field(frame, "position_lat"), _fit_field(frame, "position_long")
                    if lat_f is None or lon_f is None:
                        continue  # indoor or no-fix sample
                    ele_f = _fit_field(frame, "enhanced_altitude", "altitude")
                    time_f = _fit_field(frame, "timestamp")
                    sensors = {key: _num(getattr(_fit_field(frame, fname), "value", None))
                               for key, fname in (("hr_bpm", "heart_rate"), ("cad_rpm", "cadence"),
                                                  ("power_w", "power"), ("atemp_c", "temperature"))}
                    if stopped:
                        pts.break_segment()
                        stopped = False
                    pts.add(_fit_degrees(lat_f), _fit_degrees(lon_f), _num(getattr(ele_f, "value", None)),
                            _fit_time(getattr(time_f, "value", None)), **sensors)
                elif frame.name == "event":
                    event_type = str(getattr(_fit_field(frame, "event_type"), "value", "") or "")
                    if event_type.startswith("stop") and pts.lat:
                        stopped = True
                elif frame.name == "course":
                    field = _fit_field(frame, "name")
                    name = str(field.value) if field is not None else name
                elif frame.name == "course_point":
                    lat_f, lon_f = _fit_field(frame, "position_lat"), _fit_field(frame, "position_long")
                    if lat_f is not None and lon_f is not None:
                        label = _fit_field(frame, "name")
                        kind = _fit_field(frame, "type")
                        waypoints.append(Waypoint(lat=_fit_degrees(lat_f), lon=_fit_degrees(lon_f),
                                                  name=str(label.value) if label is not None else "",
                                                  type=str(kind.value) if kind is not None else ""))
    except TrackFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - fitdecode raises many types; one message for the person
        kind = type(exc).__name__
        raise TrackFileError("fit_error", detail=(kind + (f": {exc}" if str(exc) else ""))[:160],
                             detail_zh=_FIT_PROBLEMS_ZH.get(kind, _FIT_PROBLEM_ZH)) from None
    return pts.track(name=name, waypoints=tuple(waypoints), warnings=[])


# --- TCX ----------------------------------------------------------------------------------------------------------


def _local(tag: object) -> str:
    return tag[tag.rfind("}") + 1:] if isinstance(tag, str) else ""


def _child_text(elem: object, *path: str) -> str | None:
    node = elem
    for part in path:
        node = next((c for c in node if _local(c.tag) == part), None)  # type: ignore[union-attr]
        if node is None:
            return None
    return (node.text or "").strip()  # type: ignore[union-attr]


def _text_float(text: str | None) -> float:
    try:
        number = float(text.strip()) if text and text.strip() else math.nan
    except ValueError:
        return math.nan
    return number if math.isfinite(number) else math.nan


def _tcx_float(elem: object, *path: str) -> float:
    return _text_float(_child_text(elem, *path))


def read_tcx(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_points: int = DEFAULT_MAX_POINTS) -> Track:
    """Trackpoints of TCX activities or courses; each <Track> is a segment, course points become waypoints."""
    from lxml import etree

    if len(data) > max_bytes:
        raise TrackFileError("too_big", size_mb=len(data) / 1e6, limit_mb=max_bytes / 1e6)
    try:
        if declares_dtd(data):  # in whatever encoding the parser would read the file in
            raise TrackFileError("dtd")
    except UnknownEncoding as exc:
        raise TrackFileError("encoding", name=exc.name) from None
    pts = _Points(max_points)
    waypoints: list[Waypoint] = []
    warnings: list[str] = []
    names: list[str] = []
    bad_times = 0
    try:
        events = etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
        for event, elem in events:
            tag = _local(elem.tag)
            if event == "start":
                if tag == "Track":
                    pts.break_segment()
                continue
            if tag == "Trackpoint":
                lat = _tcx_float(elem, "Position", "LatitudeDegrees")
                lon = _tcx_float(elem, "Position", "LongitudeDegrees")
                if math.isfinite(lat) and math.isfinite(lon):
                    time_s, _naive = parse_time_s(_child_text(elem, "Time"))
                    if _child_text(elem, "Time") and math.isnan(time_s):
                        bad_times += 1
                    # Power sits in Garmin's ActivityExtension (<ns3:TPX><ns3:Watts>), under any prefix.
                    watts = next((_text_float(n.text) for n in elem.iter() if _local(n.tag) == "Watts"), math.nan)
                    pts.add(lat, lon, _tcx_float(elem, "AltitudeMeters"), time_s,
                            hr_bpm=_tcx_float(elem, "HeartRateBpm", "Value"), cad_rpm=_tcx_float(elem, "Cadence"),
                            power_w=watts)
                elem.clear()
            elif tag == "CoursePoint":
                lat = _tcx_float(elem, "Position", "LatitudeDegrees")
                lon = _tcx_float(elem, "Position", "LongitudeDegrees")
                if math.isfinite(lat) and math.isfinite(lon):
                    waypoints.append(Waypoint(lat=lat, lon=lon, name=_child_text(elem, "Name") or "",
                                              desc=_child_text(elem, "Notes") or "",
                                              type=_child_text(elem, "PointType") or ""))
                elem.clear()
            elif tag == "Course":
                names.append(_child_text(elem, "Name") or "")
            elif tag == "Activity":
                names.append(_child_text(elem, "Notes") or "")
    except TrackFileError:
        raise
    except etree.XMLSyntaxError as exc:
        problem = xml_problem(str(exc.msg or exc), exc.lineno)
        raise TrackFileError("tcx_error", line=problem.line, detail=problem.detail,
                             detail_zh=problem.detail_zh) from None
    except (ValueError, OSError) as exc:
        raise TrackFileError("tcx_unreadable", detail=str(exc)[:160]) from None
    if bad_times:
        warnings.append(f"{bad_times} unreadable timestamps ignored")
    return pts.track(name=next((n for n in names if n), ""), waypoints=tuple(waypoints), warnings=warnings)
