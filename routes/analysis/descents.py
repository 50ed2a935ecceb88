"""Descents: the climbs of the route ridden backwards.

A descent a rider should be told about is exactly a climb seen from the other end, so it is found by running the
climb detector (routes.analysis.climbs) on the reversed profile — same gates (≥ 300 m at ≥ 3 %, ≥ 15 m of drop), same
merging across small rises, same trimming of flat run-ins — and mapping the result back to forward distances. Grades
of a descent are negative, as a rider's computer shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routes.analysis.climbs import MAX_GRADE_WINDOW_M, detect_climbs


@dataclass(frozen=True)
class Descent:
    """One descent along the route; distances from the start of the route, grades negative."""

    start_m: float  # where the road starts to fall (the top)
    end_m: float  # where it levels out (the foot)
    length_m: float
    drop_m: float  # height lost, positive
    avg_grade_pct: float  # negative
    max_grade_pct: float  # steepest 100 m (or grade window) within it, negative
    top_ele_m: float
    foot_ele_m: float


def detect_descents(
    distance_m: np.ndarray,
    ele_m: np.ndarray,
    *,
    max_grade_window_m: float = MAX_GRADE_WINDOW_M,
    valid_windows: np.ndarray | None = None,
) -> tuple[Descent, ...]:
    """Descents of a smoothed profile on a uniform grid, in route order.

    ``valid_windows`` is the forward flag array of routes.analysis.elevation.valid_windows (one per window start);
    reversed, window j of the backwards profile is forward window n − k − 1 − j, i.e. the same array read backwards.
    """
    d = np.asarray(distance_m, dtype=np.float64)
    e = np.asarray(ele_m, dtype=np.float64)
    if len(d) < 3:
        return ()
    total = float(d[-1])
    back_d = total - d[::-1]
    back_ok = valid_windows[::-1] if valid_windows is not None else None
    climbs = detect_climbs(back_d, e[::-1], max_grade_window_m=max_grade_window_m, valid_windows=back_ok)
    out = [
        Descent(
            start_m=total - c.end_m,
            end_m=total - c.start_m,
            length_m=c.length_m,
            drop_m=c.gain_m,
            avg_grade_pct=-c.avg_grade_pct,
            max_grade_pct=-c.max_grade_pct,
            top_ele_m=c.summit_ele_m,
            foot_ele_m=c.start_ele_m,
        )
        for c in climbs
    ]
    return tuple(sorted(out, key=lambda x: x.start_m))


def longest_descent(descents: tuple[Descent, ...]) -> Descent | None:
    """The longest descent (the larger drop on a tie): the one a rider on a city bike brakes longest on."""
    if not descents:
        return None
    return max(descents, key=lambda x: (x.length_m, x.drop_m))


__all__ = ["Descent", "detect_descents", "longest_descent"]
