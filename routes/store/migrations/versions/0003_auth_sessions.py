"""Server-side sign-in sessions and atomic per-account/per-address failure counters (replacing login_failures).

Revision ID: 0003_auth
Revises: 0002
Create Date: 2026-11-30

login_failures (one row per failure, counted after the fact) let parallel guesses all pass the check before any of
them was recorded; login_throttle keeps one row per account or client address that each attempt locks and counts
itself in before a password is checked. Old failure rows are not carried over: they only ever mattered for 15 minutes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from routes.store.schema import UtcDateTime

revision = "0003_auth"
down_revision = "0003_editors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auth_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("exchange_hash", sa.String(64), nullable=True),
        sa.Column("exchange_expires_at", UtcDateTime(), nullable=True),
        sa.Column("user_name", sa.String(40), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("last_seen_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_auth_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_auth_sessions_token_hash"),
        sa.UniqueConstraint("exchange_hash", name="uq_auth_sessions_exchange_hash"),
    )
    op.create_index("ix_auth_sessions_user_name", "auth_sessions", ["user_name"])
    op.create_index("ix_auth_sessions_expires_at", "auth_sessions", ["expires_at"])
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(250), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", UtcDateTime(), nullable=True),
        sa.Column("locked_until", UtcDateTime(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_login_throttle"),
    )
    op.create_index("ix_login_throttle_updated_at", "login_throttle", ["updated_at"])
    op.drop_index("ix_login_failures_user_name", table_name="login_failures")
    op.drop_table("login_failures")


def downgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failures"),
    )
    op.create_index("ix_login_failures_user_name", "login_failures", ["user_name"])
    op.drop_table("login_throttle")
    op.drop_table("auth_sessions")
