"""Was an alert posted already? The channel's history, searched narrowly.

Asked only for a message whose send was interrupted (the process died, or
Slack's answer was lost), so it is rare, and kept within Slack's limits for
apps outside the Marketplace: `conversations.history` about once a minute,
15 messages a call. The search is bounded by the time of the attempt, not by
a count of recent messages, so a busy channel cannot push the alert out of
sight, and clocks may disagree by `SKEW` seconds.

Without the history scopes (`missing_scope`) the answer is "cannot tell":
the caller sends once more and counts a possible duplicate (docs/slack.md).
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
# Posts and reads, each: 1 + 2 + 4 s of backoff at most between them.
ATTEMPTS = 4

Wait = Callable[[float], None]


def wait_seconds(seconds: float) -> None:
    threading.Event().wait(max(0.0, seconds))


@dataclass(frozen=True)
class Search:
    ts: str | None  # the posted message's ts when found
    readable: bool  # False: the history could not be read (no scope, Slack down)


def find_posted(
    slack: Any, channel: str, outbox_id: int, sent_at: datetime | None, created_at: datetime, wait: Wait = wait_seconds
) -> Search:
    """Search `channel` around `sent_at` (the attempt's wall-clock time) for outbox message `outbox_id`."""
    start = (sent_at or created_at).timestamp() - SKEW
    window: dict[str, Any] = {"oldest": f"{start:.6f}"}
    if sent_at is not None:
        window["latest"] = f"{sent_at.timestamp() + LANDS_WITHIN + SKEW:.6f}"
    cursor = ""
    for _ in range(MAX_PAGES):
        page = {**window, "cursor": cursor} if cursor else window
        response = call(
            partial(slack.conversations_history, channel=channel, limit=PAGE, include_all_metadata=True, **page), wait
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


def call(request: Callable[[], Any], wait: Wait = wait_seconds) -> Any | None:
    """A read-only Web API call, retried on 429 (Retry-After, capped), 5xx,
    `internal_error` and non-JSON answers with exponential backoff; None when
    it still fails (or needs a scope the token lacks)."""
    for attempt in range(ATTEMPTS):
        try:
            return request()
        except SlackApiError as exc:
            delay = retry_delay(exc, attempt)
            if delay is None:
                return None
        except Exception:  # noqa: BLE001 - network trouble: back off and ask again
            delay = backoff(attempt)
        wait(delay)
    return None


def retry_delay(exc: SlackApiError, attempt: int) -> float | None:
    """How long to wait before asking again, or None when asking again cannot help."""
    response = exc.response
    if response.status_code == 429 or response.get("error") == "ratelimited":
        try:
            after = float(
                (response.headers or {}).get("Retry-After") or (response.headers or {}).get("retry-after") or 1
            )
        except ValueError:
            after = 1.0
        return min(max(after, 1.0), RETRY_AFTER_CAP)
    if is_slacks_trouble(exc):
        return backoff(attempt)
    return None


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
