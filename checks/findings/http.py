"""What the dry run of the challenge path met, other than a 401 or 403.

Severity: what fails the CA's request is critical (no connection, a redirect
it refuses, a trap page, an IPv6 address that refuses where IPv4 works), and
so is every answer to a random token but 404 and 410: Boulder accepts only a
200 with the key authorisation, which an answer that does not depend on the
token cannot be (a catch-all page, 5xx, 429, 400, 204, a plain 200, a 3xx
without Location). What it survives is a warning (an IPv6 timeout, which
Let's Encrypt retries over IPv4).
"""

from __future__ import annotations

from ..codes import Code
from ..model import Finding, Severity

CRITICAL, WARNING = Severity.CRITICAL, Severity.WARNING
_PATH = "challenge"  # every finding here is about the challenge path


def http_unreachable(
    name: str, url: str, address: str, *, reason: str, port: int, ca_says: str | None = None
) -> Finding:
    """Port 80 refused, reset or timed out; `port` as the CA names it (80 even in a lab)."""
    params = {"reason": reason, **_where(name, url, address, ca_says), "port": port}
    return Finding(Code.HTTP_UNREACHABLE, CRITICAL, params, url=url, address=address)


def ipv6_unreachable(
    name: str, url: str, address: str, *, reason: str, falls_back: bool, ca_says: str | None = None
) -> Finding:
    """An AAAA address fails where IPv4 works.

    Boulder falls back to the first A only when the first request could not
    connect at all (refused, unreachable, connect timeout: `fallbackErr`):
    then a warning, variant `fallback`. A connection made and then failing,
    or a failure on a redirect hop (which starts at the first AAAA again),
    fails the validation: critical.
    """
    params: dict[str, object] = {"name": name, "address": address, "reason": reason}
    if falls_back:
        return Finding(Code.IPV6_UNREACHABLE, WARNING, {**params, "variant": "fallback"}, url=url, address=address)
    params.update(url=url, ca_says=ca_says, variant=None)
    return Finding(Code.IPV6_UNREACHABLE, CRITICAL, params, url=url, address=address)


def addresses_disagree(summary: str, *, blocking: bool, ca_says: str | None = None) -> Finding:
    """The addresses of one name answer differently: critical if one of them blocks."""
    return Finding(Code.ADDRESSES_DISAGREE, CRITICAL if blocking else WARNING, {"summary": summary, "ca_says": ca_says})


def bad_redirect(
    name: str, url: str, address: str, *, redirect_reason: str, target: str | None, ca_says: str | None = None
) -> Finding:
    params = {"redirect_reason": redirect_reason, "target": target, **_where(name, url, address, ca_says)}
    return Finding(Code.BAD_REDIRECT, CRITICAL, params, url=url, address=address)


def challenge_intercepted(
    name: str, url: str, address: str, *, status: int, trap: str, firewall: str | None, ca_says: str | None = None
) -> Finding:
    """A known trap page (test cookie, HTTPS port, firewall) stands in for the file."""
    params = {"status": status, "trap": trap, "firewall": firewall, **_where(name, url, address, ca_says)}
    return Finding(Code.CHALLENGE_INTERCEPTED, CRITICAL, params, url=url, address=address)


def challenge_catch_all(
    name: str, url: str, address: str, *, status: int, content_type: str, ca_says: str | None = None
) -> Finding:
    """A 200 page (HTML, JSON) for a random token: the CA would get it instead of the key authorisation."""
    params = {"status": status, "content_type": content_type, **_where(name, url, address, ca_says)}
    return Finding(Code.CHALLENGE_CATCH_ALL, CRITICAL, params, url=url, address=address)


def http_server_error(name: str, url: str, address: str, *, status: int, ca_says: str | None = None) -> Finding:
    return Finding(
        Code.HTTP_SERVER_ERROR,
        CRITICAL,
        {"status": status, **_where(name, url, address, ca_says)},
        url=url,
        address=address,
    )


def http_unexpected_status(name: str, url: str, address: str, *, status: int, ca_says: str | None = None) -> Finding:
    """Any status but 404/410 (and 401, 403, 5xx, which have codes of their own): 429, 400, 204, 200, a bare 3xx."""
    params = {"status": status, **_where(name, url, address, ca_says)}
    return Finding(Code.HTTP_UNEXPECTED_STATUS, CRITICAL, params, url=url, address=address)


def _where(name: str, url: str, address: str, ca_says: str | None) -> dict[str, object]:
    return {"name": name, "url": url, "address": address, "variant": _PATH, "ca_says": ca_says}
