"""Gradient bands: the colours the map line and the elevation profile share, so one legend reads both."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GradeBand:
    key: str  # i18n key suffix: grade.band.<key>
    low_pct: float  # inclusive lower bound
    colour: str


#: Bands chosen for riders, not surveyors: below −3 % you coast, ±3 % rides as flat, 3–6 % is a steady climb,
#: 6–9 % hard, 9–12 % very hard for most leisure riders, 12 % and more is where people walk. Colours run cool to hot and
#: stay apart for the common forms of colour blindness (blue vs. orange/red, plus lightness steps).
GRADE_BANDS: tuple[GradeBand, ...] = (
    GradeBand("descent", -math.inf, "#2b83ba"),
    GradeBand("flat", -3.0, "#1a9641"),
    GradeBand("moderate", 3.0, "#e6b800"),
    GradeBand("hard", 6.0, "#f46d43"),
    GradeBand("steep", 9.0, "#d7191c"),
    GradeBand("wall", 12.0, "#7b2b8f"),
)

_LOWS = np.array([b.low_pct for b in GRADE_BANDS[1:]])


def band_index(grade_pct: object) -> np.ndarray:
    """Index into GRADE_BANDS for every grade; NaN grades count as flat (unknown slope is drawn neutral)."""
    g = np.asarray(grade_pct, dtype=np.float64)
    g = np.where(np.isfinite(g), g, 0.0)
    return np.searchsorted(_LOWS, g, side="right")


def band_colour(grade_pct: float) -> str:
    return GRADE_BANDS[int(band_index([grade_pct])[0])].colour
