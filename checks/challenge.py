"""Is each name ready for the renewal's own method? DNS-01 and TLS-ALPN-01 readiness.

HTTP-01 is the dry run of `checks.namecheck`. A wildcard can only be renewed
over DNS-01, and many teams renew over DNS-01 (cert-manager, acme.sh with a
DNS API) or TLS-ALPN-01 (Caddy, Traefik): for those orders the HTTP-01
findings are information, and these are the checks that matter.

DNS-01: `_acme-challenge.<name>` is followed through any CNAME delegation to
the zone it ends in; each of that zone's name servers is asked directly (the
CA's resolver may ask any of them), and each must answer authoritatively and
the same; CAA must allow `dns-01`; a pile-up of TXT records is named.
TLS-ALPN-01: port 443 answers TLS 1.2 or later on every address the CA may try.
"""

from __future__ import annotations

import asyncio

import dns.exception
import dns.flags
import dns.message
import dns.rcode

from . import judge
from .dns import SERVFAIL, TIMEOUT
from .findings import challenge as found
from .findings import dns as dns_found
from .model import Finding
from .namecheck import Shared, ordered
from .tls import tls_reachable

HTTP_01, DNS_01, TLS_ALPN_01, AUTO = "http-01", "dns-01", "tls-alpn-01", "auto"
METHODS = (HTTP_01, DNS_01, TLS_ALPN_01, AUTO)
# More TXT records than this at the challenge name: old tokens nobody removes.
MAX_TXT_RECORDS = 3
_MAX_SERVERS = 8
_QUERY_TIMEOUT = 2.0


def order_method(requested: str, names: list[str]) -> str:
    """The method the order renews by: the one asked for, or (auto) DNS-01 when a wildcard is in it."""
    if requested != AUTO:
        return requested
    return DNS_01 if any(n.startswith("*.") for n in names) else HTTP_01


async def readiness(name: str, method: str, shared: Shared) -> list[Finding]:
    """The findings for one name of the order under `method` (DNS-01 or TLS-ALPN-01)."""
    wildcard = name.startswith("*.")
    base = name[2:] if wildcard else name
    if method == TLS_ALPN_01:
        # A wildcard under TLS-ALPN-01 is said once for the order (wildcard_needs_dns01).
        return [] if wildcard else await _tls_alpn(base, shared)
    caa = await shared.lookup.caa(base)
    out = judge.caa_findings(caa, shared.options.ca_identity, method=DNS_01, wildcard=wildcard)
    return out + await _dns01(base, shared)


async def _dns01(name: str, shared: Shared) -> list[Finding]:
    owner = f"_acme-challenge.{name}"
    txt = await shared.lookup.query(owner, "TXT")
    if txt.error == SERVFAIL:
        return [dns_found.dns_servfail(owner, "TXT")]
    if txt.error == TIMEOUT:
        return [dns_found.dns_timeout(owner, "TXT")]
    target = txt.cnames[-1] if txt.cnames else owner
    out: list[Finding] = []
    if len(txt.records) > MAX_TXT_RECORDS:
        out.append(found.dns01_stale_txt(name, target, len(txt.records)))
    zone, servers = await shared.lookup.zone_servers(target)
    if not servers:
        return out
    asked = await asyncio.gather(*(_ask(server, target, shared) for server in servers[:_MAX_SERVERS]))
    answers: dict[str, str] = {}
    for server, (answer, problem) in zip(servers, asked, strict=False):
        if problem is not None:
            out.append(found.dns01_lame_server(name, zone, server, problem))
        elif answer:
            answers[server] = answer
    if len(set(answers.values())) > 1:
        summary = "; ".join(f"{server}: {answer}" for server, answer in answers.items())
        out.append(found.dns01_servers_disagree(name, zone, summary))
    return out


async def _ask(server: str, target: str, shared: Shared) -> tuple[str, str | None]:
    """(what `server` answers for the TXT at `target`, None), ("", why it is lame), or
    ("", None) when it could not be told in the time left."""
    a, aaaa = await shared.lookup.addresses(server)
    addresses = ordered(a, aaaa)
    if not addresses:
        return "", "no_address"
    # The resolver the operator configured may be asked directly: it is no stranger's address.
    configured = shared.options.resolver[0] if shared.options.resolver else None
    allowed = [x for x in addresses if x == configured or shared.guard.allows(x)]
    if not allowed:
        return "", "reserved"
    # A lab's name servers listen where its resolver does; the public ones on 53.
    port = shared.options.resolver[1] if shared.options.lab_mode and shared.options.resolver else 53
    loop = asyncio.get_running_loop()
    timeout = max(0.2, min(_QUERY_TIMEOUT, shared.probe_deadline - loop.time()))
    query = dns.message.make_query(target, "TXT")
    query.flags &= ~dns.flags.RD
    try:
        async with asyncio.timeout(timeout):
            response = dns.message.from_wire(await _exchange(query.to_wire(), allowed[0], port))
    except TimeoutError:
        # Silence within our own cut-short budget says nothing about the server.
        return "", "timeout" if timeout >= _QUERY_TIMEOUT else None
    except OSError:
        return "", "refused"
    except dns.exception.DNSException:
        return "", "malformed"
    rcode = response.rcode()
    if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
        return "", dns.rcode.to_text(rcode).lower()
    if not response.flags & dns.flags.AA:
        return "", "not_authoritative"
    records = sorted(
        rd.to_text() for rrset in response.answer for rd in rrset if rrset.rdtype == query.question[0].rdtype
    )
    return (", ".join(records) or dns.rcode.to_text(rcode)), None


async def _exchange(wire: bytes, address: str, port: int) -> bytes:
    """One query over a connected UDP socket: a host with no DNS server refuses at once (ICMP)."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[bytes] = loop.create_future()

    class _Protocol(asyncio.DatagramProtocol):
        def datagram_received(self, data: bytes, addr: object) -> None:
            if not answer.done():
                answer.set_result(data)

        def error_received(self, exc: Exception) -> None:
            if not answer.done():
                answer.set_exception(exc)

    transport, _ = await loop.create_datagram_endpoint(_Protocol, remote_addr=(address, port))
    try:
        transport.sendto(wire)
        return await answer
    finally:
        transport.close()


async def _tls_alpn(name: str, shared: Shared) -> list[Finding]:
    options = shared.options
    caa = await shared.lookup.caa(name)
    out = judge.caa_findings(caa, options.ca_identity, method=TLS_ALPN_01)
    a, aaaa = await shared.lookup.addresses(name)
    allowed = [x for x in ordered(a, aaaa) if shared.guard.allows(x)]
    loop = asyncio.get_running_loop()
    timeout = max(0.1, shared.probe_deadline - loop.time())
    reasons = await asyncio.gather(*(tls_reachable(name, x, options.https_port, timeout) for x in allowed))
    for address, reason in zip(allowed, reasons, strict=True):
        if reason is not None:
            out.append(found.tls_alpn_unreachable(name, address, 443, reason))
    return out
