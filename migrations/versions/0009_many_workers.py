"""Many workers, one night: work items, one deliverer per channel, shared limits, forced reruns.

- `sweep_items`: a night's domains in batches (keyset ranges of
  `subscriptions.domain`), each leased to one worker at a time
  (bot/db/items.py). The process that claims the night writes them.
- `channel_posts`: which process delivers to a channel now, and when the
  channel may next be posted to (Slack's one message a second), so that
  several processes delivering one outbox neither double-post nor outpace it.
- `rate_buckets`: the slash command's per-user and per-channel token
  buckets, shared by every web process on PostgreSQL (bot/db/limits.py).
- `sweeps.ca_probes`: the night's CA-probe budget, spent by all workers together.
- `sweeps.run` and `outbox.run`: `certcheck nightly --force` sweeps a done
  night again as run 1, 2, ...; the outbox's unique key becomes
  (night, run, subscription_id), so a rerun may tell a channel what changed
  since the first run without colliding with what that run sent.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A 64-bit id, as bot.db.models.Id: BIGINT on PostgreSQL, SQLite's rowid.
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sweep_items",
        sa.Column("id", Id, primary_key=True),
        sa.Column("night", sa.String(10), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=False),
        sa.Column("first_domain", sa.String(253), nullable=False),
        sa.Column("last_domain", sa.String(253), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("night", "batch", name="uq_sweep_item_night_batch"),
    )
    op.create_index("ix_sweep_items_night_state", "sweep_items", ["night", "state"])
    op.create_table(
        "channel_posts",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("channel_id", sa.String(32), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_post_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "rate_buckets",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("stamp", sa.Float(), nullable=False),
    )
    op.create_index("ix_rate_buckets_stamp", "rate_buckets", ["stamp"])
    op.add_column("sweeps", sa.Column("run", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("sweeps", sa.Column("ca_probes", sa.Integer(), nullable=False, server_default="0"))
    # A batch copy on SQLite (a unique constraint cannot be altered in place);
    # nothing refers to the outbox, so the copy cascades nowhere.
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("run", sa.Integer(), nullable=False, server_default="0"))
        batch.drop_constraint("uq_outbox_night_subscription", type_="unique")
        batch.create_unique_constraint("uq_outbox_night_run_subscription", ["night", "run", "subscription_id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("uq_outbox_night_run_subscription", type_="unique")
        batch.create_unique_constraint("uq_outbox_night_subscription", ["night", "subscription_id"])
        batch.drop_column("run")
    op.drop_column("sweeps", "ca_probes")
    op.drop_column("sweeps", "run")
    op.drop_index("ix_rate_buckets_stamp", table_name="rate_buckets")
    op.drop_table("rate_buckets")
    op.drop_table("channel_posts")
    op.drop_index("ix_sweep_items_night_state", table_name="sweep_items")
    op.drop_table("sweep_items")
