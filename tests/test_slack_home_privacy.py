"""The App Home shows a private channel's subscriptions only to its members,
through the real server and the stand-in: two people, a public channel, a
private one, and a private one the bot was never invited to."""

from __future__ import annotations

import json

from bot.slack.home import HOME_UNSUBSCRIBE, home_value
from tests.slack.standin import TEAM

MEMBER, OUTSIDER = "U0MEMBER", "U0OUTSIDE"


def home_of(bot, slack, user: str) -> str:
    before = len([r for r in slack.snapshot() if r.path == "/api/views.publish" and r.body.get("user_id") == user])
    assert bot.open_home(user).status_code == 200
    slack.wait_for(
        lambda rs: len([r for r in rs if r.path == "/api/views.publish" and r.body.get("user_id") == user]) > before,
        what=f"the Home of {user}",
    )
    return json.dumps(slack.homes.views[user])


def test_a_private_channels_subscriptions_show_only_to_its_members(start_bot, slack):
    slack.members = {"C0PUBLIC": {MEMBER, OUTSIDER}, "G0SECRET": {MEMBER}, "G0NOBOT": {MEMBER}}
    slack.private |= {"G0SECRET", "G0NOBOT"}
    slack.not_member.add("G0NOBOT")  # never invited: Slack tells the bot nothing of it
    bot = start_bot()
    subscriptions = bot.services.db.subscriptions
    subscriptions.subscribe(TEAM, "C0PUBLIC", "public-site.test", MEMBER)
    subscriptions.subscribe(TEAM, "G0SECRET", "secret-site.test", MEMBER)
    subscriptions.subscribe(TEAM, "G0NOBOT", "waiting-site.test", MEMBER)

    member = home_of(bot, slack, MEMBER)
    assert all(name in member for name in ("public-site.test", "secret-site.test", "waiting-site.test"))
    assert "3 subscriptions in 3 channels" in member

    outsider = home_of(bot, slack, OUTSIDER)
    assert "public-site.test" in outsider
    assert "secret-site.test" not in outsider and "G0SECRET" not in outsider
    assert "waiting-site.test" not in outsider and "G0NOBOT" not in outsider
    assert sum(b["type"] == "actions" for b in slack.homes.views[OUTSIDER]["blocks"]) == 1

    # One drawing asks Slack a few questions, not one per subscription.
    asked = [r.path for r in slack.snapshot() if r.path in LOOKUPS]
    assert len(asked) <= 6, asked

    # A button the outsider was never shown changes nothing.
    forged = home_value("G0SECRET", "secret-site.test")
    assert bot.click_home(HOME_UNSUBSCRIBE, forged, user=OUTSIDER).status_code == 200
    member_again = home_of(bot, slack, MEMBER)  # drawn after the click was handled (one pool, in order)
    assert "secret-site.test" in member_again
    assert subscriptions.is_subscribed(TEAM, "G0SECRET", "secret-site.test")


def test_someone_who_leaves_the_private_channel_stops_seeing_it(start_bot, slack):
    slack.members = {"G0SECRET": {MEMBER, OUTSIDER}}
    slack.private.add("G0SECRET")
    bot = start_bot()
    bot.services.db.subscriptions.subscribe(TEAM, "G0SECRET", "secret-site.test", OUTSIDER)
    assert "secret-site.test" in home_of(bot, slack, OUTSIDER)
    slack.members["G0SECRET"].discard(OUTSIDER)
    # Even the subscriber: the bot is in the channel, so Slack's member list decides.
    assert "secret-site.test" not in home_of(bot, slack, OUTSIDER)


def test_without_groups_read_private_channels_are_hidden_not_shown(start_bot, slack):
    slack.scopes = "commands,chat:write,users:read,channels:read"
    slack.members = {"C0PUBLIC": {OUTSIDER}, "G0SECRET": {MEMBER}}
    slack.private.add("G0SECRET")
    bot = start_bot()
    bot.services.db.subscriptions.subscribe(TEAM, "C0PUBLIC", "public-site.test", MEMBER)
    bot.services.db.subscriptions.subscribe(TEAM, "G0SECRET", "secret-site.test", MEMBER)
    outsider = home_of(bot, slack, OUTSIDER)
    assert "secret-site.test" not in outsider
    assert "public-site.test" in outsider


LOOKUPS = {"/api/users.conversations", "/api/conversations.list", "/api/conversations.info"}
