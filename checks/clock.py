"""One way to hold a moment: aware, in UTC."""

from __future__ import annotations

from datetime import datetime, timezone


def utc(moment: datetime) -> datetime:
    """`moment` in UTC: a naive datetime is taken to be UTC already, an aware one is converted."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def now() -> datetime:
    """The current moment, aware and in UTC."""
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    """`2026-11-26T03:00:00Z`: the JSON report's form."""
    return utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def minute(moment: datetime) -> str:
    """`2026-11-26 03:00 UTC`: the form the words of a finding show."""
    return utc(moment).strftime("%Y-%m-%d %H:%M UTC")
