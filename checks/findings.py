"""From what the probes saw to findings: the one place that decides severity.

Pure functions over DNS answers, request chains and certificate facts, so
every rule is tested without a network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable
from urllib.parse import urlsplit

from . import classify as c
from .caa import evaluate_caa, format_record
from .dns import NXDOMAIN, SERVFAIL, TIMEOUT, CaaSet, DnsAnswer
from .http01 import Fetch
from .model import Certificate, Finding, Probe, Severity

CRITICAL, WARNING, INFO = Severity.CRITICAL, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Judged:
    """A request chain and what it means."""

    fetch: Fetch
    outcome: c.Outcome
    family: int  # 4 or 6

    def probe(self, purpose: str) -> Probe:
        answer = self.fetch.answer
        return Probe(
            purpose=purpose,
            url=self.fetch.url,
            address=self.fetch.address,
            outcome=self.outcome.kind,
            status=answer.status if answer else None,
            hops=self.fetch.hops,
            error=self.fetch.error or self.fetch.redirect_error,
        )


def judge(fetch: Fetch, purpose: str) -> Judged:
    """Classify one request chain (`purpose` is "challenge" or "root")."""
    family = 6 if ":" in fetch.address else 4
    if fetch.error is not None:
        outcome = c.Outcome(c.UNREACHABLE, {"reason": fetch.error})
    elif fetch.redirect_error is not None:
        outcome = c.Outcome(c.BAD_REDIRECT, {"redirect_reason": fetch.redirect_error, "target": fetch.redirect_target})
    else:
        assert fetch.answer is not None
        classifier = c.classify_challenge if purpose == "challenge" else c.classify_root
        outcome = classifier(fetch.answer)
    return Judged(fetch, outcome, family)


def dns_findings(name: str, a: DnsAnswer, aaaa: DnsAnswer) -> list[Finding]:
    """Why the name has no usable address, if it has none."""
    if a.records or aaaa.records:
        return []
    for answer in (a, aaaa):
        if answer.error == NXDOMAIN:
            return [Finding("dns_nxdomain", CRITICAL, {"name": name})]
    for answer in (a, aaaa):
        if answer.error == SERVFAIL:
            return [Finding("dns_servfail", CRITICAL, {"name": name, "rdtype": answer.rdtype})]
    for answer in (a, aaaa):
        if answer.error == TIMEOUT:
            return [Finding("dns_timeout", CRITICAL, {"name": name, "rdtype": answer.rdtype})]
    return [Finding("dns_no_address", CRITICAL, {"name": name})]


def reserved_findings(name: str, refused: dict[str, str]) -> list[Finding]:
    """`refused` maps each address the guard refused to its reserved kind."""
    return [
        Finding("reserved_address", CRITICAL, {"name": name, "address": address, "kind": kind}, address=address)
        for address, kind in refused.items()
    ]


def caa_findings(caa: CaaSet, ca_identity: str) -> list[Finding]:
    if caa.error is not None:
        code = "dns_timeout" if caa.error.error == TIMEOUT else "dns_servfail"
        return [Finding(code, CRITICAL, {"name": caa.error.name, "rdtype": "CAA"})]
    if not caa.records:
        return []
    decision = evaluate_caa(caa.records, ca_identity)
    params = {
        "owner": caa.owner,
        "records": [format_record(r) for r in caa.records],
        "ca": ca_identity,
    }
    if not decision.allowed:
        return [Finding("caa_forbids", CRITICAL, {**params, "caa_reason": decision.reason})]
    if decision.restricts:
        return [Finding("caa_allows", INFO, params)]
    return []


def ns_findings(owner: str | None, servers: tuple[str, ...]) -> list[Finding]:
    if not servers:
        return []
    return [Finding("ns_delegation", INFO, {"owner": owner, "ns": list(servers)})]


def challenge_findings(name: str, judged: list[Judged]) -> list[Finding]:
    """Findings from the dry run of every address of the name."""
    if not judged:
        return []
    findings: list[Finding] = []
    v4_works = any(j.family == 4 and j.outcome.kind != c.UNREACHABLE for j in judged)
    rest: list[Judged] = []
    for j in judged:
        if j.family == 6 and j.outcome.kind == c.UNREACHABLE and v4_works:
            # Let's Encrypt falls back to IPv4 after a timeout only: a refused
            # or reset IPv6 connection fails the validation outright.
            reason = j.outcome.params["reason"]
            timeout = reason == "timeout"
            findings.append(
                Finding(
                    "ipv6_unreachable",
                    WARNING if timeout else CRITICAL,
                    {"name": name, "address": j.fetch.address, "reason": reason, "variant": "timeout" if timeout else None},
                    url=j.fetch.url,
                    address=j.fetch.address,
                )
            )
        else:
            rest.append(j)
    findings.extend(_dedupe(_outcome_finding(name, j, "challenge") for j in rest))
    answered = [j for j in rest if j.outcome.kind != c.UNREACHABLE]
    kinds = {j.outcome.kind for j in answered}
    if len(kinds) > 1:
        summary = ", ".join(f"{j.fetch.address}: {_outcome_label(j)}" for j in answered)
        severity = CRITICAL if any(j.outcome.blocking for j in answered) else WARNING
        findings.append(Finding("addresses_disagree", severity, {"summary": summary}))
    return findings


def root_findings(judged: list[Judged], challenge_blocked: bool) -> list[Finding]:
    """The site root, for hosts that validate it (the seed's failure)."""
    severity = CRITICAL if challenge_blocked else WARNING
    variant = "root_also" if challenge_blocked else "root"
    findings = []
    for j in judged:
        kind = j.outcome.kind
        if kind not in (c.RESTRICTED, c.FORBIDDEN):
            continue
        code = "access_restricted" if kind == c.RESTRICTED else "access_forbidden"
        url = j.fetch.final_url or j.fetch.url
        findings.append(
            Finding(code, severity, {**j.outcome.params, "variant": variant, "url": url}, url=url, address=j.fetch.final_address)
        )
    return list(_dedupe(findings))


def certificate_findings(
    name: str, cert: Certificate | None, tls_error: str | None, port: int, now: datetime, warn_days: int, critical_days: int
) -> list[Finding]:
    if cert is None:
        if tls_error is None:
            return []
        return [Finding("tls_unreachable", WARNING, {"name": name, "port": port, "reason": tls_error})]
    findings: list[Finding] = []
    not_after = cert.not_after.strftime("%Y-%m-%d %H:%M UTC")
    remaining = (cert.not_after - now).total_seconds() / 86400
    if remaining <= 0:
        findings.append(Finding("cert_expired", CRITICAL, {"name": name, "not_after": not_after, "days_ago": int(-remaining)}))
    else:
        if cert.days_left < critical_days:
            findings.append(Finding("cert_expiring", CRITICAL, {"name": name, "days_left": cert.days_left, "not_after": not_after}))
        elif cert.days_left < warn_days:
            findings.append(Finding("cert_expiring", WARNING, {"name": name, "days_left": cert.days_left, "not_after": not_after}))
        if remaining < cert.lifetime_days / 3:
            findings.append(
                Finding("renewal_overdue", WARNING, {"days_left": cert.days_left, "lifetime": round(cert.lifetime_days)})
            )
    if not cert.matches_host:
        findings.append(Finding("cert_name_mismatch", CRITICAL, {"name": name, "sans": list(cert.sans) or [cert.subject]}))
    if not cert.trusted:
        findings.append(Finding("cert_untrusted", CRITICAL, {"name": name, "reason": cert.verify_error or "unknown issuer"}))
    return findings


def _outcome_finding(name: str, j: Judged, purpose: str) -> Finding | None:
    kind, params = j.outcome.kind, j.outcome.params
    url, address = j.fetch.final_url or j.fetch.url, j.fetch.final_address or j.fetch.address
    common = {**params, "name": name, "url": url, "address": address, "variant": purpose}
    if kind == c.RESTRICTED:
        return Finding("access_restricted", CRITICAL, common, url=url, address=address)
    if kind == c.FORBIDDEN:
        return Finding("access_forbidden", CRITICAL, common, url=url, address=address)
    if kind == c.UNREACHABLE:
        port = _port_of(j.fetch)
        return Finding("http_unreachable", CRITICAL, {**common, "port": port}, url=url, address=address)
    if kind == c.BAD_REDIRECT:
        return Finding("bad_redirect", CRITICAL, common, url=url, address=address)
    if kind == c.INTERCEPTED:
        return Finding("challenge_intercepted", CRITICAL, common, url=url, address=address)
    if kind == c.CATCH_ALL:
        return Finding("challenge_catch_all", WARNING, common, url=url, address=address)
    if kind == c.SERVER_ERROR:
        return Finding("http_server_error", WARNING, common, url=url, address=address)
    if kind == c.UNEXPECTED:
        return Finding("http_unexpected_status", WARNING, common, url=url, address=address)
    return None


def _dedupe(findings: Iterable[Finding | None]) -> list[Finding]:
    """One finding per code and cause, however many addresses showed it."""
    out: dict[tuple[object, ...], Finding] = {}
    for f in findings:
        if f is None:
            continue
        key = (
            f.code,
            f.params.get("reason"),
            f.params.get("redirect_reason"),
            f.params.get("status"),
            f.params.get("trap"),
            f.params.get("variant"),
        )
        out.setdefault(key, f)
    return list(out.values())


def _outcome_label(j: Judged) -> str:
    status = j.outcome.params.get("status")
    return f"{status}" if status else j.outcome.kind


def _port_of(fetch: Fetch) -> int:
    """The port as the CA would name it ("80" even when a lab overrides it)."""
    parts = urlsplit(fetch.final_url or fetch.url)
    return parts.port or (80 if parts.scheme == "http" else 443)
