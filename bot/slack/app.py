"""Builds the Bolt app over a process's `Services` (bot/services.py).

Nothing here touches the network: the token is not verified at build time
(`token_verification_enabled=False`), and Bolt asks `auth.test` only when the
first request arrives. Every Web API call goes to SLACK_API_URL.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App

from ..services import Services
from .listeners import actions, commands, events, home

log = logging.getLogger(__name__)


def build_app(services: Services) -> App:
    settings = services.settings
    app = App(
        client=services.slack,
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
    home.register(app, services)
    return app
