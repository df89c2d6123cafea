"""The stand-in's `conversations.*` family: who is in a channel, what it says, and its history.

`conversations.history` is limited as Slack limits it for apps outside the
Marketplace (https://api.slack.com/changelog/2025-05-terms-rate-limit-update-and-faq):
about one call a minute per workspace and at most 15 messages a call; a call
beyond that answers HTTP 429 `ratelimited` with `Retry-After`. The minute is
measured on the stand-in's `clock`, which a test moves on instead of sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

from .recorded import TEAM
from .wire import Raw

# Slack's limit for apps outside the Marketplace.
HISTORY_PAGE = 15
HISTORY_EVERY = 60.0


class SlackClock:
    """Time as the stand-in's rate limits see it: the wall clock, plus what a
    test moved it on (`advance`, which a sweep under test can take as its `wait`)."""

    def __init__(self) -> None:
        self._ahead = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return time.time() + self._ahead

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._ahead += max(0.0, seconds)


class Conversations:
    """Mixed into `SlackStandIn`; uses its lock (`_changed`), `scopes` and the messages `_delivered`."""

    def _init_conversations(self) -> None:
        self.clock = SlackClock()
        # Calls answered, and calls refused with a 429 (each with the clock's time).
        self.history_calls: list[dict[str, Any]] = []
        self.history_limited: list[dict[str, Any]] = []
        # Calls allowed at once before the one-a-minute limit bites (Slack
        # tolerates "a small amount of burst"); tests about something else raise it.
        self.history_burst = 1
        self.history_every = HISTORY_EVERY
        self._history_spent: dict[str, list[float]] = {}
        # Channels the bot is not a member of (chat.postMessage answers
        # not_in_channel, conversations.info says is_member false) until
        # `invite()`; private ones are invisible to it (channel_not_found).
        self.not_member: set[str] = set()
        self.private: set[str] = set()
        # The people in each channel (the bot's own membership is `not_member`'s complement).
        # The channels Slack knows are those named here, in `private`, in `not_member`
        # or with messages: `users.conversations` and `conversations.list` list them.
        self.members: dict[str, set[str]] = {}

    def invite(self, channel: str) -> None:
        """Someone typed `/invite @certcheck` in `channel` (send the event yourself)."""
        with self._changed:
            self.not_member.discard(channel)

    def _conversation_info(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = str(body.get("channel", ""))
        member = channel not in self.not_member
        if channel in self.private and not member:
            return {"ok": False, "error": "channel_not_found"}
        return {
            "ok": True,
            "channel": {
                "id": channel,
                "is_channel": True,
                "is_private": channel in self.private,
                "is_member": member,
            },
        }

    def _user_conversations(self, body: dict[str, Any], listing: bool = False) -> dict[str, Any]:
        """`users.conversations`: the caller's channels, or with `user` that
        person's, private ones only where the bot is in them too (as Slack
        restricts them to channels the caller shares). `listing`:
        `conversations.list`, every public channel and the bot's private ones."""
        types = str(body.get("types") or "public_channel").split(",")
        scopes = self.scopes.split(",")
        for kind, scope in (("public_channel", "channels:read"), ("private_channel", "groups:read")):
            if kind in types and scope not in scopes:
                return {"ok": False, "error": "missing_scope", "needed": scope}
        with self._changed:
            known = set(self.members) | self.private | self.not_member | set(self._delivered)
            channels = {c for c in known if c.startswith(("C", "G"))}
            bot_in = {c for c in channels if c not in self.not_member}
            user = str(body.get("user") or "")
            if listing:
                chosen = {c for c in channels if c not in self.private} | bot_in
            elif user:
                chosen = {
                    c for c in channels if user in self.members.get(c, set()) and (c not in self.private or c in bot_in)
                }
            else:
                chosen = bot_in
            kinds = {c: "private_channel" if c in self.private else "public_channel" for c in chosen}
            private = set(self.private)
        listed = [c for c in sorted(chosen) if kinds[c] in types]
        start, limit = int(body.get("cursor") or 0), int(body.get("limit") or 100)
        page = listed[start : start + limit]
        more = start + limit < len(listed)
        return {
            "ok": True,
            "channels": [{"id": c, "is_channel": True, "is_private": c in private} for c in page],
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _history(self, body: dict[str, Any], token: str = "") -> dict[str, Any] | Raw:
        """Newest first, within `oldest`/`latest` (exclusive), `limit` a page (at
        most 15, as for apps outside the Marketplace), `cursor` for the next page."""
        if "channels:history" not in self.scopes.split(","):
            return {"ok": False, "error": "missing_scope", "needed": "channels:history"}
        refused = self._history_limit(self._team_of(token), body)
        if refused is not None:
            return refused
        oldest = float(body.get("oldest") or 0)
        latest = float(body.get("latest") or "inf")
        limit = min(int(body.get("limit") or HISTORY_PAGE), HISTORY_PAGE)
        start = int(body.get("cursor") or 0)
        with self._changed:
            self.history_calls.append({**body, "at": self.clock()})
            every = [
                m
                for m in reversed(self._delivered.get(str(body.get("channel", "")), []))
                if oldest < float(m["ts"]) < latest
            ]
        page = every[start : start + limit]
        more = start + limit < len(every)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _history_limit(self, team: str, body: dict[str, Any]) -> Raw | None:
        """A 429 when `team` used its calls of the last minute; None lets the call through."""
        now = self.clock()
        with self._changed:
            spent = [at for at in self._history_spent.get(team, []) if at > now - self.history_every]
            if len(spent) >= self.history_burst:
                self.history_limited.append({**body, "at": now})
                self._history_spent[team] = spent
                wait = math.ceil(min(spent) + self.history_every - now)
                return Raw.api_error("ratelimited", 429, **{"Retry-After": str(max(wait, 1))})
            self._history_spent[team] = [*spent, now]
        return None

    def _team_of(self, token: str) -> str:
        """The workspace a token speaks for: the limit is per app per workspace."""
        oauth = getattr(self, "oauth", None)
        return (oauth.team_of(token) if oauth is not None else None) or TEAM
