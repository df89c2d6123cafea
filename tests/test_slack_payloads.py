"""Every Block Kit payload the app can send, validated with slack_sdk's own
models and Slack's documented limits (tests/slack/payloads.py, from
bot/slack/limits.py): reports, alerts, replies, `list` and the App Home,
in both languages, up to 10,000 subscriptions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.db.status import Status
from bot.slack import limits, replies
from bot.slack.blocks import alert_message, report_message
from bot.slack.home import HOME_DOMAINS, home_view
from bot.slack.overview import list_message
from bot.slack.response_url import payload
from checks import Severity
from tests.builders import NOW, certificate, expiring, finding, report, restricted
from tests.slack.payloads import assert_fits, assert_view_fits, message_errors, view_errors

LANGS = ("en", "ja")


def _statuses(count: int, channels: int = 1) -> list[Status]:
    verdicts = ("critical", "warning", "ok", "unknown", None)
    return [
        Status(
            f"C{i % channels:04d}",
            f"site-{i:05d}.example.com",
            "U0001",
            NOW - timedelta(days=3),
            verdicts[i % 5],
            NOW if verdicts[i % 5] else None,
            NOW + timedelta(days=i % 90 - 3),
            "not_in_channel" if i % 11 == 0 else None,
            NOW + timedelta(days=7) if i % 13 == 0 else None,
        )
        for i in range(count)
    ]


def _long_report():
    findings = [restricted(f"http://x.test/.well-known/acme-challenge/{'a' * 900}{i}") for i in range(60)]
    return report(*findings, certificate=certificate(sans=tuple(f"n{i}.x.test" for i in range(500))))


REPORTS = {
    "ok": lambda: report(certificate=certificate()),
    "problems": lambda: report(
        restricted(),
        expiring(5),
        finding("dns_servfail", Severity.WARNING, name="x.test", rdtype="AAAA"),
        certificate=certificate(5),
    ),
    "no certificate": lambda: report(finding("tls_unreachable", port=443, name="x.test", reason="refused")),
    "over-long": _long_report,
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("which", sorted(REPORTS))
@pytest.mark.parametrize("subscribed", (True, False, None))
def test_every_report_fits(which, lang, subscribed):
    message = report_message(REPORTS[which](), lang, subscribed=subscribed, tz="Asia/Tokyo")
    assert_fits(payload(message.text, public=True, blocks=message.blocks))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("which", sorted(REPORTS))
@pytest.mark.parametrize("kind", ("alert", "reminder", "resolved"))
def test_every_nightly_alert_fits(which, lang, kind):
    message = alert_message(REPORTS[which](), kind, lang, nights=12, tz="Asia/Tokyo")
    assert_fits({"channel": "C1", "text": message.text, "blocks": message.blocks})


@pytest.mark.parametrize("lang", LANGS)
def test_every_reply_fits(lang):
    for reply in (
        replies.help_reply(lang),
        replies.bad_input("<!channel>" * 50, "no", lang),
        replies.rate_limited("user", 30, lang),
        replies.rate_limited("channel", 30, lang),
    ):
        assert_fits(reply.payload())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("count", (0, 1, 20, 21, 10_000))
def test_every_list_page_fits(lang, count):
    rows = _statuses(count)
    pages = max(1, -(-count // 20))
    for page in {0, pages // 2, pages - 1}:
        message = list_message(rows, lang, "Asia/Tokyo", NOW, page)
        assert_fits(payload(message.text, public=False, blocks=message.blocks, replace_original=page > 0))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("count", (0, 1, HOME_DOMAINS, HOME_DOMAINS + 1, 10_000))
def test_every_home_view_fits(lang, count):
    view = home_view(_statuses(count, channels=37), lang, "Asia/Tokyo", NOW)
    assert_view_fits(view)
    assert len(view["blocks"]) <= limits.HOME_BLOCKS


def test_the_validation_catches_what_slack_refuses():
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    button = {"type": "button", "text": {"type": "plain_text", "text": "b"}, "action_id": "a", "value": "v"}
    assert message_errors({"text": "t", "blocks": [section] * 51})
    assert message_errors({"text": "t" * 40_001})
    assert message_errors({"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]})
    assert message_errors({"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]})
    assert message_errors(
        {"blocks": [{"type": "actions", "elements": [{**button, "text": {"type": "plain_text", "text": "x" * 76}}]}]}
    )
    assert message_errors({"blocks": [{"type": "actions", "elements": [{**button, "value": "v" * 2001}]}]})
    assert message_errors({"blocks": [{"type": "no such block"}]})
    assert message_errors({"text": "t", "blocks": [{**section, "block_id": "same"}, {**section, "block_id": "same"}]})
    assert message_errors({"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2999}}] * 14})
    assert view_errors({"type": "home", "blocks": [section] * 101})
    assert view_errors({"type": "modal", "blocks": [section]})
    assert message_errors({"text": "t", "blocks": [section, {"type": "actions", "elements": [button]}]}) == []
    assert view_errors({"type": "home", "blocks": [section] * 100}) == []


def test_times_are_in_the_readers_zone():
    checked = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)
    tokyo = report_message(report(certificate=certificate(now=checked), now=checked), "ja", tz="Asia/Tokyo")
    utc = report_message(report(certificate=certificate(now=checked), now=checked), "en", tz="UTC")
    assert "2026年12月2日 12:00（JST）" in str(tokyo.blocks) and "<!date" not in str(tokyo.blocks)
    assert "2026-12-02 03:00 UTC" in str(utc.blocks)


def test_a_findings_times_are_in_the_readers_zone_too():
    from checks.findings import certificate as certificate_findings

    expired = certificate_findings.cert_expired("x.test", "2026-11-26 03:00 UTC", 2)
    tokyo = report_message(report(expired), "ja", tz="Asia/Tokyo")
    assert "2026年11月26日 12:00（JST）" in str(tokyo.blocks) and "03:00 UTC" not in str(tokyo.blocks)
