"""The CA's schedule: cached ARI answers (by certificate ID) and CT answers (by name),
and the served certificate's ID in the history, so a replacement can be dated.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ari_answers",
        sa.Column("cert_id", sa.String(200), primary_key=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retry_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer_json", sa.Text(), nullable=False),
    )
    op.create_table(
        "ct_answers",
        sa.Column("name", sa.String(253), primary_key=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer_json", sa.Text(), nullable=False),
    )
    with op.batch_alter_table("check_history") as batch:
        batch.add_column(sa.Column("cert_id", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("check_history") as batch:
        batch.drop_column("cert_id")
    op.drop_table("ct_answers")
    op.drop_table("ari_answers")
