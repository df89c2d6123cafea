"""`/certcheck DOMAIN` end to end: the real app, the real check engine against
the loopback test internet, and the Slack stand-in receiving the report."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.settings import Rate
from bot.slack.blocks import RECHECK, UNSUBSCRIBE
from checks import Options

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def lab_options(internet) -> Options:
    return Options.from_env(internet.env())


def test_basic_auth_site_gets_a_report_naming_the_restriction_with_the_fix(start_bot, slack, lab_options):
    bot = start_bot(lab_options)
    assert bot.command("basic-all.test", response="basic").status_code == 200

    report = slack.wait_public("basic", timeout=60)
    assert report.accepted, report.errors
    checking = slack.posts("basic")[0]
    assert checking.body["response_type"] == "ephemeral" and "Checking basic-all.test" in checking.text
    everything = report.everything()
    assert "basic-all.test" in report.text and "Access restriction" in report.text
    assert "Access restriction on the ACME challenge path" in everything
    assert "/.well-known/acme-challenge/" in everything and "auth_basic off" in everything
    assert "Require env acme_challenge" in everything
    buttons = [e["action_id"] for b in report.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [RECHECK, "certcheck_subscribe"]


def test_japanese_user_gets_the_report_in_japanese(start_bot, slack, lab_options):
    slack.locales["U00JA"] = "ja-JP"
    bot = start_bot(lab_options)
    bot.command("subscribe basic-all.test", response="ja-sub", user="U00JA")
    slack.wait_posts("ja-sub")
    bot.command("basic-all.test", response="ja", user="U00JA")
    report = slack.wait_public("ja", timeout=60)
    everything = report.everything()
    assert "アクセス制限" in report.text
    assert "対処" in everything and "パスワードなしで通し" in everything
    buttons = [e for b in report.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["再チェック", "監視を止める"]
    assert buttons[1]["action_id"] == UNSUBSCRIBE


def test_recheck_button_redraws_the_report_in_place(start_bot, slack, lab_options):
    bot = start_bot(lab_options)
    assert bot.click(RECHECK, "open.test", response="again").status_code == 200
    (post,) = slack.wait_posts("again", timeout=60)
    assert post.body["replace_original"] is True and post.accepted
    assert "open.test" in post.text


def test_twenty_concurrent_checks_of_black_holed_sites_are_all_acknowledged_and_answered(start_bot, slack, internet):
    options = Options.from_env({**internet.env(), "CERTCHECK_TIMEOUT": "2"})
    bot = start_bot(options, channel_rate=Rate(100, 60))

    def slash(i: int) -> int:
        return bot.command("blackhole.test", response=f"bh{i}", user=f"U{i:04d}").status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(slash, range(20)))
    # Bolt answers 200 only when the listener acknowledged within Slack's 3 seconds.
    assert statuses == [200] * 20

    for i in range(20):
        report = slack.wait_public(f"bh{i}", timeout=90)
        assert report.accepted, report.errors
        assert "blackhole.test" in report.text
        assert report.body.get("blocks"), "a timed-out check still gets a full report"
