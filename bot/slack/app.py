"""Builds the Bolt app over a process's `Services` (bot/services.py).

Building calls `auth.test` once: Bolt's `SingleTeamAuthorization` would
otherwise make that call on the thread of the first request, before its
acknowledgement. Every Web API call goes to SLACK_API_URL.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from ..services import Services
from .listeners import actions, commands, events, home

log = logging.getLogger(__name__)


class _TokenGivenTwice(logging.Filter):
    """Bolt's `App.__init__` reads SLACK_BOT_TOKEN from the environment as
    well as taking our client, and then warns (slack_bolt/logger/messages.py,
    `warning_client_prioritized_and_token_skipped`) that the token "will be
    unused": it is the client's token, so the warning only misleads."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def build_app(services: Services) -> App:
    settings = services.settings
    bolt_log = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _TokenGivenTwice) for f in bolt_log.filters):
        bolt_log.addFilter(_TokenGivenTwice())
    app = App(
        **_authorization(services),
        signing_secret=settings.signing_secret,
        token_verification_enabled=True,
        # http_events.SlackEvents verifies every request before Bolt sees it.
        request_verification_enabled=False,
        # Listeners acknowledge and hand the rest to services.background, so
        # these threads never wait on the network.
        listener_executor=ThreadPoolExecutor(
            max_workers=settings.http_threads, thread_name_prefix="certcheck-listener"
        ),
    )

    @app.error
    def log_error(error: Exception) -> None:
        # A Slack API or listener error must cost one reply, not the server.
        log.error("listener failed: %r", error, exc_info=error)

    commands.register(app, services)
    actions.register(app, services)
    events.register(app, services)
    home.register(app, services)
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
