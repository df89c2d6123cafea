"""`/certcheck DOMAIN` asks the CA's schedule (ARI, CT) as `certcheck check` does:
the real app and the real command line against the same fixture sites and the
same ARI and CT stand-ins, built by the one builder (checks.schedule.open_schedule)."""

from __future__ import annotations

import pytest

from checks import Options
from checks.ari import cert_id
from checks.schedule import ScheduleSettings
from tests import cli
from tests.schedule_fixtures import DAY, issued, renewed_not_deployed, schedule_env

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def env(internet, anchors, ca, ct) -> dict[str, str]:
    return cli.lab_env(internet, **schedule_env(anchors, ca, ct))


@pytest.fixture
def bot(start_bot, env):
    options = Options.from_env(env, timeout=5)
    return start_bot(options, schedule=ScheduleSettings.from_env(options, env))


def both_reports(bot, slack, env, name: str, response: str) -> tuple[dict, str]:
    """What the command line says of `name` (JSON) and what Slack was told (every word of the post)."""
    command_line = cli.report_of(cli.certcheck("check", name, "--json", "--timeout", "5", env=env))
    assert bot.command(name, response=response).status_code == 200
    post = slack.wait_public(response, timeout=60)
    assert post.accepted, post.errors
    return command_line, post.everything()


def test_a_passed_ari_window_is_reported_in_slack_as_on_the_command_line(bot, slack, env, hierarchy, ca, serve):
    name = "schedule-1.test"
    old, key = issued(hierarchy, name, 70)
    ca.set_window(cert_id(old), hierarchy.now - 11 * DAY, hierarchy.now - 9 * DAY)
    serve(name, old, key)
    command_line, posted = both_reports(bot, slack, env, name, "ari")
    overdue = next(f for f in command_line["findings"] if f["code"] == "renewal_overdue")
    assert overdue["severity"] == "critical" and "window has passed" in overdue["title"]
    assert overdue["title"] in posted
    # Every finding the command line reports, Slack reports too.
    for finding in command_line["findings"]:
        assert finding["title"] in posted, finding["code"]


def test_a_renewal_not_deployed_is_found_in_ct_from_slack_too(bot, slack, env, hierarchy, ct, serve):
    name = "schedule-3.test"
    renewed_not_deployed(hierarchy, ct, serve, name)
    command_line, posted = both_reports(bot, slack, env, name, "ct")
    codes = {f["code"] for f in command_line["findings"]}
    assert "cert_not_deployed" in codes
    assert "reload the web server" in posted
    for finding in command_line["findings"]:
        assert finding["title"] in posted, finding["code"]
