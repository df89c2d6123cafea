"""Certificate lifetimes are shrinking: thresholds that scale with the lifetime.

Fixed day counts (warn at 14 days, remind at 14/7/3/1) were written for
90-day certificates. CA/B Forum ballot SC-081 caps the lifetime of a public
TLS certificate at 200 days from 2026-03-15, 100 days from 2027-03-15 and 47
days from 2029-03-15; Let's Encrypt's `classic` profile goes from 90 to 64
days in February 2027 and to 45 days in February 2028, its `tlsserver`
profile already issues 45-day certificates and `shortlived` (160 hours, about
6.7 days) is generally available. So every point here is a fraction of the
certificate's own lifetime; a day count, where a person set one, still wins.

Pure functions, no I/O. The table of what a 6-, 45- and 90-day certificate
gets is in docs/ari.md.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .clock import iso
from .model import Severity

# SC-081: (from this day, at most this many days).
SC081_SCHEDULE: tuple[tuple[date, int], ...] = (
    (date(2026, 3, 15), 200),
    (date(2027, 3, 15), 100),
    (date(2029, 3, 15), 47),
)
PRE_SC081_MAX_DAYS = 398

# Let's Encrypt's announced `classic` lifetimes. The announcement names the
# month, not the day: the first of the month stands for it.
LE_CLASSIC_SCHEDULE: tuple[tuple[date, int], ...] = (
    (date(2027, 2, 1), 64),
    (date(2028, 2, 1), 45),
)

SHORT_LIVED_MAX_DAYS = 10.0  # Boulder renews these at half their life, not two thirds

# Defaults that read the same for a 6-, 45- and 90-day certificate: for a
# 90-day one they give about today's 14 and 7 days.
WARNING_FRACTION = 1 / 6
CRITICAL_FRACTION = 1 / 12
# Without the CA's own window: renewal should have happened by two thirds
# of the lifetime (the contract's `renewal_overdue`: a third left).
OVERDUE_FRACTION_LEFT = 1 / 3
# The nightly reminders (bot/policy.py has 14/7/3/1 days for every certificate).
REMINDER_FRACTIONS = (1 / 6, 1 / 12, 1 / 30, 1 / 90)


class LifetimeClass(str, enum.Enum):
    SHORT_LIVED = "short_lived"  # <= 10 days, e.g. Let's Encrypt `shortlived`
    DAYS_45 = "45_day"  # up to 50 days: `tlsserver`, `classic` from 2028, SC-081 from 2029
    DAYS_90 = "90_day"  # up to 100 days: `classic` today and its 64-day step
    OTHER = "other"  # longer: commercial CAs until SC-081 catches up


def lifetime_days(not_before: datetime, not_after: datetime) -> float:
    # RFC 5280 validity is inclusive of notAfter: Boulder adds a second (core.RenewalInfoSimple).
    return (not_after - not_before + timedelta(seconds=1)).total_seconds() / 86400


def lifetime_class(days: float) -> LifetimeClass:
    if days <= SHORT_LIVED_MAX_DAYS:
        return LifetimeClass.SHORT_LIVED
    if days <= 50:
        return LifetimeClass.DAYS_45
    if days <= 100:
        return LifetimeClass.DAYS_90
    return LifetimeClass.OTHER


def max_lifetime_days(on: date) -> int:
    """The longest lifetime SC-081 allows for a certificate issued on `on`."""
    allowed = PRE_SC081_MAX_DAYS
    for start, days in SC081_SCHEDULE:
        if on >= start:
            allowed = days
    return allowed


def normal_renewal_point(not_before: datetime, not_after: datetime) -> datetime:
    """Where a CA following Boulder's `core.RenewalInfoSimple` centres its ARI window.

    Two thirds of the validity period, or half of it under 10 days; the window
    is 1 % of the validity either side of this point.
    """
    validity = not_after + timedelta(seconds=1) - not_before
    offset = validity / 2 if validity < timedelta(days=SHORT_LIVED_MAX_DAYS) else validity / 3
    return not_after - offset


@dataclass(frozen=True)
class ExpiryThresholds:
    """When a certificate's remaining time earns a warning or a critical finding.

    Fractions of the lifetime left; `warn_days` / `critical_days` (the
    existing CERTCHECK_WARN_DAYS / CERTCHECK_CRITICAL_DAYS) replace them
    when a person set them.
    """

    warning_fraction: float = WARNING_FRACTION
    critical_fraction: float = CRITICAL_FRACTION
    warn_days: float | None = None
    critical_days: float | None = None

    def warning_left(self, lifetime: timedelta) -> timedelta:
        return timedelta(days=self.warn_days) if self.warn_days is not None else lifetime * self.warning_fraction

    def critical_left(self, lifetime: timedelta) -> timedelta:
        if self.critical_days is not None:
            return timedelta(days=self.critical_days)
        return lifetime * self.critical_fraction


@dataclass(frozen=True)
class CertExpiring:
    """Proposed `cert_expiring`: less time left than the warning (or critical) point."""

    not_after: datetime
    lifetime_days: float
    left: timedelta
    critical: bool

    code = "cert_expiring"

    @property
    def severity(self) -> Severity:
        return Severity.CRITICAL if self.critical else Severity.WARNING

    def params(self) -> dict[str, Any]:
        return {
            "not_after": iso(self.not_after),
            "days_left": int(self.left.total_seconds() // 86400),
            "hours_left": int(self.left.total_seconds() // 3600),
            "lifetime_days": round(self.lifetime_days, 1),
        }


@dataclass(frozen=True)
class RenewalOverdue:
    """Proposed `renewal_overdue`.

    basis "ari": the CA's suggested window has passed and the same certificate
    is still served (critical: the CA itself expected the renewal). Basis
    "lifetime": no window is known and less than a third of the lifetime is
    left (warning, as the contract has it today).
    """

    not_after: datetime
    basis: str  # "ari" or "lifetime"
    due: datetime  # the window's end, or the two-thirds point
    window_start: datetime | None = None
    cert_id: str | None = None

    code = "renewal_overdue"

    @property
    def severity(self) -> Severity:
        return Severity.CRITICAL if self.basis == "ari" else Severity.WARNING

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"basis": self.basis, "due": iso(self.due), "not_after": iso(self.not_after)}
        if self.window_start is not None:
            params["window_start"] = iso(self.window_start)
        if self.cert_id is not None:
            params["cert_id"] = self.cert_id
        return params


def expiry_observations(
    not_before: datetime,
    not_after: datetime,
    now: datetime,
    thresholds: ExpiryThresholds = ExpiryThresholds(),
    *,
    ca_window_end: datetime | None = None,
) -> tuple[CertExpiring | RenewalOverdue, ...]:
    """The lifetime-based view of the served certificate: () when all is well.

    As today, `cert_expiring` and the lifetime `renewal_overdue` may come
    together. Expired certificates get (): `cert_expired` is decided where it
    is today. While the CA's ARI window (`ca_window_end`) has not passed, a
    renewal is still expected inside it, so the overdue and warning points
    stay quiet; the critical point is never silenced (a window that late is
    the CA's business, an expired certificate is the visitor's).
    """
    if now >= not_after:
        return ()
    lifetime = not_after - not_before
    left = not_after - now
    days = lifetime_days(not_before, not_after)
    waiting_for_window = ca_window_end is not None and now < ca_window_end
    found: list[CertExpiring | RenewalOverdue] = []
    if left <= thresholds.critical_left(lifetime):
        found.append(CertExpiring(not_after, days, left, critical=True))
    elif left <= thresholds.warning_left(lifetime) and not waiting_for_window:
        found.append(CertExpiring(not_after, days, left, critical=False))
    due = not_after - lifetime * OVERDUE_FRACTION_LEFT
    # With a known window that has passed, `checks.ari` says renewal_overdue (critical).
    if ca_window_end is None and now >= due:
        found.append(RenewalOverdue(not_after, "lifetime", due))
    return tuple(found)


def reminder_days(not_before: datetime, not_after: datetime) -> tuple[int, ...]:
    """Days-left points at which the nightly sweep repeats a persisting expiry alert.

    Meant to replace the fixed (14, 7, 3, 1) of `bot/policy.py`. Whole days,
    because the sweep runs once a night: a point under a day would never be
    seen on its own, so fractions are floored, kept at least 1 and merged.
    A 90-day certificate gets (15, 7, 3, 1), a 45-day one (7, 3, 1), a 6-day
    one (1,).
    """
    days = lifetime_days(not_before, not_after)
    points = {max(1, int(days * fraction)) for fraction in REMINDER_FRACTIONS}
    return tuple(sorted(points, reverse=True))


@dataclass(frozen=True)
class LifetimeShortening:
    """Proposed `lifetime_shortening` (info): the next certificate will live shorter.

    Says how often renewals will come, so a site owner with a manual step in
    the loop (an appliance, a CDN upload) learns before it bites.
    """

    current_days: float
    next_days: int
    effective: date
    renew_every_days: int
    reason: str  # "le_classic" (Let's Encrypt's classic profile) or "sc081" (the CA/B Forum cap)

    code = "lifetime_shortening"
    severity = Severity.INFO

    def params(self) -> dict[str, Any]:
        return {
            "current_days": round(self.current_days),
            "next_days": self.next_days,
            "effective": self.effective.isoformat(),
            "renew_every_days": self.renew_every_days,
            "renew_every_weeks": round(self.renew_every_days / 7),
            "reason": self.reason,
        }


def profile_note(
    not_before: datetime, not_after: datetime, now: datetime, *, lets_encrypt: bool
) -> LifetimeShortening | None:
    """What the next renewal of this certificate will look like, if it will differ.

    The next certificate is issued around the renewal point, so that is the
    date the schedules are read at. For Let's Encrypt a 90-day `classic`
    certificate renewed after February 2027 is a 64-day one: "expect renewals
    every ~6 weeks".
    """
    current = lifetime_days(not_before, not_after)
    renewal_on = max(normal_renewal_point(not_before, not_after), now).date()
    candidates: list[tuple[int, date, str]] = []
    if lets_encrypt and lifetime_class(current) is LifetimeClass.DAYS_90:
        for start, days in LE_CLASSIC_SCHEDULE:
            if renewal_on >= start and days < current - 1:
                candidates.append((days, start, "le_classic"))
    cap = max_lifetime_days(renewal_on)
    if cap < current - 1:
        start = max((s for s, d in SC081_SCHEDULE if d == cap), default=renewal_on)
        candidates.append((cap, start, "sc081"))
    if not candidates:
        return None
    next_days, effective, reason = min(candidates)
    # Renewed at two thirds of the lifetime, as Boulder suggests (`core.RenewalInfoSimple`).
    return LifetimeShortening(current, next_days, effective, round(next_days * 2 / 3), reason)
