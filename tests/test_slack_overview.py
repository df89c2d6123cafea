"""`/certcheck list` and the App Home through the real app: each domain's
last result, problems first, and every payload within Slack's limits, up to
10,000 subscriptions (written straight through SQLAlchemy for speed)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from bot.db import Database
from bot.db.models import CheckHistory
from bot.slack.home import HOME_DOMAINS, HOME_RECHECK, HOME_SNOOZE, HOME_UNSUBSCRIBE
from bot.slack.overview import LIST_NEXT, LIST_PREVIOUS
from checks import Options
from tests.slack.many import subscribe_many
from tests.slack.payloads import assert_fits, assert_view_fits
from tests.slack.standin import TEAM

pytestmark = pytest.mark.timeout(180)


def _history(db: Database, domain: str, verdict: str, days_left: int) -> None:
    now = datetime.now(timezone.utc)
    with db.engine.begin() as connection:
        connection.execute(
            insert(CheckHistory),
            [
                {
                    "night": now.date().isoformat(),
                    "domain": domain,
                    "checked_at": now,
                    "verdict": verdict,
                    "renewable": verdict != "critical",
                    "findings": "[]",
                    "cert_not_after": now + timedelta(days=days_left, hours=2),
                }
            ],
        )


def test_list_shows_each_domains_last_verdict_and_days_left_problems_first(start_bot, slack, slack_db):
    bot = start_bot()
    for name in ("fine.example.com", "broken.example.com", "fresh.example.com"):
        bot.command(f"subscribe {name}", response=f"s-{name}")
        slack.wait_posts(f"s-{name}")
    db = Database(slack_db)
    _history(db, "fine.example.com", "ok", 60)
    _history(db, "broken.example.com", "critical", 3)
    bot.command("list", response="list")
    [post] = slack.wait_posts("list")
    assert post.accepted and post.body["response_type"] == "ephemeral"
    assert_fits(post.body)
    text = post.text
    assert text.index("broken.example.com") < text.index("fresh.example.com") < text.index("fine.example.com")
    assert "Critical, 3 days left" in text and "OK, 60 days left" in text and "Not checked yet" in text
    assert "(3)" in text and "<@U0001>" in text
    assert not [b for b in post.body["blocks"] if b["type"] == "actions"]  # one page: no pager
    db.close()


def test_list_of_10000_subscriptions_pages_within_slack_limits(start_bot, slack, slack_db):
    db = Database(slack_db)
    subscribe_many(db, TEAM, 10_000)
    bot = start_bot()
    bot.command("list", response="p1", channel="C0000")
    [first] = slack.wait_posts("p1")
    assert first.accepted, first.errors
    assert_fits(first.body)
    assert "(10000)" in first.text and "Page 1 of 500" in first.text
    # Problems first: the first page is all critical, the fewest days left first.
    assert first.text.count(":rotating_light:") == 20 and "Critical, 5 days left" in first.text
    pager = first.body["blocks"][-1]
    assert [(e["action_id"], e["value"]) for e in pager["elements"]] == [(LIST_NEXT, "1")]

    bot.click(LIST_NEXT, "1", response="p2", channel="C0000", message=first.body)
    [second] = slack.wait_posts("p2")
    assert second.accepted and second.body["replace_original"] is True and "Page 2 of 500" in second.text
    assert [e["action_id"] for e in second.body["blocks"][-1]["elements"]] == [LIST_PREVIOUS, LIST_NEXT]

    bot.click(LIST_NEXT, "499", response="last", channel="C0000")
    [last] = slack.wait_posts("last")
    assert last.accepted and "Page 500 of 500" in last.text and ":white_check_mark:" in last.text
    assert [e["action_id"] for e in last.body["blocks"][-1]["elements"]] == [LIST_PREVIOUS]
    db.close()


def test_app_home_shows_the_workspace_problems_first_within_100_blocks(start_bot, slack, slack_db):
    db = Database(slack_db)
    subscribe_many(db, TEAM, 10_000, channels=40)
    bot = start_bot()
    assert bot.open_home("U0001").status_code == 200
    view = slack.homes.wait("U0001")
    assert_view_fits(view)
    blocks = view["blocks"]
    assert len(blocks) <= 100 and blocks[0]["type"] == "header"
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    # 1,429 critical, 1,429 warning, and 71 of the 100 paused (one in a hundred) that are otherwise OK.
    assert "10000 subscriptions in 40 channels, 2929 with a problem" in sections[0]
    rows = sections[1:]
    assert len(rows) == HOME_DOMAINS and all(":rotating_light:" in row for row in rows)
    assert "<#C00" in rows[0]
    assert f"and {10_000 - HOME_DOMAINS} more" in blocks[-1]["elements"][0]["text"]
    buttons = [[e["action_id"] for e in b["elements"]] for b in blocks if b["type"] == "actions"]
    assert buttons == [[HOME_RECHECK, HOME_SNOOZE, HOME_UNSUBSCRIBE]] * HOME_DOMAINS
    db.close()


def test_home_buttons_snooze_unsubscribe_and_recheck(start_bot, slack, internet):
    slack.locales["U00JA"] = "ja-JP"
    slack.timezones["U00JA"] = "Asia/Tokyo"
    bot = start_bot(Options.from_env(internet.env(), timeout=5))
    for name in ("ok.test", "basic-all.test"):
        bot.command(f"subscribe {name}", response=f"s-{name}", user="U00JA")
        slack.wait_posts(f"s-{name}")
    bot.services.db.alerts.pause_team(TEAM, "not_in_channel", datetime.now(timezone.utc))
    bot.open_home("U00JA")
    view = slack.homes.wait("U00JA")
    assert_view_fits(view)
    assert view["blocks"][0]["text"]["text"] == "このワークスペースで監視中のサイト"
    assert "一時停止中" in json.dumps(view, ensure_ascii=False)

    def value(view: dict, domain: str, action_id: str) -> str:
        return next(
            e["value"]
            for b in view["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == action_id and domain in e["value"]
        )

    bot.click_home(HOME_SNOOZE, value(view, "ok.test", HOME_SNOOZE), user="U00JA")
    snoozed = slack.homes.wait("U00JA", lambda v: "リマインダーを止めています" in json.dumps(v, ensure_ascii=False))
    assert "（JST）" in json.dumps(snoozed, ensure_ascii=False)

    bot.click_home(HOME_UNSUBSCRIBE, value(snoozed, "ok.test", HOME_UNSUBSCRIBE), user="U00JA")
    slack.homes.wait("U00JA", lambda v: "ok.test" not in json.dumps(v))
    assert not bot.services.db.subscriptions.is_subscribed(TEAM, "C0001", "ok.test")

    bot.click_home(HOME_RECHECK, value(snoozed, "basic-all.test", HOME_RECHECK), user="U00JA")

    def is_report(r) -> bool:
        return r.path == "/api/chat.postMessage" and bool(r.body.get("blocks"))

    slack.wait_for(lambda rs: any(is_report(r) for r in rs), timeout=60, what="the re-check's report by DM")
    report = next(r for r in slack.snapshot() if is_report(r))
    assert report.accepted and report.body["channel"] == "U00JA"
    assert "アクセス制限" in report.everything()


def test_home_button_with_a_value_not_ours_does_nothing(start_bot, slack):
    bot = start_bot()
    assert bot.click_home(HOME_UNSUBSCRIBE, "not json").status_code == 200
    assert bot.click_home(HOME_SNOOZE, json.dumps({"channel": "C1", "domain": "localhost"})).status_code == 200
    bot.open_home("U0001")
    view = slack.homes.wait("U0001")
    assert "No channel watches a site yet" in json.dumps(view)


def test_views_publish_refuses_what_slack_refuses(start_bot, slack):
    bot = start_bot()
    client = bot.services.slack
    from slack_sdk.errors import SlackApiError

    too_big = {"type": "home", "blocks": [{"type": "divider"}] * 101}
    for user, view, error in (
        ("U0001", too_big, "invalid_arguments"),
        ("", {"type": "home", "blocks": []}, "invalid_arguments"),
        ("C0001", {"type": "home", "blocks": [{"type": "divider"}]}, "user_not_found"),
    ):
        with pytest.raises(SlackApiError) as refused:
            client.views_publish(user_id=user, view=view)
        assert refused.value.response["error"] == error


@pytest.mark.parametrize(
    ("count", "summary"), [(1, "1 subscription in 1 channel,"), (2, "2 subscriptions in 2 channels,")]
)
def test_the_home_summary_counts_in_english_singular_and_plural(count, summary):
    from bot.db.status import Status
    from bot.slack.home import home_view

    now = datetime(2026, 12, 2, tzinfo=timezone.utc)
    rows = [Status(f"C{n}", f"site{n}.example", "U1", now, None, None, None, None, None) for n in range(count)]
    view = home_view(rows, "en", timezone.utc, now)
    assert summary in json.dumps(view)
