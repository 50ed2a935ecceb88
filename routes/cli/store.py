"""Command-line tools for the content store: import/export routes and POIs, GeoPackage, backup/restore, users.

Every command works on GUIDE_DATABASE_URL (or the SQLite file under data/), or on ``--db URL``, and creates and
seeds an empty database on first use.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from routes.text.i18n import GUIDE_TIME_ZONE

#: Author recorded for changes made from the command line unless --as says otherwise.
CLI_USER = "cli"


def _db_args(p: argparse.ArgumentParser, *, user: bool = True) -> None:
    p.add_argument("--db", metavar="URL", help="SQLAlchemy database URL (default: GUIDE_DATABASE_URL or data/guide.db)")
    if user:
        p.add_argument("--as", dest="user", default=CLI_USER, metavar="NAME", help="author recorded in the history")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-route", help="store a GPX file as a new route, or as a new revision of one")
    p.add_argument("file", help="GPX file")
    p.add_argument("--slug", required=True, help="route id in URLs, e.g. tianxiang-east")
    p.add_argument("--name-zh", help="Chinese name (default: the GPX name or the slug)")
    p.add_argument("--name-en", help="English name (default: the GPX name or the slug)")
    p.add_argument("--difficulty", choices=("easy", "moderate", "hard"))
    p.add_argument("--surface", choices=("paved", "cycle_path", "mixed", "gravel"))
    p.add_argument("--note", default="", help="revision note")
    p.add_argument("--publish", action="store_true", help="publish the route (default: draft)")
    p.add_argument("--confirm-far", action="store_true",
                   help="publish even though the track never enters the guide's region (GUIDE_REGION_CENTRE, "
                        "GUIDE_REGION_RADIUS_KM); recorded in the history")
    _db_args(p)
    p.set_defaults(handler=run_import_route)

    p = sub.add_parser("route-order", help="set where a route stands in the catalogue (lower first; default 100)")
    p.add_argument("slug")
    p.add_argument("position", type=int, help="sort key 0–9999, e.g. 0 for the flagship route")
    _db_args(p)
    p.set_defaults(handler=run_route_order)

    p = sub.add_parser("export-route", help="write a route's current GPX with the POIs along it as waypoints")
    p.add_argument("slug")
    p.add_argument("out", help="output .gpx file")
    p.add_argument("--corridor-m", type=float, default=200.0, help="POIs within this distance (default 200 m)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of waypoint descriptions")
    _db_args(p, user=False)
    p.set_defaults(handler=run_export_route)

    p = sub.add_parser("import-pois", help="import POIs from GeoJSON, CSV (lat/lon columns), GPX waypoints or KML/KMZ "
                                            "placemarks (points, polygons as areas)")
    p.add_argument("file")
    p.add_argument("--default-category", help="category for records that name none (e.g. viewpoint)")
    p.add_argument("--dry-run", action="store_true", help="show what would change and stop")
    p.add_argument("--lang", choices=("zh", "en"), default="en")
    _db_args(p)
    p.set_defaults(handler=run_import_pois)

    p = sub.add_parser("export-pois", help="write all POIs as GeoJSON")
    p.add_argument("out", help="output .geojson file")
    p.add_argument("--published", action="store_true", help="only published POIs")
    _db_args(p, user=False)
    p.set_defaults(handler=run_export_pois)

    p = sub.add_parser("export-gpkg", help="write routes and POIs as GeoPackage layers for GIS")
    p.add_argument("out", help="output .gpkg file")
    p.add_argument("--published", action="store_true", help="only published routes and POIs")
    _db_args(p, user=False)
    p.set_defaults(handler=run_export_gpkg)

    p = sub.add_parser("backup", help="write the whole database (GPX revisions, photos, history) to a zip file")
    p.add_argument("out")
    _db_args(p, user=False)
    p.set_defaults(handler=run_backup)

    p = sub.add_parser("restore", help="replace the whole database content with a backup")
    p.add_argument("file")
    _db_args(p)
    p.set_defaults(handler=run_restore)

    from routes.core.roles import ROLES

    p = sub.add_parser("users", help="manage organiser, editor and admin accounts")
    users = p.add_subparsers(dest="users_command", required=True)
    a = users.add_parser("add", help="add an account (password from a prompt, or from stdin when not a terminal)")
    a.add_argument("name")
    a.add_argument("--role", choices=ROLES, required=True)
    _db_args(a)
    a.set_defaults(handler=run_users_add)
    a = users.add_parser("list", help="list accounts")
    _db_args(a, user=False)
    a.set_defaults(handler=run_users_list)
    a = users.add_parser("set-role", help="change an account's role")
    a.add_argument("name")
    a.add_argument("role", choices=ROLES)
    _db_args(a)
    a.set_defaults(handler=run_users_set_role)
    a = users.add_parser("set-password", help="set a new password (prompt, or stdin when not a terminal)")
    a.add_argument("name")
    _db_args(a)
    a.set_defaults(handler=run_users_set_password)
    a = users.add_parser("unlock", help="lift a sign-in lock-out (e.g. the only administrator locked out by guesses)")
    a.add_argument("name")
    _db_args(a)
    a.set_defaults(handler=run_users_unlock)


def _store(args: argparse.Namespace, *, seed: bool = True):  # noqa: ANN202
    from routes.store import open_store

    return open_store(args.db, seed=seed)


def run_import_route(args: argparse.Namespace) -> int:
    from routes.io.gpxio import read_gpx

    data = Path(args.file).read_bytes()
    track = read_gpx(data)  # a clear error before touching the database
    store = _store(args)
    existing = store.get_route(args.slug)
    if existing is not None:
        info = store.add_route_revision(args.slug, data, filename=Path(args.file).name, user=args.user,
                                        note=args.note, expected_version=existing.version,
                                        confirm_far=args.confirm_far)
        fields = {k: v for k, v in (("name_zh", args.name_zh), ("name_en", args.name_en),
                                    ("difficulty", args.difficulty), ("surface", args.surface)) if v}
        if args.publish:
            fields["status"] = "published"
        if fields:
            info = store.update_route(args.slug, fields, user=args.user, expected_version=info.version,
                                      confirm_far=args.confirm_far)
        _warn_publish(info, data)
        revs = store.route_revisions(args.slug)
        print(f"{args.slug}: revision {revs[-1].number} stored ({revs[-1].size_bytes} bytes, sha256 {info.sha256[:12]}…)")
        return 0
    default_name = track.name or args.slug
    fields = {"name_zh": args.name_zh or default_name, "name_en": args.name_en or default_name,
              "status": "published" if args.publish else "draft"}
    if args.difficulty:
        fields["difficulty"] = args.difficulty
    if args.surface:
        fields["surface"] = args.surface
    info = store.create_route(args.slug, gpx=data, filename=Path(args.file).name, fields=fields, user=args.user,
                              note=args.note, confirm_far=args.confirm_far)
    print(f"{args.slug}: created ({info.status}), {track.n_points} points, sha256 {info.sha256[:12]}…")
    _warn_publish(info, data)
    return 0


def _warn_publish(info: object, gpx: bytes) -> None:
    """Say what the public will miss on a published route (e.g. no elevation: distance-only figures)."""
    from routes.store.publishing import check_publishable
    from routes.text.i18n import t

    if getattr(info, "status", "") == "published":
        for key in check_publishable(gpx, confirm_far=True).warnings:  # the store has already checked
            print("warning: " + t(key, "en"), file=sys.stderr)
def run_route_order(args: argparse.Namespace) -> int:
    from routes.store.errors import StoreError

    store = _store(args)
    info = store.get_route(args.slug)
    if info is None:
        raise StoreError("route_not_found", slug=args.slug)
    info = store.update_route(args.slug, {"sort_order": args.position}, user=args.user, expected_version=info.version)
    print(" ".join(f"{r.sort_order}:{r.slug}" for r in store.list_routes(status=None)))
    return 0


def run_export_route(args: argparse.Namespace) -> int:
    from routes.store.exports import route_gpx_with_pois

    data = route_gpx_with_pois(_store(args), args.slug, corridor_m=args.corridor_m, lang=args.lang)
    Path(args.out).write_bytes(data)
    print(f"{args.out}: {len(data)} bytes")
    return 0


def run_import_pois(args: argparse.Namespace) -> int:
    from routes.store.importers import format_preview

    store = _store(args)
    preview = store.preview_poi_import(Path(args.file).read_bytes(), Path(args.file).name,
                                       default_category=args.default_category)
    print(format_preview(preview, args.lang))
    if preview.problems:
        print("nothing imported: fix the records marked ! and run again" if args.lang == "en"
              else "未导入任何内容：请修正标有 ! 的记录后重试", file=sys.stderr)
        return 1
    if args.dry_run:
        return 0
    if not preview.added and not preview.changed:
        print("nothing to change" if args.lang == "en" else "没有需要更改的内容")
        return 0
    counts = store.apply_poi_import(preview, user=args.user)
    print(("已导入：" if args.lang == "zh" else "applied: ") + json.dumps(counts))
    return 0


def run_export_pois(args: argparse.Namespace) -> int:
    from routes.store.exports import pois_geojson

    doc = pois_geojson(_store(args), status="published" if args.published else None)
    Path(args.out).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(doc['features'])} POIs")
    return 0


def run_export_gpkg(args: argparse.Namespace) -> int:
    from routes.store.exports import write_gpkg

    counts = write_gpkg(_store(args), args.out, status="published" if args.published else None)
    print(f"{args.out}: {counts['routes']} routes, {counts['pois']} POIs")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from routes.store.backup import write_backup

    counts = write_backup(_store(args).engine, args.out)
    print(f"{args.out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from routes.store.backup import restore_backup

    counts = restore_backup(_store(args, seed=False).engine, args.file, user=args.user)
    print("restored: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Repeat / 再次输入: ") != first:
            print("the passwords differ / 两次输入的密码不一致", file=sys.stderr)
            raise SystemExit(2)
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run_users_add(args: argparse.Namespace) -> int:
    password = _read_password(f"Password for {args.name} / {args.name} 的密码: ")
    info = _store(args).add_user(args.name, password, args.role, by=args.user)
    print(f"user {info.name} added ({info.role})")
    return 0


def run_users_list(args: argparse.Namespace) -> int:
    for u in _store(args).list_users():
        # In the guide's zone with its offset (+08:00), like every time the pages show; stored in UTC.
        last = (u.last_login_at.astimezone(ZoneInfo(GUIDE_TIME_ZONE)).isoformat(timespec="seconds")
                if u.last_login_at else "-")
        print(f"{u.name}\t{u.role}\t{'active' if u.active else 'disabled'}\tlast sign-in {last}")
    return 0


def run_users_set_role(args: argparse.Namespace) -> int:
    info = _store(args).set_role(args.name, args.role, by=args.user)
    print(f"user {info.name} is now {info.role}")
    return 0


def run_users_set_password(args: argparse.Namespace) -> int:
    password = _read_password(f"New password for {args.name} / {args.name} 的新密码: ")
    _store(args).set_password(args.name, password, by=args.user)
    print(f"password of {args.name} changed")
    return 0


def run_users_unlock(args: argparse.Namespace) -> int:
    was_locked = _store(args).unlock_user(args.name, by=args.user)
    print(f"user {args.name} unlocked" if was_locked else f"user {args.name} was not locked")
    return 0
