"""From what the probes saw to findings: which findings a check reports.

Pure functions over DNS answers, request chains and certificate facts, so
every rule is tested without a network. Each finding is made by the
constructor named after its code (`checks.findings`), which decides its
severity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable
from urllib.parse import urlsplit

from . import boulder
from . import classify as c
from .caa import evaluate_caa, format_record
from .clock import minute
from .codes import Code
from .dns import NXDOMAIN, SERVFAIL, TIMEOUT, CaaSet, DnsAnswer
from .findings import access, certificate, dns, http
from .hosting import RootValidator
from .http01 import DIAL, Fetch
from .lifetime import CertExpiring, ExpiryThresholds, expiry_observations
from .model import Certificate, Finding, Probe


@dataclass(frozen=True)
class Judged:
    """A request chain and what it means."""

    fetch: Fetch
    outcome: c.Outcome
    family: int  # 4 or 6: of the address the chain started at

    @property
    def final_family(self) -> int:
        """The family of the address the chain ended at (a redirect hop starts at IPv6 again)."""
        return 6 if ":" in (self.fetch.final_address or self.fetch.address) else 4

    @property
    def ca_says(self) -> str | None:
        """What the CA would answer had it followed this chain; None when it would not fail."""
        return boulder.ca_says(self.fetch) if self.outcome.blocking else None

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


def dns_findings(name: str, a: DnsAnswer, aaaa: DnsAnswer, *, blind_resolver: str | None = None) -> list[Finding]:
    """Why the name has no usable address, if it has none (with what the CA will answer).
    `blind_resolver` names a resolver that cannot see the name's TLD: its NXDOMAIN
    blames the resolver, not the name."""
    if a.records or aaaa.records:
        return []
    says = boulder.addresses_failed(name, [(x.rdtype, x.error) for x in (a, aaaa)])
    for answer in (a, aaaa):
        if answer.error == NXDOMAIN:
            if blind_resolver is not None:
                return [dns.resolver_blind(name, blind_resolver, name.rsplit(".", 1)[-1])]
            return [dns.dns_nxdomain(name, ca_says=says)]
    for answer in (a, aaaa):
        if answer.error == SERVFAIL:
            return [dns.dns_servfail(name, answer.rdtype, ca_says=says)]
    for answer in (a, aaaa):
        if answer.error == TIMEOUT:
            return [dns.dns_timeout(name, answer.rdtype, ca_says=says)]
    return [dns.dns_no_address(name, ca_says=says)]


def reserved_findings(name: str, refused: dict[str, str], *, usable_left: bool) -> list[Finding]:
    """`refused` maps each address the CA would drop to its reserved kind.

    Boulder drops reserved addresses and validates over the rest (`va/dns.go`
    `getAddrs`): only when none is left does the validation fail.
    """
    says = None if usable_left else boulder.no_addresses(name)
    return [
        dns.reserved_address(name, address, kind, usable_left=usable_left, ca_says=says)
        for address, kind in refused.items()
    ]


def caa_findings(caa: CaaSet, ca_identity: str, *, method: str = "http-01", wildcard: bool = False) -> list[Finding]:
    if caa.error is not None:
        failed = dns.dns_timeout if caa.error.error == TIMEOUT else dns.dns_servfail
        says = boulder.dns_failed(caa.error.name, "CAA", caa.error.error)
        return [failed(caa.error.name, "CAA", ca_says=says)]
    if not caa.records:
        return []
    decision = evaluate_caa(caa.records, ca_identity, wildcard=wildcard, method=method)
    records = [format_record(r) for r in caa.records]
    if not decision.allowed:
        says = boulder.caa_prevents(caa.owner or "")
        return [dns.caa_forbids(caa.owner, records, ca_identity, decision.reason, ca_says=says, method=method)]
    if decision.accounts:
        return [dns.caa_account_bound(caa.owner, records, ca_identity, list(decision.accounts))]
    if decision.restricts:
        return [dns.caa_allows(caa.owner, records, ca_identity)]
    return []


def without_repeats(findings: list[Finding], already: list[Finding]) -> list[Finding]:
    """One finding per DNS failure: a CAA lookup that failed as the address lookup did says nothing new."""
    seen = {(f.code, f.params.get("name")) for f in already}
    return [f for f in findings if (f.code, f.params.get("name")) not in seen]


# The address failures the zone's name servers can explain.
_NS_EXPLAINS = frozenset({"dns_nxdomain", "dns_servfail", "dns_timeout"})


def ns_findings(owner: str | None, servers: tuple[str, ...], address_findings: list[Finding]) -> list[Finding]:
    """Which servers answer for the zone: said only when it explains a failed lookup."""
    if not servers or not any(f.code in _NS_EXPLAINS for f in address_findings):
        return []
    return [dns.ns_delegation(owner, list(servers))]


def challenge_findings(name: str, judged: list[Judged], validation: Judged | None = None) -> list[Finding]:
    """Findings from the dry run of every address of the name, and of the chain the CA would follow.

    Each address shows what it does; its severity is what Boulder would make
    of it: an IPv6 address that cannot be connected to on the first request is
    a warning (Boulder falls back to IPv4), one that fails after connecting or
    on a redirect hop fails the validation. The CA's own chain (`validation`)
    comes first, so its words are the ones kept.
    """
    if not judged:
        return []
    # IPv4 answers: a chain from an IPv4 address got an answer, even if a redirect then led to IPv6.
    v4_works = any(j.family == 4 and (j.outcome.kind != c.UNREACHABLE or j.final_family == 6) for j in judged)
    findings: list[Finding | None] = []
    if validation is not None and validation.outcome.blocking:
        findings.append(_chain_finding(name, _cause(validation), v4_works, ca_says=validation.ca_says))
    findings += [_chain_finding(name, j, v4_works, ca_says=j.ca_says) for j in judged]
    out = _dedupe(findings)
    failing_v6 = {f.address for f in out if f.code == Code.IPV6_UNREACHABLE and f.blocks_renewal}
    out = [f for f in out if not (f.params.get("variant") == "fallback" and f.address in failing_v6)]
    answered = [j for j in judged if j.outcome.kind != c.UNREACHABLE]
    kinds = {j.outcome.kind for j in answered}
    if len(kinds) > 1:
        summary = ", ".join(f"{j.fetch.address}: {_outcome_label(j)}" for j in answered)
        says = next((j.ca_says for j in answered if j.ca_says), None)
        out.append(http.addresses_disagree(summary, blocking=any(j.outcome.blocking for j in answered), ca_says=says))
    return out


def _cause(validation: Judged) -> Judged:
    """What made the CA's chain fail: after a fallback that ends in a "loop" only because the
    first attempt had already followed the redirect, the first attempt's failure."""
    fetch = validation.fetch
    first = fetch.first_attempt
    if first is not None and first.hops and fetch.redirect_error == "loop":
        return judge(first, "challenge")
    return validation


def _chain_finding(name: str, j: Judged, v4_works: bool, *, ca_says: str | None) -> Finding | None:
    if j.outcome.kind == c.UNREACHABLE and j.final_family == 6 and v4_works:
        # fallbackErr: only a failure to connect, on the first URL, sends Boulder to IPv4.
        falls_back = j.fetch.phase == DIAL and not j.fetch.hops
        url, address = j.fetch.final_url or j.fetch.url, j.fetch.final_address or j.fetch.address
        return http.ipv6_unreachable(
            name,
            url,
            address,
            reason=j.outcome.params["reason"],
            falls_back=falls_back,
            ca_says=None if falls_back else ca_says,
        )
    return _outcome_finding(name, j, ca_says)


def root_findings(
    judged: list[Judged], challenge_blocked: bool, root_validator: RootValidator | None = None
) -> list[Finding]:
    """The site root, for hosts that validate it (the seed's failure). Where the host is
    known to fetch the root (`root_validator`), a restriction there blocks the renewal."""
    variant = "root_also" if challenge_blocked else "root_host" if root_validator else "root"
    host = None if challenge_blocked else root_validator
    findings = []
    for j in judged:
        url, address = j.fetch.final_url or j.fetch.url, j.fetch.final_address
        if j.outcome.kind == c.RESTRICTED:
            findings.append(access.access_restricted(url, address, variant=variant, host=host, **j.outcome.params))
        elif j.outcome.kind == c.FORBIDDEN:
            findings.append(access.access_forbidden(url, address, variant=variant, host=host, **j.outcome.params))
    return list(_dedupe(findings))


def certificate_findings(
    name: str,
    cert: Certificate | None,
    tls_error: str | None,
    port: int,
    now: datetime,
    thresholds: ExpiryThresholds = ExpiryThresholds(),
    *,
    ca_window_end: datetime | None = None,
) -> list[Finding]:
    """The served leaf: expiry points as shares of its lifetime (`lifetime.expiry_observations`;
    quiet while the CA's window `ca_window_end` is still ahead), name and trust."""
    if cert is None:
        if tls_error is None:
            return []
        return [certificate.tls_unreachable(name, port, tls_error)]
    findings: list[Finding] = []
    not_after = minute(cert.not_after)
    remaining = (cert.not_after - now).total_seconds() / 86400
    if remaining <= 0:
        findings.append(certificate.cert_expired(name, not_after, int(-remaining)))
    for seen in expiry_observations(cert.not_before, cert.not_after, now, thresholds, ca_window_end=ca_window_end):
        if isinstance(seen, CertExpiring):
            hours = int(seen.left.total_seconds() // 3600)
            findings.append(
                certificate.cert_expiring(name, cert.days_left, not_after, critical=seen.critical, hours_left=hours)
            )
        else:
            findings.append(certificate.renewal_overdue(cert.days_left, round(cert.lifetime_days)))
    if not cert.matches_host:
        findings.append(certificate.cert_name_mismatch(name, list(cert.sans) or [cert.subject]))
    # Expiry alone fails verification too; cert_expired has said that already.
    if not cert.trusted and not (remaining <= 0 and _only_expired(cert.verify_error)):
        findings.append(certificate.cert_untrusted(name, cert.verify_error or "unknown issuer"))
    return findings


def _only_expired(verify_error: str | None) -> bool:
    """Whether OpenSSL's verification message is about the validity period and nothing else."""
    return verify_error is not None and "expired" in verify_error.lower()


def _outcome_finding(name: str, j: Judged, ca_says: str | None) -> Finding | None:
    """The finding for one chain's outcome on the challenge path; None when it is healthy."""
    kind, params = j.outcome.kind, {**j.outcome.params, "ca_says": ca_says}
    url, address = j.fetch.final_url or j.fetch.url, j.fetch.final_address or j.fetch.address
    if kind == c.RESTRICTED:
        return access.access_restricted(url, address, variant="challenge", name=name, **params)
    if kind == c.FORBIDDEN:
        return access.access_forbidden(url, address, variant="challenge", name=name, **params)
    if kind == c.UNREACHABLE:
        return http.http_unreachable(name, url, address, port=_port_of(j.fetch), **params)
    if kind == c.BAD_REDIRECT:
        return http.bad_redirect(name, url, address, **params)
    if kind == c.INTERCEPTED:
        return http.challenge_intercepted(name, url, address, **params)
    if kind == c.CATCH_ALL:
        return http.challenge_catch_all(name, url, address, **params)
    if kind == c.SERVER_ERROR:
        return http.http_server_error(name, url, address, **params)
    if kind == c.UNEXPECTED:
        return http.http_unexpected_status(name, url, address, **params)
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
