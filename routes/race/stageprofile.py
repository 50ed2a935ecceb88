"""The stage profile race fans know: elevation by km, labelled climbs, course markers and km to go (matplotlib)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from routes.race.plan import CourseClimb, CoursePoint
from routes.text.i18n import t

#: The CJK font shipped with the project (Noto Sans SC subset to GB2312, TrueType outlines; see static/fonts).
CJK_FONT_PATH = Path(__file__).resolve().parents[2] / "static" / "fonts" / "NotoSansSC-Regular-GB2312.ttf"
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
    "checkpoint": "#00838f",
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
    "checkpoint": "h",
    "medical": "P",
    "hazard": "X",
    "marshal": "v",
}
#: Headroom above the highest point for climb labels, as a fraction of the elevation range.
LABEL_HEADROOM = 0.55
#: Climb labels: font size (pt), the clear space kept between neighbours (px at the figure's dpi), and the most rows
#: of full labels before they become numbers (a 16-climb, 3-lap course stacked 6 rows deep and hid the profile).
LABEL_FONT_PT = 7
LABEL_GAP_PX = 6.0
MAX_LABEL_ROWS = 3
#: The label rows never take more than this share of the axes' height (the profile keeps the rest).
MAX_LABEL_SHARE = 0.6
#: Size (pt) of the marker numbers on the foot strip.
MARKER_NUMBER_PT = 6
#: The y axis never spans less than this, so a flat course does not look alpine.
MIN_ELE_SPAN_M = 80.0


def font_properties(size: float | None = None):
    """matplotlib FontProperties of the shipped CJK font (registered once per process, read-only)."""
    from matplotlib import font_manager

    return font_manager.FontProperties(fname=str(CJK_FONT_PATH), size=size)


#: Marker kinds drawn without a number: the roll-out, lap lines, and start/finish (their own flags on the map).
UNNUMBERED_KINDS = ("neutral", "lap", "start", "finish")


def marker_numbers(points: Sequence[CoursePoint]) -> list[int | None]:
    """A number per course point, shared by the map and the profile: one per place and kind (a marker passed on
    every lap keeps its number), counted in order of first passage; None for UNNUMBERED_KINDS."""
    seen: dict[tuple, int] = {}
    out: list[int | None] = []
    for p in points:
        if p.kind in UNNUMBERED_KINDS:
            out.append(None)
            continue
        # the same spot on every lap: its position (about 10 m), or its distance when it has no coordinates
        spot = (round(p.lat, 4), round(p.lon, 4)) if np.isfinite(p.lat) and np.isfinite(p.lon) else round(p.course_m)
        place = (p.kind, spot, p.label)
        if place not in seen:
            seen[place] = len(seen) + 1
        out.append(seen[place])
    return out


def climb_label(climb: CourseClimb, lang: str) -> str:
    """The full label of a climb on the profile: name and category, then length and average grade."""
    return (
        f"{climb.title(lang)} {_category_text(climb.category, lang)}".strip()
        + "\n" + t("race.unit.km", lang, v=f"{climb.length_m / 1000:.1f}") + f" · {climb.avg_grade_pct:.1f}%"
    )


def stack_rows(lefts: Sequence[float], rights: Sequence[float], *, gap: float = 0.0) -> list[int]:
    """A row for each interval (in input order) so that intervals in one row never overlap: each takes the lowest
    row whose last interval ends at least ``gap`` before it starts (intervals visited from left to right)."""
    rows_end: list[float] = []
    out = [0] * len(lefts)
    for i in sorted(range(len(lefts)), key=lambda k: lefts[k]):
        for r, end in enumerate(rows_end):
            if end + gap <= lefts[i]:
                rows_end[r] = rights[i]
                out[i] = r
                break
        else:
            rows_end.append(rights[i])
            out[i] = len(rows_end) - 1
    return out


def climb_labels_numbered(n_climbs: int, rows_needed: int) -> bool:
    """Full labels while they fit in MAX_LABEL_ROWS rows; numbers (keyed in the table beside the figure) beyond."""
    return n_climbs > 0 and rows_needed > MAX_LABEL_ROWS


def _place_climb_labels(fig, ax, climbs, d_km, ele, *, lang: str, hi: float, span: float, total_km: float) -> None:
    """Annotate each climb's summit; rows are stacked from measured label sizes so no two labels overlap."""
    if not climbs:
        return
    fp = font_properties
    renderer = fig.canvas.get_renderer()
    ax_px = ax.get_window_extent(renderer)
    km_per_px = (total_km if total_km > 0 else 1) / max(ax_px.width, 1.0)

    def measure(texts: list[str]) -> tuple[list[float], float]:
        widths, height = [], 0.0
        for text in texts:
            probe = ax.text(0, 0, text, fontproperties=fp(LABEL_FONT_PT), bbox=_label_box(None))
            box = probe.get_window_extent(renderer)
            probe.remove()
            widths.append(box.width * km_per_px)
            height = max(height, box.height)
        return widths, height

    summits_km = [c.end_m / 1000 for c in climbs]
    full = [climb_label(c, lang) for c in climbs]
    widths, height_px = measure(full)
    gap_km = LABEL_GAP_PX * km_per_px
    rows = stack_rows([x - w / 2 for x, w in zip(summits_km, widths, strict=True)],
                      [x + w / 2 for x, w in zip(summits_km, widths, strict=True)], gap=gap_km)
    texts = full
    if climb_labels_numbered(len(climbs), max(rows) + 1):
        texts = [str(i + 1) for i in range(len(climbs))]
        widths, height_px = measure(texts)
        rows = stack_rows([x - w / 2 for x, w in zip(summits_km, widths, strict=True)],
                          [x + w / 2 for x, w in zip(summits_km, widths, strict=True)], gap=gap_km)
    n_rows = max(rows) + 1
    # Rows of labels above the highest point. The y axis grows to hold them; a row is a fixed height in pixels, so
    # in data units it depends on the final range: solve first + k * (top - y0) = top with k = rows' share of height.
    y0, y1 = ax.get_ylim()
    row_px = height_px + LABEL_GAP_PX
    first = hi + span * 0.08
    k = min((n_rows + 0.5) * row_px / max(ax_px.height, 1.0), MAX_LABEL_SHARE)
    top = max(y1, (first - k * y0) / (1 - k))
    ax.set_ylim(y0, top)
    row_m = row_px * (top - y0) / max(ax_px.height, 1.0)
    for c, text, row, summit_km in zip(climbs, texts, rows, summits_km, strict=True):
        summit = float(np.interp(summit_km, d_km, ele)) if len(d_km) else 0.0
        ax.annotate(
            text,
            xy=(summit_km, summit),
            xytext=(summit_km, first + row * row_m),
            ha="center",
            va="bottom",
            fontproperties=fp(LABEL_FONT_PT),
            arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.6},
            bbox=_label_box(c.category),
            gid="climb-label",
        )


def _number_markers(fig, ax, points: Sequence[CoursePoint], *, base: float, span: float, total_km: float) -> None:
    """The map's marker numbers above their symbols on the foot strip, stacked upwards where they would touch."""
    numbers = marker_numbers(points)
    shown = [(p.race_m / 1000, n) for p, n in zip(points, numbers, strict=True) if n is not None]
    if not shown:
        return
    renderer = fig.canvas.get_renderer()
    km_per_px = (total_km if total_km > 0 else 1) / max(ax.get_window_extent(renderer).width, 1.0)
    widths = []
    for _, n in shown:
        probe = ax.text(0, 0, str(n), fontproperties=font_properties(MARKER_NUMBER_PT))
        widths.append(probe.get_window_extent(renderer).width * km_per_px)
        probe.remove()
    rows = stack_rows([x - w / 2 for (x, _), w in zip(shown, widths, strict=True)],
                      [x + w / 2 for (x, _), w in zip(shown, widths, strict=True)], gap=2 * km_per_px)
    for (x, n), row in zip(shown, rows, strict=True):
        ax.annotate(str(n), xy=(x, base + 0.04 * span), xytext=(0, 5 + row * (MARKER_NUMBER_PT + 2)),
                    textcoords="offset points", ha="center", va="bottom",
                    fontproperties=font_properties(MARKER_NUMBER_PT), color="#222222", gid="marker-number")


def _label_box(category: str | None) -> dict:
    return {"boxstyle": "round,pad=0.2", "fc": "white", "ec": CATEGORY_COLOUR.get(category, "#9e9e9e"), "lw": 0.8}


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
    total_km = float(d_km[-1]) if len(d_km) else 0.0

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(width_in, height_in), dpi=150)
    FigureCanvasAgg(fig)  # an Agg canvas of its own: labels are measured with its renderer before they are placed
    ax = fig.add_subplot(1, 1, 1)
    ax.set_xlim(0, total_km if total_km > 0 else 1)
    ax.set_ylim(base, lo + span * (1 + LABEL_HEADROOM))
    ax.fill_between(d_km, base, np.where(finite, ele, base), color=PROFILE_FILL, linewidth=0)
    for c in climbs:
        sel = (d_km >= c.start_m / 1000) & (d_km <= c.end_m / 1000)
        ax.fill_between(d_km[sel], base, ele[sel], color=CATEGORY_COLOUR.get(c.category, "#9e9e9e"), linewidth=0)
    ax.plot(d_km, ele, color=PROFILE_LINE, linewidth=1.0)

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
            # low on the lap line (axes fraction), clear of the climb labels stacked above the summits
            ax.text(x, 0.14, t("race.lap_n", lang, n=p.lap), ha="left", va="bottom", fontproperties=fp(7),
                    color=colour, transform=ax.get_xaxis_transform())
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
    # climb labels last, measured on the final axes: as few rows as keep them apart, numbers when too many rows
    _place_climb_labels(fig, ax, climbs, d_km, ele, lang=lang, hi=hi, span=span, total_km=total_km)
    _number_markers(fig, ax, points, base=base, span=span, total_km=total_km)
    return fig


def stage_profile_png(race_distance_m: np.ndarray, race_ele_m: np.ndarray, *, dpi: int = 150, **kwargs) -> bytes:
    """The stage profile as PNG bytes (see :func:`stage_profile_figure` for the keyword arguments)."""
    fig = stage_profile_figure(race_distance_m, race_ele_m, **kwargs)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
