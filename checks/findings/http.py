"""What the dry run of the challenge path met, other than a 401 or 403.

Severity: what fails the CA's request is critical (no connection, a redirect
it refuses, a trap page, an IPv6 address that refuses where IPv4 works);
what it survives is a warning (an HTML catch-all, 5xx, other statuses, an
IPv6 timeout, which Let's Encrypt retries over IPv4).
"""

from __future__ import annotations

from ..codes import Code
from ..model import Finding, Severity
from ..transport import Reason

CRITICAL, WARNING = Severity.CRITICAL, Severity.WARNING
_PATH = "challenge"  # every finding here is about the challenge path


def http_unreachable(name: str, url: str, address: str, *, reason: str, port: int) -> Finding:
    """Port 80 refused, reset or timed out; `port` as the CA names it (80 even in a lab)."""
    params = {"reason": reason, **_where(name, url, address), "port": port}
    return Finding(Code.HTTP_UNREACHABLE, CRITICAL, params, url=url, address=address)


def ipv6_unreachable(name: str, url: str, address: str, *, reason: str) -> Finding:
    """An AAAA address fails where IPv4 works. Let's Encrypt falls back to IPv4 after a
    timeout only: a refused or reset IPv6 connection fails the validation outright."""
    timeout = reason == Reason.TIMEOUT
    params = {"name": name, "address": address, "reason": reason, "variant": "timeout" if timeout else None}
    return Finding(Code.IPV6_UNREACHABLE, WARNING if timeout else CRITICAL, params, url=url, address=address)


def addresses_disagree(summary: str, *, blocking: bool) -> Finding:
    """The addresses of one name answer differently: critical if one of them blocks."""
    return Finding(Code.ADDRESSES_DISAGREE, CRITICAL if blocking else WARNING, {"summary": summary})


def bad_redirect(name: str, url: str, address: str, *, redirect_reason: str, target: str | None) -> Finding:
    params = {"redirect_reason": redirect_reason, "target": target, **_where(name, url, address)}
    return Finding(Code.BAD_REDIRECT, CRITICAL, params, url=url, address=address)


def challenge_intercepted(
    name: str, url: str, address: str, *, status: int, trap: str, firewall: str | None
) -> Finding:
    """A known trap page (test cookie, HTTPS port, firewall) stands in for the file."""
    params = {"status": status, "trap": trap, "firewall": firewall, **_where(name, url, address)}
    return Finding(Code.CHALLENGE_INTERCEPTED, CRITICAL, params, url=url, address=address)


def challenge_catch_all(name: str, url: str, address: str, *, status: int, content_type: str) -> Finding:
    """An HTML page for a random token: the real token may be served, or may not."""
    params = {"status": status, "content_type": content_type, **_where(name, url, address)}
    return Finding(Code.CHALLENGE_CATCH_ALL, WARNING, params, url=url, address=address)


def http_server_error(name: str, url: str, address: str, *, status: int) -> Finding:
    return Finding(Code.HTTP_SERVER_ERROR, WARNING, {"status": status, **_where(name, url, address)}, url=url, address=address)


def http_unexpected_status(name: str, url: str, address: str, *, status: int) -> Finding:
    params = {"status": status, **_where(name, url, address)}
    return Finding(Code.HTTP_UNEXPECTED_STATUS, WARNING, params, url=url, address=address)


def _where(name: str, url: str, address: str) -> dict[str, object]:
    return {"name": name, "url": url, "address": address, "variant": _PATH}
