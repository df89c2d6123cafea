"""The report: plain data that crosses from `checks/` to the CLI and the bot.

A finding stores its code and parameters, not sentences: the words come from
`checks.messages` at render time, so the same report reads in English in a
terminal and in Japanese in a Slack channel.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import messages
from .clock import utc


class Severity(enum.IntEnum):
    """Ordered so that `max()` gives the worst."""

    INFO = 0
    WARNING = 1
    CRITICAL = 2

    @property
    def label(self) -> str:
        return self.name.lower()


class Verdict(str, enum.Enum):
    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"
    UNKNOWN = "unknown"

    @property
    def exit_code(self) -> int:
        """Nagios plugin convention, so `certcheck check` drops into monitoring."""
        return {"ok": 0, "warning": 1, "critical": 2, "unknown": 3}[self.value]


# Codes whose presence means an HTTP-01 renewal will fail. Everything else is
# about the certificate being served today or about hosts that do more than
# plain ACME (the root check), and does not stop the renewal itself.
BLOCKS_RENEWAL = frozenset(
    {
        "access_restricted",
        "access_forbidden",
        "http_unreachable",
        "bad_redirect",
        "reserved_address",
        "ipv6_unreachable",
        "addresses_disagree",
        "dns_nxdomain",
        "dns_no_address",
        "dns_servfail",
        "dns_timeout",
        "caa_forbids",
        "challenge_intercepted",
        # What the CA itself said (checks.ca_probe).
        "blocked_for_ca",
        "ca_rejected_identifier",
        "ca_validation_failed",
    }
)

# Codes that say the check could not finish, so "renewable" cannot be known.
INCONCLUSIVE = frozenset({"check_incomplete"})


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    params: dict[str, Any] = field(default_factory=dict)
    url: str | None = None
    address: str | None = None
    source: str = "local"

    @property
    def blocks_renewal(self) -> bool:
        return self.code in BLOCKS_RENEWAL and self.severity is Severity.CRITICAL

    def text(self, lang: str = "en") -> messages.Text:
        return messages.render(self.code, lang, self.params)

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        text = self.text(lang)
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.label,
            "title": text.title,
            "detail": text.detail,
            "remedy": text.remedy if self.severity >= Severity.WARNING else None,
        }
        if self.url:
            data["url"] = self.url
        if self.address:
            data["address"] = self.address
        data["source"] = self.source
        return data


@dataclass(frozen=True)
class Certificate:
    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    sans: tuple[str, ...]
    trusted: bool
    matches_host: bool
    days_left: int
    verify_error: str | None = None
    address: str | None = None

    @property
    def lifetime_days(self) -> float:
        return (self.not_after - self.not_before).total_seconds() / 86400

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "not_before": _iso(self.not_before),
            "not_after": _iso(self.not_after),
            "days_left": self.days_left,
            "sans": list(self.sans),
            "trusted": self.trusted,
            "matches_host": self.matches_host,
            "verify_error": self.verify_error,
            "address": self.address,
        }


@dataclass(frozen=True)
class Probe:
    """One request chain of the dry run, kept for the report's "what we saw"."""

    purpose: str  # "challenge", "root"
    url: str
    address: str | None
    outcome: str  # classification kind, e.g. "reachable", "restricted"
    status: int | None = None
    hops: tuple[str, ...] = ()
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose,
            "url": self.url,
            "address": self.address,
            "outcome": self.outcome,
            "status": self.status,
            "redirects": list(self.hops),
            "error": self.error,
        }


@dataclass(frozen=True)
class DnsFacts:
    a: tuple[str, ...] = ()
    aaaa: tuple[str, ...] = ()
    cnames: tuple[str, ...] = ()
    caa: tuple[str, ...] = ()
    caa_owner: str | None = None
    ns: tuple[str, ...] = ()
    ns_owner: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "a": list(self.a),
            "aaaa": list(self.aaaa),
            "cname_chain": list(self.cnames),
            "caa": list(self.caa),
            "caa_owner": self.caa_owner,
            "ns": list(self.ns),
            "ns_owner": self.ns_owner,
        }


@dataclass(frozen=True)
class Report:
    domain: str
    input: str
    findings: tuple[Finding, ...]
    certificate: Certificate | None
    checked_at: datetime
    duration_ms: int
    dns: DnsFacts = DnsFacts()
    probes: tuple[Probe, ...] = ()

    @property
    def incomplete(self) -> bool:
        return any(f.code in INCONCLUSIVE for f in self.findings)

    @property
    def verdict(self) -> Verdict:
        worst = max((f.severity for f in self.findings), default=Severity.INFO)
        # A check that did not finish cannot say "ok" or "only a warning".
        if self.incomplete and worst < Severity.CRITICAL:
            return Verdict.UNKNOWN
        return {
            Severity.INFO: Verdict.OK,
            Severity.WARNING: Verdict.WARNING,
            Severity.CRITICAL: Verdict.CRITICAL,
        }[worst]

    @property
    def renewable(self) -> bool | None:
        if any(f.blocks_renewal for f in self.findings):
            return False
        if self.incomplete:
            return None
        return True

    def sorted_findings(self) -> list[Finding]:
        """Most severe first; among equals, what blocks renewal first."""
        return sorted(
            self.findings, key=lambda f: (-f.severity, not f.blocks_renewal)
        )

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "domain": self.domain,
            "input": self.input,
            "verdict": self.verdict.value,
            "renewable": self.renewable,
            "certificate": self.certificate.to_json() if self.certificate else None,
            "findings": [f.to_json(lang) for f in self.sorted_findings()],
            "checked_at": _iso(self.checked_at),
            "duration_ms": self.duration_ms,
            "dns": self.dns.to_json(),
            "probes": [p.to_json() for p in self.probes],
            "lang": lang,
        }


def _iso(moment: datetime) -> str:
    return utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")
