"""Slack's `conversations.history` limit for apps outside the Marketplace, in
the stand-in, and crash recovery keeping within it: one call a minute per
workspace, 15 messages a call, 429 with Retry-After beyond that. Time passes
on the stand-in's clock, moved on by the sweep's waits: nothing sleeps."""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import pairwise

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db import Database
from bot.nightly.recovery import HISTORY_WAIT
from bot.nightly.settings import NightlySettings
from bot.nightly.sweep import Sweeper
from bot.services import slack_client
from bot.settings import Settings
from checks import Options
from tests.clock import Clock

NIGHT = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)


class Waits:
    """The sweep's `wait`: each wait recorded, and the stand-in's clock moved on by it."""

    def __init__(self, slack) -> None:
        self.slack = slack
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        if seconds > 0:
            self.seconds.append(seconds)
        self.slack.clock.advance(seconds)


def test_the_stand_in_allows_one_history_call_a_minute_of_at_most_15_messages(slack):
    client = WebClient(token="xoxb-test", base_url=slack.api_url, retry_handlers=[])
    slack.post_to("C1", 40)
    first = client.conversations_history(channel="C1", limit=100)
    assert len(first["messages"]) == 15 and first["has_more"]
    with pytest.raises(SlackApiError) as refused:
        client.conversations_history(channel="C2")  # another channel, the same workspace
    assert refused.value.response.status_code == 429 and refused.value.response["error"] == "ratelimited"
    after = int(refused.value.response.headers["Retry-After"])
    assert 1 <= after <= 60
    slack.clock.advance(after)
    cursor = first["response_metadata"]["next_cursor"]
    assert len(client.conversations_history(channel="C1", cursor=cursor)["messages"]) == 15


@pytest.fixture
def crowded(internet, slack, slack_db):
    """Ten channels of one workspace subscribed to one site; every post's answer lost to a reset."""
    db = Database(slack_db)
    channels = [f"C{n}" for n in range(10)]
    for channel in channels:
        db.subscriptions.subscribe("T0001", channel, "basic-all.test", "U1")
    slack.drop_first_in = set(channels)
    waits = Waits(slack)
    sweeper = Sweeper(
        db,
        slack_client(Settings(bot_token="xoxb-test", api_url=slack.api_url)),
        Options.from_env(internet.env(), timeout=3),
        NightlySettings(channel_interval=0.01),
        clock=Clock(NIGHT),
        wait=waits,
    )
    yield sweeper, channels, waits
    db.close()


def test_recovery_searches_within_the_limit_then_falls_back_to_at_most_one_duplicate(crowded, slack):
    sweeper, channels, waits = crowded
    summary = sweeper.run_once()
    # Every alert arrived; those searched for were found, not sent twice.
    counts = [len(slack.delivered(c)) for c in channels]
    assert all(count in (1, 2) for count in counts)
    assert summary.recovered >= 1 and summary.recovered + summary.possible_duplicates == len(channels)
    assert counts.count(2) == summary.possible_duplicates >= 1
    # Searches one at a time, a minute apart, each Retry-After honoured...
    times = [c["at"] for c in slack.history_calls]
    assert all(later - earlier >= 60 for earlier, later in pairwise(times))
    # ...and no more waiting on the history than the budget: not a minute per channel.
    waited_on_history = sum(s for s in waits.seconds if s > 2)
    assert waited_on_history <= HISTORY_WAIT < 60 * (len(channels) - 1)


def test_a_retry_after_beyond_the_cap_is_not_waited_for(crowded, slack):
    sweeper, channels, waits = crowded
    slack.history_every = 3600.0  # Slack says: come back in an hour
    summary = sweeper.run_once()
    assert len(slack.history_calls) == 1 and summary.recovered == 1
    assert summary.possible_duplicates == len(channels) - 1
    assert sorted(len(slack.delivered(c)) for c in channels) == [1] + [2] * (len(channels) - 1)
    assert all(s <= 2 for s in waits.seconds)  # backoff only: nothing waited an hour, or the cap
