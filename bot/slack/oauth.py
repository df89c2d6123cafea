"""Installing into any workspace: Bolt's own OAuth flow over our database.

`oauth_settings` gives Bolt's `OAuthFlow` (slack_bolt/oauth/oauth_flow.py)
what it needs to serve `/slack/install` (a state stored in slack_sdk's
`SQLAlchemyOAuthStateStore`, set as a cookie, and a redirect to Slack's
authorize page) and `/slack/oauth_redirect` (the state checked against the
cookie and consumed, `oauth.v2.access` for the code, the installation saved).
Bolt builds the flow with the app's client (`App.__init__`:
`OAuthFlow(client=self.client, ...)`), whose base URL is SLACK_API_URL, so
the token exchange goes where every other Web API call goes.

`TeamAuthorize` replaces the `InstallationStoreAuthorize` that
`OAuthSettings` would build: that one rotates with a `TokenRotator` whose
client is a bare `WebClient()` (slack.com, whatever SLACK_API_URL says),
without any guard against two processes spending the same refresh token,
and asks `auth.test` on every request before its acknowledgement. Ours
takes the token from `TeamTokens` (rotated under a lock and a lease, see
bot/slack/tokens.py) and builds the result from the stored installation:
Slack tells us of a revoked token with `tokens_revoked`, and then the
installation is gone.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from ..settings import Settings
from .tokens import NotInstalled, TeamTokens

log = logging.getLogger(__name__)

# What the bot asks for at install, as manifest.yml lists them (docs/slack.md says what each is for).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "users:read",
    "channels:read",
    "groups:read",
    "channels:history",
    "groups:history",
)
# An install started but not finished within this is refused (Bolt's default).
STATE_SECONDS = 600


class TeamAuthorize(Authorize):
    """Bolt's authorize step for a multi-workspace app: the team's installation, no network unless rotating."""

    def __init__(self, tokens: TeamTokens) -> None:
        self._tokens = tokens

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: Optional[str],
        team_id: Optional[str],
        user_id: Optional[str],
        **_actor: Any,
    ) -> Optional[AuthorizeResult]:
        if not team_id:
            return None  # org-wide installs are not supported: subscriptions belong to a workspace
        try:
            bot = self._tokens.bot(team_id)
        except NotInstalled:
            log.warning("a request from %s, which has no installation", team_id)
            return None
        return AuthorizeResult(
            enterprise_id=bot.enterprise_id,
            team_id=bot.team_id,
            team=bot.team_name,
            bot_user_id=bot.bot_user_id,
            bot_id=bot.bot_id,
            bot_token=bot.bot_token,
            bot_scopes=bot.bot_scopes,
            user_id=user_id,
        )


def oauth_settings(settings: Settings, engine: Engine, tokens: TeamTokens) -> OAuthSettings:
    """Bolt's OAuth settings: our stores, our scopes, Bolt's default paths."""
    return OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=settings.redirect_uri or None,
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
        # Straight to Slack's authorize page (302), not Bolt's page with an "Add to Slack" button.
        install_page_rendering_enabled=False,
        installation_store=tokens.store,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine),
        state_expiration_seconds=STATE_SECONDS,
        token_rotation_expiration_minutes=int(tokens.rotate_before.total_seconds() // 60),
    )
