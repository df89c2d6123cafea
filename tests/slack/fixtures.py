"""Fixtures for the Slack app tests, imported by tests/conftest.py."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from checks import Options

from .harness import BotUnderTest
from .standin import SlackStandIn

StartBot = Callable[..., BotUnderTest]


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        yield standin


@pytest.fixture
def slack_db(database_url: str) -> str:
    """A fresh database at the newest schema (tests/conftest.py): SQLite, then PostgreSQL."""
    return database_url


@pytest.fixture
def start_bot(slack: SlackStandIn, slack_db: str) -> Iterator[StartBot]:
    """Start the app (more than once for a restart); all are stopped at the end."""
    running: list[BotUnderTest] = []

    def start(options: Options | None = None, **settings: Any) -> BotUnderTest:
        bot = BotUnderTest(slack, slack_db, options or Options(), **settings)
        running.append(bot)
        return bot

    yield start
    for bot in running:
        bot.close()
