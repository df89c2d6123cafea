"""The nightly sweep under test: a sweeper on a fresh database, a clock, the Slack stand-in.

Fixtures `site` and `night` are registered by tests/conftest.py; the nightly
and the fault tests share them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.db import Database
from bot.nightly.settings import NightlySettings
from bot.nightly.sweep import Sweeper
from bot.services import slack_client
from bot.settings import Settings
from checks import Options
from tests.clock import Clock

FIRST_NIGHT = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)
TEAM = "T0001"


@dataclass
class Night:
    """The sweeper under test, the clock it was given, and its database."""

    sweeper: Sweeper
    clock: Clock
    db: Database

    def run_once(self):
        return self.sweeper.run_once()


def make_night(internet: Any, slack: Any, database_url: str, start: datetime = FIRST_NIGHT, **nightly: Any) -> Night:
    db = Database(database_url)
    clock = Clock(start)
    options = Options.from_env(internet.env(), timeout=3)
    settings = Settings(bot_token="xoxb-test", api_url=slack.api_url)
    sweeper = Sweeper(
        db, slack_client(settings), options, NightlySettings(**{"channel_interval": 0.2, **nightly}), clock=clock
    )
    return Night(sweeper, clock, db)


@pytest.fixture
def site(internet):
    """A fixture site of our own, behind Basic auth; put back afterwards."""
    name = "nightly-a.test"
    internet.set_site(name, "basic-all")
    yield name
    internet.set_site(name, "basic-all")


@pytest.fixture
def night(internet, slack, slack_db):
    """A sweeper on a fresh database (SQLite, then PostgreSQL), a clock at the first night, the stand-in Slack."""
    night = make_night(internet, slack, slack_db)
    yield night
    night.db.close()


def nightly_process(
    internet, slack, database_url, now=FIRST_NIGHT, *, installed: bool = False, args=(), **env_vars: str
) -> subprocess.Popen[str]:
    """`certcheck nightly --once --now NOW` as a process of its own (`installed`: the entry point
    pip installed, as an operator runs it); `env_vars` are added to its environment."""
    env = {
        **os.environ,
        **internet.env(),
        "DATABASE_URL": database_url,
        "SLACK_API_URL": slack.api_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "CERTCHECK_TIMEOUT": "3",
        **env_vars,
    }
    command = [str(Path(sys.executable).parent / "certcheck")] if installed else [sys.executable, "-m", "bot.cli"]
    return subprocess.Popen(
        [*command, "nightly", "--once", "--now", now.isoformat(), *args],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
