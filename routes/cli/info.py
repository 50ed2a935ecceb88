"""`python -m routes info FILE [--json]`: what a GPX file holds and what the analysis makes of it."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("info", help="summarise a GPX file (distance, elevation, climbs, time)")
    p.add_argument("file", help="a GPX file")
    p.add_argument("--json", action="store_true", help="print one JSON object (contract in ARCHITECTURE.md)")
    p.set_defaults(handler=run_info)


def _clean(value: Any) -> Any:
    """NaN and infinities become null: JSON has no such numbers and 'unknown' is what they mean here."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def analysis_fields(track: Any) -> dict[str, Any]:
    """Ascent, descent, moving time and climbs; delegated to routes.analysis.summary once it exists."""
    try:
        from routes.analysis.summary import analysis_fields as fields
    except ImportError:
        return {"ascent_m": None, "descent_m": None, "moving_time_s": None, "climbs": []}
    return fields(track)


def info_dict(path: str) -> dict[str, Any]:
    import numpy as np

    from routes.core.geo import bbox, track_length_m
    from routes.io.gpxio import read_gpx

    track = read_gpx(path)
    has_ele = track.has_elevation
    times = track.time_s[np.isfinite(track.time_s)]
    out: dict[str, Any] = {
        "name": track.name or None,
        "points": track.n_points,
        "segments": track.n_segments,
        "waypoints": len(track.waypoints),
        "distance_m": round(track_length_m(track), 3),
        "ascent_m": None,
        "descent_m": None,
        "min_ele_m": float(np.nanmin(track.ele_m)) if has_ele else None,
        "max_ele_m": float(np.nanmax(track.ele_m)) if has_ele else None,
        "has_time": track.has_time,
        "duration_s": float(times.max() - times.min()) if len(times) else None,
        "moving_time_s": None,
        "bbox": bbox(track),
        "climbs": [],
        "warnings": list(track.warnings),
    }
    extra = analysis_fields(track)
    out["warnings"] += list(extra.pop("warnings", []))
    out.update(extra)
    return _clean(out)


def run_info(args: argparse.Namespace) -> int:
    info = info_dict(args.file)
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
        return 0
    km = info["distance_m"] / 1000

    def num(value: Any, fmt: str) -> str:
        return "?" if value is None else format(value, fmt)

    print(f"{info['name'] or '(unnamed)'}: {km:.2f} km, {info['points']} points in {info['segments']} segments, "
          f"{info['waypoints']} waypoints")
    print(f"  elevation {num(info['min_ele_m'], '.0f')}–{num(info['max_ele_m'], '.0f')} m, "
          f"ascent {num(info['ascent_m'], '.0f')} m, descent {num(info['descent_m'], '.0f')} m")
    if info.get("max_grade_100m_pct") is not None:
        print(f"  steepest 100 m {info['max_grade_100m_pct']:.1f}%")
    if info.get("min_grade_100m_pct") is not None:
        print(f"  steepest 100 m downhill {info['min_grade_100m_pct']:.1f}%")
    down = info.get("longest_descent")
    if down:
        print(f"  longest descent {down['start_m'] / 1000:.1f}–{down['end_m'] / 1000:.1f} km: "
              f"{down['length_m']:.0f} m, {down['drop_m']:.0f} m down at {down['avg_grade_pct']:.1f}%")
    if info["has_time"]:
        print(f"  duration {num(info['duration_s'], '.0f')} s, moving {num(info['moving_time_s'], '.0f')} s")
    for c in info["climbs"]:
        print(f"  climb {c['start_m'] / 1000:.1f}–{c['end_m'] / 1000:.1f} km: {c['gain_m']:.0f} m at "
              f"{c['avg_grade_pct']:.1f}% (cat {c['category'] or '-'})")
    for w in info["warnings"]:
        print(f"  warning: {w}")
    return 0
