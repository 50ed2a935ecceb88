"""Editor-set catalogue order of routes (lower first): the flagship Tianxiang line leads the catalogue.

Revision ID: 0003_light
Revises: 0002
Create Date: 2026-11-30

Existing routes get 100 ("not placed"); the seed's flagship route, when present, gets 0 so an upgraded database shows
it first just like a fresh one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_light"
down_revision = "0002"
branch_labels = None
depends_on = None

#: The flagship route of the seed content.
FLAGSHIP_SLUG = "tianxiang"


def upgrade() -> None:
    # A constant server default: SQLite adds the column in place, no table rebuild (see 0002).
    with op.batch_alter_table("routes") as batch:
        batch.add_column(sa.Column("sort_order", sa.Integer(), nullable=False, server_default="100"))
    op.execute(sa.text("UPDATE routes SET sort_order = 0 WHERE slug = :slug").bindparams(slug=FLAGSHIP_SLUG))


def downgrade() -> None:
    # Only an order is lost; a plain DROP COLUMN like 0002 (no batch rebuild of a table in a key cycle).
    op.drop_column("routes", "sort_order")
