"""The database schema as SQLAlchemy 2 models; migrations/ creates and upgrades it, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints so migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, whatever the backend keeps (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class JsonText(TypeDecorator):
    """JSON kept as canonical text (sorted keys, real UTF-8), so both backends store and return identical bytes."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else dumps_canonical(value)

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else json.loads(value)


def dumps_canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


#: Key in the meta table recording that the seed content was loaded (so it is never loaded twice).
SEEDED_KEY = "seeded_at"


class Meta(Base):
    """Small facts about the database itself (e.g. when it was seeded)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class LoginThrottle(Base):
    """Failed sign-ins counted per key ("user:<name>" or "addr:<client address>"): one row per key, so a sign-in
    attempt locks its rows and counts itself before any password is checked (parallel guesses queue on the lock)."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(250), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class AuthSession(Base):
    """A signed-in browser: only sha256 digests of its cookie token and of its one-time exchange token are kept, so a
    copy of the database (or a backup) lets nobody sign in."""

    __tablename__ = "auth_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    exchange_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    exchange_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    user_name: Mapped[str] = mapped_column(String(40), index=True)
    method: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Photo(Base):
    """A POI photo, re-encoded without metadata; kept in the database so every server sees it."""

    __tablename__ = "photos"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(40))


class Route(Base):
    __tablename__ = "routes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    desc_zh: Mapped[str] = mapped_column(Text, default="")
    desc_en: Mapped[str] = mapped_column(Text, default="")
    difficulty: Mapped[str] = mapped_column(String(20))
    surface: Mapped[str] = mapped_column(String(20))
    tags: Mapped[list] = mapped_column(JsonText)
    season: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20))
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    # Catalogue order set by editors (lower first, then slug): the flagship Tianxiang line leads.
    sort_order: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
    #: What a visitor decides with besides the line (getting there, season, last checked, surfaces and warnings by
    #: km), as routes.core.facts.RouteFacts.to_json(); NULL when an editor has written none.
    facts: Mapped[dict | None] = mapped_column(JsonText, nullable=True)
    # The revision shown to cyclists. The foreign key closes a cycle with route_revisions.route_id, so it is added
    # after both tables exist (use_alter) on backends that need that.
    current_revision_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("route_revisions.id", use_alter=True, name="fk_routes_current_revision"), nullable=True
    )
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(40))


class RouteRevisionRow(Base):
    """One route track: the GPX the guide uses and, when that GPX was derived, the editor's original upload, both
    byte for byte. Rows are only ever added."""

    __tablename__ = "route_revisions"
    __table_args__ = (UniqueConstraint("route_id", "number", name="uq_route_revisions_route_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("routes.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[str] = mapped_column(String(40))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    gpx: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # The file the editor uploaded, when the GPX above was made from it (FIT/TCX converted, GCJ-02 converted, DEM
    # elevation filled). NULL means the GPX itself is the upload; then the source_* columns are NULL too.
    source: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, nullable=True)
    source_format: Mapped[str] = mapped_column(String(10), default="gpx", server_default="gpx")
    source_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    source_size_bytes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: How the GPX was made from the source ("converted from FIT; converted from GCJ-02"); empty when verbatim.
    derivation: Mapped[str] = mapped_column(String(200), default="", server_default="")


class Poi(Base):
    __tablename__ = "pois"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    desc_zh: Mapped[str] = mapped_column(Text, default="")
    desc_en: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(30))
    lat: Mapped[float] = mapped_column(Double)
    lon: Mapped[float] = mapped_column(Double)
    #: A place that is an area: a radius around (lat, lon) in metres, or a GeoJSON Polygon/MultiPolygon (WGS-84)
    #: with (lat, lon) a representative point inside it. Both NULL: a point. Never both (validate.py).
    radius_m: Mapped[float | None] = mapped_column(Double, nullable=True)
    area: Mapped[dict | None] = mapped_column(JsonText, nullable=True)
    photo_id: Mapped[str | None] = mapped_column(ForeignKey("photos.id"), nullable=True)
    #: Opening hours in Chinese, or language-neutral ("08:00–18:00"); hours_en is the English text.
    hours: Mapped[str] = mapped_column(String(200), default="")
    hours_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20))
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(40))


class PoiRevisionRow(Base):
    """A full snapshot of a POI after each change. Rows are only ever added."""

    __tablename__ = "poi_revisions"
    __table_args__ = (UniqueConstraint("poi_id", "number", name="uq_poi_revisions_poi_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poi_id: Mapped[str] = mapped_column(ForeignKey("pois.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    user_name: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(30))
    fields: Mapped[dict] = mapped_column(JsonText)


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    user_name: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200), index=True)
    detail: Mapped[dict] = mapped_column(JsonText)


class RacePlan(Base):
    __tablename__ = "race_plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    plan: Mapped[dict] = mapped_column(JsonText)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(40))
    #: When an organiser published the race page and closure notice; None while unpublished (the default).
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class RacePlanRevisionRow(Base):
    __tablename__ = "race_plan_revisions"
    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_race_plan_revisions_plan_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("race_plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    user_name: Mapped[str] = mapped_column(String(40))
    plan: Mapped[dict] = mapped_column(JsonText)


#: Tables in an order where every foreign key points to an earlier table (routes.current_revision_id aside, which
#: backup/restore sets after the revisions exist).
TABLE_ORDER = (
    "meta", "users", "photos", "routes", "route_revisions", "pois", "poi_revisions",
    "audit_log", "race_plans", "race_plan_revisions",
)

#: Tables left out of backups: sign-in sessions and failed-attempt counters are short-lived security state, not
#: content. A restore empties them, which signs everybody out (the restored accounts may differ from today's).
EPHEMERAL_TABLES = ("auth_sessions", "login_throttle")
