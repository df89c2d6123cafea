"""The nightly job's settings, read once from the environment and refused in one line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

from checks import OptionError

from ..settings import env_int, env_zone


@dataclass(frozen=True)
class NightlySettings:
    at: str = "03:00"  # CERTCHECK_NIGHTLY_AT, local time
    tz: str = "UTC"  # CERTCHECK_TZ
    # Checks in flight. A black hole holds its worker for two probe budgets
    # (first try and retry, 42.5 s at the default timeout), so 5 % of them in
    # 10,000 domains need a few hundred workers to stay off the critical path.
    concurrency: int = 512  # CERTCHECK_SWEEP_CONCURRENCY
    # Processes that run checks: 0 means one per CPU once a night has more
    # than PROCESSES_FROM domains (below that, the sweep's own process does).
    processes: int = 0  # CERTCHECK_SWEEP_PROCESSES
    # Politeness to shared hosts (bot/nightly/pacing.py): checks in flight per
    # destination address (each opens at most a handful of connections to it
    # at once), and how many may start there per second. 0 turns pacing off.
    per_address: int = 4  # CERTCHECK_CHECKS_PER_ADDRESS
    per_address_rate: float = 10.0  # CERTCHECK_CHECKS_PER_ADDRESS_RATE, checks started per second
    # Domains per work item (bot/db/items.py): what one worker claims at a time.
    batch: int = 200  # CERTCHECK_SWEEP_BATCH
    remind_days: int = 7  # CERTCHECK_REMIND_DAYS
    history_days: int = 90  # CERTCHECK_HISTORY_DAYS
    channel_interval: float = 1.0  # seconds between two posts to one channel
    # Ask the CA too (checks.ca_probe), for at most this many domains a night:
    # Let's Encrypt staging limits new orders per account. 0 turns it off.
    ca_probes: int = 0  # CERTCHECK_CA_PROBE_PER_NIGHT (100 from the environment)
    # Requests a night may make to ARI and the CT logs together (checks.webapi.RequestBudget),
    # shared by the sweep's check processes; past it, the lifetime rules stand in.
    schedule_requests: int = 2000  # CERTCHECK_SCHEDULE_REQUESTS
    # How often a sweep renews its claim on the night, well within the lease
    # (bot.db.nights: 5 minutes) after which another machine may take it over.
    heartbeat_seconds: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "NightlySettings":
        """The CERTCHECK_* variables; a bad value is refused now, not at 3 a.m."""
        env = os.environ if env is None else env
        settings = cls(
            at=env.get("CERTCHECK_NIGHTLY_AT") or cls.at,
            tz=env_zone(env, "CERTCHECK_TZ"),
            concurrency=env_int(env, "CERTCHECK_SWEEP_CONCURRENCY", cls.concurrency, 1, 5000),
            processes=env_int(env, "CERTCHECK_SWEEP_PROCESSES", cls.processes, 0, 64),
            per_address=env_int(env, "CERTCHECK_CHECKS_PER_ADDRESS", cls.per_address, 0, 1000),
            per_address_rate=env_int(env, "CERTCHECK_CHECKS_PER_ADDRESS_RATE", int(cls.per_address_rate), 1, 10000),
            batch=env_int(env, "CERTCHECK_SWEEP_BATCH", cls.batch, 1, 100000),
            remind_days=env_int(env, "CERTCHECK_REMIND_DAYS", cls.remind_days, 1, 365),
            history_days=env_int(env, "CERTCHECK_HISTORY_DAYS", cls.history_days, 1, 3650),
            # Whether the CA is asked at all is CERTCHECK_CA_PROBE (bot.settings);
            # this is how many a night. The library default (tests, benchmarks) is 0.
            ca_probes=env_int(env, "CERTCHECK_CA_PROBE_PER_NIGHT", 100, 0, 100000),
            schedule_requests=env_int(env, "CERTCHECK_SCHEDULE_REQUESTS", cls.schedule_requests, 0, 10_000_000),
        )
        settings.time_of_day()
        return settings

    def time_of_day(self) -> tuple[int, int]:
        hour, sep, minute = self.at.partition(":")
        if not (sep and hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise OptionError(f"CERTCHECK_NIGHTLY_AT must be HH:MM, got {self.at!r}")
        return int(hour), int(minute)
