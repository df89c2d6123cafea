"""The Slack app over real HTTP: signatures, commands, subscriptions, languages.

The app runs on a loopback port under waitress, exactly as `certcheck serve`
runs it; Slack is the stand-in in tests/slack/standin.py, reached by the real
slack_sdk clients. Answers are waited for with bounded condition waits.
"""

from __future__ import annotations

import json
import time

import httpx

from bot.slack.blocks import SUBSCRIBE, UNSUBSCRIBE
from tests.slack.harness import SECRET
from tests.slack.standin import sign, signed_post


def test_health_check_answers(start_bot):
    bot = start_bot()
    response = httpx.get(bot.url + "/healthz", timeout=10)
    assert response.status_code == 200
    assert response.text.strip() == "ok"


def test_forged_and_stale_signatures_get_401_and_produce_nothing(start_bot, slack):
    bot = start_bot()
    events = bot.url + "/slack/events"
    body = bot.command_body("help", response="forged")
    now = int(time.time())

    forged = signed_post(events, SECRET, body, signature=sign("not-the-secret", str(now), body))
    tampered = signed_post(events, SECRET, body.replace("help", "list"), signature=sign(SECRET, str(now), body))
    stale_body = bot.command_body("help", response="stale")
    stale = signed_post(events, SECRET, stale_body, timestamp=now - 6 * 60)
    unsigned = httpx.post(events, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})

    assert [r.status_code for r in (forged, tampered, stale, unsigned)] == [401, 401, 401, 401]
    # A correctly signed request still works, and is the only one answered.
    assert bot.command("help", response="genuine").status_code == 200
    slack.wait_posts("genuine")
    assert slack.posts("forged") == [] and slack.posts("stale") == []
    assert [r.path for r in slack.snapshot() if r.path.startswith("/response/")] == ["/response/genuine"]


def test_help_is_ephemeral_and_lists_every_command(start_bot, slack):
    bot = start_bot()
    assert bot.command("", response="help").status_code == 200
    (post,) = slack.wait_posts("help")
    assert post.body["response_type"] == "ephemeral"
    for verb in ("subscribe", "unsubscribe", "list", "lang", "help"):
        assert f"/certcheck {verb}" in post.text


def test_bad_input_gets_an_ephemeral_one_line_hint(start_bot, slack):
    bot = start_bot()
    assert bot.command("localhost", response="bad").status_code == 200
    (post,) = slack.wait_posts("bad")
    assert post.body["response_type"] == "ephemeral"
    assert "\n" not in post.text
    assert "localhost" in post.text and "/certcheck example.com" in post.text


def test_channel_ping_in_the_input_is_neutralised(start_bot, slack):
    bot = start_bot()
    bot.command("<!channel> <!here|here> <@U0002>", response="ping")
    bot.command("subscribe <!everyone>", response="ping-sub")
    # As Slack sends a typed "<!channel>": entities, which must not be unescaped into a ping.
    bot.command("&lt;!channel&gt;", response="ping-typed")
    for name in ("ping", "ping-sub", "ping-typed"):
        (post,) = slack.wait_posts(name)
        assert "<!" not in post.everything() and "<@U0002>" not in post.everything()
        assert "&lt;!" in post.text


def test_subscriptions_round_trip_and_survive_a_restart(start_bot, slack):
    bot = start_bot()
    bot.command("subscribe https://Example.COM/some/page", response="s1")
    bot.command("subscribe www.例え.jp", response="s2")
    # The replies run on a pool: the second subscribe of example.com waits for the first's answer,
    # or either may be the one that creates it.
    subscribed = slack.wait_posts("s1")[0]
    bot.command("subscribe example.com", response="s3")
    assert subscribed.body["response_type"] == "in_channel"
    assert "*example.com*" in subscribed.text and "<@U0001>" in subscribed.text
    assert "www.例え.jp" in slack.wait_posts("s2")[0].text
    already = slack.wait_posts("s3")[0]
    assert already.body["response_type"] == "ephemeral" and "already" in already.text

    bot.command("list", response="l1", channel="C0002")
    assert "no domains" in slack.wait_posts("l1")[0].text  # other channels are separate

    bot.close()
    restarted = start_bot()  # a new app and server on the same SQLite file
    restarted.command("list", response="l2")
    listing = slack.wait_posts("l2")[0].text
    assert "(2)" in listing and "*example.com*" in listing and "*www.例え.jp*" in listing

    restarted.command("unsubscribe EXAMPLE.com.", response="u1")
    restarted.command("unsubscribe example.com", response="u2")
    assert slack.wait_posts("u1")[0].body["response_type"] == "in_channel"
    assert "does not watch" in slack.wait_posts("u2")[0].text
    restarted.command("list", response="l3")
    listing = slack.wait_posts("l3")[0].text
    assert "(1)" in listing and "example.com*" not in listing.replace("例え", "")


def test_subscriptions_are_capped_per_channel(start_bot, slack):
    bot = start_bot(max_subscriptions=2)
    # One after the other, as people type them: the replies run on a pool,
    # so commands sent at once may be handled in any order.
    for i, name in enumerate(("a.example.com", "b.example.com", "c.example.com")):
        bot.command(f"subscribe {name}", response=f"cap{i}")
        slack.wait_posts(f"cap{i}")
    assert "watches 2 domains, the most allowed" in slack.wait_posts("cap2")[0].text
    # Three at once in a new channel: the limit still holds, exactly one is refused.
    bot.command("subscribe d.example.com", response="d", channel="C0007")
    bot.command("subscribe e.example.com", response="e", channel="C0007")
    bot.command("subscribe f.example.com", response="f", channel="C0007")
    texts = [slack.wait_posts(name)[0].text for name in ("d", "e", "f")]
    assert sum("the most allowed" in text for text in texts) == 1
    bot.command("subscribe c.example.com", response="other", channel="C0009")
    assert slack.wait_posts("other")[0].body["response_type"] == "in_channel"


def test_japanese_locale_user_gets_japanese(start_bot, slack):
    slack.locales["U00JA"] = "ja-JP"
    bot = start_bot()
    bot.command("help", response="ja-help", user="U00JA")
    bot.command("subscribe example.com", response="ja-sub", user="U00JA")
    bot.command("help", response="en-help", user="U00EN")
    assert "このヘルプ" in slack.wait_posts("ja-help")[0].text
    assert "監視を始めました" in slack.wait_posts("ja-sub")[0].text
    assert "this message" in slack.wait_posts("en-help")[0].text
    asked = [r.body.get("user") for r in slack.snapshot() if r.path == "/api/users.info"]
    assert "U00JA" in asked and all(
        r.body.get("include_locale") in ("1", "true", "True") for r in slack.snapshot() if r.path == "/api/users.info"
    )
    # Why a name was refused reads in Japanese too.
    bot.command("localhost", response="ja-bad", user="U00JA")
    assert "localhost はこのマシン自身" in slack.wait_posts("ja-bad")[0].text


def test_channel_language_beats_the_user_locale(start_bot, slack):
    slack.locales["U00JA"] = "ja-JP"
    bot = start_bot()
    bot.command("lang ja", response="set", user="U00EN")
    (post,) = slack.wait_posts("set")
    assert post.body["response_type"] == "in_channel" and "日本語" in post.text
    bot.command("help", response="after", user="U00EN")
    assert "このヘルプ" in slack.wait_posts("after")[0].text
    bot.command("lang en", response="back", user="U00JA")
    bot.command("help", response="ja-user", user="U00JA")
    assert "English" in slack.wait_posts("back")[0].text
    assert "this message" in slack.wait_posts("ja-user")[0].text
    bot.command("lang fr", response="bad-lang")
    assert "`en`" in slack.wait_posts("bad-lang")[0].text


def test_subscribe_and_unsubscribe_buttons_redraw_the_report(start_bot, slack):
    bot = start_bot()
    report = {
        "type": "message",
        "text": "example.com: OK",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "report"}},
            {"type": "actions", "block_id": "certcheck_report_actions", "elements": []},
        ],
    }
    assert bot.click(SUBSCRIBE, "example.com", response="b1", message=report).status_code == 200
    posts = slack.wait_posts("b1", count=2)
    confirmation = next(p for p in posts if not p.body["replace_original"])
    redraw = next(p for p in posts if p.body["replace_original"])
    assert "subscribed this channel" in confirmation.text
    buttons = [e["action_id"] for e in redraw.body["blocks"][1]["elements"]]
    assert UNSUBSCRIBE in buttons and SUBSCRIBE not in buttons

    bot.click(UNSUBSCRIBE, "example.com", response="b2", message=redraw.body)
    posts = slack.wait_posts("b2", count=2)
    redraw = next(p for p in posts if p.body["replace_original"])
    assert SUBSCRIBE in [e["action_id"] for e in redraw.body["blocks"][1]["elements"]]
    bot.command("list", response="l")
    assert "no domains" in slack.wait_posts("l")[0].text


def test_checks_are_rate_limited_per_user_with_a_friendly_message(start_bot, slack):
    from bot.settings import Rate

    bot = start_bot(user_rate=Rate(2, 3600), channel_rate=Rate(100, 60))
    for i in range(3):
        bot.command("example.com", response=f"rl{i}", user="U0RATE")
    limited = slack.wait_posts("rl2")[0]
    assert limited.body["response_type"] == "ephemeral"
    assert "try again in about" in limited.text
    # Another user in the same channel is not held back by the first one.
    bot.command("example.com", response="rl-other", user="U0OTHR")
    assert "try again" not in slack.wait_posts("rl-other")[0].text


def test_slack_api_errors_cost_one_reply_not_the_server(start_bot, slack):
    slack.unknown_users.add("U0GONE")
    bot = start_bot()
    bot.command("help", response="gone", user="U0GONE")
    assert "this message" in slack.wait_posts("gone")[0].text  # users.info failed: English
    # A response_url that refuses the post: logged, and the next command still works.
    refused = signed_post(
        bot.url + "/slack/events",
        SECRET,
        bot.command_body("help", response="x").replace("%2Fresponse%2Fx", "%2Fnowhere"),
    )
    assert refused.status_code == 200
    slack.wait_for(lambda rs: any(r.path == "/nowhere" for r in rs), what="the refused post")
    assert bot.command("list", response="after").status_code == 200
    slack.wait_posts("after")
    assert httpx.get(bot.url + "/healthz", timeout=10).status_code == 200


def test_events_url_verification_answers_the_challenge(start_bot):
    # Slack sends this when the Request URL is saved in the app's settings.
    bot = start_bot()
    body = json.dumps(
        {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}
    )
    response = signed_post(bot.url + "/slack/events", SECRET, body, content_type="application/json")
    assert response.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.text
