"""Alembic environment: runs on a connection handed over by routes.store.migrate (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context

from routes.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds tables so later migrations run on both backends.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
