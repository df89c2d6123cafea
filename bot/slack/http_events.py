"""`POST /slack/events`: from the HTTP body to Bolt, with no decision made on a substring.

Bolt's own WSGI adapter (`slack_bolt/adapter/wsgi/handler.py`,
`SlackRequestHandler.dispatch`) hands the raw body to `BoltRequest`, whose
`parse_body` (`slack_bolt/request/internals.py`) decides "this is an
interactive payload" when the word `payload` occurs *anywhere* in the body,
and then drops every other field: a slash command typed in a workspace called
`payloadcms`, or with `payload` in its text, reaches no listener. Its
`RequestVerification` middleware passes the timestamp header to
`slack_sdk.signature.SignatureVerifier.is_valid`, whose `int(timestamp)`
raises on a malformed header (an unauthenticated 500), and on a bad signature
logs the whole body at INFO. So this endpoint verifies the request itself
(digits-only timestamp, the 5-minute window, the signature, and a memory of
signatures already seen in that window, shared by every web process:
bot/slack/replays.py), parses the body by its keys, and
gives Bolt a request whose `body` and `context` come from that parse; Bolt's
request verification is switched off in `build_app`.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
from http import HTTPStatus
from typing import Any, Callable, Iterable
from urllib.parse import parse_qsl

from slack_bolt import App
from slack_bolt.context.context import BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context
from slack_sdk.signature import SignatureVerifier

from .replays import WINDOW_SECONDS, Replays

log = logging.getLogger(__name__)

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

Respond = Callable[..., Any]


class SlackEvents:
    """The WSGI endpoint for Slack's requests, in front of `app.dispatch`."""

    def __init__(
        self,
        app: App,
        signing_secret: str,
        clock: Callable[[], float] = time.time,
        replays: Replays | None = None,
    ) -> None:
        self._app = app
        self._verifier = SignatureVerifier(signing_secret)
        self._clock = clock
        # Services.replays: shared with every web process through the database.
        self._replays = replays or Replays()

    def __call__(self, environ: dict[str, Any], start_response: Respond) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return _answer(start_response, 405, "method not allowed")
        raw = _read_body(environ)
        if raw is None:
            return _answer(start_response, 400, "bad request")
        refusal = self._refusal(raw, environ)
        if refusal:
            # Never the body: it is the sender's, of any size, and may carry newlines.
            log.warning("refused a request to /slack/events: %s", refusal)
            return _answer(start_response, 401, "invalid request")
        try:
            body = parse_form_or_json(raw, environ.get("CONTENT_TYPE", ""))
        except ValueError:
            return _answer(start_response, 400, "bad request")
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        request = BoltRequest(body=raw, headers=headers)
        # Replace what Bolt's parse_body made of the raw body (see the module docstring).
        request.body = body
        request.context = build_context(BoltContext({}), body)
        response = self._app.dispatch(request)
        status = HTTPStatus(response.status)
        start_response(f"{status.value} {status.phrase}", [(k, v) for k, vs in response.headers.items() for v in vs])
        return [response.body.encode("utf-8")]

    def _refusal(self, raw: str, environ: dict[str, Any]) -> str | None:
        """Why the request is not Slack's, or None when it is."""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not _TIMESTAMP.fullmatch(timestamp):
            return "malformed or missing X-Slack-Request-Timestamp"
        now = self._clock()
        if abs(now - int(timestamp)) > WINDOW_SECONDS:
            return "timestamp outside the 5-minute window"
        if not _SIGNATURE.fullmatch(signature):
            return "malformed or missing X-Slack-Signature"
        expected = self._verifier.generate_signature(timestamp=timestamp, body=raw)
        if expected is None or not hmac.compare_digest(expected, signature):
            return "bad signature"
        if not self._replays.first_time(signature, now):
            return "replay of a request already answered"
        return None


def parse_form_or_json(raw: str, content_type: str) -> dict[str, Any]:
    """Slack's three body shapes, told apart by content type and keys:
    JSON (Events API), a form whose one field is `payload` (interactivity),
    and a plain form (slash commands). Raises ValueError on anything else."""
    if content_type.split(";")[0].strip().lower() == "application/json":
        parsed = json.loads(raw)
        if not isinstance(parsed, dict):
            raise ValueError("a JSON body must be an object")
        return parsed
    fields = dict(parse_qsl(raw, keep_blank_values=True))
    if "payload" in fields and "command" not in fields:
        parsed = json.loads(fields["payload"])
        if not isinstance(parsed, dict):
            raise ValueError("a payload must be an object")
        return parsed
    return fields


def _read_body(environ: dict[str, Any]) -> str | None:
    """The body as text; None when it is not UTF-8 or its length is not a number.
    waitress has already refused a body over max_request_body_size."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        return environ["wsgi.input"].read(length).decode("utf-8") if length > 0 else ""
    except (ValueError, UnicodeDecodeError):
        return None


def _answer(start_response: Respond, status: int, text: str) -> list[bytes]:
    start_response(f"{status} {HTTPStatus(status).phrase}", [("Content-Type", "text/plain; charset=utf-8")])
    return [text.encode() + b"\n"]
