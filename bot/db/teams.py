"""A workspace as a whole: which one its installation belongs to, who may rotate
its token right now, and forgetting everything of it when it uninstalls."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, desc, insert, select, update
from sqlalchemy.exc import IntegrityError

from .models import AlertState, ChannelSetting, OutboxMessage, SlackBot, SlackInstallation, Subscription, TokenLease


class Teams:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def enterprise_of(self, team: str) -> str | None:
        """The Enterprise Grid org of an installed workspace (None outside Grid or when not installed).

        slack_sdk's store looks installations up by (enterprise_id, team_id);
        our rows know only the team."""
        query = (
            select(SlackBot.enterprise_id)
            .where(SlackBot.team_id == team)
            .order_by(desc(SlackBot.installed_at))
            .limit(1)
        )
        with self._engine.connect() as connection:
            return connection.execute(query).scalar()

    def installed(self) -> list[str]:
        """Every workspace with a bot token stored."""
        query = select(SlackBot.team_id).where(SlackBot.team_id.is_not(None)).distinct()
        with self._engine.connect() as connection:
            return sorted(str(team) for team in connection.execute(query).scalars())

    def take_lease(self, team: str, owner: str, now: datetime, ttl: timedelta) -> bool:
        """True when `owner` may rotate `team`'s token until now + ttl.

        A row per team being rotated: the insert wins when nobody holds it; a
        holder that outlived its lease (killed mid-rotation) is taken over.
        Each attempt is its own transaction: after a failed insert,
        PostgreSQL accepts nothing more in that one."""
        try:
            with self._engine.begin() as connection:
                connection.execute(insert(TokenLease).values(team_id=team, owner=owner, until=now + ttl))
            return True
        except IntegrityError:
            pass
        with self._engine.begin() as connection:
            taken = connection.execute(
                update(TokenLease)
                .where(TokenLease.team_id == team, TokenLease.until < now)
                .values(owner=owner, until=now + ttl)
            )
            return bool(taken.rowcount)

    def release_lease(self, team: str, owner: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(delete(TokenLease).where(TokenLease.team_id == team, TokenLease.owner == owner))

    def forget(self, team: str) -> int:
        """Delete every row certcheck keeps for `team`: subscriptions and what they
        were told, channel settings, unsent and sent messages, its installation
        and its lease. Returns the number of subscriptions there were."""
        with self._engine.begin() as connection:
            ids = select(Subscription.id).where(Subscription.team_id == team)
            connection.execute(delete(AlertState).where(AlertState.subscription_id.in_(ids)))
            gone = connection.execute(delete(Subscription).where(Subscription.team_id == team)).rowcount
            connection.execute(delete(ChannelSetting).where(ChannelSetting.team_id == team))
            connection.execute(delete(OutboxMessage).where(OutboxMessage.team_id == team))
            connection.execute(delete(SlackInstallation).where(SlackInstallation.team_id == team))
            connection.execute(delete(SlackBot).where(SlackBot.team_id == team))
            connection.execute(delete(TokenLease).where(TokenLease.team_id == team))
            return int(gone or 0)
