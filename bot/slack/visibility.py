"""Who may see a subscription in the App Home.

A public channel's subscriptions are shown to anyone in the workspace; a
private channel's only to its members, as Slack shows the channel itself.
Slack tells the bot the members of a private channel only when the bot is
in it, so where it is not (a subscription still waiting for `/invite`), only
the person who subscribed sees it, with the fix. A direct message's
subscription is its subscriber's.

Asked once per drawing of the tab, with the scopes the app already has
(`channels:read`, `groups:read`):
- `users.conversations` with the bot's token: every channel the bot is in,
  and whether it is private (one call per 200 channels);
- `users.conversations` for the viewer, private channels only: those they
  share with the bot (only when a private channel is subscribed at all);
- `conversations.list`, public channels only, when a subscribed channel is
  not among the bot's (it may be public, posted to with `chat:write.public`,
  or private and invisible to the bot): one call per 1,000 channels.
So a drawing costs one to three calls (more only in workspaces of
thousands of channels), never one per subscription. When Slack cannot say,
the subscription is treated as private: a failure hides, it never shows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from slack_sdk.errors import SlackApiError

from ..db.status import Status

log = logging.getLogger(__name__)

# Channels a page: Slack's recommended 200 for users.conversations, its
# maximum of 1,000 for conversations.list (Tier 2: fewer, larger pages).
PAGE = 200
LIST_PAGE = 1000
MAX_PAGES = 25


@dataclass
class ChannelAccess:
    """What Slack said, for one viewer and one drawing of the tab."""

    viewer: str
    public: set[str] = field(default_factory=set)
    # Private channels whose members Slack tells us (the bot is in them), and the viewer's among them.
    private_known: set[str] = field(default_factory=set)
    viewer_private: set[str] = field(default_factory=set)

    def may_see(self, channel: str, subscriber: str) -> bool:
        if channel in self.public:
            return True
        if channel in self.private_known:
            return channel in self.viewer_private
        return subscriber == self.viewer  # membership unknown: its subscriber only


def visible_to(client: Any, viewer: str, rows: Sequence[Status]) -> list[Status]:
    """The rows `viewer` may see (see the module docstring)."""
    access = channel_access(client, viewer, {row.channel_id for row in rows})
    return [row for row in rows if access.may_see(row.channel_id, row.created_by)]


def channel_access(client: Any, viewer: str, channels: set[str]) -> ChannelAccess:
    access = ChannelAccess(viewer)
    channels = {c for c in channels if not c.startswith("D")}  # a DM is its subscriber's
    bot_in = _channels(client.users_conversations, types="public_channel,private_channel", limit=PAGE)
    for channel in channels & set(bot_in):
        (access.private_known if bot_in[channel] else access.public).add(channel)
    if access.private_known:
        shared = _channels(client.users_conversations, types="private_channel", limit=PAGE, user=viewer)
        access.viewer_private = set(shared)
    if channels - set(bot_in):
        listed = _channels(client.conversations_list, types="public_channel", limit=LIST_PAGE)
        access.public |= {c for c in channels - set(bot_in) if listed.get(c) is False}
    return access


def _channels(method: Any, **ask: Any) -> dict[str, bool]:
    """Every page of `users.conversations` / `conversations.list`: channel id -> is_private;
    what was read so far when Slack says no."""
    found: dict[str, bool] = {}
    cursor = ""
    for _ in range(MAX_PAGES):
        try:
            answer = method(**ask, **({"cursor": cursor} if cursor else {}))
        except SlackApiError as exc:
            log.warning("listing channels (%s) failed: %s", ask.get("types"), exc.response.get("error"))
            return found
        except Exception:  # noqa: BLE001 - Slack unreachable: show only what needs no answer
            log.warning("listing channels (%s) failed", ask.get("types"), exc_info=True)
            return found
        found.update(_privacy(answer.get("channels") or []))
        cursor = (answer.get("response_metadata") or {}).get("next_cursor") or ""
        if not cursor:
            break
    return found


def _privacy(channels: Iterable[dict[str, Any]]) -> dict[str, bool]:
    return {str(c.get("id")): bool(c.get("is_private") or c.get("is_group")) for c in channels if c.get("id")}
