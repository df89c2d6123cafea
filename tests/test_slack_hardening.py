"""The HTTP front door under abuse, through the real server: odd bodies,
forged or replayed signatures, idle connections, slow Slack."""

from __future__ import annotations

import io
import logging
import socket
import time

import httpx

from bot.logs import OneLineFormatter
from tests.slack.harness import SECRET
from tests.slack.standin import sign, signed_post


def test_the_word_payload_anywhere_in_a_slash_command_does_not_lose_it(start_bot, slack):
    # Bolt's parse_body takes any body containing "payload" for an interactive one.
    bot = start_bot()
    assert (
        bot.command(
            "help payload",
            response="text",
            team_domain="payloadcms",
            channel_name="payload-team",
            user_name="payloadfan",
        ).status_code
        == 200
    )
    assert "/certcheck subscribe" in slack.wait_posts("text")[0].text
    assert bot.command("list", response="domain", team_domain="payloadcms").status_code == 200
    slack.wait_posts("domain")


def test_malformed_timestamps_are_401_never_500(start_bot, slack):
    bot = start_bot()
    events = bot.url + "/slack/events"
    body = bot.command_body("help", response="odd")
    now = int(time.time())
    odd = ["abc", "", "1e9", f"+{now}", f"{now}.5", f"{now}_0", "-1", "9" * 40, "１２３"]
    codes = []
    for stamp in odd:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp.encode("utf-8"),
            "X-Slack-Signature": sign(SECRET, stamp, body),
        }
        codes.append(httpx.post(events, content=body, headers=headers, timeout=30).status_code)
    assert set(codes) == {401}
    assert bot.command("help", response="fine").status_code == 200
    slack.wait_posts("fine")
    assert slack.posts("odd") == []


def test_an_identical_signed_request_replayed_in_the_window_is_refused(start_bot, slack):
    bot = start_bot()
    events = bot.url + "/slack/events"
    body = bot.command_body("help", response="once")
    stamp = int(time.time())
    first = signed_post(events, SECRET, body, timestamp=stamp)
    again = signed_post(events, SECRET, body, timestamp=stamp)
    assert (first.status_code, again.status_code) == (200, 401)
    # The same command sent afresh (a new timestamp, so a new signature) is answered.
    assert signed_post(events, SECRET, body, timestamp=stamp + 1).status_code == 200
    slack.wait_posts("once", 2)
    assert len(slack.posts("once")) == 2


def test_no_request_body_reaches_the_log_and_no_line_can_be_forged(start_bot, slack, caplog):
    bot = start_bot()
    events = bot.url + "/slack/events"
    forged = "\n1999-01-01 00:00:00,000 INFO certcheck: FORGED-LINE\n"
    big = "text=" + "BODY-MARKER" * 50_000 + forged
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    caplog.set_level(logging.DEBUG)
    try:
        for _ in range(3):
            assert signed_post(events, SECRET, big, signature="v0=" + "0" * 64).status_code == 401
        # A signed command whose text and response_url carry a newline.
        body = bot.command_body(f"exa{forged}mple.com", response="newline")
        assert signed_post(events, SECRET, body).status_code == 200
        slack.wait_posts("newline")
    finally:
        logging.getLogger().removeHandler(handler)
    assert "BODY-MARKER" not in caplog.text
    assert len(caplog.text) < 100_000
    assert "\\n1999-01-01" in stream.getvalue()  # slack_sdk's debug line of the reply, escaped
    assert not any(line.startswith("1999-") for line in stream.getvalue().splitlines())


def test_hundreds_of_idle_and_half_sent_connections_do_not_starve_slack(start_bot, slack):
    bot = start_bot()
    sockets: list[socket.socket] = []
    try:
        for i in range(300):
            sock = socket.create_connection(("127.0.0.1", bot.server.port), timeout=10)
            if i % 2:
                sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\ntext=")
            sockets.append(sock)
        assert bot.command("help", response="through").status_code == 200
        slack.wait_posts("through")
    finally:
        for sock in sockets:
            sock.close()


def test_slow_slack_never_delays_another_users_acknowledgement(start_bot, slack):
    # Fewer listener threads than slow calls: on a listener thread, the
    # ninth request would wait for one of them.
    bot = start_bot(http_threads=4)
    slack.slow = True
    for i in range(8):
        assert bot.command("list", response=f"slow{i}", user=f"USLOW{i}").status_code == 200
    slack.wait_for(lambda rs: slack.held >= 4, what="users.info calls held by the slow stand-in")
    answered = bot.command("help", response="quick", user="UQUICK")
    # Acknowledged while Slack still holds every earlier call: nothing has completed.
    assert answered.status_code == 200
    assert not any(r.path in {"/api/users.info"} or r.path.startswith("/response/") for r in slack.snapshot())
    slack.open_gate()
    for i in range(8):
        slack.wait_posts(f"slow{i}")
    slack.wait_posts("quick")


def test_response_urls_must_be_slacks_in_production(start_bot, slack):
    bot = start_bot(loopback_replies=False)
    assert bot.command("help", response="production").status_code == 200
    bot.close()  # finishes every reply in flight
    assert slack.posts("production") == []


def test_which_response_urls_are_used():
    from ipaddress import ip_network

    from bot.slack.response_url import usable

    assert usable("https://hooks.slack.com/commands/T0001/1/abc")
    for url in (
        "http://hooks.slack.com/commands/T/1/a",
        "https://hooks.slack.com.evil.test/x",
        "https://hooks.slack.com:8443/x",
        "https://user@hooks.slack.com/x",
        "https://evil.test/x",
        "http://127.0.0.1:1234/response/x",
        "https://[::1]/x",
        "javascript:alert(1)",
        "https://hooks.slack.com:x/",
    ):
        assert not usable(url), url
    lab = (ip_network("10.1.0.0/16"),)
    assert usable("http://127.0.0.1:1234/response/x", lab) and usable("http://[::1]:80/x", lab)
    assert usable("http://10.1.2.3/x", lab)
    assert not usable("http://10.2.0.1/x", lab) and not usable("http://localhost/x", lab)
    assert not usable("ftp://127.0.0.1/x", lab)


def test_site_controlled_text_cannot_format_link_or_turn_around():
    from datetime import datetime, timedelta, timezone

    from bot.slack.blocks import alert_message, report_message
    from checks import Certificate, Finding, Report, Severity

    now = datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)
    hostile = "*bold* _it_ ~gone~ ```\nfence``` `x` <!channel> https://evil.test/x \u202etxt.exe \u0007"
    finding = Finding(
        "access_restricted",
        Severity.CRITICAL,
        {
            "variant": "challenge",
            "url": "http://example.com/.well-known/acme-challenge/t",
            "status": 401,
            "scheme": "Basic",
            "realm": hostile,
            "address": "203.0.113.7",
        },
    )
    cert = Certificate(
        subject="CN=x",
        issuer=hostile,
        not_before=now - timedelta(days=60),
        not_after=now + timedelta(days=30),
        sans=("*.example.com", "*.example.org"),
        trusted=True,
        matches_host=True,
        days_left=30,
    )
    report = Report(
        domain="example.com", input="example.com", findings=(finding,), certificate=cert, checked_at=now, duration_ms=1
    )
    for message in (report_message(report, "en", subscribed=False), alert_message(report, "new", "ja")):
        texts = [message.text]
        for block in message.blocks:
            objects = [block.get("text")] + block.get("fields", []) + block.get("elements", [])
            for obj in objects:
                if isinstance(obj, dict) and obj.get("type") == "mrkdwn":
                    assert obj.get("verbatim") is True
                    texts.append(obj["text"])
        everything = "\n".join(texts)
        assert "*bold*" not in everything and "_it_" not in everything and "~gone~" not in everything
        assert "```\nfence" not in everything and "`x`" not in everything
        assert "<!channel>" not in everything and "\u202e" not in everything and "\u0007" not in everything
        assert "[U+202E]" in everything and "*.example.com" not in everything
        # The catalogue's own code blocks (the paste-ready snippets) still render.
        assert "```" in everything


def _joined(bot, channel: str, user: str = "UBOT") -> None:
    import json as _json

    body = _json.dumps(
        {
            "token": "x",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": f"Ev{channel}{user}",
            "event_time": int(time.time()),
            "event": {
                "type": "member_joined_channel",
                "user": user,
                "channel": channel,
                "channel_type": "G",
                "team": "T0001",
            },
        }
    )
    assert signed_post(bot.url + "/slack/events", SECRET, body, content_type="application/json").status_code == 200


def test_subscribing_where_the_bot_cannot_post_says_how_to_fix_it_and_waits(start_bot, slack):
    slack.not_member.add("GPRIV")
    slack.private.add("GPRIV")
    bot = start_bot()
    assert bot.command("subscribe example.com", response="sub", channel="GPRIV").status_code == 200
    [reply] = slack.wait_posts("sub")
    assert "/invite @certcheck" in reply.text and reply.body["response_type"] == "in_channel"
    assert bot.command("list", response="list", channel="GPRIV").status_code == 200
    [listing] = slack.wait_posts("list")
    assert "not a member" in listing.text and "/invite @certcheck" in listing.text
    assert "not_in_channel" not in listing.text
    # Someone else joining changes nothing; the bot joining lifts the pause and says so.
    _joined(bot, "GPRIV", user="U0002")
    slack.invite("GPRIV")
    _joined(bot, "GPRIV")
    [thanks] = slack.wait_for(
        lambda rs: any(r.path == "/api/chat.postMessage" and r.ok for r in rs), what="the thank-you post"
    )[-1:]
    assert "example.com" in thanks.text and thanks.body["channel"] == "GPRIV"
    assert bot.command("list", response="after", channel="GPRIV").status_code == 200
    assert "paused" not in slack.wait_posts("after")[0].text


def test_a_public_channel_needs_membership_or_chat_write_public(start_bot, slack):
    slack.not_member.add("CPUB")
    slack.scopes = slack.scopes + ",chat:write.public"
    bot = start_bot()
    assert bot.command("subscribe example.com", response="pub", channel="CPUB").status_code == 200
    assert "/invite" not in slack.wait_posts("pub")[0].text
    slack.scopes = slack.scopes.replace(",chat:write.public", "")
    other = start_bot()
    assert other.command("subscribe example.org", response="nopub", channel="CPUB").status_code == 200
    assert "/invite @certcheck" in slack.wait_posts("nopub")[0].text


def test_list_in_japanese_gives_the_pause_reason_in_words(start_bot, slack):
    slack.not_member.add("GJA")
    slack.private.add("GJA")
    slack.locales["UJA"] = "ja-JP"
    bot = start_bot()
    bot.command("subscribe example.com", response="ja-sub", channel="GJA", user="UJA")
    assert "/invite @certcheck" in slack.wait_posts("ja-sub")[0].text
    bot.command("list", response="ja-list", channel="GJA", user="UJA")
    text = slack.wait_posts("ja-list")[0].text
    assert "参加していません" in text and "not_in_channel" not in text


def test_subscribe_without_a_name_asks_which_site_in_words(start_bot, slack):
    bot = start_bot()
    bot.command("subscribe", response="empty")
    text = slack.wait_posts("empty")[0].text
    assert "Which site?" in text and "/certcheck subscribe example.com" in text and "``" not in text
