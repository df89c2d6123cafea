"""Requests signed as Slack signs them, for the app under test."""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode

import httpx

from .recorded import TEAM


def command_body(
    response_url: str, text: str, *, user: str = "U0001", channel: str = "C0001", team: str = TEAM, **fields: str
) -> str:
    """A slash-command request body, form-encoded as Slack sends it; `fields` override any field."""
    return urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": team,
            "team_domain": "standin",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "someone",
            "command": "/certcheck",
            "text": text,
            "api_app_id": "A0001",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
            **fields,
        }
    )


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
