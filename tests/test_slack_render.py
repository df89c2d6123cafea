"""The Block Kit renderer, on hand-built reports: limits, escaping, languages."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from bot.slack.blocks import RECHECK, SUBSCRIBE, UNSUBSCRIBE, clip, report_message
from bot.words import say as ui
from checks import Certificate, Finding, Report, Severity
from tests.slack.standin import block_kit_errors

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)


def _restricted(i: int = 0, **params: object) -> Finding:
    return Finding(
        "access_restricted",
        Severity.CRITICAL,
        {
            "variant": "challenge",
            "url": f"http://example.com/.well-known/acme-challenge/t{i}",
            "status": 401,
            "scheme": "Basic",
            "realm": "Members",
            "address": "203.0.113.7",
            **params,
        },
        url=f"http://example.com/.well-known/acme-challenge/t{i}",
        address="203.0.113.7",
    )


def _expiring(days: int) -> Finding:
    return Finding(
        "cert_expiring", Severity.WARNING, {"days_left": days, "name": "example.com", "not_after": "2026-12-06"}
    )


def _certificate(sans: tuple[str, ...] = ("example.com", "www.example.com"), days: int = 34) -> Certificate:
    return Certificate(
        subject="CN=example.com",
        issuer="CN=R11,O=Let's Encrypt,C=US",
        not_before=NOW - timedelta(days=90 - days),
        not_after=NOW + timedelta(days=days),
        sans=sans,
        trusted=True,
        matches_host=True,
        days_left=days,
    )


def _report(
    findings: tuple[Finding, ...], certificate: Certificate | None = None, domain: str = "example.com"
) -> Report:
    return Report(
        domain=domain, input=domain, findings=findings, certificate=certificate, checked_at=NOW, duration_ms=412
    )


def _texts(blocks: list[dict]) -> list[str]:
    out = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        out += [f["text"] for f in block.get("fields", [])]
        out += [e["text"] if isinstance(e["text"], str) else e["text"]["text"] for e in block.get("elements", [])]
    return out


def test_a_report_has_verdict_certificate_findings_context_and_buttons():
    message = report_message(_report((_restricted(),), _certificate()), "en", subscribed=False)
    header, summary, divider, *findings, context, actions = message.blocks
    assert header["type"] == "header" and "example.com" in header["text"]["text"]
    assert ui("verdict:critical", "en") in header["text"]["text"]
    assert ui("renewable:false", "en") in summary["text"]["text"]
    fields = "\n".join(f["text"] for f in summary["fields"])
    assert "CN=R11,O=Let's Encrypt,C=US" in fields and "34 days left" in fields and "www.example.com" in fields
    assert "Access restriction on the ACME challenge path" in findings[0]["text"]["text"]
    remedy = findings[1]["text"]["text"]
    assert "```" in remedy and "&lt;RequireAny&gt;" in remedy and "location ^~ /.well-known/acme-challenge/" in remedy
    assert "412 ms" in context["elements"][0]["text"]
    assert [b["action_id"] for b in actions["elements"]] == [RECHECK, SUBSCRIBE]
    assert "Access restriction" in message.text
    assert block_kit_errors({"text": message.text, "blocks": message.blocks}) == []


def test_the_button_follows_the_subscription():
    report = _report((), _certificate())
    subscribed = report_message(report, "en", subscribed=True).blocks[-1]["elements"]
    assert [b["action_id"] for b in subscribed] == [RECHECK, UNSUBSCRIBE]
    assert [b["action_id"] for b in report_message(report, "en").blocks[-1]["elements"]] == [RECHECK]


def test_an_over_long_report_is_cut_to_slacks_limits_not_rejected():
    sans = tuple(f"host-{i:04d}.example.com" for i in range(400))
    findings = tuple(_restricted(i) for i in range(60)) + (_expiring(5),)
    message = report_message(_report(findings, _certificate(sans)), "en", subscribed=False)
    assert len(message.blocks) <= 50
    assert block_kit_errors({"text": message.text, "blocks": message.blocks}) == []
    texts = "\n".join(_texts(message.blocks))
    shown = sum("Access restriction on the ACME challenge path" in t for t in _texts(message.blocks))
    assert f"and {61 - shown} more findings" in texts
    assert "and " in texts and "more" in texts  # the names field is cut too
    assert message.blocks[-1]["type"] == "actions"  # the buttons survive the cut


def test_an_over_long_finding_is_clipped_with_its_code_block_closed():
    huge = "x" * 5000
    message = report_message(_report((_restricted(realm=huge),), None), "en")
    for text in _texts(message.blocks):
        assert len(text) <= 3000
        assert text.count("```") % 2 == 0
    assert any(t.endswith(ui("slack:cut", "en")) for t in _texts(message.blocks))


def test_clip_never_splits_an_escape():
    text = "a" * 2980 + "&lt;" * 20
    cut = clip(text, 3000, "en")
    assert len(cut) <= 3000
    body = cut.rsplit("\n", 1)[0]
    assert body.endswith("a") or body.endswith("&lt;")


def test_what_a_site_says_is_escaped_so_it_pings_and_links_nobody():
    finding = _restricted(realm="<!channel>", url="http://example.com/<https://evil.example|click>&x")
    message = report_message(_report((finding,), None), "en")
    everything = json.dumps({"text": message.text, "blocks": message.blocks})
    assert "<!channel>" not in everything and "<https://evil" not in everything
    assert "&lt;!channel&gt;" in everything and "&amp;x" in everything


def test_japanese_report_reads_in_japanese():
    findings = (_restricted(), _expiring(10))
    message = report_message(_report(findings, _certificate(days=10), "xn--r8jz45g.jp"), "ja", subscribed=True)
    texts = "\n".join(_texts(message.blocks))
    assert "例え.jp" in message.blocks[0]["text"]["text"]
    assert ui("verdict:critical", "ja") in message.blocks[0]["text"]["text"]
    assert "ACME チャレンジのパスにアクセス制限がかかっています" in texts
    assert "残り 10 日" in texts and "（重大）" in texts
    assert "証明書の有効期限まで残り 10 日です" in message.text
    assert [b["text"]["text"] for b in message.blocks[-1]["elements"]] == ["再チェック", "監視を止める"]


def test_a_report_without_findings_or_certificate_still_renders():
    incomplete = Finding("check_incomplete", Severity.WARNING, {"parts": ["dns"], "timeout": "2"})
    message = report_message(_report((incomplete,), None), "en", subscribed=False)
    assert ui("verdict:unknown", "en") in message.blocks[0]["text"]["text"]
    assert ui("cert:none", "en") in message.blocks[1]["text"]["text"]
    ok = report_message(_report((), _certificate()), "en")
    assert ui("findings:none", "en") in "\n".join(_texts(ok.blocks))
