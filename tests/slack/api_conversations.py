"""The stand-in's `conversations.*` family: who is in a channel, what it says, and its history."""

from __future__ import annotations

from typing import Any


class Conversations:
    """Mixed into `SlackStandIn`; uses its lock (`_changed`), `scopes` and the messages `_delivered`."""

    def _init_conversations(self) -> None:
        self.history_calls: list[dict[str, Any]] = []
        # Channels the bot is not a member of (chat.postMessage answers
        # not_in_channel, conversations.info says is_member false) until
        # `invite()`; private ones are invisible to it (channel_not_found).
        self.not_member: set[str] = set()
        self.private: set[str] = set()

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

    def _history(self, body: dict[str, Any]) -> dict[str, Any]:
        """Newest first, within `oldest`/`latest` (exclusive), `limit` a page (at
        most 15, as for apps outside the Marketplace), `cursor` for the next page."""
        if "channels:history" not in self.scopes.split(","):
            return {"ok": False, "error": "missing_scope", "needed": "channels:history"}
        oldest = float(body.get("oldest") or 0)
        latest = float(body.get("latest") or "inf")
        limit = min(int(body.get("limit") or 100), 15)
        start = int(body.get("cursor") or 0)
        with self._changed:
            self.history_calls.append(dict(body))
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
