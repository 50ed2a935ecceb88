"""Database URLs and engines: SQLite by default, any SQLAlchemy URL (PostgreSQL for several servers) by setting one.

The only process-wide state is the engine cache keyed by URL (an engine is a connection pool; making one per page
run would open a new pool each time). Everything else lives in the database, so several processes and servers can
share it.
"""

from __future__ import annotations

import os
from pathlib import Path
from threading import Lock

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError

from routes.store.errors import StoreError

#: Environment variable that selects the database (an SQLAlchemy URL).
DATABASE_URL_ENV = "GUIDE_DATABASE_URL"
#: The default database: a SQLite file under data/ in the project (git-ignored).
DEFAULT_SQLITE_PATH = Path(__file__).resolve().parents[2] / "data" / "guide.db"
#: How long a SQLite writer waits for another process's write to finish before giving up. Seeding a fresh database
#: takes well under a second, so 30 s only ever matters on a badly overloaded machine.
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: Execution option marking a connection that will write: on SQLite it starts with BEGIN IMMEDIATE so two writers
#: queue on the write lock instead of one failing half-way with "database is locked".
WRITE_OPTION = "guide_write"

_ENGINES: dict[str, Engine] = {}
#: Per cached engine: the seed modes ("seeded", "bare") already made ready in this process, so that a Streamlit rerun
#: does not look at the schema version again. Part of the engine cache; nothing else is kept per process.
_READY: dict[int, set[str]] = {}
_ENGINES_LOCK = Lock()


def default_url() -> str:
    """GUIDE_DATABASE_URL when set, else the SQLite file under data/."""
    return os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def normalize_url(url: str) -> str:
    """Accept the spellings people paste (postgres://, postgresql://) and use the psycopg 3 driver for them."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API objects
        # Let SQLAlchemy's begin() decide when transactions start (pysqlite's own guessing breaks BEGIN IMMEDIATE).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        # WAL: readers never wait for a writer, which is what several Streamlit sessions on one machine need.
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


def get_engine(url: str | None = None) -> Engine:
    """The engine for a URL, created once per process."""
    from sqlalchemy import create_engine

    url = normalize_url(url or default_url())
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is not None:
            return engine
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise StoreError("bad_url", detail=str(exc)) from None
        if parsed.get_backend_name() == "sqlite":
            db_path = parsed.database
            if db_path and db_path != ":memory:" and not db_path.startswith("file:"):
                Path(db_path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            _sqlite_setup(engine)
        else:
            # pre_ping: a replica that sat idle behind a load balancer must not hand out a connection the server
            # has closed.
            engine = create_engine(url, pool_pre_ping=True)
        _ENGINES[url] = engine
        return engine


def is_marked_ready(engine: Engine, *, seed: bool) -> bool:
    modes = _READY.get(id(engine), set())
    return "seeded" in modes or (not seed and "bare" in modes)


def mark_ready(engine: Engine, *, seed: bool) -> None:
    with _ENGINES_LOCK:
        if any(e is engine for e in _ENGINES.values()):
            _READY.setdefault(id(engine), set()).add("seeded" if seed else "bare")


def dispose_engine(url: str) -> None:
    """Close and forget the engine for a URL (tests that drop their database call this)."""
    with _ENGINES_LOCK:
        engine = _ENGINES.pop(normalize_url(url), None)
        if engine is not None:
            _READY.pop(id(engine), None)
    if engine is not None:
        engine.dispose()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
