"""Which language to answer in, and which time zone to show times in.

A reply: the channel's setting, else the user's Slack locale, else English.
A subscription records its subscriber's locale and time zone, so that the
nightly alerts, which answer no one, follow the people who subscribed
(bot/db/audience.py).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ..db.subscriptions import Subscriptions
from .when import Zone, valid_zone

log = logging.getLogger(__name__)

DEFAULT_LANG = "en"
# A user's locale rarely changes; asking Slack once an hour per user keeps
# users.info (rate tier 4) far from its limit.
LOCALE_TTL = 3600.0


@dataclass(frozen=True)
class Profile:
    """What a user's Slack profile says about how they read."""

    lang: str  # "en" or "ja", from `locale`
    tz: Zone | None  # `tz`, when this host knows the zone


def lang_of_locale(locale: str) -> str:
    """Slack's `ja-JP` (any `ja-*`) is Japanese; everything else English."""
    return "ja" if locale.lower().startswith("ja") else DEFAULT_LANG


class Languages:
    def __init__(
        self, subscriptions: Subscriptions, client_for: Callable[[str], WebClient], default_tz: Zone = "UTC"
    ) -> None:
        self._subscriptions = subscriptions
        # The team's own client (Services.client_for): in OAuth mode each workspace has its token.
        self._client_for = client_for
        self.default_tz = default_tz
        self._profiles: dict[tuple[str, str], tuple[Profile, float]] = {}
        self._lock = threading.Lock()

    def pick(self, team: str, channel: str, user: str) -> str:
        """The language for a reply to `user` in `channel`. May call users.info."""
        return self._subscriptions.channel_lang(team, channel) or self.user_lang(team, user)

    def zone(self, team: str, channel: str, user: str) -> Zone:
        """The time zone for a reply in `channel`: its subscribers', else the user's, else CERTCHECK_TZ."""
        subscribers = self._subscriptions.audience(team, channel).tz if channel else None
        if subscribers:
            return subscribers
        profile = self.profile(team, user) if user else None
        return (profile.tz if profile else None) or self.default_tz

    def user_lang(self, team: str, user: str) -> str:
        profile = self.profile(team, user)
        return profile.lang if profile else DEFAULT_LANG

    def profile(self, team: str, user: str) -> Profile | None:
        """The user's profile (cached an hour); None when Slack did not answer."""
        key = (team, user)
        now = time.monotonic()
        with self._lock:
            cached = self._profiles.get(key)
        if cached and cached[1] > now:
            return cached[0]
        profile = self._ask_slack(team, user)
        if profile is None:
            # Not cached: the next reply asks again once Slack is back.
            return None
        with self._lock:
            self._profiles[key] = (profile, now + LOCALE_TTL)
        return profile

    def _ask_slack(self, team: str, user: str) -> Profile | None:
        try:
            response = self._client_for(team).users_info(user=user, include_locale=True)
        except SlackApiError as exc:
            log.warning("users.info for %s failed: %s", user, exc.response.get("error"))
            return None
        except Exception:  # noqa: BLE001 - Slack unreachable: answer in English
            log.exception("users.info for %s failed", user)
            return None
        about = response.get("user") or {}
        return Profile(lang_of_locale(str(about.get("locale") or "")), valid_zone(about.get("tz")))
