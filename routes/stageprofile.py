"""The stage profile race fans know: elevation by km, labelled climbs, course markers and km to go (matplotlib)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from routes.i18n import t
from routes.race import CourseClimb, CoursePoint

#: The CJK font shipped with the project (Noto Sans SC subset to GB2312, TrueType outlines; see static/fonts).
CJK_FONT_PATH = Path(__file__).resolve().parent.parent / "static" / "fonts" / "NotoSansSC-Regular-GB2312.ttf"
#: Category colours as on pro-race profiles: harder climbs darker and redder.
CATEGORY_COLOUR = {"4": "#f2c14e", "3": "#f08a3c", "2": "#e0542f", "1": "#b5261e", "HC": "#5c0f14", None: "#9e9e9e"}
PROFILE_FILL = "#d9d4c7"
PROFILE_LINE = "#4a4a4a"
#: Marker colours in the profile strip (and the race-book map).
MARKER_COLOUR = {
    "neutral": "#9e9e9e",
    "start": "#2e7d32",
    "finish": "#c62828",
    "lap": "#455a64",
    "feed": "#1565c0",
    "aid": "#1565c0",
    "water": "#0288d1",
    "kom": "#b5261e",
    "sprint": "#6a1b9a",
    "medical": "#d81b60",
    "hazard": "#ef6c00",
    "marshal": "#5d4037",
}
MARKER_SYMBOL = {
    "neutral": "o",
    "start": ">",
    "finish": "s",
    "lap": "|",
    "feed": "D",
    "aid": "D",
    "water": "o",
    "kom": "^",
    "sprint": "*",
    "medical": "P",
    "hazard": "X",
    "marshal": "v",
}
#: Headroom above the highest point for climb labels, as a fraction of the elevation range.
LABEL_HEADROOM = 0.55
#: The y axis never spans less than this, so a flat course does not look alpine.
MIN_ELE_SPAN_M = 80.0


def font_properties(size: float | None = None):
    """matplotlib FontProperties of the shipped CJK font (registered once per process, read-only)."""
    from matplotlib import font_manager

    return font_manager.FontProperties(fname=str(CJK_FONT_PATH), size=size)


def _category_text(category: str | None, lang: str) -> str:
    if not category:
        return ""
    return t("race.cat.HC", lang) if category == "HC" else t("race.cat", lang, cat=category)


def stage_profile_figure(
    race_distance_m: np.ndarray,
    race_ele_m: np.ndarray,
    *,
    climbs: Sequence[CourseClimb] = (),
    points: Sequence[CoursePoint] = (),
    lang: str = "zh",
    title: str = "",
    width_in: float = 11.0,
    height_in: float = 4.2,
):
    """A matplotlib Figure (Agg, not attached to pyplot, so it is safe in a multi-user server)."""
    from matplotlib.figure import Figure

    fp = font_properties
    d_km = np.asarray(race_distance_m, dtype=np.float64) / 1000
    ele = np.asarray(race_ele_m, dtype=np.float64)
    finite = np.isfinite(ele)
    if not finite.any():
        ele = np.zeros_like(d_km)
        finite = np.ones_like(d_km, dtype=bool)
    lo, hi = float(np.nanmin(ele[finite])), float(np.nanmax(ele[finite]))
    span = max(hi - lo, MIN_ELE_SPAN_M)
    base = max(0.0, lo - 0.15 * span)
    top = lo + span * (1 + LABEL_HEADROOM)
    total_km = float(d_km[-1]) if len(d_km) else 0.0

    fig = Figure(figsize=(width_in, height_in), dpi=150)
    ax = fig.add_subplot(1, 1, 1)
    ax.fill_between(d_km, base, np.where(finite, ele, base), color=PROFILE_FILL, linewidth=0)
    for c in climbs:
        sel = (d_km >= c.start_m / 1000) & (d_km <= c.end_m / 1000)
        ax.fill_between(d_km[sel], base, ele[sel], color=CATEGORY_COLOUR.get(c.category, "#9e9e9e"), linewidth=0)
    ax.plot(d_km, ele, color=PROFILE_LINE, linewidth=1.0)

    # climb labels above the summits, alternating height so neighbours do not collide
    for i, c in enumerate(climbs):
        summit_km = c.end_m / 1000
        summit = float(np.interp(summit_km, d_km, ele)) if len(d_km) else 0.0
        y = summit + span * (0.12 + 0.17 * (i % 2))
        length = t("race.unit.km", lang, v=f"{c.length_m / 1000:.1f}")
        text = f"{c.name} {_category_text(c.category, lang)}\n{length} · {c.avg_grade_pct:.1f}%"
        ax.annotate(
            text,
            xy=(summit_km, summit),
            xytext=(summit_km, y),
            ha="center",
            va="bottom",
            fontproperties=fp(7),
            arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.6},
            bbox={
                "boxstyle": "round,pad=0.2",
                "fc": "white",
                "ec": CATEGORY_COLOUR.get(c.category, "#9e9e9e"),
                "lw": 0.8,
            },
        )

    # markers on a strip at the foot of the profile, with their km
    seen_lap_labels = set()
    for p in points:
        if p.kind == "neutral":
            continue
        x = p.race_m / 1000
        colour = MARKER_COLOUR.get(p.kind, "#333333")
        ax.axvline(x, color=colour, linewidth=0.5, alpha=0.35 if p.kind != "lap" else 0.7, linestyle="--")
        ax.plot(
            [x],
            [base + 0.04 * span],
            marker=MARKER_SYMBOL.get(p.kind, "o"),
            color=colour,
            markersize=6,
            clip_on=False,
            linestyle="none",
        )
        if p.kind in ("lap",) and p.lap not in seen_lap_labels:
            seen_lap_labels.add(p.lap)
            ax.text(x, top, t("race.lap_n", lang, n=p.lap), ha="left", va="top", fontproperties=fp(7), color=colour)
    kinds_shown = []
    for p in points:
        if p.kind not in kinds_shown and p.kind not in ("neutral", "lap"):
            kinds_shown.append(p.kind)
    handles = [
        ax.plot([], [], marker=MARKER_SYMBOL[k], color=MARKER_COLOUR[k], linestyle="none", markersize=6)[0]
        for k in kinds_shown
    ]
    if handles:
        ax.legend(
            handles,
            [t(f"race.kind.{k}", lang) for k in kinds_shown],
            prop=fp(7),
            loc="upper left",
            ncol=min(len(handles), 6),
            frameon=False,
            bbox_to_anchor=(0, -0.14),
        )

    ax.set_xlim(0, total_km if total_km > 0 else 1)
    ax.set_ylim(base, top)
    ax.set_xlabel(t("race.profile.km", lang), fontproperties=fp(8))
    ax.set_ylabel(t("race.profile.ele", lang), fontproperties=fp(8))
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.5)
    ax.spines[["top", "right"]].set_visible(False)
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontproperties(fp(7))

    # km to go along the top, as on a race-day profile
    top_ax = ax.secondary_xaxis("top", functions=(lambda x: total_km - x, lambda x: total_km - x))
    top_ax.set_xlabel(t("race.profile.km_to_go", lang), fontproperties=fp(8))
    for label in top_ax.get_xticklabels():
        label.set_fontproperties(fp(7))
    if title:
        fig.suptitle(title, fontproperties=fp(11), x=0.01, ha="left")
    fig.tight_layout()
    return fig


def stage_profile_png(race_distance_m: np.ndarray, race_ele_m: np.ndarray, *, dpi: int = 150, **kwargs) -> bytes:
    """The stage profile as PNG bytes (see :func:`stage_profile_figure` for the keyword arguments)."""
    fig = stage_profile_figure(race_distance_m, race_ele_m, **kwargs)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
