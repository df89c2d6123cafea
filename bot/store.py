"""What the bot remembers: channel subscriptions and channel settings.

SQLAlchemy 2.0 models and one `Store` class; the schema itself is owned by the
Alembic migrations in `migrations/`, applied by `upgrade()` (`certcheck db
upgrade`). The default database is a SQLite file in the working directory.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (
    DateTime,
    Engine,
    Integer,
    String,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from .settings import database_url

# The repository root holds alembic.ini and migrations/ beside the packages.
_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = _ROOT / "migrations"


class Base(DeclarativeBase):
    pass


class Subscription(Base):
    """A channel watches a domain: the nightly dry run reports to it."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("team_id", "channel_id", "domain", name="uq_subscription"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    # The A-label, as `normalise_domain` returns it.
    domain: Mapped[str] = mapped_column(String(253))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChannelSetting(Base):
    __tablename__ = "channel_settings"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SubscribeOutcome(enum.Enum):
    CREATED = "created"
    ALREADY = "already"
    LIMIT = "limit"


@dataclass(frozen=True)
class SubscriptionRow:
    """A subscription detached from its session, safe to hand to other threads."""

    team_id: str
    channel_id: str
    domain: str
    created_by: str
    created_at: datetime


class Store:
    def __init__(self, url: str | None = None, *, max_subscriptions: int = 50) -> None:
        self.url = url or database_url()
        self.engine = make_engine(self.url)
        self.max_subscriptions = max_subscriptions
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    # Subscriptions ------------------------------------------------------

    def subscribe(self, team: str, channel: str, domain: str, user: str) -> SubscribeOutcome:
        with self._session() as session:
            if self._find(session, team, channel, domain) is not None:
                return SubscribeOutcome.ALREADY
            if self._count(session, team, channel) >= self.max_subscriptions:
                return SubscribeOutcome.LIMIT
            session.add(
                Subscription(
                    team_id=team,
                    channel_id=channel,
                    domain=domain,
                    created_by=user,
                    created_at=_now(),
                )
            )
            try:
                session.commit()
            except IntegrityError:
                # Two people subscribed the same domain at the same moment.
                return SubscribeOutcome.ALREADY
        return SubscribeOutcome.CREATED

    def unsubscribe(self, team: str, channel: str, domain: str) -> bool:
        with self._session() as session:
            result = session.execute(
                delete(Subscription).where(
                    Subscription.team_id == team,
                    Subscription.channel_id == channel,
                    Subscription.domain == domain,
                )
            )
            session.commit()
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def is_subscribed(self, team: str, channel: str, domain: str) -> bool:
        with self._session() as session:
            return self._find(session, team, channel, domain) is not None

    def subscriptions(self, team: str, channel: str) -> list[SubscriptionRow]:
        """One channel's subscriptions, by domain."""
        with self._session() as session:
            rows = session.scalars(
                select(Subscription)
                .where(Subscription.team_id == team, Subscription.channel_id == channel)
                .order_by(Subscription.domain)
            )
            return [_row(s) for s in rows]

    # Channel settings ---------------------------------------------------

    def channel_lang(self, team: str, channel: str) -> str | None:
        with self._session() as session:
            setting = session.get(ChannelSetting, (team, channel))
            return setting.lang if setting else None

    def set_channel_lang(self, team: str, channel: str, lang: str) -> None:
        with self._session() as session:
            setting = session.get(ChannelSetting, (team, channel))
            if setting is None:
                session.add(ChannelSetting(team_id=team, channel_id=channel, lang=lang, updated_at=_now()))
            else:
                setting.lang = lang
                setting.updated_at = _now()
            session.commit()

    # --------------------------------------------------------------------

    @staticmethod
    def _find(session: Session, team: str, channel: str, domain: str) -> Subscription | None:
        return session.scalars(
            select(Subscription).where(
                Subscription.team_id == team,
                Subscription.channel_id == channel,
                Subscription.domain == domain,
            )
        ).first()

    @staticmethod
    def _count(session: Session, team: str, channel: str) -> int:
        return session.scalar(
            select(func.count())
            .select_from(Subscription)
            .where(Subscription.team_id == team, Subscription.channel_id == channel)
        ) or 0


def make_engine(url: str) -> Engine:
    """An engine; for SQLite, WAL and a busy timeout on every connection.

    WAL lets the nightly sweep read while the web process writes; the busy
    timeout makes a writer wait for the lock instead of failing at once.
    """
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL syncs at checkpoints rather than at every commit: a
    # killed process loses nothing committed; only a power cut may lose the
    # last commits (an alert might then be sent again, never lost).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def alembic_config(url: str | None = None) -> Any:
    """Alembic's config for our migrations, independent of the working directory."""
    from alembic.config import Config

    config = Config(str(_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["embedded"] = True
    # `%` is ConfigParser interpolation; URLs with encoded passwords contain it.
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Apply the migrations up to `revision` (`certcheck db upgrade`)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


def schema_is_current(engine: Engine) -> bool:
    """True when the database is at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == set(script.get_heads())


def _row(s: Subscription) -> SubscriptionRow:
    created = s.created_at
    # SQLite keeps no zone; everything we write is UTC.
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    return SubscriptionRow(s.team_id, s.channel_id, s.domain, s.created_by, created)


def _now() -> datetime:
    return datetime.now(timezone.utc)
