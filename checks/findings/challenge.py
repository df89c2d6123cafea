"""Readiness for the renewal's own method, when it is not HTTP-01 (checks.challenge).

Severity: what makes the CA's DNS-01 or TLS-ALPN-01 validation fail is
critical (a name server that does not answer for the zone, no TLS on an
address, a wildcard under a method that cannot validate it); what it may
survive is a warning (servers that disagree, a pile-up of old TXT records).
"""

from __future__ import annotations

from ..codes import Code
from ..model import Finding, Severity

CRITICAL, WARNING = Severity.CRITICAL, Severity.WARNING


def dns01_lame_server(name: str, zone: str | None, server: str, problem: str) -> Finding:
    """`problem`: timeout, refused, servfail, refused by rcode, not_authoritative, no_address, reserved."""
    return Finding(Code.DNS01_LAME_SERVER, CRITICAL, {"name": name, "zone": zone, "server": server, "problem": problem})


def dns01_servers_disagree(name: str, zone: str | None, summary: str) -> Finding:
    return Finding(Code.DNS01_SERVERS_DISAGREE, WARNING, {"name": name, "zone": zone, "summary": summary})


def dns01_stale_txt(name: str, owner: str, count: int) -> Finding:
    return Finding(Code.DNS01_STALE_TXT, WARNING, {"name": name, "owner": owner, "count": count})


def tls_alpn_unreachable(name: str, address: str, port: int, reason: str) -> Finding:
    """`reason` is a `checks.transport.Reason`; `port` as the CA names it (443)."""
    params = {"name": name, "address": address, "port": port, "reason": reason}
    return Finding(Code.TLS_ALPN_UNREACHABLE, CRITICAL, params, address=address)


def wildcard_needs_dns01(name: str, method: str) -> Finding:
    return Finding(Code.WILDCARD_NEEDS_DNS01, CRITICAL, {"name": name, "method": method})
