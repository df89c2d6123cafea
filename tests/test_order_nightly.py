"""The nightly sweep checks the whole order: an alert names the name that fails."""

from __future__ import annotations

from tests.test_nightly import TEAM, alerts, night  # noqa: F401 - the sweeper fixture


def test_the_nightly_alert_names_the_name_of_the_order_that_fails(night, slack):  # noqa: F811
    night.db.subscriptions.subscribe(TEAM, "C9", "multi.test", "U1")
    night.run_once()
    [post] = alerts(slack, "C9")
    assert "access restriction" in post.text
    assert "www.multi.test" in post.everything()
