"""A local stand-in for Slack: the Web API methods certcheck calls, and
`response_url` endpoints, recording every request it receives.

The real `slack_sdk` client talks to it through SLACK_API_URL; tests wait for
recorded requests with a bounded condition wait, never a sleep. Like Slack,
it rejects messages beyond the Block Kit limits (`invalid_blocks`), so a
test that sees a post accepted has seen it fit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

import httpx

from .homes import Homes
from .oauth_standin import SlackOAuth
from .payloads import message_errors

BOT_USER = "UBOT"
TEAM = "T0001"


@dataclass
class Recorded:
    method: str
    path: str
    body: dict[str, Any]
    accepted: bool
    errors: list[str] = field(default_factory=list)
    ok: bool = True  # what the API answered: False for 429s and error replies
    token: str = ""  # the token the call was made with

    @property
    def text(self) -> str:
        return str(self.body.get("text", ""))

    def everything(self) -> str:
        """All the words of the message: fallback text and every block."""
        return json.dumps(self.body, ensure_ascii=False)


class SlackStandIn:
    def __init__(self) -> None:
        # user id -> Slack locale and time zone, as users.info reports them.
        self.locales: dict[str, str] = {}
        self.timezones: dict[str, str] = {}
        # Bot tokens Slack knows; any other answers invalid_auth, as for a revoked token.
        self.tokens: set[str] = {"xoxb-test-token", "xoxb-test", "xoxb-bench"}
        # While set, users.info and response_url posts wait until `open_gate()`:
        # a slow Slack. `held` counts the requests waiting.
        self.slow = False
        self.held = 0
        self._gate = threading.Event()
        # users.info for these answers an error, as Slack does for a deleted user.
        self.unknown_users: set[str] = set()
        self.recorded: list[Recorded] = []
        # Slack's OAuth side (installs, tokens, rotation); None: any token is accepted.
        self.oauth: SlackOAuth | None = None
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
        # Answers for the next chat.postMessage calls, before anything is stored:
        # "500" (HTTP 500), "html" (a proxy's HTML page), "internal_error".
        self.post_failures: list[str] = []
        self.history_calls: list[dict[str, Any]] = []
        # Channels the bot is not a member of (chat.postMessage answers
        # not_in_channel, conversations.info says is_member false) until
        # `invite()`; private ones are invisible to it (channel_not_found).
        self.not_member: set[str] = set()
        self.private: set[str] = set()
        # What auth.test reports in X-OAuth-Scopes.
        self.scopes = "commands,chat:write,users:read,channels:read,groups:read,channels:history,groups:history"
        self._release = threading.Event()
        self._delivered: dict[str, list[dict[str, Any]]] = {}
        self._changed = threading.Condition()
        self.homes = Homes(self._changed)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
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

    def delivered(self, channel: str | None = None) -> list[Recorded]:
        """chat.postMessage calls that Slack accepted (the channel shows them)."""
        return [
            r
            for r in self.snapshot()
            if r.path == "/api/chat.postMessage" and r.ok and (channel is None or r.body.get("channel") == channel)
        ]

    def release(self) -> None:
        self._release.set()

    def invite(self, channel: str) -> None:
        """Someone typed `/invite @certcheck` in `channel` (send the event yourself)."""
        with self._changed:
            self.not_member.discard(channel)

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

    def _take_rate_limit(self) -> bool:
        return self._take("rate_limited")

    def _take_failure(self) -> str | None:
        with self._changed:
            return self.post_failures.pop(0) if self.post_failures else None

    def _take_drop(self) -> bool:
        return self._take("drop_after_accept")

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

    def post_to(self, channel: str, count: int, text: str = "chatter") -> None:
        """`count` messages from people in `channel` (a busy channel)."""
        with self._changed:
            for _ in range(count):
                self._delivered.setdefault(channel, []).append({"ts": f"{time.time():.6f}", "text": text})

    def _should_hold(self) -> bool:
        return self.hold_post is not None and len(self.delivered()) == self.hold_post

    def _answer(self, method: str, body: dict[str, Any], token: str, authorization: str) -> dict[str, Any]:
        """OAuth's answer where it has one (tests/slack/oauth_standin.py), else the Web API's."""
        if self.oauth is not None:
            answer = self.oauth.answer(method, body, token, authorization)
            if answer is not None:
                return answer
        return self._api(method, body, token)

    def _api(self, method: str, body: dict[str, Any], token: str = "") -> dict[str, Any]:
        if method == "auth.test":
            if token not in self.tokens:
                return {"ok": False, "error": "invalid_auth"}
            return {
                "ok": True,
                "url": "https://standin.slack.test/",
                "team": "Test",
                "user": "certcheck",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": "BBOT",
            }
        if method == "users.info":
            self._hold_if_slow()
            user = str(body.get("user", ""))
            if user in self.unknown_users:
                return {"ok": False, "error": "user_not_found"}
            tz = self.timezones.get(user, "America/Los_Angeles")  # Slack's default for a new account
            return {
                "ok": True,
                "user": {"id": user, "team_id": TEAM, "locale": self.locales.get(user, "en-US"), "tz": tz},
            }
        if method == "views.publish":
            return self.homes.publish(body, self.unknown_users)
        if method == "apps.connections.open":
            # No WebSocket here: refuse, as Slack does for a revoked app token.
            return {"ok": False, "error": "invalid_auth"}
        if method == "conversations.info":
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
        if method == "chat.postMessage":
            channel = str(body.get("channel", ""))
            if channel in self.channel_errors:
                return {"ok": False, "error": self.channel_errors[channel]}
            public_write = channel not in self.private and "chat:write.public" in self.scopes.split(",")
            if channel in self.not_member and not public_write:
                return {"ok": False, "error": "not_in_channel"}
            ts = f"{time.time():.6f}"
            metadata = body.get("metadata")
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            with self._changed:
                self._delivered.setdefault(channel, []).append(
                    {"ts": ts, "text": body.get("text"), "metadata": metadata}
                )
            return {"ok": True, "channel": channel, "ts": ts}
        if method == "conversations.history":
            return self._history(body)
        return {"ok": False, "error": "unknown_method"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._serve(dict(parse_qsl(urlsplit(self.path).query)))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw or "{}")
                else:
                    body = dict(parse_qsl(raw))
                self._serve(body)

            def _token(self, body: dict[str, Any]) -> str:
                bearer = self.headers.get("Authorization") or ""
                return bearer.removeprefix("Bearer ") if bearer.startswith("Bearer ") else str(body.get("token", ""))

            def _serve(self, body: dict[str, Any]) -> None:
                path = urlsplit(self.path).path
                for key in ("blocks",):
                    if isinstance(body.get(key), str):
                        body[key] = json.loads(body[key])
                errors = block_kit_errors(body)
                failure = standin._take_failure() if path == "/api/chat.postMessage" else None
                if failure in {"500", "html"}:
                    standin._record(Recorded(self.command, path, body, not errors, errors, ok=False))
                    answer = b"<html><body>Bad gateway</body></html>"
                    self.send_response(500 if failure == "500" else 200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                    return
                if failure == "internal_error":
                    standin._record(Recorded(self.command, path, body, not errors, errors, ok=False))
                    answer = json.dumps({"ok": False, "error": "internal_error"}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                    return
                if path == "/api/chat.postMessage" and standin._take_rate_limit():
                    standin._record(Recorded(self.command, path, body, not errors, errors, ok=False))
                    answer = json.dumps({"ok": False, "error": "ratelimited"}).encode()
                    self.send_response(429)
                    self.send_header("Retry-After", "1")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                    return
                if path.startswith("/response/"):
                    standin._hold_if_slow()
                    standin._record(Recorded(self.command, path, body, not errors, errors, ok=not errors))
                    status, answer, kind = (
                        (200, b"ok", "text/plain") if not errors else (400, b"invalid_blocks", "text/plain")
                    )
                elif not path.startswith("/api/"):
                    standin._record(Recorded(self.command, path, body, not errors, errors, ok=False))
                    status, answer, kind = 404, b"no_service", "text/plain"
                else:
                    method = path.removeprefix("/api/")
                    token = self._token(body)
                    reply = (
                        {"ok": False, "error": "invalid_blocks", "errors": errors}
                        if errors
                        else standin._answer(method, body, token, self.headers.get("Authorization") or "")
                    )
                    status, answer, kind = 200, json.dumps(reply).encode(), "application/json"
                    standin._record(
                        Recorded(self.command, path, body, not errors, errors, ok=bool(reply.get("ok")), token=token)
                    )
                    if method == "chat.postMessage" and reply.get("ok") and standin._take_drop():
                        # SO_LINGER 0: closing sends a reset, as a dropped connection does.
                        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        self.close_connection = True
                        return
                    if method == "chat.postMessage" and reply.get("ok") and standin._should_hold():
                        standin._release.wait(60)
                try:
                    self.send_response(status)
                    if path == "/api/auth.test":
                        self.send_header("X-OAuth-Scopes", standin.scopes)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client was killed while its answer was held: expected

        return Handler


def block_kit_errors(body: dict[str, Any]) -> list[str]:
    """The limits Slack enforces on a message, as messages for a failing test."""
    return message_errors(body)


# Signing requests as Slack does ------------------------------------------------


def sign(secret: str, timestamp: str, body: str) -> str:
    """`v0=` + HMAC-SHA256 over `v0:{timestamp}:{body}` with the signing secret."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_post(
    url: str,
    secret: str,
    body: str,
    *,
    timestamp: int | None = None,
    signature: str | None = None,
    content_type: str = "application/x-www-form-urlencoded",
) -> httpx.Response:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or sign(secret, stamp, body),
    }
    return httpx.post(url, content=body.encode(), headers=headers, timeout=30)
