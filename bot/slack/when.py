"""Dates and times as a channel reads them: in its time zone, in its words.

A time is written out in the zone of the people who read it (the channel's
subscribers, else CERTCHECK_TZ) with the zone named, rather than as Slack's
`<!date>` token: the notification text, the screen reader and every client
then read the same moment, and a Japanese team reads JST.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import words

# An IANA time zone name, e.g. "Asia/Tokyo".
Zone = str

# The form checks.clock.minute gives a time in a finding's words.
_UTC_MINUTE = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC$")


@lru_cache(maxsize=256)
def _zone(name: Zone) -> ZoneInfo:
    return ZoneInfo(name)


def valid_zone(name: object) -> Zone | None:
    """`name` when it is an IANA zone this host knows, else None (Slack's `tz` can be anything)."""
    if not isinstance(name, str) or not name:
        return None
    try:
        _zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def moment_text(moment: datetime, tz: Zone, lang: str, *, time: bool = True) -> str:
    """`2026-12-02 12:00 JST` / `2026年12月2日 12:00（JST）`; the date alone without `time`."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    local = aware.astimezone(_zone(tz))
    date = words.say("when:date", lang, year=local.year, month=local.month, day=local.day)
    if not time:
        return date
    return words.say("when:datetime", lang, date=date, time=local.strftime("%H:%M"), zone=local.tzname() or tz)


def localised_params(params: dict[str, Any], tz: Zone, lang: str) -> dict[str, Any]:
    """A finding's parameters with its UTC times (`2026-11-26 03:00 UTC`) in `tz`."""
    out = dict(params)
    for key, value in params.items():
        match = _UTC_MINUTE.match(value) if isinstance(value, str) else None
        if match:
            moment = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)
            out[key] = moment_text(moment, tz, lang)
    return out
