"""What the CA will answer, in Boulder's own words. Pure functions.

A failed HTTP-01 validation reaches the subscriber as Boulder's problem
detail: `detailedError` (`va/va.go`) prefixes the address used, and
`Fetching <url>: ` for anything that happened inside Go's HTTP client (a
transport failure, a redirect the callback refused), then Boulder's message.
The sentences here are copied from `va/http.go`, `va/va.go` and `va/dns.go`
and stay English in every language: they are what the CA prints.
"""

from __future__ import annotations

import ipaddress
import json
from urllib.parse import urlsplit

from .guard import reserved_kind
from .http01 import DIAL, Fetch
from .transport import Reason

# va/va.go `detailedError`, by the transport failure and whether the connection was made.
_TRANSPORT: dict[str, str] = {
    Reason.TIMEOUT: "Timeout after connect (your server may be slow or overloaded)",
    Reason.REFUSED: "Connection refused",
    Reason.RESET: "Connection reset by peer",
}
_CONNECT_TIMEOUT = "Timeout during connect (likely firewall problem)"
GENERIC = "Error getting validation data"

# va/http.go `processRedirect` and `extractRequestTarget`.
_REDIRECT = {
    "too_many": "Too many redirects",
    "status303": "received disallowed redirect status code",
    "port": "Invalid port in redirect target. Only ports 80 and 443 are supported, not {port}",
    "scheme": 'Invalid protocol scheme in redirect target. Only "http" and "https" protocol schemes are supported, not "{scheme}"',
    "empty_host": "Invalid empty host in redirect target",
    "well_known": "Invalid host in redirect target \"{host}\". Check webserver config for missing '/' in redirect target.",
    "zone": "Invalid host in redirect target: contains scope zone",
    "ip_reserved": "Invalid host in redirect target: IP address is in a reserved address block{block}",
    "host": "Invalid host in redirect target, must end in IANA registered TLD",
    "too_long": "Redirect target too long",
    "loop": "Redirect loop detected",
    "dns": "{dns}",
    "private": "{dns}",
    "invalid": GENERIC,
}

# iana/data: the registry entries `iana.IsReservedAddr` names, for the common reserved kinds.
_BLOCKS = {
    (4, "private"): "[RFC1918]: Private-Use",
    (4, "loopback"): "[RFC1122]: Loopback",
    (4, "link_local"): "[RFC3927]: Link Local",
    (4, "metadata"): "[RFC3927]: Link Local",
    (4, "shared"): "[RFC6598]: Shared Address Space",
    (6, "loopback"): "[RFC4291]: Loopback Address",
    (6, "link_local"): "[RFC4291]: Link-Local Unicast",
    (6, "private"): "[RFC4193] [RFC8190]: Unique-Local",
}


# bdns/problem.go `Error.Error`: the resolver's failure, and the explanation added for some rcodes.
_DNS = {
    "nxdomain": "NXDOMAIN looking up {rdtype} for {name} - check that a DNS record exists for this domain",
    "servfail": "SERVFAIL looking up {rdtype} for {name} - the domain's nameservers may be malfunctioning",
    "timeout": "query timed out looking up {rdtype} for {name}",
}


def dns_failed(name: str, rdtype: str, error: str | None) -> str:
    """One lookup's failure as bdns words it; no error at all: `getAddrs`'s "no valid ... records"."""
    template = _DNS.get(error or "")
    if template is None:
        return f"no valid {rdtype} records found for {name}"
    return "DNS problem: " + template.format(rdtype=rdtype, name=name)


def addresses_failed(name: str, failures: "list[tuple[str, str | None]]") -> str:
    """va/dns.go `getAddrs` when neither A nor AAAA gives an address: both failures, joined by "; "."""
    return "; ".join(dns_failed(name, rdtype, error) for rdtype, error in failures)


def caa_prevents(owner: str) -> str:
    """va/caa.go: the CAA set found at `owner` does not authorise the CA."""
    return f"CAA record for {owner} prevents issuance"


def no_addresses(name: str) -> str:
    """va/dns.go `getAddrs` when no usable A or AAAA record is left (reserved ones are dropped)."""
    return f"no valid A records found for {name}; no valid AAAA records found for {name}"


def ca_says(fetch: Fetch) -> str | None:
    """The problem detail the CA would give for this request chain; None when it would pass on.

    A 404 or 410 for the random token is the one answer that says nothing
    about the real one, so it gets no words.
    """
    ip = fetch.final_address or fetch.address
    url = fetch.final_url or fetch.url
    if fetch.error is not None:
        timed_out_dialling = fetch.error == Reason.TIMEOUT and fetch.phase == DIAL
        words = _CONNECT_TIMEOUT if timed_out_dialling else _TRANSPORT.get(fetch.error, GENERIC)
        return f"{ip}: Fetching {url}: {words}"
    if fetch.redirect_error is not None:
        target = fetch.redirect_target or ""
        return f"{ip}: Fetching {target}: {_redirect_words(fetch.redirect_error, target)}"
    answer = fetch.answer
    if answer is None or answer.status in (404, 410):
        return None
    if answer.status != 200:
        return f"{ip}: Invalid response from {url}: {answer.status}"
    # validateHTTP01 reads at most maxResponseSize (128) bytes; a full read is refused as too big.
    body = answer.body[:128]
    if len(body) >= 128:
        return f"{ip}: Invalid response from {url}: {_go_quote(body)}"
    token = urlsplit(url).path.rsplit("/", 1)[-1]
    got = body.decode("utf-8", "replace").rstrip()
    return (
        "The key authorization file from the server did not match this challenge. "
        f'Expected "{token}.<account key thumbprint>" (got {_go_quote(got.encode())})'
    )


def _redirect_words(reason: str, target: str) -> str:
    parts = urlsplit(target)
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        port = None
    block = ""
    if reason == "ip_reserved":
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            ip = None
        entry = _BLOCKS.get((ip.version, reserved_kind(ip) or "")) if ip else None
        block = f": {entry}" if entry else ""
    template = _REDIRECT.get(reason, GENERIC)
    return template.format(port=port, scheme=parts.scheme, host=host, block=block, dns=no_addresses(host))


def _go_quote(data: bytes) -> str:
    """Go's %q, closely enough: a double-quoted string with escapes."""
    return json.dumps(data.decode("utf-8", "replace"), ensure_ascii=False)
