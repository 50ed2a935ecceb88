"""A route's versions as a person reads them, and any two of them side by side (no Streamlit).

One number names a state of a route: the record's version, which every save raises by one (texts, status, a new
track, a restore). Track files keep their own running number ("轨迹第 n 份"), shown next to the version only where
the track matters (the track list, restoring or downloading a track). The audit log is the source: every write that
raises the version leaves one entry, so the versions are counted back from the route's current version.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from branca.element import MacroElement
from folium.template import Template

from routes.views.editing import VERSION_ACTIONS, field_label, value_text

#: Fields compared side by side, in the order of the details form (status last: publishing is a version too).
COMPARE_FIELDS = ("name_zh", "name_en", "desc_zh", "desc_en", "difficulty", "surface", "season", "tags",
                  "illustrative", "status")
#: Colours of the two lines on the compare map: the older version in a blue, the newer in the guide's red (its route
#: colour), both far from the map's own greens and greys and told apart by people with red-green colour blindness.
COMPARE_COLOURS = ("#1f5fbf", "#c0392b")
#: Differences smaller than these are shown as "no change" (a re-saved file moves figures by rounding only).
SAME_DISTANCE_M = 1.0
SAME_HEIGHT_M = 0.5
SAME_GRADE_PCT = 0.05


@dataclass(frozen=True)
class VersionState:
    """A route as it was at one version: its texts and settings, and which track file was current."""

    version: int
    at: datetime
    user: str
    action: str
    fields: Mapping[str, Any]
    #: Number of the track file current at this version (None before the log names one).
    track: int | None
    #: For a text/settings save: {field: (before, after)}; empty otherwise.
    changes: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    #: For a track restore: the number of the track file copied.
    restored_from: int | None = None


def route_versions(history: Sequence[Any], current_version: int) -> list[VersionState]:
    """Every version of a route, oldest first, from its audit history (``store.route_history``, oldest first).

    The newest entry that raised the version is ``current_version``; each earlier one is one less, so the numbers
    always agree with the status line even for a database whose oldest log entries are gone.
    """
    entries = [e for e in history if e.action in VERSION_ACTIONS]
    first = current_version - len(entries) + 1
    out: list[VersionState] = []
    fields: dict[str, Any] = {}
    track: int | None = None
    for i, e in enumerate(entries):
        detail = dict(e.detail or {})
        changes: dict[str, tuple[Any, Any]] = {}
        if e.action == "route.create":
            fields = dict(detail.get("fields") or {})
        elif e.action == "route.update":
            changes = {k: (v[0], v[1]) for k, v in dict(detail.get("changes") or {}).items()}
            if detail.get("after"):
                fields = dict(detail["after"])
            else:  # an entry without the whole record: apply the change to what was known
                fields = {**fields, **{k: after for k, (_b, after) in changes.items()}}
        if detail.get("revision") is not None and e.action != "route.update":
            track = int(detail["revision"])
        out.append(VersionState(version=first + i, at=e.at, user=e.user, action=e.action, fields=dict(fields),
                                track=track, changes=changes, restored_from=detail.get("restored_from")))
    return out


def track_versions(versions: Sequence[VersionState]) -> dict[int, int]:
    """Track file number → the version that made it current (its upload or its restore)."""
    out: dict[int, int] = {}
    for v in versions:
        if v.action in ("route.create", "route.revision", "route.restore_revision") and v.track is not None:
            out[v.track] = v.version
    return out


def version_label(version: int, lang: str, *, track: int | None = None) -> str:
    """"第 5 版" / "version 5", with "轨迹第 2 份" / "track file 2" where the track matters."""
    from routes.text.i18n import t

    text = t("ver.version", lang, number=version)
    return text if track is None else t("ver.with_track", lang, version=text, track=track)


# --- text changes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of a text change, both values in full as a reader sees them."""

    field: str
    label: str
    before: str
    after: str


def change_rows(changes: Mapping[str, tuple[Any, Any]], lang: str) -> list[FieldChange]:
    """A text change field by field, in the form's order, never shortened (both languages' texts are fields)."""
    order = [f for f in COMPARE_FIELDS if f in changes] + [f for f in changes if f not in COMPARE_FIELDS]
    return [FieldChange(f, field_label(f, lang), value_text(f, changes[f][0], lang, full=True),
                        value_text(f, changes[f][1], lang, full=True)) for f in order]


def changes_html(rows: Sequence[FieldChange], lang: str, *, caption: str = "") -> str:
    """The rows as a table (field | before | after) that wraps long texts and reads as cards on a phone."""
    from routes.text.i18n import t

    return _table([t("ver.col.field", lang), t("ver.col.before", lang), t("ver.col.after", lang)],
                  [([r.label, r.before, r.after], True) for r in rows], caption=caption)


# --- comparing two versions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    a: str
    b: str

    @property
    def changed(self) -> bool:
        return self.a != self.b


@dataclass(frozen=True)
class FigureDiff:
    """One figure of the two tracks; ``delta`` is b − a (None when either is unknown)."""

    key: str
    label: str
    a: float | None
    b: float | None
    unit: str  # "m", "km" or "pct": how it is shown

    @property
    def delta(self) -> float | None:
        if self.a is None or self.b is None:
            return None
        return self.b - self.a

    @property
    def changed(self) -> bool:
        d = self.delta
        if d is None:
            return (self.a is None) != (self.b is None)
        return abs(d) >= {"km": SAME_DISTANCE_M, "m": SAME_HEIGHT_M, "pct": SAME_GRADE_PCT}[self.unit]


@dataclass(frozen=True)
class Comparison:
    a: VersionState
    b: VersionState
    fields: tuple[FieldDiff, ...]
    figures: tuple[FigureDiff, ...]

    @property
    def same_track(self) -> bool:
        return self.a.track == self.b.track

    @property
    def changed_fields(self) -> tuple[str, ...]:
        return tuple(f.field for f in self.fields if f.changed)


#: The figures compared, in the order shown: key → (string key of the label, unit).
FIGURES = {
    "distance_m": ("ver.fig.distance", "km"),
    "ascent_m": ("ver.fig.ascent", "m"),
    "descent_m": ("ver.fig.descent", "m"),
    "max_grade_pct": ("ver.fig.max_grade", "pct"),
    "min_grade_pct": ("ver.fig.min_grade", "pct"),
    "max_ele_m": ("ver.fig.max_ele", "m"),
}


def figures_of(analysis: Any) -> dict[str, float | None]:
    """The compared figures of one analysed track (routes.views.guide.RouteAnalysis); None where unknown (all of
    them for a track that could not be read)."""
    if analysis is None:
        return dict.fromkeys(FIGURES)
    a = analysis.analysis

    def num(value: Any) -> float | None:
        return None if value is None or not math.isfinite(float(value)) else float(value)

    return {"distance_m": num(a.distance_m), "ascent_m": num(a.ascent_m), "descent_m": num(a.descent_m),
            "max_grade_pct": num(a.max_grade_100m_pct), "min_grade_pct": num(a.min_grade_100m_pct),
            "max_ele_m": num(a.max_ele_m)}


def compare_versions(a: VersionState, b: VersionState, analysis_a: Any, analysis_b: Any, lang: str) -> Comparison:
    """Two versions side by side: every compared field in both (as a reader sees it), and the tracks' figures."""
    from routes.text.i18n import t
    fields = tuple(FieldDiff(f, field_label(f, lang), value_text(f, a.fields.get(f), lang, full=True),
                             value_text(f, b.fields.get(f), lang, full=True)) for f in COMPARE_FIELDS)
    fa, fb = figures_of(analysis_a), figures_of(analysis_b)
    figures = tuple(FigureDiff(k, t(label, lang), fa[k], fb[k], unit) for k, (label, unit) in FIGURES.items())
    return Comparison(a, b, fields, figures)


def _fmt(value: float | None, unit: str, lang: str, *, signed: bool = False) -> str:
    from routes.text.i18n import fmt_km, fmt_m, fmt_pct

    if value is None:
        return "–"
    sign = "+" if signed and value > 0 else ""
    if unit == "km":
        return sign + fmt_km(value, lang, digits=2)
    if unit == "m":
        return sign + fmt_m(value, lang)
    return sign + fmt_pct(value)


def fields_html(cmp: Comparison, lang: str) -> str:
    """Texts side by side: field | version a | version b, changed rows marked (colour and a word, not colour alone)."""
    from routes.text.i18n import t

    mark = t("ver.changed", lang)
    rows = [([f.label + (f" · {mark}" if f.changed else ""), f.a, f.b], f.changed) for f in cmp.fields]
    return _table([t("ver.col.field", lang), version_label(cmp.a.version, lang), version_label(cmp.b.version, lang)],
                  rows)


def figures_html(cmp: Comparison, lang: str) -> str:
    """The tracks' figures: figure | version a | version b | difference (b − a)."""
    from routes.text.i18n import t

    same = t("ver.same", lang)
    rows = [([f.label, _fmt(f.a, f.unit, lang), _fmt(f.b, f.unit, lang),
              _fmt(f.delta, f.unit, lang, signed=True) if f.changed else same], f.changed) for f in cmp.figures]
    return _table([t("ver.col.figure", lang), version_label(cmp.a.version, lang, track=cmp.a.track),
                   version_label(cmp.b.version, lang, track=cmp.b.track), t("ver.col.delta", lang)],
                  rows, numeric=(1, 2, 3))


#: Background of a changed row: a pale amber that keeps dark text at well over 4.5:1 contrast.
CHANGED_ROW_BG = "#fff1c2"
#: Narrowest field-name column (em): without it two long texts side by side squeeze "中文名称" to a letter a line.
FIELD_COLUMN_MIN_EM = 6
_STYLE = (f"<style>table.guide-table tr.ver-changed td, table.guide-table tr.ver-changed th "
          f"{{background:{CHANGED_ROW_BG}}} table.guide-table.ver-table tbody th {{min-width:{FIELD_COLUMN_MIN_EM}em}}"
          f"</style>")


def _table(columns: Sequence[str], rows: Sequence[tuple[Sequence[str], bool]], *, caption: str = "",
           numeric: Sequence[int] = ()) -> str:
    """A guide-table (routes.views.htmltable's layout: cards on a phone) whose changed rows are marked, and whose
    cells keep line breaks (a description's paragraphs)."""
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    body = []
    for cells, changed in rows:
        out = []
        for i, value in enumerate(cells):
            label = esc(columns[i])
            text = esc(str(value)).replace("\n", "<br>")
            if i == 0:
                out.append(f'<th scope="row" data-label="{label}">{text}</th>')
            else:
                cls = ' class="num"' if i in numeric else ""
                out.append(f'<td data-label="{label}"{cls}>{text}</td>')
        row_class = ' class="ver-changed"' if changed else ""
        body.append(f"<tr{row_class}>" + "".join(out) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (_STYLE + f'<table class="guide-table ver-table">{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def compare_map(analysis_a: Any, analysis_b: Any, *, label_a: str, label_b: str, lang: str) -> Any:
    """Both versions' lines on one map, each in its own colour, with a legend naming them."""
    from routes.views.maps import MapLine, _HtmlControl, build_map

    lines = [MapLine("version-a", label_a, analysis_a.map_lat, analysis_a.map_lon, colour=COMPARE_COLOURS[0],
                     arrows=False),
             MapLine("version-b", label_b, analysis_b.map_lat, analysis_b.map_lon, colour=COMPARE_COLOURS[1],
                     arrows=False)]
    m = build_map(lang=lang, lines=lines)
    _dash_later_line(m)
    _HtmlControl(compare_legend_html(label_a, label_b)).add_to(m)
    lats = np.concatenate([np.asarray(line.lat, float) for line in lines])
    lons = np.concatenate([np.asarray(line.lon, float) for line in lines])
    if len(lats):
        _FitWhenShown([[float(lats.min()), float(lons.min())], [float(lats.max()), float(lons.max())]]).add_to(m)
    return m


class _FitWhenShown(MacroElement):
    """Fit the map to both lines once its box has a size: the compare view sits in a tab, drawn while hidden (0 px
    wide), where the first fit lands on the closest zoom somewhere inside the lines."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }}, box = map.getContainer(), done = false;
  function fit() {
    if (done || !box.clientWidth || !box.clientHeight) { return; }
    done = true;
    map.invalidateSize();
    map.fitBounds({{ this.bounds|tojson }}, {padding: [12, 12]});
  }
  if (window.ResizeObserver) { new ResizeObserver(fit).observe(box); }
  fit();
})();
{% endmacro %}"""
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitWhenShown"
        self.bounds = bounds


#: Dashes of the later version's line (CSS px): where the two lines run together the earlier one shows between them.
LATER_LINE_DASH = "10 8"


def _dash_later_line(m: Any) -> None:
    """Draw the later version dashed (both coordinate frames' copies), so a shared stretch shows both colours."""
    import folium

    def walk(el: Any) -> None:
        previous = None
        for child in getattr(el, "_children", {}).values():
            if isinstance(child, folium.PolyLine) and child.options.get("color") == COMPARE_COLOURS[1]:
                child.options["dashArray"] = LATER_LINE_DASH
                # its white casing (drawn just before it) would fill the gaps: the earlier line shows there instead
                if isinstance(previous, folium.PolyLine) and previous.options.get("color") == "#ffffff":
                    previous.options["opacity"] = 0
            previous = child
            walk(child)

    walk(m)


def compare_legend_html(label_a: str, label_b: str) -> str:
    esc = html.escape
    # The key's sample is a solid bar for the earlier line and a dashed one for the later, as drawn on the map.
    styles = (f"background:{COMPARE_COLOURS[0]}",
              f"background:repeating-linear-gradient(90deg,{COMPARE_COLOURS[1]} 0 8px,transparent 8px 12px)")
    return "".join(f'<div class="compare-key"><span style="display:inline-block;width:24px;height:4px;{style};'
                   f'vertical-align:middle;margin-right:6px"></span>{esc(label)}</div>'
                   for style, label in zip(styles, (label_a, label_b), strict=True))


def history_versions(history: Sequence[Any], current_version: int) -> list[int | None]:
    """The version each history entry made (None for entries that made none, such as a refused stale save),
    aligned with ``history`` (oldest first), for the "all changes" table."""
    counted = [i for i, e in enumerate(history) if e.action in VERSION_ACTIONS]
    numbers = {i: current_version - len(counted) + 1 + n for n, i in enumerate(counted)}
    return [numbers.get(i) for i in range(len(history))]
