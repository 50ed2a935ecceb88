"""The upload quality report an editor reads before saving: size, gaps, time/elevation, spikes, duplicates, datum
(GCJ-02 or BD-09).

GCJ-02 detection. A track exported in GCJ-02 is the true line moved by a smooth offset (≈ 490 m at Lianghu) with its
shape unchanged, so the track alone cannot prove which datum it is in. The guide does have reference lines of its
own: the routes already in the store (in WGS-84). The check measures how close the uploaded track runs to them as it
is and after the inverse transform ``gcj02_to_wgs84``; when the converted copy fits clearly better (its lower-quartile
distance at most half of the original's, and the original's median distance at least a quarter of the local shift),
the file was almost certainly GCJ-02. The lower quartile, not the median, measures the fit so that a new route sharing
only part of its length with an existing one still decides; the factor two leaves room for reference lines that are
only approximate. How far off the original is, is measured on the median: a winding line moved by the shift still
passes near other parts of itself, which pulls its lower quartile down. Without any reference nearby the check says so instead of guessing, and a hint from the file's
``creator`` (apps known to export GCJ-02) is reported separately. The editor can always convert by hand.

BD-09 detection. A line traced on Baidu Maps is in BD-09: GCJ-02 shifted again (≈ 1.1 km from WGS-84 at Lianghu), so
it is neither of the two. The same comparison is made with a third copy, the track through ``bd09_to_wgs84``; the
copy that fits the references clearly best (by the same factor, and the original off by at least a quarter of that
datum's local shift) gives the verdict, "gcj02" or "bd09", with the offset found. The one-click conversion converts from the
datum found (:attr:`GcjCheck.datum`).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from routes.core.geo import geodesic_m, step_distances_m, track_length_m
from routes.core.model import Track
from routes.io.plausible import plausibility_counts

#: Two points of one segment closer than this are duplicates (a GPS logging the same fix twice).
DUPLICATE_MAX_STEP_M = 0.01
#: A position spike: a point at least this far from both neighbours ...
SPIKE_MIN_JUMP_M = 100.0
#: ... while the neighbours are close to each other (their distance at most this share of the detour).
SPIKE_RETURN_SHARE = 0.2
#: Faster than this between two timed points is a GPS jump, not riding (108 km/h; a descent rarely tops 80 km/h).
SPEED_SPIKE_MPS = 30.0
#: An elevation spike: a point this far above or below both neighbours, which agree with each other to within it.
ELEVATION_SPIKE_M = 40.0
#: A gap between segments longer than this is worth a look (a paused recording that skipped a road).
SEGMENT_GAP_NOTE_M = 200.0
#: A track shorter than this end to end has all its points in one place (a phone left on a table, a file of copies of
#: one point): nothing to draw, measure or ride, so it cannot be saved as a route.
TRACK_MIN_LENGTH_M = 1.0
#: Findings that mean the file has no line at all; the report then says only that.
NO_LINE_FINDINGS = frozenset({"waypoints_only", "no_track_points", "too_few_points", "all_identical"})
#: Points of the track compared with the reference lines (spread evenly; plenty for a quartile).
GCJ_SAMPLE_POINTS = 400
#: The converted copy must fit at least this many times better for a "GCJ-02" verdict (and vice versa for WGS-84).
GCJ_IMPROVEMENT_FACTOR = 2.0
#: The original must be off the references by at least this share of the local shift of the datum found (GCJ-02 or
#: BD-09) for that verdict, measured on the median distance (OFFSET_PERCENTILE). A winding line moved by the shift
#: still passes near other parts of itself: a quarter of the Tianxiang line's points lie within 160 m of it when
#: moved by GCJ-02's 490 m, its BD-09 copy is off by a median of 430 m for a 1.1 km shift; a quarter of the shift
#: leaves room for that and still refuses a file that mostly lies on the references as it is.
GCJ_MIN_OFFSET_SHARE = 0.25
#: Percentile of the distances that says how far off the original is, for GCJ_MIN_OFFSET_SHARE.
OFFSET_PERCENTILE = 50
#: References farther than this (lower-quartile distance, both ways) are not "nearby": no verdict from them.
REFERENCE_NEAR_M = 1500.0
#: Lower-quartile distance used for the comparison (see the module docstring).
FIT_PERCENTILE = 25
#: A datum verdict also needs the converted copy to lie on the references (lower quartile within this): a file traced
#: on a road the guide already holds sits on it, converted, within GPS and tracing error. A new line that merely
#: lands nearer to some reference once shifted (a diagonal test ride 950 m from every route came within 118 m as a
#: BD-09 copy) is no evidence of a datum.
DATUM_FIT_MAX_M = 60.0
#: Words in a GPX creator attribute or file name of apps known to write GCJ-02 coordinates.
GCJ_HINT_WORDS = ("amap", "autonavi", "gaode", "高德", "gcj", "xingzhe", "行者", "tencent", "腾讯", "codoon", "咕咚",
                  "blackbird", "黑鸟", "keep")
#: Words in a creator or file name of apps that write Baidu's BD-09 (Baidu Maps and tools that trace on it).
BD09_HINT_WORDS = ("baidu", "百度", "bd09", "bd-09")
_CREATOR_RE = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?gpx\b[^>]*?\bcreator\s*=\s*["']([^"']{0,200})["']""")


@dataclass(frozen=True)
class SegmentGap:
    """The jump from the end of segment ``after_segment`` (0-based) to the start of the next one."""

    after_segment: int
    gap_m: float
    gap_s: float | None


@dataclass(frozen=True)
class GcjCheck:
    #: "gcj02" (GCJ-02 shift detected), "bd09" (Baidu's BD-09 detected), "wgs84" (fits the references as it is),
    #: "no_reference" (nothing nearby to compare with), "unclear" (references nearby but no copy fits clearly
    #: better), "outside_china".
    verdict: str
    fit_as_is_m: float | None
    #: Fit of the GCJ-02 → WGS-84 copy, and the local GCJ-02 shift.
    fit_converted_m: float | None
    local_shift_m: float | None
    #: The creator/file name mentions an app known to export GCJ-02 (or BD-09: see :attr:`hint_datum`).
    hint: str = ""
    #: Fit of the BD-09 → WGS-84 copy, and the local BD-09 offset from WGS-84.
    fit_bd09_m: float | None = None
    bd09_shift_m: float | None = None

    @property
    def hint_datum(self) -> str:
        """"bd09" when the hint names a Baidu app, "gcj02" for any other hint, "" without one."""
        if not self.hint:
            return ""
        return "bd09" if any(word in self.hint.lower() for word in BD09_HINT_WORDS) else "gcj02"

    @property
    def datum(self) -> str:
        """The datum the editor's one-click conversion converts from: the one detected, else the one the file's
        creator suggests, else GCJ-02 (by far the most common)."""
        if self.verdict in ("gcj02", "bd09"):
            return self.verdict
        return self.hint_datum or "gcj02"


@dataclass(frozen=True)
class FindingMark:
    """Where one counted finding lies on the track the report describes, for the preview map and profile."""

    kind: str  # a key of MARK_KINDS' values: "elevation_spike", "position_spike", "speed_spike", "gap"
    index: int  # the point (for a speed spike the point reached too fast, for a gap the first after it)
    lat: float
    lon: float
    distance_m: float  # along the track (routes.core.geo.cumulative_distance_m)


#: Findings whose places are marked, and the kind of mark: one mark per counted item, so the map, the profile and
#: the report's count always agree.
MARK_KINDS = {"elevation_spikes_removable": "elevation_spike", "position_spikes": "position_spike",
              "speed_spikes": "speed_spike", "gaps": "gap"}


@dataclass(frozen=True)
class Finding:
    """One line of the report: ``key`` is a string key (``quality.<key>``), params fill it in."""

    key: str
    severity: str  # "error", "warning", "info", "ok"
    params: dict = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class QualityReport:
    points: int
    segments: int
    waypoints: int
    distance_m: float
    duration_s: float | None
    time_share: float
    elevation_share: float
    elevation_all_zero: bool
    gaps: tuple[SegmentGap, ...]
    duplicate_points: int
    position_spikes: tuple[int, ...]
    speed_spikes: int
    elevation_spikes: int
    gcj: GcjCheck
    dem_fill_available: bool
    findings: tuple[Finding, ...]
    #: What the analysis removes as not terrain (routes.analysis.elevation): spikes, jumps at (near) zero distance, and
    #: steps at segment joins/time gaps; the first two can be taken out of the file (remove_elevation_spikes).
    analysis_spikes: int = 0
    elevation_jumps: int = 0
    elevation_jump_total_m: float = 0.0
    #: One mark per counted spike, GPS jump, too-fast step and gap (see MARK_KINDS).
    marks: tuple[FindingMark, ...] = ()

    @property
    def can_save(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def _segment_bounds(track: Track) -> list[tuple[int, int]]:
    starts = list(track.segment_starts.tolist()) + [track.n_points]
    return [(a, b) for a, b in zip(starts[:-1], starts[1:], strict=True) if b > a]


def find_gaps(track: Track) -> tuple[SegmentGap, ...]:
    bounds = _segment_bounds(track)
    gaps = []
    for i, ((_, end), (start, _)) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        a, b = end - 1, start
        gap_m = float(geodesic_m(track.lat[a], track.lon[a], track.lat[b], track.lon[b]))
        dt = float(track.time_s[b] - track.time_s[a])
        gaps.append(SegmentGap(after_segment=i, gap_m=gap_m, gap_s=dt if math.isfinite(dt) else None))
    return tuple(gaps)


#: A step between two consecutive timed points longer than this is not a pause in a ride: a file mixing two
#: recordings, or a broken clock (a 2024/9999 file showed a duration of 69 913 263 h).
TIME_JUMP_MAX_S = 7 * 24 * 3600.0
#: Time running backwards by more than this between consecutive points is a broken clock, not GPS jitter.
TIME_BACKWARDS_MAX_S = 3600.0
#: Times more than a day in the future cannot come from a recording (clocks and time zones are off by hours, not
#: days). Old times are not judged: tools and tests write tracks timed from 1970.
FUTURE_SLACK_S = 24 * 3600.0


def find_time_jumps(track: Track, *, now_s: float | None = None) -> tuple[int, float]:
    """(count, largest absolute step in seconds) of implausible time steps: forward jumps longer than
    :data:`TIME_JUMP_MAX_S`, backward ones longer than :data:`TIME_BACKWARDS_MAX_S`, and times outside any
    recording's era (in the future). When there are any, the track's duration is not a fact and is not shown."""
    import time

    t = np.asarray(track.time_s, dtype=np.float64)
    t = t[np.isfinite(t)]
    if len(t) == 0:
        return 0, 0.0
    latest = (time.time() if now_s is None else now_s) + FUTURE_SLACK_S
    out_of_era = int(np.count_nonzero(t > latest))
    steps = np.diff(t)
    bad = (steps > TIME_JUMP_MAX_S) | (steps < -TIME_BACKWARDS_MAX_S)
    largest = float(np.max(np.abs(steps[bad]))) if bad.any() else 0.0
    return int(np.count_nonzero(bad)) + out_of_era, largest


def count_duplicates(track: Track) -> int:
    total = 0
    for a, b in _segment_bounds(track):
        steps = step_distances_m(track.lat[a:b], track.lon[a:b])
        total += int(np.count_nonzero(steps < DUPLICATE_MAX_STEP_M))
    return total


def find_position_spikes(track: Track, *, min_jump_m: float = SPIKE_MIN_JUMP_M,
                         return_share: float = SPIKE_RETURN_SHARE) -> tuple[int, ...]:
    """Indices of points that jump away from the line and straight back (out-and-back within one step)."""
    found: list[int] = []
    for a, b in _segment_bounds(track):
        if b - a < 3:
            continue
        lat, lon = track.lat[a:b], track.lon[a:b]
        d_in = geodesic_m(lat[:-2], lon[:-2], lat[1:-1], lon[1:-1])
        d_out = geodesic_m(lat[1:-1], lon[1:-1], lat[2:], lon[2:])
        d_skip = geodesic_m(lat[:-2], lon[:-2], lat[2:], lon[2:])
        spike = (d_in >= min_jump_m) & (d_out >= min_jump_m) & (d_skip <= return_share * (d_in + d_out))
        found.extend((np.flatnonzero(spike) + a + 1).tolist())
    return tuple(found)


def find_speed_spikes(track: Track, *, max_speed_mps: float = SPEED_SPIKE_MPS,
                      skip: Sequence[int] = ()) -> tuple[int, ...]:
    """Indices of points reached faster than ``max_speed_mps`` from the point before. Steps into or out of a point
    in ``skip`` (the position spikes, already counted as GPS jumps) are left out, so one jump is counted once."""
    skipped = set(skip)
    found: list[int] = []
    for a, b in _segment_bounds(track):
        steps = step_distances_m(track.lat[a:b], track.lon[a:b])
        dt = np.diff(track.time_s[a:b])
        with np.errstate(invalid="ignore", divide="ignore"):
            fast = np.isfinite(dt) & (dt > 0) & (steps / np.where(dt > 0, dt, 1.0) > max_speed_mps)
        found.extend(int(i) + a + 1 for i in np.flatnonzero(fast)
                     if int(i) + a not in skipped and int(i) + a + 1 not in skipped)
    return tuple(found)


def count_speed_spikes(track: Track, *, max_speed_mps: float = SPEED_SPIKE_MPS) -> int:
    return len(find_speed_spikes(track, max_speed_mps=max_speed_mps))


def count_elevation_spikes(track: Track, *, spike_m: float = ELEVATION_SPIKE_M) -> int:
    """Points more than ``spike_m`` off both neighbours. Not what the report counts: its one definition of an
    elevation spike is the analysis's (:func:`elevation_artefacts`), which this fixed rule contradicted."""
    total = 0
    for a, b in _segment_bounds(track):
        ele = track.ele_m[a:b]
        if len(ele) < 3:
            continue
        prev, mid, nxt = ele[:-2], ele[1:-1], ele[2:]
        with np.errstate(invalid="ignore"):
            spike = (np.abs(mid - prev) > spike_m) & (np.abs(mid - nxt) > spike_m) & (np.abs(prev - nxt) <= spike_m)
        total += int(np.count_nonzero(spike & np.isfinite(prev) & np.isfinite(mid) & np.isfinite(nxt)))
    return total


# --- GCJ-02 -------------------------------------------------------------------------------------------------------


def _local_xy(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    # Equirectangular metres around the track: exact to well under 1 % over a few tens of km.
    k = 111_195.0
    return np.column_stack([(lon - lon0) * k * math.cos(math.radians(lat0)), (lat - lat0) * k])


def _distances_m(lat: np.ndarray, lon: np.ndarray, references: Sequence[tuple[np.ndarray, np.ndarray]], lat0: float,
                 lon0: float) -> np.ndarray:
    """Distance of each point to the nearest reference line (infinite without references)."""
    import shapely

    lines = [shapely.linestrings(_local_xy(np.asarray(r_lat, float), np.asarray(r_lon, float), lat0, lon0))
             for r_lat, r_lon in references if len(r_lat) >= 2]
    if not lines:
        return np.full(len(lat), math.inf)
    ref = shapely.multilinestrings(lines)
    pts = shapely.points(_local_xy(lat, lon, lat0, lon0))
    return shapely.distance(pts, ref)


def _percentile(distances_m: np.ndarray, q: float) -> float:
    # Infinite distances (no reference line) stay infinite: numpy's interpolation would make them NaN.
    return float(np.percentile(distances_m, q)) if np.isfinite(distances_m).all() else math.inf


def creator_hint(raw: bytes = b"", filename: str = "") -> str:
    """The creator or file name when it names an app known to export GCJ-02 or BD-09, else ""."""
    match = _CREATOR_RE.search(raw[:4096])
    for text in ((match.group(1).decode("utf-8", "replace") if match else ""), filename):
        low = text.lower()
        if any(word in low for word in GCJ_HINT_WORDS + BD09_HINT_WORDS):
            return text
    return ""


def check_gcj02(track: Track, references: Sequence[tuple[np.ndarray, np.ndarray]] = (), *, hint: str = "") -> GcjCheck:
    """Whether the track looks shifted to GCJ-02 or to BD-09, judged against the given WGS-84 reference lines."""
    from routes.io.chinacoords import bd09_to_wgs84, gcj02_to_wgs84, in_china, wgs84_to_bd09, wgs84_to_gcj02

    if not track.n_points:
        return GcjCheck("no_reference", None, None, None, hint)
    lat0, lon0 = float(np.mean(track.lat)), float(np.mean(track.lon))
    if not bool(in_china(lat0, lon0)):
        return GcjCheck("outside_china", None, None, None, hint)
    g_lat, g_lon = wgs84_to_gcj02(lat0, lon0)
    shift_m = float(geodesic_m(lat0, lon0, g_lat, g_lon))
    b_lat, b_lon = wgs84_to_bd09(lat0, lon0)
    bd_shift_m = float(geodesic_m(lat0, lon0, b_lat, b_lon))
    idx = np.unique(np.linspace(0, track.n_points - 1, min(GCJ_SAMPLE_POINTS, track.n_points)).round().astype(int))
    lat, lon = track.lat[idx], track.lon[idx]
    c_lat, c_lon = gcj02_to_wgs84(lat, lon)
    bd_lat, bd_lon = bd09_to_wgs84(lat, lon)
    as_is_d = _distances_m(lat, lon, references, lat0, lon0)
    as_is, off = (_percentile(as_is_d, q) for q in (FIT_PERCENTILE, OFFSET_PERCENTILE))
    converted, bd = (_percentile(_distances_m(np.asarray(a), np.asarray(b), references, lat0, lon0), FIT_PERCENTILE)
                     for a, b in ((c_lat, c_lon), (bd_lat, bd_lon)))

    def known(value: float) -> float | None:
        return None if math.isinf(value) else value

    if not math.isfinite(as_is) or min(as_is, converted, bd) > REFERENCE_NEAR_M:
        return GcjCheck("no_reference", known(as_is), known(converted), shift_m, hint, known(bd), bd_shift_m)
    # A datum wins when its copy fits clearly better than the file as it is and than the other datum's copy.
    if (converted * GCJ_IMPROVEMENT_FACTOR <= min(as_is, bd) and off >= GCJ_MIN_OFFSET_SHARE * shift_m
            and converted <= DATUM_FIT_MAX_M):
        verdict = "gcj02"
    elif (bd * GCJ_IMPROVEMENT_FACTOR <= min(as_is, converted) and off >= GCJ_MIN_OFFSET_SHARE * bd_shift_m
          and bd <= DATUM_FIT_MAX_M):
        verdict = "bd09"
    elif as_is * GCJ_IMPROVEMENT_FACTOR <= min(converted, bd):
        verdict = "wgs84"
    else:
        verdict = "unclear"
    return GcjCheck(verdict, as_is, converted, shift_m, hint, bd, bd_shift_m)


#: The note a conversion leaves in the track's warnings, by datum (routes.views.notes translates them).
CONVERTED_NOTES = {"gcj02": "converted from GCJ-02 to WGS-84", "bd09": "converted from BD-09 to WGS-84"}


def convert_to_wgs84(track: Track, datum: str) -> Track:
    """The track (and its waypoints) moved from ``datum`` ("gcj02" or "bd09") back to WGS-84; everything else
    unchanged."""
    from routes.io.chinacoords import bd09_to_wgs84, gcj02_to_wgs84

    inverse = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}[datum]
    lat, lon = inverse(track.lat, track.lon)
    wpts = []
    for w in track.waypoints:
        w_lat, w_lon = inverse(w.lat, w.lon)
        wpts.append(dataclasses.replace(w, lat=float(w_lat), lon=float(w_lon)))
    return dataclasses.replace(track, lat=np.asarray(lat, dtype=np.float64), lon=np.asarray(lon, dtype=np.float64),
                               waypoints=tuple(wpts), warnings=track.warnings + (CONVERTED_NOTES[datum],))


def convert_gcj02_to_wgs84(track: Track) -> Track:
    """The track (and its waypoints) moved from GCJ-02 back to WGS-84; everything else unchanged."""
    return convert_to_wgs84(track, "gcj02")


def convert_bd09_to_wgs84(track: Track) -> Track:
    """The track (and its waypoints) moved from Baidu's BD-09 back to WGS-84; everything else unchanged."""
    return convert_to_wgs84(track, "bd09")


# --- elevation from the DEM ---------------------------------------------------------------------------------------


def dem_covers(track: Track, folder: str | Path | None = None) -> bool:
    """True when the DEM folder holds every tile the track touches."""
    from routes.io.dem import DemTiles

    if not track.n_points:
        return False
    tiles = DemTiles(folder)
    if not tiles:
        return False
    keys = set(zip(np.floor(track.lat).astype(int).tolist(), np.floor(track.lon).astype(int).tolist(), strict=True))
    return all(tiles.tile(la, lo) is not None for la, lo in keys)


# --- elevation artefacts -----------------------------------------------------------------------------------------


def elevation_artefacts(track: Track) -> tuple[np.ndarray, int, int, float]:
    """(spike points, spike count, jump/step count, height removed at jumps and steps in m), as the analysis sees
    them (routes.analysis.elevation). Only spikes are points that can simply be corrected in the file: at a jump or a join
    the file does not say which side's heights are right, so the analysis levels them on every read instead."""
    from routes.analysis.elevation import build_profile, estimate_noise_m, reject_spikes
    from routes.analysis.summary import profile_breaks
    from routes.core.geo import cumulative_distance_m

    bad = np.zeros(track.n_points, dtype=bool)
    if track.n_points < 3 or not np.isfinite(track.ele_m).any():
        return bad, 0, 0, 0.0
    d = cumulative_distance_m(track)
    p = build_profile(d, track.ele_m, breaks=profile_breaks(track), time_s=track.time_s)
    if p is None:
        return bad, 0, 0, 0.0
    finite = np.isfinite(track.ele_m)
    bad = finite & ~reject_spikes(d, track.ele_m, noise_m=estimate_noise_m(d[finite], track.ele_m[finite]))
    return bad, p.spikes_dropped, p.jumps_removed + p.steps_removed, p.removed_m


def remove_elevation_spikes(track: Track) -> Track:
    """The track with the height of every spike replaced by the height interpolated (by distance) from the other
    points of its segment. Everything else unchanged."""
    from routes.core.geo import cumulative_distance_m

    bad, _, _, _ = elevation_artefacts(track)
    if not bad.any():
        return track
    d = cumulative_distance_m(track)
    ele = track.ele_m.copy()
    for a, b in _segment_bounds(track):
        seg_bad = bad[a:b]
        good = ~seg_bad & np.isfinite(ele[a:b])
        if seg_bad.any():
            ele[a:b][seg_bad] = np.interp(d[a:b][seg_bad], d[a:b][good], ele[a:b][good]) if good.any() else np.nan
    return dataclasses.replace(track, ele_m=ele, warnings=track.warnings + ("elevation spikes removed",))


# --- the report ---------------------------------------------------------------------------------------------------


def quality_report(track: Track, *, references: Sequence[tuple[np.ndarray, np.ndarray]] = (), raw: bytes = b"",
                   filename: str = "", dem_folder: str | Path | None = None) -> QualityReport:
    """Everything an editor should know about an upload before saving it."""
    n = track.n_points
    time_ok = np.isfinite(track.time_s)
    ele_ok = np.isfinite(track.ele_m)
    time_share = float(time_ok.mean()) if n else 0.0
    ele_share = float(ele_ok.mean()) if n else 0.0
    all_zero = bool(ele_ok.any() and np.all(track.ele_m[ele_ok] == 0.0))
    duration = float(np.nanmax(track.time_s) - np.nanmin(track.time_s)) if time_ok.any() else None
    time_jumps, largest_jump_s = find_time_jumps(track)
    dropped = plausibility_counts(track.warnings)
    if time_jumps or dropped.get("times"):
        duration = None  # first to last time spans the broken clock, not the ride
    gaps = find_gaps(track)
    dups = count_duplicates(track)
    spikes = find_position_spikes(track)
    fast = find_speed_spikes(track, skip=spikes)  # a position spike's two fast steps are that one jump
    speed = len(fast)
    # One definition of an elevation spike: the analysis's (what it ignores and the one-click fix removes). A
    # second, fixed 40 m rule once said "2 spikes" next to "4 spikes" for the same file.
    ele_bad, analysis_spikes, jumps, jump_m = elevation_artefacts(track)
    ele_spikes = int(ele_bad.sum())
    gcj = check_gcj02(track, references, hint=creator_hint(raw, filename))
    needs_ele = ele_share < 1.0 or all_zero
    dem_ok = bool(needs_ele and dem_covers(track, dem_folder))
    distance = track_length_m(track) if n else 0.0

    f: list[Finding] = []
    if n == 0 and track.waypoints:
        f.append(Finding("waypoints_only", "error", {"count": len(track.waypoints)}))
    elif n == 0:
        f.append(Finding("no_track_points", "error"))
    elif n < 2:
        f.append(Finding("too_few_points", "error", {"points": n}))
    elif distance < TRACK_MIN_LENGTH_M:
        f.append(Finding("all_identical", "error", {"points": n}))
    if track.source == "rte":
        f.append(Finding("route_only", "info"))
    if not time_ok.any():
        f.append(Finding("no_time", "info"))
    elif time_share < 1.0:
        f.append(Finding("some_time", "info", {"pct": round(100 * time_share)}))
    if time_jumps:
        f.append(Finding("time_jumps", "warning", {"count": time_jumps, "largest_h": round(largest_jump_s / 3600)}))
    if dropped.get("far_points"):
        f.append(Finding("far_points_dropped", "warning", {"count": dropped["far_points"]}))
    if dropped.get("elevations"):
        f.append(Finding("absurd_elevations_ignored", "warning", {"count": dropped["elevations"]}))
    if dropped.get("times"):
        f.append(Finding("absurd_times_ignored", "warning", {"count": dropped["times"]}))
    if not ele_ok.any():
        f.append(Finding("no_elevation", "warning"))
    elif all_zero:
        f.append(Finding("elevation_zero", "warning"))
    elif ele_share < 1.0:
        f.append(Finding("some_elevation", "warning", {"pct": round(100 * ele_share)}))
    if needs_ele:
        f.append(Finding("dem_available" if dem_ok else "dem_missing", "info"))
    long_gaps = [g for g in gaps if g.gap_m >= SEGMENT_GAP_NOTE_M]
    if gaps:
        f.append(Finding("gaps", "warning" if long_gaps else "info",
                         {"count": len(gaps), "longest_m": round(max(g.gap_m for g in gaps))}))
    if dups:
        f.append(Finding("duplicates", "info", {"count": dups}))
    if spikes:
        f.append(Finding("position_spikes", "warning", {"count": len(spikes)}))
    if speed:
        f.append(Finding("speed_spikes", "warning", {"count": speed, "limit_kmh": round(SPEED_SPIKE_MPS * 3.6)}))
    if ele_spikes:  # what the fix button removes, counted as the points it changes
        f.append(Finding("elevation_spikes_removable", "warning", {"count": ele_spikes}))
    if jumps:
        f.append(Finding("elevation_jumps", "warning", {"count": jumps, "total_m": round(jump_m)}))
    gcj_params = {"as_is_m": round(gcj.fit_as_is_m or 0), "converted_m": round(gcj.fit_converted_m or 0),
                  "shift_m": round(gcj.local_shift_m or 0)}
    if gcj.verdict == "bd09":  # the fit and the offset of the datum found
        gcj_params.update(converted_m=round(gcj.fit_bd09_m or 0), shift_m=round(gcj.bd09_shift_m or 0))
    gcj_severity = {"gcj02": "warning", "bd09": "warning", "wgs84": "ok", "unclear": "warning", "no_reference": "info",
                    "outside_china": "info"}[gcj.verdict]
    # The page asks the editor to convert (one click) or to confirm keeping the file as it is after a GCJ-02 or
    # BD-09 verdict. Every datum finding's key starts with "gcj_" (the editor keeps those of the upload as sent).
    f.append(Finding(f"gcj_{gcj.verdict}", gcj_severity, gcj_params))
    if gcj.hint and gcj.verdict not in ("gcj02", "bd09"):
        f.append(Finding("gcj_hint_bd09" if gcj.hint_datum == "bd09" else "gcj_hint", "warning",
                         {"creator": gcj.hint}))
    if f and f[0].key in NO_LINE_FINDINGS:
        # Nothing to draw or ride: time, elevation and datum notes about no line would only bury the one message.
        f = f[:1]
    if not any(x.severity in ("error", "warning") for x in f):
        f.append(Finding("all_good", "ok"))
    return QualityReport(
        points=n, segments=track.n_segments, waypoints=len(track.waypoints), distance_m=distance, duration_s=duration,
        time_share=time_share, elevation_share=ele_share, elevation_all_zero=all_zero, gaps=gaps,
        duplicate_points=dups, position_spikes=spikes, speed_spikes=speed, elevation_spikes=ele_spikes, gcj=gcj,
        dem_fill_available=dem_ok, findings=tuple(f), analysis_spikes=int(ele_bad.sum()), elevation_jumps=jumps,
        elevation_jump_total_m=jump_m,
        marks=finding_marks(track, elevation=np.flatnonzero(ele_bad).tolist(), position=spikes, speed=fast,
                            gaps=[a for a, _ in _segment_bounds(track)[1:]] if gaps else []),
    )


def finding_marks(track: Track, *, elevation: Sequence[int], position: Sequence[int], speed: Sequence[int],
                  gaps: Sequence[int]) -> tuple[FindingMark, ...]:
    """The marks of the counted findings, in the order along the track."""
    from routes.core.geo import cumulative_distance_m

    if not track.n_points:
        return ()
    d = cumulative_distance_m(track)
    out = [FindingMark(kind, int(i), float(track.lat[i]), float(track.lon[i]), float(d[i]))
           for kind, indices in (("elevation_spike", elevation), ("position_spike", position), ("speed_spike", speed),
                                 ("gap", gaps)) for i in indices]
    return tuple(sorted(out, key=lambda m: (m.index, m.kind)))
