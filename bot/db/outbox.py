"""The outbox: every nightly message, recorded before it is sent and marked after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import sessionmaker

from ..nightly.policy import State
from .alerts import save_pause, save_state
from .engine import utc
from .models import FAILED, PENDING, SENDING, SENT, AlertState, OutboxMessage


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

    def __init__(self, engine: Engine) -> None:
        self._session = sessionmaker(engine, expire_on_commit=False)

    def unsent(self) -> list[Outgoing]:
        """Every message not yet known to be sent, oldest first."""
        with self._session() as session:
            rows = session.scalars(
                select(OutboxMessage).where(OutboxMessage.state.in_((PENDING, SENDING))).order_by(OutboxMessage.id)
            )
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
