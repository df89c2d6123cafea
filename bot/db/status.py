"""Each subscription with its domain's last result: what `/certcheck list` and the App Home show.

One query however many subscriptions: the newest night of `check_history`
per domain, joined to the subscriptions and their alert state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import sessionmaker

from ..renewal import Renewal
from .engine import utc
from .models import AlertState, CheckHistory, Subscription
from .subscriptions import renewal_of


@dataclass(frozen=True)
class Status:
    """A subscription and the last nightly result of its domain (None: not checked yet)."""

    channel_id: str
    domain: str
    created_by: str
    created_at: datetime
    verdict: str | None
    checked_at: datetime | None
    not_after: datetime | None
    paused_reason: str | None
    snoozed_until: datetime | None
    renewal: Renewal = Renewal()


class Statuses:
    def __init__(self, engine: Engine) -> None:
        self._session = sessionmaker(engine, expire_on_commit=False)

    def for_team(self, team: str, channel: str | None = None) -> list[Status]:
        """Every subscription of the team (or of one channel), unordered."""
        where = [Subscription.team_id == team]
        if channel is not None:
            where.append(Subscription.channel_id == channel)
        domains = select(Subscription.domain).where(*where)
        newest = (
            select(CheckHistory.domain, func.max(CheckHistory.night).label("night"))
            .where(CheckHistory.domain.in_(domains))
            .group_by(CheckHistory.domain)
            .subquery()
        )
        query = (
            select(Subscription, CheckHistory, AlertState)
            .join(newest, newest.c.domain == Subscription.domain, isouter=True)
            .join(
                CheckHistory,
                and_(CheckHistory.domain == newest.c.domain, CheckHistory.night == newest.c.night),
                isouter=True,
            )
            .join(AlertState, AlertState.subscription_id == Subscription.id, isouter=True)
            .where(*where)
        )
        with self._session() as session:
            return [
                Status(
                    channel_id=sub.channel_id,
                    domain=sub.domain,
                    created_by=sub.created_by,
                    created_at=utc(sub.created_at),
                    verdict=history.verdict if history else None,
                    checked_at=utc(history.checked_at) if history else None,
                    not_after=utc(history.cert_not_after) if history else None,
                    paused_reason=alert.paused_reason if alert else None,
                    snoozed_until=utc(alert.snoozed_until) if alert else None,
                    renewal=renewal_of(sub),
                )
                for sub, history, alert in session.execute(query)
            ]
