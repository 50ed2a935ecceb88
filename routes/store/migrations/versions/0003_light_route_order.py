"""Editor-set catalogue order of routes (lower first): the flagship Tianxiang line leads the catalogue.

Revision ID: 0003_light
Revises: 0002
Create Date: 2026-11-30

Existing routes get 100 ("not placed"); the seed routes, when present, get the order a fresh database seeds them with
(data/seed/routes.json), so an upgraded database shows the flagship first just like a fresh one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_light"
down_revision = "0003_auth"
branch_labels = None
depends_on = None

#: Order of the seed routes (as in data/seed/routes.json): the flagship Tianxiang line first.
SEED_ORDER = {"tianxiang": 0, "caoe-riverside": 10, "lianghu-loop": 20}


def upgrade() -> None:
    # A constant server default: SQLite adds the column in place, no table rebuild (see 0002).
    with op.batch_alter_table("routes") as batch:
        batch.add_column(sa.Column("sort_order", sa.Integer(), nullable=False, server_default="100"))
    for slug, order in SEED_ORDER.items():
        op.execute(
            sa.text("UPDATE routes SET sort_order = :order WHERE slug = :slug").bindparams(order=order, slug=slug)
        )


def downgrade() -> None:
    # Only an order is lost; a plain DROP COLUMN like 0002 (no batch rebuild of a table in a key cycle).
    op.drop_column("routes", "sort_order")
