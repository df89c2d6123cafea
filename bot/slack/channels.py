"""Can the bot post in a channel? Asked when a channel subscribes, so that a
subscription that cannot be delivered says so at once instead of at night."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

NOT_IN_CHANNEL = "not_in_channel"
# Pauses that end by themselves once the bot can post in the channel (it was
# invited, or a post went through): the nightly sweep keeps trying these.
UNTIL_INVITED = frozenset({NOT_IN_CHANNEL, "channel_not_found"})
# Posting in a public channel without being a member needs this scope.
WRITE_PUBLIC = "chat:write.public"


def why_undeliverable(client: WebClient, channel: str, scopes: frozenset[str]) -> str | None:
    """`not_in_channel` when a post there would be refused; None when it would
    be accepted, and when Slack cannot tell us (no `channels:read` /
    `groups:read` scope, Slack unreachable): then the first night decides."""
    if channel.startswith("D"):
        return None  # a direct message with the bot
    try:
        info = client.conversations_info(channel=channel)
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "channel_not_found":
            # A private channel the bot is not in is invisible to it.
            return NOT_IN_CHANNEL
        log.info("conversations.info for %s failed (%s); assuming the bot can post", channel, error)
        return None
    except Exception:  # noqa: BLE001 - cannot tell: the night will
        log.warning("conversations.info for %s failed; assuming the bot can post", channel, exc_info=True)
        return None
    about = info.get("channel") or {}
    if about.get("is_member") or about.get("is_im") or about.get("is_mpim"):
        return None
    if about.get("is_private") or WRITE_PUBLIC not in scopes:
        return NOT_IN_CHANNEL
    return None
