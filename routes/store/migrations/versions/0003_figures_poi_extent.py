"""POIs that are areas: an optional radius or polygon (GeoJSON, WGS-84) next to the representative point.

Revision ID: 0003_figures
Revises: 0002
Create Date: 2026-11-30

Both columns are nullable: every existing POI stays a point (NULL, NULL) until an editor gives it an extent.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from routes.store.schema import JsonText

revision = "0003_figures"
down_revision = "0002"
branch_labels = None
depends_on = None

#: Columns this revision adds to pois, in the order they are added.
NEW_COLUMNS = ("radius_m", "area")


def upgrade() -> None:
    # Nullable columns only: SQLite adds them in place (no table rebuild under the pois <- poi_revisions key).
    with op.batch_alter_table("pois") as batch:
        batch.add_column(sa.Column("radius_m", sa.Double(), nullable=True))
        batch.add_column(sa.Column("area", JsonText(), nullable=True))


def downgrade() -> None:
    kept = op.get_bind().execute(
        sa.text("SELECT COUNT(*) FROM pois WHERE radius_m IS NOT NULL OR area IS NOT NULL")).scalar()
    if kept:
        raise RuntimeError(
            f"{kept} POIs have an extent that schema 0002 cannot hold; downgrading would lose it (take a backup and "
            "stay on this version)"
        )
    for name in reversed(NEW_COLUMNS):
        op.drop_column("pois", name)
