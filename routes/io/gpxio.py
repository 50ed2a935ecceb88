"""Read GPX 1.0/1.1 files safely and fast into a Track; write a Track back as GPX 1.1.

The reader streams the file with lxml's ``iterparse`` and frees each point once read, so memory stays near the size
of the numeric arrays rather than of an object tree. Elements are matched by local name whatever their namespace
(Garmin Connect writes ``ns3:``, others ``gpxtpx:``; some files have none). Nothing in a file can make the reader
open another file or a network address: DOCTYPEs are refused before parsing and the parser is configured to load no
DTD, resolve no entity and touch no network.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from routes.core.errors import GpxError
from routes.core.model import SENSOR_CHANNELS, Track, Waypoint
from routes.io.plausible import plausible_track

#: Largest file accepted. Real rides of a whole day at 1 Hz are ~15 MB; 64 MB leaves room without inviting abuse.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: Most points accepted (a 24-hour ride at 1 Hz has 86 400).
DEFAULT_MAX_POINTS = 1_000_000

GPX_NAMESPACES = ("http://www.topografix.com/GPX/1/1", "http://www.topografix.com/GPX/1/0", "")

# Extension element local names (any namespace) and the channel they feed: Garmin TrackPointExtension v1/v2 (hr,
# cad, atemp), gpx.studio/Cluetrust power and the unprefixed names some apps write.
_SENSOR_TAGS = {
    "hr": "hr_bpm",
    "heartrate": "hr_bpm",
    "cad": "cad_rpm",
    "cadence": "cad_rpm",
    "power": "power_w",
    "PowerInWatts": "power_w",
    "watts": "power_w",
    "atemp": "atemp_c",
    "temp": "atemp_c",
}
_POINT_TAGS = ("{*}trkpt", "{*}rtept", "{*}wpt", "{*}trkseg", "{*}trk", "{*}rte")


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag[tag.rfind("}") + 1 :]


def _float_or_nan(text: str | None) -> float:
    if text is None:
        return math.nan
    try:
        return float(text)
    except ValueError:
        return math.nan


def _child_texts(elem: object) -> dict[str, str]:
    out: dict[str, str] = {}
    for child in elem:  # type: ignore[attr-defined]
        name = _local(child.tag)
        if name and name not in out and name != "extensions":
            out[name] = (child.text or "").strip()
    return out


def _read_point(elem: object, sink: _Collector) -> bool:
    """Append one trkpt/rtept to the sink; False when its coordinates are impossible."""
    try:
        lat = float(elem.get("lat"))  # type: ignore[attr-defined]
        lon = float(elem.get("lon"))  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return False
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # also false for NaN
        return False
    ele = math.nan
    when = None
    index = len(sink.lat)
    for child in elem:  # type: ignore[attr-defined]
        name = _local(child.tag)
        if name == "ele":
            ele = _float_or_nan(child.text)
        elif name == "time":
            when = child.text
        elif name == "extensions":
            for sub in child.iter():
                channel = _SENSOR_TAGS.get(_local(sub.tag))
                if channel is not None and sub.text:
                    value = _float_or_nan(sub.text)
                    if not math.isnan(value):
                        sink.sensors.setdefault(channel, {})[index] = value
    sink.lat.append(lat)
    sink.lon.append(lon)
    sink.ele.append(ele)
    sink.time.append(when)
    return True


def parse_time_s(text: str | None) -> tuple[float, bool]:
    """Seconds since the epoch for an ISO 8601 time, and whether it lacked a zone (read as UTC)."""
    if not text:
        return math.nan, False
    text = text.strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        # Python keeps at most 6 fractional digits; some writers give 7 or more.
        trimmed = re.sub(r"(\.\d{6})\d+", r"\1", text)
        try:
            when = datetime.fromisoformat(trimmed)
        except ValueError:
            return math.nan, False
    naive = when.tzinfo is None
    if naive:
        when = when.replace(tzinfo=UTC)
    return when.timestamp(), naive


def _parse_times(texts: list) -> tuple[np.ndarray, int, int]:
    """Seconds since the epoch for each time text (str or bytes; None for missing), with the number of times
    that had no zone (read as UTC) and that could not be read."""
    n = len(texts)
    if n and None not in texts:
        fast = _utc_times_vectorised(texts)
        if fast is not None:
            return fast, 0, 0
    out = np.full(n, np.nan)
    naive = bad = 0
    cache: dict = {}
    for i, text in enumerate(texts):
        if text is None:
            continue
        value = cache.get(text)
        if value is None:
            value, was_naive = parse_time_s(text.decode("utf-8", "replace") if isinstance(text, bytes) else text)
            naive += was_naive
            bad += math.isnan(value)
            cache[text] = value
        out[i] = value
    return out, naive, bad


def _time_warnings(naive: int, bad: int, warnings: list[str]) -> None:
    if naive:
        warnings.append(f"{naive} times have no time zone and were read as UTC")
    if bad:
        warnings.append(f"{bad} times could not be read and were ignored")


def _times_to_array(texts: list, warnings: list[str]) -> np.ndarray:
    values, naive, bad = _parse_times(texts)
    _time_warnings(naive, bad, warnings)
    return values


_TIME_SEPARATORS = {4: ord("-"), 7: ord("-"), 10: ord("T"), 13: ord(":"), 16: ord(":")}
_DIGIT_COLUMNS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]


def _utc_times_vectorised(texts: list) -> np.ndarray | None:
    """Plain UTC times of one width ("2024-05-01T08:00:00Z", optionally with a fraction) read arithmetically from a
    byte matrix: a hundred times faster than datetime per string. None when any time has another form."""
    raw = [t if isinstance(t, bytes) else t.encode() for t in texts]
    width = len(raw[0])
    joined = b"".join(raw)
    if len(joined) != width * len(raw) or width < 20 or (width > 20 and raw[0][19:20] != b"."):
        return None
    m = np.frombuffer(joined, dtype=np.uint8).reshape(len(raw), width)
    if any((m[:, col] != sep).any() for col, sep in _TIME_SEPARATORS.items()) or (m[:, -1] != ord("Z")).any():
        return None
    if width > 20 and (m[:, 19] != ord(".")).any():
        return None
    frac_cols = list(range(20, width - 1))
    digits = m[:, _DIGIT_COLUMNS + frac_cols].astype(np.int64) - ord("0")
    if ((digits < 0) | (digits > 9)).any():
        return None

    def number(first: int, count: int) -> np.ndarray:
        value = np.zeros(len(raw), dtype=np.int64)
        for k in range(first, first + count):
            value = value * 10 + digits[:, k]
        return value

    year, month, day = number(0, 4), number(4, 2), number(6, 2)
    hour, minute, second = number(8, 2), number(10, 2), number(12, 2)
    if ((month < 1) | (month > 12) | (day < 1) | (day > 31) | (hour > 23) | (minute > 59) | (second > 60)).any():
        return None
    # Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    seconds = (days * 86400 + hour * 3600 + minute * 60 + second).astype(np.float64)
    if frac_cols:
        seconds += number(14, len(frac_cols)) / 10.0 ** len(frac_cols)
    return seconds


class _Collector:
    """Accumulates points of one kind (track or route) with their segment boundaries."""

    def __init__(self) -> None:
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.ele: list[float] = []
        self.time: list[str | None] = []
        self.sensors: dict[str, dict[int, float]] = {}
        self.segment_starts: list[int] = []
        self._open_from = 0

    def close_segment(self) -> None:
        if len(self.lat) > self._open_from:
            self.segment_starts.append(self._open_from)
        self._open_from = len(self.lat)

    def to_points(self, warnings: list[str]) -> _Points:
        self.close_segment()
        n = len(self.lat)
        sensors = {}
        for channel in SENSOR_CHANNELS:
            values = self.sensors.get(channel)
            if values:
                arr = np.full(n, np.nan)
                arr[np.fromiter(values.keys(), dtype=np.int64)] = np.fromiter(values.values(), dtype=np.float64)
                sensors[channel] = arr
        return _Points(
            lat=np.asarray(self.lat, dtype=np.float64),
            lon=np.asarray(self.lon, dtype=np.float64),
            ele_m=np.asarray(self.ele, dtype=np.float64),
            time_s=_times_to_array(self.time, warnings),
            segment_starts=np.asarray(self.segment_starts, dtype=np.int64),
            sensors=sensors,
        )


@dataclass
class _Points:
    lat: np.ndarray
    lon: np.ndarray
    ele_m: np.ndarray
    time_s: np.ndarray
    segment_starts: np.ndarray
    sensors: dict[str, np.ndarray]
    naive_times: int = 0
    bad_times: int = 0

    def __len__(self) -> int:
        return len(self.lat)


@dataclass
class _Document:
    """What the streaming pass found, before it becomes a Track."""

    trk: _Collector
    rte: _Collector
    waypoints: list[Waypoint]
    wpt_times: list[str | None]
    track_names: list[str]
    route_names: list[str]
    dropped: int
    root_tag: str
    declares_default_ns: bool
    meta: dict[str, str]


def _refuse_dtd(data: bytes) -> None:
    # A GPX never needs a DOCTYPE; refusing one outright rules out external entities and entity expansion bombs
    # whatever the parser would have done with them.
    # The check decodes the file the way libxml2 will (byte-order mark, UTF-16/32 and EBCDIC signatures, declared
    # encoding): a UTF-32 or EBCDIC DOCTYPE is refused like a UTF-8 one.
    from routes.io.xmlguard import UnknownEncoding, declares_dtd

    try:
        found = declares_dtd(data)
    except UnknownEncoding as exc:
        raise GpxError("encoding", name=exc.name) from None
    if found:
        raise GpxError("dtd")


def _syntax_error(msg: str, line: int) -> GpxError:
    from routes.io.xmlerrors import xml_problem

    problem = xml_problem(msg, line)  # the parser's English for the English message, a Chinese phrase for Chinese
    return GpxError(problem.kind, **problem.params())


def _parser_options() -> dict:
    # Nothing in a file may make the parser read a DTD, expand an entity or open a network address.
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "dtd_validation": False,
            "huge_tree": False}


class _DoctypeSeen(Exception):
    pass


class _Discard:
    """Parser target that keeps nothing: the document is checked at C speed without building a tree."""

    def doctype(self, name: object, pubid: object, system: object) -> None:
        # Second line of defence behind _refuse_dtd: whatever encoding hid it, the parser itself saw a DOCTYPE.
        raise _DoctypeSeen

    def close(self) -> None:
        return None


def _validate(data: bytes) -> None:
    """Raise GpxError unless the bytes are well-formed, namespace-correct XML."""
    from lxml import etree

    parser = etree.XMLParser(target=_Discard(), **_parser_options())
    try:
        etree.fromstring(data, parser)
    except _DoctypeSeen:
        raise GpxError("dtd") from None
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(str(exc.msg or exc), exc.lineno or 0) from None
    # With a parser target libxml2 only logs namespace errors; they still make the file invalid.
    for entry in parser.error_log:
        if entry.level_name in ("ERROR", "FATAL"):
            raise _syntax_error(entry.message, entry.line)


def read_gpx(
    source: bytes | str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_points: int = DEFAULT_MAX_POINTS,
) -> Track:
    """Read a GPX document (bytes, or a path) into a Track.

    Tracks are used when the file has track points; otherwise routes; waypoints are kept either way. Raises
    :class:`GpxError` with a one-line message for anything that is not a readable GPX file.
    """
    data = _load(source, max_bytes)
    _refuse_dtd(data)
    _validate(data)
    warnings: list[str] = []
    fast = _fast_track_points(data, max_points)
    if fast is None:
        doc = _stream(data, max_points)
        trk = doc.trk.to_points(warnings)
    else:
        trk, reduced = fast
        _time_warnings(trk.naive_times, trk.bad_times, warnings)
        doc = _stream(reduced, max_points - len(trk))
    return _assemble(doc, trk, warnings)


def _load(source: bytes | str | Path, max_bytes: int) -> bytes:
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError:
            raise GpxError("no_file", path=str(source)) from None
        if size > max_bytes:
            raise GpxError("too_big", size_mb=size / 1e6, limit_mb=max_bytes / 1e6)
        data = path.read_bytes()
    else:
        data = bytes(source)
    if len(data) > max_bytes:
        raise GpxError("too_big", size_mb=len(data) / 1e6, limit_mb=max_bytes / 1e6)
    if not data or data.isspace():  # isspace, unlike strip, makes no copy of a big file
        raise GpxError("empty")
    return data


# The fast path. After _validate the document is known to be well-formed XML, so in a UTF-8 file whose point region
# holds no comment or CDATA a <trkpt> cannot hide inside anything else and the regular expressions below see exactly
# the elements a parser would. Each check that could be fooled sends the file to the streaming path instead.
_ANY_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"  # any namespace prefix: matched by local name like the streaming path
_ATTRS = rb"((?:[^>\"'/]++|/(?!>)|\"[^\"]*\"|'[^']*')*+)"


def _point_pattern(prefix: bytes) -> re.Pattern[bytes]:
    return re.compile(
        rb"<" + prefix + rb"trkpt\b" + _ATTRS + rb"(?:/>|>\s*"
        rb"(?:<" + prefix + rb"ele\s*>([^<]*)</" + prefix + rb"ele\s*>\s*)?"
        rb"(?:<" + prefix + rb"time\s*>([^<]*)</" + prefix + rb"time\s*>\s*)?"
        # The rest of the point up to its end tag, as possessive runs: a lazy ".*?" costs a test per byte.
        rb"((?:[^<]++|<(?!/" + prefix + rb"trkpt\b))*+)</" + prefix + rb"trkpt\s*>)",
        re.DOTALL,
    )


# The layout nearly every writer uses: lat then lon in double quotes, no prefix. Capturing them here saves a pass.
_TRKPT_STANDARD = re.compile(
    rb'<trkpt\s+lat="([^"]*)"\s+lon="([^"]*)"\s*(?:/>|>\s*'
    rb"(?:<ele>([^<]*)</ele>\s*)?(?:<time>([^<]*)</time>\s*)?"
    rb"((?:[^<]++|<(?!/trkpt\b))*+)</trkpt\s*>)"
)
# Without a prefix the pattern starts with a literal, which the regex engine finds with a fast scan; a file that
# prefixes its GPX elements (rare) pays for the general form.
_TRKPT_PLAIN = _point_pattern(b"")
_LAT = re.compile(rb"""(?:^|\s)lat\s*=\s*["']([^"']*)["']""", re.MULTILINE)
_LON = re.compile(rb"""(?:^|\s)lon\s*=\s*["']([^"']*)["']""", re.MULTILINE)
_CORE_IN_REST = re.compile(rb"<" + _ANY_PREFIX + rb"(?:ele|time)\b")
_HIDDEN = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>", re.DOTALL)
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _floats_or_nan(texts: Sequence[bytes | None]) -> np.ndarray:
    """Numbers from element texts; empty or missing ones are NaN (never 0). ValueError on anything else."""
    if all(texts):
        try:
            return np.fromiter(map(float, texts), dtype=np.float64, count=len(texts))
        except ValueError:
            pass  # blank texts among them: take the slow road below
    return np.array([float(t) if t and t.strip() else math.nan for t in texts], dtype=np.float64)


def _sensor_columns(rests: list[bytes]) -> dict[str, np.ndarray]:
    """Sensor values from each point's remaining markup, with numpy's vectorised string search."""
    joined = b"".join(rests)
    present = [tag for tag in _SENSOR_TAGS if tag.encode() + b">" in joined]
    arr = np.array(rests, dtype=np.bytes_)
    out: dict[str, np.ndarray] = {}
    for tag in present:
        values = np.full(len(rests), np.nan)
        for opener in (b":" + tag.encode() + b">", b"<" + tag.encode() + b">"):
            pos = np.strings.find(arr, opener)
            hit = np.flatnonzero(pos >= 0)
            if not len(hit):
                continue
            begin = pos[hit] + len(opener)
            end = np.strings.find(arr[hit], b"<", begin)
            texts = np.strings.slice(arr[hit], begin, np.where(end >= 0, end, begin))
            for i, text in zip(hit.tolist(), texts.tolist(), strict=False):
                try:
                    values[i] = float(text)
                except ValueError:
                    pass
        if np.isfinite(values).any():
            channel = _SENSOR_TAGS[tag]
            out[channel] = np.where(np.isnan(values), out.get(channel, values), values) if channel in out else values
    return out


#: Points are pulled out in slices of about this many bytes, each turned into arrays before the next is read, so
#: the per-point strings of only one slice are alive at a time.
FAST_BATCH_BYTES = 1 << 20


def _fast_track_points(data: bytes, max_points: int) -> tuple[_Points, bytes] | None:
    """Track points straight from the bytes, and the document with them cut out; None when unsure."""
    head = data[:200]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return None
    declared = _DECLARED_ENCODING.search(head.lstrip(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        return None
    if b":trkpt" in data or b":ele>" in data or b":time>" in data or b":trkseg" in data:
        return None  # prefixed GPX elements are rare: the streaming path reads them
    n_open = data.count(b"<trkpt")
    if n_open == 0:
        return None
    if n_open > max_points:
        raise GpxError("too_many_points", limit=max_points)
    first = data.find(b"<trkpt")
    last = data.index(b">", data.rindex(b"trkpt")) + 1
    if b"<!" in data:  # comments and CDATA are rare; look at them only when there are any
        for hidden in _HIDDEN.finditer(data):
            text = hidden.group()
            if (first < hidden.start() < last) or b"trkpt" in text or b"trkseg" in text:
                return None
    # Between the first and the last point a GPX holds only track structure; anything else there (a waypoint or
    # route written out of order, a later track's name) goes through the streaming path to be kept exactly.
    if any(data.find(word, first, last) >= 0 for word in (b"wpt", b"rte", b"name>", b"desc>", b"metadata")):
        return None

    view = memoryview(data)
    seg_bounds = [first]
    while (pos := data.find(b"<trkseg", seg_bounds[-1] + 1, last)) >= 0:
        seg_bounds.append(pos)
    seg_bounds.append(last)
    parts: list[_Points] = []
    segment_starts: list[int] = []
    naive = bad = n = 0
    for seg_start, seg_end in zip(seg_bounds[:-1], seg_bounds[1:], strict=False):
        pos = seg_start
        opened = False
        while pos < seg_end:
            cut = data.find(b"<trkpt", min(pos + FAST_BATCH_BYTES, seg_end), seg_end)
            cut = seg_end if cut < 0 else cut
            part = _fast_batch(view[pos:cut], data.count(b"<trkpt", pos, cut))
            if part is None:
                return None
            if len(part) and not opened:
                segment_starts.append(n)
                opened = True
            n += len(part)
            naive += part.naive_times
            bad += part.bad_times
            parts.append(part)
            pos = cut
    if n != n_open:
        return None
    channels = {c for p in parts for c in p.sensors}
    sensors = {
        c: np.concatenate([p.sensors.get(c, np.full(len(p), np.nan)) for p in parts]) for c in sorted(channels)
    }
    points = _Points(
        lat=np.concatenate([p.lat for p in parts]),
        lon=np.concatenate([p.lon for p in parts]),
        ele_m=np.concatenate([p.ele_m for p in parts]),
        time_s=np.concatenate([p.time_s for p in parts]),
        segment_starts=np.asarray(segment_starts, dtype=np.int64),
        sensors=sensors,
        naive_times=naive,
        bad_times=bad,
    )
    # What is left (names, routes, waypoints, metadata) is small once the point region is cut out; the region
    # starts and ends at the same depth of a well-formed document, so the rest is well-formed too.
    return points, data[:first] + data[last:]


def _fast_batch(chunk: memoryview, expected: int) -> _Points | None:
    """Arrays for the points of one slice of the document; None when the slice needs the streaming path."""
    groups = _TRKPT_STANDARD.findall(chunk)
    if len(groups) != expected:
        # General layout: attributes in any order or quoting, read with a second pass.
        groups = _TRKPT_PLAIN.findall(chunk)
        attrs = b"\n".join(g[0] for g in groups)
        lats, lons = _LAT.findall(attrs), _LON.findall(attrs)
        if len(groups) != expected or len(lats) != expected or len(lons) != expected:
            return None
        groups = [(la, lo, *g[1:]) for la, lo, g in zip(lats, lons, groups, strict=False)]
    if not groups:
        return _Points(*(np.zeros(0) for _ in range(4)), np.zeros(1, dtype=np.int64), {})  # type: ignore[arg-type]
    lats, lons, eles, times_raw, rests = zip(*groups, strict=False)  # one transposition instead of a pass per column
    del groups
    joined_rests = b"".join(rests)
    if _CORE_IN_REST.search(joined_rests) or b"&" in b"".join(times_raw):
        return None
    times = list(times_raw) if all(times_raw) else [t or None for t in times_raw]
    try:
        # float() through map beats numpy's bytes-to-float conversion by about three times.
        lat = np.fromiter(map(float, lats), dtype=np.float64, count=len(lats))
        lon = np.fromiter(map(float, lons), dtype=np.float64, count=len(lons))
        ele = _floats_or_nan(eles)
    except ValueError:
        return None  # entity references or odd text: let the parser decide
    if not ((np.abs(lat) <= 90) & (np.abs(lon) <= 180)).all():  # NaN compares false too
        return None  # the streaming path counts and reports dropped points
    time_s, naive, bad = _parse_times(times)
    sensors = _sensor_columns(rests) if b"<" in joined_rests else {}
    return _Points(lat, lon, ele, time_s, np.zeros(1, dtype=np.int64), sensors, naive, bad)


def _stream(data: bytes, max_points: int) -> _Document:
    """Walk the document with iterparse, freeing each point once read."""
    from lxml import etree

    context = etree.iterparse(io.BytesIO(data), events=("end",), tag=_POINT_TAGS, remove_comments=True,
                              **_parser_options())
    doc = _Document(_Collector(), _Collector(), [], [], [], [], 0, "", False, {})
    trk, rte = doc.trk, doc.rte
    try:
        for _, elem in context:
            name = _local(elem.tag)
            if name == "trkpt":
                if not _read_point(elem, trk):
                    doc.dropped += 1
                elem.clear()
                # Free the points already read: a trkseg holds only points (and extensions).
                parent = elem.getparent()
                while elem.getprevious() is not None:
                    del parent[0]
            elif name == "rtept":
                if not _read_point(elem, rte):
                    doc.dropped += 1
                elem.clear()
            elif name == "trkseg":
                trk.close_segment()
            elif name == "trk":
                trk.close_segment()
                doc.track_names.append(_child_texts(elem).get("name", ""))
            elif name == "rte":
                rte.close_segment()
                doc.route_names.append(_child_texts(elem).get("name", ""))
                elem.clear()
            elif name == "wpt":
                wpt = _read_waypoint(elem)
                if wpt is None:
                    doc.dropped += 1
                else:
                    doc.waypoints.append(wpt[0])
                    doc.wpt_times.append(wpt[1])
            if len(trk.lat) + len(rte.lat) + len(doc.waypoints) > max_points:
                raise GpxError("too_many_points", limit=max_points)
        root = context.root
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(str(exc.msg or exc), exc.lineno or 0) from None
    if root is None or _local(root.tag) != "gpx":
        from routes.io.xmlerrors import root_hint_zh

        found = _local(getattr(root, "tag", "")) or "?"
        raise GpxError("wrong_root", root=found, looks_zh=root_hint_zh(found))
    doc.root_tag = root.tag
    doc.declares_default_ns = bool(root.nsmap.get(None))
    doc.meta = _metadata(root)
    return doc


def _assemble(doc: _Document, trk: _Points, warnings: list[str]) -> Track:
    namespace = doc.root_tag[1 : doc.root_tag.find("}")] if doc.root_tag.startswith("{") else ""
    if namespace not in GPX_NAMESPACES:
        warnings.append(f"unexpected GPX namespace {namespace}")
    if not namespace:
        warnings.append("the file declares no GPX namespace")
    if len(trk):
        points, source_kind, names = trk, "trk", doc.track_names
    else:
        rte = doc.rte.to_points(warnings)
        points, source_kind, names = (rte, "rte", doc.route_names) if len(rte) else (trk, "", [])
    if doc.dropped:
        warnings.append(f"{doc.dropped} points with impossible coordinates were dropped")
    n_missing_ele = int(np.isnan(points.ele_m).sum())
    if 0 < n_missing_ele < len(points):
        warnings.append(f"{n_missing_ele} of {len(points)} points have no elevation")
    if not len(points):
        warnings.append("the file has no track or route points" + (", only waypoints" if doc.waypoints else ""))
    waypoints = doc.waypoints
    if waypoints:
        wpt_time_s = _times_to_array(doc.wpt_times, [])
        waypoints = [
            w if t is None else Waypoint(w.lat, w.lon, w.name, w.ele_m, float(ts), w.desc, w.sym, w.type)
            for w, t, ts in zip(waypoints, doc.wpt_times, wpt_time_s, strict=False)
        ]
    return plausible_track(Track(
        lat=points.lat,
        lon=points.lon,
        ele_m=points.ele_m,
        time_s=points.time_s,
        segment_starts=points.segment_starts,
        name=next((n for n in names if n), "") or doc.meta.get("name", ""),
        desc=doc.meta.get("desc", ""),
        waypoints=tuple(waypoints),
        sensors=points.sensors,
        source=source_kind,
        warnings=tuple(warnings),
    ))


def _read_waypoint(elem: object) -> tuple[Waypoint, str | None] | None:
    try:
        lat = float(elem.get("lat"))  # type: ignore[attr-defined]
        lon = float(elem.get("lon"))  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    texts = _child_texts(elem)
    wpt = Waypoint(
        lat=lat,
        lon=lon,
        name=texts.get("name", ""),
        ele_m=_float_or_nan(texts.get("ele") or None),
        desc=texts.get("desc", "") or texts.get("cmt", ""),
        sym=texts.get("sym", ""),
        type=texts.get("type", ""),
    )
    return wpt, texts.get("time") or None


def _metadata(root: object) -> dict[str, str]:
    """Name and description from <metadata> (GPX 1.1) or directly under <gpx> (GPX 1.0)."""
    out: dict[str, str] = {}
    for child in root:  # type: ignore[attr-defined]
        name = _local(child.tag)
        if name == "metadata":
            for key, value in _child_texts(child).items():
                out.setdefault(key, value)
        elif name in ("name", "desc"):
            out.setdefault(name, (child.text or "").strip())
    return out


# --------------------------------------------------------------------------------------------------- writing

GPX11_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="Tianxiang Cycling Guide" xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">\n'
)


def format_time(time_s: float) -> str:
    """ISO 8601 UTC with a Z, keeping milliseconds only when there are any."""
    when = datetime.fromtimestamp(time_s, tz=UTC)
    if when.microsecond:
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(tag: str, value: str) -> str:
    return f"<{tag}>{escape(value)}</{tag}>" if value else ""


def _point_body(ele_m: float, time_s: float) -> str:
    body = ""
    if not math.isnan(ele_m):
        body += f"<ele>{ele_m!r}</ele>"
    if not math.isnan(time_s):
        body += f"<time>{format_time(time_s)}</time>"
    return body


def _waypoint_xml(w: Waypoint) -> str:
    return (
        f'<wpt lat="{w.lat!r}" lon="{w.lon!r}">{_point_body(w.ele_m, w.time_s)}'
        f'{_text("name", w.name)}{_text("desc", w.desc)}{_text("sym", w.sym)}{_text("type", w.type)}</wpt>\n'
    )


def write_gpx(
    track: Track, *, waypoints: Iterable[Waypoint] | None = None, name: str | None = None, trk_extensions: str = ""
) -> bytes:
    """The track (all segments) and its waypoints as a GPX 1.1 document in UTF-8.

    ``trk_extensions`` is ready XML (in its own namespace) for the track's ``<extensions>``: GPX lets other tools
    skip what they do not know there."""
    title = track.name if name is None else name
    parts = [GPX11_HEADER]
    if title or track.desc:
        parts.append(f"<metadata>{_text('name', title)}{_text('desc', track.desc)}</metadata>\n")
    for w in track.waypoints if waypoints is None else waypoints:
        parts.append(_waypoint_xml(w))
    if track.n_points:
        parts.append(f"<trk>{_text('name', title)}\n")
        if trk_extensions:
            parts.append(f"<extensions>{trk_extensions}</extensions>\n")
        bounds = list(track.segment_starts) + [track.n_points]
        lat, lon, ele, tim = (a.tolist() for a in (track.lat, track.lon, track.ele_m, track.time_s))
        for start, end in zip(bounds[:-1], bounds[1:], strict=False):
            parts.append("<trkseg>\n")
            parts.extend(
                f'<trkpt lat="{lat[i]!r}" lon="{lon[i]!r}">{_point_body(ele[i], tim[i])}</trkpt>\n'
                for i in range(start, end)
            )
            parts.append("</trkseg>\n")
        parts.append("</trk>\n")
    parts.append("</gpx>\n")
    return "".join(parts).encode("utf-8")


__all__ = ["read_gpx", "write_gpx", "parse_time_s", "format_time"]
