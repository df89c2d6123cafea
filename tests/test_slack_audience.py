"""Alerts in their language and their time zone: the channel's `/certcheck
lang`, else the subscribers' (recorded from users.info when they subscribe),
else English; times in the subscribers' zone, else CERTCHECK_TZ."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.db import Database
from bot.db.audience import prevailing
from bot.nightly.settings import NightlySettings
from bot.nightly.sweep import Sweeper
from bot.services import slack_client
from bot.settings import Settings
from checks import Options
from tests.clock import Clock
from tests.slack.payloads import assert_fits
from tests.slack.standin import TEAM

pytestmark = pytest.mark.timeout(180)

NIGHT = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)  # 12:00 in Tokyo


def test_the_prevailing_choice_is_the_majority_ties_to_the_earliest():
    assert prevailing([]) is None and prevailing([None, None]) is None
    assert prevailing(["en", "ja", "ja"]) == "ja"
    assert prevailing(["ja", "en"]) == "ja" and prevailing(["en", "ja"]) == "en"
    assert prevailing([None, "ja", "en", None]) == "ja"  # those who did not say do not vote


def test_the_channel_setting_beats_the_subscribers_who_beat_nobody(slack_db):
    db = Database(slack_db)
    subs = db.subscriptions
    assert subs.audience(TEAM, "C1").lang is None  # no one: the caller's English
    subs.subscribe(TEAM, "C1", "a.example", "U1", lang="en", tz="Europe/London")
    subs.subscribe(TEAM, "C1", "b.example", "U2", lang="ja", tz="Asia/Tokyo")
    assert (subs.audience(TEAM, "C1").lang, subs.audience(TEAM, "C1").tz) == ("en", "Europe/London")  # a tie
    subs.subscribe(TEAM, "C1", "c.example", "U3", lang="ja", tz="Asia/Tokyo")
    subs.subscribe(TEAM, "C1", "d.example", "U4")  # Slack did not say: no vote
    assert (subs.audience(TEAM, "C1").lang, subs.audience(TEAM, "C1").tz) == ("ja", "Asia/Tokyo")
    subs.set_channel_lang(TEAM, "C1", "en")
    assert subs.audience(TEAM, "C1").lang == "en" and subs.audience(TEAM, "C1").tz == "Asia/Tokyo"
    assert subs.audience(TEAM, "C2").lang is None  # another channel's people are not this one's
    db.close()


def _sweeper(db: Database, slack, internet, **nightly) -> Sweeper:
    options = Options.from_env(internet.env(), timeout=3)
    settings = Settings(bot_token="xoxb-test", api_url=slack.api_url)
    return Sweeper(
        db, slack_client(settings), options, NightlySettings(channel_interval=0.2, **nightly), clock=Clock(NIGHT)
    )


@pytest.fixture
def restricted_site(internet):
    """A site of the test internet behind Basic auth, as it always is."""
    return "basic-all.test"


def test_a_japanese_team_that_never_typed_lang_ja_gets_japanese_alerts_in_jst(
    start_bot, slack, slack_db, internet, restricted_site
):
    slack.locales["U00JA"] = "ja-JP"
    slack.timezones["U00JA"] = "Asia/Tokyo"
    bot = start_bot(Options.from_env(internet.env(), timeout=3))
    bot.command(f"subscribe {restricted_site}", response="sub", user="U00JA", channel="CJA")
    assert "監視を始めました" in slack.wait_posts("sub")[0].text
    # A Japanese locale with a time zone this host does not know: Japanese, and no zone from them.
    slack.locales["U00J2"] = "ja-JP"
    slack.timezones["U00J2"] = "Mars/Olympus_Mons"
    bot.command(f"subscribe {restricted_site}", response="sub2", user="U00J2", channel="CJ2")
    slack.wait_posts("sub2")

    db = Database(slack_db)
    summary = _sweeper(db, slack, internet, tz="UTC").run_once()
    assert summary.sent == 2
    [alert] = slack.delivered("CJA")
    assert_fits(alert.body)
    words = alert.everything()
    assert alert.text.startswith("証明書の更新に問題があります：")
    assert "アクセス制限が見つかりました" in alert.text and "access restriction" not in words
    assert "401（ベーシック認証、認証領域「" in words and "Basic realm" not in words
    assert "2026年11月27日 12:00（JST）" in words and "UTC" not in words
    [other] = slack.delivered("CJ2")
    assert "アクセス制限" in other.text and "2026年11月27日 03:00（UTC）" in other.everything()
    db.close()


def test_english_subscribers_and_no_one_get_english_in_the_default_zone(
    start_bot, slack, slack_db, internet, restricted_site
):
    db = Database(slack_db)
    db.subscriptions.subscribe(TEAM, "COLD", restricted_site, "U0OLD")  # made before locales were recorded
    summary = _sweeper(db, slack, internet, tz="Asia/Tokyo").run_once()
    assert summary.sent == 1
    [alert] = slack.delivered("COLD")
    assert "access restriction" in alert.text and "2026-11-27 12:00 JST" in alert.everything()
    db.close()
