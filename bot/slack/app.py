"""Builds the Bolt app over a process's `Services` (bot/services.py).

Nothing here touches the network: the token is not verified at build time
(`token_verification_enabled=False`), and Bolt asks `auth.test` only when the
first request arrives. Every Web API call goes to SLACK_API_URL.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App

from ..services import Services
from .listeners import actions, commands, events

log = logging.getLogger(__name__)


def build_app(services: Services) -> App:
    settings = services.settings
    app = App(
        **_authorization(services),
        signing_secret=settings.signing_secret,
        token_verification_enabled=False,
        # Listeners acknowledge first and hand checks to their own pool, so
        # these threads only parse, read the store and post short replies.
        listener_executor=ThreadPoolExecutor(max_workers=settings.http_threads, thread_name_prefix="certcheck-listener"),
    )

    @app.error
    def log_error(error: Exception) -> None:
        # A Slack API or listener error must cost one reply, not the server.
        log.error("listener failed: %r", error, exc_info=error)

    commands.register(app, services)
    actions.register(app, services)
    events.register(app, services)
    return app


def _authorization(services: Services) -> dict[str, Any]:
    """One token for every request, or (OAuth) each workspace's own, installed through Bolt's flow."""
    if not services.tokens.team_tokens:
        return {"client": services.slack}
    from .oauth import TeamAuthorize, oauth_settings

    team_tokens = services.tokens.team_tokens
    # The client has no token (each request gets its team's from TeamAuthorize)
    # and SLACK_API_URL as its base: Bolt hands it to OAuthFlow for oauth.v2.access.
    return {
        "client": services.slack,
        "oauth_settings": oauth_settings(services.settings, services.db.engine, team_tokens),
        "authorize": TeamAuthorize(team_tokens),
    }
