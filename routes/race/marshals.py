"""The marshal list: every marshal post with its km, road, the times the race passes it on each lap, and its contact.

One row per post in the race book; one row per pass in the CSV (what a chief marshal sorts and phones down). Pass
times come from the timetable: the first rider (earliest scenario or wave) to the last (the time limit, or the
latest scenario), so a marshal knows when to be in place and when the road is theirs again.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from routes.race.timetable import format_clock
from routes.text.i18n import t

#: Kinds listed as posts (a checkpoint/timing point is staffed too).
MARSHAL_KINDS = ("marshal", "checkpoint")


@dataclass(frozen=True)
class MarshalPass:
    lap: int | None
    race_m: float
    first: str
    last: str


@dataclass(frozen=True)
class MarshalPost:
    kind: str
    number: int
    title: str
    lap_m: float
    road: str
    contact_name: str
    contact_phone: str
    passes: tuple[MarshalPass, ...]


def _road_at(plan, lap_m: float, lang: str) -> str:
    from routes.race.roads import roads_along

    roads = roads_along(getattr(plan, "roads", ()) or (), lap_m, lap_m)
    return roads[0].title(lang) if roads else ""


def marshal_posts(layout, lang: str) -> list[MarshalPost]:
    """Posts in order along the lap, each with its passes in riding order."""
    from routes.race.names import marker_label, point_title

    table = layout.timetable
    posts: dict[tuple, list] = {}
    for row in table.rows:
        p = row.point
        if p.kind not in MARSHAL_KINDS:
            continue
        lap_m = float(layout.course.lap_position_m(p.race_m)) if p.lap else p.race_m
        key = (p.kind, p.number, round(lap_m), p.label, p.label_en)
        posts.setdefault(key, []).append(row)
    out = []
    for (kind, number, _m, _l, _le), rows in posts.items():
        p = rows[0].point
        lap_m = float(layout.course.lap_position_m(p.race_m))
        passes = []
        for r in rows:
            first = min(r.times)
            last = r.cutoff if r.cutoff is not None else max(r.times)
            last = max(last, max(r.times))
            passes.append(MarshalPass(r.point.lap, r.point.race_m, format_clock(first, table.start),
                                      format_clock(last, table.start)))
        title = point_title(p, lang)
        if lang == "zh" and not marker_label(p, lang) and number:
            title = f"{title} {number}"  # unnamed posts stay apart in a list people are phoned from ("路口值守 2")
        out.append(
            MarshalPost(kind, number, title, lap_m, _road_at(layout.plan, lap_m, lang),
                        p.contact_name, p.contact_phone, tuple(passes))
        )
    out.sort(key=lambda post: (post.lap_m, post.kind, post.number))
    return out


def passes_text(post: MarshalPost, lang: str) -> str:
    """"L1 08:40–09:25 · L2 ..." (one pass: just the times)."""
    parts = []
    for ps in post.passes:
        times = f"{ps.first}–{ps.last}"
        parts.append(times if len(post.passes) == 1 or ps.lap is None
                     else t("race.marshal.pass", lang, lap=ps.lap, times=times))
    return " · ".join(parts)


def marshal_rows(layout, lang: str) -> tuple[list[str], list[list[str]]]:
    """The race book's marshal table: one row per post."""
    head = [
        t("race.col.marker", lang),
        t("race.col.km", lang),
        t("race.col.road", lang),
        t("race.col.passes", lang),
        t("race.col.contact", lang),
        t("race.col.phone", lang),
    ]
    rows = [
        [post.title, f"{post.lap_m / 1000:.1f}", post.road, passes_text(post, lang), post.contact_name,
         post.contact_phone]
        for post in marshal_posts(layout, lang)
    ]
    return head, rows


#: A spreadsheet runs a cell starting with one of these as a formula; typed text gets a leading apostrophe instead.
FORMULA_STARTS = ("=", "+", "-", "@")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def marshal_csv(layout, lang: str) -> bytes:
    """One row per pass of each post; UTF-8 with a byte-order mark so a spreadsheet opens the Chinese right."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([
        t("race.col.marker", lang), t("race.col.km", lang), t("race.col.lap", lang), t("race.col.race_km", lang),
        t("race.col.road", lang), t("race.col.first_rider", lang), t("race.col.last_rider", lang),
        t("race.col.contact", lang), t("race.col.phone", lang),
    ])
    for post in marshal_posts(layout, lang):
        for ps in post.passes:
            w.writerow([_cell(post.title), f"{post.lap_m / 1000:.2f}", "" if ps.lap is None else ps.lap,
                        f"{ps.race_m / 1000:.2f}", _cell(post.road), ps.first, ps.last, _cell(post.contact_name),
                        post.contact_phone])  # a phone is digits and separators (checked when the marker is made)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
