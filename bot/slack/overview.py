"""Subscriptions at a glance: each domain's last verdict and days left, problems first.

`/certcheck list` pages through one channel's subscriptions; the App Home
(home.py) shows the workspace's. Both read `bot/db/status.py` and share the
order and the words here, so a domain reads the same in both.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Sequence

from .. import words
from ..db.status import Status
from ..renewal import Renewal
from . import limits
from .blocks import Message, button, clip, display_name, pause_words, say
from .when import Zone, moment_text

LIST_PAGE_SIZE = 20
LIST_PREVIOUS = "certcheck_list_previous"
LIST_NEXT = "certcheck_list_next"
LIST_ACTIONS = "certcheck_list_pages"

_EMOJI = {
    "critical": ":rotating_light:",
    "warning": ":warning:",
    "paused": ":double_vertical_bar:",
    "unknown": ":grey_question:",
    "unchecked": ":hourglass_flowing_sand:",
    "ok": ":white_check_mark:",
}
# Problems first: what blocks a renewal, what needs a look, what cannot be
# delivered, what could not be checked; then the new, then the healthy.
_RANK = {kind: rank for rank, kind in enumerate(_EMOJI)}


def kind(row: Status) -> str:
    """The one word a row is sorted and marked by."""
    if row.verdict in ("critical", "warning"):
        return row.verdict
    if row.paused_reason:
        return "paused"
    return row.verdict or "unchecked"


def is_problem(row: Status) -> bool:
    return kind(row) not in ("ok", "unchecked")


def days_left(row: Status, now: datetime) -> int | None:
    if row.not_after is None:
        return None
    return math.floor((row.not_after - now).total_seconds() / 86400)


def ordered(rows: Sequence[Status], now: datetime) -> list[Status]:
    """Problems first; within a kind the fewest days left, then by name."""

    def key(row: Status) -> tuple[int, float, str, str]:
        left = days_left(row, now)
        return (_RANK[kind(row)], math.inf if left is None else left, row.domain, row.channel_id)

    return sorted(rows, key=key)


def status_words(row: Status, lang: str, now: datetime) -> str:
    """`Critical (12 days left)`: the verdict and, when known, the days left."""
    verdict = words.say(f"status:{row.verdict or 'unchecked'}", lang)
    left = days_left(row, now)
    if left is None:
        return verdict + renewal_note(row.renewal, lang)
    days = (
        words.say("cert:days_left", lang, days=left) if left >= 0 else words.say("cert:expired_ago", lang, days=-left)
    )
    status = words.say("status:with_days", lang, verdict=verdict, days=days)
    return status + renewal_note(row.renewal, lang)


def renewal_note(renewal: Renewal, lang: str) -> str:
    """` — renews: dns-01`, after a subscription's status when it says how the domain renews."""
    if renewal.is_default:
        return ""
    return " — " + words.say("slack:renewal_is", lang, settings=renewal_text(renewal, lang)).rstrip(".")


def renewal_text(renewal: Renewal, lang: str) -> str:
    """`dns-01, the host also fetches the site root`; certcheck's own choice when nothing is set."""
    parts = [renewal.challenge] if renewal.challenge else []
    if renewal.host_validates_root:
        parts.append(words.say("renewal:root", lang))
    if not parts:
        return words.say("renewal:auto", lang)
    return words.say("list:separator", lang).join(parts)


def notes(row: Status, lang: str, tz: Zone, now: datetime) -> list[str]:
    """Why nothing is posted for a row, with the fix; a snooze in force."""
    out = []
    if row.paused_reason:
        out.append(pause_line(row.paused_reason, lang))
    if row.snoozed_until and row.snoozed_until > now:
        out.append(words.say("status:snoozed", lang, until=moment_text(row.snoozed_until, tz, lang)))
    return out


def pause_line(reason: str, lang: str) -> str:
    """Why delivery is paused and the fix, in words (never Slack's error code)."""
    return words.say("slack:paused", lang, reason=pause_words(reason, lang))


def emoji(row: Status) -> str:
    return _EMOJI[kind(row)]


# /certcheck list ----------------------------------------------------------------


def list_message(rows: Sequence[Status], lang: str, tz: Zone, now: datetime, page: int = 0) -> Message:
    """One page of a channel's subscriptions, within a message's limits however many there are."""
    if not rows:
        return Message(say("slack:list_empty", lang))
    pages = math.ceil(len(rows) / LIST_PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    shown = ordered(rows, now)[page * LIST_PAGE_SIZE : (page + 1) * LIST_PAGE_SIZE]
    head = words.say("slack:list", lang, count=len(rows))
    if pages > 1:
        head += "\n" + words.say("slack:list_page", lang, page=page + 1, pages=pages)
    lines = [_list_line(row, lang, tz, now) for row in shown]
    blocks: list[dict[str, Any]] = [section(head, lang)] + [section(line, lang) for line in lines]
    if pages > 1:
        blocks.append(_pager(page, pages, lang))
    text = clip("\n".join([head, *lines]), limits.FALLBACK_TEXT, lang)
    return Message(text=text, blocks=blocks)


def _list_line(row: Status, lang: str, tz: Zone, now: datetime) -> str:
    line = say(
        "slack:list_line", lang, emoji=emoji(row), domain=display_name(row.domain), status=status_words(row, lang, now)
    )
    since = say("slack:list_since", lang, date=moment_text(row.created_at, tz, lang, time=False), user=row.created_by)
    return "\n".join([line, *notes(row, lang, tz, now), since])


def _pager(page: int, pages: int, lang: str) -> dict[str, Any]:
    buttons = []
    if page > 0:
        buttons.append(button(words.say("slack:previous_page", lang), LIST_PREVIOUS, str(page - 1)))
    if page < pages - 1:
        buttons.append(button(words.say("slack:next_page", lang), LIST_NEXT, str(page + 1)))
    return {"type": "actions", "block_id": LIST_ACTIONS, "elements": buttons}


def section(text: str, lang: str) -> dict[str, Any]:
    """A mrkdwn section, cut to Slack's limit; verbatim: nothing is auto-linked."""
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": clip(text, limits.SECTION_TEXT, lang), "verbatim": True},
    }
