"""Requests signed as Slack signs them, for the app under test."""

from __future__ import annotations

import hashlib
import hmac
import time

import httpx


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
