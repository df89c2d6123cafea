"""Which redirects the CA follows: Boulder's rules, as pure functions.

Each rule cites the Boulder function it follows (`letsencrypt/boulder`,
`va/http.go`). The order of the checks is Boulder's, so a redirect that breaks
two rules is refused for the same reason the CA gives. Resolving the target
and choosing its address is the prober's (`checks.http01`), as it needs DNS.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Callable
from urllib.parse import unquote, urljoin, urlsplit

from .names import InputError, normalise_domain

# va/http.go `maxRedirect`; `processRedirect` refuses when `numRedirects > maxRedirect`
# before counting the redirect it is asked about, so 11 are followed and the 12th refused.
MAX_REDIRECTS = 10
# va/http.go `maxPathSize`: the decoded path of a redirect target, in bytes.
MAX_PATH = 2000
# Go's http.Client calls Boulder's redirect callback for these; of them, Boulder's
# `processRedirect` accepts only 301, 302, 307 and 308 (the BRs' list), so a 303 fails.
FOLLOWED_BY_GO = frozenset({301, 302, 303, 307, 308})
ACCEPTED = frozenset({301, 302, 307, 308})

# The CA's refusal of an address (`checks.guard.AddressGuard.ca_refusal`): None when usable.
Refusal = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Target:
    """A redirect target the CA would follow: its URL, host and whether the host is an IP literal."""

    url: str
    host: str
    ip_literal: bool


def join(current: str, location: str) -> str | None:
    """The absolute redirect target, host lower-cased as `processRedirect` does; None if unusable."""
    location = location.strip()
    if not location or any(c in location for c in "\r\n\x00"):
        return None
    try:
        parts = urlsplit(urljoin(current, location))
    except ValueError:
        return None
    if not parts.scheme:
        return None
    return parts._replace(netloc=parts.netloc.lower(), fragment="").geturl()


def vet(
    target: str, *, redirects_so_far: int, status: int, allowed_ports: set[int], lab: bool, reserved: Refusal
) -> tuple[str | None, Target | None]:
    """(why the CA refuses the redirect, None) or (None, the target to resolve).

    `reserved(address)` names why the CA refuses an IP literal, None when it does not.
    """
    # processRedirect: the count first, then the status code.
    if redirects_so_far > MAX_REDIRECTS:
        return "too_many", None
    if status not in ACCEPTED:
        return "status303", None
    problem, found = _extract_request_target(target, allowed_ports, lab, reserved)
    if problem is not None:
        return problem, None
    # processRedirect: `len(redirPath) > maxPathSize`, on the decoded path.
    if len(unquote(urlsplit(target).path).encode("utf-8", "surrogateescape")) > MAX_PATH:
        return "too_long", None
    return None, found


def _extract_request_target(
    target: str, allowed_ports: set[int], lab: bool, reserved: Refusal
) -> tuple[str | None, Target | None]:
    """Boulder's `extractRequestTarget`: scheme, port, empty host, `.well-known`, IP literal, IANA TLD."""
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https"):
        return "scheme", None
    try:
        port = parts.port
    except ValueError:
        return "invalid", None
    if port is not None and port not in allowed_ports:
        return "port", None
    host = parts.hostname or ""
    if not host:
        return "empty_host", None
    # The missing '/' of `Redirect / https://example.com` gives https://example.com.well-known/...
    if host.endswith(".well-known"):
        return "well_known", None
    if "%" in host:  # an IPv6 scope zone (RFC 6874): "contains scope zone"
        return "zone", None
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        if reserved(str(ip)) is not None:
            return "ip_reserved", None
        return None, Target(target, str(ip), True)
    # `iana.ExtractSuffix` finds no TLD for a name ending in a dot, or in one IANA has not assigned.
    if host.endswith("."):
        return "host", None
    try:
        name = normalise_domain(host, lab=lab)
    except InputError:
        return "host", None
    return None, Target(target, name, False)
