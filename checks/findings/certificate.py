"""The certificate served on the https port.

None of these blocks the renewal itself; they say what visitors see today.
Severity: expired, wrong name, untrusted, past the critical point
(`checks.lifetime`) and a renewal overdue by the CA's own window are
critical; past the warning point, a renewal overdue by the lifetime rule,
and no TLS at all (the site may be HTTP-only) are warnings.
"""

from __future__ import annotations

from ..codes import Code
from ..model import Finding, Severity

CRITICAL, WARNING = Severity.CRITICAL, Severity.WARNING


def cert_expired(name: str, not_after: str, days_ago: int) -> Finding:
    return Finding(Code.CERT_EXPIRED, CRITICAL, {"name": name, "not_after": not_after, "days_ago": days_ago})


def cert_expiring(
    name: str, days_left: int, not_after: str, *, critical: bool, hours_left: int | None = None
) -> Finding:
    """Past the warning point, or (`critical`) the critical one; under a day left it counts hours."""
    severity = CRITICAL if critical else WARNING
    params: dict[str, object] = {"name": name, "days_left": days_left, "not_after": not_after}
    if hours_left is not None and days_left < 1:
        params.update(variant="hours", hours_left=hours_left)
    return Finding(Code.CERT_EXPIRING, severity, params)


def renewal_overdue(
    days_left: int, lifetime: int, *, window_start: str | None = None, window_end: str | None = None
) -> Finding:
    """Without the CA's window: less than a third of the lifetime left, a warning. With it
    (`window_end` passed, the same certificate still served): critical, the window as evidence."""
    params: dict[str, object] = {"days_left": days_left, "lifetime": lifetime}
    if window_end is None:
        return Finding(Code.RENEWAL_OVERDUE, WARNING, params)
    return Finding(
        Code.RENEWAL_OVERDUE,
        CRITICAL,
        {**params, "variant": "ari", "window_start": window_start, "window_end": window_end},
    )


def cert_name_mismatch(name: str, sans: list[str]) -> Finding:
    return Finding(Code.CERT_NAME_MISMATCH, CRITICAL, {"name": name, "sans": sans})


def cert_untrusted(name: str, reason: str) -> Finding:
    """`reason` is OpenSSL's verification message."""
    return Finding(Code.CERT_UNTRUSTED, CRITICAL, {"name": name, "reason": reason})


def tls_unreachable(name: str, port: int, reason: str) -> Finding:
    return Finding(Code.TLS_UNREACHABLE, WARNING, {"name": name, "port": port, "reason": reason})
