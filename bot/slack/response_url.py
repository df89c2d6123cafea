"""Posting replies through a request's `response_url`.

Slack signs the request that carries the URL, but a leaked signing secret
would otherwise let anyone have the report (and whatever the bot adds to it)
POSTed to any address: only `https://hooks.slack.com/...` is used, and in lab
mode loopback and lab-network addresses too (how the tests reach their
stand-in). Posting never raises: a failure is logged, and the caller's thread
(a check worker) goes on to its next job.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from typing import Any, Sequence
from urllib.parse import urlsplit

from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)

# Slack answers response_url posts within a second or two; a stuck post must
# not hold a check worker for long.
POST_TIMEOUT = 10
SLACK_HOOKS_HOST = "hooks.slack.com"
_LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))

Networks = Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]


def usable(url: str, lab_networks: Networks = ()) -> bool:
    """True for a URL Slack gives: https://hooks.slack.com/... (with no port,
    user or password); in lab mode (`lab_networks` not empty) also http(s) to
    a loopback or lab-network IP literal."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.username is not None or parts.password is not None:
        return False
    if parts.scheme == "https" and parts.hostname == SLACK_HOOKS_HOST and port in (None, 443):
        return True
    if not lab_networks or parts.scheme not in {"http", "https"}:
        return False
    try:
        address = ipaddress.ip_address(parts.hostname or "")
    except ValueError:
        return False
    return any(address in network for network in (*_LOOPBACK, *lab_networks))


def post(response_url: str, payload: dict[str, Any]) -> bool:
    """Send `payload` to `response_url`; True when Slack accepted it. An empty
    URL (none given, or refused by `usable`) posts nothing."""
    if not response_url:
        log.warning("no usable response_url: reply dropped")
        return False
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
    def from_command(cls, command: dict[str, Any], lab_networks: Networks = ()) -> "ReplyTo":
        return cls(
            team=command.get("team_id", ""),
            channel=command.get("channel_id", ""),
            user=command.get("user_id", ""),
            response_url=_vetted(command.get("response_url", ""), lab_networks),
        )

    @classmethod
    def from_action(cls, body: dict[str, Any], lab_networks: Networks = ()) -> "ReplyTo":
        user = body.get("user") or {}
        return cls(
            team=(body.get("team") or {}).get("id") or user.get("team_id", ""),
            channel=(body.get("channel") or {}).get("id", ""),
            user=user.get("id", ""),
            response_url=_vetted(body.get("response_url", ""), lab_networks),
        )


def _vetted(url: object, lab_networks: Networks) -> str:
    if isinstance(url, str) and usable(url, lab_networks):
        return url
    if url:
        log.warning("refused a response_url that is not Slack's (host %r)", urlsplit(str(url)).hostname)
    return ""


def payload(
    text: str, *, public: bool, blocks: list[dict[str, Any]] | None = None, replace_original: bool = False
) -> dict[str, Any]:
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
