"""Posting replies through a request's `response_url`.

Slack signs the request that carries the URL, so the URL is trusted and used
as given. Posting never raises: a failure is logged, and the caller's thread
(a check worker, a listener) goes on to its next job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)

# Slack answers response_url posts within a second or two; a stuck post must
# not hold a check worker for long.
POST_TIMEOUT = 10


def post(response_url: str, payload: dict[str, Any]) -> bool:
    """Send `payload` to `response_url`; True when Slack accepted it."""
    try:
        response = WebhookClient(response_url, timeout=POST_TIMEOUT).send_dict(payload)
    except Exception:  # noqa: BLE001 - any network failure is logged, never raised
        log.exception("posting to response_url failed")
        return False
    if response.status_code != 200:
        log.warning("response_url answered %s: %s", response.status_code, response.body[:200])
        return False
    return True


@dataclass(frozen=True)
class ReplyTo:
    """Who asked, where, and the URL Slack gave for the answer."""

    team: str
    channel: str
    user: str
    response_url: str

    @classmethod
    def from_command(cls, command: dict[str, Any]) -> "ReplyTo":
        return cls(
            team=command.get("team_id", ""),
            channel=command.get("channel_id", ""),
            user=command.get("user_id", ""),
            response_url=command.get("response_url", ""),
        )

    @classmethod
    def from_action(cls, body: dict[str, Any]) -> "ReplyTo":
        user = body.get("user") or {}
        return cls(
            team=(body.get("team") or {}).get("id") or user.get("team_id", ""),
            channel=(body.get("channel") or {}).get("id", ""),
            user=user.get("id", ""),
            response_url=body.get("response_url", ""),
        )


def payload(text: str, *, public: bool, blocks: list[dict[str, Any]] | None = None, replace_original: bool = False) -> dict[str, Any]:
    """A response_url body. `public` posts in the channel; otherwise only the
    asker sees it. replace_original is always explicit, because a button's
    response_url would otherwise decide for itself."""
    body: dict[str, Any] = {
        "text": text,
        "response_type": "in_channel" if public else "ephemeral",
        "replace_original": replace_original,
    }
    if blocks:
        body["blocks"] = blocks
    return body
