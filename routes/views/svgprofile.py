"""The elevation profile as inline SVG drawn on the server: gradient bands, climbs and POIs, with a text alternative."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from routes.analysis.graderuns import MIN_RUN_PX, merge_runs
from routes.analysis.grades import GRADE_BANDS

#: Height of the whole figure in CSS pixels; the width follows the page (100 %).
SVG_HEIGHT_PX = 200
#: Room under the plot for the kilometre labels.
AXIS_PX = 18
#: Room above the highest point for climb labels.
TOP_PX = 18
#: The plot's shapes are drawn in this many user units across and stretched to the page width (preserveAspectRatio
#: none); strokes keep their pixel width (vector-effect: non-scaling-stroke).
PLOT_UNITS = 1000
#: Width the gradient runs are merged for: a phone in portrait (narrowest screen the profile is read on).
NARROWEST_WIDTH_PX = 360
#: Vertical room below the lowest point, as a share of the elevation range (at least MIN_PAD_M).
PAD_SHARE = 0.12
MIN_PAD_M = 10.0
#: Fewest and most kilometre labels across the figure (more would collide on a phone).
MAX_KM_LABELS = 6
#: Kilometre labels right of this share of the width would run into the unit label at the right end.
UNIT_LABEL_FROM_PCT = 92.0
CLIMB_FILL = "#d7191c"
CLIMB_FILL_OPACITY = 0.10
POI_COLOUR = "#5b2c83"
OUTLINE_COLOUR = "#333333"
#: Coordinates in the plot are written with this many decimals (0.01 of a unit is far below a pixel).
DECIMALS = 1
#: The surface band under the km axis (route facts): a gap, the band, and under it each warning's stretch as a thin
#: line; the figure grows by SURFACE_ROW_PX only when a route has surfaces or warnings, so the plot above is unchanged.
SURFACE_GAP_PX = 3
SURFACE_BAND_PX = 10
WARNING_LINE_GAP_PX = 2
WARNING_LINE_PX = 3
SURFACE_ROW_PX = SURFACE_GAP_PX + SURFACE_BAND_PX + WARNING_LINE_GAP_PX + WARNING_LINE_PX + 2
#: A warning's marker: a disc with "!" on the band at the warning's start, big enough to see on a phone.
WARNING_MARK_R_PX = 6
WARNING_COLOUR = "#c62828"


@dataclass(frozen=True)
class SvgClimb:
    start_m: float
    end_m: float
    label: str  # short, e.g. "Cat 4" / "四级"


@dataclass(frozen=True)
class SvgPoi:
    distance_m: float
    name: str
    poi_id: str = ""


@dataclass(frozen=True)
class SvgSurface:
    """A stretch of one road surface, from ``start_m`` to ``end_m`` along the route."""

    start_m: float
    end_m: float
    surface: str  # key of routes.core.facts.SURFACES
    colour: str
    label: str  # in the page's language


@dataclass(frozen=True)
class SvgWarning:
    """A warning's stretch; its marker sits at ``start_m``."""

    start_m: float
    end_m: float
    kind: str  # key of routes.core.facts.WARNING_KINDS
    title: str  # kind and text in the page's language


@dataclass(frozen=True)
class ProfileScale:
    """How distance and elevation map to the figure (the viewer script reads the same numbers from data-*)."""

    distance_max_m: float
    ele_floor_m: float
    ele_top_m: float
    plot_height_px: float

    def y_px(self, ele_m: float) -> float:
        span = max(self.ele_top_m - self.ele_floor_m, 1e-9)
        return TOP_PX + self.plot_height_px * (1.0 - (ele_m - self.ele_floor_m) / span)

    def x_units(self, distance_m: float) -> float:
        return PLOT_UNITS * distance_m / max(self.distance_max_m, 1e-9)

    def x_pct(self, distance_m: float) -> float:
        return 100.0 * distance_m / max(self.distance_max_m, 1e-9)


def nice_step(span: float, max_ticks: int) -> float:
    """A round tick step (1, 2 or 5 × 10^k) giving at most ``max_ticks`` ticks over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / max_ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag


def profile_scale(distance_m: np.ndarray, ele_m: np.ndarray) -> ProfileScale:
    d = np.asarray(distance_m, dtype=np.float64)
    e = np.asarray(ele_m, dtype=np.float64)
    finite = e[np.isfinite(e)]
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 100.0)
    pad = max(MIN_PAD_M, (hi - lo) * PAD_SHARE)
    floor = max(0.0, lo - pad) if lo >= 0 else lo - pad
    top = hi + pad * 0.25
    return ProfileScale(float(d[-1]) if len(d) else 1.0, floor, top, SVG_HEIGHT_PX - AXIS_PX - TOP_PX)


def _f(v: float) -> str:
    text = f"{v:.{DECIMALS}f}"
    return text[:-2] if text.endswith(".0") else text


def _band_paths(d: np.ndarray, e: np.ndarray, grade: np.ndarray, sc: ProfileScale) -> list[str]:
    """One <path> per gradient band; each run is a closed outline dropping to the base, merged so none is narrower
    than a phone can show."""
    base = _f(sc.y_px(sc.ele_floor_m))
    min_run_m = MIN_RUN_PX * sc.distance_max_m / NARROWEST_WIDTH_PX
    runs = merge_runs(np.diff(d), grade[:-1], min_run_m=min_run_m)
    by_band: dict[int, list[str]] = {}
    for r in runs:
        pts = " ".join(f"{_f(sc.x_units(d[i]))},{_f(sc.y_px(e[i]))}" for i in range(r.start, r.end + 1))
        x0, x1 = _f(sc.x_units(d[r.start])), _f(sc.x_units(d[r.end]))
        by_band.setdefault(r.band, []).append(f"M{x0},{base} L{pts} L{x1},{base}Z")
    return [
        f'<path class="band band-{GRADE_BANDS[b].key}" fill="{GRADE_BANDS[b].colour}" d="{" ".join(parts)}"/>'
        for b, parts in sorted(by_band.items())
    ]


def build_profile_svg(
    distance_m: Sequence[float],
    ele_m: Sequence[float],
    grade_pct: Sequence[float],
    *,
    title: str,
    desc: str,
    climbs: Sequence[SvgClimb] = (),
    pois: Sequence[SvgPoi] = (),
    km_unit: str = "km",
    m_unit: str = "m",
    svg_id: str = "profile",
    surfaces: Sequence[SvgSurface] = (),
    warnings: Sequence[SvgWarning] = (),
) -> str:
    """An ``<svg class="elevation-profile">`` 100 % wide and SVG_HEIGHT_PX high, escaped for HTML.

    The plot is a nested SVG stretched to the width; labels and POI dots sit in the outer SVG at percentage x so they
    keep their size on any screen. ``data-*`` attributes carry the scale for the viewer script.
    """
    d = np.asarray(distance_m, dtype=np.float64)
    e = np.asarray(ele_m, dtype=np.float64)
    g = np.asarray(grade_pct, dtype=np.float64)
    e = np.where(np.isfinite(e), e, np.nan)
    if np.isnan(e).all():
        e = np.zeros_like(d)
    else:  # gaps drawn at the neighbouring height: a hole in the fill would read as a cliff
        idx = np.arange(len(e))
        ok = np.isfinite(e)
        e = np.interp(idx, idx[ok], e[ok])
    sc = profile_scale(d, e)
    plot_h = sc.plot_height_px + TOP_PX
    height_px = SVG_HEIGHT_PX + (SURFACE_ROW_PX if surfaces or warnings else 0)
    parts: list[str] = [
        f'<svg class="elevation-profile" id="{escape(svg_id)}" xmlns="http://www.w3.org/2000/svg" width="100%" '
        f'height="{height_px}" role="img" aria-labelledby="{escape(svg_id)}-t {escape(svg_id)}-d" tabindex="0" '
        f'data-distance-max="{_f(sc.distance_max_m)}" data-ele-floor="{_f(sc.ele_floor_m)}" '
        f'data-ele-top="{_f(sc.ele_top_m)}" data-plot-top="{TOP_PX}" data-plot-height="{_f(sc.plot_height_px)}">',
        f'<title id="{escape(svg_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(svg_id)}-d">{escape(desc)}</desc>',
        f'<svg class="plot" x="0" y="0" width="100%" height="{_f(plot_h)}" viewBox="0 0 {PLOT_UNITS} {_f(plot_h)}" '
        'preserveAspectRatio="none" aria-hidden="true">',
    ]
    for c in climbs:
        x0, x1 = sc.x_units(c.start_m), sc.x_units(c.end_m)
        parts.append(
            f'<rect class="climb" x="{_f(x0)}" y="0" width="{_f(max(x1 - x0, 0.5))}" height="{_f(plot_h)}" '
            f'fill="{CLIMB_FILL}" fill-opacity="{CLIMB_FILL_OPACITY}"/>'
        )
    if len(d) >= 2:
        parts += _band_paths(d, e, g, sc)
        outline = " ".join(f"{_f(sc.x_units(a))},{_f(sc.y_px(b))}" for a, b in zip(d, e, strict=True))
        parts.append(
            f'<polyline class="outline" fill="none" stroke="{OUTLINE_COLOUR}" stroke-width="1.5" '
            f'vector-effect="non-scaling-stroke" points="{outline}"/>'
        )
    for p in pois:
        x = _f(sc.x_units(p.distance_m))
        parts.append(
            f'<line class="poi-tick" x1="{x}" x2="{x}" y1="{_f(sc.y_px(float(np.interp(p.distance_m, d, e))))}" '
            f'y2="{_f(plot_h)}" stroke="{POI_COLOUR}" stroke-width="1" stroke-dasharray="2 2" '
            'vector-effect="non-scaling-stroke"/>'
        )
    parts.append("</svg>")

    # Kilometre axis and elevation labels (outer SVG: they keep their size).
    km_step = nice_step(sc.distance_max_m / 1000.0, MAX_KM_LABELS)
    k = 0.0
    while k * 1000 <= sc.distance_max_m + 1e-6:
        x = sc.x_pct(k * 1000)
        if x <= UNIT_LABEL_FROM_PCT:  # the unit sits at the right end of the axis
            anchor = "start" if x < 3 else "middle"
            parts.append(f'<text class="km" x="{_f(x)}%" y="{SVG_HEIGHT_PX - 4}" text-anchor="{anchor}">{k:g}</text>')
        k += km_step
    parts.append(
        f'<text class="unit" x="100%" y="{SVG_HEIGHT_PX - 4}" text-anchor="end">{escape(km_unit)}</text>'
    )
    ele_step = nice_step(sc.ele_top_m - sc.ele_floor_m, 3)
    level = math.ceil(sc.ele_floor_m / ele_step) * ele_step
    while level <= sc.ele_top_m:
        y = sc.y_px(level)
        if TOP_PX + 8 <= y <= TOP_PX + sc.plot_height_px - 4:
            parts.append(f'<line class="grid" x1="0" x2="100%" y1="{_f(y)}" y2="{_f(y)}"/>')
            parts.append(f'<text class="ele" x="4" y="{_f(y - 3)}">{level:g} {escape(m_unit)}</text>')
        level += ele_step
    for c in climbs:
        x = sc.x_pct((c.start_m + c.end_m) / 2)
        parts.append(f'<text class="climb-label" x="{_f(x)}%" y="12" text-anchor="middle">{escape(c.label)}</text>')
    for p in pois:
        x = sc.x_pct(p.distance_m)
        y = sc.y_px(float(np.interp(p.distance_m, d, e)))
        parts.append(
            f'<circle class="poi" cx="{_f(x)}%" cy="{_f(y)}" r="4" fill="{POI_COLOUR}" stroke="#fff" stroke-width="1.5" '
            f'data-poi="{escape(p.poi_id)}"><title>{escape(p.name)}</title></circle>'
        )
    if surfaces or warnings:
        parts += _surface_row(sc, surfaces, warnings)
    parts.append("</svg>")
    return "".join(parts)


def _surface_row(sc: ProfileScale, surfaces: Sequence[SvgSurface], warnings: Sequence[SvgWarning]) -> list[str]:
    """The surface band under the km axis (x in % of the width, so it lines up with the plot on any screen), each
    warning's stretch as a line under it and a marker at its start with its text as a tooltip."""
    band_y = SVG_HEIGHT_PX + SURFACE_GAP_PX
    line_y = band_y + SURFACE_BAND_PX + WARNING_LINE_GAP_PX
    out = ['<g class="surface-band">']
    for s in surfaces:
        x0, x1 = sc.x_pct(s.start_m), sc.x_pct(min(s.end_m, sc.distance_max_m))
        out.append(
            f'<rect class="surface" x="{x0:.2f}%" y="{band_y}" width="{max(x1 - x0, 0.0):.2f}%" '
            f'height="{SURFACE_BAND_PX}" fill="{escape(s.colour)}" data-surface="{escape(s.surface)}" '
            f'data-from-km="{s.start_m / 1000:g}" data-to-km="{s.end_m / 1000:g}"><title>{escape(s.label)}</title></rect>'
        )
    out.append("</g>")
    for w in warnings:
        x0, x1 = sc.x_pct(w.start_m), sc.x_pct(min(w.end_m, sc.distance_max_m))
        out.append(
            f'<rect class="warning-stretch" x="{x0:.2f}%" y="{line_y}" width="{max(x1 - x0, 0.0):.2f}%" '
            f'height="{WARNING_LINE_PX}" fill="{WARNING_COLOUR}"/>'
        )
    for i, w in enumerate(warnings):
        # The marker keeps clear of the figure's edges so its disc is never cut.
        x = min(max(sc.x_pct(w.start_m), 1.5), 98.5)
        cy = band_y + SURFACE_BAND_PX / 2
        out.append(
            f'<g class="warning-mark" data-warning="{escape(w.kind)}" data-warn="{i}" '
            f'data-from-km="{w.start_m / 1000:g}" data-to-km="{w.end_m / 1000:g}"><title>{escape(w.title)}</title>'
            f'<circle cx="{x:.2f}%" cy="{cy:g}" r="{WARNING_MARK_R_PX}" fill="{WARNING_COLOUR}" stroke="#fff" '
            f'stroke-width="1.5"/><text x="{x:.2f}%" y="{cy + 4:g}" text-anchor="middle" class="warning-glyph">!</text>'
            "</g>"
        )
    return out


__all__ = [
    "SVG_HEIGHT_PX", "ProfileScale", "SvgClimb", "SvgPoi", "SvgSurface", "SvgWarning", "build_profile_svg", "nice_step",
    "profile_scale",
]
