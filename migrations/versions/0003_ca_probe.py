"""The CA probe: the installation's ACME account and the CA's recent answers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "acme_accounts",
        sa.Column("directory_url", sa.String(500), primary_key=True),
        sa.Column("key_pem", sa.Text(), nullable=False),
        sa.Column("account_url", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ca_probe_answers",
        sa.Column("directory_url", sa.String(500), primary_key=True),
        sa.Column("domain", sa.String(253), primary_key=True),
        sa.Column("probed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer_json", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ca_probe_answers")
    op.drop_table("acme_accounts")
