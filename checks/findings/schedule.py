"""What the CA's schedule says about the served certificate: its ARI window, a newer
certificate in CT logs, and how long the next one will live.

`checks.ari_window`, `checks.ct` and `checks.lifetime` observe; these decide the
severity and the parameters (dates already in the words' form, `clock.minute`).
None of them blocks a renewal: they say whether the renewal happened, and when.
"""

from __future__ import annotations

from ..codes import Code
from ..model import Finding, Severity

CRITICAL, WARNING, INFO = Severity.CRITICAL, Severity.WARNING, Severity.INFO


def renewal_window_open(window_start: str, window_end: str) -> Finding:
    """Info: the CA's suggested window is open, it expects a renewal now."""
    return Finding(Code.RENEWAL_WINDOW_OPEN, INFO, {"window_start": window_start, "window_end": window_end})


def ca_replacement_requested(replace_by: str, window_start: str, explanation_url: str | None) -> Finding:
    """Critical: the CA moved the window early (or explains it while open): replace by `replace_by`."""
    params = {"replace_by": replace_by, "window_start": window_start, "explanation_url": explanation_url}
    return Finding(Code.CA_REPLACEMENT_REQUESTED, CRITICAL, params, url=explanation_url)


def ari_not_followed(window_end: str, replaced_at: str, days_late: float) -> Finding:
    """Info: the last certificate was replaced after the CA's window closed."""
    return Finding(
        Code.ARI_NOT_FOLLOWED, INFO, {"window_end": window_end, "replaced_at": replaced_at, "days_late": days_late}
    )


def cert_not_deployed(name: str, issued_at: str, served_not_after: str, source: str, *, critical: bool) -> Finding:
    """A newer certificate is in the CT logs and the server still sends the old one: critical
    once the served one is past its warning point, else a warning."""
    params = {"name": name, "issued_at": issued_at, "served_not_after": served_not_after, "source": source}
    return Finding(Code.CERT_NOT_DEPLOYED, CRITICAL if critical else WARNING, params)


def lifetime_shortening(current_days: int, next_days: int, effective: str, renew_every_weeks: int) -> Finding:
    """Info: the next certificate will live shorter (Let's Encrypt's schedule, SC-081)."""
    params = {
        "current_days": current_days,
        "next_days": next_days,
        "effective": effective,
        "renew_every_weeks": renew_every_weeks,
    }
    return Finding(Code.LIFETIME_SHORTENING, INFO, params)
