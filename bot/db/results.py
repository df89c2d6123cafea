"""Each domain's night: its result, its subscribers' states and the messages due, in one transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, distinct, func, select
from sqlalchemy.orm import sessionmaker

from ..nightly.policy import State
from ..renewal import Renewal
from .alerts import load_state, save_state
from .items import Hold, SweepItems
from .models import FAILED, PENDING, SENT, AlertState, CheckHistory, OutboxMessage, Subscription
from .retry import retried
from .subscriptions import renewal_of


@dataclass(frozen=True)
class Subscriber:
    subscription_id: int
    team_id: str
    channel_id: str
    state: State | None
    paused_reason: str | None
    renewal: Renewal = Renewal()  # how this subscription says the domain renews


@dataclass(frozen=True)
class Planned:
    """A message the sweep decided to send, with the state that goes with it."""

    subscriber: Subscriber
    kind: str
    text: str
    blocks: list[dict[str, Any]]


class Results:
    """What the sweep reads and writes per domain: subscribers, history, the night's record."""

    def __init__(self, engine: Engine, items: SweepItems | None = None) -> None:
        self._session = sessionmaker(engine, expire_on_commit=False)
        self._items = items or SweepItems(engine)

    def domain_count(self) -> int:
        """How many distinct domains a sweep has to check."""
        with self._session() as session:
            return session.scalar(select(func.count(distinct(Subscription.domain)))) or 0

    @retried
    def checked(self, night: str, domain: str) -> bool:
        with self._session() as session:
            return (
                session.scalar(
                    select(CheckHistory.id).where(CheckHistory.night == night, CheckHistory.domain == domain)
                )
                is not None
            )

    @retried
    def subscribers(self, domain: str) -> list[Subscriber]:
        with self._session() as session:
            rows = session.execute(
                select(Subscription, AlertState)
                .join(AlertState, AlertState.subscription_id == Subscription.id, isouter=True)
                .where(Subscription.domain == domain)
                .order_by(Subscription.id)
            )
            return [
                Subscriber(
                    sub.id,
                    sub.team_id,
                    sub.channel_id,
                    load_state(alert),
                    alert.paused_reason if alert else None,
                    renewal_of(sub),
                )
                for sub, alert in rows
            ]

    @retried
    def history(self, domain: str, nights: int) -> list[str]:
        """The newest `nights` verdicts for `domain`, newest first."""
        with self._session() as session:
            return list(
                session.scalars(
                    select(CheckHistory.verdict)
                    .where(CheckHistory.domain == domain)
                    .order_by(CheckHistory.night.desc())
                    .limit(nights)
                )
            )

    # One domain's night, in one transaction ---------------------------------

    @retried
    def record(
        self,
        night: str,
        domain: str,
        now: datetime,
        result: dict[str, Any],
        states: dict[int, State],
        messages: list[Planned],
        *,
        run: int = 0,
        hold: Hold | None = None,
    ) -> None:
        """Store tonight's result, the new alert states and the messages to send, atomically.

        With `hold`, only while the work item is still this worker's
        (`LeaseLost` otherwise, nothing stored), and the item is marked done
        with it when this is its last domain. A transient fault is retried
        (the whole transaction); a refusal is raised, for example a foreign
        key violation when a subscription was deleted since `subscribers()` read it.
        """
        with self._session() as session:
            session.add(
                CheckHistory(
                    night=night,
                    domain=domain,
                    checked_at=now,
                    verdict=result["verdict"],
                    renewable=result["renewable"],
                    findings=json.dumps(result["findings"]),
                    cert_not_after=result.get("cert_not_after"),
                    cert_id=result.get("cert_id"),
                )
            )
            for subscription_id, state in states.items():
                save_state(session, subscription_id, state)
            for planned in messages:
                sub = planned.subscriber
                session.add(
                    OutboxMessage(
                        night=night,
                        run=run,
                        subscription_id=sub.subscription_id,
                        team_id=sub.team_id,
                        channel_id=sub.channel_id,
                        domain=domain,
                        kind=planned.kind,
                        text=planned.text,
                        blocks=json.dumps(planned.blocks, ensure_ascii=False),
                        state=PENDING,
                        created_at=now,
                    )
                )
            if hold is not None:
                # Last, in the same transaction: nothing above is kept unless the item is still ours.
                self._items.hold(session, hold)
            session.commit()

    # Housekeeping ------------------------------------------------------------

    def prune(self, before: datetime) -> None:
        """Drop history and sent messages older than `before`.

        Both deletes are range scans of an index (`checked_at`, `created_at`).
        Alert states need no sweeping: the database deletes a subscription's
        state with it (ON DELETE CASCADE, enforced on SQLite too, see engine.py).
        """
        with self._session() as session:
            session.execute(delete(CheckHistory).where(CheckHistory.checked_at < before))
            session.execute(
                delete(OutboxMessage).where(OutboxMessage.created_at < before, OutboxMessage.state.in_((SENT, FAILED)))
            )
            session.commit()
