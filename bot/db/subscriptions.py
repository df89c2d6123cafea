"""Channel subscriptions and channel settings."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..renewal import Renewal, RenewalChange
from .audience import Audience, channel_audience
from .engine import now, utc
from .models import ChannelSetting, Subscription


class SubscribeOutcome(enum.Enum):
    CREATED = "created"
    ALREADY = "already"
    UPDATED = "updated"  # already subscribed; the renewal settings changed
    LIMIT = "limit"


@dataclass(frozen=True)
class SubscriptionRow:
    """A subscription detached from its session, safe to hand to other threads."""

    team_id: str
    channel_id: str
    domain: str
    created_by: str
    created_at: datetime
    lang: str | None = None  # the subscriber's, when Slack said
    renewal: Renewal = Renewal()


class Subscriptions:
    """Which channel watches which domain, and each channel's language."""

    def __init__(self, engine: Engine, *, max_subscriptions: int = 50) -> None:
        self.max_subscriptions = max_subscriptions
        self._session = sessionmaker(engine, expire_on_commit=False)

    def subscribe(
        self,
        team: str,
        channel: str,
        domain: str,
        user: str,
        *,
        lang: str | None = None,
        tz: str | None = None,
        change: RenewalChange = RenewalChange(),
    ) -> SubscribeOutcome:
        """`lang` and `tz`: the subscriber's, from their Slack profile, if known.
        `change`: the renewal settings the command named; an existing subscription keeps the others."""
        with self._session() as session:
            existing = self._find(session, team, channel, domain)
            if existing is not None:
                before = renewal_of(existing)
                after = change.applied(before)
                if after == before:
                    return SubscribeOutcome.ALREADY
                existing.challenge, existing.host_validates_root = after.challenge, after.host_validates_root
                session.commit()
                return SubscribeOutcome.UPDATED
            if self._count(session, team, channel) >= self.max_subscriptions:
                return SubscribeOutcome.LIMIT
            renewal = change.applied(Renewal())
            row = Subscription(
                team_id=team,
                channel_id=channel,
                domain=domain,
                created_by=user,
                created_at=now(),
                lang=lang,
                tz=tz,
                challenge=renewal.challenge,
                host_validates_root=renewal.host_validates_root,
            )
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                # Two people subscribed the same domain at the same moment.
                return SubscribeOutcome.ALREADY
            # Subscriptions made at the same moment all passed the count above;
            # the ones made after the limit was reached (higher ids) go again.
            if self._count(session, team, channel, up_to=row.id) > self.max_subscriptions:
                session.delete(row)
                session.commit()
                return SubscribeOutcome.LIMIT
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

    def renewal(self, team: str, channel: str, domain: str) -> Renewal | None:
        """How the channel's subscription says the domain renews; None: the channel does not watch it."""
        with self._session() as session:
            found = self._find(session, team, channel, domain)
            return renewal_of(found) if found is not None else None

    def for_channel(self, team: str, channel: str) -> list[SubscriptionRow]:
        """One channel's subscriptions, by domain."""
        with self._session() as session:
            rows = session.scalars(
                select(Subscription)
                .where(Subscription.team_id == team, Subscription.channel_id == channel)
                .order_by(Subscription.domain)
            )
            return [_row(s) for s in rows]

    # Channel settings ---------------------------------------------------

    def audience(self, team: str, channel: str) -> Audience:
        """The language and time zone a channel's alerts are written in (None: not known)."""
        with self._session() as session:
            return channel_audience(session, team, channel)

    def channel_lang(self, team: str, channel: str) -> str | None:
        with self._session() as session:
            setting = session.get(ChannelSetting, (team, channel))
            return setting.lang if setting else None

    def set_channel_lang(self, team: str, channel: str, lang: str) -> None:
        with self._session() as session:
            setting = session.get(ChannelSetting, (team, channel))
            if setting is None:
                session.add(ChannelSetting(team_id=team, channel_id=channel, lang=lang, updated_at=now()))
            else:
                setting.lang = lang
                setting.updated_at = now()
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
    def _count(session: Session, team: str, channel: str, *, up_to: int | None = None) -> int:
        """The channel's subscriptions (those with an id up to `up_to`, if given)."""
        where = [Subscription.team_id == team, Subscription.channel_id == channel]
        if up_to is not None:
            where.append(Subscription.id <= up_to)
        return session.scalar(select(func.count()).select_from(Subscription).where(*where)) or 0


def renewal_of(s: Subscription) -> Renewal:
    return Renewal(s.challenge, s.host_validates_root)


def _row(s: Subscription) -> SubscriptionRow:
    return SubscriptionRow(s.team_id, s.channel_id, s.domain, s.created_by, utc(s.created_at), s.lang, renewal_of(s))
