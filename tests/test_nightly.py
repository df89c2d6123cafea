"""The nightly dry run against the test internet and the Slack stand-in.

The clock is a parameter, so "tomorrow" and "in 7 days" are instant. Sites
change state between nights through the test internet's own controls.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from bot.db import Database
from bot.nightly.settings import NightlySettings
from bot.nightly.sweep import Sweeper
from bot.services import slack_client
from bot.settings import Settings
from checks import Options
from tests.clock import Clock
from tests.sweeps import FIRST_NIGHT, TEAM, nightly_process


def alerts(slack, channel=None):
    return slack.delivered(channel)


def test_new_restriction_alerts_each_channel_once_naming_it(night, slack, site):
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    summary = night.run_once()
    assert (summary.claim, summary.checks, summary.sent) == ("claimed", 1, 1)
    [post] = alerts(slack, "C1")
    assert "access restriction" in post.text
    assert "Require env acme_challenge" in post.everything()
    buttons = [e["action_id"] for b in post.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["certcheck_snooze", "certcheck_recheck", "certcheck_unsubscribe"]


def test_the_same_night_twice_posts_nothing_new(night, slack, site):
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    night.run_once()
    again = night.run_once()
    assert again.claim == "done" and again.checks == 0
    assert len(alerts(slack)) == 1


def test_persisting_problem_waits_for_the_reminder_day(night, slack, site):
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    night.run_once()
    for _ in range(6):
        night.clock.next_night()
        assert night.run_once().sent == 0
    night.clock.next_night()
    assert night.run_once().sent == 1
    reminder = alerts(slack)[-1]
    assert reminder.text.startswith("Reminder") and "access restriction" in reminder.text
    assert "8 nights in a row" in reminder.text


def test_fixed_gets_one_resolved_message(night, slack, site, internet):
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    night.run_once()
    internet.set_site(site, "open")
    night.clock.next_night()
    assert night.run_once().sent == 1
    assert alerts(slack)[-1].text.startswith("Resolved")
    night.clock.next_night()
    assert night.run_once().sent == 0
    assert len(alerts(slack)) == 2


def test_two_channels_one_check_two_posts(night, slack, site):
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    night.db.subscriptions.subscribe(TEAM, "C2", site, "U2")
    summary = night.run_once()
    assert (summary.checks, summary.sent) == (1, 2)
    assert len(alerts(slack, "C1")) == len(alerts(slack, "C2")) == 1


def test_a_429_is_retried_and_delivered_exactly_once(night, slack, site):
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    slack.rate_limited = 1
    summary = night.run_once()
    attempts = [r for r in slack.snapshot() if r.path == "/api/chat.postMessage"]
    assert [r.ok for r in attempts] == [False, True]
    assert summary.sent == 1 and len(alerts(slack)) == 1


def test_an_archived_channel_is_paused_and_others_still_hear(night, slack, site):
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    night.db.subscriptions.subscribe(TEAM, "C2", site, "U2")
    slack.channel_errors["C2"] = "is_archived"
    summary = night.run_once()
    assert (summary.sent, summary.paused) == (1, 1)
    assert len(alerts(slack, "C1")) == 1 and alerts(slack, "C2") == []
    assert night.db.alerts.pauses(TEAM, "C2") == {site: "is_archived"}
    # A paused subscription is left alone on the following nights.
    del slack.channel_errors["C2"]
    night.clock.next_night(7)
    night.run_once()
    assert alerts(slack, "C2") == []


def test_a_new_subscription_hears_about_a_known_problem(night, slack, site):
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    night.run_once()
    night.db.subscriptions.subscribe(TEAM, "C2", site, "U2")
    night.clock.next_night()
    night.run_once()
    assert len(alerts(slack, "C1")) == 1 and len(alerts(slack, "C2")) == 1


def test_healthy_domains_say_nothing(night, slack):
    night.db.subscriptions.subscribe(TEAM, "C1", "open.test", "U1")
    assert night.run_once().sent == 0 and alerts(slack) == []


# --- Whole processes: killed mid-way, and two at once -------------------------------


def test_a_sweep_killed_mid_delivery_loses_nothing_and_repeats_nothing(internet, slack, slack_db, site):
    store = Database(slack_db)
    channels = ["C1", "C2", "C3"]
    for channel in channels:
        store.subscriptions.subscribe(TEAM, channel, site, "U1")
    store.close()
    # The second post lands in Slack, but the sweep is killed before it hears so.
    slack.hold_post = 2
    # A third may land at the kill too; each then needs its search, and this
    # process waits in real time: allow them at once (the one-a-minute limit
    # is tested in tests/test_slack_history_limit.py).
    slack.history_burst = len(channels)
    first = nightly_process(internet, slack, slack_db)
    try:
        slack.wait_for(
            lambda rs: len([r for r in rs if r.path == "/api/chat.postMessage" and r.ok]) >= 2, 60, "two posts"
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
        slack.release()
    assert first.returncode == -signal.SIGKILL
    rerun = nightly_process(internet, slack, slack_db)
    out, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err
    # The rerun took the night over and found the held post in its channel
    # (channels are delivered in parallel, so others may be in flight too).
    assert "claimed" in out, out
    assert int(re.search(r"(\d+) recovered", out).group(1)) >= 1, out
    for channel in channels:
        assert len(slack.delivered(channel)) == 1, channel


def test_two_sweeps_at_once_make_one_sweep(internet, slack, slack_db, site):
    store = Database(slack_db)
    store.subscriptions.subscribe(TEAM, "C1", site, "U1")
    store.subscriptions.subscribe(TEAM, "C2", "open.test", "U1")
    store.close()
    runs = [nightly_process(internet, slack, slack_db) for _ in range(2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    claims = sorted(out.split(";")[0].split(": ")[1] for out, _ in outputs)
    assert claims.count("claimed") == 1, claims
    assert len(slack.delivered("C1")) == 1
    store = Database(slack_db)
    with store.engine.connect() as connection:
        from sqlalchemy import text

        rows = connection.execute(text("select domain, count(*) from check_history group by domain")).all()
    store.close()
    assert sorted(rows) == [("nightly-a.test", 1), ("open.test", 1)]


# --- With the CA's view (checks.ca_probe against Pebble) ------------------------------


def test_the_nightly_sweep_asks_the_ca_and_keeps_its_account(internet, pebble, slack, slack_db):
    from checks.ca_probe import CaProbeSettings
    from tests.pebble import NEW_ACCOUNT_PATH

    internet.set_site("open.example", "forbidden-to-ca")
    try:
        store = Database(slack_db)
        store.subscriptions.subscribe(TEAM, "C1", "open.example", "U1")
        clock = Clock(FIRST_NIGHT)
        options = Options.from_env({**internet.env(), **pebble.env()}, timeout=3)
        settings = Settings(bot_token="xoxb-test", api_url=slack.api_url)
        ca = CaProbeSettings(directory=pebble.directory_url, timeout=20)

        def sweeper() -> Sweeper:
            nightly = NightlySettings(channel_interval=0.2, ca_probes=10)
            return Sweeper(store, slack_client(settings), options, nightly, clock=clock, ca_settings=ca)

        accounts_before = pebble.requests_to(NEW_ACCOUNT_PATH)
        assert sweeper().run_once().sent == 1
        [alert] = slack.delivered("C1")
        assert "blocked for the CA" in alert.everything()
        account = store.acme.load_account(pebble.directory_url)
        assert account is not None and account.url

        # A week later, a new process: the same account, no new registration.
        clock.next_night(7)
        assert sweeper().run_once().sent == 1  # the reminder
        assert pebble.requests_to(NEW_ACCOUNT_PATH) - accounts_before == 1
        assert store.acme.load_account(pebble.directory_url) == account
        store.close()
    finally:
        internet.set_site("open.example", "open")


# --- The alert's buttons and the paused list, through the real Slack app ---------------


def test_alert_buttons_snooze_recheck_and_unsubscribe(night, slack, site, start_bot, internet):
    from bot.slack.blocks import RECHECK, SNOOZE, UNSUBSCRIBE
    from tests.slack.standin import TEAM as SLACK_TEAM

    # The app snoozes from the real time, so the sweeps start from it too.
    night.clock.now = datetime.now(timezone.utc)
    night.db.subscriptions.subscribe(SLACK_TEAM, "C0001", site, "U1")
    night.run_once()
    [alert] = slack.delivered("C0001")
    bot = start_bot(Options.from_env(internet.env(), timeout=3))

    # Snooze: the reminder a week later is not posted; the state says until when.
    assert bot.click(SNOOZE, site, response="snooze", message=alert.body).status_code == 200
    [snoozed] = slack.wait_posts("snooze")
    assert "snoozed until" in snoozed.text and snoozed.body["response_type"] == "in_channel"
    night.clock.next_night(7)
    assert night.run_once().sent == 0

    # Re-check: the alert is redrawn in place with a fresh report.
    assert bot.click(RECHECK, site, response="recheck", message=alert.body).status_code == 200
    redrawn = slack.wait_public("recheck")
    assert redrawn.body.get("replace_original") is True and "access restriction" in redrawn.everything().lower()

    # Unsubscribe: the channel no longer watches the domain, and hears nothing more.
    assert bot.click(UNSUBSCRIBE, site, response="unsubscribe", message=alert.body).status_code == 200
    slack.wait_posts("unsubscribe", count=2)  # the confirmation and the redrawn buttons
    assert not night.db.subscriptions.is_subscribed(SLACK_TEAM, "C0001", site)
    night.clock.next_night(30)
    night.run_once()
    assert len(slack.delivered("C0001")) == 1


def test_list_shows_paused_subscriptions_and_subscribing_again_resumes(night, slack, site, start_bot, internet):
    from tests.slack.standin import TEAM as SLACK_TEAM

    night.db.subscriptions.subscribe(SLACK_TEAM, "C0001", site, "U1")
    slack.channel_errors["C0001"] = "not_in_channel"
    night.run_once()
    bot = start_bot(Options.from_env(internet.env(), timeout=3))
    bot.command("list", response="list")
    listing = slack.wait_posts("list")[0].text
    # The reason in words, with its fix; never Slack's error code.
    assert site in listing and "not a member" in listing and "not_in_channel" not in listing

    del slack.channel_errors["C0001"]
    bot.command(f"subscribe {site}", response="again")
    assert "back on" in slack.wait_posts("again")[0].text
    night.clock.next_night()
    assert night.run_once().sent == 1  # the problem is told once delivery works again


def test_a_timeout_is_retried_once_before_it_counts(night, slack):
    night.db.subscriptions.subscribe(TEAM, "C1", "blackhole.test", "U1")
    summary = night.run_once()
    assert (summary.checks, summary.retried) == (2, 1)
    assert "Port 80 does not answer" in alerts(slack, "C1")[0].text


def test_slack_down_during_the_sweep_then_back_delivers_once(night, slack, site, slack_db):
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    working = night.sweeper.slack
    # Nothing listens here: the post fails on the network, and may or may not have landed.
    night.sweeper.slack = slack_client(Settings(bot_token="xoxb-test", api_url="http://127.0.0.1:9/api/"))
    first = night.run_once()
    assert (first.sent, first.failed) == (0, 1) and alerts(slack) == []
    # The next run (Slack is back) finds the message unsent in the channel, and sends it once.
    night.sweeper.slack = working
    again = night.run_once()
    assert (again.claim, again.sent, again.recovered) == ("done", 1, 0)
    night.run_once()
    assert len(alerts(slack, "C1")) == 1


@pytest.mark.parametrize(
    "name,value,words",
    [
        ("CERTCHECK_NIGHTLY_AT", "25:00", "HH:MM"),
        ("CERTCHECK_TZ", "Mars/Base", "IANA time zone"),
        ("CERTCHECK_REMIND_DAYS", "weekly", "whole number"),
    ],
)
def test_bad_schedule_settings_are_one_line_and_change_nothing(name, value, words, slack_db):
    env = {**os.environ, "DATABASE_URL": slack_db, name: value}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "nightly", "--once"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 3 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and words in done.stderr
    store = Database(slack_db)
    with store.engine.connect() as connection:
        from sqlalchemy import text

        assert connection.execute(text("select count(*) from sweeps")).scalar() == 0
    store.close()


def test_next_run_is_at_the_local_time_of_the_configured_zone():
    from bot.nightly.schedule import next_run

    settings = NightlySettings(at="03:00", tz="Asia/Tokyo")
    # 17:00 UTC is 02:00 in Tokyo: the next run is an hour later, 18:00 UTC.
    assert next_run(datetime(2026, 11, 26, 17, 0, tzinfo=timezone.utc), settings) == datetime(
        2026, 11, 26, 18, 0, tzinfo=timezone.utc
    )
    assert next_run(datetime(2026, 11, 26, 18, 0, tzinfo=timezone.utc), settings) == datetime(
        2026, 11, 27, 18, 0, tzinfo=timezone.utc
    )


def test_checks_in_child_processes_give_the_same_night(night, slack, site):
    """The path a night of over 1,000 domains takes: checks in two spawned processes."""
    from dataclasses import replace

    for name in (site, "open.test", "forbidden.test", "blackhole.test"):
        night.db.subscriptions.subscribe(TEAM, "C1", name, "U1")
    night.sweeper.settings = replace(night.sweeper.settings, processes=2)
    summary = night.run_once()
    assert (summary.domains, summary.checks, summary.retried) == (4, 5, 1)
    texts = sorted(post.text for post in alerts(slack, "C1"))
    assert len(texts) == 3
    assert any("access restriction" in text and site in text for text in texts)
    assert any("forbidden.test" in text for text in texts) and any("blackhole.test" in text for text in texts)


def test_a_dead_check_process_costs_no_domain(internet):
    import asyncio

    from bot.nightly.processes import CheckProcesses, ChildDied

    options = Options.from_env(internet.env(), timeout=3)

    async def after_a_crash():
        processes = CheckProcesses(1, options)
        try:
            report, _, learnt = await processes.check("open.test", FIRST_NIGHT)
            assert learnt == []  # no CA schedule given: nothing asked
            assert report.verdict.value == "ok"
            [child] = processes.processes
            child.kill()
            child.join(10)
            with pytest.raises(ChildDied):
                await processes.check("open.test", FIRST_NIGHT)
            with pytest.raises(ChildDied):  # and every later one, at once
                await processes.check("open.test", FIRST_NIGHT)
        finally:
            processes.close()

    asyncio.run(after_a_crash())


def test_the_sweep_counts_each_domain_by_verdict_for_the_metrics(night, site):
    from prometheus_client import REGISTRY

    def count(verdict: str) -> float:
        return REGISTRY.get_sample_value("certcheck_domains_checked_total", {"verdict": verdict}) or 0.0

    before = (count("critical"), count("ok"))
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    night.db.subscriptions.subscribe(TEAM, "C1", "open.test", "U1")
    night.run_once()
    assert (count("critical") - before[0], count("ok") - before[1]) == (1, 1)


def test_a_shared_host_gets_few_checks_at_once_and_every_domain_is_still_checked(night, internet, slack):
    """Many domains on one address (a shared host): at most `per_address` checks there at once."""
    from dataclasses import replace

    from tests.internet.sites import SHARED_HOST as names

    assert len({internet.address_of(name) for name in names}) == 1
    for name in (*names, "forbidden.test"):
        night.db.subscriptions.subscribe(TEAM, "C1", name, "U1")
    night.sweeper.settings = replace(night.sweeper.settings, per_address=2, per_address_rate=1000)
    summary = night.run_once()
    assert summary.domains == 7 and summary.checks >= 7
    assert summary.pacing_peak == 2  # six domains arrive at once: two are let in, the rest queue
    assert all(night.db.results.checked(summary.night, name) for name in (*names, "forbidden.test"))
    [alert] = alerts(slack, "C1")  # the shared sites are fine; the one elsewhere is not
    assert "forbidden.test" in alert.text
