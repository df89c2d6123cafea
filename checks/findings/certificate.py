"""The certificate served on the https port.

None of these blocks the renewal itself; they say what visitors see today.
Severity: expired, wrong name, untrusted and fewer than `critical_days` left
are critical; fewer than the warning threshold, an overdue renewal, and no
TLS at all (the site may be HTTP-only) are warnings.
"""

from __future__ import annotations

from ..codes import Code
from ..model import Finding, Severity

CRITICAL, WARNING = Severity.CRITICAL, Severity.WARNING


def cert_expired(name: str, not_after: str, days_ago: int) -> Finding:
    return Finding(Code.CERT_EXPIRED, CRITICAL, {"name": name, "not_after": not_after, "days_ago": days_ago})


def cert_expiring(name: str, days_left: int, not_after: str, *, critical_days: int) -> Finding:
    severity = CRITICAL if days_left < critical_days else WARNING
    return Finding(Code.CERT_EXPIRING, severity, {"name": name, "days_left": days_left, "not_after": not_after})


def renewal_overdue(days_left: int, lifetime: int) -> Finding:
    """Less than a third of the lifetime left: automatic renewal should have happened."""
    return Finding(Code.RENEWAL_OVERDUE, WARNING, {"days_left": days_left, "lifetime": lifetime})


def cert_name_mismatch(name: str, sans: list[str]) -> Finding:
    return Finding(Code.CERT_NAME_MISMATCH, CRITICAL, {"name": name, "sans": sans})


def cert_untrusted(name: str, reason: str) -> Finding:
    """`reason` is OpenSSL's verification message."""
    return Finding(Code.CERT_UNTRUSTED, CRITICAL, {"name": name, "reason": reason})


def tls_unreachable(name: str, port: int, reason: str) -> Finding:
    return Finding(Code.TLS_UNREACHABLE, WARNING, {"name": name, "port": port, "reason": reason})
