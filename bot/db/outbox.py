"""The outbox: every nightly message, recorded before it is sent and marked after.

Several processes may deliver one outbox. Two fences keep each message to
one post: a channel is delivered by one process at a time (`take_channel`,
a lease in `channel_posts`, which also carries the channel's pace), and a
message moves to "sending" only from the state its deliverer read (`take`,
a conditional UPDATE), so two processes never both post it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from ..nightly.policy import State
from .alerts import save_pause, save_state
from .engine import utc
from .items import wall_clock
from .models import FAILED, PENDING, SENDING, SENT, AlertState, ChannelPost, OutboxMessage
from .owners import alive
from .retry import retried


@dataclass(frozen=True)
class Outgoing:
    """A message to send: one outbox row, detached from its session."""

    id: int
    team_id: str
    channel_id: str
    domain: str
    kind: str
    text: str
    blocks: list[dict[str, Any]]
    state: str
    created_at: datetime
    # While "sending": the wall-clock time of the attempt (kept in sent_at),
    # which bounds the search of the channel's history after a crash.
    sending_at: datetime | None = None


class Outbox:
    """Messages waiting, being sent, sent or failed."""

    def __init__(self, engine: Engine, *, lease: timedelta = timedelta(minutes=5)) -> None:
        self.lease = lease
        self._session = sessionmaker(engine, expire_on_commit=False)

    def waiting_channels(self) -> list[tuple[str, str]]:
        """Every (team, channel) with a message not yet known to be sent."""
        with self._session() as session:
            rows = session.execute(
                select(OutboxMessage.team_id, OutboxMessage.channel_id)
                .where(OutboxMessage.state.in_((PENDING, SENDING)))
                .distinct()
                .order_by(OutboxMessage.team_id, OutboxMessage.channel_id)
            )
            return [(team, channel) for team, channel in rows]

    def unsent(self, team_id: str | None = None, channel_id: str | None = None) -> list[Outgoing]:
        """Every message not yet known to be sent (in one channel, if named), oldest first."""
        query = select(OutboxMessage).where(OutboxMessage.state.in_((PENDING, SENDING)))
        if team_id is not None:
            query = query.where(OutboxMessage.team_id == team_id, OutboxMessage.channel_id == channel_id)
        with self._session() as session:
            rows = session.scalars(query.order_by(OutboxMessage.id))
            return [
                Outgoing(
                    r.id,
                    r.team_id,
                    r.channel_id,
                    r.domain,
                    r.kind,
                    r.text,
                    json.loads(r.blocks),
                    r.state,
                    utc(r.created_at),
                    utc(r.sent_at) if r.state == SENDING else None,
                )
                for r in rows
            ]

    @retried
    def take(self, message_id: int, state: str, now: datetime) -> bool:
        """Move a message to "sending" (at `now`) from `state`, as its deliverer last saw it; False: another has it.

        From "pending" this happens once however many processes try; a
        message already "sending" (an interrupted send) is retried only by
        the channel's one deliverer (`take_channel`)."""
        with self._session() as session:
            taken = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.state == state)
                .values(state=SENDING, sent_at=now, error=None)
            )
            session.commit()
            return bool(taken.rowcount == 1)  # type: ignore[attr-defined]

    # One deliverer per channel ---------------------------------------------------

    @retried
    def take_channel(self, team_id: str, channel_id: str, owner: str) -> datetime | bool:
        """Deliver to the channel as `owner`: False if another live process does now;
        else True, or the time before which the channel must not be posted to."""
        now = wall_clock()
        with self._session() as session:
            free = or_(ChannelPost.owner.is_(None), ChannelPost.owner == owner, ChannelPost.lease_until < now)
            taken = session.execute(
                update(ChannelPost)
                .where(ChannelPost.team_id == team_id, ChannelPost.channel_id == channel_id, free)
                .values(owner=owner, lease_until=now + self.lease)
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                session.rollback()
                held = session.get(ChannelPost, (team_id, channel_id))
                if held is not None:
                    holder = held.owner or ""
                    if alive(holder, utc(held.lease_until), now):
                        return False
                    # Its deliverer died (a process of this host that no longer runs): take over.
                    stolen = session.execute(
                        update(ChannelPost)
                        .where(ChannelPost.team_id == team_id, ChannelPost.channel_id == channel_id)
                        .where(ChannelPost.owner == holder)
                        .values(owner=owner, lease_until=now + self.lease)
                    )
                    session.commit()
                    if stolen.rowcount != 1:  # type: ignore[attr-defined]
                        return False
                    return utc(held.next_post_at) if held.next_post_at is not None else True
                session.add(
                    ChannelPost(team_id=team_id, channel_id=channel_id, owner=owner, lease_until=now + self.lease)
                )
                try:
                    session.commit()
                except IntegrityError:
                    return False  # another process created it first: it delivers
                return True
            row = session.get(ChannelPost, (team_id, channel_id))
            session.commit()
            return utc(row.next_post_at) if row is not None and row.next_post_at is not None else True

    @retried
    def posted(self, team_id: str, channel_id: str, owner: str, next_post_at: datetime) -> None:
        """A post went to the channel: the next one waits until `next_post_at`; the lease is renewed."""
        with self._session() as session:
            session.execute(
                update(ChannelPost)
                .where(ChannelPost.team_id == team_id, ChannelPost.channel_id == channel_id, ChannelPost.owner == owner)
                .values(next_post_at=next_post_at, lease_until=wall_clock() + self.lease)
            )
            session.commit()

    @retried
    def release_channel(self, team_id: str, channel_id: str, owner: str) -> None:
        with self._session() as session:
            session.execute(
                update(ChannelPost)
                .where(ChannelPost.team_id == team_id, ChannelPost.channel_id == channel_id, ChannelPost.owner == owner)
                .values(owner=None, lease_until=None)
            )
            session.commit()

    @retried
    def renew_channels(self, owner: str) -> None:
        """The leases of every channel `owner` is delivering to, extended (the worker's heartbeat)."""
        with self._session() as session:
            session.execute(
                update(ChannelPost).where(ChannelPost.owner == owner).values(lease_until=wall_clock() + self.lease)
            )
            session.commit()

    def mark(
        self, message_id: int, state: str, now: datetime, *, ts: str | None = None, error: str | None = None
    ) -> None:
        with self._session() as session:
            values: dict[str, Any] = {"state": state, "error": error}
            if state == SENT:
                values.update(sent_at=now, ts=ts)
            elif state == SENDING:
                values.update(sent_at=now)
            session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))
            session.commit()

    def fail(self, message: Outgoing, error: str, now: datetime, *, pause: bool) -> None:
        """The message will not be delivered: the channel was told nothing.

        Its subscription's alert state goes back to "nothing told", so the
        problem is announced once delivery works again. `pause` also stops
        delivery to the subscription (the channel is gone or closed to us).
        """
        with self._session() as session:
            row = session.get(OutboxMessage, message.id)
            if row is not None:
                row.state, row.error = FAILED, error[:200]
                alert = session.get(AlertState, row.subscription_id)
                if alert is not None:
                    save_state(session, row.subscription_id, State(snoozed_until=utc(alert.snoozed_until)))
                if pause:
                    save_pause(session, row.subscription_id, error, now)
            session.commit()
