"""The composition root: the one place a process builds what it shares.

`certcheck serve`, `certcheck nightly` and the benchmarks all start here, so
a process has one database engine, one Slack Web API client and one check
set-up, built the same way whichever way it was started.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from checks import Options
from checks.ca_probe import CaProbeSettings
from checks.schedule import ScheduleSettings

from .db import Database
from .settings import Settings

if TYPE_CHECKING:
    from .nightly.settings import NightlySettings
    from .nightly.sweep import Clock, Sweeper
    from .slack.background import Background
    from .slack.check_requests import CheckRequests
    from .slack.language import Languages
    from .slack.replays import Replays
    from .slack.tokens import Tokens

# A Web API call holds a listener's or the sweep's thread: fail rather than hang.
API_TIMEOUT = 15


def slack_client(settings: Settings, token: str | None = None) -> WebClient:
    """The Web API client: SLACK_API_URL, a timeout, and Retry-After honoured on 429 (three times).

    Without `token`: SLACK_BOT_TOKEN's client, or in OAuth mode one with no
    token (for oauth.v2.access, and the base each workspace's token is added to)."""
    default = None if settings.oauth else settings.bot_token or None
    client = WebClient(token=token or default, base_url=settings.api_url, timeout=API_TIMEOUT)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    return client


@dataclass
class Services:
    """One of each per process. Built by `create`; parts a process does not use are never built."""

    settings: Settings
    options: Options
    db: Database
    slack: WebClient
    ca: CaProbeSettings | None = None
    # ARI and CT for the nightly sweep and Slack's checks: on unless CERTCHECK_ARI=0 / CERTCHECK_CT=0.
    schedule: ScheduleSettings | None = None
    _closers: list[object] = field(default_factory=list, repr=False)

    @classmethod
    def create(
        cls, settings: Settings | None = None, options: Options | None = None, schedule: ScheduleSettings | None = None
    ) -> "Services":
        """From the environment (`schedule`: ARI and CT as given, else from it); a bad setting
        raises `OptionError` with a one-line reason."""
        settings = settings or Settings.from_env()
        settings.require_complete_oauth()
        options = options or Options.from_env()
        ca = CaProbeSettings.from_env() if settings.ca_probe else None
        db = Database(settings.database_url, max_subscriptions=settings.max_subscriptions)
        schedule = schedule or ScheduleSettings.from_env(options)
        services = cls(settings, options, db, slack_client(settings), ca, schedule)
        if settings.oauth:
            services.tokens  # noqa: B018 - a malformed CERTCHECK_TOKEN_KEY is refused now, not at the first install
        return services

    @cached_property
    def tokens(self) -> "Tokens":
        """Which token speaks for a workspace: SLACK_BOT_TOKEN's, or its installation's (OAuth)."""
        from .slack.tokens import Tokens, team_tokens

        return Tokens(self.slack, team_tokens(self.settings, self.db, self.slack) if self.settings.oauth else None)

    def client_for(self, team_id: str) -> WebClient:
        """The Web API client for `team_id`, its token rotated if due (`NotInstalled` when it has none)."""
        return self.tokens.client_for(team_id)

    @cached_property
    def languages(self) -> "Languages":
        from .slack.language import Languages

        return Languages(self.db.subscriptions, self.client_for, self.settings.tz)

    @cached_property
    def scopes(self) -> frozenset[str]:
        """The bot token's scopes, as auth.test reports them (asked once)."""
        from .slack.identity import bot_scopes

        return bot_scopes(self.slack)

    def scopes_for(self, team_id: str) -> frozenset[str]:
        """The bot's scopes in `team_id`: `scopes` for the one token; with OAuth, those its installation granted."""
        if self.tokens.team_tokens is None:
            return self.scopes
        return self.tokens.team_tokens.scopes(team_id)

    @cached_property
    def background(self) -> "Background":
        """What Slack listeners do after their acknowledgement (replies, Web API calls)."""
        from .slack.background import Background

        pool = Background(self.settings.http_threads)
        # Closed first: its jobs may still hand checks to `checks`.
        self._closers.insert(0, pool)
        return pool

    @cached_property
    def replays(self) -> "Replays":
        """Signed requests already answered: in memory, and in the database every web process shares."""
        from .slack.replays import Replays

        replays = Replays(self.db.seen_requests)
        self._closers.append(replays)
        return replays

    @cached_property
    def checks(self) -> "CheckRequests":
        """Checks asked for from Slack, on a pool of their own."""
        from .slack.check_requests import CheckRequests
        from .slack.ratelimit import CheckLimiter

        if self.db.engine.dialect.name == "postgresql":
            # Several web processes may share it: the limits must hold across them.
            from .db.limits import SharedBuckets

            limiter = CheckLimiter(
                self.settings.user_rate, self.settings.channel_rate, partial(SharedBuckets, self.db.engine)
            )
        else:
            limiter = CheckLimiter(self.settings.user_rate, self.settings.channel_rate)
        runner = CheckRequests(
            self.options,
            self.db,
            self.languages,
            limiter,
            self.settings.check_workers,
            ca=self.ca,
            schedule=self.schedule,
        )
        self._closers.append(runner)
        return runner

    def sweeper(self, nightly: "NightlySettings | None" = None, *, clock: "Clock | None" = None) -> "Sweeper":
        """The nightly sweep over this process's database and Slack client."""
        from .nightly.settings import NightlySettings
        from .nightly.sweep import Sweeper

        nightly = nightly or NightlySettings.from_env()
        return Sweeper(
            self.db,
            self.slack,
            self.options,
            nightly,
            clock=clock,
            ca_settings=self.ca,
            schedule=self.schedule,
            client_for=self.client_for,
        )

    def close(self) -> None:
        """Finish the checks in flight, then let the database go."""
        for part in self._closers:
            part.close()  # type: ignore[attr-defined]
        self.db.close()
