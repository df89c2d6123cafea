"""The nightly dry run: nights, check history, alert state, outbox.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sweeps",
        sa.Column("night", sa.String(10), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("domains", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "check_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("night", sa.String(10), nullable=False),
        sa.Column("domain", sa.String(253), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verdict", sa.String(10), nullable=False),
        sa.Column("renewable", sa.Boolean(), nullable=True),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("cert_not_after", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("night", "domain", name="uq_history_night_domain"),
    )
    op.create_index("ix_check_history_domain", "check_history", ["domain"])
    op.create_index("ix_check_history_checked_at", "check_history", ["checked_at"])
    op.create_table(
        "alert_states",
        sa.Column(
            "subscription_id",
            sa.Integer(),
            sa.ForeignKey("subscriptions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("severity", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("codes", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("days_left", sa.Integer(), nullable=True),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_reason", sa.String(64), nullable=True),
        sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("night", sa.String(10), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("domain", sa.String(253), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("blocks", sa.Text(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ts", sa.String(32), nullable=True),
        sa.Column("error", sa.String(200), nullable=True),
        sa.UniqueConstraint("night", "subscription_id", name="uq_outbox_night_subscription"),
    )
    op.create_index("ix_outbox_state", "outbox", ["state"])
    op.create_index("ix_outbox_channel_id", "outbox", ["channel_id"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("alert_states")
    op.drop_table("check_history")
    op.drop_table("sweeps")
