"""Keep the editor's original upload (FIT, TCX, or a GPX before conversion/DEM fill) next to each revision's GPX.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Existing revisions keep source NULL: until now only verbatim GPX files or the generated GPX were stored, and the GPX
is all there is to keep for them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Columns this revision adds to route_revisions, in the order they are added.
NEW_COLUMNS = ("source", "source_format", "source_sha256", "source_size_bytes", "derivation")


def upgrade() -> None:
    # Only nullable columns or columns with a constant default: SQLite adds these in place (ALTER TABLE ADD COLUMN),
    # so batch mode does not need to rebuild the table (which the routes <-> route_revisions key cycle makes risky).
    with op.batch_alter_table("route_revisions") as batch:
        batch.add_column(sa.Column("source", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("source_format", sa.String(10), nullable=False, server_default="gpx"))
        batch.add_column(sa.Column("source_sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("source_size_bytes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("derivation", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    # Schema 0001 has nowhere to keep an original upload: refuse rather than lose what an editor uploaded.
    kept = op.get_bind().execute(sa.text("SELECT COUNT(*) FROM route_revisions WHERE source IS NOT NULL")).scalar()
    if kept:
        raise RuntimeError(
            f"{kept} route revisions keep an original upload that schema 0001 cannot hold; downgrading would lose "
            "them (take a backup and stay on this version)"
        )
    # A plain DROP COLUMN (SQLite 3.35+) instead of batch mode: rebuilding route_revisions would have to drop a table
    # that routes.current_revision_id points into, which SQLite refuses while foreign keys are enforced.
    for name in reversed(NEW_COLUMNS):
        op.drop_column("route_revisions", name)
