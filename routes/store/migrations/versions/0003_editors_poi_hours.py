"""Opening hours in English next to the existing (Chinese) ones, so an English page never shows "约 08:00–18:00".

Revision ID: 0003_editors
Revises: 0002
Create Date: 2026-11-30

The existing ``hours`` column keeps its name (import files, exports and backups already use it) and means the
Chinese text, or a language-neutral one such as "08:00–18:00"; ``hours_en`` is new and empty for existing rows, where
English pages show ``hours`` only when it has no Chinese in it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_editors"
down_revision = "0003_figures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE ADD COLUMN with a constant default on both databases: a batch (table rebuild) on SQLite
    # would drop and recreate pois, which the foreign keys of poi_revisions refuse.
    op.add_column("pois", sa.Column("hours_en", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    # ALTER TABLE DROP COLUMN (SQLite 3.35+), again without a table rebuild.
    op.drop_column("pois", "hours_en")
