"""DNS, CAA and the addresses a name resolves to.

Severity: everything that stops the CA finding or reaching the name, or
that makes it refuse to issue (a failed CAA lookup, a CAA set that does not
authorise it), is critical; facts about the zone are info. A reserved
address is critical only when no usable address is left: Boulder drops
reserved addresses and validates over the rest (`va/dns.go` `getAddrs`).
"""

from __future__ import annotations

from ..codes import Code
from ..model import Finding, Severity

CRITICAL, WARNING, INFO = Severity.CRITICAL, Severity.WARNING, Severity.INFO


def dns_nxdomain(name: str, *, ca_says: str | None = None) -> Finding:
    return Finding(Code.DNS_NXDOMAIN, CRITICAL, {"name": name, "ca_says": ca_says})


def resolver_blind(name: str, resolver: str, tld: str) -> Finding:
    """The resolver denies the TLD itself: its NXDOMAIN for the name proves nothing (inconclusive)."""
    return Finding(Code.RESOLVER_BLIND, Severity.WARNING, {"name": name, "resolver": resolver, "tld": tld})


def dns_no_address(name: str, *, ca_says: str | None = None) -> Finding:
    return Finding(Code.DNS_NO_ADDRESS, CRITICAL, {"name": name, "ca_says": ca_says})


def dns_servfail(name: str, rdtype: str, *, ca_says: str | None = None) -> Finding:
    """Often broken DNSSEC; for CAA, Let's Encrypt refuses to issue."""
    return Finding(Code.DNS_SERVFAIL, CRITICAL, {"name": name, "rdtype": rdtype, "ca_says": ca_says})


def dns_timeout(name: str, rdtype: str, *, ca_says: str | None = None) -> Finding:
    return Finding(Code.DNS_TIMEOUT, CRITICAL, {"name": name, "rdtype": rdtype, "ca_says": ca_says})


def reserved_address(name: str, address: str, kind: str, *, usable_left: bool, ca_says: str | None = None) -> Finding:
    """`kind` is `checks.guard.AddressGuard.ca_refusal`'s word: loopback, private, metadata, translated, ...

    Beside a usable address it is a warning (variant `dropped`): the CA skips it,
    visitors may not."""
    params: dict[str, object] = {"name": name, "address": address, "kind": kind}
    if usable_left:
        return Finding(Code.RESERVED_ADDRESS, WARNING, {**params, "variant": "dropped"}, address=address)
    params.update(ca_says=ca_says, variant=None)
    return Finding(Code.RESERVED_ADDRESS, CRITICAL, params, address=address)


def caa_forbids(
    owner: str | None,
    records: list[str],
    ca: str,
    caa_reason: str | None,
    *,
    ca_says: str | None = None,
    method: str = "http-01",
) -> Finding:
    """`caa_reason` is `checks.caa.CaaDecision.reason`: issue, critical, account or method;
    `method` is the renewal's validation method the records were judged for."""
    params = {"owner": owner, "records": records, "ca": ca, "caa_reason": caa_reason, "ca_says": ca_says}
    params["method"] = method
    return Finding(Code.CAA_FORBIDS, CRITICAL, params)


def caa_allows(owner: str | None, records: list[str], ca: str) -> Finding:
    return Finding(Code.CAA_ALLOWS, INFO, {"owner": owner, "records": records, "ca": ca})


def caa_account_bound(owner: str | None, records: list[str], ca: str, accounts: list[str]) -> Finding:
    """CAA lets the CA issue only to the ACME accounts named (RFC 8657 `accounturi`).

    Info, not a warning: certcheck cannot see which account the renewal uses,
    and a binding is set on purpose; the detail says what to keep in step."""
    return Finding(Code.CAA_ACCOUNT_BOUND, INFO, {"owner": owner, "records": records, "ca": ca, "accounts": accounts})


def ns_delegation(owner: str | None, ns: list[str]) -> Finding:
    return Finding(Code.NS_DELEGATION, INFO, {"owner": owner, "ns": ns})
