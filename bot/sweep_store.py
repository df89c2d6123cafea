"""What the nightly dry run remembers: nights, results, alert state, the outbox.

- `sweeps`: one row per night, claimed by one process, so a night is swept
  once however many processes run the schedule.
- `check_history`: one result per domain and night; also the resume point
  of a sweep that was killed.
- `alert_states`: what each subscription has been told (the policy's state),
  its snooze, and why delivery to it is paused.
- `outbox`: every message is recorded, in the same transaction as the state
  that caused it, before it is sent, and marked sent after.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    distinct,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from .policy import State
from .store import Base, Subscription

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


class Sweep(Base):
    __tablename__ = "sweeps"

    night: Mapped[str] = mapped_column(String(10), primary_key=True)  # local date, YYYY-MM-DD
    owner: Mapped[str] = mapped_column(String(200))  # host:pid of the process sweeping
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    domains: Mapped[int] = mapped_column(Integer, default=0)


class CheckHistory(Base):
    __tablename__ = "check_history"
    __table_args__ = (UniqueConstraint("night", "domain", name="uq_history_night_domain"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    night: Mapped[str] = mapped_column(String(10))
    domain: Mapped[str] = mapped_column(String(253), index=True)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    verdict: Mapped[str] = mapped_column(String(10))
    renewable: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    findings: Mapped[str] = mapped_column(Text)  # JSON list of {code, severity}
    cert_not_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AlertState(Base):
    __tablename__ = "alert_states"

    # Keyed by the subscription row: a new subscription starts with nothing told.
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), primary_key=True
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
    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("night", "subscription_id", name="uq_outbox_night_subscription"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    night: Mapped[str] = mapped_column(String(10))
    subscription_id: Mapped[int] = mapped_column(Integer)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32), index=True)
    domain: Mapped[str] = mapped_column(String(253))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    blocks: Mapped[str] = mapped_column(Text)  # JSON
    state: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ts: Mapped[str | None] = mapped_column(String(32), nullable=True)  # Slack's id of the posted message
    error: Mapped[str | None] = mapped_column(String(200), nullable=True)


@dataclass(frozen=True)
class Subscriber:
    subscription_id: int
    team_id: str
    channel_id: str
    state: State | None
    paused_reason: str | None


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


@dataclass(frozen=True)
class Planned:
    """A message the sweep decided to send, with the state that goes with it."""

    subscriber: Subscriber
    kind: str
    text: str
    blocks: list[dict[str, Any]]


# What `claim` found.
CLAIMED, DONE, BUSY = "claimed", "done", "busy"


def process_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class SweepStore:
    """The nightly sweep's tables, on the bot's database engine."""

    def __init__(self, engine: Engine, *, lease: timedelta = timedelta(minutes=5)) -> None:
        self.engine = engine
        self.lease = lease
        self._session = sessionmaker(engine, expire_on_commit=False)

    # Claiming the night --------------------------------------------------

    def claim(self, night: str, owner: str, now: datetime) -> str:
        """Claim `night` for `owner`: "claimed", "done" (already swept) or "busy"."""
        with self._session() as session:
            session.add(Sweep(night=night, owner=owner, started_at=now, heartbeat_at=now))
            try:
                session.commit()
                return CLAIMED
            except IntegrityError:
                session.rollback()
            row = session.get(Sweep, night)
            assert row is not None
            if row.finished_at is not None:
                return DONE
            if row.owner != owner and _alive(row.owner, _aware(row.heartbeat_at), now, self.lease):
                return BUSY
            # The owner died mid-sweep: take over, unless another process just did.
            taken = session.execute(
                update(Sweep)
                .where(Sweep.night == night, Sweep.owner == row.owner, Sweep.finished_at.is_(None))
                .values(owner=owner, heartbeat_at=now)
            )
            session.commit()
            return CLAIMED if taken.rowcount == 1 else BUSY  # type: ignore[attr-defined]

    def heartbeat(self, night: str, owner: str, now: datetime) -> None:
        with self._session() as session:
            session.execute(update(Sweep).where(Sweep.night == night, Sweep.owner == owner).values(heartbeat_at=now))
            session.commit()

    def finish(self, night: str, owner: str, now: datetime, domains: int) -> None:
        with self._session() as session:
            session.execute(
                update(Sweep).where(Sweep.night == night, Sweep.owner == owner).values(finished_at=now, domains=domains)
            )
            session.commit()

    # Domains and subscribers ----------------------------------------------

    def domains(self, page: int = 500) -> Iterator[str]:
        """Every subscribed domain once, streamed in pages (keyset pagination)."""
        last = ""
        while True:
            with self._session() as session:
                batch = list(
                    session.scalars(
                        select(Subscription.domain).distinct().where(Subscription.domain > last).order_by(Subscription.domain).limit(page)
                    )
                )
            yield from batch
            if len(batch) < page:
                return
            last = batch[-1]

    def domain_count(self) -> int:
        """How many distinct domains a sweep has to check."""
        with self._session() as session:
            return session.scalar(select(func.count(distinct(Subscription.domain)))) or 0

    def checked(self, night: str, domain: str) -> bool:
        with self._session() as session:
            return session.scalar(
                select(CheckHistory.id).where(CheckHistory.night == night, CheckHistory.domain == domain)
            ) is not None

    def subscribers(self, domain: str) -> list[Subscriber]:
        with self._session() as session:
            rows = session.execute(
                select(Subscription, AlertState)
                .join(AlertState, AlertState.subscription_id == Subscription.id, isouter=True)
                .where(Subscription.domain == domain)
                .order_by(Subscription.id)
            )
            return [
                Subscriber(sub.id, sub.team_id, sub.channel_id, _state(alert), alert.paused_reason if alert else None)
                for sub, alert in rows
            ]

    def history(self, domain: str, nights: int) -> list[str]:
        """The newest `nights` verdicts for `domain`, newest first."""
        with self._session() as session:
            return list(
                session.scalars(
                    select(CheckHistory.verdict).where(CheckHistory.domain == domain).order_by(CheckHistory.night.desc()).limit(nights)
                )
            )

    # One domain's night, in one transaction ---------------------------------

    def record(
        self,
        night: str,
        domain: str,
        now: datetime,
        result: dict[str, Any],
        states: dict[int, State],
        messages: list[Planned],
    ) -> None:
        """Store tonight's result, the new alert states and the messages to send, atomically."""
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
                )
            )
            for subscription_id, state in states.items():
                _save_state(session, subscription_id, state)
            for planned in messages:
                sub = planned.subscriber
                session.add(
                    OutboxMessage(
                        night=night,
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
            session.commit()

    # The outbox ------------------------------------------------------------

    def unsent(self) -> list[Outgoing]:
        """Every message not yet known to be sent, oldest first."""
        with self._session() as session:
            rows = session.scalars(
                select(OutboxMessage).where(OutboxMessage.state.in_((PENDING, SENDING))).order_by(OutboxMessage.id)
            )
            return [
                Outgoing(r.id, r.team_id, r.channel_id, r.domain, r.kind, r.text, json.loads(r.blocks), r.state, _aware(r.created_at))
                for r in rows
            ]

    def mark(self, message_id: int, state: str, now: datetime, *, ts: str | None = None, error: str | None = None) -> None:
        with self._session() as session:
            values: dict[str, Any] = {"state": state, "error": error}
            if state == SENT:
                values.update(sent_at=now, ts=ts)
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
                    _save_state(session, row.subscription_id, State(snoozed_until=_utc(alert.snoozed_until)))
                if pause:
                    _save_pause(session, row.subscription_id, error, now)
            session.commit()

    def pause_team(self, team: str, reason: str, now: datetime) -> int:
        """The app was uninstalled or its tokens revoked: pause the whole team."""
        with self._session() as session:
            ids = list(session.scalars(select(Subscription.id).where(Subscription.team_id == team)))
            for sub_id in ids:
                _save_pause(session, sub_id, reason, now)
            session.commit()
            return len(ids)

    def resume(self, team: str, channel: str, domain: str) -> bool:
        """Deliver to this subscription again (it was subscribed anew)."""
        with self._session() as session:
            sub_id = _subscription_id(session, team, channel, domain)
            if sub_id is None:
                return False
            changed = session.execute(
                update(AlertState)
                .where(AlertState.subscription_id == sub_id, AlertState.paused_reason.is_not(None))
                .values(paused_reason=None, paused_at=None)
            )
            session.commit()
            return bool(changed.rowcount)  # type: ignore[attr-defined]

    def pauses(self, team: str, channel: str) -> dict[str, str]:
        """Paused domains of a channel and why, for `/certcheck list`."""
        with self._session() as session:
            rows = session.execute(
                select(Subscription.domain, AlertState.paused_reason)
                .join(AlertState, AlertState.subscription_id == Subscription.id)
                .where(Subscription.team_id == team, Subscription.channel_id == channel, AlertState.paused_reason.is_not(None))
            )
            return {domain: reason or "" for domain, reason in rows}

    def snooze(self, team: str, channel: str, domain: str, until: datetime) -> bool:
        with self._session() as session:
            sub_id = _subscription_id(session, team, channel, domain)
            if sub_id is None:
                return False
            _alert_row(session, sub_id).snoozed_until = until
            session.commit()
            return True

    # Housekeeping ------------------------------------------------------------

    def prune(self, before: datetime) -> None:
        """Drop history and sent messages older than `before`, and orphaned state."""
        with self._session() as session:
            session.execute(delete(CheckHistory).where(CheckHistory.checked_at < before))
            session.execute(delete(OutboxMessage).where(OutboxMessage.state.in_((SENT, FAILED)), OutboxMessage.created_at < before))
            session.execute(delete(AlertState).where(AlertState.subscription_id.not_in(select(Subscription.id))))
            session.commit()


def _subscription_id(session: Session, team: str, channel: str, domain: str) -> int | None:
    return session.scalar(
        select(Subscription.id).where(
            Subscription.team_id == team, Subscription.channel_id == channel, Subscription.domain == domain
        )
    )


def _state(alert: AlertState | None) -> State | None:
    if alert is None:
        return None
    return State(
        active=alert.active,
        severity=alert.severity,
        codes=frozenset(json.loads(alert.codes or "[]")),
        days_left=alert.days_left,
        told_at=_utc(alert.told_at),
        snoozed_until=_utc(alert.snoozed_until),
    )


def _alert_row(session: Session, subscription_id: int) -> AlertState:
    """The subscription's alert state row, created (nothing told) if it has none."""
    alert = session.get(AlertState, subscription_id)
    if alert is None:
        alert = AlertState(subscription_id=subscription_id, active=False, severity=0, codes="[]")
        session.add(alert)
    return alert


def _save_state(session: Session, subscription_id: int, state: State) -> None:
    alert = _alert_row(session, subscription_id)
    alert.active = state.active
    alert.severity = state.severity
    alert.codes = json.dumps(sorted(state.codes))
    alert.days_left = state.days_left
    alert.told_at = state.told_at
    alert.snoozed_until = state.snoozed_until


def _save_pause(session: Session, subscription_id: int, reason: str, now: datetime) -> None:
    alert = _alert_row(session, subscription_id)
    alert.paused_reason = reason
    alert.paused_at = now


def _alive(owner: str, heartbeat: datetime | None, now: datetime, lease: timedelta) -> bool:
    """Is the process that claimed a night still sweeping it?"""
    host, _, pid = owner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    # Another machine: trust its heartbeat for one lease.
    return heartbeat is not None and now - heartbeat < lease


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else _aware(moment)


def _aware(moment: datetime) -> datetime:
    # SQLite keeps no zone; everything we write is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
