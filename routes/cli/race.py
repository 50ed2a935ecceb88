"""Command line for organisers: `python -m routes racebook SLUG ...` writes a race book PDF (and device files)."""

from __future__ import annotations

import argparse
from pathlib import Path

from routes.text.i18n import GUIDE_TIME_ZONE


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "racebook",
        help="write a race book PDF for a route in the database (KOMs from the climbs, a feed zone at half distance)",
    )
    p.add_argument("slug", help="route slug, e.g. lianghu-loop (several routes: join them with commas)")
    p.add_argument("--laps", type=int, default=1, help="number of laps (default 1)")
    p.add_argument(
        "--start", default=None, help='start time "YYYY-MM-DD HH:MM", Beijing time (default: tomorrow 08:00)'
    )
    p.add_argument("--tz", default=GUIDE_TIME_ZONE, help=f"time zone of the start time (default {GUIDE_TIME_ZONE})")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the race book (default zh)")
    p.add_argument("--neutral-km", type=float, default=0.0, help="neutralised roll-out before km 0, km (default 0)")
    p.add_argument("--speeds", default="36,40,44", help="scenario average speeds, km/h (default 36,40,44)")
    p.add_argument("--cutoff-kmh", type=float, default=None, help="time-limit minimum average speed, km/h (default 20)")
    p.add_argument("--plan", default=None, help="use the saved race plan with this id instead of default markers")
    p.add_argument("--out", required=True, help="PDF file to write")
    p.add_argument("--gpx", default=None, help="also write the course as GPX with markers")
    p.add_argument("--tcx", default=None, help="also write the course as TCX with course points")
    p.add_argument("--fit", default=None, help="also write the course as a FIT course")
    p.add_argument("--png", default=None, help="also write the stage profile as PNG")
    p.set_defaults(handler=run_racebook)


def _default_start(tz: str) -> str:
    from datetime import datetime, timedelta

    from routes.race.plan import zone

    tomorrow = datetime.now(zone(tz)).date() + timedelta(days=1)
    return f"{tomorrow.isoformat()} 08:00"


def build_default_plan(store, slugs: list[str], args: argparse.Namespace):
    """A plan with sensible default markers: a KOM at each categorised climb, a feed zone near half distance."""
    from routes.race.plan import DEFAULT_CUTOFF_SPEED_KMH, RacePlan, default_markers, parse_start
    from routes.race.racebook import lap_climbs, layout_from_store

    infos = [store.get_route(s) for s in slugs]
    name_zh = "、".join(i.name_zh for i in infos if i) if all(infos) else slugs[0]
    name_en = " + ".join(i.name_en for i in infos if i) if all(infos) else slugs[0]
    speeds = tuple(float(v) for v in args.speeds.split(",") if v.strip())
    plan = RacePlan(
        name=f"{name_zh}赛事",
        name_en=f"{name_en} race",
        route_slugs=tuple(slugs),
        start=parse_start(args.start or _default_start(args.tz), args.tz),
        tz=args.tz,
        laps=args.laps,
        neutral_m=args.neutral_km * 1000,
        speeds_kmh=speeds,
        cutoff_speed_kmh=DEFAULT_CUTOFF_SPEED_KMH if args.cutoff_kmh is None else (args.cutoff_kmh or None),
    )
    first = layout_from_store(store, plan)
    return plan.with_markers(default_markers(first.course, lap_climbs(first)))


def run_racebook(args: argparse.Namespace) -> int:
    from routes.race.devices import course_fit, course_gpx, course_tcx
    from routes.race.plan import RacePlan
    from routes.race.racebook import layout_from_store, profile_png, race_book_pdf
    from routes.race.roadfacts import device_points
    from routes.store import StoreError, open_store

    store = open_store()
    if args.plan:
        info = store.get_race_plan(args.plan)
        if info is None:
            raise StoreError("plan_not_found", slug=args.plan)
        plan = RacePlan.from_dict(dict(info.plan))
    else:
        plan = build_default_plan(store, [s.strip() for s in args.slug.split(",") if s.strip()], args)
    layout = layout_from_store(store, plan)
    points = device_points(layout)  # the markers and the routes' warnings, for the device files
    Path(args.out).write_bytes(race_book_pdf(layout, lang=args.lang))
    written = [args.out]
    title = plan.title(args.lang)
    if args.gpx:
        Path(args.gpx).write_bytes(course_gpx(layout.course, points, lang=args.lang, name=title))
        written.append(args.gpx)
    if args.tcx:
        Path(args.tcx).write_bytes(
            course_tcx(layout.course, points, start=plan.start, lang=args.lang, name=title)
        )
        written.append(args.tcx)
    if args.fit:
        Path(args.fit).write_bytes(
            course_fit(layout.course, points, start=plan.start, lang=args.lang, name=title)
        )
        written.append(args.fit)
    if args.png:
        Path(args.png).write_bytes(profile_png(layout, args.lang))
        written.append(args.png)
    km = layout.course.race_m / 1000
    print(f"{title}: {plan.laps} lap{'' if plan.laps == 1 else 's'}, {km:.1f} km, {len(layout.points)} course points -> {', '.join(written)}")
    return 0
