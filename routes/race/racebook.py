"""The race book: everything an organiser prints, laid out once from a plan and its routes, as a PDF in zh or en."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np

from routes.core.model import Track
from routes.race.names import marker_label, marker_note, point_title  # noqa: F401 - the book's names, re-exported
from routes.race.plan import Course, CourseClimb, CoursePoint, RacePlan, build_course, course_climbs, expand_markers
from routes.race.stageprofile import CJK_FONT_PATH, MARKER_COLOUR, stage_profile_png
from routes.race.timetable import Timetable, format_clock, merge_closures, plan_timetable
from routes.text.i18n import t, tn

#: reportlab name of the embedded CJK font (subset-embedded with a ToUnicode map, so text can be copied).
PDF_FONT = "NotoSansSC"
#: Course-map drawing size on the page, points (1/72 in).
MAP_WIDTH_PT = 480.0
MAP_HEIGHT_PT = 330.0
#: The course map is drawn from the track only. The guide makes no network request at run time (tile servers are
#: often unreachable from where it runs and the race book must build offline), so there is no basemap.


@dataclass(frozen=True, eq=False)
class RaceLayout:
    """A plan laid out on its routes: everything the page, the race book and the device files show."""

    plan: RacePlan
    course: Course
    points: tuple[CoursePoint, ...]
    climbs: tuple[CourseClimb, ...]
    #: Smoothed elevation profile of the whole race (every lap), by race distance.
    race_distance_m: np.ndarray
    race_ele_m: np.ndarray
    #: Climbing of the whole race, from the analysis of one lap.
    ascent_m: float | None
    timetable: Timetable
    #: True when any route used is illustrative seed data (the book then says so).
    illustrative: bool = False
    #: Hospitals and clinics the medical plan chooses from (routes.race.medical).
    hospitals: tuple = ()
    #: The routes' surface stretches and warnings at race km on every lap (routes.race.roadfacts.CourseStretch).
    road: tuple = ()


def lay_out_race(
    plan: RacePlan, tracks: Sequence[Track], *, illustrative: bool = False, hospitals: Sequence = ()
) -> RaceLayout:
    """Course, markers, climbs (with KOM names), profile and timetable of a plan on its route tracks."""
    from routes.analysis.summary import analyse

    course = build_course(tracks, laps=plan.laps, neutral_m=plan.neutral_m, name=plan.name)
    analysis = analyse(course.lap)
    points = expand_markers(plan.markers, course)
    if len(analysis.profile_distance_m) >= 2 and np.isfinite(analysis.profile_ele_m).any():
        # the profile's distance is the analysis's own; stretch it onto the course's so markers and climbs align
        scale = course.lap_m / float(analysis.profile_distance_m[-1]) if analysis.profile_distance_m[-1] > 0 else 1.0
        lap_d = np.asarray(analysis.profile_distance_m) * scale
        lap_e = np.asarray(analysis.profile_ele_m)
    else:
        lap_d, lap_e = course.lap_distance_m, course.lap.ele_m
    race_d, race_e = course.race_profile(lap_d, lap_e)
    climbs = course_climbs(course, analysis.climbs, plan.markers)
    ascent = None if analysis.ascent_m is None else float(analysis.ascent_m) * plan.laps
    table = plan_timetable(
        plan, course, points, race_distance_m=race_d, race_ele_m=np.where(np.isfinite(race_e), race_e, 0.0)
    )
    return RaceLayout(plan, course, points, climbs, race_d, race_e, ascent, table, illustrative, tuple(hospitals))


def lap_climbs(layout: RaceLayout):
    """The climbs of one lap (for default markers)."""
    return [c for c in layout.climbs if c.lap == 1]


# ---------------------------------------------------------------------------------------------------- formatting
def km_text(distance_m: float) -> str:
    return f"{distance_m / 1000:.1f}"


def timetable_rows(layout: RaceLayout, lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the timetable as text (shared by the page and the race book)."""
    table = layout.timetable
    head = [t("race.col.km", lang), t("race.col.to_go", lang), t("race.col.lap", lang), t("race.col.marker", lang)]
    head += [s.label(lang) for s in table.scenarios]
    has_cutoff = any(r.cutoff is not None for r in table.rows)
    if has_cutoff:
        head.append(t("race.col.cutoff", lang))
    rows = []
    for r in table.rows:
        p = r.point
        row = [km_text(p.race_m), km_text(p.to_go_m), "" if p.lap is None else str(p.lap), point_title(p, lang)]
        row += [format_clock(when, table.start) for when in r.times]
        if has_cutoff:
            row.append(format_clock(r.cutoff, table.start) if r.cutoff else "")
        rows.append(row)
    return head, rows


def _laps_text(laps: Sequence[int], lang: str) -> str:
    if not laps:
        return ""
    if len(laps) == 1:
        return str(laps[0])
    return f"{laps[0]}–{laps[-1]}" if list(laps) == list(range(laps[0], laps[-1] + 1)) else ", ".join(map(str, laps))


def closure_rows(layout: RaceLayout, lang: str) -> tuple[list[str], list[list[str]]]:
    """One row per stretch of road: first closing and final reopening over every lap (the window to give the
    police). Kilometres are those of the stretch's first pass; the per-lap windows are in closure_lap_rows."""
    table = layout.timetable
    head = [
        t("race.col.from", lang),
        t("race.col.to", lang),
        t("race.col.km", lang),
        t("race.col.laps", lang),
        t("race.col.close", lang),
        t("race.col.reopen", lang),
        t("race.col.duration", lang),
    ]
    rows = []
    for c in merge_closures(table.closures, lap_m=layout.course.lap_m, laps=layout.course.laps):
        minutes = int(round(c.duration_s / 60))
        last_to = c.windows[-1].to_point
        to_title = point_title(c.to_point, lang)
        if last_to.kind != c.to_point.kind:  # "lap line" on the early laps, "finish" on the last
            to_title = f"{to_title} / {point_title(last_to, lang)}"
        rows.append(
            [
                point_title(c.from_point, lang),
                to_title,
                f"{km_text(c.from_point.race_m)}–{km_text(c.to_point.race_m)}",
                _laps_text(c.laps, lang),
                format_clock(c.close_at, table.start),
                format_clock(c.reopen_at, table.start),
                f"{minutes // 60}:{minutes % 60:02d}",
            ]
        )
    return head, rows


def closure_lap_rows(layout: RaceLayout, lang: str) -> tuple[list[str], list[list[str]]]:
    """Every pass over every stretch, lap by lap (the race book's appendix: what the merged rows are made of)."""
    table = layout.timetable
    head = [
        t("race.col.lap", lang),
        t("race.col.from", lang),
        t("race.col.to", lang),
        t("race.col.km", lang),
        t("race.col.close", lang),
        t("race.col.reopen", lang),
        t("race.col.duration", lang),
    ]
    rows = []
    for c in table.closures:
        minutes = int(round(c.duration_s / 60))
        rows.append(
            [
                "" if c.from_point.lap is None else str(c.from_point.lap),
                point_title(c.from_point, lang),
                point_title(c.to_point, lang),
                f"{km_text(c.from_point.race_m)}–{km_text(c.to_point.race_m)}",
                format_clock(c.close_at, table.start),
                format_clock(c.reopen_at, table.start),
                f"{minutes // 60}:{minutes % 60:02d}",
            ]
        )
    return head, rows


def marker_rows(layout: RaceLayout, lang: str) -> tuple[list[str], list[list[str]]]:
    head = [
        t("race.col.km", lang),
        t("race.col.to_go", lang),
        t("race.col.lap", lang),
        t("race.col.marker", lang),
        t("race.col.ele", lang),
        t("race.col.note", lang),
    ]
    rows = []
    for p in layout.points:
        ele = "" if not math.isfinite(p.ele_m) else f"{p.ele_m:.0f}"
        rows.append(
            [
                km_text(p.race_m),
                km_text(p.to_go_m),
                "" if p.lap is None else str(p.lap),
                point_title(p, lang),
                ele,
                marker_note(p, lang),
            ]
        )
    return head, rows


def climb_rows(layout: RaceLayout, lang: str) -> tuple[list[str], list[list[str]]]:
    head = [
        t("race.col.name", lang),
        t("race.col.lap", lang),
        t("race.col.start_km", lang),
        t("race.col.length", lang),
        t("race.col.gain", lang),
        t("race.col.avg", lang),
        t("race.col.max", lang),
        t("race.col.cat", lang),
    ]
    rows = []
    for c in layout.climbs:
        cat = "" if not c.category else (t("race.cat.HC", lang) if c.category == "HC" else c.category)
        rows.append(
            [
                c.title(lang),
                str(c.lap),
                km_text(c.start_m),
                t("race.unit.km", lang, v=f"{c.length_m / 1000:.2f}"),
                t("race.unit.m", lang, v=f"{c.gain_m:.0f}"),
                f"{c.avg_grade_pct:.1f}%",
                f"{c.max_grade_pct:.1f}%",
                cat,
            ]
        )
    return head, rows


def summary_text(layout: RaceLayout, lang: str) -> str:
    gain = "—" if layout.ascent_m is None else f"{layout.ascent_m:.0f}"
    return tn("race.book.subtitle", lang, layout.plan.laps, laps=layout.plan.laps, km=km_text(layout.course.race_m),
              gain=gain)


def profile_png(layout: RaceLayout, lang: str, *, dpi: int = 150) -> bytes:
    return stage_profile_png(
        layout.race_distance_m,
        layout.race_ele_m,
        climbs=layout.climbs,
        points=layout.points,
        lang=lang,
        title=layout.plan.title(lang),
        dpi=dpi,
    )


# ---------------------------------------------------------------------------------------------------- the PDF
def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(PDF_FONT, str(CJK_FONT_PATH)))


def course_map_drawing(
    layout: RaceLayout, lang: str, *, width_pt: float = MAP_WIDTH_PT, height_pt: float = MAP_HEIGHT_PT
):
    """The course as a plain line in UTM 51N metres, scaled into a box, with numbered marker dots and a scale bar."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
    from reportlab.lib import colors

    from routes.analysis.along import to_metric

    lap = layout.course.lap
    x, y = to_metric(lap.lat, lap.lon)
    pad = 16.0
    span_x, span_y = float(np.ptp(x)) or 1.0, float(np.ptp(y)) or 1.0
    scale = min((width_pt - 2 * pad) / span_x, (height_pt - 2 * pad) / span_y)
    ox = (width_pt - span_x * scale) / 2 - float(x.min()) * scale
    oy = (height_pt - span_y * scale) / 2 - float(y.min()) * scale
    d = Drawing(width_pt, height_pt)
    d.add(Rect(0, 0, width_pt, height_pt, fillColor=colors.HexColor("#f7f5ef"), strokeColor=colors.HexColor("#cccccc")))
    step = max(1, lap.n_points // 4000)  # a few thousand points draw the line faithfully at this size
    pts: list[float] = []
    for xi, yi in zip(x[::step].tolist() + [float(x[-1])], y[::step].tolist() + [float(y[-1])], strict=True):
        pts += [xi * scale + ox, yi * scale + oy]
    d.add(PolyLine(pts, strokeColor=colors.HexColor("#ffffff"), strokeWidth=5))
    d.add(PolyLine(pts, strokeColor=colors.HexColor("#c62828"), strokeWidth=2.2))
    # one dot per place (repeated lap markers share a place)
    seen: dict[tuple[int, int], int] = {}
    for p in layout.points:
        if p.kind in ("neutral", "lap") or not math.isfinite(p.lat):
            continue
        px, py = to_metric(np.array([p.lat]), np.array([p.lon]))
        key = (int(px[0] // 50), int(py[0] // 50))
        if key in seen:
            continue
        seen[key] = len(seen) + 1
        cx, cy = float(px[0]) * scale + ox, float(py[0]) * scale + oy
        d.add(
            Circle(
                cx,
                cy,
                6,
                fillColor=colors.HexColor(MARKER_COLOUR.get(p.kind, "#333333")),
                strokeColor=colors.white,
                strokeWidth=1,
            )
        )
        d.add(String(cx + 8, cy + 3, point_title(p, lang), fontName=PDF_FONT, fontSize=7))
    # scale bar: a round number of km near a quarter of the width
    bar_m = _nice_length_m(span_x / 4)
    d.add(Line(pad, pad, pad + bar_m * scale, pad, strokeWidth=2))
    d.add(String(pad, pad + 4, t("race.unit.km", lang, v=f"{bar_m / 1000:g}"), fontName=PDF_FONT, fontSize=7))
    d.add(String(width_pt - pad, height_pt - pad, t("race.book.north", lang), fontName=PDF_FONT, fontSize=9,
                 textAnchor="end"))
    return d


def _nice_length_m(target_m: float) -> float:
    for v in (100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        if v >= target_m:
            return float(v)
    return 100000.0


def _table(head: list[str], rows: list[list[str]], col_widths: list[float] | None = None, *, font_size: float = 7.5):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    tbl = Table([head, *rows], colWidths=col_widths, repeatRows=1)
    tbl.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), PDF_FONT),
                ("FONTSIZE", (0, 0), (-1, -1), font_size),
                ("LEADING", (0, 0), (-1, -1), font_size + 2),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#37474f")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f1f1")]),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#bdbdbd")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return tbl


def race_book_pdf(layout: RaceLayout, *, lang: str = "zh", generated_at: datetime | None = None) -> bytes:
    """The race book as PDF bytes: cover with map, stage profile and climbs, markers, timetable, closure windows."""
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Image,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
    )
    from reportlab.platypus.doctemplate import BaseDocTemplate
    from reportlab.platypus.frames import Frame

    _register_font()
    plan = layout.plan
    title = plan.title(lang)
    h1 = ParagraphStyle("h1", fontName=PDF_FONT, fontSize=24, leading=30, alignment=TA_LEFT, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=PDF_FONT, fontSize=14, leading=18, spaceBefore=4, spaceAfter=6)
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=9.5, leading=14)
    small = ParagraphStyle("small", fontName=PDF_FONT, fontSize=8, leading=11, textColor="#555555")
    warn = ParagraphStyle("warn", parent=small, textColor="#b26a00")

    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(PDF_FONT, 7.5)
        canvas.setFillColor("#777777")
        w, _h = canvas._pagesize
        canvas.drawString(15 * mm, 8 * mm, f"{title} · {t('race.book.title', lang)}")
        canvas.drawRightString(w - 15 * mm, 8 * mm, t("race.book.page", lang, n=doc.page))
        canvas.restoreState()

    buf = io.BytesIO()
    portrait_size, landscape_size = A4, landscape(A4)
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        title=title,
        author=t("app.title", lang),
        subject=t("race.book.title", lang),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    m = 15 * mm
    doc.addPageTemplates(
        [
            PageTemplate(
                "portrait",
                [Frame(m, m, portrait_size[0] - 2 * m, portrait_size[1] - 2 * m, id="p")],
                onPage=footer,
                pagesize=portrait_size,
            ),
            PageTemplate(
                "landscape",
                [Frame(m, m, landscape_size[0] - 2 * m, landscape_size[1] - 2 * m, id="l")],
                onPage=footer,
                pagesize=landscape_size,
            ),
        ]
    )
    start = plan.start_local
    when = start.strftime("%Y-%m-%d %H:%M")
    story: list = [
        Paragraph(esc(t("race.book.title", lang)), small),
        Paragraph(esc(title), h1),
        Paragraph(esc(summary_text(layout, lang)), body),
        Paragraph(esc(t("race.book.start", lang, when=when, tz=plan.tz)), body),
    ]
    if plan.neutral_m > 0:
        story.append(
            Paragraph(
                esc(t("race.book.neutral", lang, km=km_text(plan.neutral_m), speed=f"{plan.neutral_speed_kmh:g}")), body
            )
        )
    if plan.notes:
        story.append(Paragraph(esc(plan.notes), body))
    if layout.illustrative:
        story.append(Spacer(1, 4))
        story.append(Paragraph(esc(t("race.book.illustrative", lang)), warn))
    story += [
        Spacer(1, 10),
        Paragraph(esc(t("race.book.map", lang)), h2),
        course_map_drawing(layout, lang),
        Paragraph(esc(t("race.book.map_plain", lang)), small),
    ]
    generated = (generated_at or datetime.now(UTC)).astimezone(start.tzinfo).strftime("%Y-%m-%d %H:%M")
    story.append(Paragraph(esc(t("race.book.generated", lang, when=generated)), small))

    # stage profile and climbs, landscape
    story += [NextPageTemplate("landscape"), PageBreak(), Paragraph(esc(t("race.book.profile", lang)), h2)]
    png = profile_png(layout, lang, dpi=170)
    width = landscape_size[0] - 2 * m
    story.append(Image(io.BytesIO(png), width=width, height=width * 4.2 / 11.0))
    story.append(Paragraph(esc(t("race.book.climbs", lang)), h2))
    head, rows = climb_rows(layout, lang)
    story.append(_table(head, rows) if rows else Paragraph(esc(t("race.book.no_climbs", lang)), body))
    if layout.road:
        from routes.race.roadfacts import stretch_rows

        story += [Paragraph(esc(t("facts.road", lang)), h2), Paragraph(esc(t("facts.book_note", lang)), small)]
        head, rows = stretch_rows(layout.road, lang, laps=layout.course.laps)
        story.append(_table(head, rows))

    # markers and timetable
    story += [NextPageTemplate("portrait"), PageBreak(), Paragraph(esc(t("race.book.markers", lang)), h2)]
    head, rows = marker_rows(layout, lang)
    story.append(_table(head, rows, [14 * mm, 14 * mm, 10 * mm, 55 * mm, 14 * mm, 68 * mm]))
    story += [NextPageTemplate("landscape"), PageBreak(), Paragraph(esc(t("race.book.timetable", lang)), h2)]
    note = (
        t("race.book.timetable_note", lang, speed=f"{plan.cutoff_speed_kmh:g}")
        if plan.cutoff_speed_kmh
        else t("race.book.timetable_note_nocut", lang)
    )
    story.append(Paragraph(esc(note), small))
    if plan.waves and plan.cutoff_speed_kmh:
        story.append(Paragraph(esc(t("race.book.waves_note", lang)), small))
    story.append(Spacer(1, 4))
    head, rows = timetable_rows(layout, lang)
    story.append(_table(head, rows))
    story += [Spacer(1, 10), Paragraph(esc(t("race.book.closures", lang)), h2)]
    story.append(
        Paragraph(
            esc(
                t(
                    "race.book.closures_note",
                    lang,
                    lead=f"{plan.lead_buffer_s / 60:g}",
                    trail=f"{plan.trail_buffer_s / 60:g}",
                )
            ),
            small,
        )
    )
    story.append(Spacer(1, 4))
    head, rows = closure_rows(layout, lang)
    story.append(_table(head, rows))
    story += _medical_and_marshal_pages(layout, lang, h2=h2, body=body, small=small, warn=warn, esc=esc)
    if layout.course.laps > 1:
        # The merged windows above are what the police get; each lap's pass stays on record in an appendix.
        story += [PageBreak(), Paragraph(esc(t("race.book.closures_appendix", lang)), h2)]
        story.append(Paragraph(esc(t("race.book.closures_appendix_note", lang)), small))
        story.append(Spacer(1, 4))
        head, rows = closure_lap_rows(layout, lang)
        story.append(_table(head, rows))
    doc.build(story)
    return buf.getvalue()


def medical_rows(layout: RaceLayout, lang: str) -> tuple[list[str], list[list[str]]]:
    """One row per stretch of the closure table: the nearest hospital or clinic, straight-line and road distance,
    drive time (routes.race.medical: straight line × DETOUR_FACTOR at DRIVE_SPEED_KMH)."""
    from routes.race.medical import layout_care

    head = [
        t("race.col.from", lang),
        t("race.col.to", lang),
        t("race.col.km", lang),
        t("race.col.hospital", lang),
        t("race.col.straight_km", lang),
        t("race.col.road_km", lang),
        t("race.col.drive_min", lang),
    ]
    rows = []
    for care in layout_care(layout):
        c = care.closure
        if care.hospital is None:
            continue
        kind = t(f"poi.cat.{care.hospital.category}", lang)
        rows.append(
            [
                point_title(c.from_point, lang),
                point_title(c.to_point, lang),
                f"{km_text(max(c.from_point.race_m, 0.0))}–{km_text(c.to_point.race_m)}",
                f"{care.hospital.title(lang)}（{kind}）" if lang == "zh" else f"{care.hospital.title(lang)} ({kind})",
                f"{care.straight_m / 1000:.1f}",
                f"{care.road_m / 1000:.1f}",
                f"{care.drive_s / 60:.0f}",
            ]
        )
    return head, rows


def _medical_and_marshal_pages(layout: RaceLayout, lang: str, *, h2, body, small, warn, esc) -> list:
    """The medical page (nearest hospital per stretch) and the marshal page (posts, passes, contacts)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    from routes.race.marshals import marshal_rows
    from routes.race.medical import DETOUR_FACTOR, DRIVE_SPEED_KMH

    story: list = [PageBreak(), Paragraph(esc(t("race.book.medical", lang)), h2)]
    story.append(Paragraph(esc(t("race.book.medical_note", lang, factor=f"{DETOUR_FACTOR:g}",
                                 speed=f"{DRIVE_SPEED_KMH:g}")), small))
    story.append(Spacer(1, 4))
    head, rows = medical_rows(layout, lang)
    if rows:
        story.append(_table(head, rows, [48 * mm, 48 * mm, 22 * mm, 85 * mm, 20 * mm, 22 * mm, 20 * mm]))
        listed = {h for h in layout.hospitals}
        if any(h.illustrative for h in listed):
            story.append(Spacer(1, 4))
            story.append(Paragraph(esc(t("race.book.medical_illustrative", lang)), warn))
    else:
        story.append(Paragraph(esc(t("race.book.no_hospitals", lang)), body))
    story += [Spacer(1, 12), Paragraph(esc(t("race.book.marshals", lang)), h2)]
    head, rows = marshal_rows(layout, lang)
    if rows:
        story.append(Paragraph(esc(t("race.book.marshals_note", lang)), small))
        story.append(Spacer(1, 4))
        story.append(_table(head, rows, [55 * mm, 14 * mm, 40 * mm, 80 * mm, 30 * mm, 30 * mm]))
    else:
        story.append(Paragraph(esc(t("race.book.no_marshals", lang)), body))
    return story


def route_tracks(store, slugs: Sequence[str]) -> tuple[list[Track], bool]:
    """The current GPX of each route from the store, and whether any of them is illustrative seed data."""
    from routes.io.gpxio import read_gpx
    from routes.store import StoreError

    tracks, illustrative = [], False
    for slug in slugs:
        info = store.get_route(slug)
        if info is None:
            raise StoreError("route_not_found", slug=slug)
        illustrative = illustrative or bool(info.illustrative)
        tracks.append(read_gpx(store.get_route_gpx(slug)))
    return tracks, illustrative


def layout_from_store(store, plan: RacePlan) -> RaceLayout:
    from routes.race.medical import hospitals_from_store

    tracks, illustrative = route_tracks(store, plan.route_slugs)
    layout = lay_out_race(plan, tracks, illustrative=illustrative, hospitals=hospitals_from_store(store))
    return replace(layout, road=_course_road(store, plan, tracks, layout))


def _course_road(store, plan: RacePlan, tracks: Sequence[Track], layout: RaceLayout) -> tuple:
    """Each route's facts placed on the course (the routes the lap joins, in order; empty tracks are not joined)."""
    from routes.race.roadfacts import course_stretches

    used = [(store.get_route(slug).facts, tr.n_points) for slug, tr in zip(plan.route_slugs, tracks, strict=True)
            if tr.n_points]
    return course_stretches(layout.course, [f for f, _ in used], [n for _, n in used])
