"""The bot's settings, read once from the environment; a bad one is an `OptionError`.

Check settings (resolver, ports, timeout, ...) are not here: they belong to
`checks.Options.from_env`, so the CLI and the bot read them the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from checks.options import OptionError, parse_int

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///certcheck.sqlite3"


@dataclass(frozen=True)
class Rate:
    """`burst` actions at once, refilled evenly over `per_seconds`."""

    burst: int
    per_seconds: float

    @classmethod
    def parse(cls, text: str, name: str) -> "Rate":
        """`N/SECONDS`, for example `5/60`: five checks a minute."""
        count, _, seconds = text.partition("/")
        try:
            rate = cls(int(count), float(seconds or 60))
        except ValueError:
            raise OptionError(f"{name} must look like 5/60 (checks per seconds), got {text!r}") from None
        if rate.burst < 1 or rate.per_seconds <= 0:
            raise OptionError(f"{name} must allow at least one check, got {text!r}")
        return rate


@dataclass(frozen=True)
class Settings:
    bot_token: str = ""
    signing_secret: str = ""
    app_token: str = ""
    api_url: str = DEFAULT_API_URL
    host: str = "0.0.0.0"
    port: int = 3000
    database_url: str = DEFAULT_DATABASE_URL
    max_subscriptions: int = 50
    # Threads that run checks. Each check waits on the network for up to
    # CERTCHECK_TIMEOUT seconds, so this is how many may be in flight before
    # the next one queues (it still runs, and still reports).
    check_workers: int = 32
    # Threads of the HTTP server: they only verify, parse and acknowledge.
    http_threads: int = 8
    user_rate: Rate = Rate(5, 60)
    channel_rate: Rate = Rate(20, 60)
    # Ask the CA too after each slash-command check (CERTCHECK_CA_PROBE, on in
    # production); off by default here so that nothing built in code (tests,
    # benchmarks) reaches out to Let's Encrypt.
    ca_probe: bool = False
    # Run the nightly schedule inside `serve` (CERTCHECK_NIGHTLY_IN_SERVE).
    nightly_in_serve: bool = True
    # Multi-workspace install over OAuth: all three, or none (see `oauth`).
    client_id: str = ""
    client_secret: str = ""
    token_key: str = ""
    # Where Slack sends the installer back; empty: the one URL set in the app's settings.
    redirect_uri: str = ""
    # The time zone replies show times in when nobody's is known (CERTCHECK_TZ).
    tz: str = "UTC"

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def oauth(self) -> bool:
        """Any workspace may install over OAuth (`require_tokens` refuses a partial set)."""
        return bool(self.client_id and self.client_secret and self.token_key)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        api_url = env.get("SLACK_API_URL") or DEFAULT_API_URL
        return cls(
            bot_token=env.get("SLACK_BOT_TOKEN", ""),
            signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            app_token=env.get("SLACK_APP_TOKEN", ""),
            # slack_sdk joins base URL and method name by plain concatenation.
            api_url=api_url if api_url.endswith("/") else api_url + "/",
            host=env.get("CERTCHECK_HOST", "0.0.0.0"),
            port=env_int(env, "PORT", 3000, 0, 65535),
            database_url=database_url(env),
            max_subscriptions=env_int(env, "CERTCHECK_MAX_SUBSCRIPTIONS", 50, 1, 10000),
            check_workers=env_int(env, "CERTCHECK_CHECK_WORKERS", 32, 1, 512),
            http_threads=env_int(env, "CERTCHECK_HTTP_THREADS", 8, 1, 256),
            user_rate=Rate.parse(env.get("CERTCHECK_RATE_USER") or "5/60", "CERTCHECK_RATE_USER"),
            channel_rate=Rate.parse(env.get("CERTCHECK_RATE_CHANNEL") or "20/60", "CERTCHECK_RATE_CHANNEL"),
            ca_probe=env_flag(env, "CERTCHECK_CA_PROBE", True),
            nightly_in_serve=env_flag(env, "CERTCHECK_NIGHTLY_IN_SERVE", True),
            client_id=env.get("SLACK_CLIENT_ID", ""),
            client_secret=env.get("SLACK_CLIENT_SECRET", ""),
            token_key=env.get("CERTCHECK_TOKEN_KEY", ""),
            redirect_uri=env.get("SLACK_REDIRECT_URI", ""),
            tz=env_zone(env, "CERTCHECK_TZ"),
        )

    def require_complete_oauth(self) -> None:
        """One or two of the three OAuth variables is a mistake: name the others."""
        oauth = {
            "SLACK_CLIENT_ID": self.client_id,
            "SLACK_CLIENT_SECRET": self.client_secret,
            "CERTCHECK_TOKEN_KEY": self.token_key,
        }
        absent = [name for name, value in oauth.items() if not value]
        if 0 < len(absent) < len(oauth):
            given = " and ".join(name for name in oauth if name not in absent)
            raise OptionError(
                f"{given} set but not {' and '.join(absent)}: multi-workspace install needs all three "
                "(see docs/slack.md)"
            )

    def require_tokens(self) -> None:
        """Refuse to start without what Slack needs, naming the missing variable."""
        self.require_complete_oauth()
        missing = [] if self.bot_token or self.oauth else ["SLACK_BOT_TOKEN"]
        # Socket Mode requests arrive over our own connection, unsigned.
        if not self.socket_mode and not self.signing_secret:
            missing.append("SLACK_SIGNING_SECRET")
        if missing:
            raise OptionError(f"set {' and '.join(missing)} (see docs/slack.md)")


def database_url(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    url = env.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    # Hosting platforms hand out `postgres://`, a scheme SQLAlchemy 2 dropped.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


def env_int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = env.get(name)
    if not text:
        return default
    return parse_int(text, name, low, high)


def env_zone(env: Mapping[str, str], name: str) -> str:
    text = (env.get(name) or "").strip() or "UTC"
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise OptionError(f"{name} must be an IANA time zone such as Asia/Tokyo, got {text!r}") from None
    return text


def env_flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    text = (env.get(name) or "").strip().lower()
    if not text:
        return default
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise OptionError(f"{name} must be 1 or 0, got {text!r}")
