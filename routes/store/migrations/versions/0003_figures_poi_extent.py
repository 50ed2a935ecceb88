"""POIs that are areas: an optional radius or polygon (GeoJSON, WGS-84) next to the representative point.

Revision ID: 0003_figures
Revises: 0002
Create Date: 2026-11-30

Both columns are nullable: every existing POI stays a point (NULL, NULL) until an editor gives it an extent, except
the illustrative seed places that were never edited (version 1): they get the illustrative extents of
data/seed/pois.geojson, so an installation seeded before this revision shows the same seed content as a new one (the
lake's outline is what makes "along the way" of the Tianxiang line find Dongjiang Lake). Like the seeding itself
this is not an editor's change and writes no revision.
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
    _seed_extents()


def _seed_extents() -> None:
    import json

    from routes.store.seed import SEED_DIR

    path = SEED_DIR / "pois.geojson"
    if not path.is_file():
        return
    pois = sa.table(
        "pois",
        sa.column("id", sa.String),
        sa.column("illustrative", sa.Boolean),
        sa.column("version", sa.Integer),
        sa.column("radius_m", sa.Double),
        sa.column("area", JsonText()),
    )
    bind = op.get_bind()
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        values = {"area": geometry} if geometry["type"] != "Point" else {"radius_m": props.get("radius_m")}
        if not any(values.values()):
            continue
        bind.execute(
            sa.update(pois)
            .where(
                pois.c.id == feature["id"],
                pois.c.illustrative.is_(True),
                pois.c.version == 1,
                pois.c.radius_m.is_(None),
                pois.c.area.is_(None),
            )
            .values(**values)
        )


def downgrade() -> None:
    # Refuse to lose an editor's extents; the illustrative ones come back from the seed file on the next upgrade.
    kept = (
        op.get_bind()
        .execute(
            sa.text("SELECT COUNT(*) FROM pois WHERE (radius_m IS NOT NULL OR area IS NOT NULL) AND NOT illustrative")
        )
        .scalar()
    )
    if kept:
        raise RuntimeError(
            f"{kept} POIs have an extent that schema 0002 cannot hold; downgrading would lose it (take a backup and "
            "stay on this version)"
        )
    for name in reversed(NEW_COLUMNS):
        op.drop_column("pois", name)
