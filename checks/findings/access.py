"""401 and 403 on the challenge path or the site root.

Severity: critical when the challenge path is closed (variant `challenge`,
or `root_also` when the root is closed as well), and when only the root is
but the host is known to fetch it (`root_host`: recognised by
`checks.hosting`, or told); a warning when only the root is and the host is
not known (`root`): plain ACME passes, hosts that validate the root fail.
"""

from __future__ import annotations

from ..codes import Code
from ..hosting import RootValidator
from ..model import Finding, Severity


def access_restricted(
    url: str,
    address: str | None,
    *,
    variant: str,
    scheme: str | None,
    realm: str | None,
    name: str | None = None,
    status: int = 401,
    ca_says: str | None = None,
    host: RootValidator | None = None,
) -> Finding:
    """401, with or without `WWW-Authenticate` (`scheme`, `realm` from it)."""
    params = {
        "status": status,
        "scheme": scheme,
        "realm": realm,
        **_where(variant, url, address, name, ca_says),
        **_host(host),
    }
    return Finding(Code.ACCESS_RESTRICTED, _severity(variant), params, url=url, address=address)


def access_forbidden(
    url: str,
    address: str | None,
    *,
    variant: str,
    firewall: str | None,
    name: str | None = None,
    status: int = 403,
    ca_says: str | None = None,
    host: RootValidator | None = None,
) -> Finding:
    """403: an IP allow-list, a WAF (`firewall` names a recognised block page), `Deny from all`."""
    params = {"status": status, "firewall": firewall, **_where(variant, url, address, name, ca_says), **_host(host)}
    return Finding(Code.ACCESS_FORBIDDEN, _severity(variant), params, url=url, address=address)


def _severity(variant: str) -> Severity:
    return Severity.WARNING if variant == "root" else Severity.CRITICAL


def _host(host: RootValidator | None) -> dict[str, object]:
    """Variant `root_host`: which host fetches the root, and how certcheck knows."""
    return {} if host is None else {"host": host.host, "signal": host.signal, "ptr": host.ptr}


def _where(variant: str, url: str, address: str | None, name: str | None, ca_says: str | None) -> dict[str, object]:
    # The root's words name only the URL; the challenge path's name the address too, and
    # what the CA will answer (it never asks for the root).
    if name is None:
        return {"variant": variant, "url": url}
    return {"name": name, "url": url, "address": address, "variant": variant, "ca_says": ca_says}
