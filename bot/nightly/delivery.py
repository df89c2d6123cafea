"""Delivering the nightly outbox to Slack, exactly once.

A message is marked "sending" (with the wall-clock time) before
`chat.postMessage` and "sent" after. A process killed between the two, or an
answer lost to a reset, a 5xx or a non-JSON page, leaves it unknown whether
the message reached the channel: before sending it again, the channel's
history around that time is searched for the message's metadata (its outbox
id, bot/nightly/recovery.py). Nothing is sent again blindly: slack_sdk's own
retries are off here (`without_resend`), and this module retries within the
night, with backoff and a cap on Retry-After. Channels that cannot take
messages (archived, gone, the app removed) pause their subscription instead
of failing the sweep.

Any number of processes may deliver one outbox at once: each channel is
delivered by one process at a time (a lease in the database, which also
keeps the channel's one-message-a-second pace across processes), and a
message becomes "sending" only by a conditional update (bot/db/outbox.py).
A process that finds a channel taken comes back to it after its other
channels, then delivers what is still unsent there: whatever it recorded
itself reaches the channel.
"""

from __future__ import annotations

import logging
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from typing import Any, Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ..db.alerts import Alerts
from ..db.models import PENDING, SENDING, SENT
from ..db.outbox import Outbox, Outgoing
from ..db.owners import process_owner
from ..db.subscriptions import Subscriptions
from ..slack.blocks import ACCESS_LOST, display_name, pause_words, say
from ..slack.channels import UNTIL_INVITED
from ..slack.tokens import NotInstalled
from .pacing import ChannelPace
from .recovery import (
    ATTEMPTS,
    EVENT_TYPE,
    HistoryBudget,
    HistoryBudgets,
    Wait,
    backoff,
    find_posted,
    is_slacks_trouble,
    never_arrived,
    retry_delay,
    wait_seconds,
)

log = logging.getLogger(__name__)

# How often a process waiting for a channel another process delivers asks again.
CHANNEL_TURN = 0.5

# The channel or the install is gone: stop posting there until someone acts.
PAUSE_ERRORS = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "account_inactive",
        "token_revoked",
        "invalid_auth",
        "team_access_not_granted",
    }
)


@dataclass
class Delivered:
    sent: int = 0
    paused: int = 0
    failed: int = 0
    recovered: int = 0  # found already posted after an interrupted send
    # Sent again where the history could not be read (no history scopes):
    # the channel may have it twice.
    possible_duplicates: int = 0


def deliver(
    outbox: Outbox,
    slack: Any,
    clock: Callable[[], datetime],
    interval: float,
    workers: int = 8,
    *,
    subscriptions: Subscriptions | None = None,
    alerts: Alerts | None = None,
    wait: Wait = wait_seconds,
    client_for: Callable[[str], Any] | None = None,
    owner: str | None = None,
) -> Delivered:
    """Send every unsent outbox message: channels in parallel, each channel paced.
    With `subscriptions`, whoever subscribed hears of a new pause by DM; with
    `alerts`, a post that lands lifts the channel's "not yet invited" pauses.
    With `client_for` (Services.client_for), each team's messages go with that
    team's own token, rotated first if it is about to expire. `owner` names
    this deliverer among the processes (bot.db.owners.process_owner)."""
    me = owner or process_owner()
    channels = outbox.waiting_channels()
    total = Delivered()
    lock = threading.Lock()
    # Slack limits conversations.history per workspace: one budget per team.
    budgets = HistoryBudgets()

    def one_channel(key: tuple[str, str]) -> bool:
        """Deliver one channel's turn; False when another process is delivering there now."""
        team, channel = key
        turn = outbox.take_channel(team, channel, me)
        if turn is False:
            return False
        try:
            result = _deliver_turn(team, channel, turn)
        finally:
            outbox.release_channel(team, channel, me)
        with lock:
            total.sent += result.sent
            total.paused += result.paused
            total.failed += result.failed
            total.recovered += result.recovered
            total.possible_duplicates += result.possible_duplicates
        return True

    def _deliver_turn(team: str, channel: str, turn: datetime | bool) -> Delivered:
        # Read under the lease: another process may have sent some meanwhile.
        messages = outbox.unsent(team, channel)
        if not messages:
            return Delivered()
        try:
            client = without_resend(client_for(team) if client_for else slack)
        except NotInstalled:
            return _not_installed(outbox, clock, messages)
        tell = partial(tell_subscriber, subscriptions, client) if subscriptions is not None else None
        pace = ChannelPace(outbox, team, channel, me, interval, turn if isinstance(turn, datetime) else None, wait)
        return _deliver_channel(outbox, client, clock, pace, messages, tell, alerts, wait, budgets.for_team(team))

    # Channels another process is delivering now are come back to after the
    # others (its lease ends if it dies); each process starts somewhere else.
    random.shuffle(channels)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while channels:
            channels = [key for key, done in zip(channels, pool.map(one_channel, channels), strict=True) if not done]
            if channels:
                wait(CHANNEL_TURN)
    return total


def _not_installed(outbox: Outbox, clock: Callable[[], datetime], messages: list[Outgoing]) -> Delivered:
    """The workspace has no installation left: nothing can be posted there."""
    log.warning("pausing %d message(s) for %s: the app is not installed there", len(messages), messages[0].team_id)
    for message in messages:
        outbox.fail(message, "app_uninstalled", clock(), pause=True)
    return Delivered(paused=len(messages))


def tell_subscriber(subscriptions: Subscriptions, slack: Any, message: Outgoing, reason: str) -> None:
    """A pause is told where someone will see it: a DM to whoever subscribed."""
    if reason in ACCESS_LOST:
        return  # the token no longer works: no DM can be sent either
    row = next(
        (row for row in subscriptions.for_channel(message.team_id, message.channel_id) if row.domain == message.domain),
        None,
    )
    if row is None or not row.created_by:
        return
    subscriber = row.created_by
    # Told to one person: in their own language, else the channel's.
    lang = row.lang or subscriptions.audience(message.team_id, message.channel_id).lang or "en"
    text = say(
        "slack:paused_dm",
        lang,
        domain=display_name(message.domain),
        channel=message.channel_id,
        reason=pause_words(reason, lang),
    )
    try:
        slack.chat_postMessage(channel=subscriber, text=text)
    except Exception:  # noqa: BLE001 - the pause itself is stored; `list` still shows it
        log.warning("could not tell %s about the pause of %s", subscriber, message.domain, exc_info=True)


def without_resend(client: Any) -> Any:
    """The client without slack_sdk's retry handlers: this module retries itself.

    `WebClient` gets `default_retry_handlers()` (slack_sdk/http_retry,
    `ConnectionErrorRetryHandler`) unless told otherwise, and
    `BaseClient._perform_urllib_http_request` (slack_sdk/web/base_client.py)
    sends the same request again after a reset. A reset can come after Slack
    accepted `chat.postMessage`: sent again, the channel gets the alert twice.
    (Our 429 handler, from bot/services.py, believes any Retry-After; here it
    is capped.)
    """
    if not isinstance(client, WebClient) or not client.retry_handlers:
        return client
    return WebClient(token=client.token, base_url=client.base_url, timeout=client.timeout, retry_handlers=[])


def _deliver_channel(
    outbox: Outbox,
    slack: Any,
    clock: Callable[[], datetime],
    pace: ChannelPace,
    messages: list[Outgoing],
    tell: Callable[[Outgoing, str], None] | None = None,
    alerts: Alerts | None = None,
    wait: Wait = wait_seconds,
    history: HistoryBudget | None = None,
) -> Delivered:
    result = Delivered()
    history = history or HistoryBudget(messages[0].team_id)
    team, channel = messages[0].team_id, messages[0].channel_id
    # Told already (by DM or in the subscribe reply): not again every night.
    paused_before = alerts.pauses(team, channel) if alerts else {}
    lifted = False
    pause_reason: str | None = None
    give_up = False
    for message in messages:
        if give_up:
            result.failed += 1
            continue
        if pause_reason:
            # The channel already refused tonight: no point asking again.
            outbox.fail(message, pause_reason, clock(), pause=True)
            result.paused += 1
            if tell and paused_before.get(message.domain) != pause_reason:
                tell(message, pause_reason)
            continue
        if message.state == SENDING:
            search = find_posted(slack, channel, message.id, message.sending_at, message.created_at, wait, history)
            if search.ts is not None:
                outbox.mark(message.id, SENT, clock(), ts=search.ts)
                result.recovered += 1
                continue
            if not search.readable:
                result.possible_duplicates += 1
        # At most one message per second per channel, as Slack asks.
        pace.before_post()
        outcome = _post(outbox, slack, clock, message, wait, history)
        if outcome != "taken":
            pace.after_post()
        if outcome == "taken":
            continue  # another process's, after all
        if outcome == "sent" or outcome == "recovered":
            setattr(result, outcome, getattr(result, outcome) + 1)
            if alerts and not lifted and any(reason in UNTIL_INVITED for reason in paused_before.values()):
                # The bot can post here after all (invited without our hearing of it).
                alerts.lift(team, channel, UNTIL_INVITED)
                lifted = True
        elif outcome == "duplicate?":
            result.sent += 1
            result.possible_duplicates += 1
        elif outcome in PAUSE_ERRORS:
            log.warning("pausing %s in %s: %s", message.domain, channel, outcome)
            outbox.fail(message, outcome, clock(), pause=True)
            pause_reason = outcome
            result.paused += 1
            if tell and paused_before.get(message.domain) != outcome:
                tell(message, outcome)
        else:
            result.failed += 1
            # "later": Slack did not take it after every retry; the rest of
            # this channel waits for the next run rather than wait here too.
            give_up = outcome == "later"
    return result


def _post(
    outbox: Outbox, slack: Any, clock: Callable[[], datetime], message: Outgoing, wait: Wait, history: HistoryBudget
) -> str:
    """Post one message, retrying within the night; "sent", "recovered" (it
    had landed after all), "duplicate?" (sent again where the history could
    not tell), a pause error, "failed" (refused for good), "later" (left
    for the next run) or "taken" (another process is sending it)."""
    state = message.state
    unsure = False  # an earlier attempt may have landed
    blind = False  # ...and the history could not say whether it did
    sending_at: datetime | None = None
    for attempt in range(ATTEMPTS):
        if unsure:
            search = find_posted(slack, message.channel_id, message.id, sending_at, message.created_at, wait, history)
            if search.ts is not None:
                outbox.mark(message.id, SENT, clock(), ts=search.ts)
                return "recovered"
            blind = blind or not search.readable
        sending_at = datetime.now(timezone.utc)  # Slack's ts is wall-clock time, whatever our clock says
        if not outbox.take(message.id, state, sending_at):
            return "taken"
        state = SENDING
        try:
            response = slack.chat_postMessage(
                channel=message.channel_id,
                text=message.text,
                blocks=message.blocks,
                metadata={
                    "event_type": EVENT_TYPE,
                    "event_payload": {"outbox_id": message.id, "domain": message.domain, "kind": message.kind},
                },
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            if error in PAUSE_ERRORS:
                return error
            delay = retry_delay(exc, attempt)
            if delay is None:
                log.error("giving up on outbox message %s: %s", message.id, error[:100])
                outbox.fail(message, error, clock(), pause=False)
                return "failed"
            unsure = unsure or is_slacks_trouble(exc)
            wait(delay)
            continue
        except Exception as exc:  # noqa: BLE001 - the post may or may not have landed
            if never_arrived(exc):
                log.warning("cannot reach Slack to post outbox message %s: %r", message.id, exc)
            else:
                log.warning(
                    "posting outbox message %s failed; asking the history before sending again: %r", message.id, exc
                )
                unsure = True
            wait(backoff(attempt))
            continue
        outbox.mark(message.id, SENT, clock(), ts=response.get("ts"))
        log.info(
            "posted the %s of %s to %s",
            message.kind,
            message.domain,
            message.channel_id,
            extra={"event": "delivery", "domain": message.domain, "channel": message.channel_id, "outcome": "sent"},
        )
        return "duplicate?" if blind else "sent"
    log.warning("outbox message %s not delivered tonight after %d attempts", message.id, ATTEMPTS)
    if not unsure:
        # Slack refused every attempt before posting: safe to send next run.
        outbox.mark(message.id, PENDING, clock(), error="retries exhausted")
    return "later"
