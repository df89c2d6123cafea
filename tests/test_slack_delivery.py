"""Nightly delivery against a Slack that misbehaves after accepting a post."""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import pairwise

import pytest

from bot.db import Database
from bot.nightly.settings import NightlySettings
from bot.nightly.sweep import Sweeper
from bot.services import slack_client
from bot.settings import Settings
from checks import Options
from tests.clock import Clock

NIGHT = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def sweeper(internet, slack, slack_db):
    db = Database(slack_db)
    db.subscriptions.subscribe("T0001", "C1", "basic-all.test", "U1")
    # The client every process builds: with slack_sdk's default retry handlers.
    client = slack_client(Settings(bot_token="xoxb-test", api_url=slack.api_url))
    yield Sweeper(
        db,
        client,
        Options.from_env(internet.env(), timeout=3),
        NightlySettings(channel_interval=0.01),
        clock=Clock(NIGHT),
        # Backoff and Retry-After move the stand-in's clock on: no sleeping through Slack's limits.
        wait=slack.clock.advance,
    )
    db.close()


def test_a_reset_after_slack_accepted_the_post_is_found_not_sent_again(sweeper, slack):
    slack.drop_after_accept = 1
    summary = sweeper.run_once()
    assert len(slack.delivered("C1")) == 1
    assert (summary.sent, summary.recovered, summary.failed, summary.possible_duplicates) == (0, 1, 0, 0)
    # The search was bounded by time and paged within Slack's limits.
    [search] = slack.history_calls
    assert int(search["limit"]) <= 15 and search["oldest"] and search["latest"]


def test_5xx_non_json_and_internal_error_are_retried_within_the_night_once_delivered(sweeper, slack):
    slack.post_failures = ["500", "html", "internal_error"]
    summary = sweeper.run_once()
    assert len(slack.delivered("C1")) == 1
    assert summary.sent == 1 and summary.failed == 0


def test_a_busy_channel_is_searched_page_by_page(sweeper, slack):
    slack.drop_after_accept = 1
    # People keep talking after the alert landed: the alert is on a later page.
    original = slack._api

    def busy(method, body, token=""):
        answer = original(method, body, token)
        if method == "chat.postMessage" and answer.get("ok"):
            slack.post_to("C1", 40)
        return answer

    slack._api = busy
    summary = sweeper.run_once()
    assert summary.recovered == 1 and len(slack.delivered("C1")) == 1
    assert len(slack.history_calls) >= 3 and all(int(c["limit"]) <= 15 for c in slack.history_calls)
    assert [c.get("cursor") for c in slack.history_calls][1:] != [None] * (len(slack.history_calls) - 1)
    # One call a minute: each page after the first waited out a 429's Retry-After.
    assert len(slack.history_limited) >= len(slack.history_calls) - 1
    times = [c["at"] for c in slack.history_calls]
    assert all(later - earlier >= 60 for earlier, later in pairwise(times))


def test_without_the_history_scopes_a_lost_answer_costs_at_most_one_duplicate_counted(sweeper, slack):
    slack.scopes = "commands,chat:write"
    slack.drop_after_accept = 1
    summary = sweeper.run_once()
    assert len(slack.delivered("C1")) == 2
    assert summary.possible_duplicates == 1 and summary.sent == 1


def test_a_pause_at_night_is_told_to_the_subscriber_by_dm_in_words(sweeper, slack):
    slack.not_member.add("C1")
    summary = sweeper.run_once()
    assert summary.paused == 1 and slack.delivered("C1") == []
    [dm] = slack.delivered("U1")
    assert "basic-all.test" in dm.text and "/invite @certcheck" in dm.text and "<#C1>" in dm.text
    assert "not_in_channel" not in dm.text


def test_a_channel_waiting_for_an_invitation_is_tried_each_night_and_lifted_by_a_post(sweeper, slack):
    slack.not_member.add("C1")
    assert sweeper.run_once().paused == 1
    assert len(slack.delivered("U1")) == 1
    sweeper.clock.next_night()
    assert sweeper.run_once().paused == 1
    assert len(slack.delivered("U1")) == 1  # told once, not every night
    slack.invite("C1")  # invited, but the event never reached us
    sweeper.clock.next_night()
    assert sweeper.run_once().sent == 1
    assert len(slack.delivered("C1")) == 1
    assert sweeper.db.alerts.pauses("T0001", "C1") == {}
