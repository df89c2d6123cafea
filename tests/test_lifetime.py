"""checks.lifetime: thresholds that scale with the certificate's lifetime (pure, no network)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from checks.lifetime import (
    CertExpiring,
    ExpiryThresholds,
    LifetimeClass,
    RenewalOverdue,
    expiry_observations,
    lifetime_class,
    max_lifetime_days,
    normal_renewal_point,
    profile_note,
    reminder_days,
)
from checks.model import Severity

T0 = datetime(2026, 6, 1, tzinfo=timezone.utc)
SHORTLIVED = timedelta(hours=160)


def cert(days: float, start: datetime = T0) -> tuple[datetime, datetime]:
    return start, start + timedelta(days=days) - timedelta(seconds=1)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (160 / 24, LifetimeClass.SHORT_LIVED),
        (10, LifetimeClass.SHORT_LIVED),
        (45, LifetimeClass.DAYS_45),
        (64, LifetimeClass.DAYS_90),
        (90, LifetimeClass.DAYS_90),
        (200, LifetimeClass.OTHER),
    ],
)
def test_lifetime_classes(days, expected):
    assert lifetime_class(days) is expected


def test_sc081_caps_by_issue_date():
    assert max_lifetime_days(date(2026, 3, 14)) == 398
    assert max_lifetime_days(date(2026, 3, 15)) == 200
    assert max_lifetime_days(date(2027, 3, 15)) == 100
    assert max_lifetime_days(date(2029, 3, 14)) == 100
    assert max_lifetime_days(date(2029, 3, 15)) == 47


def test_normal_renewal_point_is_two_thirds_or_half_for_short_lived():
    nb, na = cert(90)
    assert abs(normal_renewal_point(nb, na) - (nb + timedelta(days=60))) < timedelta(seconds=2)
    nb, na = T0, T0 + SHORTLIVED - timedelta(seconds=1)
    assert abs(normal_renewal_point(nb, na) - (nb + SHORTLIVED / 2)) < timedelta(seconds=2)


def test_reminder_days_per_lifetime():
    assert reminder_days(*cert(90)) == (15, 7, 3, 1)
    assert reminder_days(*cert(45)) == (7, 3, 1)
    assert reminder_days(T0, T0 + SHORTLIVED) == (1,)


def codes(found) -> list[tuple[str, Severity]]:
    return [(o.code, o.severity) for o in found]


@pytest.mark.parametrize(
    ("lifetime", "left", "expected"),
    [
        # 90 days: overdue (warning) past two thirds, warning under 15 days, critical under 7.5.
        (90, 40, []),
        (90, 29, [("renewal_overdue", Severity.WARNING)]),
        (90, 14, [("cert_expiring", Severity.WARNING), ("renewal_overdue", Severity.WARNING)]),
        (90, 7, [("cert_expiring", Severity.CRITICAL), ("renewal_overdue", Severity.WARNING)]),
        # 45 days: warning under 7.5 days, critical under 3.75.
        (45, 16, []),
        (45, 14, [("renewal_overdue", Severity.WARNING)]),
        (45, 7, [("cert_expiring", Severity.WARNING), ("renewal_overdue", Severity.WARNING)]),
        (45, 3, [("cert_expiring", Severity.CRITICAL), ("renewal_overdue", Severity.WARNING)]),
        # 6 days: today's fixed 14/7 would call a fresh one critical; fractions do not.
        (6, 5, []),
        (6, 1.9, [("renewal_overdue", Severity.WARNING)]),
        (6, 0.9, [("cert_expiring", Severity.WARNING), ("renewal_overdue", Severity.WARNING)]),
        (6, 0.4, [("cert_expiring", Severity.CRITICAL), ("renewal_overdue", Severity.WARNING)]),
        (6, -0.1, []),  # expired: cert_expired is decided elsewhere
    ],
)
def test_expiry_points_scale_with_lifetime(lifetime, left, expected):
    nb, na = cert(lifetime)
    now = na - timedelta(days=left)
    assert codes(expiry_observations(nb, na, now)) == expected


def test_day_overrides_win_over_fractions():
    nb, na = cert(90)
    thresholds = ExpiryThresholds(warn_days=30, critical_days=20)
    found = expiry_observations(nb, na, na - timedelta(days=25), thresholds)
    assert codes(found)[0] == ("cert_expiring", Severity.WARNING)
    found = expiry_observations(nb, na, na - timedelta(days=19), thresholds)
    assert codes(found)[0] == ("cert_expiring", Severity.CRITICAL)


def test_quiet_while_the_ca_window_is_still_ahead():
    nb, na = cert(45)
    now = na - timedelta(days=6)  # past the warning point and two thirds
    assert expiry_observations(nb, na, now, ca_window_end=now + timedelta(hours=5)) == ()
    # A passed window: checks.ari speaks (critical renewal_overdue), the warning comes back.
    assert codes(expiry_observations(nb, na, now, ca_window_end=now - timedelta(hours=1))) == [
        ("cert_expiring", Severity.WARNING)
    ]
    # Critical is never silenced.
    late = na - timedelta(days=1)
    assert codes(expiry_observations(nb, na, late, ca_window_end=late + timedelta(hours=1))) == [
        ("cert_expiring", Severity.CRITICAL)
    ]


def test_observations_carry_their_parameters():
    nb, na = cert(90)
    expiring, overdue = expiry_observations(nb, na, na - timedelta(days=10))
    assert isinstance(expiring, CertExpiring) and isinstance(overdue, RenewalOverdue)
    assert expiring.params()["days_left"] == 10
    assert expiring.params()["lifetime_days"] == 90.0
    assert overdue.params()["basis"] == "lifetime" and overdue.params()["due"].endswith("Z")


def test_profile_note_for_a_classic_cert_renewed_after_february_2027():
    nb, na = cert(90, datetime(2027, 1, 10, tzinfo=timezone.utc))
    note = profile_note(nb, na, nb, lets_encrypt=True)
    assert note is not None
    assert (note.next_days, note.renew_every_days, note.reason) == (64, 43, "le_classic")
    assert note.params()["renew_every_weeks"] == 6
    assert note.severity is Severity.INFO


def test_profile_note_only_when_the_next_certificate_differs():
    nb, na = cert(90, datetime(2026, 6, 1, tzinfo=timezone.utc))
    assert profile_note(nb, na, nb, lets_encrypt=True) is None  # renewed in July 2026: still 90
    nb, na = cert(45, datetime(2027, 6, 1, tzinfo=timezone.utc))
    assert profile_note(nb, na, nb, lets_encrypt=True) is None
    # Another CA's 1-year certificate meets the SC-081 cap.
    nb, na = cert(365, datetime(2026, 1, 1, tzinfo=timezone.utc))
    note = profile_note(nb, na, nb, lets_encrypt=False)
    assert note is not None and (note.next_days, note.reason) == (200, "sc081")


def test_docs_table_matches_the_code():
    """docs/ari.md's "when it warns" table is what these functions compute."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "ari.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (\d+(?:\.\d+)?)-day \|(.*)\|$", text, flags=re.M))
    assert set(rows) == {"6.7", "45", "90"}
    for label, row in rows.items():
        nb, na = T0, T0 + timedelta(days=float(label))
        cells = [c.strip() for c in row.split("|")]
        assert cells[-1] == ", ".join(str(d) for d in reminder_days(nb, na)), label
