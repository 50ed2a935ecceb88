"""The Store: every read and write of routes, POIs, photos, users, the audit log and race plans.

Each write is one transaction that checks the caller's ``expected_version`` against the row (optimistic locking),
writes the change, a new revision and an audit entry, or nothing at all. History tables are only ever appended to.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from routes.core.facts import EMPTY_FACTS, FactsError, RouteFacts, parse_facts
from routes.core.limits import ROUTE_MAX_POINTS
from routes.core.roles import ADMIN_ROLE
from routes.store import schema as s
from routes.store.auth_store import AuthStoreMixin, account_key, user_info
from routes.store.db import WRITE_OPTION
from routes.store.dump import canonical_dump
from routes.store.errors import ConflictError, StoreError, ValidationError
from routes.store.publishing import check_publishable, far_detail
from routes.store.records import (
    SOURCE_FORMATS,
    AuditEntry,
    HistoryEntry,
    PhotoInfo,
    PoiInfo,
    PoiRevision,
    RacePlanInfo,
    RacePlanRevision,
    RouteInfo,
    RouteRevision,
    UserInfo,
)
from routes.store.validate import (
    POI_DEFAULTS,
    POI_EXTENT_FIELDS,
    POI_FIELDS,
    ROUTE_FIELDS,
    check_derivation,
    check_facts,
    check_filename,
    check_note,
    check_password,
    check_poi_fields,
    check_role,
    check_route_fields,
    check_slug,
    check_user_name,
)

#: Largest race plan accepted (markers, scenarios and notes for a stage race fit in a few tens of kB).
RACE_PLAN_MAX_BYTES = 1024 * 1024
#: Fewest track points for a route line.
ROUTE_MIN_POINTS = 2
#: Metres in a kilometre (route facts give their stretches in km along the line).
M_PER_KM = 1000.0
#: PostgreSQL advisory-lock key serialising POI imports (any constant no other code uses; "POIimprt" in ASCII).
POI_IMPORT_LOCK_KEY = 0x504F49696D707274
#: Name recorded for changes the program makes itself (seeding, restore).
SYSTEM_USER = "system"
#: Largest original upload kept next to a revision's GPX: the same cap the GPX reader puts on the GPX itself
#: (routes.io.gpxio.DEFAULT_MAX_BYTES), so whatever the guide can read it can also keep.
SOURCE_MAX_BYTES = 64 * 1024 * 1024


def _now() -> datetime:
    return datetime.now(UTC)


def _route_info(row: s.Route, rev: s.RouteRevisionRow | None) -> RouteInfo:
    return RouteInfo(
        id=row.id, slug=row.slug, name_zh=row.name_zh, name_en=row.name_en, desc_zh=row.desc_zh,
        desc_en=row.desc_en, difficulty=row.difficulty, surface=row.surface, tags=tuple(row.tags or ()),
        season=row.season, status=row.status, illustrative=bool(row.illustrative),
        revision_id=row.current_revision_id, sha256=rev.sha256 if rev is not None else None, version=row.version,
        updated_at=row.updated_at, updated_by=row.updated_by, sort_order=int(row.sort_order),
        facts=_stored_facts(row.facts),
    )


def _stored_facts(value: Any) -> RouteFacts:
    """The store's own copy of a route's facts, validated on the way in; read back without the route's length."""
    try:
        return parse_facts(value)
    except FactsError:
        # Only a hand-edited database or backup can hold facts the store never accepted: a page shows none rather
        # than failing for every visitor; the editor sees the empty form and can write them again.
        return EMPTY_FACTS


def _revision(r: s.RouteRevisionRow) -> RouteRevision:
    own = r.source_sha256 is None  # no separate original: the GPX is the upload
    return RouteRevision(
        id=r.id, number=r.number, sha256=r.sha256, size_bytes=r.size_bytes, filename=r.filename,
        uploaded_by=r.uploaded_by, uploaded_at=r.uploaded_at, note=r.note,
        source_format="gpx" if own else r.source_format, source_sha256=r.sha256 if own else r.source_sha256,
        source_size_bytes=r.size_bytes if own else r.source_size_bytes, derivation=r.derivation or "",
    )


def _route_fields(row: s.Route) -> dict[str, Any]:
    out = {k: getattr(row, k) for k in ROUTE_FIELDS}
    out["tags"] = list(out["tags"] or [])
    return out


def _poi_info(row: s.Poi) -> PoiInfo:
    return PoiInfo(
        id=row.id, name_zh=row.name_zh, name_en=row.name_en, desc_zh=row.desc_zh, desc_en=row.desc_en,
        category=row.category, lat=row.lat, lon=row.lon, photo_id=row.photo_id, hours=row.hours,
        hours_en=row.hours_en or "", phone=row.phone,
        url=row.url, status=row.status, illustrative=bool(row.illustrative), deleted=bool(row.deleted),
        version=row.version, updated_at=row.updated_at, updated_by=row.updated_by, radius_m=row.radius_m,
        area=row.area,
    )


def _poi_snapshot(row: s.Poi) -> dict[str, Any]:
    out = {k: getattr(row, k) for k in POI_FIELDS}
    out["photo_id"] = row.photo_id
    out["deleted"] = bool(row.deleted)
    return out



def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def _summary(action: str, detail: Mapping[str, Any]) -> str:
    """A short, language-neutral line for a history list (field names and numbers)."""
    if "changes" in detail:
        return ", ".join(sorted(detail["changes"])) or "-"
    if "revision" in detail:
        text = f"#{detail['revision']}"
        if detail.get("filename"):
            text += f" {detail['filename']}"
        if detail.get("restored_from"):
            text += f" ← #{detail['restored_from']}"
        return text
    if "status" in detail:
        return str(detail["status"])
    return ""


class Store(AuthStoreMixin):
    """Access to one database. Cheap to create; holds no state beyond its engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # published_pois(): the last list read and the stamp it was read under (see there).
        self._published_pois: tuple[tuple, list[PoiInfo]] | None = None
        self._published_pois_lock = threading.Lock()

    # ------------------------------------------------------------------ sessions
    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction; on a conflict the attempt is written to the audit log in a transaction of its own."""
        try:
            with Session(self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False) as session:
                with session.begin():
                    yield session
        except ConflictError as exc:
            self._log_conflict(exc)
            raise

    def _log_conflict(self, exc: ConflictError) -> None:
        with Session(self.engine.execution_options(**{WRITE_OPTION: True})) as session, session.begin():
            session.add(s.AuditRow(
                at=_now(), user_name=str(exc.params.get("user", ""))[:40], action="conflict.rejected",
                target=str(exc.params.get("target", "")),
                detail={"attempted": _jsonable(exc.attempted), "expected_version": exc.params.get("expected"),
                        "current_version": exc.current_version},
            ))

    @staticmethod
    def _audit(session: Session, user: str, action: str, target: str, detail: Mapping[str, Any] | None = None,
               at: datetime | None = None) -> None:
        session.add(s.AuditRow(at=at or _now(), user_name=user, action=action, target=target,
                               detail=_jsonable(detail or {})))

    @staticmethod
    def _check_version(kind: str, key: str, row: Any, expected: int | None, user: str,
                       attempted: Mapping[str, Any]) -> None:
        if expected is None or row.version != expected:
            raise ConflictError(
                "stale", target=f"{kind}:{key}", by=row.updated_by, current=row.version, expected=expected,
                user=user, current_version=row.version, attempted=attempted,
            )

    # ------------------------------------------------------------------ routes: reads
    def list_routes(self, *, status: str | None = "published") -> list[RouteInfo]:
        with self._read() as session:
            q = select(s.Route, s.RouteRevisionRow).outerjoin(
                s.RouteRevisionRow, s.RouteRevisionRow.id == s.Route.current_revision_id
            ).order_by(s.Route.sort_order, s.Route.slug)
            if status is not None:
                q = q.where(s.Route.status == status)
            return [_route_info(r, rev) for r, rev in session.execute(q).all()]

    def get_route(self, slug: str) -> RouteInfo | None:
        with self._read() as session:
            row = session.execute(
                select(s.Route, s.RouteRevisionRow)
                .outerjoin(s.RouteRevisionRow, s.RouteRevisionRow.id == s.Route.current_revision_id)
                .where(s.Route.slug == slug)
            ).first()
            return None if row is None else _route_info(*row)

    def get_route_gpx(self, slug: str, revision_id: int | None = None) -> bytes:
        """The GPX bytes exactly as uploaded: the current revision, or the one given."""
        with self._read() as session:
            route = self._route_row(session, slug)
            rev_id = route.current_revision_id if revision_id is None else revision_id
            rev = session.execute(
                select(s.RouteRevisionRow).options(undefer(s.RouteRevisionRow.gpx))
                .where(s.RouteRevisionRow.id == rev_id, s.RouteRevisionRow.route_id == route.id)
            ).scalar_one_or_none()
            if rev is None:
                raise StoreError("revision_not_found", slug=slug, revision=revision_id)
            return bytes(rev.gpx)

    def get_route_source(self, slug: str, revision_id: int | None = None) -> tuple[bytes, str, str]:
        """The file the editor uploaded for the current revision (or the one given), byte for byte, with its format
        ("gpx", "fit", "tcx", "kml", "kmz") and its file name; the GPX itself when it was stored as uploaded."""
        with self._read() as session:
            route = self._route_row(session, slug)
            rev_id = route.current_revision_id if revision_id is None else revision_id
            rev = session.execute(
                select(s.RouteRevisionRow)
                .options(undefer(s.RouteRevisionRow.gpx), undefer(s.RouteRevisionRow.source))
                .where(s.RouteRevisionRow.id == rev_id, s.RouteRevisionRow.route_id == route.id)
            ).scalar_one_or_none()
            if rev is None:
                raise StoreError("revision_not_found", slug=slug, revision=revision_id)
            if rev.source is None:
                return bytes(rev.gpx), "gpx", rev.filename
            return bytes(rev.source), rev.source_format, rev.filename

    def route_revisions(self, slug: str) -> list[RouteRevision]:
        with self._read() as session:
            route = self._route_row(session, slug)
            rows = session.scalars(
                select(s.RouteRevisionRow).where(s.RouteRevisionRow.route_id == route.id)
                .order_by(s.RouteRevisionRow.number)
            ).all()
            return [_revision(r) for r in rows]

    def route_history(self, slug: str) -> list[HistoryEntry]:
        """Every change to the route, oldest first (from the audit log)."""
        return [HistoryEntry(at=e.at, user=e.user, action=e.action, summary=_summary(e.action, e.detail),
                             detail=e.detail)
                for e in reversed(self.audit_log(limit=None, target=f"route:{slug}"))]

    @staticmethod
    def _route_row(session: Session, slug: str, *, lock: bool = False) -> s.Route:
        q = select(s.Route).where(s.Route.slug == slug)
        if lock:
            q = q.with_for_update()
        row = session.scalars(q).one_or_none()
        if row is None:
            raise StoreError("route_not_found", slug=slug)
        return row

    # ------------------------------------------------------------------ routes: writes
    def create_route(self, slug: str, *, gpx: bytes, filename: str, fields: Mapping[str, Any], user: str,
                     note: str = "", source: bytes | None = None, source_format: str = "gpx",
                     derivation: str = "", confirm_far: bool = False) -> RouteInfo:
        """A new route with its first GPX revision. The GPX is parsed first: a bad file writes nothing.

        ``source`` is the file the editor uploaded when ``gpx`` was made from it (a FIT/TCX file, or a GPX before
        conversion from GCJ-02 or DEM filling), ``source_format`` its format and ``derivation`` how ``gpx`` was
        made; it is kept byte for byte. Leave it out (None) when ``gpx`` is itself the upload.

        Publishing a line that never enters the guide's region needs ``confirm_far`` (kept in the audit detail);
        the same holds for :meth:`update_route`, :meth:`add_route_revision` and :meth:`restore_route_revision`.
        """
        slug = check_slug(slug)
        clean = check_route_fields(fields, partial=False)
        note, filename = check_note(note), check_filename(filename)
        _check_gpx(gpx)
        if clean.get("facts"):
            clean["facts"] = check_facts(clean["facts"], route_length_km=gpx_length_km(gpx))
        far: dict[str, Any] = {}
        if clean.get("status") == "published":
            check_publishable(gpx, confirm_far=confirm_far)
            far = far_detail(gpx, confirm_far)
        src = _check_source(gpx, source, source_format, derivation, filename)
        try:
            with self._write() as session:
                self._insert_route(session, slug, gpx=gpx, filename=filename, fields=clean, user=user, note=note,
                                   source=src, detail=far)
        except IntegrityError:
            # Two editors creating the same slug at once: the database's unique index decides.
            raise ValidationError("slug_taken", field="slug", value=slug) from None
        return self.get_route(slug)  # type: ignore[return-value]

    def _insert_route(self, session: Session, slug: str, *, gpx: bytes, filename: str, fields: Mapping[str, Any],
                      user: str, note: str, at: datetime | None = None, source: _Source | None = None,
                      detail: Mapping[str, Any] | None = None) -> None:
        if session.scalar(select(s.Route.id).where(s.Route.slug == slug)) is not None:
            raise ValidationError("slug_taken", field="slug", value=slug)
        now = at or _now()
        row = s.Route(slug=slug, **{**fields, "tags": list(fields["tags"])}, version=1, created_at=now,
                      updated_at=now, updated_by=user)
        session.add(row)
        session.flush()
        rev = self._add_revision_row(session, row, gpx, filename=filename, user=user, note=note, at=now,
                                     source=source)
        row.current_revision_id = rev.id
        self._audit(session, user, "route.create", f"route:{slug}",
                    {"revision": rev.number, "filename": filename, "sha256": rev.sha256, **_source_detail(rev),
                     "fields": {**fields, "tags": list(fields["tags"])}, **(detail or {})}, at=now)

    @staticmethod
    def _add_revision_row(session: Session, route: s.Route, gpx: bytes, *, filename: str, user: str, note: str,
                          at: datetime, source: _Source | None = None) -> s.RouteRevisionRow:
        number = (session.scalar(select(func.max(s.RouteRevisionRow.number))
                                 .where(s.RouteRevisionRow.route_id == route.id)) or 0) + 1
        rev = s.RouteRevisionRow(route_id=route.id, number=number, sha256=hashlib.sha256(gpx).hexdigest(),
                                 size_bytes=len(gpx), filename=filename, uploaded_by=user, uploaded_at=at,
                                 note=note, gpx=bytes(gpx), source=None, source_format="gpx", source_sha256=None,
                                 source_size_bytes=None, derivation="")
        if source is not None:
            rev.source, rev.source_format, rev.derivation = source.data, source.format, source.derivation
            rev.source_sha256, rev.source_size_bytes = hashlib.sha256(source.data).hexdigest(), len(source.data)
        session.add(rev)
        session.flush()
        return rev

    def add_route_revision(self, slug: str, gpx: bytes, *, filename: str, user: str, note: str = "",
                           expected_version: int, source: bytes | None = None, source_format: str = "gpx",
                           derivation: str = "", confirm_far: bool = False) -> RouteInfo:
        """Upload a new GPX for the route; it becomes the current revision. ``source``, ``source_format`` and
        ``derivation`` keep the editor's original file as in :meth:`create_route`."""
        note, filename = check_note(note), check_filename(filename)
        _check_gpx(gpx)
        src = _check_source(gpx, source, source_format, derivation, filename)
        with self._write() as session:
            route = self._route_row(session, slug, lock=True)
            self._check_version("route", slug, route, expected_version, user,
                                {"upload": filename, "sha256": hashlib.sha256(gpx).hexdigest(), "note": note})
            far: dict[str, Any] = {}
            if route.status == "published":  # a published route must keep a length to ride, in the region
                check_publishable(gpx, confirm_far=confirm_far)
                far = far_detail(gpx, confirm_far)
            now = _now()
            rev = self._add_revision_row(session, route, gpx, filename=filename, user=user, note=note, at=now,
                                         source=src)
            route.current_revision_id = rev.id
            self._bump(route, user, now)
            self._audit(session, user, "route.revision", f"route:{slug}",
                        {"revision": rev.number, "filename": filename, "sha256": rev.sha256, "note": note,
                         **_source_detail(rev), **far}, at=now)
        return self.get_route(slug)  # type: ignore[return-value]

    def restore_route_revision(self, slug: str, revision_id: int, *, user: str, expected_version: int,
                               confirm_far: bool = False) -> RouteInfo:
        """Make an old GPX current again by copying it, with its original upload, into a NEW revision (history only
        grows)."""
        with self._write() as session:
            route = self._route_row(session, slug, lock=True)
            old = session.execute(
                select(s.RouteRevisionRow)
                .options(undefer(s.RouteRevisionRow.gpx), undefer(s.RouteRevisionRow.source))
                .where(s.RouteRevisionRow.id == revision_id, s.RouteRevisionRow.route_id == route.id)
            ).scalar_one_or_none()
            if old is None:
                raise StoreError("revision_not_found", slug=slug, revision=revision_id)
            self._check_version("route", slug, route, expected_version, user, {"restore_revision": old.number})
            far: dict[str, Any] = {}
            if route.status == "published":
                check_publishable(bytes(old.gpx), confirm_far=confirm_far)
                far = far_detail(bytes(old.gpx), confirm_far)
            now = _now()
            source = None if old.source is None else _Source(bytes(old.source), old.source_format, old.derivation)
            rev = self._add_revision_row(session, route, bytes(old.gpx), filename=old.filename, user=user,
                                         note=f"restored from revision {old.number}", at=now, source=source)
            route.current_revision_id = rev.id
            self._bump(route, user, now)
            self._audit(session, user, "route.restore_revision", f"route:{slug}",
                        {"revision": rev.number, "restored_from": old.number, "filename": old.filename,
                         "sha256": rev.sha256, **_source_detail(rev), **far}, at=now)
        return self.get_route(slug)  # type: ignore[return-value]

    def update_route(self, slug: str, fields: Mapping[str, Any], *, user: str, expected_version: int,
                     confirm_far: bool = False) -> RouteInfo:
        """Change texts, difficulty, surface, tags, season, status or the illustrative flag (publishing a line
        outside the guide's region needs ``confirm_far``, see :meth:`create_route`)."""
        clean = check_route_fields(fields, partial=True)
        with self._write() as session:
            route = self._route_row(session, slug, lock=True)
            self._check_version("route", slug, route, expected_version, user, dict(fields))
            far: dict[str, Any] = {}
            if clean.get("status") == "published" and route.status != "published":
                current = self._current_gpx(session, route)
                check_publishable(current, confirm_far=confirm_far)
                far = far_detail(current, confirm_far)
            if clean.get("facts"):
                # Stretches are bounded by the line cyclists see now (its length measured like the profile's).
                clean["facts"] = check_facts(clean["facts"],
                                             route_length_km=gpx_length_km(self._current_gpx(session, route)))
            before = _route_fields(route)
            for key, value in clean.items():
                setattr(route, key, list(value) if key == "tags" else value)
            after = _route_fields(route)
            changes = _changes(before, {k: after[k] for k in clean})
            now = _now()
            self._bump(route, user, now)
            self._audit(session, user, "route.update", f"route:{slug}",
                        {"changes": changes, "before": before, "after": after, **far}, at=now)
        return self.get_route(slug)  # type: ignore[return-value]

    def set_route_status(self, slug: str, status: str, *, user: str, expected_version: int,
                         confirm_far: bool = False) -> RouteInfo:
        return self.update_route(slug, {"status": status}, user=user, expected_version=expected_version,
                                 confirm_far=confirm_far)

    def set_route_facts(self, slug: str, facts: RouteFacts | Mapping[str, Any] | None, *, user: str,
                        expected_version: int) -> RouteInfo:
        """Replace the route's facts (None or empty clears them): an ordinary route edit, so it is validated against
        the current track's length, refused on a stale ``expected_version`` and kept in history with before/after."""
        return self.update_route(slug, {"facts": facts}, user=user, expected_version=expected_version)

    def route_length_km(self, slug: str) -> float:
        """Length of the route's current line in km, measured as the profile measures it (0 without a track)."""
        with self._read() as session:
            return gpx_length_km(self._current_gpx(session, self._route_row(session, slug)))

    @staticmethod
    def _current_gpx(session: Session, route: s.Route) -> bytes:
        rev = session.execute(
            select(s.RouteRevisionRow).options(undefer(s.RouteRevisionRow.gpx))
            .where(s.RouteRevisionRow.id == route.current_revision_id)
        ).scalar_one_or_none()
        return b"" if rev is None else bytes(rev.gpx)

    @staticmethod
    def _bump(row: Any, user: str, now: datetime) -> None:
        row.version += 1
        row.updated_at = now
        row.updated_by = user

    # ------------------------------------------------------------------ POIs
    def list_pois(self, *, include_deleted: bool = False, status: str | None = None) -> list[PoiInfo]:
        with self._read() as session:
            q = select(s.Poi).order_by(s.Poi.name_en, s.Poi.id)
            if not include_deleted:
                q = q.where(s.Poi.deleted.is_(False))
            if status is not None:
                q = q.where(s.Poi.status == status)
            return [_poi_info(r) for r in session.scalars(q).all()]

    def pois_stamp(self) -> tuple:
        """Changes whenever any POI does: every write adds a row or bumps one's version and updated_at."""
        with self._read() as session:
            return tuple(session.execute(
                select(func.count(), func.coalesce(func.sum(s.Poi.version), 0), func.max(s.Poi.updated_at))
            ).one())

    def published_pois(self) -> list[PoiInfo]:
        """Published, not deleted POIs. Every page view needs them, often twice (page and embedded viewer): the list
        is kept in this object and read again only when :meth:`pois_stamp` says the table changed, so an edit made
        through another replica shows on the next page load. The stamp is read before the list: a write in between
        leaves a newer list under an older stamp, which the next call replaces, never an older list under a newer
        stamp."""
        stamp = self.pois_stamp()
        with self._published_pois_lock:
            held = self._published_pois
        if held is not None and held[0] == stamp:
            return list(held[1])
        pois = [p for p in self.list_pois(status="published") if not p.deleted]
        with self._published_pois_lock:
            self._published_pois = (stamp, pois)
        return list(pois)

    def get_poi(self, poi_id: str) -> PoiInfo | None:
        with self._read() as session:
            row = session.get(s.Poi, str(poi_id))
            return None if row is None else _poi_info(row)

    @staticmethod
    def _poi_row(session: Session, poi_id: str, *, lock: bool = False) -> s.Poi:
        row = session.get(s.Poi, str(poi_id), with_for_update=lock or None)
        if row is None:
            raise StoreError("poi_not_found", poi_id=poi_id)
        return row

    @staticmethod
    def _check_room_for_one(session: Session) -> None:
        """Refuse one more live POI past the guide's total (a new one, or a deleted one brought back)."""
        from routes.store.importers import check_total

        check_total(session.scalar(select(func.count()).select_from(s.Poi).where(s.Poi.deleted.is_(False))), 1)

    def create_poi(self, fields: Mapping[str, Any], *, user: str) -> PoiInfo:
        clean = check_poi_fields(fields, partial=False)
        with self._write() as session:
            self._check_room_for_one(session)
            row = self._insert_poi(session, clean, user=user)
        return self.get_poi(row.id)  # type: ignore[return-value]

    def _insert_poi(self, session: Session, clean: Mapping[str, Any], *, user: str, poi_id: str | None = None,
                    at: datetime | None = None, action: str = "create") -> s.Poi:
        now = at or _now()
        row = s.Poi(id=poi_id or uuid.uuid4().hex, **clean, photo_id=None, deleted=False, version=1,
                    created_at=now, updated_at=now, updated_by=user)
        session.add(row)
        session.flush()
        self._poi_revision(session, row, user, action, now)
        self._audit(session, user, f"poi.{action}", f"poi:{row.id}", {"fields": _poi_snapshot(row)}, at=now)
        return row

    @staticmethod
    def _poi_revision(session: Session, row: s.Poi, user: str, action: str, now: datetime) -> None:
        number = (session.scalar(select(func.max(s.PoiRevisionRow.number))
                                 .where(s.PoiRevisionRow.poi_id == row.id)) or 0) + 1
        session.add(s.PoiRevisionRow(poi_id=row.id, number=number, at=now, user_name=user, action=action,
                                     fields=_poi_snapshot(row)))

    def _change_poi(self, session: Session, poi_id: str, *, user: str, expected_version: int, action: str,
                    attempted: Mapping[str, Any], apply: Any) -> None:
        row = self._poi_row(session, poi_id, lock=True)
        self._check_version("poi", str(poi_id), row, expected_version, user, attempted)
        before = _poi_snapshot(row)
        apply(row)
        after = _poi_snapshot(row)
        now = _now()
        self._bump(row, user, now)
        session.flush()
        self._poi_revision(session, row, user, action, now)
        self._audit(session, user, f"poi.{action}", f"poi:{row.id}", {"changes": _changes(before, after)}, at=now)

    def update_poi(self, poi_id: str, fields: Mapping[str, Any], *, user: str, expected_version: int) -> PoiInfo:
        clean = check_poi_fields(fields, partial=True)

        def apply(row: s.Poi) -> None:
            for key, value in clean.items():
                setattr(row, key, value)

        with self._write() as session:
            self._change_poi(session, poi_id, user=user, expected_version=expected_version, action="update",
                             attempted=dict(fields), apply=apply)
        return self.get_poi(poi_id)  # type: ignore[return-value]

    def delete_poi(self, poi_id: str, *, user: str, expected_version: int) -> PoiInfo:
        """Hide the POI everywhere; it stays in the database and :meth:`restore_poi` brings it back."""
        with self._write() as session:
            self._change_poi(session, poi_id, user=user, expected_version=expected_version, action="delete",
                             attempted={"deleted": True}, apply=lambda row: setattr(row, "deleted", True))
        return self.get_poi(poi_id)  # type: ignore[return-value]

    def restore_poi(self, poi_id: str, *, user: str, expected_version: int) -> PoiInfo:
        """Undo a delete."""
        with self._write() as session:
            row = self._poi_row(session, poi_id, lock=True)
            if not row.deleted:
                raise StoreError("not_deleted", poi_id=poi_id)
            self._check_room_for_one(session)
            self._change_poi(session, poi_id, user=user, expected_version=expected_version, action="restore",
                             attempted={"deleted": False}, apply=lambda r: setattr(r, "deleted", False))
        return self.get_poi(poi_id)  # type: ignore[return-value]

    def poi_revisions(self, poi_id: str) -> list[PoiRevision]:
        with self._read() as session:
            self._poi_row(session, poi_id)
            rows = session.scalars(select(s.PoiRevisionRow).where(s.PoiRevisionRow.poi_id == str(poi_id))
                                   .order_by(s.PoiRevisionRow.number)).all()
            return [PoiRevision(number=r.number, at=r.at, user=r.user_name, fields=r.fields, action=r.action)
                    for r in rows]

    def restore_poi_revision(self, poi_id: str, number: int, *, user: str, expected_version: int) -> PoiInfo:
        """Put every field (texts, position, deleted flag) back as it was in revision ``number``, and the photo as
        that revision says: a revision made by a photo change (or one that had a photo) brings that photo back; a
        text revision from before any photo keeps the current photo (it said nothing about one)."""
        with self._write() as session:
            old = session.scalars(select(s.PoiRevisionRow).where(
                s.PoiRevisionRow.poi_id == str(poi_id), s.PoiRevisionRow.number == number)).one_or_none()
            if old is None:
                self._poi_row(session, poi_id)
                raise StoreError("poi_revision_not_found", poi_id=poi_id, number=number)
            snapshot = dict(old.fields)
            if self._poi_row(session, poi_id).deleted and not snapshot.get("deleted", False):
                self._check_room_for_one(session)  # bringing a deleted POI back counts like a new one

            def apply(row: s.Poi) -> None:
                for key in POI_FIELDS:
                    if key in snapshot:
                        setattr(row, key, snapshot[key])
                    elif key in POI_EXTENT_FIELDS:
                        # a revision from before extents existed (schema 0003) was a point: it restores as one
                        setattr(row, key, POI_DEFAULTS.get(key))
                    # any other field younger than the revision (hours_en) stays as it is
                if old.action == "photo" or snapshot.get("photo_id"):
                    row.photo_id = snapshot.get("photo_id")
                row.deleted = bool(snapshot.get("deleted", False))

            self._change_poi(session, poi_id, user=user, expected_version=expected_version,
                             action="restore_revision", attempted={"restore_revision": number}, apply=apply)
        return self.get_poi(poi_id)  # type: ignore[return-value]

    # ------------------------------------------------------------------ bulk import
    def preview_poi_import(self, data: bytes, filename: str = "", *,
                           default_category: str | None = None) -> Any:
        """Read a GeoJSON/CSV/GPX file and say what importing it would add, change and leave alone."""
        from routes.store.importers import check_total, parse_poi_file, preview_import

        fmt, records = parse_poi_file(data, filename)
        existing = self.list_pois()
        preview = preview_import(existing, records, default_category=default_category, source_format=fmt)
        check_total(sum(1 for p in existing if not p.deleted), len(preview.added))
        return preview

    @staticmethod
    def _lock_poi_imports(session: Session) -> None:
        """One import at a time: PostgreSQL takes a transaction-scoped advisory lock; SQLite's write transactions
        (BEGIN IMMEDIATE) are already one at a time."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POI_IMPORT_LOCK_KEY})

    def apply_poi_import(self, preview: Any, *, user: str) -> dict[str, int]:
        """Apply a preview in one transaction; a file with any invalid record, or a POI edited since the preview,
        changes nothing.

        Idempotent: the preview's token is recorded in the same transaction and a token already recorded is refused
        (``import_done``); each record is matched again inside the transaction (same id, or same name nearby), so a
        double click or concurrent runs of the same file add each record once.
        """
        from routes.store.importers import StableIndex, check_total

        if preview.problems:
            raise StoreError("import_rows", count=len(preview.problems))
        target = f"import:{preview.token}"
        counts = {"added": 0, "changed": 0, "unchanged": len(preview.unchanged)}
        with self._write() as session:
            self._lock_poi_imports(session)
            done = session.scalar(select(s.AuditRow.id).where(s.AuditRow.target == target,
                                                               s.AuditRow.action == "poi.bulk_import").limit(1))
            if done is not None:
                raise StoreError("import_done")
            live = session.scalars(select(s.Poi).where(s.Poi.deleted.is_(False))).all()
            index = StableIndex(live)
            to_add = []
            for rec in preview.added:
                if index.find(rec) is None:
                    to_add.append(rec)
                    index.add(_PendingPoi(rec))  # a record repeated within the file is added once
                else:
                    counts["unchanged"] += 1
            check_total(len(live), len(to_add))
            for rec in to_add:
                fields = {k: v for k, v in rec.items() if k != "id"}
                pid = rec.get("id")
                if pid and session.get(s.Poi, pid) is not None:
                    pid = None  # the id was taken by a deleted POI: keep both records
                self._insert_poi(session, fields, user=user, poi_id=pid, action="import")
                counts["added"] += 1
            for change in preview.changed:
                new = {k: v for k, (_, v) in change.changes.items()}
                row = self._poi_row(session, change.poi.id, lock=True)
                if all(_same_value(getattr(row, k), v) for k, v in new.items()):
                    counts["unchanged"] += 1  # already applied by a concurrent run of the same file
                    continue

                def apply(row: s.Poi, new: dict[str, Any] = new) -> None:
                    for key, value in new.items():
                        setattr(row, key, value)

                self._change_poi(session, change.poi.id, user=user, expected_version=change.poi.version,
                                 action="import", attempted=new, apply=apply)
                counts["changed"] += 1
            self._audit(session, user, "poi.bulk_import", target, {**counts, "format": preview.source_format})
        return counts

    # ------------------------------------------------------------------ photos
    def set_poi_photo(self, poi_id: str, image_bytes: bytes | None, *, user: str, expected_version: int,
                      credit: str = "") -> PoiInfo:
        """Attach a photo (checked, size-capped, metadata stripped) with its credit line, or remove it with ``None``."""
        from routes.store.photos import clean_photo
        from routes.store.validate import check_photo_credit

        credit = check_photo_credit(credit)
        photo = None if image_bytes is None else clean_photo(image_bytes)
        with self._write() as session:
            photo_id = None if photo is None else self._add_photo(session, photo, user=user, credit=credit)
            self._change_poi(session, poi_id, user=user, expected_version=expected_version, action="photo",
                             attempted={"photo": "new" if photo else None},
                             apply=lambda row: setattr(row, "photo_id", photo_id))
        return self.get_poi(poi_id)  # type: ignore[return-value]

    @staticmethod
    def _add_photo(session: Session, photo: Any, *, user: str, credit: str, illustrative: bool = False) -> str:
        """Store a cleaned photo (a new id for every upload: the bytes under an id never change) and its credit."""
        from routes.store.photos import credit_key, credit_value

        photo_id = uuid.uuid4().hex
        session.add(s.Photo(id=photo_id, sha256=hashlib.sha256(photo.data).hexdigest(), mime=photo.mime,
                            width=photo.width, height=photo.height, size_bytes=len(photo.data),
                            data=photo.data, created_at=_now(), created_by=user))
        if credit or illustrative:
            session.add(s.Meta(key=credit_key(photo_id), value=credit_value(credit, illustrative=illustrative)))
        session.flush()
        return photo_id

    def get_photo(self, photo_id: str) -> bytes:
        with self._read() as session:
            row = session.execute(select(s.Photo).options(undefer(s.Photo.data))
                                  .where(s.Photo.id == str(photo_id))).scalar_one_or_none()
            if row is None:
                raise StoreError("photo_not_found", photo_id=photo_id)
            return bytes(row.data)

    @staticmethod
    def _photo_info(session: Session, row: s.Photo) -> PhotoInfo:
        from routes.store.photos import credit_key, read_credit

        credit, illustrative = read_credit(session.scalar(select(s.Meta.value)
                                                          .where(s.Meta.key == credit_key(row.id))))
        return PhotoInfo(id=row.id, mime=row.mime, width=row.width, height=row.height, size_bytes=row.size_bytes,
                         sha256=row.sha256, credit=credit, illustrative=illustrative)

    def photo_info(self, photo_id: str) -> PhotoInfo | None:
        with self._read() as session:
            row = session.get(s.Photo, str(photo_id))
            return None if row is None else self._photo_info(session, row)

    def public_photo(self, photo_id: str) -> PhotoInfo | None:
        """The photo when a published, non-deleted POI shows it now; None otherwise (a draft's photo, a deleted
        POI's, one replaced by a newer upload, an unknown id): only these may be served to anyone."""
        with self._read() as session:
            shown = session.scalar(select(s.Poi.id).where(s.Poi.photo_id == str(photo_id),
                                                          s.Poi.status == "published", s.Poi.deleted.is_(False))
                                   .limit(1))
            row = None if shown is None else session.get(s.Photo, str(photo_id))
            return None if row is None else self._photo_info(session, row)

    # ------------------------------------------------------------------ users
    def add_user(self, name: str, password: str, role: str, *, by: str = SYSTEM_USER) -> UserInfo:
        from routes.store.passwords import hash_password

        name, role, password = check_user_name(name), check_role(role), check_password(password)
        digest = hash_password(password)
        try:
            with self._write() as session:
                if session.scalar(select(s.User.id).where(s.User.name == name)) is not None:
                    raise ValidationError("user_taken", field="name", value=name)
                now = _now()
                session.add(s.User(name=name, password_hash=digest, role=role, active=True, created_at=now))
                self._audit(session, by, "user.add", f"user:{name}", {"role": role}, at=now)
        except IntegrityError:
            raise ValidationError("user_taken", field="name", value=name) from None
        return self.get_user(name)  # type: ignore[return-value]

    def get_user(self, name: str) -> UserInfo | None:
        with self._read() as session:
            row = session.scalars(select(s.User).where(s.User.name == name)).one_or_none()
            return None if row is None else user_info(row)

    def list_users(self) -> list[UserInfo]:
        with self._read() as session:
            return [user_info(r) for r in session.scalars(select(s.User).order_by(s.User.name)).all()]

    def verify_password(self, name: str, password: str) -> UserInfo | None:
        """The user when the name exists, is active and the password matches; otherwise None (same work either way)."""
        from routes.store.passwords import check_password_hash, hash_password, needs_rehash

        with self._read() as session:
            row = session.scalars(select(s.User).where(s.User.name == str(name))).one_or_none()
            digest = row.password_hash if row is not None else None
            info = user_info(row) if row is not None else None
        ok = check_password_hash(digest, str(password))
        if not ok or info is None or not info.active:
            return None
        if needs_rehash(digest):  # parameters were raised since this hash was made
            with self._write() as session:
                session.execute(update(s.User).where(s.User.name == info.name)
                                .values(password_hash=hash_password(str(password))))
        return info

    def _user_change(self, name: str, by: str, action: str, detail: Mapping[str, Any], **values: Any) -> UserInfo:
        with self._write() as session:
            if "role" in values or "active" in values:
                self._keep_an_admin(session, name, values)
            row = session.scalars(select(s.User).where(s.User.name == name).with_for_update()).one_or_none()
            if row is None:
                raise StoreError("user_not_found", name=name)
            for key, value in values.items():
                setattr(row, key, value)
            self._audit(session, by, action, f"user:{name}", detail)
        return self.get_user(name)  # type: ignore[return-value]

    @staticmethod
    def _keep_an_admin(session: Session, name: str, values: Mapping[str, Any]) -> None:
        """Refuse to disable or demote the last active administrator, checked in the change's own transaction.

        The rows of every active admin and of the account being changed are locked in id order first (SELECT … FOR
        UPDATE on PostgreSQL; SQLite's write transactions are one at a time anyway), so two admins disabling each
        other at once queue on the same rows: the second sees the first's change and is refused, never both applied.
        """
        rows = session.scalars(
            select(s.User).where(or_(s.User.name == name, and_(s.User.role == ADMIN_ROLE, s.User.active.is_(True))))
            .order_by(s.User.id).with_for_update()).all()
        target = next((r for r in rows if r.name == name), None)
        if target is None or target.role != ADMIN_ROLE or not target.active:
            return  # not an active admin now: the change cannot take the last one away
        if values.get("role", ADMIN_ROLE) == ADMIN_ROLE and values.get("active", True):
            return
        if not any(r.name != name and r.role == ADMIN_ROLE and r.active for r in rows):
            raise StoreError("last_admin", name=name)

    def set_role(self, name: str, role: str, *, by: str = SYSTEM_USER) -> UserInfo:
        role = check_role(role)
        return self._user_change(name, by, "user.role", {"role": role}, role=role)

    def set_password(self, name: str, password: str, *, by: str = SYSTEM_USER) -> UserInfo:
        from routes.store.passwords import hash_password

        digest = hash_password(check_password(password))
        info = self._user_change(name, by, "user.password", {}, password_hash=digest)
        # A new password is a fresh start: the old one's sessions end and a lock-out on the name lifts.
        self.end_user_sessions(name)
        self.unlock_keys([account_key(name)])
        return info

    def set_active(self, name: str, active: bool, *, by: str = SYSTEM_USER) -> UserInfo:
        info = self._user_change(name, by, "user.active", {"active": bool(active)}, active=bool(active))
        if not active:
            self.end_user_sessions(name)
        return info

    def unlock_user(self, name: str, *, by: str = SYSTEM_USER) -> bool:
        """Lift a lock-out on an account name (failed sign-ins forgotten); True when it was locked."""
        if self.get_user(name) is None:
            raise StoreError("user_not_found", name=name)
        was_locked = self.unlock_keys([account_key(name)]) > 0
        with self._write() as session:
            self._audit(session, by, "user.unlock", f"user:{name}", {"was_locked": was_locked})
        return was_locked

    def record_login_success(self, name: str, *, at: datetime | None = None) -> None:
        """Note a successful sign-in: failures before it no longer count towards a lock-out."""
        with self._write() as session:
            session.execute(update(s.User).where(s.User.name == name).values(last_login_at=at or _now()))

    # ------------------------------------------------------------------ audit
    def audit_log(self, limit: int | None = 200, *, target: str | None = None,
                  user: str | None = None) -> list[AuditEntry]:
        """Newest first."""
        with self._read() as session:
            q = select(s.AuditRow).order_by(s.AuditRow.at.desc(), s.AuditRow.id.desc())
            if target is not None:
                q = q.where(s.AuditRow.target == target)
            if user is not None:
                q = q.where(s.AuditRow.user_name == user)
            if limit is not None:
                q = q.limit(limit)
            return [AuditEntry(at=r.at, user=r.user_name, action=r.action, target=r.target, detail=r.detail)
                    for r in session.scalars(q).all()]

    # ------------------------------------------------------------------ race plans
    def save_race_plan(self, slug: str, plan: Mapping[str, Any], *, user: str,
                       expected_version: int | None) -> RacePlanInfo:
        """Create (``expected_version=None``) or update a race plan; every save is kept as a revision."""
        slug = check_slug(slug)
        plan = _check_plan(plan)
        try:
            with self._write() as session:
                row = session.scalars(select(s.RacePlan).where(s.RacePlan.slug == slug).with_for_update()).one_or_none()
                now = _now()
                if row is None:
                    if expected_version is not None:
                        raise StoreError("plan_not_found", slug=slug)
                    row = s.RacePlan(slug=slug, plan=plan, version=1, created_at=now, updated_at=now, updated_by=user)
                    session.add(row)
                    session.flush()
                else:
                    if expected_version is None:
                        raise ConflictError("exists", target=f"race_plan:{slug}", user=user,
                                            current_version=row.version, attempted={"plan": plan})
                    self._check_version("race_plan", slug, row, expected_version, user, {"plan": plan})
                    row.plan = plan
                    self._bump(row, user, now)
                number = (session.scalar(select(func.max(s.RacePlanRevisionRow.number))
                                         .where(s.RacePlanRevisionRow.plan_id == row.id)) or 0) + 1
                session.add(s.RacePlanRevisionRow(plan_id=row.id, number=number, at=now, user_name=user, plan=plan))
                self._audit(session, user, "race_plan.save", f"race_plan:{slug}", {"revision": number}, at=now)
        except IntegrityError:
            raise ConflictError("exists", target=f"race_plan:{slug}", user=user, attempted={"plan": plan}) from None
        return self.get_race_plan(slug)  # type: ignore[return-value]

    def get_race_plan(self, slug: str) -> RacePlanInfo | None:
        with self._read() as session:
            row = session.scalars(select(s.RacePlan).where(s.RacePlan.slug == slug)).one_or_none()
            return None if row is None else RacePlanInfo(slug=row.slug, version=row.version, plan=row.plan,
                                                         updated_at=row.updated_at, updated_by=row.updated_by,
                                                         published_at=row.published_at)

    def list_race_plans(self) -> list[RacePlanInfo]:
        with self._read() as session:
            return [RacePlanInfo(slug=r.slug, version=r.version, plan=r.plan, updated_at=r.updated_at,
                                 updated_by=r.updated_by, published_at=r.published_at)
                    for r in session.scalars(select(s.RacePlan).order_by(s.RacePlan.slug)).all()]

    def set_race_plan_published(self, slug: str, published: bool, *, user: str) -> RacePlanInfo:
        """Publish (or withdraw) a plan's public race page and closure notice; audited. The plan and its version are
        untouched: publishing announces a plan, it does not edit it. Publishing twice keeps the first time."""
        with self._write() as session:
            row = session.scalars(select(s.RacePlan).where(s.RacePlan.slug == slug).with_for_update()).one_or_none()
            if row is None:
                raise StoreError("plan_not_found", slug=slug)
            if bool(published) != (row.published_at is not None):
                now = _now()
                row.published_at = now if published else None
                action = "race_plan.publish" if published else "race_plan.unpublish"
                self._audit(session, user, action, f"race_plan:{slug}", {"version": row.version}, at=now)
        return self.get_race_plan(slug)  # type: ignore[return-value]

    def race_plan_revisions(self, slug: str) -> list[RacePlanRevision]:
        with self._read() as session:
            row = session.scalars(select(s.RacePlan).where(s.RacePlan.slug == slug)).one_or_none()
            if row is None:
                raise StoreError("plan_not_found", slug=slug)
            revs = session.scalars(select(s.RacePlanRevisionRow).where(s.RacePlanRevisionRow.plan_id == row.id)
                                   .order_by(s.RacePlanRevisionRow.number)).all()
            return [RacePlanRevision(number=r.number, at=r.at, user=r.user_name, plan=r.plan) for r in revs]

    # ------------------------------------------------------------------ whole database
    def dump_canonical(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table as plain JSON values, blobs as sha256: two equal dumps mean equal content."""
        return canonical_dump(self.engine)


def gpx_length_km(gpx: bytes) -> float:
    """Length of a stored GPX in km along the line (0 for none): what a stretch's km must stay within."""
    from routes.core.geo import track_length_m
    from routes.io.gpxio import read_gpx

    if not gpx:
        return 0.0
    track = read_gpx(bytes(gpx), max_points=ROUTE_MAX_POINTS)
    return float(track_length_m(track)) / M_PER_KM if track.n_points >= ROUTE_MIN_POINTS else 0.0


def _check_gpx(gpx: bytes) -> None:
    """Parse before writing anything, so a file the app cannot read is never stored as a route."""
    from routes.io.gpxio import read_gpx

    if not isinstance(gpx, (bytes, bytearray)):
        raise ValidationError("required", field="gpx")
    track = read_gpx(bytes(gpx), max_points=ROUTE_MAX_POINTS)
    if track.n_points < ROUTE_MIN_POINTS:
        raise ValidationError("gpx_empty", field="gpx")


@dataclass(frozen=True)
class _Source:
    """An original upload, checked, on its way into a revision row."""

    data: bytes
    format: str
    derivation: str


def _check_source(gpx: bytes, source: bytes | None, source_format: str, derivation: str,
                  filename: str) -> _Source | None:
    """The original upload to keep next to ``gpx``, or None when ``gpx`` is itself the upload.

    The original is kept as it came, so it is not parsed again; its first bytes must still say it is the format
    claimed (a FIT header, a GPX, TCX or KML root element, a zip holding a .kml), so a mislabelled or unrelated file
    is never filed as a source.
    """
    from routes.io.fileio import sniff_format

    fmt = str(source_format or "").lower()
    if fmt not in SOURCE_FORMATS:
        raise ValidationError("choice", field="source_format", value=source_format, choices=", ".join(SOURCE_FORMATS))
    derivation = check_derivation(derivation)
    if source is not None and not isinstance(source, (bytes, bytearray, memoryview)):
        raise ValidationError("required", field="source")
    if source is None or bytes(source) == bytes(gpx):
        if source is None and (fmt != "gpx" or derivation):
            raise ValidationError("source_required", field="source")
        return None  # the GPX is the upload: nothing more to keep
    data = bytes(source)
    if len(data) > SOURCE_MAX_BYTES:
        raise ValidationError("source_too_big", field="source", size_mb=len(data) / 1e6,
                              limit_mb=SOURCE_MAX_BYTES / 1e6)
    found = sniff_format(data)
    if found is None and fmt == "gpx" and filename.lower().endswith(".gpx"):
        found = "gpx"  # a GPX whose root element is not in the first bytes, as the reader itself accepts
    if found != fmt:
        raise ValidationError("source_format", field="source", fmt=fmt.upper())
    return _Source(data, fmt, derivation)


def _source_detail(rev: s.RouteRevisionRow) -> dict[str, Any]:
    """What the audit log says about a revision's separately kept original (nothing when the GPX is the upload)."""
    if rev.source_sha256 is None:
        return {}
    return {"source_format": rev.source_format, "source_sha256": rev.source_sha256,
            "source_size_bytes": rev.source_size_bytes, "derivation": rev.derivation}


def _check_plan(plan: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(plan, Mapping):
        raise ValidationError("json", field="plan", detail="not an object")
    try:
        text = json.dumps(plan, allow_nan=False, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise ValidationError("json", field="plan", detail=str(exc)) from None
    size = len(text.encode("utf-8"))
    if size > RACE_PLAN_MAX_BYTES:
        raise ValidationError("plan_too_big", field="plan", size_kb=size / 1024, limit_kb=RACE_PLAN_MAX_BYTES / 1024)
    if "\x00" in text:
        raise ValidationError("bad_chars", field="plan")
    return json.loads(text)


class _PendingPoi:
    """A record about to be inserted, seen by the in-transaction index like an existing POI."""

    def __init__(self, rec: Mapping[str, Any]) -> None:
        self.id = str(rec.get("id") or uuid.uuid4().hex)
        self.name_zh, self.name_en = rec.get("name_zh"), rec.get("name_en")
        self.lat, self.lon = rec.get("lat"), rec.get("lon")


def _same_value(a: Any, b: Any) -> bool:
    from routes.store.importers import _same

    return _same(a, b)


def _jsonable(value: Any) -> Any:
    """Audit details must always be storable, whatever a caller attempted (bytes, dates, tuples, NaN)."""
    try:
        return json.loads(json.dumps(value, default=str, ensure_ascii=False, allow_nan=False))
    except ValueError:
        return str(value)
