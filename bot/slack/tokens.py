"""Which token speaks for a workspace: `client_for(team_id)`.

Single-workspace mode (SLACK_BOT_TOKEN) answers every team with the one
client, as before. With OAuth, each workspace's bot token comes from the
installation store (bot/slack/token_store.py), rotated first when it is
about to expire, so the nightly sweep, which runs with no incoming request
to trigger Bolt's own rotation, posts with a live token too.

Rotation follows Bolt's `InstallationStoreAuthorize`
(slack_bolt/authorization/authorize.py, `_rotate_and_save_tokens_if_necessary`):
`TokenRotator.perform_token_rotation` (slack_sdk/oauth/token_rotation/rotator.py)
when the token expires within `token_rotation_expiration_minutes` (two hours
by default), then `installation_store.save`. Unlike it, a refresh token works
once, so the spending is guarded: one workspace at a time in a process (a
lock), one process at a time per workspace (a lease row, `Teams.take_lease`),
and the token is read again under both, since another holder may have just
rotated it.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.token_rotation import TokenRotator

from ..db.teams import Teams
from .identity import verify_token
from .token_store import EncryptedInstallationStore, token_cipher

if TYPE_CHECKING:
    from ..db import Database
    from ..settings import Settings

log = logging.getLogger(__name__)

# Bolt's default (OAuthSettings.token_rotation_expiration_minutes).
ROTATE_BEFORE = timedelta(minutes=120)
# Long enough for one oauth.v2.access and a save; a holder killed mid-way is
# taken over after it.
LEASE = timedelta(seconds=60)
# How long a process waits for another one's rotation before it gives up
# and uses the token it has (still valid until its expiry).
WAIT_FOR_OTHER = 30.0

ClientFactory = Callable[[str | None], WebClient]


class NotInstalled(LookupError):
    """The workspace has no installation (never installed, or uninstalled)."""


class TeamTokens:
    """Per-workspace bot tokens from the installation store, rotated when due."""

    def __init__(
        self,
        store: EncryptedInstallationStore,
        teams: Teams,
        rotator: TokenRotator,
        make_client: ClientFactory,
        *,
        rotate_before: timedelta = ROTATE_BEFORE,
    ) -> None:
        self.store = store
        self._teams = teams
        self._rotator = rotator
        self._make_client = make_client
        self.rotate_before = rotate_before
        self._lock = threading.Lock()
        self._owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"

    def client_for(self, team_id: str) -> WebClient:
        """A client with the team's bot token; `NotInstalled` when there is none."""
        return self._make_client(self.bot(team_id).bot_token)

    def scopes(self, team_id: str) -> frozenset[str]:
        """What the workspace granted at install (oauth.v2.access's `scope`), as stored."""
        return frozenset(scope.strip() for scope in self._find(team_id).bot_scopes or [] if scope.strip())

    def bot(self, team_id: str) -> Bot:
        """The team's bot installation with a token that is not about to expire."""
        bot = self._find(team_id)
        if not self._due(bot):
            return bot
        with self._lock:
            return self._rotate(team_id)

    def _find(self, team_id: str) -> Bot:
        bot = self.store.find_bot(enterprise_id=self._teams.enterprise_of(team_id), team_id=team_id)
        if bot is None or not bot.bot_token:
            raise NotInstalled(team_id)
        return bot

    def _due(self, bot: Bot) -> bool:
        expires = bot.bot_token_expires_at
        return (
            bool(bot.bot_refresh_token)
            and expires is not None
            and expires <= time.time() + self.rotate_before.total_seconds()
        )

    def _rotate(self, team_id: str) -> Bot:
        deadline = time.monotonic() + WAIT_FOR_OTHER
        pause = 0.05
        while True:
            bot = self._find(team_id)
            if not self._due(bot):
                return bot  # rotated meanwhile, by another thread or process
            if self._teams.take_lease(team_id, self._owner, datetime.now(timezone.utc), LEASE):
                try:
                    return self._rotate_held(team_id)
                finally:
                    self._teams.release_lease(team_id, self._owner)
            if time.monotonic() >= deadline:
                log.warning("token rotation for %s is held by another process; using the current token", team_id)
                return bot
            # Another process is spending the refresh token: let it save the new one.
            threading.Event().wait(pause)
            pause = min(pause * 2, 1.0)

    def _rotate_held(self, team_id: str) -> Bot:
        enterprise = self._teams.enterprise_of(team_id)
        installation = self.store.find_installation(enterprise_id=enterprise, team_id=team_id)
        minutes = int(self.rotate_before.total_seconds() // 60)
        try:
            if installation is not None:
                refreshed = self._rotator.perform_token_rotation(
                    installation=installation, minutes_before_expiration=minutes
                )
                if refreshed is not None:
                    self.store.save(refreshed)  # the installation row and the bot row
            else:
                bot = self._find(team_id)
                refreshed_bot = self._rotator.perform_bot_token_rotation(bot=bot, minutes_before_expiration=minutes)
                if refreshed_bot is not None:
                    self.store.save_bot(refreshed_bot)
        except SlackTokenRotationError as exc:
            # Usually final (revoked, refresh token already spent): say so, keep the old token.
            log.error("rotating %s's bot token failed: %s", team_id, exc.api_error.response.get("error"))
        return self._find(team_id)


class Tokens:
    """`client_for(team_id)` for both modes; the one answer to "which token?"."""

    def __init__(self, single: WebClient, team_tokens: TeamTokens | None = None) -> None:
        self._single = single
        self.team_tokens = team_tokens

    @property
    def multi_workspace(self) -> bool:
        return self.team_tokens is not None

    def verify(self) -> None:
        """At start-up: `OptionError` in one line when the tokens cannot be used:
        Slack refuses SLACK_BOT_TOKEN (`auth.test`), or CERTCHECK_TOKEN_KEY is not
        the key the stored tokens were saved with."""
        if self.team_tokens is None:
            verify_token(self._single)
        else:
            self.team_tokens.store.verify_key()

    def client_for(self, team_id: str) -> WebClient:
        """The Web API client that speaks for `team_id` (`NotInstalled` in OAuth mode for a team without one)."""
        if self.team_tokens is None:
            return self._single
        return self.team_tokens.client_for(team_id)


def team_tokens(settings: "Settings", db: "Database", base: WebClient) -> TeamTokens:
    """OAuth mode's tokens over our engine; a malformed CERTCHECK_TOKEN_KEY is an `OptionError`."""
    store = EncryptedInstallationStore(settings.client_id, db.engine, token_cipher(settings.token_key))
    # The rotator's client is ours: oauth.v2.access goes to SLACK_API_URL
    # (TokenRotator's default, `WebClient(token=None)`, would go to slack.com).
    rotator = TokenRotator(client_id=settings.client_id, client_secret=settings.client_secret, client=base)

    def make_client(token: str | None) -> WebClient:
        return WebClient(
            token=token, base_url=base.base_url, timeout=base.timeout, retry_handlers=list(base.retry_handlers)
        )

    return TeamTokens(store, db.teams, rotator, make_client)
