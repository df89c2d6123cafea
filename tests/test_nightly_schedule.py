"""The nightly sweep with the CA's schedule: ARI and CT at their stand-ins, the answers cached in
the database, fixture sites serving the test hierarchy's certificates, the Slack stand-in.

The sweep's clock starts at the hierarchy's now, so the ARI windows set here and
the certificates' dates agree with what each night sees.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import Database
from bot.db.models import AriAnswerRow, CheckHistory
from bot.nightly.settings import NightlySettings
from bot.nightly.sweep import Sweeper
from bot.services import slack_client
from bot.settings import Settings
from checks import Options
from checks.ari import cert_id
from checks.schedule import ScheduleSettings
from tests.clock import Clock
from tests.schedule_fixtures import DAY, issued, schedule_env

TEAM = "T0001"


@pytest.fixture
def night(internet, slack, slack_db, hierarchy, anchors, ca, ct):
    env = {**internet.env(), **schedule_env(anchors, ca, ct)}
    options = Options.from_env(env, timeout=5)
    db = Database(slack_db)
    clock = Clock(hierarchy.now)
    settings = Settings(bot_token="xoxb-test", api_url=slack.api_url)
    schedule = ScheduleSettings.from_env(options, env)
    yield Sweeper(
        db, slack_client(settings), options, NightlySettings(channel_interval=0.2), clock=clock, schedule=schedule
    )
    db.close()


def history(db: Database, domain: str) -> list[list[str]]:
    """Each night's finding codes for `domain`, oldest first."""
    with Session(db.engine) as session:
        rows = session.scalars(
            select(CheckHistory.findings).where(CheckHistory.domain == domain).order_by(CheckHistory.night)
        )
        return [[f["code"] for f in json.loads(row)] for row in rows]


def test_a_window_the_ca_moves_alerts_once_and_resolves_when_a_new_certificate_is_served(
    night, slack, hierarchy, ca, serve
):
    name = "schedule-6.test"
    old, key = issued(hierarchy, name, 10)
    ca.set_window(cert_id(old), hierarchy.now + 49 * DAY, hierarchy.now + 51 * DAY)
    serve(name, old, key)
    night.db.subscriptions.subscribe(TEAM, "C1", name, "U1")
    assert night.run_once().sent == 0  # a normal window ahead: nothing to say

    night.clock.next_night()  # the CA moves the window into the present, with its reason
    link = "https://community.letsencrypt.test/t/incident"
    ca.set_window(cert_id(old), night.clock.now - DAY / 24, night.clock.now + 2 * DAY, explanation_url=link)
    assert night.run_once().sent == 1
    [alert] = slack.delivered("C1")
    assert link in alert.everything()

    night.clock.next_night()  # still asked (its Retry-After has passed), still the same: no repeat
    assert night.run_once().sent == 0

    new, new_key = issued(hierarchy, name, 0)
    ca.set_window(cert_id(new), hierarchy.now + 59 * DAY, hierarchy.now + 61 * DAY)
    serve(name, new, new_key)
    night.clock.next_night()
    assert night.run_once().sent == 1
    assert slack.delivered("C1")[-1].text.startswith("Resolved")
    assert [codes.count("ca_replacement_requested") for codes in history(night.db, name)] == [0, 1, 1, 0]
    with Session(night.db.engine) as session:  # the CA's answers are kept in the database
        assert session.scalar(select(func.count()).select_from(AriAnswerRow)) == 2


def test_a_passed_window_is_overdue_and_a_late_replacement_says_ari_is_not_followed(night, slack, hierarchy, ca, serve):
    name = "schedule-7.test"
    old, key = issued(hierarchy, name, 70)
    ca.set_window(cert_id(old), hierarchy.now - 11 * DAY, hierarchy.now - 9 * DAY)
    serve(name, old, key)
    night.db.subscriptions.subscribe(TEAM, "C2", name, "U1")
    assert night.run_once().sent == 1
    assert "window" in slack.delivered("C2")[0].everything()

    new, new_key = issued(hierarchy, name, 0)
    serve(name, new, new_key)
    night.clock.next_night()
    assert night.run_once().sent == 1
    assert slack.delivered("C2")[-1].text.startswith("Resolved")
    first, second = history(night.db, name)
    assert "renewal_overdue" in first and "ari_not_followed" in second and "renewal_overdue" not in second


@pytest.mark.parametrize(
    ("site", "lifetime", "warned_at"),
    [("schedule-8.test", 160 / 24, (1,)), ("schedule-8.test", 45, (14, 6, 2)), ("schedule-8.test", 90, (29, 14, 6))],
    ids=["6-day", "45-day", "90-day"],
)
def test_short_and_long_certificates_alert_at_their_own_points(
    night, slack, hierarchy, serve, site, lifetime, warned_at
):
    """Nights at chosen days left of a certificate never renewed: alerts only where the README says."""
    leaf, key = issued(hierarchy, site, 0, lifetime=lifetime)
    serve(site, leaf, key)
    channel = f"C-{round(lifetime)}"
    night.db.subscriptions.subscribe(TEAM, channel, site, "U1")
    told = []
    for left in sorted({*warned_at, round(lifetime / 2), int(lifetime) - 1}, reverse=True):
        # `left` and 0.3 days left: never on a threshold's edge.
        night.clock.now = hierarchy.now + (lifetime - left - 1) * DAY + 17 * DAY / 24
        if night.run_once().sent:
            told.append(left)
    assert tuple(told) == warned_at


def test_checks_in_child_processes_ask_the_ca_and_the_answers_are_kept_by_the_sweep(night, slack, hierarchy, ca, serve):
    """A night of over 1,000 domains checks in child processes: they ask ARI too, and the
    sweep's process stores what they learnt (issue 11: they used to go without)."""
    from dataclasses import replace

    name = "schedule-9.test"
    old, key = issued(hierarchy, name, 10)
    link = "https://community.letsencrypt.test/t/incident-9"
    ca.set_window(cert_id(old), hierarchy.now - DAY / 24, hierarchy.now + 2 * DAY, explanation_url=link)
    serve(name, old, key)
    night.db.subscriptions.subscribe(TEAM, "C9", name, "U1")
    night.settings = replace(night.settings, processes=2)
    assert night.run_once().sent == 1
    assert link in slack.delivered("C9")[0].everything()
    with Session(night.db.engine) as session:
        [row] = session.scalars(select(AriAnswerRow).where(AriAnswerRow.cert_id == cert_id(old)))
        assert link in row.answer_json


def test_a_spent_schedule_budget_asks_nothing_more_and_alarms_nobody(night, slack, hierarchy, ca, serve):
    """CERTCHECK_SCHEDULE_REQUESTS=0: no question to ARI or CT; the lifetime rules stand in."""
    from dataclasses import replace

    name = "schedule-10.test"
    old, key = issued(hierarchy, name, 10)
    ca.set_window(cert_id(old), hierarchy.now - DAY / 24, hierarchy.now + 2 * DAY)
    serve(name, old, key)
    night.db.subscriptions.subscribe(TEAM, "C10", name, "U1")
    night.schedule.requests = NightlySettings.from_env({"CERTCHECK_SCHEDULE_REQUESTS": "0"}).schedule_requests
    night.settings = replace(night.settings, processes=2)
    before = len(ca.asked("/renewal-info/"))
    assert night.run_once().sent == 0
    assert len(ca.asked("/renewal-info/")) == before  # the directory, one GET a night, is not counted
    assert history(night.db, name) == [[]]
