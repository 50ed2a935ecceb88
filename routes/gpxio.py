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
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import escape

import numpy as np

from routes.errors import GpxError
from routes.model import SENSOR_CHANNELS, Track, Waypoint

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
_DTD_MARKERS = tuple(
    marker.encode(enc) for marker in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")
)
_UNBOUND_PREFIX = re.compile(r"Namespace prefix (\S+) (?:on|for) \S+ is not defined")


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
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp(), naive


def _times_to_array(texts: list[str | None], warnings: list[str]) -> np.ndarray:
    out = np.full(len(texts), np.nan)
    naive = bad = 0
    cache: dict[str, float] = {}
    for i, text in enumerate(texts):
        if text is None:
            continue
        value = cache.get(text)
        if value is None:
            value, was_naive = parse_time_s(text)
            naive += was_naive
            bad += math.isnan(value)
        out[i] = value
    if naive:
        warnings.append(f"{naive} times have no time zone and were read as UTC")
    if bad:
        warnings.append(f"{bad} times could not be read and were ignored")
    return out


def _sensor_arrays(sink: _Collector) -> dict[str, np.ndarray]:
    arrays = {}
    for channel in SENSOR_CHANNELS:
        values = sink.sensors.get(channel)
        if values:
            arr = np.full(len(sink.lat), np.nan)
            arr[np.fromiter(values.keys(), dtype=np.int64)] = np.fromiter(values.values(), dtype=np.float64)
            arrays[channel] = arr
    return arrays


def _refuse_dtd(data: bytes) -> None:
    # A GPX never needs a DOCTYPE; refusing one outright rules out external entities and entity expansion bombs
    # whatever the parser would have done with them.
    if any(marker in data for marker in _DTD_MARKERS):
        raise GpxError("dtd")


def _syntax_error(exc: Exception) -> GpxError:
    msg = str(getattr(exc, "msg", "") or exc).split("\n")[0]
    line = getattr(exc, "lineno", None) or (getattr(exc, "position", None) or (0, 0))[0]
    unbound = _UNBOUND_PREFIX.search(msg)
    if unbound:
        return GpxError("undeclared_prefix", prefix=unbound.group(1), line=line)
    if line <= 1 and ("Document is empty" in msg or "Start tag expected" in msg):
        return GpxError("not_xml", detail=msg.split(",")[0])
    return GpxError("xml_error", line=line, detail=re.sub(r", line \d+, column \d+$", "", msg))


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
    if not data.strip():
        raise GpxError("empty")
    _refuse_dtd(data)

    from lxml import etree  # imported here so `python -m routes --help` stays instant

    context = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=_POINT_TAGS,
        load_dtd=False,
        dtd_validation=False,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
    )
    trk, rte = _Collector(), _Collector()
    waypoints: list[Waypoint] = []
    wpt_times: list[str | None] = []
    track_names: list[str] = []
    route_names: list[str] = []
    dropped = 0
    try:
        for _, elem in context:
            name = _local(elem.tag)
            if name == "trkpt":
                if not _read_point(elem, trk):
                    dropped += 1
                elem.clear()
                # Free the points already read: a trkseg holds only points (and extensions).
                parent = elem.getparent()
                while elem.getprevious() is not None:
                    del parent[0]
            elif name == "rtept":
                if not _read_point(elem, rte):
                    dropped += 1
                elem.clear()
            elif name == "trkseg":
                trk.close_segment()
            elif name == "trk":
                trk.close_segment()
                track_names.append(_child_texts(elem).get("name", ""))
            elif name == "rte":
                rte.close_segment()
                route_names.append(_child_texts(elem).get("name", ""))
                elem.clear()
            elif name == "wpt":
                wpt = _read_waypoint(elem)
                if wpt is None:
                    dropped += 1
                else:
                    waypoints.append(wpt[0])
                    wpt_times.append(wpt[1])
            if len(trk.lat) + len(rte.lat) + len(waypoints) > max_points:
                raise GpxError("too_many_points", limit=max_points)
        root = context.root
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc) from None
    if root is None or _local(root.tag) != "gpx":
        raise GpxError("wrong_root", root=_local(getattr(root, "tag", "")) or "?")
    namespace = root.tag[1 : root.tag.find("}")] if root.tag.startswith("{") else ""

    warnings: list[str] = []
    if namespace not in GPX_NAMESPACES:
        warnings.append(f"unexpected GPX namespace {namespace}")
    if not root.nsmap.get(None) and not namespace:
        warnings.append("the file declares no GPX namespace")
    trk.close_segment()
    rte.close_segment()
    sink, source_kind = (trk, "trk") if trk.lat else (rte, "rte") if rte.lat else (trk, "")
    if dropped:
        warnings.append(f"{dropped} points with impossible coordinates were dropped")
    n_missing_ele = sum(math.isnan(e) for e in sink.ele)
    if sink.lat and 0 < n_missing_ele < len(sink.lat):
        warnings.append(f"{n_missing_ele} of {len(sink.lat)} points have no elevation")
    if not sink.lat:
        warnings.append("the file has no track or route points" + (", only waypoints" if waypoints else ""))
    time_s = _times_to_array(sink.time, warnings)
    wpt_time_s = _times_to_array(wpt_times, [])
    if waypoints:
        waypoints = [
            w if t is None else Waypoint(w.lat, w.lon, w.name, w.ele_m, float(ts), w.desc, w.sym, w.type)
            for w, t, ts in zip(waypoints, wpt_times, wpt_time_s)
        ]
    names = track_names if source_kind == "trk" else route_names
    meta = _metadata(root)
    return Track(
        lat=np.asarray(sink.lat, dtype=np.float64),
        lon=np.asarray(sink.lon, dtype=np.float64),
        ele_m=np.asarray(sink.ele, dtype=np.float64),
        time_s=time_s,
        segment_starts=np.asarray(sink.segment_starts, dtype=np.int64),
        name=next((n for n in names if n), "") or meta.get("name", ""),
        desc=meta.get("desc", ""),
        waypoints=tuple(waypoints),
        sensors=_sensor_arrays(sink),
        source=source_kind,
        warnings=tuple(warnings),
    )


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
    when = datetime.fromtimestamp(time_s, tz=timezone.utc)
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


def write_gpx(track: Track, *, waypoints: Iterable[Waypoint] | None = None, name: str | None = None) -> bytes:
    """The track (all segments) and its waypoints as a GPX 1.1 document in UTF-8."""
    title = track.name if name is None else name
    parts = [GPX11_HEADER]
    if title or track.desc:
        parts.append(f"<metadata>{_text('name', title)}{_text('desc', track.desc)}</metadata>\n")
    for w in track.waypoints if waypoints is None else waypoints:
        parts.append(_waypoint_xml(w))
    if track.n_points:
        parts.append(f"<trk>{_text('name', title)}\n")
        bounds = list(track.segment_starts) + [track.n_points]
        lat, lon, ele, tim = (a.tolist() for a in (track.lat, track.lon, track.ele_m, track.time_s))
        for start, end in zip(bounds[:-1], bounds[1:]):
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
