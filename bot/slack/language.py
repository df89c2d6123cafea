"""Which language to answer in: the channel's setting, else the user's Slack
locale, else English."""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError


from ..db.subscriptions import Subscriptions

log = logging.getLogger(__name__)

DEFAULT_LANG = "en"
# A user's locale rarely changes; asking Slack once an hour per user keeps
# users.info (rate tier 4) far from its limit.
LOCALE_TTL = 3600.0


class Languages:
    def __init__(self, subscriptions: Subscriptions, client_for: Callable[[str], WebClient]) -> None:
        self._subscriptions = subscriptions
        # The team's own client (Services.client_for): in OAuth mode each workspace has its token.
        self._client_for = client_for
        self._locales: dict[tuple[str, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def pick(self, team: str, channel: str, user: str) -> str:
        """The language for a reply to `user` in `channel`. May call users.info."""
        return self._subscriptions.channel_lang(team, channel) or self.user_lang(team, user)

    def user_lang(self, team: str, user: str) -> str:
        key = (team, user)
        now = time.monotonic()
        with self._lock:
            cached = self._locales.get(key)
        if cached and cached[1] > now:
            return cached[0]
        lang = self._ask_slack(team, user)
        if lang is None:
            # Not cached: the next reply asks again once Slack is back.
            return DEFAULT_LANG
        with self._lock:
            self._locales[key] = (lang, now + LOCALE_TTL)
        return lang

    def _ask_slack(self, team: str, user: str) -> str | None:
        try:
            response = self._client_for(team).users_info(user=user, include_locale=True)
        except SlackApiError as exc:
            log.warning("users.info for %s failed: %s", user, exc.response.get("error"))
            return None
        except Exception:  # noqa: BLE001 - Slack unreachable: answer in English
            log.exception("users.info for %s failed", user)
            return None
        locale = str((response.get("user") or {}).get("locale") or "")
        return "ja" if locale.lower().startswith("ja") else DEFAULT_LANG
