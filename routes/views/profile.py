"""The elevation-profile figure (plotly): filled by gradient band, climbs shaded, POIs marked (no Streamlit)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from routes.analysis.grades import GRADE_BANDS, band_index
from routes.text.i18n import t

#: Chart height in CSS pixels: tall enough to read a 100 m climb on a phone, short enough to leave the map in view.
PROFILE_HEIGHT_PX = 300
#: Vertical room below the lowest point and above the highest, as a share of the elevation range (min 10 m), so the
#: fill reads as terrain and not as a flat band sitting on the axis.
ELEVATION_PAD_SHARE = 0.15
MIN_ELEVATION_PAD_M = 10.0
CLIMB_FILL = "rgba(215, 25, 28, 0.10)"
STRETCH_FILL = "rgba(0, 229, 255, 0.25)"
LINE_COLOUR = "#333333"
POI_COLOUR = "#6a3d9a"


@dataclass(frozen=True)
class ProfileClimb:
    start_m: float
    end_m: float
    label: str  # e.g. "Cat 3 · 2.1 km @ 4.5 %"


@dataclass(frozen=True)
class ProfilePoi:
    distance_m: float
    name: str


def build_profile_figure(
    distance_m: np.ndarray,
    ele_m: np.ndarray,
    grade_pct: np.ndarray,
    *,
    lang: str,
    climbs: Sequence[ProfileClimb] = (),
    pois: Sequence[ProfilePoi] = (),
    stretch_m: tuple[float, float] | None = None,
    height_px: int = PROFILE_HEIGHT_PX,
) -> go.Figure:
    """Distance (km) by elevation (m); one filled trace per gradient band so the figure stays light at any length.

    ``distance_m``, ``ele_m`` and ``grade_pct`` are one value per profile point (already decimated for display).
    """
    km = np.asarray(distance_m, dtype=np.float64) / 1000.0
    ele = np.asarray(ele_m, dtype=np.float64)
    grade = np.asarray(grade_pct, dtype=np.float64)
    fig = go.Figure()
    finite = np.isfinite(ele)
    if finite.any():
        lo, hi = float(np.nanmin(ele)), float(np.nanmax(ele))
    else:
        lo, hi = 0.0, 100.0
    pad = max(MIN_ELEVATION_PAD_M, (hi - lo) * ELEVATION_PAD_SHARE)
    floor = max(0.0, lo - pad) if lo >= 0 else lo - pad

    bands = band_index(grade)
    for i, band in enumerate(GRADE_BANDS):
        # A point belongs to the band of the step it starts; the next point closes the area so bands touch.
        mask = bands == i
        if not mask.any():
            continue
        show = mask.copy()
        show[1:] |= mask[:-1]
        bx, by = band_polygon(km, ele, show & finite, floor)
        fig.add_trace(
            go.Scatter(
                x=bx, y=by, mode="none", fill="toself", fillcolor=band.colour,
                name=t(f"grade.band.{band.key}", lang), hoverinfo="skip", connectgaps=False, showlegend=True,
                legendgroup="bands",
            )
        )
    hover = t("profile.hover", lang, km="%{x:.2f}", ele="%{y:.0f}", grade="%{customdata:.1f} %")
    fig.add_trace(
        go.Scatter(
            x=km.astype(np.float32), y=ele.astype(np.float32), mode="lines",
            line={"color": LINE_COLOUR, "width": 1.5}, customdata=np.round(grade, 1).astype(np.float32),
            hovertemplate=hover + "<extra></extra>", showlegend=False, name="profile",
        )
    )
    # Shapes and labels go in with one layout update: fig.add_vrect per climb copies the layout each time, which took
    # 4.7 s for the ~100 climbs of a 500 km route.
    shapes = [
        {"type": "rect", "xref": "x", "yref": "paper", "x0": c.start_m / 1000, "x1": c.end_m / 1000, "y0": 0, "y1": 1,
         "fillcolor": CLIMB_FILL, "line": {"width": 0}, "layer": "below"}
        for c in climbs
    ]
    annotations = [
        {"xref": "x", "yref": "paper", "x": c.start_m / 1000, "y": 1, "xanchor": "left", "yanchor": "top",
         "text": c.label, "showarrow": False, "font": {"size": 10}}
        for c in climbs
    ]
    if pois and finite.any():
        pk = np.array([p.distance_m for p in pois], dtype=np.float64) / 1000.0
        pe = np.interp(pk, km[finite], ele[finite])
        fig.add_trace(
            go.Scatter(
                x=pk, y=pe, mode="markers", marker={"symbol": "diamond", "size": 9, "color": POI_COLOUR,
                                                    "line": {"color": "white", "width": 1}},
                text=[p.name for p in pois],
                hovertemplate="%{text}<br>" + t("profile.poi_at", lang, km="%{x:.1f}") + "<extra></extra>",
                name=t("route.along", lang), showlegend=False,
            )
        )
    if stretch_m is not None:
        shapes.append(
            {"type": "rect", "xref": "x", "yref": "paper", "x0": stretch_m[0] / 1000, "x1": stretch_m[1] / 1000,
             "y0": 0, "y1": 1, "fillcolor": STRETCH_FILL, "line": {"width": 0}}
        )
    fig.update_layout(
        shapes=shapes,
        annotations=annotations,
        height=height_px,
        margin={"l": 48, "r": 8, "t": 24, "b": 40},
        hovermode="x",
        dragmode="select",
        selectdirection="h",
        plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0, "font": {"size": 10}},
        showlegend=False,
    )
    # hoverformat: the shared hover label (hovermode "x") showed the raw distance, e.g. "5.649696"
    fig.update_xaxes(title_text=t("profile.distance", lang), fixedrange=True, showgrid=True, gridcolor="#eee",
                     range=[0, float(km[-1]) if len(km) else 1.0], zeroline=False, hoverformat=".1f")
    fig.update_yaxes(title_text=t("profile.elevation", lang), fixedrange=True, range=[floor, hi + pad],
                     showgrid=True, gridcolor="#eee", zeroline=False)
    return fig


def band_polygon(x: np.ndarray, y: np.ndarray, show: np.ndarray, base: float) -> tuple[np.ndarray, np.ndarray]:
    """One closed outline for all the shown runs of a band: each run goes down to ``base`` at both ends and runs are
    joined along ``base``, so the area between runs is zero. (A fill "to zero" with NaN gaps between runs is bridged
    by plotly across the gaps, which drew big wrong triangles on bumpy tracks.) float32 halves the bytes sent."""
    idx = np.flatnonzero(show)
    if not len(idx):
        return np.zeros(0, np.float32), np.zeros(0, np.float32)
    starts = np.r_[0, np.flatnonzero(np.diff(idx) > 1) + 1]
    ends = np.r_[starts[1:], len(idx)]
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for a, b in zip(starts, ends, strict=False):
        run = idx[a:b]
        xs.append(np.r_[x[run[0]], x[run], x[run[-1]]])
        ys.append(np.r_[base, y[run], base])
    return np.concatenate(xs).astype(np.float32), np.concatenate(ys).astype(np.float32)


def selected_range_m(selection: object) -> tuple[float, float] | None:
    """The distance range of a plotly box selection as Streamlit returns it (``event.selection``), in metres."""
    if not selection:
        return None
    boxes = selection.get("box") if isinstance(selection, dict) else getattr(selection, "box", None)
    if boxes:
        xs = boxes[0].get("x") or []
        if len(xs) == 2:
            a, b = sorted(float(v) for v in xs)
            return a * 1000.0, b * 1000.0
    points = selection.get("points") if isinstance(selection, dict) else getattr(selection, "points", None)
    if points:
        xs = [float(p["x"]) for p in points if "x" in p]
        if len(xs) >= 2:
            return min(xs) * 1000.0, max(xs) * 1000.0
    return None


def sketch_svg(distance_m: np.ndarray, ele_m: np.ndarray, *, width_px: int = 240, height_px: int = 48,
               colour: str = "#c0392b", label: str = "") -> str:
    """A tiny inline SVG of the profile for route cards (a few hundred bytes, no chart library); ``label`` is its
    text alternative (without one the sketch is hidden from screen readers as decoration)."""
    d = np.asarray(distance_m, dtype=np.float64)
    e = np.asarray(ele_m, dtype=np.float64)
    ok = np.isfinite(e) & np.isfinite(d)
    if ok.sum() < 2 or d[ok][-1] <= d[ok][0]:
        return ""
    d, e = d[ok], e[ok]
    n = min(len(d), width_px // 2)
    xs = np.linspace(d[0], d[-1], n)
    ys = np.interp(xs, d, e)
    lo, hi = float(ys.min()), float(ys.max())
    span = max(hi - lo, 30.0)  # a flat route should look flat, not like noise blown up to full height
    px = (xs - xs[0]) / (xs[-1] - xs[0]) * width_px
    py = height_px - 2 - (ys - lo) / span * (height_px - 4)
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(px, py, strict=True))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width_px} {height_px}" width="100%" '
        f'height="{height_px}" preserveAspectRatio="none" '
        + (f'role="img" aria-label="{html.escape(label, quote=True)}">' if label else 'aria-hidden="true">')
        + f'<polygon points="0,{height_px} {pts} {width_px},{height_px}" fill="{colour}" fill-opacity="0.25"/>'
        f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.5"/></svg>'
    )
