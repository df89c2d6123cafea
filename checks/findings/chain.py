"""The chain the server sends (`checks.chain` observes it).

Warnings, because browsers often cope (they cache or fetch intermediates) while
API clients, curl and older phones fail; an expired intermediate is critical
when no valid path is left without it.
"""

from __future__ import annotations

from ..codes import Code
from ..model import Finding, Severity

CRITICAL, WARNING = Severity.CRITICAL, Severity.WARNING


def cert_chain_incomplete(missing_issuer: str, last_sent: str) -> Finding:
    return Finding(Code.CERT_CHAIN_INCOMPLETE, WARNING, {"missing_issuer": missing_issuer, "last_sent": last_sent})


def cert_chain_order(sent: list[str], expected: list[str]) -> Finding:
    return Finding(Code.CERT_CHAIN_ORDER, WARNING, {"sent": sent, "expected": expected})


def cert_chain_expired_intermediate(subject: str, not_after: str, *, still_verifies: bool) -> Finding:
    severity = WARNING if still_verifies else CRITICAL
    return Finding(Code.CERT_CHAIN_EXPIRED_INTERMEDIATE, severity, {"subject": subject, "not_after": not_after})


def cert_chain_cross_sign_expiring(subject: str, issuer: str, not_after: str) -> Finding:
    params = {"subject": subject, "issuer": issuer, "not_after": not_after}
    return Finding(Code.CERT_CHAIN_CROSS_SIGN_EXPIRING, WARNING, params)
