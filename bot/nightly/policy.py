"""When the nightly dry run speaks: the alert policy, as one pure function.

A missed alert costs a certificate; a repeated one teaches people to mute
the bot. So a channel hears about a problem once, then again only when it is
worth it: a reminder every `remind_days`, the certificate crossing one of
its reminder points (`checks.lifetime.reminder_days`: 15, 7, 3, 1 days left
for a 90-day certificate, 7, 3, 1 for a 45-day one, 1 for a 6-day one), a
rise in severity, or a new problem. A problem is a finding code on one name
of the renewal order: the apex fixed and `www` broken the same night is a new
problem, though the code is the same. It hears once when everything is
fixed. A night whose check could not finish changes nothing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

# Without a certificate to read its lifetime from (`Seen.reminders` says otherwise).
THRESHOLDS = (14, 7, 3, 1)

# (code, name): a finding code on one name of the order; name "" for a finding
# about the whole order.
Problem = tuple[str, str]
# The name of a problem stored before findings carried names (alert_states rows
# of a code alone): that code on any name, so an upgrade alerts nobody again.
ANY_NAME = "*"


class Kind(str, enum.Enum):
    ALERT = "alert"  # a new problem, or one that got worse
    REMINDER = "reminder"  # the same problem, still there
    RESOLVED = "resolved"  # everything that was wrong is fixed


@dataclass(frozen=True)
class Seen:
    """What one night's check found for a domain, reduced to what the policy needs."""

    severity: int  # 0 none, 1 warning, 2 critical (worst among findings)
    problems: frozenset[Problem]  # (code, name) of warning and critical findings
    days_left: int | None  # the certificate's, if one was read
    conclusive: bool = True  # False when the check could not finish
    reminders: tuple[int, ...] = THRESHOLDS  # days-left points, from the certificate's lifetime


@dataclass(frozen=True)
class State:
    """What a channel has been told about a domain."""

    active: bool = False  # a problem has been announced and not resolved
    severity: int = 0
    problems: frozenset[Problem] = frozenset()
    days_left: int | None = None  # at the last message
    told_at: datetime | None = None
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class Decision:
    kind: Kind | None  # None: say nothing
    state: State  # the state to store, whether or not a message goes out
    reason: str = ""  # why, for logs and tests


def decide(state: State | None, seen: Seen, now: datetime, remind_days: int = 7) -> Decision:
    """What to tell one channel about one domain tonight."""
    state = state or State()
    if not seen.conclusive:
        return Decision(None, state, "inconclusive")
    if seen.severity == 0:
        if state.active:
            return Decision(Kind.RESOLVED, State(told_at=now, snoozed_until=state.snoozed_until), "resolved")
        return Decision(None, state, "healthy")

    told = State(
        active=True,
        severity=seen.severity,
        problems=seen.problems,
        days_left=seen.days_left,
        told_at=now,
        snoozed_until=state.snoozed_until,
    )
    if not state.active:
        return Decision(Kind.ALERT, told, "new")
    if seen.severity > state.severity:
        return Decision(Kind.ALERT, told, "worse")
    if new_problems(seen.problems, state.problems):
        return Decision(Kind.ALERT, told, "new problem")
    # Quietly remember fewer or milder problems, without announcing them.
    quiet = replace(state, severity=seen.severity, problems=seen.problems)
    if state.snoozed_until is not None and now < state.snoozed_until:
        return Decision(None, quiet, "snoozed")
    if crossed_threshold(state.days_left, seen.days_left, seen.reminders):
        return Decision(Kind.REMINDER, told, "threshold")
    # An hour of slack: tonight's sweep may start a little earlier than last week's.
    if state.told_at is None or now - state.told_at >= timedelta(days=remind_days) - timedelta(hours=1):
        return Decision(Kind.REMINDER, told, "reminder")
    return Decision(None, quiet, "told recently")


def new_problems(tonight: frozenset[Problem], told: frozenset[Problem]) -> frozenset[Problem]:
    """Tonight's problems the channel has not been told of: a code on a name it was not told about,
    unless it was told of the code before names were kept (`ANY_NAME`)."""
    return frozenset(p for p in tonight if p not in told and (p[0], ANY_NAME) not in told)


def crossed_threshold(before: int | None, now: int | None, thresholds: tuple[int, ...] = THRESHOLDS) -> bool:
    """True when days left went from above a threshold to at or below it."""
    if before is None or now is None:
        return False
    return any(before > t >= now for t in thresholds)
