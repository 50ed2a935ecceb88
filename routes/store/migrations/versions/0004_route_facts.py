"""Routes get editor-kept facts: getting there and back, season, last checked, surfaces and warnings by km.

Revision ID: 0004_facts
Revises: 0003_light
Create Date: 2026-12-07

Existing routes get NULL (no facts written yet); the seed's facts are loaded only by a fresh seed, so an upgraded
database never gains illustrative text nobody asked for.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from routes.store.schema import JsonText

revision = "0004_facts"
down_revision = "0003_light"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column without default: SQLite adds it in place, no table rebuild (see 0002).
    with op.batch_alter_table("routes") as batch:
        batch.add_column(sa.Column("facts", JsonText(), nullable=True))


def downgrade() -> None:
    # Only the facts are lost; a plain DROP COLUMN like 0003_light (no batch rebuild of a table in a key cycle).
    op.drop_column("routes", "facts")
