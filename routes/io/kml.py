"""Read KML and KMZ (Google Earth, 两步路, 六只脚, OruxMaps …) safely: tracks, waypoints and area outlines.

What is read: every ``Placemark`` wherever it sits (nested ``Folder``/``Document``), matched by local name whatever
its namespace (KML 2.2, Google's older ``earth.google.com`` ones, none at all; Google's ``gx:`` extension).
Lines are ``LineString`` (``coordinates`` holding "lon,lat[,alt]" tuples separated by white space) and ``gx:Track``
(``when`` times paired with ``gx:coord`` "lon lat alt", heart rate, cadence and power from its
``gx:SimpleArrayData``), also inside ``gx:MultiTrack`` and ``MultiGeometry``; each line is a segment. A file with a
recorded ``gx:Track`` uses its tracks, and the plain lines drawn beside them are left out and counted in a warning
(as the GPX reader prefers a track to a route). ``Point`` placemarks are waypoints; ``Polygon`` placemarks
(``outerBoundaryIs``/``innerBoundaryIs``) are area outlines for the POI import. Styles are skipped.

Safety is the GPX reader's: a DOCTYPE or ENTITY declaration in any encoding is refused before a parser sees the
bytes (:mod:`routes.io.xmlguard`), and lxml runs with no DTD, no entity resolution, no network and ``huge_tree`` off.
The document is streamed: each ``gx:coord`` and ``when`` is freed as soon as it is read, each placemark when it
ends. A KMZ is a zip whose ``doc.kml`` (else its first ``.kml``) is the document; its directory is checked before
:mod:`zipfile` reads it, and the document is unpacked in pieces under a size cap (named below), as backups are.
"""

from __future__ import annotations

import html
import io
import math
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from routes.core.errors import GuideError
from routes.core.limits import UPLOAD_MAX_BYTES
from routes.core.model import Track, Waypoint
from routes.io.gpxio import DEFAULT_MAX_BYTES, DEFAULT_MAX_POINTS, parse_time_s
from routes.io.plausible import plausible_track
from routes.io.xmlguard import UnknownEncoding, declares_dtd

#: Most entries a KMZ may list. Real ones hold the document and a few icons or photos (Google Earth's own exports a
#: handful, a photo tour some hundreds); every entry costs a Python object as the zip's directory is read, and a
#: 20 MB upload could otherwise list 400 000 of them.
KMZ_MAX_ENTRIES = 1000
#: Largest zip directory read, in bytes: each entry takes 46 bytes plus its name, so a directory of
#: KMZ_MAX_ENTRIES entries with names of up to ~1 kB fits. Checked on the zip's end record before zipfile reads it.
KMZ_MAX_DIRECTORY_BYTES = KMZ_MAX_ENTRIES * 1024
#: Largest KML document unpacked from a KMZ: the upload limit, so a packed document may be no bigger than one sent as
#: it is (a day's 1 Hz ride as a gx:Track is about 7 MB of KML; KML compresses ten times or more).
KMZ_MAX_KML_BYTES = UPLOAD_MAX_BYTES
#: The document is unpacked in pieces of this size and counted as they come, so one that unpacks to more than its
#: header claims is stopped one piece past the cap instead of after it is all in memory.
KMZ_READ_CHUNK_BYTES = 1024 * 1024
#: How far from the end of a zip its end record can be: 22 bytes plus a comment of at most 65 535 bytes.
_ZIP_END_SEARCH_BYTES = 22 + 0xFFFF
_ZIP_END = struct.Struct("<4s4H2LH")

KML_NAMESPACES = (
    "http://www.opengis.net/kml/2.2",
    "http://earth.google.com/kml/2.2",
    "http://earth.google.com/kml/2.1",
    "http://earth.google.com/kml/2.0",
    "",
)
GX_NAMESPACE = "http://www.google.com/kml/ext/2.2"
#: gx:SimpleArrayData names (lower case) of a gx:Track and the sensor channel each feeds. Google Earth and Garmin
#: write "heartrate"/"cadence"/"power"; others spell them out.
_SENSOR_ARRAYS = {
    "heartrate": "hr_bpm", "heart_rate": "hr_bpm", "hr": "hr_bpm",
    "cadence": "cad_rpm", "cad": "cad_rpm",
    "power": "power_w", "watts": "power_w",
    "temperature": "atemp_c", "temp": "atemp_c",
}
#: The notes this module writes into a track's warnings (English, the CLI's contract; routes.views.notes translates).
LINES_SKIPPED_NOTE = "{count} plain lines beside the recorded track were not used"
_COMMA_SPACES = re.compile(r"\s*,\s*")
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<\s*(?:br\s*/?|/p|/div|/li|/tr)\s*>", re.IGNORECASE)


class KmlError(GuideError, ValueError):
    """A file that cannot be read as KML or KMZ."""

    templates = {
        "empty": ("不是 KML 文件：文件是空的", "not a KML file: the file is empty"),
        "too_big": (
            "文件太大：{size_mb:.1f} MB，上限为 {limit_mb:.0f} MB",
            "file too large: {size_mb:.1f} MB, the limit is {limit_mb:.0f} MB",
        ),
        "too_many_points": ("点数太多：超过 {limit} 个点的上限", "too many points: more than the limit of {limit} points"),
        "dtd": (
            "已拒绝：KML 文件不应包含 DOCTYPE 或实体声明（可能是恶意文件）",
            "refused: a KML file never contains a DOCTYPE or entity declaration (possibly hostile)",
        ),
        "encoding": (
            "已拒绝：文件声明的字符编码“{name}”无法安全检查",
            "refused: the file declares a character encoding ('{name}') that cannot be checked safely",
        ),
        # The parser's words ({detail}) are English: the Chinese messages use a Chinese phrase ({detail_zh}).
        "not_xml": ("不是 KML 文件：内容不是 XML（{detail_zh}）", "not a KML file: not XML ({detail})"),
        "undeclared_prefix": (
            "不是 KML 文件：第 {line} 行使用了未声明的命名空间前缀",
            "not a KML file: undeclared namespace prefix '{prefix}' at line {line}",
        ),
        "xml_error": (
            "不是 KML 文件：第 {line} 行 XML 格式错误（{detail_zh}）",
            "not a KML file: malformed XML at line {line} ({detail})",
        ),
        "wrong_root": (
            "不是 KML 文件：最外层的元素不是 KML 的根元素{looks_zh}",
            "not a KML file: the root element is <{root}>, expected <kml>",
        ),
        "kmz_invalid": (
            "KMZ 文件无法读取：压缩包已损坏、被加密或使用了不支持的压缩方式",
            "cannot read the KMZ file: {detail}",
        ),
        "kmz_no_kml": ("KMZ 文件里没有 KML 文档", "the KMZ file holds no KML document"),
        "kmz_too_many_entries": (
            "已拒绝：KMZ 压缩包里的文件超过 {limit} 个的上限（可能是恶意文件）",
            "refused: the KMZ lists more than the limit of {limit} files (possibly hostile)",
        ),
        "kmz_too_big": (
            "已拒绝：KMZ 里的 KML 文档解压后超过 {limit_mb:.0f} MB 的上限（可能是恶意文件）",
            "refused: the KML document in the KMZ unpacks to more than the limit of {limit_mb:.0f} MB "
            "(possibly hostile)",
        ),
    }


@dataclass(frozen=True, eq=False)
class KmlLine:
    """One LineString or gx:Track: a segment of the route."""

    name: str
    lat: np.ndarray
    lon: np.ndarray
    ele_m: np.ndarray
    time_s: np.ndarray
    #: From a gx:Track (a recording), not a plain LineString (a line drawn on a map).
    recorded: bool
    sensors: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class KmlPlace:
    """A placemark with a point or an outline: a waypoint of a route, a POI to import."""

    name: str
    desc: str
    #: The placemark's point; NaN for an outline without one (the importer puts the marker inside the outline).
    lat: float
    lon: float
    ele_m: float = math.nan
    time_s: float = math.nan
    #: A GeoJSON Polygon or MultiPolygon in WGS-84 ([lon, lat] rings), or None for a point.
    area: dict[str, Any] | None = None
    #: The name of the innermost folder holding it ("补水点" often says what the places in it are).
    folder: str = ""
    #: ExtendedData name → value (Data and SchemaData alike).
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class KmlDocument:
    """What a KML file holds, in file order."""

    name: str
    desc: str
    lines: tuple[KmlLine, ...]
    places: tuple[KmlPlace, ...]
    #: Positions that could not be read (not numbers, off the globe), dropped and counted.
    dropped: int = 0
    naive_times: int = 0
    bad_times: int = 0

    @property
    def waypoints(self) -> tuple[Waypoint, ...]:
        return tuple(Waypoint(lat=p.lat, lon=p.lon, name=p.name, ele_m=p.ele_m, time_s=p.time_s, desc=p.desc,
                              type=p.data.get("type", "") or p.data.get("category", ""))
                     for p in self.places if p.area is None)


# --- KMZ ------------------------------------------------------------------------------------------------------------


def is_zip(data: bytes) -> bool:
    """True when the bytes start like a zip (a KMZ, or any other zip)."""
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _check_directory(data: bytes) -> None:
    """Refuse a zip whose end record announces more entries or a bigger directory than a KMZ needs, before
    zipfile builds an object for each entry."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - _ZIP_END_SEARCH_BYTES))
    if end < 0 or end + _ZIP_END.size > len(data):
        raise KmlError("kmz_invalid", detail="no zip end record")
    _sig, _disk, _cd_disk, _here, entries, directory_bytes, _offset, _comment = _ZIP_END.unpack_from(data, end)
    # 0xFFFF and 0xFFFFFFFF mean "see the zip64 record": more than any KMZ holds, so refused as well.
    if entries > KMZ_MAX_ENTRIES or directory_bytes > KMZ_MAX_DIRECTORY_BYTES:
        raise KmlError("kmz_too_many_entries", limit=KMZ_MAX_ENTRIES)


def _document_entry(zf: zipfile.ZipFile) -> zipfile.ZipInfo:
    """doc.kml at the top, else the first .kml at the top, else the first .kml anywhere (Google's rule, leniently)."""
    kml = [i for i in zf.infolist() if not i.is_dir() and i.filename.lower().endswith(".kml")]
    top = [i for i in kml if "/" not in i.filename.strip("/")]
    for choice in ([i for i in top if i.filename.lower() == "doc.kml"], top, kml):
        if choice:
            return choice[0]
    raise KmlError("kmz_no_kml")


def unpack_kmz(data: bytes) -> bytes:
    """The KML document inside a KMZ, unpacked under :data:`KMZ_MAX_KML_BYTES` (declared size, then real size)."""
    _check_directory(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if len(zf.infolist()) > KMZ_MAX_ENTRIES:
                raise KmlError("kmz_too_many_entries", limit=KMZ_MAX_ENTRIES)
            entry = _document_entry(zf)
            # The header's size is the file's own claim: checked first (cheap), then every piece as it comes.
            if entry.file_size > KMZ_MAX_KML_BYTES:
                raise KmlError("kmz_too_big", limit_mb=KMZ_MAX_KML_BYTES / 2**20)
            pieces: list[bytes] = []
            size = 0
            with zf.open(entry) as fh:
                while piece := fh.read(KMZ_READ_CHUNK_BYTES):
                    size += len(piece)
                    if size > KMZ_MAX_KML_BYTES:
                        raise KmlError("kmz_too_big", limit_mb=KMZ_MAX_KML_BYTES / 2**20)
                    pieces.append(piece)
    # A damaged or unusual zip: bad deflate data, cut short, a wrong CRC, encrypted, an unknown compression method.
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OSError) as exc:
        if isinstance(exc, KmlError):
            raise
        raise KmlError("kmz_invalid", detail=str(exc)[:160] or type(exc).__name__) from None
    return b"".join(pieces)


# --- parsing --------------------------------------------------------------------------------------------------------


def _local(tag: object) -> str:
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def _text(elem: Any) -> str:
    return "".join(elem.itertext()).strip() if len(elem) else (elem.text or "").strip()


def plain_text(text: str) -> str:
    """A KML description as plain text: Google Earth writes HTML (line breaks, links, tables) into it."""
    if "<" not in text and "&" not in text:
        return text.strip()
    text = _TAG.sub("", _BREAK.sub("\n", text))
    lines = (" ".join(line.split()) for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line).strip()


def _position(parts: list[str]) -> tuple[float, float, float] | None:
    """(lon, lat, alt) from a tuple's parts, or None when it is not a position on the globe."""
    if len(parts) < 2:
        return None
    try:
        lon, lat = float(parts[0]), float(parts[1])
        alt = float(parts[2]) if len(parts) > 2 and parts[2] else math.nan
    except ValueError:
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # also false for NaN
        return None
    return lon, lat, alt if math.isfinite(alt) else math.nan


def parse_coordinates(text: str) -> tuple[list[tuple[float, float, float]], int]:
    """The positions of a ``coordinates`` element ("lon,lat[,alt]" tuples separated by white space; the spaces some
    writers put after the commas are tolerated) and how many tuples could not be read."""
    positions: list[tuple[float, float, float]] = []
    dropped = 0
    for token in _COMMA_SPACES.sub(",", text.strip()).split():
        pos = _position(token.split(","))
        if pos is None:
            dropped += 1
        else:
            positions.append(pos)
    return positions, dropped


class _TrackBuilder:
    """A gx:Track as it streams past: its times, positions and sensor arrays."""

    def __init__(self) -> None:
        self.whens: list[str] = []
        self.coords: list[tuple[float, float, float] | None] = []
        self.arrays: dict[str, list[str]] = {}


@dataclass
class _Placemark:
    folder: str
    name: str = ""
    desc: str = ""
    when: str = ""
    data: dict[str, str] = field(default_factory=dict)
    points: list[tuple[float, float, float]] = field(default_factory=list)
    polygons: list[list[list[list[float]]]] = field(default_factory=list)
    lines: list[tuple[list[tuple[float, float, float]], _TrackBuilder | None]] = field(default_factory=list)


def _parser_options() -> dict[str, Any]:
    # Nothing in a file may make the parser read a DTD, expand an entity or open a network address.
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "dtd_validation": False,
            "huge_tree": False, "remove_comments": True, "remove_pis": True}


def _drop_read(elem: Any) -> None:
    """Free an element that has been read, and its siblings read before it."""
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


class _Reader:
    """The streaming pass over one KML document."""

    def __init__(self, max_points: int) -> None:
        self.max_points = max_points
        self.count = 0
        self.dropped = 0
        self.naive = 0
        self.bad_times = 0
        self.name = ""
        self.desc = ""
        self.lines: list[KmlLine] = []
        self.places: list[KmlPlace] = []
        self.folders: list[str] = []
        self.pm: _Placemark | None = None
        self.track: _TrackBuilder | None = None

    def _counted(self, n: int) -> None:
        self.count += n
        if self.count > self.max_points:
            raise KmlError("too_many_points", limit=self.max_points)

    def start(self, tag: str) -> None:
        if tag in ("Folder", "Document"):
            self.folders.append("")  # named when its <name> ends
        elif tag == "Placemark":
            self.pm = _Placemark(folder=next((f for f in reversed(self.folders) if f), ""))
        elif tag == "Track" and self.pm is not None:
            self.track = _TrackBuilder()
        elif tag == "Polygon" and self.pm is not None:
            self.pm.polygons.append([])

    def end(self, tag: str, elem: Any, stack: list[str]) -> None:  # noqa: C901 - one branch per element kept
        parent = stack[-1] if stack else ""
        pm, track = self.pm, self.track
        if track is not None and parent == "Track":
            if tag == "when":
                track.whens.append((elem.text or "").strip())
            elif tag == "coord":
                pos = _position((elem.text or "").split())
                self.dropped += pos is None
                self._counted(1)
                track.coords.append(pos)
            _drop_read(elem)
        elif track is not None and tag == "value" and parent == "SimpleArrayData":
            track.arrays.setdefault((elem.getparent().get("name") or "").lower(), []).append(_text(elem))
            _drop_read(elem)
        elif tag == "Track" and track is not None and pm is not None:
            pm.lines.append(([], track))
            self.track = None
            elem.clear()
        elif tag == "coordinates":
            self._coordinates(_text(elem), stack)
            elem.clear()
        elif tag == "name":
            if parent == "Placemark" and pm is not None:
                pm.name = _text(elem)
            elif parent in ("Folder", "Document") and self.folders:
                self.folders[-1] = _text(elem)
                if parent == "Document" and not self.name:
                    self.name = self.folders[-1]
        elif tag == "description":
            if parent == "Placemark" and pm is not None:
                pm.desc = plain_text(_text(elem))
            elif parent == "Document" and not self.desc:
                self.desc = plain_text(_text(elem))
        elif tag == "when" and parent == "TimeStamp" and pm is not None:
            pm.when = _text(elem)
        elif pm is not None and tag == "value" and parent == "Data":
            pm.data.setdefault(elem.getparent().get("name") or "", _text(elem))
        elif pm is not None and tag == "SimpleData":
            pm.data.setdefault(elem.get("name") or "", _text(elem))
        elif tag in ("Folder", "Document"):
            if self.folders:
                self.folders.pop()
            if tag == "Folder":
                _drop_read(elem)  # its placemarks are read and its name is on record
        elif tag == "Placemark" and pm is not None:
            self._placemark(pm)
            self.pm = None
            _drop_read(elem)
        elif tag in ("Style", "StyleMap"):
            _drop_read(elem)  # styles are not read

    def _coordinates(self, text: str, stack: list[str]) -> None:
        pm = self.pm
        holder = stack[-1] if stack else ""
        if pm is None or holder not in ("Point", "LineString", "LinearRing"):
            return  # a ground overlay's quad, a model's location: nothing this guide uses
        positions, dropped = parse_coordinates(text)
        self.dropped += dropped
        if holder == "Point":
            self._counted(min(1, len(positions)))
            pm.points.extend(positions[:1])
        elif holder == "LineString":
            self._counted(len(positions))
            pm.lines.append((positions, None))
        elif pm.polygons and len(stack) >= 2 and stack[-2] in ("outerBoundaryIs", "innerBoundaryIs"):
            self._counted(len(positions))
            ring = [[lon, lat] for lon, lat, _alt in positions]
            if stack[-2] == "outerBoundaryIs":
                pm.polygons[-1].insert(0, ring)
            else:
                pm.polygons[-1].append(ring)

    def _placemark(self, pm: _Placemark) -> None:
        time_s, naive = parse_time_s(pm.when) if pm.when else (math.nan, False)
        self.naive += naive
        for positions, track in pm.lines:
            line = self._line(pm.name, positions) if track is None else self._track_line(pm.name, track)
            if line is not None:
                self.lines.append(line)
        polygons = [p for p in pm.polygons if p]
        if polygons:
            area = ({"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1 else
                    {"type": "MultiPolygon", "coordinates": polygons})
            lon, lat, ele = pm.points[0] if pm.points else (math.nan, math.nan, math.nan)
            self.places.append(KmlPlace(pm.name, pm.desc, lat, lon, ele, time_s, area, pm.folder, dict(pm.data)))
            return
        for lon, lat, ele in pm.points:
            self.places.append(KmlPlace(pm.name, pm.desc, lat, lon, ele, time_s, None, pm.folder, dict(pm.data)))

    @staticmethod
    def _line(name: str, positions: list[tuple[float, float, float]]) -> KmlLine | None:
        if not positions:
            return None
        arr = np.asarray(positions, dtype=np.float64)
        return KmlLine(name, arr[:, 1].copy(), arr[:, 0].copy(), arr[:, 2].copy(), np.full(len(arr), np.nan),
                       recorded=False)

    def _track_line(self, name: str, track: _TrackBuilder) -> KmlLine | None:
        n = len(track.coords)
        keep = np.asarray([c is not None for c in track.coords], dtype=bool)
        if not keep.any():
            return None
        times = np.full(n, np.nan)
        if len(track.whens) == n:
            for i, when in enumerate(track.whens):
                value, naive = parse_time_s(when)
                times[i] = value
                self.naive += naive
                self.bad_times += bool(when) and math.isnan(value)
        elif track.whens:
            self.bad_times += len(track.whens)  # times that cannot be paired with positions are not guessed
        arr = np.asarray([c for c in track.coords if c is not None], dtype=np.float64)
        sensors: dict[str, np.ndarray] = {}
        for array_name, values in track.arrays.items():
            channel = _SENSOR_ARRAYS.get(array_name)
            if channel is None or channel in sensors or len(values) != n:
                continue
            column = np.asarray([_float(v) for v in values], dtype=np.float64)[keep]
            if np.isfinite(column).any():
                sensors[channel] = column
        return KmlLine(name, arr[:, 1].copy(), arr[:, 0].copy(), arr[:, 2].copy(), times[keep], recorded=True,
                       sensors=sensors)


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


def _load(data: bytes, max_bytes: int) -> bytes:
    data = bytes(data)
    if len(data) > max_bytes:
        raise KmlError("too_big", size_mb=len(data) / 1e6, limit_mb=max_bytes / 1e6)
    if not data or data.isspace():
        raise KmlError("empty")
    if is_zip(data):
        data = unpack_kmz(data)
        if not data or data.isspace():
            raise KmlError("empty")
    return data


def read_kml_document(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES,
                      max_points: int = DEFAULT_MAX_POINTS) -> KmlDocument:
    """Everything a KML or KMZ file holds: lines, points and outlines. ``max_bytes`` bounds the file as given
    (a KMZ's document is bounded by :data:`KMZ_MAX_KML_BYTES`); ``max_points`` every position read."""
    from lxml import etree

    from routes.io.xmlerrors import root_hint_zh, xml_problem

    data = _load(data, max_bytes)
    try:
        if declares_dtd(data):  # in whatever encoding the parser would read the file in
            raise KmlError("dtd")
    except UnknownEncoding as exc:
        raise KmlError("encoding", name=exc.name) from None
    reader = _Reader(max_points)
    stack: list[str] = []
    try:
        for event, elem in etree.iterparse(io.BytesIO(data), events=("start", "end"), **_parser_options()):
            tag = _local(elem.tag)
            if event == "start":
                if not stack and tag != "kml":
                    raise KmlError("wrong_root", root=tag or "?", looks_zh=root_hint_zh(tag))
                stack.append(tag)
                reader.start(tag)
            else:
                stack.pop()
                reader.end(tag, elem, stack)
    except etree.XMLSyntaxError as exc:
        problem = xml_problem(str(exc.msg or exc), exc.lineno)
        raise KmlError(problem.kind, **problem.params()) from None
    return KmlDocument(reader.name, reader.desc, tuple(reader.lines), tuple(reader.places), reader.dropped,
                       reader.naive, reader.bad_times)


def read_kml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_points: int = DEFAULT_MAX_POINTS) -> Track:
    """A KML or KMZ file as a Track: its recorded tracks (else its lines), one segment each, and its points as
    waypoints. Raises :class:`KmlError` with a one-line message for anything that is not a readable KML file."""
    doc = read_kml_document(data, max_bytes=max_bytes, max_points=max_points)
    warnings: list[str] = []
    recorded = [line for line in doc.lines if line.recorded]
    lines = recorded or list(doc.lines)
    if recorded and len(recorded) < len(doc.lines):
        warnings.append(LINES_SKIPPED_NOTE.format(count=len(doc.lines) - len(recorded)))
    if doc.naive_times:
        warnings.append(f"{doc.naive_times} times have no time zone and were read as UTC")
    if doc.bad_times:
        warnings.append(f"{doc.bad_times} times could not be read and were ignored")
    if doc.dropped:
        warnings.append(f"{doc.dropped} points with impossible coordinates were dropped")
    waypoints = doc.waypoints
    if not lines:
        if waypoints:
            warnings.append("the file has no track or route points, only waypoints")
        else:
            warnings.append("the file has no track or route points")
        empty = np.zeros(0)
        return plausible_track(Track(lat=empty, lon=empty.copy(), ele_m=empty.copy(), time_s=empty.copy(),
                                     segment_starts=np.zeros(0, dtype=np.int64), name=doc.name, desc=doc.desc,
                                     waypoints=waypoints, warnings=tuple(warnings)))
    sizes = [len(line.lat) for line in lines]
    n = sum(sizes)
    channels = sorted({c for line in lines for c in line.sensors})
    sensors = {c: np.concatenate([line.sensors.get(c, np.full(len(line.lat), np.nan)) for line in lines])
               for c in channels}
    ele = np.concatenate([line.ele_m for line in lines])
    missing = int(np.isnan(ele).sum())
    if 0 < missing < n:
        warnings.append(f"{missing} of {n} points have no elevation")
    return plausible_track(Track(
        lat=np.concatenate([line.lat for line in lines]),
        lon=np.concatenate([line.lon for line in lines]),
        ele_m=ele,
        time_s=np.concatenate([line.time_s for line in lines]),
        segment_starts=np.cumsum([0, *sizes[:-1]]).astype(np.int64),
        name=next((line.name for line in lines if line.name), "") or doc.name,
        desc=doc.desc,
        waypoints=waypoints,
        sensors=sensors,
        source="trk" if recorded else "rte",
        warnings=tuple(warnings),
    ))


__all__ = ["KmlError", "KmlDocument", "KmlLine", "KmlPlace", "read_kml", "read_kml_document", "unpack_kmz",
           "is_zip", "parse_coordinates", "plain_text"]
