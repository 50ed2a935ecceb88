"""Initial schema: routes with GPX revisions, POIs with revisions, photos, users, audit log, race plans.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from routes.store.schema import JsonText, UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "meta",
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_meta"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("last_login_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failures"),
    )
    op.create_index("ix_login_failures_user_name", "login_failures", ["user_name"])
    op.create_table(
        "photos",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("mime", sa.String(20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_photos"),
    )
    route_cols = [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(60), nullable=False),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("desc_zh", sa.Text(), nullable=False),
        sa.Column("desc_en", sa.Text(), nullable=False),
        sa.Column("difficulty", sa.String(20), nullable=False),
        sa.Column("surface", sa.String(20), nullable=False),
        sa.Column("tags", JsonText(), nullable=False),
        sa.Column("season", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("current_revision_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_routes"),
        sa.UniqueConstraint("slug", name="uq_routes_slug"),
    ]
    if sqlite:
        # SQLite cannot add a foreign key later but accepts one to a table created afterwards.
        route_cols.append(
            sa.ForeignKeyConstraint(["current_revision_id"], ["route_revisions.id"], name="fk_routes_current_revision")
        )
    op.create_table("routes", *route_cols)
    op.create_table(
        "route_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("uploaded_by", sa.String(40), nullable=False),
        sa.Column("uploaded_at", UtcDateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("gpx", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["route_id"], ["routes.id"], name="fk_route_revisions_route_id_routes"),
        sa.PrimaryKeyConstraint("id", name="pk_route_revisions"),
        sa.UniqueConstraint("route_id", "number", name="uq_route_revisions_route_number"),
    )
    op.create_index("ix_route_revisions_route_id", "route_revisions", ["route_id"])
    if not sqlite:
        op.create_foreign_key(
            "fk_routes_current_revision", "routes", "route_revisions", ["current_revision_id"], ["id"]
        )
    op.create_table(
        "pois",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("desc_zh", sa.Text(), nullable=False),
        sa.Column("desc_en", sa.Text(), nullable=False),
        sa.Column("category", sa.String(30), nullable=False),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.Column("photo_id", sa.String(32), nullable=True),
        sa.Column("hours", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["photo_id"], ["photos.id"], name="fk_pois_photo_id_photos"),
        sa.PrimaryKeyConstraint("id", name="pk_pois"),
    )
    op.create_table(
        "poi_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poi_id", sa.String(32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("user_name", sa.String(40), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("fields", JsonText(), nullable=False),
        sa.ForeignKeyConstraint(["poi_id"], ["pois.id"], name="fk_poi_revisions_poi_id_pois"),
        sa.PrimaryKeyConstraint("id", name="pk_poi_revisions"),
        sa.UniqueConstraint("poi_id", "number", name="uq_poi_revisions_poi_number"),
    )
    op.create_index("ix_poi_revisions_poi_id", "poi_revisions", ["poi_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("user_name", sa.String(40), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", JsonText(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_target", "audit_log", ["target"])
    op.create_table(
        "race_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(60), nullable=False),
        sa.Column("plan", JsonText(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_race_plans"),
        sa.UniqueConstraint("slug", name="uq_race_plans_slug"),
    )
    op.create_table(
        "race_plan_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("user_name", sa.String(40), nullable=False),
        sa.Column("plan", JsonText(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["race_plans.id"], name="fk_race_plan_revisions_plan_id_race_plans"),
        sa.PrimaryKeyConstraint("id", name="pk_race_plan_revisions"),
        sa.UniqueConstraint("plan_id", "number", name="uq_race_plan_revisions_plan_number"),
    )
    op.create_index("ix_race_plan_revisions_plan_id", "race_plan_revisions", ["plan_id"])


def downgrade() -> None:
    for table in (
        "race_plan_revisions", "race_plans", "audit_log", "poi_revisions", "pois",
    ):
        op.drop_table(table)
    # Break the routes <-> route_revisions cycle first: SQLite checks foreign keys while dropping a table.
    op.execute("UPDATE routes SET current_revision_id = NULL")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_routes_current_revision", "routes", type_="foreignkey")
    for table in ("route_revisions", "routes", "photos", "login_failures", "users", "meta"):
        op.drop_table(table)
