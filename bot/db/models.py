"""Every table certcheck keeps, on one `Base`.

Alembic's autogenerate compares the migrations in `migrations/` against this
metadata, so a table missing here would be written as `drop_table` by the
next migration: every model lives in this one module.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Outbox message states: pending -> sending -> sent, or failed.
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


class Base(DeclarativeBase):
    pass


# A 64-bit id that grows from a sequence: BIGINT on PostgreSQL; on SQLite the
# INTEGER PRIMARY KEY, which is the (64-bit) rowid and autoincrements.
Id = BigInteger().with_variant(Integer(), "sqlite")


# Subscriptions and channel settings ----------------------------------------


class Subscription(Base):
    """A channel watches a domain: the nightly dry run reports to it."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("team_id", "channel_id", "domain", name="uq_subscription"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    # The A-label, as `normalise_domain` returns it; indexed for the sweep's subscriber look-up.
    domain: Mapped[str] = mapped_column(String(253), index=True)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The subscriber's language and time zone from their Slack profile
    # (users.info `locale` as en/ja, and `tz`), which alerts follow when the
    # channel chose no language; None when Slack did not say.
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)
    tz: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # How this domain renews, as the subscriber said it (`subscribe example.com
    # dns-01`, `root`): None means certcheck decides (`--challenge auto`, the
    # host recognised by its signals), as `certcheck check` does.
    challenge: Mapped[str | None] = mapped_column(String(12), nullable=True)
    host_validates_root: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class ChannelSetting(Base):
    __tablename__ = "channel_settings"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SeenRequest(Base):
    """A signed Slack request already answered, by its signature, for as long
    as Slack's 5-minute window lets it be replayed: shared by every web
    process, so a replay sent to another process is refused too."""

    __tablename__ = "slack_seen_requests"

    signature: Mapped[str] = mapped_column(String(80), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


# The nightly sweep ---------------------------------------------------------


class Sweep(Base):
    """One row per night, claimed by one process."""

    __tablename__ = "sweeps"

    night: Mapped[str] = mapped_column(String(10), primary_key=True)  # local date, YYYY-MM-DD
    owner: Mapped[str] = mapped_column(String(200))  # host:pid:random of the process sweeping (process_owner)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    domains: Mapped[int] = mapped_column(Integer, default=0)
    # How many times the night was swept again with `nightly --force` (0: never); the outbox's `run`.
    run: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # CA probes spent tonight, by every worker together (CERTCHECK_CA_PROBE_PER_NIGHT is the cap).
    ca_probes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


# Work item states: pending -> leased -> done (a lost lease goes back to pending).
LEASED, DONE = "leased", "done"


class SweepItem(Base):
    """A batch of one night's domains (a keyset range), claimed by one worker at a time."""

    __tablename__ = "sweep_items"
    __table_args__ = (
        UniqueConstraint("night", "batch", name="uq_sweep_item_night_batch"),
        Index("ix_sweep_items_night_state", "night", "state"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    night: Mapped[str] = mapped_column(String(10))
    batch: Mapped[int] = mapped_column(Integer)
    first_domain: Mapped[str] = mapped_column(String(253))  # inclusive
    last_domain: Mapped[str] = mapped_column(String(253))  # inclusive
    state: Mapped[str] = mapped_column(String(10), default=PENDING)
    owner: Mapped[str | None] = mapped_column(String(200), nullable=True)  # process_owner of the lease holder
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CheckHistory(Base):
    """One result per domain and night; also the resume point of a killed sweep."""

    __tablename__ = "check_history"
    __table_args__ = (UniqueConstraint("night", "domain", name="uq_history_night_domain"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    night: Mapped[str] = mapped_column(String(10))
    domain: Mapped[str] = mapped_column(String(253), index=True)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    verdict: Mapped[str] = mapped_column(String(10))
    renewable: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    findings: Mapped[str] = mapped_column(Text)  # JSON list of {code, severity}
    cert_not_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The served certificate's RFC 9773 ID: a change between nights dates a replacement (migration 0005).
    cert_id: Mapped[str | None] = mapped_column(String(200), nullable=True)


class AlertState(Base):
    """What a subscription has been told (the policy's state), its snooze, its pause."""

    __tablename__ = "alert_states"

    # Keyed by the subscription row: a new subscription starts with nothing told.
    subscription_id: Mapped[int] = mapped_column(
        Id, ForeignKey("subscriptions.id", ondelete="CASCADE"), primary_key=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    severity: Mapped[int] = mapped_column(Integer, default=0)
    codes: Mapped[str] = mapped_column(Text, default="[]")
    days_left: Mapped[int | None] = mapped_column(Integer, nullable=True)
    told_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    snoozed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    paused_reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    paused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class OutboxMessage(Base):
    """A message to post, written with the state that caused it, marked sent after."""

    __tablename__ = "outbox"
    # One message per subscription a night, and per forced rerun of it (`sweeps.run`).
    __table_args__ = (UniqueConstraint("night", "run", "subscription_id", name="uq_outbox_night_run_subscription"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    night: Mapped[str] = mapped_column(String(10))
    run: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    subscription_id: Mapped[int] = mapped_column(Id)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32), index=True)
    domain: Mapped[str] = mapped_column(String(253))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    blocks: Mapped[str] = mapped_column(Text)  # JSON
    state: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # the prune's key
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ts: Mapped[str | None] = mapped_column(String(32), nullable=True)  # Slack's id of the posted message
    error: Mapped[str | None] = mapped_column(String(200), nullable=True)


class ChannelPost(Base):
    """Who delivers to a channel now (one process at a time), and when it may next be posted to.

    Slack asks for at most one message a second per channel; kept here, the
    pace holds however many processes deliver."""

    __tablename__ = "channel_posts"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    next_post_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class RateBucket(Base):
    """A token bucket shared by every web process (bot/db/limits.py): a user's or a channel's checks."""

    __tablename__ = "rate_buckets"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    stamp: Mapped[float] = mapped_column(Float, index=True)  # Unix time of the last refill


# The CA probe --------------------------------------------------------------


class AcmeAccount(Base):
    """The installation's one ACME account per directory; the key is a secret."""

    __tablename__ = "acme_accounts"

    directory_url: Mapped[str] = mapped_column(String(500), primary_key=True)
    key_pem: Mapped[str] = mapped_column(Text)
    account_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaProbeAnswer(Base):
    __tablename__ = "ca_probe_answers"

    directory_url: Mapped[str] = mapped_column(String(500), primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), primary_key=True)
    probed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answer_json: Mapped[str] = mapped_column(Text)


# The CA's schedule (migration 0005) ------------------------------------------


class AriAnswerRow(Base):
    """The CA's last renewalInfo answer per certificate (`checks.ari.AriAnswer.to_json`)."""

    __tablename__ = "ari_answers"

    cert_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retry_after: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answer_json: Mapped[str] = mapped_column(Text)


class CtAnswerRow(Base):
    """The certificates CT logs list for a name (`checks.ct.CtAnswer.to_json`)."""

    __tablename__ = "ct_answers"

    name: Mapped[str] = mapped_column(String(253), primary_key=True)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answer_json: Mapped[str] = mapped_column(Text)


# Workspaces installed over OAuth -----------------------------------------
#
# The tables of slack_sdk's SQLAlchemyInstallationStore and
# SQLAlchemyOAuthStateStore (slack_sdk/oauth/installation_store/sqlalchemy,
# `build_bots_table`, `build_installations_table`; state_store/sqlalchemy,
# `build_oauth_states_table`), declared here rather than created by their
# `create_tables()`: Alembic creates them (migration 0006) and compares them
# with these models like every other table. Same names, columns, naive UTC
# times and indexes, except that the token columns are Text, not
# String(200): they hold Fernet ciphertext (bot/slack/token_store.py), which
# is over 200 characters for a rotating token, and PostgreSQL enforces the
# length.


class _InstalledBot:
    """The columns slack_sdk's bots and installations tables share."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(32))
    app_id: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    enterprise_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    team_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    team_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    bot_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    bot_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    bot_user_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    bot_scopes: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    bot_refresh_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    installed_at: Mapped[datetime] = mapped_column(DateTime)


class SlackBot(_InstalledBot, Base):
    """The newest bot token per workspace (the store's `find_bot`)."""

    __tablename__ = "slack_bots"
    __table_args__ = (Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),)


class SlackInstallation(_InstalledBot, Base):
    """One row per installation (the store's `find_installation`): the bot's columns and the installer's."""

    __tablename__ = "slack_installations"
    __table_args__ = (
        Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
    )

    enterprise_url: Mapped[str | None] = mapped_column(String(200), nullable=True)
    user_id: Mapped[str] = mapped_column(String(32))
    user_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    user_scopes: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    user_refresh_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    user_token_expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    incoming_webhook_url: Mapped[str | None] = mapped_column(String(200), nullable=True)
    incoming_webhook_channel: Mapped[str | None] = mapped_column(String(200), nullable=True)
    incoming_webhook_channel_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    incoming_webhook_configuration_url: Mapped[str | None] = mapped_column(String(200), nullable=True)
    token_type: Mapped[str | None] = mapped_column(String(32), nullable=True)


class SlackOAuthState(Base):
    """An install in progress: the `state` given to the browser, consumed once."""

    __tablename__ = "slack_oauth_states"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    state: Mapped[str] = mapped_column(String(200))
    expire_at: Mapped[datetime] = mapped_column(DateTime)


class TokenLease(Base):
    """A workspace's token being rotated, and by whom: a refresh token works once,
    so one process at a time may spend it (bot/slack/tokens.py)."""

    __tablename__ = "token_leases"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200))
    until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
