"""`route-facts export|import`: a route's facts (getting there, season, last checked, surfaces and warnings by km) as
the JSON file described in routes.core.facts, so an editor can keep them in a text editor or under version control.

An import is an ordinary route edit: validated against the route's current length, signed with the CLI user (or
``--as``), kept in the route's history; a bad file changes nothing and is refused in one line.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from routes.cli.store import _db_args, _store

#: Indent of an exported file: readable and diff-friendly by hand.
EXPORT_INDENT = 2


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("route-facts", help="export or import a route's facts (getting there, season, surfaces, "
                                           "warnings by km) as JSON")
    facts = p.add_subparsers(dest="facts_command", required=True)
    a = facts.add_parser("export", help="write the route's facts to a JSON file (the empty shape when it has none)")
    a.add_argument("slug")
    a.add_argument("file", help="output .json file")
    _db_args(a, user=False)
    a.set_defaults(handler=run_facts_export)
    a = facts.add_parser("import", help="replace the route's facts with a JSON file, checked against its length")
    a.add_argument("slug")
    a.add_argument("file", help="input .json file (UTF-8)")
    _db_args(a)
    a.set_defaults(handler=run_facts_import)


def _route(store, slug: str):  # noqa: ANN001, ANN202
    from routes.store.errors import StoreError

    info = store.get_route(slug)
    if info is None:
        raise StoreError("route_not_found", slug=slug)
    return info


def facts_file_text(facts) -> str:  # noqa: ANN001
    """The exported file: UTF-8 JSON in the shape of routes.core.facts, Chinese as Chinese (not \\u escapes)."""
    return json.dumps(facts.to_json(), ensure_ascii=False, indent=EXPORT_INDENT) + "\n"


def read_facts_file(data: bytes, *, route_length_km: float):  # noqa: ANN201
    """Parse and validate a facts file; :class:`FactsError` (one line) on anything that cannot be kept."""
    from routes.core.facts import FactsError, parse_facts

    try:
        text = data.decode("utf-8-sig")  # a BOM from a Windows editor is not an error
    except UnicodeDecodeError as exc:
        raise FactsError("not_json", line=data[: exc.start].count(b"\n") + 1) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FactsError("not_json", line=exc.lineno) from None
    return parse_facts(obj, route_length_km=route_length_km)


def run_facts_export(args: argparse.Namespace) -> int:
    store = _store(args)
    info = _route(store, args.slug)
    Path(args.file).write_text(facts_file_text(info.facts), encoding="utf-8")
    print(f"{args.file}: {len(info.facts.stretches)} stretches, checked on "
          f"{info.facts.checked_on.isoformat() if info.facts.checked_on else '-'}")
    return 0


def run_facts_import(args: argparse.Namespace) -> int:
    data = Path(args.file).read_bytes()  # a missing file fails before the database is opened
    store = _store(args)
    info = _route(store, args.slug)
    facts = read_facts_file(data, route_length_km=store.route_length_km(args.slug))
    if facts == info.facts:
        print(f"{args.slug}: facts unchanged (version {info.version})")
        return 0
    new = store.set_route_facts(args.slug, facts, user=args.user, expected_version=info.version)
    print(f"{args.slug}: facts stored ({len(new.facts.stretches)} stretches), version {new.version}")
    return 0
