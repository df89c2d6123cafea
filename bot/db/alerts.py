"""What each subscription has been told, its snooze, and why delivery to it is paused."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from ..nightly.policy import ANY_NAME, Problem, State
from .engine import utc
from .models import AlertState, Subscription


class Alerts:
    """The `alert_states` table, as the Slack surface changes it."""

    def __init__(self, engine: Engine) -> None:
        self._session = sessionmaker(engine, expire_on_commit=False)

    def pause_team(self, team: str, reason: str, now: datetime) -> int:
        """The app was uninstalled or its tokens revoked: pause the whole team."""
        with self._session() as session:
            ids = list(session.scalars(select(Subscription.id).where(Subscription.team_id == team)))
            for sub_id in ids:
                save_pause(session, sub_id, reason, now)
            session.commit()
            return len(ids)

    def resume(self, team: str, channel: str, domain: str) -> bool:
        """Deliver to this subscription again (it was subscribed anew)."""
        with self._session() as session:
            sub_id = subscription_id(session, team, channel, domain)
            if sub_id is None:
                return False
            changed = session.execute(
                update(AlertState)
                .where(AlertState.subscription_id == sub_id, AlertState.paused_reason.is_not(None))
                .values(paused_reason=None, paused_at=None)
            )
            session.commit()
            return bool(changed.rowcount)  # type: ignore[attr-defined]

    def pause(self, team: str, channel: str, domain: str, reason: str, now: datetime) -> bool:
        """Hold this subscription's alerts for `reason` (the bot cannot post there yet)."""
        with self._session() as session:
            sub_id = subscription_id(session, team, channel, domain)
            if sub_id is None:
                return False
            save_pause(session, sub_id, reason, now)
            session.commit()
            return True

    def lift(self, team: str, channel: str, reasons: frozenset[str]) -> list[str]:
        """Deliver again to the channel's subscriptions paused for one of `reasons`; their domains."""
        with self._session() as session:
            rows = session.execute(
                select(Subscription.domain, AlertState)
                .join(AlertState, AlertState.subscription_id == Subscription.id)
                .where(
                    Subscription.team_id == team,
                    Subscription.channel_id == channel,
                    AlertState.paused_reason.in_(reasons),
                )
            ).all()
            for _, alert in rows:
                alert.paused_reason = None
                alert.paused_at = None
            session.commit()
            return sorted(domain for domain, _ in rows)

    def pauses(self, team: str, channel: str) -> dict[str, str]:
        """Paused domains of a channel and why, for `/certcheck list`."""
        with self._session() as session:
            rows = session.execute(
                select(Subscription.domain, AlertState.paused_reason)
                .join(AlertState, AlertState.subscription_id == Subscription.id)
                .where(
                    Subscription.team_id == team,
                    Subscription.channel_id == channel,
                    AlertState.paused_reason.is_not(None),
                )
            )
            return {domain: reason or "" for domain, reason in rows}

    def snooze(self, team: str, channel: str, domain: str, until: datetime) -> bool:
        with self._session() as session:
            sub_id = subscription_id(session, team, channel, domain)
            if sub_id is None:
                return False
            alert_row(session, sub_id).snoozed_until = until
            session.commit()
            return True


def subscription_id(session: Session, team: str, channel: str, domain: str) -> int | None:
    return session.scalar(
        select(Subscription.id).where(
            Subscription.team_id == team, Subscription.channel_id == channel, Subscription.domain == domain
        )
    )


def load_state(alert: AlertState | None) -> State | None:
    if alert is None:
        return None
    return State(
        active=alert.active,
        severity=alert.severity,
        problems=load_problems(alert.codes),
        days_left=alert.days_left,
        told_at=utc(alert.told_at),
        snoozed_until=utc(alert.snoozed_until),
    )


def load_problems(stored: str | None) -> frozenset[Problem]:
    """`alert_states.codes`: a JSON list of [code, name] pairs; a row written before
    findings carried names holds codes alone, which stand for the code on any name."""
    problems: set[Problem] = set()
    for item in json.loads(stored or "[]"):
        if isinstance(item, str):
            problems.add((item, ANY_NAME))
        else:
            code, name = item
            problems.add((str(code), str(name)))
    return frozenset(problems)


def alert_row(session: Session, subscription_id: int) -> AlertState:
    """The subscription's alert state row, created (nothing told) if it has none."""
    alert = session.get(AlertState, subscription_id)
    if alert is None:
        alert = AlertState(subscription_id=subscription_id, active=False, severity=0, codes="[]")
        session.add(alert)
    return alert


def save_state(session: Session, subscription_id: int, state: State) -> None:
    alert = alert_row(session, subscription_id)
    alert.active = state.active
    alert.severity = state.severity
    alert.codes = json.dumps(sorted([code, name] for code, name in state.problems))
    alert.days_left = state.days_left
    alert.told_at = state.told_at
    alert.snoozed_until = state.snoozed_until


def save_pause(session: Session, subscription_id: int, reason: str, now: datetime) -> None:
    alert = alert_row(session, subscription_id)
    alert.paused_reason = reason
    alert.paused_at = now
