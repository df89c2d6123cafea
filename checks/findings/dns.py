"""DNS, CAA and the addresses a name resolves to.

Severity: everything that stops the CA finding or reaching the name, or
that makes it refuse to issue (a failed CAA lookup, a CAA set that does not
authorise it), is critical; facts about the zone are info.
"""

from __future__ import annotations

from ..codes import Code
from ..model import Finding, Severity

CRITICAL, INFO = Severity.CRITICAL, Severity.INFO


def dns_nxdomain(name: str) -> Finding:
    return Finding(Code.DNS_NXDOMAIN, CRITICAL, {"name": name})


def resolver_blind(name: str, resolver: str, tld: str) -> Finding:
    """The resolver denies the TLD itself: its NXDOMAIN for the name proves nothing (inconclusive)."""
    return Finding(Code.RESOLVER_BLIND, Severity.WARNING, {"name": name, "resolver": resolver, "tld": tld})


def dns_no_address(name: str) -> Finding:
    return Finding(Code.DNS_NO_ADDRESS, CRITICAL, {"name": name})


def dns_servfail(name: str, rdtype: str) -> Finding:
    """Often broken DNSSEC; for CAA, Let's Encrypt refuses to issue."""
    return Finding(Code.DNS_SERVFAIL, CRITICAL, {"name": name, "rdtype": rdtype})


def dns_timeout(name: str, rdtype: str) -> Finding:
    return Finding(Code.DNS_TIMEOUT, CRITICAL, {"name": name, "rdtype": rdtype})


def reserved_address(name: str, address: str, kind: str) -> Finding:
    """`kind` is `checks.guard.reserved_kind`'s word: loopback, private, metadata, ..."""
    return Finding(Code.RESERVED_ADDRESS, CRITICAL, {"name": name, "address": address, "kind": kind}, address=address)


def caa_forbids(owner: str | None, records: list[str], ca: str, caa_reason: str | None) -> Finding:
    """`caa_reason` is `checks.caa.CaaDecision.reason`: issue, critical or method."""
    params = {"owner": owner, "records": records, "ca": ca, "caa_reason": caa_reason}
    return Finding(Code.CAA_FORBIDS, CRITICAL, params)


def caa_allows(owner: str | None, records: list[str], ca: str) -> Finding:
    return Finding(Code.CAA_ALLOWS, INFO, {"owner": owner, "records": records, "ca": ca})


def ns_delegation(owner: str | None, ns: list[str]) -> Finding:
    return Finding(Code.NS_DELEGATION, INFO, {"owner": owner, "ns": ns})
