"""Was an alert posted already? The channel's history, searched narrowly.

Asked only for a message whose send was interrupted (the process died, or
Slack's answer was lost), so it is rare, and kept within Slack's limits for
apps outside the Marketplace: `conversations.history` about once a minute,
15 messages a call. The search is bounded by the time of the attempt, not by
a count of recent messages, so a busy channel cannot push the alert out of
sight, and clocks may disagree by `SKEW` seconds.

Slack's limit is per workspace, so one delivery searches a workspace's
channels one at a time (`HistoryBudget`), honours each 429's Retry-After up
to `RETRY_AFTER_CAP`, and waits on the history no more than `HISTORY_WAIT`
seconds in all: after a crash that left many sends unknown, the night goes
on rather than waiting a minute per channel for hours.

Whenever the answer is "cannot tell" (no history scopes, `missing_scope`;
Slack down; the budget spent; a Retry-After beyond the cap) the caller sends
once more and counts a possible duplicate (docs/slack.md).
"""

from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Callable
from urllib.error import URLError

from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

EVENT_TYPE = "certcheck_alert"
# Our clock against Slack's.
SKEW = 120.0
# How long after the "sending" mark a post can still land (the client's timeout, and some).
LANDS_WITHIN = 30.0
PAGE = 15
MAX_PAGES = 40
# A Retry-After longer than this is not believed: the night goes on.
RETRY_AFTER_CAP = 120.0
# Seconds one delivery may wait on one workspace's history limit, in all:
# about five searches after a crash at Slack's one call a minute.
HISTORY_WAIT = 300.0
# Posts and reads, each: 1 + 2 + 4 s of backoff at most between them.
ATTEMPTS = 4

Wait = Callable[[float], None]


def wait_seconds(seconds: float) -> None:
    threading.Event().wait(max(0.0, seconds))


class HistoryBudget:
    """One workspace's history searches in one delivery: one at a time (Slack's
    limit is per workspace), and at most `seconds` of waiting on it in all."""

    def __init__(self, team: str = "", seconds: float = HISTORY_WAIT) -> None:
        self.team = team
        self.left = seconds
        self.turn = threading.Lock()

    def spend(self, delay: float) -> bool:
        """Take `delay` seconds from the budget; False (nothing taken) when it has not that many left."""
        if delay > self.left:
            return False
        self.left -= delay
        return True


class HistoryBudgets:
    """A `HistoryBudget` per workspace, for one delivery; thread-safe."""

    def __init__(self, seconds: float = HISTORY_WAIT) -> None:
        self._seconds = seconds
        self._budgets: dict[str, HistoryBudget] = {}
        self._lock = threading.Lock()

    def for_team(self, team: str) -> HistoryBudget:
        with self._lock:
            return self._budgets.setdefault(team, HistoryBudget(team, self._seconds))


@dataclass(frozen=True)
class Search:
    ts: str | None  # the posted message's ts when found
    readable: bool  # False: the history could not be read (no scope, Slack down)


def find_posted(
    slack: Any,
    channel: str,
    outbox_id: int,
    sent_at: datetime | None,
    created_at: datetime,
    wait: Wait = wait_seconds,
    budget: HistoryBudget | None = None,
) -> Search:
    """Search `channel` around `sent_at` (the attempt's wall-clock time) for outbox message `outbox_id`,
    within the workspace's `budget` (default: a budget of its own)."""
    budget = budget or HistoryBudget()
    with budget.turn:
        return _search(slack, channel, outbox_id, sent_at, created_at, wait, budget)


def _search(
    slack: Any,
    channel: str,
    outbox_id: int,
    sent_at: datetime | None,
    created_at: datetime,
    wait: Wait,
    budget: HistoryBudget,
) -> Search:
    start = (sent_at or created_at).timestamp() - SKEW
    window: dict[str, Any] = {"oldest": f"{start:.6f}"}
    if sent_at is not None:
        window["latest"] = f"{sent_at.timestamp() + LANDS_WITHIN + SKEW:.6f}"
    cursor = ""
    for _ in range(MAX_PAGES):
        page = {**window, "cursor": cursor} if cursor else window
        response = call(
            partial(slack.conversations_history, channel=channel, limit=PAGE, include_all_metadata=True, **page),
            wait,
            budget,
        )
        if response is None:
            log.warning("could not read %s's history to find outbox message %s", channel, outbox_id)
            return Search(None, readable=False)
        for posted in response.get("messages", []):
            meta = posted.get("metadata") or {}
            if meta.get("event_type") == EVENT_TYPE and (meta.get("event_payload") or {}).get("outbox_id") == outbox_id:
                return Search(str(posted.get("ts")), readable=True)
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or ""
        if not response.get("has_more") or not cursor:
            return Search(None, readable=True)
    log.warning("history of %s too long to search for outbox message %s", channel, outbox_id)
    return Search(None, readable=False)


def call(request: Callable[[], Any], wait: Wait = wait_seconds, budget: HistoryBudget | None = None) -> Any | None:
    """A read-only Web API call, retried on 429 (after its Retry-After, when
    that is within the cap), 5xx, `internal_error` and non-JSON answers with
    exponential backoff, each wait taken from `budget`; None when it still
    fails, needs a scope the token lacks, or the budget cannot pay the wait."""
    for attempt in range(ATTEMPTS):
        try:
            return request()
        except SlackApiError as exc:
            after = retry_after(exc)
            if after is not None and after > RETRY_AFTER_CAP:
                log.warning("Slack asks to wait %.0f s before reading history again: not waiting", after)
                return None
            delay = retry_delay(exc, attempt)
            if delay is None:
                return None
        except Exception:  # noqa: BLE001 - network trouble: back off and ask again
            delay = backoff(attempt)
        if budget is not None and not budget.spend(delay):
            log.warning(
                "history budget of %s spent (%.0f s left, %.0f s asked): not waiting", budget.team, budget.left, delay
            )
            return None
        wait(delay)
    return None


def retry_delay(exc: SlackApiError, attempt: int) -> float | None:
    """How long to wait before asking again, or None when asking again cannot help."""
    after = retry_after(exc)
    if after is not None:
        return min(max(after, 1.0), RETRY_AFTER_CAP)
    if is_slacks_trouble(exc):
        return backoff(attempt)
    return None


def retry_after(exc: SlackApiError) -> float | None:
    """The seconds a 429 (or `ratelimited`) asks for (1 when it names none); None for any other answer."""
    response = exc.response
    if response.status_code != 429 and response.get("error") != "ratelimited":
        return None
    headers = response.headers or {}
    try:
        return float(headers.get("Retry-After") or headers.get("retry-after") or 1)
    except ValueError:
        return 1.0


def is_slacks_trouble(exc: SlackApiError) -> bool:
    """5xx, a non-JSON answer, or one of Slack's own transient errors."""
    error = str(exc.response.get("error") or "")
    return (
        exc.response.status_code >= 500
        or error.startswith("Received a response in a non-JSON format")
        or error in {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
    )


def never_arrived(exc: BaseException) -> bool:
    """True when the request cannot have reached Slack (no connection was made)."""
    reason = exc.reason if isinstance(exc, URLError) else exc
    return isinstance(reason, (ConnectionRefusedError, socket.gaierror))


def backoff(attempt: int) -> float:
    return float(min(2**attempt, 30))
