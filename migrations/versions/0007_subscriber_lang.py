"""The subscriber's language and time zone, recorded with the subscription.

Nightly alerts follow the channel's `/certcheck lang`, else the language of
the people who subscribed; times are shown in their time zone. Rows made
before this migration have neither, and count as not saying.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE on both databases: a batch "move and copy" of
    # subscriptions on SQLite would drop the table, and with foreign keys
    # enforced that cascades to every alert state.
    op.add_column("subscriptions", sa.Column("lang", sa.String(8), nullable=True))
    op.add_column("subscriptions", sa.Column("tz", sa.String(64), nullable=True))


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place.
    op.drop_column("subscriptions", "tz")
    op.drop_column("subscriptions", "lang")
