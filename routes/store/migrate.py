"""Bring a database to the current schema (Alembic, run in-process) and seed it the first time it is used."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from routes.store import schema as s
from routes.store.db import WRITE_OPTION
from routes.store.errors import StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: PostgreSQL advisory-lock key held while migrating and seeding, so that several servers starting together do it
#: once ("GUIDE" in ASCII).
PG_MIGRATION_LOCK_KEY = 0x4755494445


def _alembic_config(conn: Connection):  # noqa: ANN202 - alembic type stays an implementation detail
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)  # type: ignore[arg-type]
    return ScriptDirectory.from_config(cfg).get_current_head()  # type: ignore[return-value]


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _is_ready(engine: Engine, *, seed: bool) -> bool:
    with engine.connect() as conn:
        if current_revision(conn) != head_revision():
            return False
        if not seed:
            return True
        return conn.execute(select(s.Meta.value).where(s.Meta.key == s.SEEDED_KEY)).first() is not None


def ensure_ready(engine: Engine, *, seed: bool = True) -> None:
    """Migrate to the newest schema and, on an empty never-seeded database, load the seed content.

    Safe when several processes start at once: SQLite serialises them on its write lock (BEGIN IMMEDIATE), PostgreSQL
    on an advisory lock; whoever comes second finds the work done.
    """
    try:
        if _is_ready(engine, seed=seed):
            return
        with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK_KEY})
            from alembic import command

            command.upgrade(_alembic_config(conn), "head")
            if seed:
                from routes.store.seed import seed_if_empty

                with Session(bind=conn, expire_on_commit=False) as session:
                    seed_if_empty(session)
                    session.flush()
    except OperationalError as exc:
        raise StoreError("database", detail=str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)) from None
