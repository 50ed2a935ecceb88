"""Command line for organisers: `python -m routes closures PLAN --format csv|pdf` writes a saved race plan's road
closure notice (the CSV for the traffic police, or the printable A4/A3 notice), the same as /r/race/<plan>/closures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("closures", help="write a saved race plan's road-closure notice as CSV or a printable PDF")
    p.add_argument("plan", help="id of a saved race plan, e.g. lianghu-gp")
    p.add_argument("--format", choices=("csv", "pdf"), default="csv", help="csv (default) or pdf")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language (default zh)")
    p.add_argument("--size", choices=("A4", "A3"), default="A4", help="paper size of the PDF (default A4)")
    p.add_argument("--out", default=None, help="file to write (default: the CSV to standard output, the PDF to "
                                               "<plan>-closures-<size>-<lang>.pdf)")
    p.set_defaults(handler=run_closures)


def run_closures(args: argparse.Namespace) -> int:
    from routes.race.closures import closure_notice_pdf, closures_csv
    from routes.race.plan import RacePlan
    from routes.race.racebook import layout_from_store
    from routes.store import StoreError, open_store

    store = open_store()
    info = store.get_race_plan(args.plan)
    if info is None:
        raise StoreError("plan_not_found", slug=args.plan)
    layout = layout_from_store(store, RacePlan.from_dict(dict(info.plan)))
    if args.format == "csv":
        data = closures_csv(layout, args.lang)
        if args.out is None:
            sys.stdout.buffer.write(data)
            return 0
        out = args.out
    else:
        data = closure_notice_pdf(layout, lang=args.lang, size=args.size, generated_at=info.updated_at)
        out = args.out or f"{args.plan}-closures-{args.size}-{args.lang}.pdf"
    Path(out).write_bytes(data)
    print(f"{args.plan}: closure notice ({args.format}, {args.lang}) -> {out}")
    return 0
