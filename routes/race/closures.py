"""The residents' road-closure notice (交通管制通告): one row per stretch of road with its closing and reopening,
as a table (page), a CSV for the traffic police and a printable A4/A3 PDF with a map of the closed roads.

Every row comes from the race book's closure table (routes.race.racebook.closure_rows, itself the timetable's
windows merged per stretch by routes.race.timetable.merge_closures): the notice, the CSV and the book cannot disagree.
Here the stretches only gain road names, dates and hours in Beijing time.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from routes.race.racebook import PDF_FONT, RaceLayout, closure_rows
from routes.race.roads import RoadName, roads_along
from routes.race.timetable import RoadClosure, merge_closures
from routes.text.i18n import fmt_datetime, fmt_duration, t

#: Paper sizes of the printed notice: A4 for a notice board, A3 for a village wall.
PAPER_SIZES = ("A4", "A3")
#: Type sizes are set for A4; an A3 sheet is √2 larger each way, and so is its type (read from the same distance
#: further away).
A3_SCALE = math.sqrt(2.0)
#: The map of closed roads on the notice, as a share of the printable width, and its height / width.
MAP_HEIGHT_RATIO = 0.55
#: The least the map may shrink to so that the notice stays on one sheet (below this it goes on a second page).
MIN_MAP_HEIGHT_RATIO = 0.25
#: Room kept free in the page frame for reportlab's own paddings (frame padding, rounding), in A4 points.
NOTICE_FRAME_SLACK_PT = 24.0
#: Excel reads a CSV as UTF-8 only when it starts with a byte-order mark; without it Chinese shows as mojibake.
CSV_ENCODING = "utf-8-sig"


@dataclass(frozen=True)
class ClosureStretch:
    """A numbered stretch of closed road: its merged closure and the roads it runs along."""

    number: int
    closure: RoadClosure
    roads: tuple[RoadName, ...]
    #: The race book's own texts of the stretch (from, to, km, laps), in the book's language.
    book_row: tuple[str, ...]

    def road_text(self, lang: str) -> str:
        sep = "、" if lang == "zh" else " / "
        return sep.join(r.title(lang) for r in self.roads) or t("rp.road_unnamed", lang)


def closure_stretches(layout: RaceLayout, lang: str) -> tuple[ClosureStretch, ...]:
    """Every closed stretch in the order first ridden, numbered from 1, named by the plan's road names."""
    course = layout.course
    merged = merge_closures(layout.timetable.closures, lap_m=course.lap_m, laps=course.laps)
    _head, book = closure_rows(layout, lang)
    out = []
    for i, (c, row) in enumerate(zip(merged, book, strict=True), start=1):
        roads: tuple[RoadName, ...] = ()
        if c.from_point.lap is not None and c.from_point.race_m >= 0:  # the roll-out is off the lap: no lap names
            offset = (c.from_point.lap - 1) * course.lap_m
            roads = roads_along(layout.plan.roads, c.from_point.race_m - offset, c.to_point.race_m - offset)
        out.append(ClosureStretch(i, c, roads, tuple(row[:4])))
    return tuple(out)


def notice_head(lang: str) -> list[str]:
    return [
        t("rp.col.no", lang),
        t("rp.col.road", lang),
        t("race.col.from", lang),
        t("race.col.to", lang),
        t("race.col.km", lang),
        t("race.col.laps", lang),
        t("rp.col.closed_from", lang),
        t("rp.col.reopen_at", lang),
        t("race.col.duration", lang),
    ]


def notice_rows(layout: RaceLayout, lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the notice: the same for the page, the CSV and the PDF. Times are dates and hours in
    Beijing time (fmt_datetime), to the minute, as the race book's closure table gives them."""
    rows = []
    for s in closure_stretches(layout, lang):
        c = s.closure
        rows.append(
            [
                str(s.number),
                s.road_text(lang),
                *s.book_row,
                fmt_datetime(c.close_at, lang),
                fmt_datetime(c.reopen_at, lang),
                fmt_duration(c.duration_s, lang),
            ]
        )
    return notice_head(lang), rows


def closures_csv(layout: RaceLayout, lang: str) -> bytes:
    """The notice's rows as CSV for the traffic police, UTF-8 with a byte-order mark so Excel opens it right."""
    head, rows = notice_rows(layout, lang)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(head)
    writer.writerows(rows)
    return buf.getvalue().encode(CSV_ENCODING)


def closure_span(layout: RaceLayout) -> tuple[datetime, datetime] | None:
    """First closing and last reopening of the whole race (None when nothing is closed)."""
    closures = layout.timetable.closures
    if not closures:
        return None
    return min(c.close_at for c in closures), max(c.reopen_at for c in closures)


def notice_intro(layout: RaceLayout, lang: str) -> str:
    """The notice's opening sentence: why, when, and what people are asked to do."""
    plan = layout.plan
    span = closure_span(layout)
    start, end = (span if span else (plan.start_local, plan.start_local))
    return t(
        "rp.notice.intro",
        lang,
        race=plan.title(lang),
        start=fmt_datetime(start, lang),
        end=fmt_datetime(end, lang),
    )


def stretch_lines(layout: RaceLayout) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """(number, lat, lon) of each closed stretch's line on the lap, for the map (the roll-out has no line)."""
    course = layout.course
    lap_d = course.lap_distance_m
    out = []
    for s in closure_stretches(layout, "zh"):
        c = s.closure
        if c.from_point.lap is None or c.from_point.race_m < 0:
            continue
        offset = (c.from_point.lap - 1) * course.lap_m
        a, b = c.from_point.race_m - offset, c.to_point.race_m - offset
        inside = (lap_d > a) & (lap_d < b)
        d = np.concatenate([[a], lap_d[inside], [b]])
        out.append((s.number, np.interp(d, lap_d, course.lap.lat), np.interp(d, lap_d, course.lap.lon)))
    return out


# ---------------------------------------------------------------------------------------------------- the PDF
def _closure_map(layout: RaceLayout, lang: str, width_pt: float, height_pt: float, scale_type: float):
    """The closed roads as thick red lines on the course (drawn from the track: the notice builds offline, without
    a basemap), each stretch numbered like the table, with a scale bar and north arrow."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
    from reportlab.lib import colors

    from routes.analysis.along import to_metric
    from routes.race.racebook import _nice_length_m

    lap = layout.course.lap
    x, y = to_metric(lap.lat, lap.lon)
    pad = 18.0 * scale_type
    span_x, span_y = float(np.ptp(x)) or 1.0, float(np.ptp(y)) or 1.0
    k = min((width_pt - 2 * pad) / span_x, (height_pt - 2 * pad) / span_y)
    ox = (width_pt - span_x * k) / 2 - float(x.min()) * k
    oy = (height_pt - span_y * k) / 2 - float(y.min()) * k
    d = Drawing(width_pt, height_pt)
    d.add(Rect(0, 0, width_pt, height_pt, fillColor=colors.HexColor("#f7f5ef"), strokeColor=colors.HexColor("#999999")))
    for number, slat, slon in stretch_lines(layout):
        sx, sy = to_metric(slat, slon)
        pts: list[float] = []
        for xi, yi in zip(sx.tolist(), sy.tolist(), strict=True):
            pts += [xi * k + ox, yi * k + oy]
        if len(pts) >= 4:
            d.add(PolyLine(pts, strokeColor=colors.white, strokeWidth=7 * scale_type))
            d.add(PolyLine(pts, strokeColor=colors.HexColor("#c62828"), strokeWidth=3.5 * scale_type))
        mid = len(sx) // 2
        cx, cy = float(sx[mid]) * k + ox, float(sy[mid]) * k + oy
        r = 7 * scale_type
        d.add(Circle(cx, cy, r, fillColor=colors.HexColor("#263238"), strokeColor=colors.white, strokeWidth=1))
        d.add(String(cx, cy - 3 * scale_type, str(number), fontName=PDF_FONT, fontSize=8 * scale_type,
                     fillColor=colors.white, textAnchor="middle"))
    start = layout.points[0] if layout.points and layout.points[0].kind != "neutral" else None
    start = start or next((p for p in layout.points if p.kind == "start"), None)
    if start is not None and math.isfinite(start.lat):
        px, py = to_metric(np.array([start.lat]), np.array([start.lon]))
        sx0, sy0 = float(px[0]) * k + ox, float(py[0]) * k + oy
        d.add(Rect(sx0 - 4 * scale_type, sy0 - 4 * scale_type, 8 * scale_type, 8 * scale_type,
                   fillColor=colors.HexColor("#2e7d32"), strokeColor=colors.white))
        d.add(String(sx0 + 7 * scale_type, sy0 - 10 * scale_type, t("rp.map.start", lang), fontName=PDF_FONT,
                     fontSize=7.5 * scale_type))
    bar_m = _nice_length_m(span_x / 4)
    d.add(Line(pad, pad, pad + bar_m * k, pad, strokeWidth=2))
    d.add(String(pad, pad + 4, t("race.unit.km", lang, v=f"{bar_m / 1000:g}"), fontName=PDF_FONT,
                 fontSize=7 * scale_type))
    d.add(String(width_pt - pad, height_pt - pad, t("race.book.north", lang), fontName=PDF_FONT,
                 fontSize=9 * scale_type, textAnchor="end"))
    return d


def closure_notice_pdf(
    layout: RaceLayout, *, lang: str = "zh", size: str = "A4", generated_at: datetime | None = None
) -> bytes:
    """The printable notice: title, why and when, the closed stretches with their hours, a map of the closed roads,
    detour advice, the organiser and a telephone number. ``size`` is "A4" or "A3" (portrait)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A3, A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from routes.race.racebook import _register_font

    if size not in PAPER_SIZES:
        raise ValueError(f"paper size must be one of {PAPER_SIZES}")
    _register_font()
    k = A3_SCALE if size == "A3" else 1.0
    page = A3 if size == "A3" else A4
    margin = 15 * mm * k
    plan = layout.plan
    title_style = ParagraphStyle("title", fontName=PDF_FONT, fontSize=30 * k, leading=38 * k, alignment=TA_CENTER,
                                 spaceAfter=4 * k)
    sub = ParagraphStyle("sub", fontName=PDF_FONT, fontSize=13 * k, leading=18 * k, alignment=TA_CENTER,
                         spaceAfter=8 * k)
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=11 * k, leading=17 * k, firstLineIndent=0)
    h2 = ParagraphStyle("h2", fontName=PDF_FONT, fontSize=13 * k, leading=18 * k, spaceBefore=8 * k, spaceAfter=4 * k)
    small = ParagraphStyle("small", fontName=PDF_FONT, fontSize=8.5 * k, leading=12 * k, textColor="#555555")
    cell = ParagraphStyle("cell", fontName=PDF_FONT, fontSize=8.5 * k, leading=11 * k)
    cell_head = ParagraphStyle("cellh", parent=cell, textColor=colors.white)

    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    width = page[0] - 2 * margin
    story: list = [
        Paragraph(esc(t("rp.notice.title", lang)), title_style),
        Paragraph(esc(plan.title(lang)), sub),
        Paragraph(esc(notice_intro(layout, lang)), body),
        Paragraph(esc(t("rp.notice.sections", lang)), h2),
    ]
    # The notice's table: number, road, from–to places, laps, closed from, reopened at (dates: a race may run past
    # midnight, and the notice is posted days ahead).
    head = [t("rp.col.no", lang), t("rp.col.road", lang), t("rp.col.stretch", lang), t("race.col.laps", lang),
            t("rp.col.closed_from", lang), t("rp.col.reopen_at", lang)]
    rows = []
    for s in closure_stretches(layout, lang):
        stretch = t("rp.stretch_text", lang, a=s.book_row[0], b=s.book_row[1], km=s.book_row[2])
        rows.append([str(s.number), s.road_text(lang), stretch, s.book_row[3],
                     fmt_datetime(s.closure.close_at, lang), fmt_datetime(s.closure.reopen_at, lang)])
    shares = (0.06, 0.18, 0.30, 0.10, 0.18, 0.18)
    data = [[Paragraph(esc(h), cell_head) for h in head]] + [[Paragraph(esc(v), cell) for v in r] for r in rows]
    table = Table(data, colWidths=[width * s for s in shares], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#37474f")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f1f1")]),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9e9e9e")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2 * k),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * k),
    ]))
    story += [table, Spacer(1, 4 * k),
              Paragraph(esc(t("rp.notice.times_note", lang, lead=f"{plan.lead_buffer_s / 60:g}",
                                trail=f"{plan.trail_buffer_s / 60:g}")), small)]
    map_head = [Paragraph(esc(t("rp.notice.map", lang)), h2)]
    after_map = [Paragraph(esc(t("rp.notice.map_note", lang)), small),
                 Paragraph(esc(t("rp.notice.detour", lang)), h2),
                 Paragraph(esc(plan.detour or t("rp.notice.detour_default", lang)), body),
                 Spacer(1, 8 * k),
                 Paragraph(esc(t("rp.notice.organiser", lang, who=plan.organiser or "—")), body),
                 Paragraph(esc(t("rp.notice.contact", lang, phone=plan.contact or "—")), body)]
    issued = (generated_at or datetime.now(UTC))
    after_map += [Spacer(1, 6 * k), Paragraph(esc(t("rp.notice.issued", lang, when=fmt_datetime(issued, lang))), small)]
    if layout.illustrative:
        after_map.append(Paragraph(esc(t("race.book.illustrative", lang)), small))
    # The notice is posted as one sheet: the map takes what room the text leaves, between a floor (still readable)
    # and its full height.
    frame_h = page[1] - 2 * margin - NOTICE_FRAME_SLACK_PT * k
    used = sum(f.wrap(width, frame_h)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in story + map_head + after_map)
    map_h = min(width * MAP_HEIGHT_RATIO, max(width * MIN_MAP_HEIGHT_RATIO, frame_h - used))
    story += [*map_head, _closure_map(layout, lang, width, map_h, k), *after_map]

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=margin, title=f"{t('rp.notice.title', lang)} · {plan.title(lang)}",
                            author=plan.organiser or t("app.title", lang), subject=t("rp.notice.title", lang))
    doc.build(story)
    return buf.getvalue()


__all__ = [
    "ClosureStretch",
    "closure_notice_pdf",
    "closure_span",
    "closure_stretches",
    "closures_csv",
    "notice_rows",
    "stretch_lines",
]
