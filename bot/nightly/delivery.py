"""Delivering the nightly outbox to Slack, exactly once.

A message is marked "sending" before `chat.postMessage` and "sent" after.
A process killed between the two leaves the message "sending": it may or may
not have reached the channel. Before sending it again, the channel's recent
history is searched for the message's metadata (its outbox id); only if it
is not there is it sent. Channels that cannot take messages (archived, gone,
the app removed) pause their subscription instead of failing the sweep.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from slack_sdk.errors import SlackApiError

from ..db.models import PENDING, SENDING, SENT
from ..db.outbox import Outbox, Outgoing
from ..slack.tokens import NotInstalled

log = logging.getLogger(__name__)

EVENT_TYPE = "certcheck_alert"

# The channel or the install is gone: stop posting there until someone acts.
PAUSE_ERRORS = frozenset(
    {"channel_not_found", "is_archived", "not_in_channel", "account_inactive", "token_revoked", "invalid_auth", "team_access_not_granted"}
)
# Slack's trouble, not ours: leave the message for the next run.
RETRY_LATER = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})


@dataclass
class Delivered:
    sent: int = 0
    paused: int = 0
    failed: int = 0
    recovered: int = 0  # found already posted after an interrupted send


def deliver(
    outbox: Outbox, slack: Any, clock: Callable[[], datetime], interval: float, workers: int = 8,
    *, client_for: Callable[[str], Any] | None = None,
) -> Delivered:
    """Send every unsent outbox message: channels in parallel, each channel paced.
    With `client_for` (Services.client_for), each team's messages go with that
    team's own token, rotated first if it is about to expire."""
    by_channel: dict[tuple[str, str], list[Outgoing]] = defaultdict(list)
    for message in outbox.unsent():
        by_channel[(message.team_id, message.channel_id)].append(message)
    total = Delivered()
    lock = threading.Lock()

    def one_channel(messages: list[Outgoing]) -> None:
        try:
            client = client_for(messages[0].team_id) if client_for else slack
        except NotInstalled:
            result = _not_installed(outbox, clock, messages)
        else:
            result = _deliver_channel(outbox, client, clock, interval, messages)
        with lock:
            total.sent += result.sent
            total.paused += result.paused
            total.failed += result.failed
            total.recovered += result.recovered

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one_channel, by_channel.values()))
    return total


def _not_installed(outbox: Outbox, clock: Callable[[], datetime], messages: list[Outgoing]) -> Delivered:
    """The workspace has no installation left: nothing can be posted there."""
    log.warning("pausing %d message(s) for %s: the app is not installed there", len(messages), messages[0].team_id)
    for message in messages:
        outbox.fail(message, "app_uninstalled", clock(), pause=True)
    return Delivered(paused=len(messages))


def _deliver_channel(
    outbox: Outbox, slack: Any, clock: Callable[[], datetime], interval: float, messages: list[Outgoing]
) -> Delivered:
    result = Delivered()
    pause_reason: str | None = None
    last_post = float("-inf")
    for message in messages:
        if pause_reason:
            # The channel already refused tonight: no point asking again.
            outbox.fail(message, pause_reason, clock(), pause=True)
            result.paused += 1
            continue
        if message.state == SENDING:
            ts = _already_posted(slack, message)
            if ts is not None:
                outbox.mark(message.id, SENT, clock(), ts=ts)
                result.recovered += 1
                continue
        # At most one message per second per channel, as Slack asks.
        wait = last_post + interval - time.monotonic()
        if wait > 0:
            threading.Event().wait(wait)
        outbox.mark(message.id, SENDING, clock())
        last_post = time.monotonic()
        try:
            response = slack.chat_postMessage(
                channel=message.channel_id,
                text=message.text,
                blocks=message.blocks,
                metadata={"event_type": EVENT_TYPE, "event_payload": {"outbox_id": message.id, "domain": message.domain, "kind": message.kind}},
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            if error in PAUSE_ERRORS:
                log.warning("pausing %s in %s: %s", message.domain, message.channel_id, error)
                outbox.fail(message, error, clock(), pause=True)
                pause_reason = error
                result.paused += 1
            elif error in RETRY_LATER:
                # Slack said no before posting: safe to send again next run.
                outbox.mark(message.id, PENDING, clock(), error=error)
                result.failed += 1
            else:
                log.error("giving up on outbox message %s: %s", message.id, error)
                outbox.fail(message, error, clock(), pause=False)
                result.failed += 1
            continue
        except Exception:  # noqa: BLE001 - the post may or may not have landed
            log.exception("posting outbox message %s failed; it stays 'sending'", message.id)
            result.failed += 1
            continue
        outbox.mark(message.id, SENT, clock(), ts=response.get("ts"))
        result.sent += 1
    return result


def _already_posted(slack: Any, message: Outgoing) -> str | None:
    """The ts of this outbox message if it is in the channel already."""
    try:
        response = slack.conversations_history(
            channel=message.channel_id,
            oldest=f"{message.created_at.timestamp() - 60:.6f}",
            limit=200,
            include_all_metadata=True,
        )
    except Exception:  # noqa: BLE001 - without history, sending again is the lesser evil
        log.warning("could not read %s's history; re-sending outbox message %s", message.channel_id, message.id)
        return None
    for posted in response.get("messages", []):
        meta = posted.get("metadata") or {}
        if meta.get("event_type") == EVENT_TYPE and (meta.get("event_payload") or {}).get("outbox_id") == message.id:
            return str(posted.get("ts"))
    return None
