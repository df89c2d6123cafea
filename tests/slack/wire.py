"""The stand-in's HTTP side: requests parsed as Slack parses them, answers
written as Slack writes them, misbehaviour (5xx, 429, resets, held answers)
where a family of methods asks for it."""

from __future__ import annotations

import json
import socket
import struct
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from .payloads import message_errors
from .recorded import Recorded

if TYPE_CHECKING:
    from .standin import SlackStandIn


@dataclass
class Raw:
    """An answer given as it goes on the wire (an error page, a 429), not as a Web API reply."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def api_error(cls, error: str, status: int = 200, **headers: str) -> "Raw":
        return cls(status, json.dumps({"ok": False, "error": error}).encode(), headers=headers)


def block_kit_errors(body: dict[str, Any]) -> list[str]:
    """The limits Slack enforces on a message, as messages for a failing test."""
    return message_errors(body)


def handler_for(standin: "SlackStandIn") -> type[BaseHTTPRequestHandler]:
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
            fault = standin.chat_fault() if path == "/api/chat.postMessage" else None
            if fault is not None:
                standin._record(Recorded(self.command, path, body, not errors, errors, ok=False))
                self._write(fault)
                return
            if path.startswith("/response/"):
                standin._hold_if_slow()
                standin._record(Recorded(self.command, path, body, not errors, errors, ok=not errors))
                answer = Raw(200, b"ok", "text/plain") if not errors else Raw(400, b"invalid_blocks", "text/plain")
            elif not path.startswith("/api/"):
                standin._record(Recorded(self.command, path, body, not errors, errors, ok=False))
                answer = Raw(404, b"no_service", "text/plain")
            else:
                method = path.removeprefix("/api/")
                token = self._token(body)
                reply: dict[str, Any] | Raw = (
                    {"ok": False, "error": "invalid_blocks", "errors": errors}
                    if errors
                    else standin._answer(method, body, token, self.headers.get("Authorization") or "")
                )
                ok = not isinstance(reply, Raw) and bool(reply.get("ok"))
                standin._record(Recorded(self.command, path, body, not errors, errors, ok=ok, token=token))
                answer = reply if isinstance(reply, Raw) else Raw(200, json.dumps(reply).encode())
                if method == "auth.test":
                    answer.headers["X-OAuth-Scopes"] = standin.scopes
                if method == "chat.postMessage" and ok and standin._take_drop(str(body.get("channel", ""))):
                    # SO_LINGER 0: closing sends a reset, as a dropped connection does.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    return
                if method == "chat.postMessage" and ok and standin._should_hold():
                    standin._release.wait(60)
            self._write(answer)

        def _write(self, answer: Raw) -> None:
            try:
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client was killed while its answer was held: expected

    return Handler
