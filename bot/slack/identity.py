"""Who the bot is to Slack: `auth.test`, asked once when a process starts.

A mistyped or revoked SLACK_BOT_TOKEN must stop `serve` and `nightly` at
once, in one line, rather than let the first night pause every subscription.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from checks import OptionError

# Slack's answers for a token that will never work as it is.
_REFUSED = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}


def verify_token(client: WebClient) -> dict[str, Any]:
    """`auth.test`'s answer; `OptionError` when Slack refuses the token or cannot be asked."""
    try:
        response = client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error") or exc.response.status_code)
        if error in _REFUSED:
            raise OptionError(
                f"Slack refused SLACK_BOT_TOKEN ({error}): copy the Bot User OAuth Token (xoxb-...) "
                "from the app's OAuth & Permissions page, or reinstall the app"
            ) from None
        raise OptionError(f"Slack's auth.test failed ({error}); try again, or see docs/slack.md") from None
    except Exception as exc:  # noqa: BLE001 - DNS, TLS, refused: all mean "cannot reach Slack"
        raise OptionError(
            f"cannot reach Slack at {client.base_url} to verify the token: {type(exc).__name__}"
        ) from None
    return dict(response.data) if isinstance(response.data, dict) else {}


def bot_scopes(client: WebClient) -> frozenset[str]:
    """The token's scopes from `auth.test`'s `x-oauth-scopes` header; empty when Slack cannot say."""
    try:
        response = client.auth_test()
    except Exception:  # noqa: BLE001 - unknown scopes: callers assume the least
        return frozenset()
    headers = {k.lower(): v for k, v in (response.headers or {}).items()}
    value = headers.get("x-oauth-scopes") or ""
    if isinstance(value, list):
        value = ",".join(value)
    return frozenset(part.strip() for part in str(value).split(",") if part.strip())
