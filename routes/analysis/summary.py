"""Full analysis of a track: distance, elevation gain and loss, grade, climbs, moving time and stops.

One call, one frozen result that pages, the CLI and the exporters share. Heavy libraries (geopandas, shapely, pyproj)
are not imported here: analysing a 100 000-point ride takes a fraction of a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from routes.analysis.climbs import Climb, detect_climbs
from routes.analysis.descents import Descent, detect_descents, longest_descent
from routes.analysis.elevation import (
    DEAD_BAND_M,
    PLAUSIBLE_GRADE,
    TIME_GAP_S,
    ascent_descent,
    build_profile,
    steepest_window_m,
    valid_windows,
    window_grades_pct,
)
from routes.analysis.moving import Stop, analyse_moving
from routes.core.geo import cumulative_distance_m
from routes.core.model import Track
from routes.io.dem import DemTiles, fill_elevation

__all__ = ["Analysis", "Climb", "Descent", "Stop", "StretchStats", "analyse", "analysis_fields", "stretch_stats"]


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything derived from one track. Distances in metres from the start, grades in percent."""

    distance_m: float
    ascent_m: float | None
    descent_m: float | None
    min_ele_m: float | None
    max_ele_m: float | None
    elevation_source: str | None  # "file", "dem" or None
    point_distance_m: np.ndarray  # cumulative distance per track point (zero across segment gaps)
    point_grade_pct: np.ndarray  # smoothed grade at each track point (NaN without elevation)
    profile_distance_m: np.ndarray  # uniform resample of the route
    profile_ele_m: np.ndarray  # smoothed elevation on it
    profile_grade_pct: np.ndarray
    max_grade_100m_pct: float | None  # steepest 100 m uphill (steepest smoothing window if wider, on noisy data)
    climbs: tuple[Climb, ...]
    has_time: bool
    duration_s: float | None
    moving_time_s: float | None
    stops: tuple[Stop, ...]
    warnings: tuple[str, ...]
    min_grade_100m_pct: float | None = None  # steepest 100 m downhill (negative)
    smoothing: str | None = None  # "gps", "barometric" or "dem": which smoothing the profile got
    smoothing_window_m: float | None = None
    #: Window of max_grade_100m_pct, min_grade_100m_pct and each climb's max_grade_pct (m).
    grade_window_m: float | None = None
    #: The warnings as (string key, parameters) for routes.text.i18n.t, so pages show them in the reader's language;
    #: ``warnings`` keeps the English text (the CLI contract).
    notes: tuple[tuple[str, dict], ...] = ()
    #: Descents (the climbs of the route ridden backwards), in route order; see routes.analysis.descents.
    descents: tuple[Descent, ...] = ()

    @property
    def longest_descent(self) -> Descent | None:
        return longest_descent(self.descents)

    def ele_at(self, distance_m: float | np.ndarray) -> float | np.ndarray:
        """Smoothed elevation at a distance along the route (NaN without elevation)."""
        if not len(self.profile_distance_m) or not np.isfinite(self.profile_ele_m).any():
            return float("nan") if np.isscalar(distance_m) else np.full(np.shape(distance_m), np.nan)
        out = np.interp(distance_m, self.profile_distance_m, self.profile_ele_m)
        return float(out) if np.isscalar(distance_m) else out


@dataclass(frozen=True)
class StretchStats:
    """A stretch of the route chosen on the profile."""

    distance_m: float
    gain_m: float | None
    loss_m: float | None
    avg_grade_pct: float | None


def _usable_elevation(track: Track) -> tuple[bool, str | None]:
    """Whether the file's heights can be used, and a warning when they cannot."""
    e = track.ele_m
    finite = np.isfinite(e)
    if not finite.any():
        return False, None
    if np.all(e[finite] == 0):
        return False, "all elevations in the file are 0; ignored as missing"
    return True, None


def profile_breaks(track: Track) -> list[tuple[int, float]]:
    """(i, allowed grade) of every place between point i-1 and i where heights may jump: segment joins (no distance
    is counted there, so no height change is kept) and time gaps (kept up to a plausible road grade)."""
    out = [(int(i), 0.0) for i in track.segment_starts[1:]]
    if track.n_points > 1 and track.has_time:
        dt = np.diff(track.time_s)
        with np.errstate(invalid="ignore"):
            gap = np.flatnonzero(dt >= TIME_GAP_S) + 1
        joins = set(track.segment_starts.tolist())
        out += [(int(i), PLAUSIBLE_GRADE) for i in gap if int(i) not in joins]
    return sorted(out)


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def analyse(track: Track, *, dem_folder: str | Path | None = None, clean_artefacts: bool = True) -> Analysis:
    """Analyse a track. Without usable heights in the file, they are taken from DEM tiles when the folder has any
    ($GUIDE_DEM_DIR or data/dem unless ``dem_folder`` is given). ``clean_artefacts=False`` gives the figures as they
    were before segment joins, time gaps and jumps were handled (benchmarks/corpus_grades.py's "before" column)."""
    warnings: list[str] = []
    notes: list[tuple[str, dict]] = []
    d = cumulative_distance_m(track)
    usable, note = _usable_elevation(track)
    if note:
        warnings.append(note)
        notes.append(("analysis.note.all_zero", {}))
    source: str | None = "file" if usable else None
    ele = track.ele_m if usable else np.full(track.n_points, np.nan)
    if track.n_points and (not usable or not np.isfinite(track.ele_m).all()):
        tiles = DemTiles(dem_folder)
        if tiles:
            base = track if usable else _with_ele(track, ele)
            filled = fill_elevation(base, tiles)
            if np.isfinite(filled.ele_m).any():
                if not usable:
                    source = "dem"
                    warnings.append("elevation taken from the DEM")
                    notes.append(("analysis.note.dem", {}))
                elif np.isfinite(filled.ele_m).sum() > np.isfinite(ele).sum():
                    warnings.append("missing elevations filled from the DEM")
                    notes.append(("analysis.note.dem_filled", {}))
                ele = filled.ele_m
    profile = (build_profile(d, ele, source="dem" if source == "dem" else "file", breaks=profile_breaks(track),
                             clean_artefacts=clean_artefacts, time_s=track.time_s)
               if source and len(d) else None)
    grade_window_m = None
    if profile is not None:
        # What is not terrain, said once each (the English text for the CLI, a key for the pages).
        if profile.spikes_dropped:
            warnings.append(_n(profile.spikes_dropped, "elevation spike", "elevation spikes") + " removed")
            notes.append(("analysis.note.spikes", {"count": profile.spikes_dropped}))
        if profile.jumps_removed:
            warnings.append(_n(profile.jumps_removed, "elevation jump", "elevation jumps")
                            + " at (near) zero distance removed")
            notes.append(("analysis.note.jumps", {"count": profile.jumps_removed}))
        if profile.steps_removed:
            warnings.append(_n(profile.steps_removed, "height step", "height steps")
                            + " at segment joins or time gaps removed")
            notes.append(("analysis.note.steps", {"count": profile.steps_removed}))
        prof_d, prof_e, prof_g = profile.distance_m, profile.ele_m, profile.grade_pct
        point_grade = np.interp(d, prof_d, prof_g)
        # Steepest 100 m, or steepest smoothing window when that is wider: on noisy GPS heights the steepest of
        # thousands of 100 m windows is mostly noise (+2.7 % on a uniform 6 % climb at σ = 3 m; +1.2 % this way).
        # Windows across a join, time gap or jump are not used.
        grade_window_m = steepest_window_m(profile)
        grades = window_grades_pct(prof_e, profile.step_m, grade_window_m)
        ok = valid_windows(profile, grade_window_m) if clean_artefacts else np.ones(len(grades), dtype=bool)
        grades = grades[ok] if ok.any() else grades
        max_g = float(grades.max()) if len(grades) else None
        min_g = float(grades.min()) if len(grades) else None
        climbs = detect_climbs(prof_d, prof_e, max_grade_window_m=grade_window_m,
                               valid_windows=ok if clean_artefacts else None)
        descents = detect_descents(prof_d, prof_e, max_grade_window_m=grade_window_m,
                                   valid_windows=ok if clean_artefacts else None)
        ascent, descent = profile.ascent_m, profile.descent_m
        # From the cleaned profile, so a dropped spike or a 0 written for "no fix" is not the lowest point.
        min_ele, max_ele = float(profile.raw_ele_m.min()), float(profile.raw_ele_m.max())
    else:
        prof_d = np.zeros(0)
        prof_e = np.zeros(0)
        prof_g = np.zeros(0)
        point_grade = np.full(track.n_points, np.nan)
        max_g = min_g = None
        climbs = ()
        descents = ()
        ascent = descent = min_ele = max_ele = None
        source = None
    moving = analyse_moving(track) if track.has_time else None
    if moving is not None:
        warnings.extend(moving.warnings)
        for w in moving.warnings:
            found = re.search(r"\d+", w)
            notes.append(("analysis.note.time_backwards", {"count": int(found.group()) if found else 0}))
    return Analysis(
        distance_m=float(d[-1]) if len(d) else 0.0,
        ascent_m=ascent,
        descent_m=descent,
        min_ele_m=min_ele,
        max_ele_m=max_ele,
        elevation_source=source,
        point_distance_m=d,
        point_grade_pct=point_grade,
        profile_distance_m=prof_d,
        profile_ele_m=prof_e,
        profile_grade_pct=prof_g,
        max_grade_100m_pct=max_g,
        climbs=climbs,
        has_time=track.has_time,
        duration_s=moving.duration_s if moving else None,
        moving_time_s=moving.moving_time_s if moving else None,
        stops=moving.stops if moving else (),
        warnings=tuple(warnings),
        min_grade_100m_pct=min_g,
        smoothing=profile.kind if profile is not None else None,
        smoothing_window_m=profile.window_m if profile is not None else None,
        grade_window_m=grade_window_m,
        notes=tuple(notes),
        descents=descents,
    )


def _with_ele(track: Track, ele: np.ndarray) -> Track:
    import dataclasses

    return dataclasses.replace(track, ele_m=ele)


def stretch_stats(analysis: Analysis, start_m: float, end_m: float) -> StretchStats:
    """Distance, gain, loss and average grade between two distances (in either order) on the smoothed profile."""
    a, b = sorted((float(start_m), float(end_m)))
    a = max(0.0, a)
    b = min(analysis.distance_m, b)
    length = max(0.0, b - a)
    pd, pe = analysis.profile_distance_m, analysis.profile_ele_m
    if not len(pd) or not np.isfinite(pe).any():
        return StretchStats(length, None, None, None)
    inside = (pd > a) & (pd < b)
    dist = np.concatenate(([a], pd[inside], [b]))
    ele = np.interp(dist, pd, pe)
    gain, loss = ascent_descent(ele, DEAD_BAND_M)
    avg = (ele[-1] - ele[0]) / length * 100.0 if length > 0 else None
    return StretchStats(length, gain, loss, avg)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def _descent_fields(d: Descent | None) -> dict[str, float | None] | None:
    """The longest descent in the CLI JSON: distances in metres, grades negative; None when there is none."""
    if d is None:
        return None
    return {
        "start_m": _round(d.start_m),
        "end_m": _round(d.end_m),
        "length_m": _round(d.length_m),
        "drop_m": _round(d.drop_m),
        "avg_grade_pct": _round(d.avg_grade_pct, 2),
        "max_grade_pct": _round(d.max_grade_pct, 2),
    }


def analysis_fields(track: Track) -> dict[str, object]:
    """The analysis keys of the CLI JSON contract (ARCHITECTURE.md): ascent_m, descent_m, moving_time_s, climbs,
    the elevation range after cleaning (spikes and all-zero placeholder heights dropped, so it agrees with the
    ascent), the steepest 100 m up and down (``min_grade_100m_pct`` negative), the longest descent (or None), plus
    the analysis' own warnings. Unknown values are None."""
    an = analyse(track)
    return {
        "min_ele_m": _round(an.min_ele_m),
        "max_ele_m": _round(an.max_ele_m),
        "ascent_m": _round(an.ascent_m),
        "descent_m": _round(an.descent_m),
        "moving_time_s": _round(an.moving_time_s),
        "max_grade_100m_pct": _round(an.max_grade_100m_pct, 2),
        "min_grade_100m_pct": _round(an.min_grade_100m_pct, 2),
        "longest_descent": _descent_fields(an.longest_descent),
        "climbs": [
            {
                "start_m": _round(c.start_m),
                "end_m": _round(c.end_m),
                "length_m": _round(c.length_m),
                "gain_m": _round(c.gain_m),
                "avg_grade_pct": _round(c.avg_grade_pct, 2),
                "max_grade_pct": _round(c.max_grade_pct, 2),
                "category": c.category,
            }
            for c in an.climbs
        ],
        "warnings": list(an.warnings),
    }
