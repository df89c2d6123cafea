"""Schema at scale: 64-bit ids, an index for the subscriber look-up, enforced cascades.

- `subscriptions.domain` gets an index: the sweep asks for a domain's
  subscribers once per domain, a full scan at a million subscriptions.
- `outbox.created_at` gets one: the nightly prune deletes by it.
- The ids of `subscriptions`, `check_history` and `outbox` (and the columns
  that point at a subscription) become 64-bit on PostgreSQL, with their
  sequences: `check_history` gains one row per domain a night, which
  overflows 32 bits in months at ten million domains. SQLite's INTEGER
  PRIMARY KEY is its 64-bit rowid already, and stays as it is.
- SQLite enforces foreign keys from now on (bot/db/engine.py turns the pragma
  on), so deleting a subscription deletes its alert state, as PostgreSQL
  always did; the state rows orphaned before that are deleted here once.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, owns a sequence)
WIDENED = [
    ("subscriptions", "id", True),
    ("check_history", "id", True),
    ("outbox", "id", True),
    ("alert_states", "subscription_id", False),
    ("outbox", "subscription_id", False),
]


def upgrade() -> None:
    op.create_index("ix_subscriptions_domain", "subscriptions", ["domain"])
    op.create_index("ix_outbox_created_at", "outbox", ["created_at"])
    op.execute(
        "DELETE FROM alert_states WHERE NOT EXISTS"
        " (SELECT 1 FROM subscriptions WHERE subscriptions.id = alert_states.subscription_id)"
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, sequence in WIDENED:
        op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=False)
        if sequence:
            op.execute(f"ALTER SEQUENCE {table}_{column}_seq AS bigint")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column, sequence in reversed(WIDENED):
            if sequence:
                op.execute(f"ALTER SEQUENCE {table}_{column}_seq AS integer")
            op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=False)
    op.drop_index("ix_outbox_created_at", table_name="outbox")
    op.drop_index("ix_subscriptions_domain", table_name="subscriptions")
