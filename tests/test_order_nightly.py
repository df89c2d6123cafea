"""The nightly sweep checks the whole order: an alert names the name that fails."""

from __future__ import annotations

from tests.sweeps import TEAM
from tests.test_nightly import alerts


def test_the_nightly_alert_names_the_name_of_the_order_that_fails(night, slack):
    night.db.subscriptions.subscribe(TEAM, "C9", "multi.test", "U1")
    night.run_once()
    [post] = alerts(slack, "C9")
    assert "access restriction" in post.text
    assert "www.multi.test" in post.everything()
