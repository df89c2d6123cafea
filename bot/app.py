"""Builds the Bolt app and the services its listeners share.

Nothing here touches the network: the token is not verified at build time
(`token_verification_enabled=False`), and Bolt asks `auth.test` only when the
first request arrives. Every Web API call goes to SLACK_API_URL.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient

from checks import Options

from .checking import CheckRunner
from .language import Languages
from .listeners import actions, commands, events
from .ratelimit import CheckLimiter
from .settings import Settings
from .acme_store import DbAcmeState
from .store import Store
from .sweep_store import SweepStore

log = logging.getLogger(__name__)

# Web API calls from a listener hold its thread; fail rather than hang.
API_TIMEOUT = 10


@dataclass
class Services:
    """What the listeners use: one of each per process."""

    settings: Settings
    options: Options
    store: Store
    client: WebClient
    languages: Languages
    checks: CheckRunner
    sweeps: SweepStore

    @classmethod
    def create(cls, settings: Settings, options: Options | None = None) -> "Services":
        options = options or Options.from_env()
        store = Store(settings.database_url, max_subscriptions=settings.max_subscriptions)
        client = WebClient(token=settings.bot_token or None, base_url=settings.api_url, timeout=API_TIMEOUT)
        languages = Languages(store, client)
        limiter = CheckLimiter(settings.user_rate, settings.channel_rate)
        ca = None
        if settings.ca_probe:
            from checks.ca_probe import CaProbeSettings

            ca = CaProbeSettings.from_env()
        checks = CheckRunner(
            options, store, languages, limiter, settings.check_workers, ca=ca, acme_state=DbAcmeState(store.engine)
        )
        return cls(settings, options, store, client, languages, checks, SweepStore(store.engine))

    def close(self) -> None:
        self.checks.close()
        self.store.close()


def build_app(services: Services) -> App:
    settings = services.settings
    app = App(
        client=services.client,
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
