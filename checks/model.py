"""The report: plain data that crosses from `checks/` to the CLI and the bot.

A finding stores its code and parameters, not sentences: the words come from
`checks.messages` at render time, so the same report reads in English in a
terminal and in Japanese in a Slack channel.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from . import messages
from .clock import iso
from .codes import Spec, spec
from .transport import PASSING


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


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    params: dict[str, Any] = field(default_factory=dict)
    url: str | None = None
    address: str | None = None
    source: str = "local"
    name: str | None = None  # the name of the order it is about (None: the whole order)

    @property
    def spec(self) -> Spec | None:
        """The registry's entry for this code (`checks.codes`)."""
        return spec(self.code)

    @property
    def blocks_renewal(self) -> bool:
        known = self.spec
        return known is not None and known.blocks and self.severity is Severity.CRITICAL

    @property
    def inconclusive(self) -> bool:
        """The check could not finish: this says nothing about the site."""
        known = self.spec
        return known is not None and known.inconclusive

    @property
    def is_problem(self) -> bool:
        """Something a site owner should hear about: a warning or worse, and conclusive."""
        return self.severity >= Severity.WARNING and not self.inconclusive

    @property
    def transient(self) -> bool:
        """Whether a retry could plausibly give another answer (a timeout, a reset, a cut-short check)."""
        known = self.spec
        if known is None:
            return False
        return known.transient or (known.transport and self.params.get("reason") in PASSING)

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
        if self.name:
            data["name"] = self.name
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
    # Issue 11: "short_lived", "45_day", "90_day" or "other" (`checks.lifetime.LifetimeClass`),
    # the chain as sent (`checks.chain.ChainFacts.to_json`), and the RFC 9773 certificate ID.
    lifetime_class: str | None = None
    chain: Mapping[str, Any] | None = None
    cert_id: str | None = None

    @property
    def lifetime_days(self) -> float:
        return (self.not_after - self.not_before).total_seconds() / 86400

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "not_before": iso(self.not_before),
            "not_after": iso(self.not_after),
            "days_left": self.days_left,
            "sans": list(self.sans),
            "trusted": self.trusted,
            "matches_host": self.matches_host,
            "verify_error": self.verify_error,
            "address": self.address,
            "lifetime_class": self.lifetime_class,
            "chain": dict(self.chain) if self.chain is not None else None,
            "cert_id": self.cert_id,
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
    name: str | None = None  # the name of the order this chain checked

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
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
    ca_probe: Mapping[str, Any] | None = None  # the CA probe's own JSON (`checks.ca_probe.CaProbe.to_json`)
    names: tuple[str, ...] = ()  # every name of the renewal order checked, the typed one first
    challenge: str = "http-01"  # the method the order was checked for

    def blocking_names(self) -> list[str]:
        """The names whose findings stop the renewal, in the order's order."""
        blocked = {f.name or self.domain for f in self.findings if f.blocks_renewal}
        return [n for n in (self.names or (self.domain,)) if n in blocked] + sorted(
            blocked - set(self.names or (self.domain,))
        )

    @property
    def incomplete(self) -> bool:
        """Part of the check did not finish: "renewable" cannot be known."""
        return any(f.inconclusive for f in self.findings)

    @property
    def transient(self) -> bool:
        """Whether one more check could plausibly change this result."""
        return any(f.transient for f in self.findings)

    def problems(self) -> list[Finding]:
        """The findings a site owner should hear about (`Finding.is_problem`)."""
        return [f for f in self.findings if f.is_problem]

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
        return sorted(self.findings, key=lambda f: (-f.severity, not f.blocks_renewal))

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "domain": self.domain,
            "input": self.input,
            "names": list(self.names or (self.domain,)),
            "challenge": self.challenge,
            "verdict": self.verdict.value,
            "renewable": self.renewable,
            "certificate": self.certificate.to_json() if self.certificate else None,
            "findings": [f.to_json(lang) for f in self.sorted_findings()],
            "checked_at": iso(self.checked_at),
            "duration_ms": self.duration_ms,
            "dns": self.dns.to_json(),
            "probes": [p.to_json() for p in self.probes],
            "lang": lang,
            **({"ca_probe": dict(self.ca_probe)} if self.ca_probe is not None else {}),
        }
