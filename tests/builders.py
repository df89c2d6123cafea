"""Shared builders for tests: reports, findings, certificates, lab options and a clock.

Findings are made by the constructors in `checks.findings` where one fits,
so a test's finding carries the parameters its words need. Time is always
a parameter (`now=`, or a `Clock` handed to what is tested), never an
attribute attached afterwards.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from checks import Options
from checks.findings import access
from checks.findings import certificate as certificate_findings
from checks.model import Certificate, DnsFacts, Finding, Probe, Report, Severity

NOW = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)
DOMAIN = "x.test"
CHALLENGE_URL = f"http://{DOMAIN}/.well-known/acme-challenge/t"
LAB_TIMEOUT = 3.0


class Clock:
    """A clock a test moves by hand; pass it where a `clock()` callable is taken."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def next_night(self, days: int = 1) -> None:
        self.advance(days=days)


def report(
    *findings: Finding,
    certificate: Certificate | None = None,
    domain: str = DOMAIN,
    now: datetime = NOW,
    duration_ms: int = 1,
    probes: tuple[Probe, ...] = (),
    dns: DnsFacts = DnsFacts(),
) -> Report:
    """A report of `findings` about `domain`, checked at `now`."""
    return Report(domain, domain, tuple(findings), certificate, now, duration_ms, dns=dns, probes=probes)


def reached(url: str = CHALLENGE_URL, address: str = "203.0.113.7") -> Probe:
    """A challenge-path probe that got through (a 404 for the random token)."""
    return Probe("challenge", url, address, "reachable", 404)


def certificate(
    days_left: int = 34,
    *,
    lifetime: int = 90,
    sans: tuple[str, ...] = (DOMAIN,),
    trusted: bool = True,
    matches_host: bool = True,
    now: datetime = NOW,
    subject: str | None = None,
    issuer: str = "CN=R11,O=Let's Encrypt,C=US",
) -> Certificate:
    """A certificate with `days_left` of a `lifetime`-day validity left at `now`."""
    not_after = now + timedelta(days=days_left)
    return Certificate(
        subject=subject or f"CN={sans[0] if sans else DOMAIN}",
        issuer=issuer,
        not_before=not_after - timedelta(days=lifetime),
        not_after=not_after,
        sans=sans,
        trusted=trusted,
        matches_host=matches_host,
        days_left=days_left,
    )


def finding(code: str, severity: Severity = Severity.CRITICAL, *, source: str = "local", **params: Any) -> Finding:
    """Any finding by its code, for rules that look only at code and severity."""
    return Finding(code, severity, params, source=source)


def restricted(
    url: str = CHALLENGE_URL,
    address: str = "203.0.113.7",
    *,
    variant: str = "challenge",
    scheme: str | None = "Basic",
    realm: str | None = "Members",
    name: str = DOMAIN,
) -> Finding:
    """`access_restricted` as the dry run reports it (critical on the challenge path)."""
    return access.access_restricted(
        url, address, variant=variant, scheme=scheme, realm=realm, name=name if variant == "challenge" else None
    )


def expiring(days_left: int, *, name: str = DOMAIN, not_after: str = "2026-12-06", critical_days: int = 7) -> Finding:
    """`cert_expiring`: a warning, critical under `critical_days`."""
    return certificate_findings.cert_expiring(name, days_left, not_after, critical=days_left < critical_days)


def lab_options(internet: Any, env: Mapping[str, str] | None = None, **overrides: Any) -> Options:
    """Options for checks against the test internet (lab mode, its resolver and ports), a 3 s timeout."""
    overrides.setdefault("timeout", LAB_TIMEOUT)
    return Options.from_env({**internet.env(), **(env or {})}, **overrides)
