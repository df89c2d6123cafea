"""A local stand-in for Slack: the Web API methods certcheck calls, and
`response_url` endpoints, recording every request it receives.

The real `slack_sdk` client talks to it through SLACK_API_URL; tests wait for
recorded requests with a bounded condition wait, never a sleep. Like Slack,
it rejects messages beyond the Block Kit limits (`invalid_blocks`), so a
test that sees a post accepted has seen it fit.

One module per family of methods, mixed in here: `api_chat` (posting and
its failures), `api_conversations` (membership, history), `api_users`
(`auth.test`, `users.info`), `homes` (`views.publish`), `oauth_standin`
(installs and token rotation); `wire` is the HTTP side.
"""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
from typing import Any, Callable

from .api_chat import Chat
from .api_conversations import Conversations
from .api_users import Users
from .homes import Homes
from .oauth_standin import SlackOAuth
from .recorded import BOT_USER, TEAM, Recorded
from .signing import sign, signed_post
from .wire import Raw, block_kit_errors, handler_for

__all__ = ["BOT_USER", "TEAM", "Recorded", "SlackStandIn", "block_kit_errors", "sign", "signed_post"]


class SlackStandIn(Chat, Conversations, Users):
    def __init__(self) -> None:
        self._init_users()
        self._init_chat()
        self._init_conversations()
        # While set, users.info and response_url posts wait until `open_gate()`:
        # a slow Slack. `held` counts the requests waiting.
        self.slow = False
        self.held = 0
        self._gate = threading.Event()
        self.recorded: list[Recorded] = []
        # Slack's OAuth side (installs, tokens, rotation); None: any token is accepted.
        self.oauth: SlackOAuth | None = None
        self._changed = threading.Condition()
        self.homes = Homes(self._changed)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> "SlackStandIn":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.open_gate()
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base}/response/{name}"

    # Waiting ---------------------------------------------------------------

    def wait_for(
        self, predicate: Callable[[list[Recorded]], bool], timeout: float = 30, what: str = "requests"
    ) -> list[Recorded]:
        """Block until `predicate(recorded)` holds, at most `timeout` seconds."""
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self.recorded), timeout):
                seen = "\n".join(f"  {r.method} {r.path}: {r.text[:120]!r}" for r in self.recorded)
                raise AssertionError(f"no {what} within {timeout} s; recorded:\n{seen}")
            return list(self.recorded)

    def posts(self, name: str) -> list[Recorded]:
        return [r for r in self.snapshot() if r.path == f"/response/{name}"]

    def wait_posts(self, name: str, count: int = 1, timeout: float = 30) -> list[Recorded]:
        path = f"/response/{name}"
        self.wait_for(lambda rs: sum(r.path == path for r in rs) >= count, timeout, f"{count} post(s) to {path}")
        return self.posts(name)

    def wait_public(self, name: str, timeout: float = 30) -> Recorded:
        """The first in-channel post to a response_url (the answer proper, not "checking…")."""
        path = f"/response/{name}"

        def public(rs: list[Recorded]) -> bool:
            return any(r.path == path and r.body.get("response_type") == "in_channel" for r in rs)

        self.wait_for(public, timeout, f"an in_channel post to {path}")
        return next(r for r in self.posts(name) if r.body.get("response_type") == "in_channel")

    def open_gate(self) -> None:
        """Let every request held by `slow` through, and stop holding."""
        self.slow = False
        self._gate.set()

    def _hold_if_slow(self) -> None:
        if not self.slow:
            return
        with self._changed:
            self.held += 1
            self._changed.notify_all()
        self._gate.wait(60)

    def snapshot(self) -> list[Recorded]:
        with self._changed:
            return list(self.recorded)

    # Serving ---------------------------------------------------------------

    def _record(self, entry: Recorded) -> None:
        with self._changed:
            self.recorded.append(entry)
            self._changed.notify_all()

    def _take(self, counter: str) -> bool:
        """Use up one of the misbehaviours counted in attribute `counter`."""
        with self._changed:
            if getattr(self, counter) > 0:
                setattr(self, counter, getattr(self, counter) - 1)
                return True
            return False

    def _answer(self, method: str, body: dict[str, Any], token: str, authorization: str) -> dict[str, Any] | Raw:
        """OAuth's answer where it has one (tests/slack/oauth_standin.py), else the Web API's."""
        if self.oauth is not None:
            answer = self.oauth.answer(method, body, token, authorization)
            if answer is not None:
                return answer
        return self._api(method, body, token)

    def _api(self, method: str, body: dict[str, Any], token: str = "") -> dict[str, Any] | Raw:
        if method == "auth.test":
            return self._auth_test(token)
        if method == "users.info":
            return self._user_info(body)
        if method == "views.publish":
            return self.homes.publish(body, self.unknown_users)
        if method == "apps.connections.open":
            # No WebSocket here: refuse, as Slack does for a revoked app token.
            return {"ok": False, "error": "invalid_auth"}
        if method == "conversations.info":
            return self._conversation_info(body)
        if method == "users.conversations":
            return self._user_conversations(body)
        if method == "conversations.list":
            return self._user_conversations(body, listing=True)
        if method == "chat.postMessage":
            return self._post_message(body)
        if method == "conversations.history":
            return self._history(body, token)
        return {"ok": False, "error": "unknown_method"}
