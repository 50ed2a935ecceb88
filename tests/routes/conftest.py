"""Store fixtures: a fresh database per test on SQLite (temp file) and on PostgreSQL (when GUIDE_TEST_DATABASE_URL is set).

PostgreSQL tests get their own schema in the test database (the test user needs CREATE on that database, which its
owner has), selected through the connection's search_path, and dropped afterwards. When the variable is set but the
server cannot be reached, the PostgreSQL tests fail: they never skip silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from routes.store import open_store
from routes.store.db import dispose_engine, normalize_url

PG_ENV = "GUIDE_TEST_DATABASE_URL"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pg_base_url() -> str:
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        pytest.skip(f"PostgreSQL store tests run when {PG_ENV} is set (.ci/run sets it)")
    return normalize_url(url)


def schema_url(base: str, schema: str) -> str:
    return make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def _new_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'guide.db'}"
        yield url
        dispose_engine(url)
        return
    base = pg_base_url()
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:  # a broken server makes this raise: the test errors, it does not skip
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = schema_url(base, schema)
        yield url
        dispose_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a fresh, empty database (nothing created yet) on each backend."""
    yield from _new_database(request.param, tmp_path_factory)


@pytest.fixture
def other_db_url(request: pytest.FixtureRequest, db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second fresh database on the same backend as ``db_url`` (restore targets)."""
    yield from _new_database("sqlite" if db_url.startswith("sqlite") else "postgres", tmp_path_factory)


@pytest.fixture
def store(db_url: str):  # noqa: ANN201
    """A migrated and seeded store."""
    return open_store(db_url)


@pytest.fixture
def empty_store(db_url: str):  # noqa: ANN201
    """A migrated store without the seed content."""
    return open_store(db_url, seed=False)
