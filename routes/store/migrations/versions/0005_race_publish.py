"""Race plans get a publish time: the public race page and closure notice show only once an organiser publishes.

Revision ID: 0005_race
Revises: 0004_facts
Create Date: 2026-12-07

Existing plans stay unpublished (NULL): publishing announces a race to riders and residents, which nobody decided for
the plans saved before this column existed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from routes.store.schema import UtcDateTime

revision = "0005_race"
down_revision = "0004_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column without default: SQLite adds it in place, no table rebuild (see 0002).
    with op.batch_alter_table("race_plans") as batch:
        batch.add_column(sa.Column("published_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    # Only the publish times are lost; a plain DROP COLUMN like 0003_light (no batch rebuild).
    op.drop_column("race_plans", "published_at")
