"""The App Home tab: the workspace's subscriptions with their status, problems
first, each with Re-check / Snooze / Unsubscribe and, when paused, why and
the fix.

A Home view holds at most 100 blocks; a domain takes two (its section and
its buttons), so the first `HOME_DOMAINS` are shown and the rest counted.
Problems come first, so what is cut is the healthy tail.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Sequence

from .. import words
from ..db.status import Status
from . import limits
from .blocks import SNOOZE_DAYS, button, display_name, say
from .overview import emoji, is_problem, notes, ordered, section, status_words
from .when import Zone

HOME_RECHECK = "certcheck_home_recheck"
HOME_SNOOZE = "certcheck_home_snooze"
HOME_UNSUBSCRIBE = "certcheck_home_unsubscribe"
HOME_ACTIONS = frozenset({HOME_RECHECK, HOME_SNOOZE, HOME_UNSUBSCRIBE})

# Header, summary, divider, and the "and N more" line.
_FRAME = 4
HOME_DOMAINS = (limits.HOME_BLOCKS - _FRAME) // 2


def home_view(rows: Sequence[Status], lang: str, tz: Zone, now: datetime) -> dict[str, Any]:
    """The `home` view for `views.publish`, within Slack's limits for any number of rows."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": words.say("home:title", lang)[: limits.HEADER_TEXT]}},
    ]
    if not rows:
        blocks.append(section(words.say("home:empty", lang), lang))
        return {"type": "home", "blocks": blocks}
    channels = len({row.channel_id for row in rows})
    problems = sum(is_problem(row) for row in rows)
    # English counts take a plural (Japanese has none): "1 subscription in 1 channel".
    nouns = {
        "subscriptions": "subscription" if len(rows) == 1 else "subscriptions",
        "channel_word": "channel" if channels == 1 else "channels",
    }
    summary = words.say("home:summary", lang, count=len(rows), channels=channels, problems=problems, **nouns)
    blocks.append(section(summary, lang))
    blocks.append({"type": "divider"})
    shown = ordered(rows, now)[:HOME_DOMAINS]
    for index, row in enumerate(shown):
        line = say(
            "home:line",
            lang,
            emoji=emoji(row),
            domain=display_name(row.domain),
            channel=row.channel_id,
            status=status_words(row, lang, now),
        )
        blocks.append(section("\n".join([line, *notes(row, lang, tz, now)]), lang))
        blocks.append(_buttons(row, index, lang))
    if len(rows) > len(shown):
        more = words.say("home:more", lang, count=len(rows) - len(shown))
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    return {"type": "home", "blocks": blocks}


def home_value(channel: str, domain: str) -> str:
    """A Home button's value: Home has no channel of its own, so the button names it."""
    return json.dumps({"channel": channel, "domain": domain}, separators=(",", ":"))


def parse_home_value(value: str) -> tuple[str, str] | None:
    """(channel, domain) from a Home button's value, or None if it is not one of ours."""
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("channel"), str)
        or not isinstance(data.get("domain"), str)
    ):
        return None
    return data["channel"], data["domain"]


def _buttons(row: Status, index: int, lang: str) -> dict[str, Any]:
    value = home_value(row.channel_id, row.domain)
    return {
        "type": "actions",
        # Unique per row: Slack refuses a view with two blocks of one block_id.
        "block_id": f"certcheck_home_{index}",
        "elements": [
            button(words.say("slack:recheck", lang), HOME_RECHECK, value, style="primary"),
            button(words.say("slack:snooze", lang, days=SNOOZE_DAYS), HOME_SNOOZE, value),
            button(words.say("slack:unsubscribe", lang), HOME_UNSUBSCRIBE, value),
        ],
    }
