"""The stand-in's `chat.*` family: `chat.postMessage` as Slack answers it,
and the ways a post can go wrong after (or before) Slack accepted it."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from .recorded import Recorded
from .wire import Raw


class Chat:
    """Mixed into `SlackStandIn`; uses its lock (`_changed`), `scopes`, `private` and `not_member`."""

    def _init_chat(self) -> None:
        # chat.postMessage to these channels answers this error (is_archived, ...).
        self.channel_errors: dict[str, str] = {}
        # The next N chat.postMessage calls answer HTTP 429 with Retry-After.
        self.rate_limited = 0
        # Post number N (1-based, counting delivered posts) is delivered but
        # its answer withheld until `release()`: a client killed meanwhile
        # never learns that its message landed.
        self.hold_post: int | None = None
        # The next N accepted chat.postMessage calls are stored, then the
        # connection is reset before the answer: the client cannot tell.
        self.drop_after_accept = 0
        # The same, for the first accepted post to each of these channels.
        self.drop_first_in: set[str] = set()
        # Answers for the next chat.postMessage calls, before anything is stored:
        # "500" (HTTP 500), "html" (a proxy's HTML page), "internal_error".
        self.post_failures: list[str] = []
        self._release = threading.Event()
        # Every message a channel shows, oldest first (`conversations.history` reads them).
        self._delivered: dict[str, list[dict[str, Any]]] = {}

    def delivered(self, channel: str | None = None) -> list[Recorded]:
        """chat.postMessage calls that Slack accepted (the channel shows them)."""
        return [
            r
            for r in self.snapshot()
            if r.path == "/api/chat.postMessage" and r.ok and (channel is None or r.body.get("channel") == channel)
        ]

    def release(self) -> None:
        self._release.set()

    def post_to(self, channel: str, count: int, text: str = "chatter") -> None:
        """`count` messages from people in `channel` (a busy channel)."""
        with self._changed:
            for _ in range(count):
                self._delivered.setdefault(channel, []).append({"ts": f"{time.time():.6f}", "text": text})

    def chat_fault(self) -> Raw | None:
        """What a chat.postMessage gets instead of an answer, before anything is stored."""
        failure = self._take_failure()
        if failure in {"500", "html"}:
            page = b"<html><body>Bad gateway</body></html>"
            return Raw(500 if failure == "500" else 200, page, "text/html")
        if failure == "internal_error":
            return Raw.api_error("internal_error")
        if self._take("rate_limited"):
            return Raw.api_error("ratelimited", 429, **{"Retry-After": "1"})
        return None

    def _take_failure(self) -> str | None:
        with self._changed:
            return self.post_failures.pop(0) if self.post_failures else None

    def _take_drop(self, channel: str) -> bool:
        with self._changed:
            if channel in self.drop_first_in:
                self.drop_first_in.discard(channel)
                return True
        return bool(self._take("drop_after_accept"))

    def _should_hold(self) -> bool:
        return self.hold_post is not None and len(self.delivered()) == self.hold_post

    def _post_message(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = str(body.get("channel", ""))
        if channel in self.channel_errors:
            return {"ok": False, "error": self.channel_errors[channel]}
        scopes = self.scopes.split(",")
        public_write = channel not in self.private and "chat:write.public" in scopes
        if channel in self.not_member and not public_write:
            return {"ok": False, "error": "not_in_channel"}
        ts = f"{time.time():.6f}"
        metadata = body.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        with self._changed:
            self._delivered.setdefault(channel, []).append({"ts": ts, "text": body.get("text"), "metadata": metadata})
        return {"ok": True, "channel": channel, "ts": ts}
