"""What the public APIs a check asks (ACME renewalInfo, CT search) share: the URL
rule, the off switch and the nightly request budget.

Their HTTP client is `checks.transport.api_client`: verified TLS (what they
say raises or silences alarms), the system store plus `--ca-file`.
"""

from __future__ import annotations

from .options import OptionError, Options

NIGHTLY_BUDGET = 2000  # requests to one service in one sweep


def api_url(value: str, variable: str, options: Options) -> str:
    """`value` if it may be asked: https://, or http:// in lab mode only (stand-ins on loopback)."""
    url = value.strip()
    if url.startswith("https://") or (url.startswith("http://") and options.lab_mode):
        return url
    raise OptionError(f"{variable} must be an https:// URL (http:// only in lab mode), got {url!r}")


def env_off(value: str | None) -> bool:
    """`0` (or false/no/off) turns a look-up off; anything else, or unset, leaves it on."""
    return (value or "").strip().lower() in {"0", "false", "no", "off"}


class RequestBudget:
    """At most `limit` requests to a service in one night, shared by every check of the sweep."""

    def __init__(self, limit: int = NIGHTLY_BUDGET) -> None:
        self.limit = limit
        self.used = 0

    def take(self) -> bool:
        if self.used >= self.limit:
            return False
        self.used += 1
        return True

    @property
    def remaining(self) -> int:
        return self.limit - self.used
