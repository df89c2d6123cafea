"""How a subscribed domain renews, and the replay memory shared by web processes.

`subscriptions.challenge` (http-01, dns-01, tls-alpn-01; None = auto) and
`subscriptions.host_validates_root` (None = recognise the host) carry what a
subscriber said with `/certcheck subscribe example.com dns-01`, so the night
checks the renewal the way it really happens.

`slack_seen_requests` remembers the signature of each signed request answered
within Slack's 5-minute window, so that an identical request replayed to any
web process is refused, not only to the one that answered it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE (see 0007: a batch copy of subscriptions would cascade).
    op.add_column("subscriptions", sa.Column("challenge", sa.String(12), nullable=True))
    op.add_column("subscriptions", sa.Column("host_validates_root", sa.Boolean(), nullable=True))
    op.create_table(
        "slack_seen_requests",
        sa.Column("signature", sa.String(80), primary_key=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_slack_seen_requests_seen_at", "slack_seen_requests", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_slack_seen_requests_seen_at", table_name="slack_seen_requests")
    op.drop_table("slack_seen_requests")
    op.drop_column("subscriptions", "host_validates_root")
    op.drop_column("subscriptions", "challenge")
